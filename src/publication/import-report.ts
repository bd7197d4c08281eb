// Storing a report that was published elsewhere (POST /api/v1/admin/import): it becomes a
// published version exactly as filed. Rule failures are returned, never refused — history is
// published as it was. A unit/year already published gets a new version: a correction.
//
// One D1 batch (one transaction): the report row, a revision, then the version and its cells
// written by the same publishStatements an approval uses (src/reports/publish.ts), the audit
// event, and last the report's version number. The revision number is explicit, so two imports
// racing for the same report collide on a unique index and the loser's batch writes nothing
// (the route retries it once).
import { validate, type Cells, type Issue, type Template } from '../core';
import type { Viewer } from '../auth/scope';
import { getDb } from '../db/client';
import { publishStatements } from '../reports/publish';
import { publishedCells } from '../reports/published-cells';
import { contentHash, normalContent, type RevisionContent } from '../reports/revision-content';

export interface ImportRequest {
  unitId: number;
  year: number;
  template: Template;
  sections: Record<string, string>;
  cells: Cells;
  explanations: Record<string, string>;
  publishedAt: number;
  /** Why a published report gets a new version; default 「导入更正」. */
  reason?: string | undefined;
}

export type ImportOutcome =
  | { kind: 'created' | 'corrected' | 'unchanged'; version: number; issues: Issue[]; contentHash: string }
  /** The report is being reviewed: its review links must decide it first. */
  | { kind: 'under_review' }
  /** The year's reports (or its cycle) use another template: statistics need one per year. */
  | { kind: 'template_mismatch'; expected: string }
  /** A correction cannot predate the version it corrects. */
  | { kind: 'before_current'; currentPublishedAt: number };

/** Why a re-imported report is a new version when the administrator gave no reason. */
const IMPORT_CORRECTION_REASON = '导入更正';

interface ExistingReport {
  id: number;
  template: string;
  status: string;
  revision: number;
  published_version: number;
  current_published_at: number | null;
  current_hash: string | null;
}

async function existingReport(d1: D1Database, unitId: number, year: number) {
  return d1
    .prepare(
      `SELECT r.id, r.template, r.status, r.revision, r.published_version,
         v.published_at AS current_published_at, rr.content_hash AS current_hash
       FROM reports r
       LEFT JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
       LEFT JOIN report_revisions rr ON rr.id = v.revision_id
       WHERE r.unit_id = ?1 AND r.year = ?2`,
    )
    .bind(unitId, year)
    .first<ExistingReport>();
}

/** The template the year is bound to: its cycle's, or that of its other published reports. */
async function templateOfYear(d1: D1Database, year: number, exceptReport: number | null) {
  const row = await d1
    .prepare(
      `SELECT COALESCE((SELECT template FROM cycles WHERE year = ?1),
         (SELECT r.template FROM reports r JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
          WHERE r.year = ?1 AND r.id IS NOT ?2 LIMIT 1)) AS template`,
    )
    .bind(year, exceptReport)
    .first<{ template: string | null }>();
  return row?.template ?? null;
}

