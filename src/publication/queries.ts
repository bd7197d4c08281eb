// What the public may read: published versions only. Every query starts from report_versions
// (a row there is a publication), never from reports.status or a report's current revision,
// so a draft, a submitted report or a correction still in review can never leak.
//
// `within` limits a query to a unit and everything below it (a recursive CTE over parent_id).
import { getTemplate, templateForYear, type Cells, type Template } from '../core';
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

interface VersionRow {
  unit_code: string;
  unit_name: string;
  year: number;
  template: string;
  version: number;
  published_at: number;
  on_time: number | null;
  imported: number;
  reason: string | null;
  first_published_at: number | null;
}

const bool = (v: number | null) => (v === null ? null : v === 1);

const toVersion = (r: VersionRow): PublishedVersion => ({
  unitCode: r.unit_code,
  unitName: r.unit_name,
  year: r.year,
  template: r.template,
  version: r.version,
  publishedAt: r.published_at,
  onTime: bool(r.on_time),
  imported: r.imported === 1,
  reason: r.reason,
  firstPublishedAt: r.first_published_at ?? r.published_at,
});

/** `scope(id)`: the unit ?1 and every unit below it, or every unit when there is no `within`. */
const scopeCte = (within: string | null) =>
  within
    ? `WITH RECURSIVE scope(id) AS (
         SELECT id FROM units WHERE code = ?1
         UNION SELECT u.id FROM units u JOIN scope s ON u.parent_id = s.id)`
    : `WITH scope(id) AS (SELECT id FROM units)`;

const VERSION_COLUMNS = `u.code AS unit_code, u.name AS unit_name, r.year, r.template, v.version, v.published_at,
  v1.on_time AS on_time, v.imported, v.reason, v1.published_at AS first_published_at`;

const VERSION_JOINS = `FROM report_versions v
  JOIN reports r ON r.id = v.report_id
  JOIN units u ON u.id = r.unit_id
  LEFT JOIN report_versions v1 ON v1.report_id = r.id AND v1.version = 1`;

export interface UnitRow {
  code: string;
  name: string;
  parent: string | null;
  active: boolean;
}

export async function findUnit(d1: D1Database, code: string): Promise<{ id: number; code: string; name: string } | null> {
  return d1.prepare('SELECT id, code, name FROM units WHERE code = ?1').bind(code).first();
}

export async function listUnits(d1: D1Database, within: string | null): Promise<UnitRow[]> {
  const { results } = await d1
    .prepare(
      `${scopeCte(within)}
       SELECT u.code, u.name, p.code AS parent, u.active FROM units u
       LEFT JOIN units p ON p.id = u.parent_id
       WHERE u.id IN (SELECT id FROM scope) ORDER BY u.code`,
    )
    .bind(...(within ? [within] : []))
    .all<{ code: string; name: string; parent: string | null; active: number }>();
  return results.map((r) => ({ ...r, active: r.active === 1 }));
}

export interface ReportFilter {
  year?: number | undefined;
  unit?: string | undefined;
  within?: string | undefined;
}

/** The current version of every published report, newest publication first. */
export async function listPublished(d1: D1Database, filter: ReportFilter): Promise<PublishedVersion[]> {
  const within = filter.within ?? null;
  const { results } = await d1
    .prepare(
      `${scopeCte(within)}
       SELECT ${VERSION_COLUMNS} ${VERSION_JOINS}
       WHERE v.is_current = 1 AND r.unit_id IN (SELECT id FROM scope)
         AND (?2 IS NULL OR r.year = ?2) AND (?3 IS NULL OR u.code = ?3)
       ORDER BY v.published_at DESC, r.year DESC, u.code`,
    )
    .bind(within, filter.year ?? null, filter.unit ?? null)
    .all<VersionRow>();
  return results.map(toVersion);
}

/** The current version of every report of a year, with its cells, by unit code (bulk CSV). */
export async function listPublishedWithCells(
  d1: D1Database,
  year: number,
  within: string | null,
): Promise<(PublishedVersion & { cells: Cells })[]> {
  const { results } = await d1
    .prepare(
      `${scopeCte(within)}
       SELECT ${VERSION_COLUMNS}, rr.cells ${VERSION_JOINS}
       JOIN report_revisions rr ON rr.id = v.revision_id
       WHERE v.is_current = 1 AND r.year = ?2 AND r.unit_id IN (SELECT id FROM scope)
       ORDER BY u.code`,
    )
    .bind(within, year)
    .all<VersionRow & { cells: string }>();
  return results.map((r) => ({ ...toVersion(r), cells: JSON.parse(r.cells) as Cells }));
}

