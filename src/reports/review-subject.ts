// What a supervisor decides on: the submitted revision, the rule summary at the submit stage
// (errors none by construction, warnings with the clerk's explanations), what changed since the
// last submitted or published version, and the deadline. The review mail and the review pages
// show the same summary, read by these functions.
import { getTemplate, validate, type Cells, type Issue, type Status, type Template } from '../core';
import { diffContent, type ContentDiff } from '../core/diff';
import { beijingMinute } from '../core/time';
import type { Db } from '../db/client';
import type { Localized } from '../core/i18n';
import { normalContent, type RevisionContent } from './revision-content';
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
    issues: validate(input.template, input.content.cells, { stage: 'submit', previous: lastYear }),
    diff: input.previous ? diffContent(input.template, input.previous.content, input.content) : null,
  };
}

interface RevisionRow {
  number: number;
  sections: string;
  cells: string;
  explanations: string;
}

const parse = (text: string | null) => (text ? (JSON.parse(text) as Record<string, unknown>) : {});

const contentOf = (template: Template, row: RevisionRow): RevisionContent =>
  normalContent(template, { sections: parse(row.sections), cells: parse(row.cells), explanations: parse(row.explanations) });

/**
 * The latest revision submitted (before `before`) or published — the newer by revision number, a
 * published one winning a tie — as "the last version" a submission is compared with.
 */
export async function previousVersion(db: Db, template: Template, reportId: number, before: number): Promise<PreviousVersion | null> {
  const row = await db.$client
    .prepare(
      `SELECT src.kind, src.at, src.version, rr.number, rr.sections, rr.cells, rr.explanations FROM (
         SELECT a.revision_id AS revision_id, 'submitted' AS kind, a.at AS at, NULL AS version
           FROM audit_events a WHERE a.report_id = ?1 AND a.action = 'report.submit' AND a.at < ?2
         UNION ALL
         SELECT v.revision_id, 'published', v.published_at, v.version
           FROM report_versions v WHERE v.report_id = ?1 AND v.published_at < ?2
       ) src JOIN report_revisions rr ON rr.id = src.revision_id
       ORDER BY rr.number DESC, src.kind = 'published' DESC, src.at DESC LIMIT 1`,
    )
    .bind(reportId, before)
    .first<RevisionRow & { kind: 'submitted' | 'published'; at: number; version: number | null }>();
  if (!row) return null;
  return { kind: row.kind, number: row.number, at: row.at, version: row.version, content: contentOf(template, row) };
}

interface SubjectRow extends RevisionRow {
  report_id: number;
  unit_id: number;
  unit_code: string;
  unit_name: string;
  year: number;
  template: string;
  status: Status;
  revision_id: number | null;
  content_hash: string | null;
  submitted_at: number | null;
  deadline: number | null;
  published_version: number;
  return_comment: string | null;
  submitted_by: string | null;
}

/** The report as a supervisor reviews it, or undefined when there is no such report. */
export async function loadReviewSubject(db: Db, reportId: number): Promise<ReviewSubject | undefined> {
  const row = await db.$client
    .prepare(
      `SELECT r.id AS report_id, r.unit_id, u.code AS unit_code, u.name AS unit_name, r.year, r.template, r.status,
         rr.id AS revision_id, rr.number, rr.content_hash, rr.sections, rr.cells, rr.explanations,
         r.submitted_at, c.deadline, r.published_version, r.return_comment,
         (SELECT coalesce(p.name, a.actor) FROM audit_events a LEFT JOIN people p ON p.id = a.actor_id
           WHERE a.report_id = r.id AND a.action = 'report.submit' ORDER BY a.id DESC LIMIT 1) AS submitted_by
       FROM reports r
       JOIN units u ON u.id = r.unit_id
       LEFT JOIN report_revisions rr ON rr.id = coalesce(r.submitted_revision_id, r.current_revision_id)
       LEFT JOIN cycles c ON c.year = r.year
       WHERE r.id = ?1`,
    )
    .bind(reportId)
    .first<SubjectRow>();
  if (!row) return undefined;
  const template = getTemplate(row.template);
  if (!template) throw new Error(`Report ${row.report_id} names an unknown template ${row.template}`);
  const [lastYear, previous] = await Promise.all([
    publishedCells(db, row.unit_id, row.year - 1),
    row.revision_id === null ? null : previousVersion(db, template, row.report_id, row.submitted_at ?? Number.MAX_SAFE_INTEGER),
  ]);
  const summary = summarize({
    unitCode: row.unit_code,
    unitName: row.unit_name,
    year: row.year,
    template,
    content: row.revision_id === null ? normalContent(template) : contentOf(template, row),
    deadline: row.deadline,
    submittedAt: row.submitted_at,
    submittedBy: row.submitted_by,
    previous,
    lastYear,
  });
  return {
    ...summary,
    reportId: row.report_id,
    unitId: row.unit_id,
    status: row.status,
    revisionId: row.revision_id,
    revisionNumber: row.revision_id === null ? null : row.number,
    contentHash: row.content_hash,
    publishedVersion: row.published_version,
    returnComment: row.return_comment,
  };
}

/** A report by its unit's code and year, with what reopening it needs. */
export async function findUnitReport(db: Db, unitCode: string, year: number) {
  return (
    (await db.$client
      .prepare(
        `SELECT r.id AS reportId, r.unit_id AS unitId, u.code AS unitCode, u.name AS unitName, r.year, r.status, r.revision,
           r.published_version AS publishedVersion
         FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.code = ?1 AND r.year = ?2`,
      )
      .bind(unitCode, year)
      .first<{ reportId: number; unitId: number; unitCode: string; unitName: string; year: number; status: Status; revision: number; publishedVersion: number }>()) ??
    undefined
  );
}
