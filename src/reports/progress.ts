// Who has filed what for a cycle: the numbers behind the progress API and page (and what
// DHIS2 users know as reporting rate and reporting rate on time). It lists every expected unit
// of the scope, so it reads the scope's reports (filtered in SQL), never the whole year's.
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { daysLeft, type Status } from '../core';
import type { Db } from '../db/client';
import { selectReportsWithUnits } from '../db/joins';
import { outbox, reports, reportVersions, units } from '../db/schema';
import { loadCycle, type Cycle } from './cycles';
import { inJsonList } from './json-list';

export interface UnitProgress {
  unitId: number;
  unit: string;
  unitName: string;
  parent: string | null;
  status: Status;
  revision: number;
  submittedAt: number | null;
  publishedAt: number | null;
  onTime: boolean | null;
  /** Days before (+) or after (−) the deadline it was submitted; for an unsubmitted report past the deadline, −days late. */
  daysEarly: number | null;
  /** Distinct reminders (and the overdue notice) queued for the unit. */
  remindersSent: number;
}

export interface CycleProgress {
  cycle: Cycle;
  units: UnitProgress[];
  counts: { expected: number; published: number; submitted: number; draft: number; notStarted: number; onTime: number };
}

export async function cycleProgress(db: Db, year: number, now: number, only?: Set<number>): Promise<CycleProgress | undefined> {
  const cycle = await loadCycle(db, year);
  if (!cycle) return undefined;
  const parent = alias(units, 'p');
  const [expected, keys] = await Promise.all([
    selectReportsWithUnits(db, {
      unitId: reports.unitId,
      code: units.code,
      name: units.name,
      parent: parent.code,
      status: reports.status,
      revision: reports.revision,
      submittedAt: reports.submittedAt,
      publishedAt: reportVersions.publishedAt,
      onTime: reportVersions.onTime,
    })
      .leftJoin(parent, eq(parent.id, units.parentId))
      .leftJoin(reportVersions, and(eq(reportVersions.reportId, reports.id), eq(reportVersions.isCurrent, true)))
      // The scope in SQL: a county's administrator reads the county's rows, not the province's.
      .where(and(eq(reports.year, year), eq(reports.expected, true), only ? inJsonList(reports.unitId, [...only]) : undefined))
      .orderBy(asc(units.code)),
    // Reminder keys are reminder:<unit>:<year>:<offset>:<email> and overdue:<unit>:<year>:<email>.
    db
      .select({ dedupKey: outbox.dedupKey })
      .from(outbox)
      .where(and(inArray(outbox.kind, ['reminder', 'overdue']), like(outbox.dedupKey, `%:${year}:%`))),
  ]);

  const sent = new Map<string, Set<string>>();
  for (const { dedupKey } of keys) {
    const [kind, unit, keyYear, offset] = dedupKey.split(':');
    if (Number(keyYear) !== year || !unit) continue;
    sent.set(unit, (sent.get(unit) ?? new Set()).add(kind === 'overdue' ? 'overdue' : offset!));
  }

  const perUnit: UnitProgress[] = expected.map((r) => {
    const submitted = r.status === 'submitted' || r.status === 'published';
    const daysEarly = submitted && r.submittedAt !== null ? daysLeft(cycle.deadline, r.submittedAt) : now > cycle.deadline ? daysLeft(cycle.deadline, now) : null;
    return {
      unitId: r.unitId,
      unit: r.code,
      unitName: r.name,
      parent: r.parent,
      status: r.status,
      revision: r.revision,
      submittedAt: r.submittedAt,
      publishedAt: r.publishedAt,
      onTime: r.onTime,
      daysEarly,
      remindersSent: sent.get(r.code)?.size ?? 0,
    };
  });
  const count = (f: (u: UnitProgress) => boolean) => perUnit.filter(f).length;
  return {
    cycle,
    units: perUnit,
    counts: {
      expected: perUnit.length,
      published: count((u) => u.status === 'published'),
      submitted: count((u) => u.status === 'submitted'),
      draft: count((u) => (u.status === 'draft' || u.status === 'returned') && u.revision > 0),
      notStarted: count((u) => (u.status === 'draft' || u.status === 'returned') && u.revision === 0),
      onTime: count((u) => u.onTime === true),
    },
  };
}
