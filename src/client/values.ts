// The form's content as the script handles it: field name → the text in that field, exactly as
// the form posts it (c.<cell>, s.<section>, x.<rule>). Pure functions, no DOM: what changed,
// what to send, and how a clerk's unsaved input meets a newer revision on the server.
import type { Cells, CellValue } from '../core';
import { plainNumber, readNumber } from '../core/numbers';

export type FieldName = string;
export type Values = Record<FieldName, string>;

export const CELL = 'c.';
export const SECTION = 's.';
export const EXPLANATION = 'x.';

export const isCell = (name: FieldName) => name.startsWith(CELL);
/** The key after the prefix: the cell key, section key or rule id. */
export const keyOf = (name: FieldName) => name.slice(2);

const lines = (text: string) => text.replace(/\r\n?/g, '\n');

/**
 * Do two texts of this field mean the same? Cells compare as numbers ('0012' is 12, '１２' is 12),
 * unless one of them is not a number at all; texts compare as typed, with any kind of line break.
 */
export function sameValue(name: FieldName, a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (isCell(name)) {
    const [x, y] = [readNumber(a), readNumber(b)];
    if (x !== undefined && y !== undefined) return x === y;
  }
  return lines(a) === lines(b);
}

/** The fields whose text in `now` means something else than in `base` (every field of `now`). */
export function changedFields(now: Values, base: Values): FieldName[] {
  return Object.keys(now).filter((name) => !sameValue(name, now[name], base[name]));
}

export function pick(values: Values, names: FieldName[]): Values {
  const out: Values = {};
  for (const name of names) if (name in values) out[name] = values[name]!;
  return out;
}

/** The cells among these fields that are not numbers: they cannot be saved until corrected. */
export const unreadableCells = (values: Values): FieldName[] =>
  Object.keys(values).filter((name) => isCell(name) && readNumber(values[name]!) === undefined);

export interface DraftContent {
  sections?: Record<string, string>;
  cells?: Cells;
  explanations?: Record<string, string>;
}

/** The partial body of PUT /api/v1/drafts/…: only these fields (all readable). */
export function patchOf(values: Values): DraftContent {
  const patch: Required<DraftContent> = { sections: {}, cells: {}, explanations: {} };
  for (const [name, text] of Object.entries(values)) {
    const key = keyOf(name);
    if (isCell(name)) patch.cells[key] = readNumber(text) ?? null;
    else if (name.startsWith(SECTION)) patch.sections[key] = lines(text);
    else if (name.startsWith(EXPLANATION)) patch.explanations[key] = lines(text);
  }
  const out: DraftContent = {};
  for (const part of ['sections', 'cells', 'explanations'] as const) {
    if (Object.keys(patch[part]).length) (out as Record<string, unknown>)[part] = patch[part];
  }
  return out;
}

const cellText = (value: CellValue | undefined) => (value === null || value === undefined ? '' : plainNumber(value));

/** A draft as the server sent it (GET, or `current` of a 409), as the texts of these fields. */
export function valuesOfDraft(draft: DraftContent, names: FieldName[]): Values {
  const out: Values = {};
  for (const name of names) {
    const key = keyOf(name);
    if (isCell(name)) out[name] = cellText(draft.cells?.[key]);
    else if (name.startsWith(SECTION)) out[name] = draft.sections?.[key] ?? '';
    else if (name.startsWith(EXPLANATION)) out[name] = draft.explanations?.[key] ?? '';
  }
  return out;
}

export interface Reconciled {
  /** Someone else changed these too, to something else: the clerk must choose. */
  conflicts: FieldName[];
  /** Only the clerk changed these: theirs stands. */
  mine: FieldName[];
  /** The server already holds what the clerk typed (e.g. a save whose answer was lost). */
  settled: FieldName[];
}

/**
 * The clerk's unsaved fields (`mine`, changed from `was`, the values of their base revision)
 * against the server's newer revision.
 */
export function reconcile(mine: Values, was: Values, server: Values): Reconciled {
  const out: Reconciled = { conflicts: [], mine: [], settled: [] };
  for (const name of Object.keys(mine)) {
    if (sameValue(name, mine[name], server[name])) out.settled.push(name);
    else if (sameValue(name, was[name], server[name])) out.mine.push(name);
    else out.conflicts.push(name);
  }
  return out;
}
