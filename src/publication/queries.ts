// What the public may read: published versions only. Every query starts from report_versions
// (a row there is a publication), never from reports.status or a report's current revision,
// so a draft, a submitted report or a correction still in review can never leak.
//
// `within` limits a query to a unit and everything below it (a recursive CTE over parent_id).
// The list and statistics queries are SQL (drizzle's sql through db.all / db.get: the recursive
// CTE and the sums read better so, and `npm run bench` measures them); single rows use the
// query builder. The statistics read the rollups (src/db/rollups.ts): sums per unit subtree
// kept by the batches that publish, so their cost does not grow with the number of reports.
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { getTemplate, templateForYear, type Cells, type Template } from '../core';
import type { Db } from '../db/client';
import { selectReportsWithUnits } from '../db/joins';
import { cycles, reportRevisions, reports, reportVersions, rollupCells, rollupCounts, units, type ReportVersion, type Unit } from '../db/schema';
import { inJsonList } from '../reports/json-list';
import { normalContent, type RevisionContent } from '../reports/revision-content';

/** A published version as lists show it. */
export interface PublishedVersion {
  unitCode: string;
  unitName: string;
  year: number;
  template: string;
  version: number;
  publishedAt: number;
  /** Version 1 (the publication itself) made the deadline; null without a deadline (imports). */
  onTime: boolean | null;
  imported: boolean;
  reason: string | null;
  /** When version 1 was published. */
  firstPublishedAt: number;
}

/** A version row as the list queries select it (SQLite booleans are 0/1). */
export type VersionRow = Omit<PublishedVersion, 'onTime' | 'imported'> & { onTime: number | null; imported: number };

const bool = (v: number | null) => (v === null ? null : v === 1);

export const toVersion = (r: VersionRow): PublishedVersion => ({
  unitCode: r.unitCode,
  unitName: r.unitName,
  year: r.year,
  template: r.template,
  version: r.version,
  publishedAt: r.publishedAt,
  onTime: bool(r.onTime),
  imported: r.imported === 1,
  reason: r.reason,
  firstPublishedAt: r.firstPublishedAt,
});

/** `scope(id)`: the unit `within` and every unit below it, or every unit when there is no `within`. */
export const scopeCte = (within: string | null) =>
  within
    ? sql`WITH RECURSIVE scope(id) AS (
         SELECT id FROM ${units} WHERE code = ${within}
         UNION SELECT u.id FROM ${units} u JOIN scope s ON u.parent_id = s.id)`
    : sql`WITH scope(id) AS (SELECT id FROM ${units})`;

export const VERSION_COLUMNS = sql`u.code AS unitCode, u.name AS unitName, r.year, r.template, v.version, v.published_at AS publishedAt,
  v1.on_time AS onTime, v.imported, v.reason, coalesce(v1.published_at, v.published_at) AS firstPublishedAt`;

export const VERSION_JOINS = sql`FROM ${reportVersions} v
  JOIN ${reports} r ON r.id = v.report_id
  JOIN ${units} u ON u.id = r.unit_id
  LEFT JOIN ${reportVersions} v1 ON v1.report_id = r.id AND v1.version = 1`;

/** `AND condition` when there is something to compare with, else nothing. */
export const andIf = <T>(value: T | null | undefined, condition: (value: T) => SQL) =>
  value === null || value === undefined ? sql`` : sql`AND ${condition(value)}`;

export type UnitRow = Pick<Unit, 'code' | 'name' | 'active'> & { parent: string | null };

export async function findUnit(db: Db, code: string): Promise<Pick<Unit, 'id' | 'code' | 'name'> | null> {
  const [unit] = await db.select({ id: units.id, code: units.code, name: units.name }).from(units).where(eq(units.code, code)).limit(1);
  return unit ?? null;
}

export async function listUnits(db: Db, within: string | null): Promise<UnitRow[]> {
  const rows = await db.all<Omit<UnitRow, 'active'> & { active: number }>(
    sql`${scopeCte(within)}
        SELECT u.code, u.name, p.code AS parent, u.active FROM ${units} u
        LEFT JOIN ${units} p ON p.id = u.parent_id
        WHERE u.id IN (SELECT id FROM scope) ORDER BY u.code`,
  );
  return rows.map((r) => ({ ...r, active: r.active === 1 }));
}

export interface ReportFilter {
  year?: number | undefined;
  unit?: string | undefined;
  within?: string | undefined;
}

/** The current version of every published report, newest publication first. */
export async function listPublished(db: Db, filter: ReportFilter): Promise<PublishedVersion[]> {
  const rows = await db.all<VersionRow>(
    sql`${scopeCte(filter.within ?? null)}
        SELECT ${VERSION_COLUMNS} ${VERSION_JOINS}
        WHERE v.is_current = 1 AND r.unit_id IN (SELECT id FROM scope)
          ${andIf(filter.year, (year) => sql`r.year = ${year}`)} ${andIf(filter.unit, (unit) => sql`u.code = ${unit}`)}
        ORDER BY v.published_at DESC, r.year DESC, u.code`,
  );
  return rows.map(toVersion);
}

