// What waits for a supervisor: the submitted reports of the units they review (administrators:
// all), oldest submission first. Unit ids travel as one JSON parameter (a county-wide supervisor
// reviews more units than a statement may bind).
import type { Db } from '../db/client';

export interface WaitingReport {
  unitCode: string;
  unitName: string;
  year: number;
  submittedAt: number;
  submittedBy: string | null;
  deadline: number | null;
}

export async function waitingReports(db: Db, unitIds: number[] | 'all'): Promise<WaitingReport[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT u.code AS unitCode, u.name AS unitName, r.year, r.submitted_at AS submittedAt, c.deadline,
         (SELECT coalesce(p.name, a.actor) FROM audit_events a LEFT JOIN people p ON p.id = a.actor_id
           WHERE a.report_id = r.id AND a.action = 'report.submit' ORDER BY a.id DESC LIMIT 1) AS submittedBy
       FROM reports r JOIN units u ON u.id = r.unit_id LEFT JOIN cycles c ON c.year = r.year
       WHERE r.status = 'submitted' AND (?1 = 1 OR r.unit_id IN (SELECT value FROM json_each(?2)))
       ORDER BY r.submitted_at, r.id`,
    )
    .bind(unitIds === 'all' ? 1 : 0, JSON.stringify(unitIds === 'all' ? [] : unitIds))
    .all<WaitingReport>();
  return results;
}