/** Every published version (first publications and corrections), newest first, for the feed. */
export async function listVersions(
  d1: D1Database,
  filter: ReportFilter & { limit: number; offset: number },
): Promise<(PublishedVersion & { cells: string })[]> {
  const within = filter.within ?? null;
  const { results } = await d1
    .prepare(
      `${scopeCte(within)}
       SELECT ${VERSION_COLUMNS}, rr.cells ${VERSION_JOINS}
       JOIN report_revisions rr ON rr.id = v.revision_id
       WHERE r.unit_id IN (SELECT id FROM scope) AND (?2 IS NULL OR r.year = ?2)
       ORDER BY v.published_at DESC, v.id DESC
       LIMIT ?3 OFFSET ?4`,
    )
    .bind(within, filter.year ?? null, filter.limit, filter.offset)
    .all<VersionRow & { cells: string }>();
  return results.map((r) => ({ ...toVersion(r), cells: r.cells }));
}

export interface VersionEntry {
  version: number;
  publishedAt: number;
  submittedAt: number | null;
  onTime: boolean | null;
  reason: string | null;
  imported: boolean;
  current: boolean;
}

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
export async function loadPublished(
  d1: D1Database,
  unitCode: string,
  year: number,
  version?: number,
): Promise<PublishedReport | undefined> {
  const head = await d1
    .prepare(
      `SELECT r.id, u.code, u.name, r.year, r.template, c.deadline FROM reports r
       JOIN units u ON u.id = r.unit_id LEFT JOIN cycles c ON c.year = r.year
       WHERE u.code = ?1 AND r.year = ?2`,
    )
    .bind(unitCode, year)
    .first<{ id: number; code: string; name: string; year: number; template: string; deadline: number | null }>();
  const template = head && getTemplate(head.template);
  if (!head || !template) return undefined;

  const { results } = await d1
    .prepare(
      `SELECT v.version, v.published_at, v.submitted_at, v.on_time, v.reason, v.imported, v.is_current, v.revision_id
       FROM report_versions v WHERE v.report_id = ?1 ORDER BY v.version`,
    )
    .bind(head.id)
    .all<{
      version: number;
      published_at: number;
      submitted_at: number | null;
      on_time: number | null;
      reason: string | null;
      imported: number;
      is_current: number;
      revision_id: number;
    }>();
  const versions = results.map((v) => ({
    entry: {
      version: v.version,
      publishedAt: v.published_at,
      submittedAt: v.submitted_at,
      onTime: bool(v.on_time),
      reason: v.reason,
      imported: v.imported === 1,
      current: v.is_current === 1,
    },
    revisionId: v.revision_id,
  }));
  const shown = version === undefined ? versions.find((v) => v.entry.current) : versions.find((v) => v.entry.version === version);
  if (!shown) return undefined;

  const revision = await d1
    .prepare('SELECT sections, cells, explanations, content_hash FROM report_revisions WHERE id = ?1')
    .bind(shown.revisionId)
    .first<{ sections: string; cells: string; explanations: string; content_hash: string }>();
  if (!revision) return undefined;
  return {
    unitCode: head.code,
    unitName: head.name,
    year: head.year,
    template,
    shown: shown.entry,
    versions: versions.map((v) => v.entry),
    deadline: head.deadline,
    content: normalContent(template, {
      sections: JSON.parse(revision.sections),
      cells: JSON.parse(revision.cells),
      explanations: JSON.parse(revision.explanations),
    }),
    contentHash: revision.content_hash,
  };
}

/** A unit's current published reports, newest year first, with their cells (for its page). */
export async function unitPublications(
  d1: D1Database,
  unitId: number,
): Promise<(PublishedVersion & { cells: Cells })[]> {
  const { results } = await d1
    .prepare(
      `SELECT ${VERSION_COLUMNS}, rr.cells ${VERSION_JOINS}
       JOIN report_revisions rr ON rr.id = v.revision_id
       WHERE v.is_current = 1 AND r.unit_id = ?1 ORDER BY r.year DESC`,
    )
    .bind(unitId)
    .all<VersionRow & { cells: string }>();
  return results.map((r) => ({ ...toVersion(r), cells: JSON.parse(r.cells) as Cells }));
}

/**
 * The one template of a report year: the cycle's, else the one its published reports use,
 * else the official format for that year.
 */