/** Every published version (first publications and corrections), newest first, for the feed. */
export async function listVersions(
  db: Db,
  filter: ReportFilter & { limit: number; offset: number },
): Promise<(PublishedVersion & { cells: string; versionId: number })[]> {
  const rows = await db.all<VersionRow & { cells: string; versionId: number }>(
    sql`${scopeCte(filter.within ?? null)}
        SELECT ${VERSION_COLUMNS}, v.id AS versionId, rr.cells ${VERSION_JOINS}
        JOIN ${reportRevisions} rr ON rr.id = v.revision_id
        WHERE r.unit_id IN (SELECT id FROM scope) ${andIf(filter.year, (year) => sql`r.year = ${year}`)}
        ORDER BY v.published_at DESC, v.id DESC
        LIMIT ${filter.limit} OFFSET ${filter.offset}`,
  );
  return rows.map((r) => ({ ...toVersion(r), cells: r.cells, versionId: r.versionId }));
}

export type VersionEntry = Pick<ReportVersion, 'version' | 'publishedAt' | 'submittedAt' | 'onTime' | 'reason' | 'imported'> & {
  current: boolean;
};

export interface PublishedReport {
  unitCode: string;
  unitName: string;
  year: number;
  template: Template;
  /** The version shown (the current one unless another was asked for). */
  shown: VersionEntry;
  /** All versions, oldest first. */
  versions: VersionEntry[];
  deadline: number | null;
  content: RevisionContent;
  contentHash: string;
}

/**
 * A unit's published report of a year: the current version, or `version`. Undefined when the
 * unit, the report, or that version does not exist or was never published.
 */
export async function loadPublished(db: Db, unitCode: string, year: number, version?: number): Promise<PublishedReport | undefined> {
  const [head] = await selectReportsWithUnits(db, { id: reports.id, code: units.code, name: units.name, year: reports.year, template: reports.template, deadline: cycles.deadline })
    .leftJoin(cycles, eq(cycles.year, reports.year))
    .where(and(eq(units.code, unitCode), eq(reports.year, year)))
    .limit(1);
  const template = head && getTemplate(head.template);
  if (!head || !template) return undefined;

  const versions = await db
    .select({
      version: reportVersions.version,
      publishedAt: reportVersions.publishedAt,
      submittedAt: reportVersions.submittedAt,
      onTime: reportVersions.onTime,
      reason: reportVersions.reason,
      imported: reportVersions.imported,
      current: reportVersions.isCurrent,
      revisionId: reportVersions.revisionId,
    })
    .from(reportVersions)
    .where(eq(reportVersions.reportId, head.id))
    .orderBy(asc(reportVersions.version));
  const shown = version === undefined ? versions.find((v) => v.current) : versions.find((v) => v.version === version);
  if (!shown) return undefined;

  const [revision] = await db
    .select({
      sections: reportRevisions.sections,
      cells: reportRevisions.cells,
      explanations: reportRevisions.explanations,
      contentHash: reportRevisions.contentHash,
    })
    .from(reportRevisions)
    .where(eq(reportRevisions.id, shown.revisionId))
    .limit(1);
  if (!revision) return undefined;
  const entry = ({ revisionId: _, ...v }: (typeof versions)[number]): VersionEntry => v;
  return {
    unitCode: head.code,
    unitName: head.name,
    year: head.year,
    template,
    shown: entry(shown),
    versions: versions.map(entry),
    deadline: head.deadline,
    content: normalContent(template, revision),
    contentHash: revision.contentHash,
  };
}

/** A unit's current published reports, newest year first, with their cells (for its page). */
export async function unitPublications(db: Db, unitId: number): Promise<(PublishedVersion & { cells: Cells })[]> {
  const rows = await db.all<VersionRow & { cells: string }>(
    sql`SELECT ${VERSION_COLUMNS}, rr.cells ${VERSION_JOINS}
        JOIN ${reportRevisions} rr ON rr.id = v.revision_id
        WHERE v.is_current = 1 AND r.unit_id = ${unitId} ORDER BY r.year DESC`,
  );
  return rows.map((r) => ({ ...toVersion(r), cells: JSON.parse(r.cells) as Cells }));
}

/**
 * The units whose rollups (src/db/rollups.ts) answer for `within`: that unit alone, its subtree
 * being summed in its rows already; without `within`, the roots, whose subtrees are every unit.
 */
const rollupScope = (within: string | null) =>
  within ? sql`(SELECT id FROM ${units} WHERE code = ${within})` : sql`(SELECT id FROM ${units} WHERE parent_id IS NULL)`;

