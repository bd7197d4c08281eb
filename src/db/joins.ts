// The join most reads of reports start from, written once: a report with its unit, whose code and
// name are how pages, lists, mail and the public API name the report.
import { eq } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/sqlite-core';
import type { Db } from './client';
import { reports, units } from './schema';

/** `fields` of reports inner-joined to their units (every report has one); more joins may follow. */
export function selectReportsWithUnits<F extends SelectedFields>(db: Db, fields: F) {
  return db.select(fields).from(reports).innerJoin(units, eq(units.id, reports.unitId));
}