export async function importReport(d1: D1Database, input: ImportRequest, viewer: Viewer, now: number): Promise<ImportOutcome> {
  const { unitId, year, template } = input;
  const existing = await existingReport(d1, unitId, year);
  if (existing?.status === 'submitted') return { kind: 'under_review' };

  const bound = existing?.published_version ? existing.template : await templateOfYear(d1, year, existing?.id ?? null);
  if (bound && bound !== template.id) return { kind: 'template_mismatch', expected: bound };

  const content: RevisionContent = normalContent(template, {
    sections: input.sections,
    cells: input.cells,
    explanations: input.explanations,
  });
  const hash = await contentHash(content);
  const [previous, cycle] = await Promise.all([
    publishedCells(getDb(d1), unitId, year - 1),
    d1.prepare('SELECT deadline FROM cycles WHERE year = ?1').bind(year).first<{ deadline: number }>(),
  ]);
  const issues = validate(template, content.cells, { stage: 'draft', previous });

  if (existing?.current_hash === hash && existing.current_published_at === input.publishedAt) {
    return { kind: 'unchanged', version: existing.published_version, issues, contentHash: hash };
  }
  if (existing?.current_published_at != null && input.publishedAt < existing.current_published_at) {
    return { kind: 'before_current', currentPublishedAt: existing.current_published_at };
  }

  const revision = (existing?.revision ?? 0) + 1;
  const version = (existing?.published_version ?? 0) + 1;
  const reason = version === 1 ? null : input.reason?.trim() || IMPORT_CORRECTION_REASON;
  const onTime = cycle ? input.publishedAt <= cycle.deadline : null;
  const thisReport = '(SELECT id FROM reports WHERE unit_id = ?1 AND year = ?2)';

  // The report row first (without its new version number: the publication statements read the
  // number it had, through this guard), the version and its cells, then the number, last.
  const guard = 'r.unit_id = ?1 AND r.year = ?2 AND r.published_version = ?3';
  const writeReport = existing
    ? d1
        .prepare(
          `UPDATE reports SET imported = 1, revision = ?3, return_comment = NULL, updated_at = ?4
           WHERE id = ?5 AND revision = ?6 AND published_version = ?7`,
        )
        .bind(unitId, year, revision, now, existing.id, existing.revision, existing.published_version)
    : d1
        .prepare(
          `INSERT INTO reports (unit_id, year, template, status, expected, imported, revision, published_version, created_at, updated_at)
           VALUES (?1, ?2, ?3, 'draft', 1, 1, 1, 0, ?4, ?4)`,
        )
        .bind(unitId, year, template.id, now);

  await d1.batch([
    writeReport,
    d1
      .prepare(
        `INSERT INTO report_revisions (report_id, number, content_hash, sections, cells, explanations, author_id, created_at)
         VALUES (${thisReport}, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
      )
      .bind(
        unitId,
        year,
        revision,
        hash,
        JSON.stringify(content.sections),
        JSON.stringify(content.cells),
        JSON.stringify(content.explanations),
        viewer.personId,
        now,
      ),
    d1
      .prepare(
        `UPDATE reports SET current_revision_id = (SELECT id FROM report_revisions WHERE report_id = reports.id AND number = ?3)
         WHERE unit_id = ?1 AND year = ?2`,
      )
      .bind(unitId, year, revision),
    ...publishStatements(d1, {
      where: guard,
      params: [unitId, year, version - 1],
      revision: 'r.current_revision_id',
      publishedAt: input.publishedAt,
      reason,
      approvedBy: null,
      imported: true,
      onTime,
    }),
    d1
      .prepare(
        `INSERT INTO audit_events (at, actor_id, actor, action, report_id, unit_id, revision_id, from_status, to_status, comment, detail)
         SELECT ?3, ?4, ?5, 'report.import', r.id, r.unit_id, r.current_revision_id, ?6, 'published', ?7, ?8
         FROM reports r WHERE r.unit_id = ?1 AND r.year = ?2`,
      )
      .bind(
        unitId,
        year,
        now,
        viewer.personId,
        viewer.actor,
        existing?.status ?? null,
        reason,
        JSON.stringify({
          version,
          template: template.id,
          published_at: input.publishedAt,
          content_hash: hash,
          errors: issues.filter((i) => i.severity === 'error').length,
          warnings: issues.filter((i) => i.severity === 'warning').length,
        }),
      ),
    // Last: it changes what the guard above reads.
    d1
      .prepare(`UPDATE reports SET status = 'published', published_version = published_version + 1 WHERE unit_id = ?1 AND year = ?2 AND published_version = ?3`)
      .bind(unitId, year, version - 1),
  ]);
  return { kind: existing?.published_version ? 'corrected' : 'created', version, issues, contentHash: hash };
}
