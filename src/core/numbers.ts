// How a typed cell becomes a number, the same in the browser and on the server. Phones type
// full-width digits (０-９, from Chinese IMEs), thousands separators and stray spaces: accept them.
// And how large a cell may be: one cap for the form, its script and every JSON API, kept here
// because the browser script is bundled from src/core (src/http/input.ts builds the schemas on it).

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0E\uFF0D]/g;

/** Beyond 10^15 doubles no longer count every whole number, and no report has such numbers. */
export const CELL_VALUE_LIMIT = 1e15;

/** Whether a number may be stored in a cell: finite and at most CELL_VALUE_LIMIT in absolute value. */
export const withinCellLimit = (n: number) => Number.isFinite(n) && Math.abs(n) <= CELL_VALUE_LIMIT;

/** The number as typed, before the cap: '１２，３４５' → 12345; '' → null (blank); undefined when not a number. */
export function typedNumber(raw: string): number | null | undefined {
  const text = raw
    .replace(FULL_WIDTH, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s,，]/g, '')
    .replace(/^−/, '-');
  if (text === '') return null;
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** A cell as typed: its number, null when blank, undefined when it is not a number a cell can hold. */
export function readNumber(raw: string): number | null | undefined {
  const value = typedNumber(raw);
  return value === null || value === undefined || withinCellLimit(value) ? value : undefined;
}

/**
 * A number as plain decimal digits, never scientific notation: String(1e21) is '1e+21' and
 * String(1e-7) is '1e-7', which a clerk would not recognise as what they typed.
 */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = String(n);
  if (!/e/i.test(text)) return text;
  // Intl writes the shortest decimal digits that read back as n (1e23 → 1 and 23 zeros).
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}
