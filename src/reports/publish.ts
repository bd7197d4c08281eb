// Writing a published version: the statements every publication shares, for a caller's batch.
//
// A published version is a report_versions row (number = the report's published_version + 1,
// is_current) and its cells as published_cells rows for the statistics. The previous version's
// is_current is cleared FIRST: a partial unique index allows one current version per report.
// Each statement reads the report through the caller's guard (`where`, over `reports r`), so in a
// batch that ends with the caller's UPDATE of the report (published_version + 1, which changes
// what the guard reads), either all of it happens or none. The public outputs read only these
// rows (src/publication), so what is written here is exactly what the public sees; the
// statistics read the rollups (src/db/rollups.ts) that the last statements here keep in step
// with them, in the same batch and through the same guard.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { publicationRollups } from '../db/rollups';
import { cycles, publishedCells, reportRevisions, reports, reportVersions } from '../db/schema';

/** Why a corrected version exists when nobody gave a reason (version 1 needs none). */
const DEFAULT_CORRECTION_REASON = '更正';

export interface Publication {
  /** SQL condition over `reports r`: the one report to publish, and the caller's guard. */
  where: SQL;
  /** SQL expression over `r`: the revision to publish, e.g. sql`r.submitted_revision_id`. */
  revision: SQL;
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

const flag = (value: boolean | null) => (value === null ? null : value ? 1 : 0);

/**
 * [clear the current flag, insert the version, insert its cells, its rollups]. `on_time` is the report's
 * submitted_at against its cycle's deadline (null without a cycle or a submission). The caller
 * appends `UPDATE reports SET published_version = published_version + 1, status = 'published' …`
 * with the same guard as its last statement.
 */
export function publishStatements(db: Db, p: Publication) {
  const onTime =
    p.onTime === undefined
      ? sql`CASE WHEN c.deadline IS NULL OR r.submitted_at IS NULL THEN NULL WHEN r.submitted_at <= c.deadline THEN 1 ELSE 0 END`
      : sql`${flag(p.onTime)}`;
  const nextVersion = sql`(SELECT v.id FROM ${reportVersions} v WHERE v.report_id = r.id AND v.version = r.published_version + 1)`;
  return [
    // `= (one report)`, not `IN`: with IN, SQLite walks every current version (the is_current
    // index) per publication, which the bulk import of 30,000 reports made quadratic.
    db.run(
      sql`UPDATE ${reportVersions} SET is_current = 0
          WHERE is_current = 1 AND report_id = (SELECT r.id FROM ${reports} r WHERE ${p.where})`,
    ),
    db.run(
      sql`INSERT INTO ${reportVersions} (report_id, version, revision_id, published_at, submitted_at, on_time, reason, imported, is_current, approved_by, created_at)
          SELECT r.id, r.published_version + 1, ${p.revision}, ${p.publishedAt}, r.submitted_at, ${onTime},
            CASE WHEN r.published_version = 0 THEN NULL ELSE coalesce(nullif(trim(${p.reason}), ''), ${DEFAULT_CORRECTION_REASON}) END,
            ${flag(p.imported)}, 1, ${p.approvedBy}, ${p.publishedAt}
          FROM ${reports} r LEFT JOIN ${cycles} c ON c.year = r.year
          WHERE ${p.where}`,
    ),
    // The statistics index: one row per cell, straight from the published revision's JSON.
    db.run(
      sql`INSERT INTO ${publishedCells} (version_id, year, unit_id, cell, value)
          SELECT ${nextVersion}, r.year, r.unit_id, j.key, j.value
          FROM ${reports} r JOIN ${reportRevisions} rr ON rr.id = ${p.revision}, json_each(rr.cells) j
          WHERE ${p.where}`,
    ),
    // The subtree sums of the unit and its ancestors: plus this version, minus the one it replaces.
    ...publicationRollups(db, p.where),
  ];
}
