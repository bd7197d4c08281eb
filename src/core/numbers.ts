// How a typed cell becomes a number, the same in the browser and on the server. Phones type
// full-width digits (０-９, from Chinese IMEs), thousands separators and stray spaces: accept them.

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0E\uFF0D]/g;

/** '１２，３４５' → 12345; '' → null (blank); undefined when it is not a number. */
export function readNumber(raw: string): number | null | undefined {
  const text = raw
    .replace(FULL_WIDTH, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s,，]/g, '')
    .replace(/^−/, '-');
  if (text === '') return null;
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}
