// Reading the form's POST body (no JavaScript) into a draft patch. Cells are read with the same
// schema as every JSON API's cells (src/http/input.ts typedCell: the browser script's reading of
// a typed number, and the same cap); anything else is named beside its field, and nothing is
// saved until it is fixed.
import * as v from 'valibot';
import { cellCatalog, type Cells, type Template } from '../../core';
import { derivedCells } from '../../core/derived-cells';
import { typedNumber } from '../../core/numbers';
import { implausibleIssue } from '../../core/plausibility';
import { translator, type Lang } from '../../core/i18n';
import { typedCell } from '../../http/input';
import { localized } from '../../http/validation';
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
    const value = v.safeParse(typedCell, raw);
    if (value.success) cells[info.key] = value.output;
    else {
      // Too large to store: the plausibility message (what the clerk can fix) before the storage cap's.
      const number = typedNumber(raw);
      errors[name] =
        typeof number === 'number'
          ? implausibleIssue(info, number, 'error', raw).message[lang]
          : `${info.name}${translator(lang)('：', ': ')}${localized(value.issues[0].message, lang)}`;
    }
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
