// What waits for a supervisor: the submitted reports of the units they review (administrators:
// all), oldest submission first. Unit ids travel as one JSON parameter (a county-wide supervisor
// reviews more units than a statement may bind).
import { and, asc, count, eq, sql } from 'drizzle-orm';
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

/** Submitted reports of these units (or all): the queue's one condition, for the list and its count. */
const waitingIn = (unitIds: number[] | 'all') => and(eq(reports.status, 'submitted'), unitIds === 'all' ? undefined : inJsonList(reports.unitId, unitIds));

/** How many wait: the /app button's number, without the list's joins and per-row submitter lookups. */
export async function countWaitingReports(db: Db, unitIds: number[] | 'all'): Promise<number> {
  const [row] = await db.select({ n: count() }).from(reports).where(waitingIn(unitIds));
  return row?.n ?? 0;
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
    .where(waitingIn(unitIds))
    .orderBy(asc(reports.submittedAt), asc(reports.id));
}