/** A rollup sum as the statistics show it: null when every value summed was blank. */
const ROLLUP_TOTAL = sql`CASE WHEN sum(rc.filled) > 0 THEN round(sum(rc.total), 6) END`;

/**
 * The one template of a report year: the cycle's, else the one most of its published reports
 * use, else the official format for that year.
 */
export async function yearTemplate(db: Db, year: number): Promise<Template> {
  const row = await db.get<{ template: string | null }>(
    sql`SELECT COALESCE(
          (SELECT template FROM ${cycles} WHERE year = ${year}),
          (SELECT template FROM ${rollupCounts} WHERE year = ${year} AND unit_id IN ${rollupScope(null)}
           GROUP BY template HAVING sum(published) > 0 ORDER BY sum(published) DESC LIMIT 1)) AS template`,
  );
  return (row?.template && getTemplate(row.template)) || templateForYear(year);
}

export interface YearStats {
  year: number;
  template: Template;
  unitsExpected: number;
  unitsPublished: number;
  unitsOnTime: number;
  /** Every cell of the template: the sum over the published reports, null where all are blank. */
  cells: Cells;
  /** The newest publication counted (for Last-Modified); null when nothing is published. */
  lastPublishedAt: number | null;
}

/**
 * Sums per cell over the current published version of each report of the year in the scope,
 * in the year's template: read from the rollups, one row per cell (per root without `within`),
 * so the cost does not grow with the number of reports.
 */
export async function yearStats(db: Db, year: number, within: string | null): Promise<YearStats> {
  const template = await yearTemplate(db, year);
  const scope = rollupScope(within);
  const [sums, count] = await db.batch([
    db.all<{ cell: string; total: number | null }>(
      sql`SELECT rc.cell, ${ROLLUP_TOTAL} AS total FROM ${rollupCells} rc
          WHERE rc.year = ${year} AND rc.template = ${template.id} AND rc.unit_id IN ${scope}
          GROUP BY rc.cell`,
    ),
    db.get<{ expected: number; published: number; onTime: number; lastPublishedAt: number | null }>(
      // Expected counts every report of the year, whatever its template; the rest the year's template.
      sql`SELECT
            (SELECT coalesce(sum(expected), 0) FROM ${rollupCounts} WHERE year = ${year} AND unit_id IN ${scope}) AS expected,
            coalesce(sum(rc.published), 0) AS published,
            coalesce(sum(rc.on_time), 0) AS onTime,
            max(rc.last_published_at) AS lastPublishedAt
          FROM ${rollupCounts} rc
          WHERE rc.year = ${year} AND rc.template = ${template.id} AND rc.unit_id IN ${scope}`,
    ),
  ]);
  const totals = new Map(sums.map((r) => [r.cell, r.total]));
  const cells: Cells = {};
  for (const table of template.tables) {
    for (const row of table.rows) {
      for (const column of table.columns) {
        const key = `${table.key}.${row.key}.${column.key}`;
        cells[key] = totals.get(key) ?? null;
      }
    }
  }
  return {
    year,
    template,
    unitsExpected: count.expected,
    unitsPublished: count.published,
    unitsOnTime: count.onTime,
    cells,
    lastPublishedAt: count.lastPublishedAt,
  };
}

/**
 * Sums of a few cells for every year with publications in the scope (the trend charts of the
 * statistics page), each year with its template (the one most of its reports use): from the
 * rollups, every template of the year summed.
 */
export async function yearlySums(
  db: Db,
  cellsOf: (template: Template) => string[],
  within: string | null,
): Promise<{ year: number; template: Template; cells: Cells }[]> {
  const scope = rollupScope(within);
  const years = await db.all<{ year: number; template: string; n: number }>(
    sql`SELECT rc.year, rc.template, sum(rc.published) AS n FROM ${rollupCounts} rc
        WHERE rc.unit_id IN ${scope} GROUP BY rc.year, rc.template HAVING n > 0 ORDER BY rc.year, n DESC`,
  );
  const templates = new Map<number, Template>();
  for (const y of years) if (!templates.has(y.year) && getTemplate(y.template)) templates.set(y.year, getTemplate(y.template)!);
  if (templates.size === 0) return [];

  const wanted = [...new Set([...templates.values()].flatMap(cellsOf))];
  const yearList = [...templates.keys()];
  const results = await db.all<{ year: number; cell: string; total: number | null }>(
    sql`SELECT rc.year, rc.cell, ${ROLLUP_TOTAL} AS total FROM ${rollupCells} rc
        WHERE rc.unit_id IN ${scope} AND ${inJsonList(sql`rc.year`, yearList)} AND ${inJsonList(sql`rc.cell`, wanted)}
        GROUP BY rc.year, rc.cell HAVING sum(rc.present) > 0`,
  );
  return yearList.map((year) => ({
    year,
    template: templates.get(year)!,
    cells: Object.fromEntries(results.filter((r) => r.year === year).map((r) => [r.cell, r.total])),
  }));
}
