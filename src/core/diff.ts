// What changed between two versions of a report's content, as a supervisor reads it: cells by
// the names the form uses (「第三项（七）总计·自然人」 3 → 5), in official order, and which
// narrative sections and warning explanations were rewritten. Pure; the mail and the review page
// both show it.
import { cellCatalog } from './cells';
import type { CellKey, Cells, Template, Text } from './templates/types';

export interface ContentVersion {
  sections: Record<string, string>;
  cells: Cells;
  explanations: Record<string, string>;
}

export interface CellChange {
  key: CellKey;
  name: string;
  before: number | null;
  after: number | null;
}

export interface SectionChange {
  key: string;
  title: string;
}

export interface ExplanationChange {
  rule: string;
  description: Text;
  /** '' when the explanation was added, or removed. */
  before: string;
  after: string;
}

export interface ContentDiff {
  cells: CellChange[];
  sections: SectionChange[];
  explanations: ExplanationChange[];
}

const sameText = (a: string | undefined, b: string | undefined) => (a ?? '').trim() === (b ?? '').trim();

/** Every difference of `after` from `before`; empty lists when nothing changed. */
export function diffContent(template: Template, before: ContentVersion, after: ContentVersion): ContentDiff {
  const cells: CellChange[] = [];
  for (const info of cellCatalog(template).values()) {
    const was = before.cells[info.key] ?? null;
    const is = after.cells[info.key] ?? null;
    if (was !== is) cells.push({ key: info.key, name: info.name, before: was, after: is });
  }
  const sections = template.sections
    .filter((s) => !sameText(before.sections[s.key], after.sections[s.key]))
    .map((s) => ({ key: s.key, title: s.title }));
  const explanations: ExplanationChange[] = [];
  for (const rule of template.rules) {
    const was = before.explanations[rule.id] ?? '';
    const is = after.explanations[rule.id] ?? '';
    if (!sameText(was, is)) explanations.push({ rule: rule.id, description: rule.description, before: was.trim(), after: is.trim() });
  }
  return { cells, sections, explanations };
}

export const isUnchanged = (diff: ContentDiff) => diff.cells.length + diff.sections.length + diff.explanations.length === 0;
