// How a typed cell becomes a number: the server's own rule (readNumber in
// src/areas/clerk/form-input.ts: full-width digits, thousands separators, spaces), so what the
// clerk sees checked here is what the server will store.
//
// A copy, for now: form-input.ts is server code, and although esbuild would ship only this
// function, type-checking the browser program would then take in the draft store and everything
// it imports (D1, mail, Workers types). test/worker/client-read-number.test.ts holds the two to
// the same answers. Once readNumber lives in src/core, import it from there and delete this copy.

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0E\uFF0D]/g;

/** '１２，３４５' → 12345; '' → null; undefined when it is not a number. */
export function readNumber(raw: string): number | null | undefined {
  const text = raw
    .replace(FULL_WIDTH, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s,，]/g, '')
    .replace(/^−/, '-');
  if (text === '') return null;
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}
