// Reading the form's POST body (no JavaScript) into a draft patch. Numbers are read by the same
// readNumber as the browser script (src/core/numbers.ts); anything else is named beside its
// field, and nothing is saved until it is fixed.
import { cellCatalog, readNumber, type Cells, type Template } from '../../core';
import { derivedCells } from '../../core/derived-cells';
import type { Lang } from '../../core/i18n';
import type { DraftPatch } from '../../reports/store';
import { cellField, explanationField, sectionField } from './form';

export interface ReadForm {
  patch: DraftPatch;
  /** field name → message */
  errors: Record<string, string>;
  /** field name → the raw text, to show it again */
  typed: Record<string, string>;
}

export function readReportForm(template: Template, body: Record<string, unknown>, lang: Lang): ReadForm {
  const errors: Record<string, string> = {};
  const typed: Record<string, string> = {};
  const cells: Cells = {};
  const derived = derivedCells(template);
  for (const info of cellCatalog(template).values()) {
    const name = cellField(info.key);
    const raw = body[name];
    if (typeof raw !== 'string' || derived.has(info.key)) continue;
    typed[name] = raw;
    const value = readNumber(raw);
    if (value === undefined) errors[name] = lang === 'en' ? `${info.name}: enter a number, e.g. 0 or 12` : `${info.name}：请输入数字，例如 0 或 12`;
    else cells[info.key] = value;
  }
  const sections: Record<string, string> = {};
  for (const section of template.sections) {
    const raw = body[sectionField(section.key)];
    if (typeof raw === 'string') sections[section.key] = typed[sectionField(section.key)] = raw.replace(/\r\n/g, '\n');
  }
  const explanations: Record<string, string> = {};
  for (const rule of template.rules) {
    const raw = body[explanationField(rule.id)];
    if (typeof raw === 'string') explanations[rule.id] = typed[explanationField(rule.id)] = raw.replace(/\r\n/g, '\n');
  }
  return { patch: { cells, sections, explanations }, errors, typed };
}
