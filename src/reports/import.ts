// Storing a report that was published elsewhere (POST /api/v1/admin/import): it becomes a
// published version exactly as filed. Rule failures are returned, never refused — history is
// published as it was. A unit/year already published gets a new version: a correction.
//
// One D1 batch (one transaction): the report row, a revision written as a save writes one
// (revisions.ts), then the version and its cells written by the same publishStatements an
// approval uses (publish.ts), the audit event, and last the report's version number. Every
// statement after the report row reads it through one guard — the revision and version numbers
// this import counts on — and the last one changes what the guard reads. The revision number is
// explicit, so two imports racing for the same report collide on a unique index and the loser's
// batch writes nothing (the route retries it once).
//
// The bulk import (POST /api/v1/admin/import/bulk) runs the very same planImport() for each of
// its reports, over states read for all of them at once (readStates), and puts every report's
// statements into one batch of its own.
import { and, eq, ne, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { validate, type Cells, type Issue, type Template } from '../core';
import type { Viewer } from '../auth/scope';
import type { Db } from '../db/client';
import { expectedRollups } from '../db/rollups';
import { cycles, reportRevisions, reports, reportVersions } from '../db/schema';
import { reportEvent } from './audit-trail';
import { publishStatements } from './publish';
import { publishedCells } from './published-cells';
import { contentHash, normalContent, type RevisionContent } from './revision-content';
import { insertRevision, revisionNumbered } from './revisions';

/** A report published elsewhere: its unit, year and template, its content (put in normal form here), when it was published. */
export interface ImportRequest extends RevisionContent {
  unitId: number;
  year: number;
  template: Template;
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

/** What an import reads of a report before writing it: the row, the year's template, last year's cells, the deadline. */
export interface ImportState {
  existing: ExistingReport | undefined;
  /** The template the year is bound to by its cycle or its other published reports (null: not yet bound). */
  yearTemplate: string | null;
  /** Last year's published cells of the unit, for the cross-year rules (issues only). */
  previous: Cells | null;
  deadline: number | null;
}

type ExistingReport = {
  id: number;
  template: string;
  status: string;
  revision: number;
  publishedVersion: number;
  currentPublishedAt: number | null;
  currentHash: string | null;
};

async function existingReport(db: Db, unitId: number, year: number): Promise<ExistingReport | undefined> {
  const [row] = await db
    .select({
      id: reports.id,
      template: reports.template,
      status: reports.status,
      revision: reports.revision,
      publishedVersion: reports.publishedVersion,
      currentPublishedAt: reportVersions.publishedAt,
      currentHash: reportRevisions.contentHash,
    })
    .from(reports)
    .leftJoin(reportVersions, and(eq(reportVersions.reportId, reports.id), eq(reportVersions.isCurrent, true)))
    .leftJoin(reportRevisions, eq(reportRevisions.id, reportVersions.revisionId))
    .where(and(eq(reports.unitId, unitId), eq(reports.year, year)))
    .limit(1);
  return row;
}

/** The template the year is bound to: its cycle's, or that of its other published reports. */
async function templateOfYear(db: Db, year: number, exceptReport: number | null) {
  const row = await db.get<{ template: string | null }>(
    sql`SELECT COALESCE((SELECT template FROM ${cycles} WHERE year = ${year}),
          (SELECT r.template FROM ${reports} r JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
           WHERE r.year = ${year} AND r.id IS NOT ${exceptReport} LIMIT 1)) AS template`,
  );
  return row?.template ?? null;
}

async function readState(db: Db, unitId: number, year: number): Promise<ImportState> {
  const existing = await existingReport(db, unitId, year);
  const yearTemplate = existing?.publishedVersion ? existing.template : await templateOfYear(db, year, existing?.id ?? null);
  const [previous, [cycle]] = await Promise.all([
    publishedCells(db, unitId, year - 1),
    db.select({ deadline: cycles.deadline }).from(cycles).where(eq(cycles.year, year)).limit(1),
  ]);
  return { existing, yearTemplate, previous, deadline: cycle?.deadline ?? null };
}

/** Finite numbers and blanks only, as publishedCells() gives them. */
function numericCells(raw: Record<string, unknown>): Cells {
  const cells: Cells = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || (typeof value === 'number' && Number.isFinite(value))) cells[key] = value;
  }
  return cells;
}

