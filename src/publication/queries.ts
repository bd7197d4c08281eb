// What the public may read: published versions only. Every query starts from report_versions
// (a row there is a publication), never from reports.status or a report's current revision,
// so a draft, a submitted report or a correction still in review can never leak.
//
// `within` limits a query to a unit and everything below it (a recursive CTE over parent_id).
// The list and statistics queries are SQL (drizzle's sql through db.all / db.get: the recursive
// CTE and the sums read better so, and `npm run bench` measures them); single rows use the
// query builder.
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { getTemplate, templateForYear, type Cells, type Template } from '../core';
import type { Db } from '../db/client';
import { selectReportsWithUnits } from '../db/joins';
import { cycles, publishedCells, reportRevisions, reports, reportVersions, units, type ReportVersion, type Unit } from '../db/schema';
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
 * The one template of a report year: the cycle's, else the one its published reports use,
 * else the official format for that year.
 */
export async function yearTemplate(db: Db, year: number): Promise<Template> {
  const row = await db.get<{ template: string | null }>(
    sql`SELECT COALESCE(
          (SELECT template FROM ${cycles} WHERE year = ${year}),
          (SELECT r.template FROM ${reports} r JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
           WHERE r.year = ${year} GROUP BY r.template ORDER BY count(*) DESC LIMIT 1)) AS template`,
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
 * Sums per cell, in SQL, over the current published version of each report of the year in
 * the scope (published_cells is the cells of every version as rows; see db/schema.ts).
 */
export async function yearStats(db: Db, year: number, within: string | null): Promise<YearStats> {
  const template = await yearTemplate(db, year);
  const scope = scopeCte(within);
  const [sums, count] = await db.batch([
    db.all<{ cell: string; total: number | null }>(
      // The versions first, then their cells through the (version_id, cell) key: each
      // version's rows sit together, where a scan of the (year, cell) index would jump
      // about the table for every row (several times slower at 3,000 reports).
      sql`${scope}
          SELECT pc.cell, round(sum(pc.value), 6) AS total
          FROM ${publishedCells} pc
          WHERE pc.version_id IN (
            SELECT v.id FROM ${reports} r JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
            WHERE r.year = ${year} AND r.template = ${template.id} AND r.unit_id IN (SELECT id FROM scope))
          GROUP BY pc.cell`,
    ),
    db.get<{ expected: number; published: number; onTime: number; lastPublishedAt: number | null }>(
      sql`${scope}
          SELECT
            (SELECT count(*) FROM ${reports} r WHERE r.year = ${year} AND r.expected = 1 AND r.unit_id IN (SELECT id FROM scope)) AS expected,
            count(v.id) AS published,
            coalesce(sum(v1.on_time = 1), 0) AS onTime,
            max(v.published_at) AS lastPublishedAt
          FROM ${reports} r
          JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
          LEFT JOIN ${reportVersions} v1 ON v1.report_id = r.id AND v1.version = 1
          WHERE r.year = ${year} AND r.template = ${template.id} AND r.unit_id IN (SELECT id FROM scope)`,
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
 * statistics page), each year with its template.
 */
export async function yearlySums(
  db: Db,
  cellsOf: (template: Template) => string[],
  within: string | null,
): Promise<{ year: number; template: Template; cells: Cells }[]> {
  const scope = scopeCte(within);
  const years = await db.all<{ year: number; template: string; n: number }>(
    sql`${scope}
        SELECT r.year, r.template, count(*) AS n FROM ${reports} r
        JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
        WHERE r.unit_id IN (SELECT id FROM scope) GROUP BY r.year, r.template ORDER BY r.year, n DESC`,
  );
  const templates = new Map<number, Template>();
  for (const y of years) if (!templates.has(y.year) && getTemplate(y.template)) templates.set(y.year, getTemplate(y.template)!);
  if (templates.size === 0) return [];

  const wanted = [...new Set([...templates.values()].flatMap(cellsOf))];
  const yearList = [...templates.keys()];
  const results = await db.all<{ year: number; cell: string; total: number | null }>(
    sql`${scope}
        SELECT pc.year, pc.cell, round(sum(pc.value), 6) AS total FROM ${publishedCells} pc
        WHERE pc.version_id IN (
            SELECT v.id FROM ${reports} r JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
            WHERE ${inJsonList(sql`r.year`, yearList)} AND r.unit_id IN (SELECT id FROM scope))
          AND ${inJsonList(sql`pc.cell`, wanted)}
        GROUP BY pc.year, pc.cell`,
  );
  return yearList.map((year) => ({
    year,
    template: templates.get(year)!,
    cells: Object.fromEntries(results.filter((r) => r.year === year).map((r) => [r.cell, r.total])),
  }));
}
