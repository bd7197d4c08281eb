// Every issue of a report, its text included: the table rules (rules.ts validate) and the checks on
// the narrative (narrative.ts, completeness.ts). Kept apart from validate() so the form's script,
// which runs validate() as the clerk types, does not carry the phrase tables (the form page has a
// 25 KB budget): the Worker computes the text issues on every save and the form keeps the
// server's (src/client/live-check.ts).
import { completenessIssues } from './completeness';
import { narrativeIssues } from './narrative';
import { validate, type Issue, type Stage, type ValidateOptions } from './rules';
import type { Cells, Template } from './templates/types';

export interface ReportContent {
  sections: Record<string, string>;
  cells: Cells;
}

/**
 * The issues on the text alone: figures against the tables, then (at submission, like blank
 * cells) missing parts.
 */
export function textIssues(template: Template, content: ReportContent, options: { stage?: Stage; year?: number } = {}): Issue[] {
  const narrative = narrativeIssues(template, content.sections, content.cells);
  if (options.stage !== 'submit') return narrative;
  return [...narrative, ...completenessIssues(template, content.sections, options.year === undefined ? {} : { year: options.year })];
}

/** validate() and the text issues: what save, the check page, submission and review judge. */
export function validateReport(template: Template, content: ReportContent, options: ValidateOptions & { year?: number } = {}): Issue[] {
  const { year, ...rest } = options;
  const stage = options.stage ?? 'draft';
  return [...validate(template, content.cells, rest), ...textIssues(template, content, year === undefined ? { stage } : { stage, year })];
}

/** Whether an issue is on the text (computed by the Worker only). */
export const isTextIssue = (issue: Pick<Issue, 'rule'>) => issue.rule.startsWith('narrative_') || issue.rule.startsWith('completeness_');
