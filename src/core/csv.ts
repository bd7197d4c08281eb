// CSV as RFC 4180 writes it: fields separated by commas, lines ended by CRLF, a field quoted
// when it holds a comma, a quote, a line break or edge spaces (quotes doubled inside). The
// document starts with a UTF-8 byte order mark, without which spreadsheet programs read the
// Chinese labels in the local code page. Pure: no I/O.

export type CsvValue = string | number | boolean | null | undefined;

/** U+FEFF: encoded as UTF-8 it is the byte order mark EF BB BF. */
export const CSV_BOM = '\uFEFF';

/**
 * Text a spreadsheet program would run as a formula (a unit named `=HYPERLINK(…)`), neutralised
 * as OWASP recommends ("CSV Injection"): a text that starts with = + - @, a tab or a carriage
 * return gets a leading single quote, which the program shows as text. Numbers the app writes
 * itself are not text: a negative measure stays a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: empty for null (a blank cell stays blank, never 0); text that could be a formula is neutralised. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? (FORMULA_START.test(value) ? `'${value}` : value) : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (fields: readonly CsvValue[]) => fields.map(csvField).join(',');

/** A whole document: BOM, then every row followed by CRLF. */
export const csvDocument = (rows: readonly (readonly CsvValue[])[]) => CSV_BOM + rows.map((r) => `${csvLine(r)}\r\n`).join('');
