// Writing a published version: the statements every publication shares, for a caller's batch.
//
// A published version is a report_versions row (number = the report's published_version + 1,
// is_current) and its cells as published_cells rows for the statistics. The previous version's
// is_current is cleared FIRST: a partial unique index allows one current version per report.
// Each statement reads the report through the caller's guard (`where`, over `reports r`), so in a
// batch that ends with the caller's UPDATE of the report (published_version + 1, which changes
// what the guard reads), either all of it happens or none. The public outputs read only these
// rows (src/publication), so what is written here is exactly what the public sees.

/** Why a corrected version exists when nobody gave a reason (version 1 needs none). */
export const DEFAULT_CORRECTION_REASON = '更正';

export interface Publication {
  /** SQL condition over `reports r`: the one report to publish, and the caller's guard (?1 … ?n). */
  where: string;
  /** The values of ?1 … ?n in `where`. */
  params: unknown[];
  /** SQL expression over `r`: the revision to publish, e.g. 'r.submitted_revision_id'. */
  revision: string;
  publishedAt: number;
  /** Why this version corrects the previous one; ignored for version 1. */
  reason: string | null;
  approvedBy: number | null;
  imported: boolean;
  /**
   * Whether it met the deadline, when the caller knows better than the submission time: an
   * imported report was never submitted here, so its publication date is what counts.
   */
  onTime?: boolean | null;
}

/**
 * [clear the current flag, insert the version, insert its cells]. `on_time` is the report's
 * submitted_at against its cycle's deadline (null without a cycle or a submission). The caller
 * appends `UPDATE reports SET published_version = published_version + 1, status = 'published' …`
 * with the same guard as its last statement.
 */
export function publishStatements(d1: D1Database, p: Publication): D1PreparedStatement[] {
  const n = p.params.length;
  const arg = (i: number) => `?${n + i}`;
  const nextVersion = `(SELECT v.id FROM report_versions v WHERE v.report_id = r.id AND v.version = r.published_version + 1)`;
  return [
    d1
      .prepare(`UPDATE report_versions SET is_current = 0 WHERE is_current = 1 AND report_id IN (SELECT r.id FROM reports r WHERE ${p.where})`)
      .bind(...p.params),
    d1
      .prepare(
        `INSERT INTO report_versions (report_id, version, revision_id, published_at, submitted_at, on_time, reason, imported, is_current, approved_by, created_at)
         SELECT r.id, r.published_version + 1, ${p.revision}, ${arg(1)}, r.submitted_at,
           ${
             p.onTime === undefined
               ? 'CASE WHEN c.deadline IS NULL OR r.submitted_at IS NULL THEN NULL WHEN r.submitted_at <= c.deadline THEN 1 ELSE 0 END'
               : arg(5)
           },
           CASE WHEN r.published_version = 0 THEN NULL ELSE coalesce(nullif(trim(${arg(2)}), ''), '${DEFAULT_CORRECTION_REASON}') END,
           ${arg(3)}, 1, ${arg(4)}, ${arg(1)}
         FROM reports r LEFT JOIN cycles c ON c.year = r.year
         WHERE ${p.where}`,
      )
      .bind(...p.params, p.publishedAt, p.reason, p.imported ? 1 : 0, p.approvedBy, ...(p.onTime === undefined ? [] : [p.onTime === null ? null : p.onTime ? 1 : 0])),
    // The statistics index: one row per cell, straight from the published revision's JSON.
    d1
      .prepare(
        `INSERT INTO published_cells (version_id, year, unit_id, cell, value)
         SELECT ${nextVersion}, r.year, r.unit_id, j.key, j.value
         FROM reports r JOIN report_revisions rr ON rr.id = ${p.revision}, json_each(rr.cells) j
         WHERE ${p.where}`,
      )
      .bind(...p.params),
  ];
}