/**
 * The states of many reports at once (the bulk import), in a handful of queries whatever their
 * number — a Worker may send D1 at most 1,000 queries per invocation: the rows of every
 * (unit, year) asked for, last year's cells of each, and per distinct year its cycle and the
 * template its published reports use. Each pair list is one bound JSON parameter.
 */
export async function readStates(db: Db, keys: { unitId: number; year: number }[]): Promise<ImportState[]> {
  const pairs = JSON.stringify(keys.map((k) => [k.unitId, k.year]));
  const lastYears = JSON.stringify(keys.map((k) => [k.unitId, k.year - 1]));
  const years = [...new Set(keys.map((k) => k.year))];
  const [rows, previousRows, yearRows] = await Promise.all([
    db.all<ExistingReport & { unitId: number; year: number }>(
      sql`SELECT r.id, r.unit_id AS unitId, r.year, r.template, r.status, r.revision, r.published_version AS publishedVersion,
            v.published_at AS currentPublishedAt, rr.content_hash AS currentHash
          FROM json_each(${pairs}) j
          JOIN ${reports} r ON r.unit_id = json_extract(j.value, '$[0]') AND r.year = json_extract(j.value, '$[1]')
          LEFT JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
          LEFT JOIN ${reportRevisions} rr ON rr.id = v.revision_id`,
    ),
    db.all<{ unitId: number; year: number; cells: string }>(
      sql`SELECT r.unit_id AS unitId, r.year, rr.cells
          FROM json_each(${lastYears}) j
          JOIN ${reports} r ON r.unit_id = json_extract(j.value, '$[0]') AND r.year = json_extract(j.value, '$[1]')
          JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
          JOIN ${reportRevisions} rr ON rr.id = v.revision_id`,
    ),
    db.all<{ year: number; template: string | null; deadline: number | null }>(
      sql`SELECT j.value AS year,
            COALESCE((SELECT template FROM ${cycles} WHERE year = j.value),
              (SELECT r.template FROM ${reports} r JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
               WHERE r.year = j.value LIMIT 1)) AS template,
            (SELECT deadline FROM ${cycles} WHERE year = j.value) AS deadline
          FROM json_each(${JSON.stringify(years)}) j`,
    ),
  ]);
  const key = (unitId: number, year: number) => `${unitId}/${year}`;
  const existing = new Map(rows.map(({ unitId, year, ...row }) => [key(unitId, year), row]));
  const previous = new Map(previousRows.map((r) => [key(r.unitId, r.year), numericCells(JSON.parse(r.cells) as Record<string, unknown>)]));
  const byYear = new Map(yearRows.map((r) => [r.year, r]));
  return keys.map(({ unitId, year }) => {
    const row = existing.get(key(unitId, year));
    return {
      existing: row,
      // A report not yet published cannot bind its own year, so "its other reports" are all of them.
      yearTemplate: row?.publishedVersion ? row.template : (byYear.get(year)?.template ?? null),
      previous: previous.get(key(unitId, year - 1)) ?? null,
      deadline: byYear.get(year)?.deadline ?? null,
    };
  });
}

export async function importReport(db: Db, input: ImportRequest, viewer: Viewer, now: number): Promise<ImportOutcome> {
  const outcome = await importOnce(db, input, viewer, now);
  if (outcome !== 'changed_meanwhile') return outcome;
  // The report changed between reading it and the batch (a save, a submission): read it again.
  const again = await importOnce(db, input, viewer, now);
  if (again === 'changed_meanwhile') throw new Error(`Report ${input.unitId}/${input.year} kept changing while it was imported`);
  return again;
}

async function importOnce(db: Db, input: ImportRequest, viewer: Viewer, now: number): Promise<ImportOutcome | 'changed_meanwhile'> {
  const plan = await planImport(db, input, await readState(db, input.unitId, input.year), viewer, now);
  if (!plan.writes) return plan.outcome;
  const results = await db.batch(plan.writes);
  if (results[results.length - 1]!.meta.changes !== 1) return 'changed_meanwhile';
  return plan.outcome;
}

/** The state an import counts on, as the bulk import checks it after its batch: see importedCheck(). */
export interface ImportedReport {
  unitId: number;
  year: number;
  revision: number;
  version: number;
}