export async function yearTemplate(d1: D1Database, year: number): Promise<Template> {
  const row = await d1
    .prepare(
      `SELECT COALESCE(
         (SELECT template FROM cycles WHERE year = ?1),
         (SELECT r.template FROM reports r JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
          WHERE r.year = ?1 GROUP BY r.template ORDER BY count(*) DESC LIMIT 1)) AS template`,
    )
    .bind(year)
    .first<{ template: string | null }>();
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
export async function yearStats(d1: D1Database, year: number, within: string | null): Promise<YearStats> {
  const template = await yearTemplate(d1, year);
  const scope = scopeCte(within);
  const params = within ? [within, year, template.id] : [null, year, template.id];
  const [sums, counts] = await d1.batch([
    d1
      .prepare(
        // The versions first, then their cells through the (version_id, cell) key: each
        // version's rows sit together, where a scan of the (year, cell) index would jump
        // about the table for every row (several times slower at 3,000 reports).
        `${scope}
         SELECT pc.cell, round(sum(pc.value), 6) AS total
         FROM published_cells pc
         WHERE pc.version_id IN (
           SELECT v.id FROM reports r JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
           WHERE r.year = ?2 AND r.template = ?3 AND r.unit_id IN (SELECT id FROM scope))
         GROUP BY pc.cell`,
      )
      .bind(...params),
    d1
      .prepare(
        `${scope}
         SELECT
           (SELECT count(*) FROM reports r WHERE r.year = ?2 AND r.expected = 1 AND r.unit_id IN (SELECT id FROM scope)) AS expected,
           count(v.id) AS published,
           coalesce(sum(v1.on_time = 1), 0) AS on_time,
           max(v.published_at) AS last_published_at
         FROM reports r
         JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
         LEFT JOIN report_versions v1 ON v1.report_id = r.id AND v1.version = 1
         WHERE r.year = ?2 AND r.template = ?3 AND r.unit_id IN (SELECT id FROM scope)`,
      )
      .bind(...params),
  ]);
  const totals = new Map((sums!.results as { cell: string; total: number | null }[]).map((r) => [r.cell, r.total]));
  const count = (counts!.results as { expected: number; published: number; on_time: number; last_published_at: number | null }[])[0]!;
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
    unitsOnTime: count.on_time,
    cells,
    lastPublishedAt: count.last_published_at,
  };
}

/**
 * Sums of a few cells for every year with publications in the scope (the trend charts of the
 * statistics page), each year with its template.
 */
export async function yearlySums(
  d1: D1Database,
  cellsOf: (template: Template) => string[],
  within: string | null,
): Promise<{ year: number; template: Template; cells: Cells }[]> {
  const scope = scopeCte(within);
  const { results: years } = await d1
    .prepare(
      `${scope}
       SELECT r.year, r.template, count(*) AS n FROM reports r
       JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
       WHERE r.unit_id IN (SELECT id FROM scope) GROUP BY r.year, r.template ORDER BY r.year, n DESC`,
    )
    .bind(...(within ? [within] : []))
    .all<{ year: number; template: string; n: number }>();
  const templates = new Map<number, Template>();
  for (const y of years) if (!templates.has(y.year) && getTemplate(y.template)) templates.set(y.year, getTemplate(y.template)!);
  if (templates.size === 0) return [];

  const wanted = [...new Set([...templates.values()].flatMap(cellsOf))];
  const yearList = [...templates.keys()];
  const { results } = await d1
    .prepare(
      `${scope}
       SELECT pc.year, pc.cell, round(sum(pc.value), 6) AS total FROM published_cells pc
       WHERE pc.version_id IN (
           SELECT v.id FROM reports r JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
           WHERE r.year IN (SELECT value FROM json_each(?2)) AND r.unit_id IN (SELECT id FROM scope))
         AND pc.cell IN (SELECT value FROM json_each(?3))
       GROUP BY pc.year, pc.cell`,
    )
    .bind(within, JSON.stringify(yearList), JSON.stringify(wanted))
    .all<{ year: number; cell: string; total: number | null }>();
  return yearList.map((year) => ({
    year,
    template: templates.get(year)!,
    cells: Object.fromEntries(results.filter((r) => r.year === year).map((r) => [r.cell, r.total])),
  }));
}

/** Years with at least one publication, newest first, with how many reports each. */
export async function publishedYears(d1: D1Database): Promise<{ year: number; reports: number }[]> {
  const { results } = await d1
    .prepare(
      `SELECT r.year, count(*) AS reports FROM reports r
       JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
       GROUP BY r.year ORDER BY r.year DESC`,
    )
    .all<{ year: number; reports: number }>();
  return results;
}
