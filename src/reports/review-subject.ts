// What a supervisor decides on: the submitted revision, the rule summary at the submit stage
// (errors none by construction, warnings with the clerk's explanations), what changed since the
// last submitted or published version, and the deadline. The review mail and the review pages
// show the same summary, read by these functions.
import { and, eq, sql } from 'drizzle-orm';
import { getTemplate, type Cells, type Issue, type Status, type Template } from '../core';
import { diffContent, type ContentDiff } from '../core/diff';
import { validateReport } from '../core/narrative-issues';
import { beijingMinute } from '../core/time';
import type { Db } from '../db/client';
import { selectReportsWithUnits } from '../db/joins';
import { auditEvents, cycles, reportRevisions, reports, reportVersions, units } from '../db/schema';
import type { Localized } from '../core/i18n';
import { submittedBy } from './audit-trail';
import { normalContent, type RevisionContent, type StoredContent } from './revision-content';
import { publishedCells } from './published-cells';

/** The version a submission is compared with. */
export interface PreviousVersion {
  kind: 'submitted' | 'published';
  /** Revision number. */
  number: number;
  /** When it was submitted or published. */
  at: number;
  /** Published version number (kind 'published'). */
  version: number | null;
  content: RevisionContent;
}

/** 「已发布的第 1 版（2026-01-20 10:15）」 or 「上次提交的第 3 稿（…）」. */
export function describePrevious(p: PreviousVersion): Localized {
  return p.kind === 'published'
    ? { zh: `已发布的第 ${p.version} 版（${beijingMinute(p.at)} 发布）`, en: `published version ${p.version} (${beijingMinute(p.at)})` }
    : { zh: `上次提交的第 ${p.number} 稿（${beijingMinute(p.at)} 提交）`, en: `revision ${p.number}, submitted ${beijingMinute(p.at)}` };
}

export interface ReviewSummary {
  unitCode: string;
  unitName: string;
  year: number;
  template: Template;
  content: RevisionContent;
  /** Rule failures at the submit stage (with last year's cells): warnings, and errors if any. */
  issues: Issue[];
  deadline: number | null;
  submittedAt: number | null;
  submittedBy: string | null;
  previous: PreviousVersion | null;
  /** Against `previous`; null when there is none (a first submission). */
  diff: ContentDiff | null;
}

export interface ReviewSubject extends ReviewSummary {
  reportId: number;
  unitId: number;
  status: Status;
  /** The submitted revision (or, never submitted, the current one). */
  revisionId: number | null;
  revisionNumber: number | null;
  contentHash: string | null;
  publishedVersion: number;
  returnComment: string | null;
}

export function summarize(input: Omit<ReviewSummary, 'issues' | 'diff'> & { lastYear: Cells | null }): ReviewSummary {
  const { lastYear, ...rest } = input;
  return {
    ...rest,
    issues: validateReport(input.template, input.content, { stage: 'submit', previous: lastYear, year: input.year }),
    diff: input.previous ? diffContent(input.template, input.previous.content, input.content) : null,
  };
}

const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;

/**
 * The latest revision submitted (before `before`) or published — the newer by revision number, a
 * published one winning a tie — as "the last version" a submission is compared with.
 */
export async function previousVersion(db: Db, template: Template, reportId: number, before: number): Promise<PreviousVersion | null> {
  const row = await db.get<{ kind: 'submitted' | 'published'; at: number; version: number | null; number: number; sections: string; cells: string; explanations: string }>(
    sql`SELECT src.kind, src.at, src.version, rr.number, rr.sections, rr.cells, rr.explanations FROM (
          SELECT a.revision_id AS revision_id, 'submitted' AS kind, a.at AS at, NULL AS version
            FROM ${auditEvents} a WHERE a.report_id = ${reportId} AND a.action = 'report.submit' AND a.at < ${before}
          UNION ALL
          SELECT v.revision_id, 'published', v.published_at, v.version
            FROM ${reportVersions} v WHERE v.report_id = ${reportId} AND v.published_at < ${before}
        ) src JOIN ${reportRevisions} rr ON rr.id = src.revision_id
        ORDER BY rr.number DESC, src.kind = 'published' DESC, src.at DESC LIMIT 1`,
  );
  if (!row) return null;
  const content = normalContent(template, { sections: parse(row.sections), cells: parse(row.cells), explanations: parse(row.explanations) });
  return { kind: row.kind, number: row.number, at: row.at, version: row.version, content };
}

/** Which report: its id, its unit (id, code and name) and its year. */
const WHICH_REPORT = { reportId: reports.id, unitId: reports.unitId, unitCode: units.code, unitName: units.name, year: reports.year };

/** The report as a supervisor reviews it, or undefined when there is no such report. */
export async function loadReviewSubject(db: Db, reportId: number): Promise<ReviewSubject | undefined> {
  const [row] = await selectReportsWithUnits(db, {
    ...WHICH_REPORT,
    template: reports.template,
    status: reports.status,
    revisionId: reportRevisions.id,
    revisionNumber: reportRevisions.number,
    contentHash: reportRevisions.contentHash,
    sections: reportRevisions.sections,
    cells: reportRevisions.cells,
    explanations: reportRevisions.explanations,
    submittedAt: reports.submittedAt,
    deadline: cycles.deadline,
    publishedVersion: reports.publishedVersion,
    returnComment: reports.returnComment,
    submittedBy: submittedBy(reports.id),
  })
    // The submitted revision, or (never submitted) the current one.
    .leftJoin(reportRevisions, eq(reportRevisions.id, sql`coalesce(${reports.submittedRevisionId}, ${reports.currentRevisionId})`))
    .leftJoin(cycles, eq(cycles.year, reports.year))
    .where(eq(reports.id, reportId))
    .limit(1);
  if (!row) return undefined;
  const template = getTemplate(row.template);
  if (!template) throw new Error(`Report ${row.reportId} names an unknown template ${row.template}`);
  const [lastYear, previous] = await Promise.all([
    publishedCells(db, row.unitId, row.year - 1),
    row.revisionId === null ? null : previousVersion(db, template, row.reportId, row.submittedAt ?? Number.MAX_SAFE_INTEGER),
  ]);
  const stored: StoredContent = row;
  const summary = summarize({
    unitCode: row.unitCode,
    unitName: row.unitName,
    year: row.year,
    template,
    content: normalContent(template, row.revisionId === null ? {} : stored),
    deadline: row.deadline,
    submittedAt: row.submittedAt,
    submittedBy: row.submittedBy,
    previous,
    lastYear,
  });
  return {
    ...summary,
    reportId: row.reportId,
    unitId: row.unitId,
    status: row.status,
    revisionId: row.revisionId,
    revisionNumber: row.revisionNumber,
    contentHash: row.contentHash,
    publishedVersion: row.publishedVersion,
    returnComment: row.returnComment,
  };
}

/** A report by its unit's code and year, with what reopening it needs. */
export async function findUnitReport(db: Db, unitCode: string, year: number) {
  const [row] = await selectReportsWithUnits(db, {
    ...WHICH_REPORT,
    status: reports.status,
    revision: reports.revision,
    publishedVersion: reports.publishedVersion,
  })
    .where(and(eq(units.code, unitCode), eq(reports.year, year)))
    .limit(1);
  return row;
}
