// What a report revision holds — sections, cells, explanations — in one normal form, so the same
// content always has the same content hash: every section and every cell of the template is
// present (blank section '', blank cell null), explanations keep only non-blank text, and the
// totals are computed from their items (core/derived-cells.ts), never typed.
import { canonicalJson, cellKeys, type Cells, type Template } from '../core';
import { sha256Hex } from '../auth/crypto';

export interface RevisionContent {
  sections: Record<string, string>;
  cells: Cells;
  explanations: Record<string, string>;
}

/** Loosely typed stored content (older rows, imports): anything not of the right type is dropped. */
export interface StoredContent {
  sections?: Record<string, unknown> | null;
  cells?: Record<string, unknown> | null;
  explanations?: Record<string, unknown> | null;
}

/** Every section and cell of the template, from whatever was stored; totals as stored. */
export function normalContent(template: Template, stored: StoredContent = {}): RevisionContent {
  const sections: Record<string, string> = {};
  for (const { key } of template.sections) {
    const text = stored.sections?.[key];
    sections[key] = typeof text === 'string' ? text : '';
  }
  const cells: Cells = {};
  for (const key of cellKeys(template)) {
    const value = stored.cells?.[key];
    cells[key] = typeof value === 'number' && Number.isFinite(value) ? value : null;
  }
  return { sections, cells, explanations: nonBlankTexts(stored.explanations ?? {}) };
}

/** An explanation of only spaces explains nothing: saving '' (or spaces) removes it. */
function nonBlankTexts(texts: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(texts)) if (typeof text === 'string' && text.trim()) out[key] = text;
  return out;
}

/** Hex SHA-256 of the canonical JSON of {sections, cells, explanations} (README "Content hash"). */
export function contentHash({ sections, cells, explanations }: RevisionContent): Promise<string> {
  return sha256Hex(canonicalJson({ sections, cells, explanations }));
}
