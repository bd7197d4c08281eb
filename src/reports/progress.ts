// Who has filed what for a cycle: the numbers behind the progress API and page (and what
// DHIS2 users know as reporting rate and reporting rate on time).
import { daysLeft, type Status } from '../core';
import type { Db } from '../db/client';
import { loadCycle, type Cycle } from './cycles';

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
  const d1 = db.$client;
  const rows = (
    await d1
      .prepare(
        `select r.unit_id, u.code, u.name, p.code as parent, r.status, r.revision, r.submitted_at, v.published_at, v.on_time
         from reports r join units u on u.id = r.unit_id left join units p on p.id = u.parent_id
         left join report_versions v on v.report_id = r.id and v.is_current = 1
         where r.year = ? and r.expected = 1 order by u.code`,
      )
      .bind(year)
      .all<{ unit_id: number; code: string; name: string; parent: string | null; status: Status; revision: number; submitted_at: number | null; published_at: number | null; on_time: number | null }>()
  ).results.filter((r) => !only || only.has(r.unit_id));

  // Reminder keys are reminder:<unit>:<year>:<offset>:<email> and overdue:<unit>:<year>:<email>.
  const keys = (
    await d1.prepare(`select dedup_key from outbox where kind in ('reminder', 'overdue') and dedup_key like ?`).bind(`%:${year}:%`).all<{ dedup_key: string }>()
  ).results;
  const sent = new Map<string, Set<string>>();
  for (const { dedup_key } of keys) {
    const [kind, unit, keyYear, offset] = dedup_key.split(':');
    if (Number(keyYear) !== year || !unit) continue;
    sent.set(unit, (sent.get(unit) ?? new Set()).add(kind === 'overdue' ? 'overdue' : offset!));
  }

  const units: UnitProgress[] = rows.map((r) => {
    const submitted = r.status === 'submitted' || r.status === 'published';
    const daysEarly = submitted && r.submitted_at !== null ? daysLeft(cycle.deadline, r.submitted_at) : now > cycle.deadline ? daysLeft(cycle.deadline, now) : null;
    return {
      unitId: r.unit_id,
      unit: r.code,
      unitName: r.name,
      parent: r.parent,
      status: r.status,
      revision: r.revision,
      submittedAt: r.submitted_at,
      publishedAt: r.published_at,
      onTime: r.on_time === null ? null : r.on_time === 1,
      daysEarly,
      remindersSent: sent.get(r.code)?.size ?? 0,
    };
  });
  const count = (f: (u: UnitProgress) => boolean) => units.filter(f).length;
  return {
    cycle,
    units,
    counts: {
      expected: units.length,
      published: count((u) => u.status === 'published'),
      submitted: count((u) => u.status === 'submitted'),
      draft: count((u) => (u.status === 'draft' || u.status === 'returned') && u.revision > 0),
      notStarted: count((u) => (u.status === 'draft' || u.status === 'returned') && u.revision === 0),
      onTime: count((u) => u.onTime === true),
    },
  };
}
