// The cells of a unit's published report of a year (its current version): last year's figures,
// which the cross-year rules compare a draft with.
import { and, eq } from 'drizzle-orm';
import type { Cells } from '../core';
import type { Db } from '../db/client';
import { reportRevisions, reports, reportVersions } from '../db/schema';

/** The cells of the unit's published report of `year` (its current version), or null. */
export async function publishedCells(db: Db, unitId: number, year: number): Promise<Cells | null> {
  const [row] = await db
    .select({ cells: reportRevisions.cells })
    .from(reportVersions)
    .innerJoin(reports, eq(reports.id, reportVersions.reportId))
    .innerJoin(reportRevisions, eq(reportRevisions.id, reportVersions.revisionId))
    .where(and(eq(reports.unitId, unitId), eq(reports.year, year), eq(reportVersions.isCurrent, true)))
    .limit(1);
  if (!row) return null;
  const cells: Cells = {};
  for (const [key, value] of Object.entries(row.cells)) {
    if (value === null || (typeof value === 'number' && Number.isFinite(value))) cells[key] = value;
  }
  return cells;
}
