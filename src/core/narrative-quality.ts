// What a third-party assessment of a published 年报 would count (issue 16), per report: published
// on time, in the year's format, its tables consistent (imports are published as filed, so they
// can fail the rules), its text agreeing with its tables, every part the format asks for there —
// and a score out of 100 from those, so an administrator can sort their units worst first. Pure:
// the same rule engine (rules.ts, narrative.ts, completeness.ts) the form and the review use.
import { completenessIssues } from './completeness';
import { narrativeIssues } from './narrative';
import { validate, type Issue } from './rules';
import { templateForYear } from './templates/index';
import type { Cells, Template } from './templates/types';

export interface QualityInput {
  template: Template;
  year: number;
  sections: Record<string, string>;
  cells: Cells;
  /** The first publication's timeliness; null when there was no deadline (imported history). */
  onTime: boolean | null;
}

export interface ReportQuality {
  onTime: boolean | null;
  /** Filed in the format that applies to its year (templateForYear). */
  formatOk: boolean;
  /** Table rule failures as published (no cross-year rules: last year may be missing). */
  tableIssues: number;
  /** Figures of the text that agree with no reading of their cells. */
  mismatches: number;
  /** Parts missing or empty, and (gov-2021) what 五 and 六 must say. */
  missing: number;
  /** 100 less the deductions of QUALITY_DEDUCTIONS, never below 0. */
  score: number;
  /** What was found, each with its message (table rules, then the text, then missing parts). */
  findings: Issue[];
}

/** What each finding costs, and the most each kind may cost. */
export const QUALITY_DEDUCTIONS = {
  late: 20,
  format: 20,
  tableIssue: { each: 5, max: 30 },
  mismatch: { each: 10, max: 30 },
  missing: { each: 10, max: 30 },
} as const;

export function reportQuality(input: QualityInput): ReportQuality {
  const { template, year, sections, cells } = input;
  const table = validate(template, cells, { stage: 'draft' });
  const narrative = narrativeIssues(template, sections, cells);
  const incomplete = completenessIssues(template, sections, { year });
  const [tableIssues, mismatches, missing] = [table.length, narrative.length, incomplete.length];
  const formatOk = templateForYear(year).id === template.id;
  const d = QUALITY_DEDUCTIONS;
  const deduction =
    (input.onTime === false ? d.late : 0) +
    (formatOk ? 0 : d.format) +
    Math.min(d.tableIssue.max, tableIssues * d.tableIssue.each) +
    Math.min(d.mismatch.max, mismatches * d.mismatch.each) +
    Math.min(d.missing.max, missing * d.missing.each);
  return { onTime: input.onTime, formatOk, tableIssues, mismatches, missing, score: Math.max(0, 100 - deduction), findings: [...table, ...narrative, ...incomplete] };
}
