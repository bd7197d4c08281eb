// What waits for a supervisor: the submitted reports of the units they review (administrators:
// all), oldest submission first. Unit ids travel as one JSON parameter (a county-wide supervisor
// reviews more units than a statement may bind).
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { selectReportsWithUnits } from '../db/joins';
import { cycles, reports, units } from '../db/schema';
import { submittedBy } from './audit-trail';
import { inJsonList } from './json-list';

export interface WaitingReport {
  unitCode: string;
  unitName: string;
  year: number;
  submittedAt: number;
  submittedBy: string | null;
  deadline: number | null;
}

export async function waitingReports(db: Db, unitIds: number[] | 'all'): Promise<WaitingReport[]> {
  return selectReportsWithUnits(db, {
    unitCode: units.code,
    unitName: units.name,
    year: reports.year,
    // A submitted report always has its submission time.
    submittedAt: sql<number>`${reports.submittedAt}`,
    submittedBy: submittedBy(reports.id),
    deadline: cycles.deadline,
  })
    .leftJoin(cycles, eq(cycles.year, reports.year))
    .where(and(eq(reports.status, 'submitted'), unitIds === 'all' ? undefined : inJsonList(reports.unitId, unitIds)))
    .orderBy(asc(reports.submittedAt), asc(reports.id));
}