export interface ImportPlan {
  outcome: ImportOutcome;
  /** The guarded statements for a batch (none when nothing is to be written); the last one changes what the guard reads. */
  writes?: [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];
  /** What the report row reads once the writes have happened. */
  after?: ImportedReport;
}

/**
 * The outcome of importing `input` over `state`, and when something is to be written, the
 * statements that write it (for one batch of its own, or with others in the bulk import's).
 */
export async function planImport(db: Db, input: ImportRequest, state: ImportState, viewer: Viewer, now: number): Promise<ImportPlan> {
  const { unitId, year, template } = input;
  const { existing } = state;
  if (existing?.status === 'submitted') return { outcome: { kind: 'under_review' } };

  const bound = state.yearTemplate;
  if (bound && bound !== template.id) return { outcome: { kind: 'template_mismatch', expected: bound } };

  const content: RevisionContent = normalContent(template, input);
  const hash = await contentHash(content);
  const issues = validate(template, content.cells, { stage: 'draft', previous: state.previous });

  if (existing?.currentHash === hash && existing.currentPublishedAt === input.publishedAt) {
    return { outcome: { kind: 'unchanged', version: existing.publishedVersion, issues, contentHash: hash } };
  }
  if (existing?.currentPublishedAt != null && input.publishedAt < existing.currentPublishedAt) {
    return { outcome: { kind: 'before_current', currentPublishedAt: existing.currentPublishedAt } };
  }

  const revision = (existing?.revision ?? 0) + 1;
  const version = (existing?.publishedVersion ?? 0) + 1;
  const reason = version === 1 ? null : input.reason?.trim() || IMPORT_CORRECTION_REASON;
  const onTime = state.deadline !== null ? input.publishedAt <= state.deadline : null;

  // The report row first: a new one, or the one read above if nobody changed it meanwhile.
  const writeReport = existing
    ? db
        .update(reports)
        .set({ imported: true, revision, returnComment: null, updatedAt: now })
        .where(
          and(
            eq(reports.id, existing.id),
            eq(reports.revision, existing.revision),
            eq(reports.publishedVersion, existing.publishedVersion),
            ne(reports.status, 'submitted'),
          ),
        )
    : db.insert(reports).values({
        unitId,
        year,
        template: template.id,
        status: 'draft',
        expected: true,
        imported: true,
        revision,
        publishedVersion: 0,
        createdAt: now,
        updatedAt: now,
      });
  // Over `reports r`: that row, as this import left it. The version number changes last.
  const guard = sql`r.unit_id = ${unitId} AND r.year = ${year} AND r.revision = ${revision} AND r.published_version = ${version - 1}`;

  const writes: ImportPlan['writes'] = [
    writeReport,
    // A report created here is expected (the statistics count it): so in the rollups too.
    ...(existing ? [] : [expectedRollups(db, sql`SELECT r.unit_id, r.year, r.template, 1 FROM ${reports} r WHERE ${guard}`)]),
    insertRevision(db, guard, { number: revision, contentHash: hash, content, authorId: viewer.personId, at: now }),
    db.run(sql`UPDATE ${reports} AS r SET current_revision_id = ${revisionNumbered(revision)} WHERE ${guard}`),
    ...publishStatements(db, {
      where: guard,
      revision: sql`r.current_revision_id`,
      publishedAt: input.publishedAt,
      reason,
      approvedBy: null,
      imported: true,
      onTime,
    }),
    reportEvent(db, {
      where: guard,
      at: now,
      actorId: viewer.personId,
      actor: viewer.actor,
      action: 'report.import',
      revision: sql`r.current_revision_id`,
      from: existing?.status ?? null,
      to: 'published',
      comment: reason,
      detail: {
        version,
        template: template.id,
        published_at: input.publishedAt,
        content_hash: hash,
        errors: issues.filter((i) => i.severity === 'error').length,
        warnings: issues.filter((i) => i.severity === 'warning').length,
      },
    }),
    // Last: it changes what the guard reads.
    db.run(sql`UPDATE ${reports} AS r SET status = 'published', published_version = published_version + 1 WHERE ${guard}`),
  ];
  return {
    outcome: { kind: existing?.publishedVersion ? 'corrected' : 'created', version, issues, contentHash: hash },
    writes,
    after: { unitId, year, revision, version },
  };
}
