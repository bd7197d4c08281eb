// The daily run's mail (workflow.md "Deadlines and reminders"): what is due is decided by the
// pure schedule in src/core; here we only gather who is concerned and queue the messages.
// Every message's de-duplication key names (kind, unit or person, cycle, day or offset), so a
// second run, two overlapping runs, or a work item the queue delivers twice queue nothing twice.
//
// A province is 10,000 units: more than one Worker invocation can write (1,000 subrequests). So
// the run is split into work items — the clerks' reminders or overdue notices for one chunk of
// UNITS_PER_ITEM units of one cycle, each cycle's late-unit lists, each cycle's deadline summary,
// the supervisors' digests — planned by the cron (planDailyWork) and done one per queue message
// (queueItemMail, src/mail/queue.ts). queueDailyMail does them all in one call: development's
// POST /dev/cron, and a Worker deployed without queues.
import { and, asc, between, eq, inArray, isNotNull } from 'drizzle-orm';
import { beijingDate, daysLeft, dueReminder, statusName, type Status } from '../core';
import type { Db } from '../db/client';
import { selectReportsWithUnits } from '../db/joins';
import { cycles, memberships, people, reports, units, type MembershipRole } from '../db/schema';
import { insertMail, type OutgoingMail, type QueuedMail } from '../mail/outbox';
import { deadlineSummaryMail, digestMail, lateUnitsMail, overdueMail, reminderMail } from './messages';

const NOT_SUBMITTED: Status[] = ['draft', 'returned'];

/**
 * Units per work item: at most 500 units × a few clerks each, inserted 50 per batch, is a few
 * dozen subrequests, and a body of a few dozen bytes (a range of unit ids, not a list).
 */
export const UNITS_PER_ITEM = 500;

/** One work item of a daily run (the body of a daily queue message, with the run's time). */
export type DailyItem =
  /** Reminders or overdue notices for the not-submitted reports of units fromUnit…toUnit (ids, inclusive). */
  | { kind: 'units'; year: number; fromUnit: number; toUnit: number }
  /** After the deadline: each parent's supervisors get the list of their late units. */
  | { kind: 'late-units'; year: number }
  /** On the deadline's day (or the first run after it): the administrators' summary. */
  | { kind: 'deadline-summary'; year: number }
  /** Every day: each supervisor's reports waiting for review. */
  | { kind: 'digests' };

/** The item's name in daily_work: unique within a run. */
export const itemName = (item: DailyItem) =>
  item.kind === 'units' ? `units:${item.year}:${item.fromUnit}` : item.kind === 'digests' ? 'digests' : `${item.kind}:${item.year}`;

/** Today's work: what is due in each open cycle, with the units not submitted in chunks. */
export async function planDailyWork(db: Db, now: number): Promise<DailyItem[]> {
  const openCycles = await db
    .select({ year: cycles.year, deadline: cycles.deadline, reminderDays: cycles.reminderDays })
    .from(cycles)
    .where(eq(cycles.status, 'open'))
    .orderBy(asc(cycles.year));
  const items: DailyItem[] = [];
  for (const cycle of openCycles) {
    const due = dueReminder(cycle.deadline, cycle.reminderDays, now);
    if (due) {
      const pending = await db
        .select({ unitId: reports.unitId })
        .from(reports)
        .where(and(eq(reports.year, cycle.year), eq(reports.expected, true), inArray(reports.status, NOT_SUBMITTED)))
        .orderBy(asc(reports.unitId));
      for (let i = 0; i < pending.length; i += UNITS_PER_ITEM) {
        const chunk = pending.slice(i, i + UNITS_PER_ITEM);
        items.push({ kind: 'units', year: cycle.year, fromUnit: chunk[0]!.unitId, toUnit: chunk.at(-1)!.unitId });
      }
    }
    if (due?.kind === 'overdue') items.push({ kind: 'late-units', year: cycle.year });
    if (daysLeft(cycle.deadline, now) <= 0) items.push({ kind: 'deadline-summary', year: cycle.year });
  }
  items.push({ kind: 'digests' });
  return items;
}

/** One item's messages, as of the run's time `now`. */
export async function itemMail(db: Db, item: DailyItem, now: number, origin: string): Promise<OutgoingMail[]> {
  if (item.kind === 'digests') return digests(db, now, origin);
  const [cycle] = await db
    .select({ year: cycles.year, deadline: cycles.deadline, reminderDays: cycles.reminderDays })
    .from(cycles)
    .where(and(eq(cycles.year, item.year), eq(cycles.status, 'open')));
  // Closed since the run was planned: nothing to remind of.
  if (!cycle) return [];
  const due = dueReminder(cycle.deadline, cycle.reminderDays, now);
  const mails: OutgoingMail[] = [];

  if (item.kind === 'units') {
    if (!due) return [];
    const pending = await pendingReports(db, cycle.year, item);
    const clerks = await activeMembers(db, 'clerk', item);
    const formLink = (code: string) => `${origin}/signin?next=${encodeURIComponent(`/app/reports/${code}/${cycle.year}`)}`;
    for (const report of pending) {
      for (const clerk of clerks.get(report.unitId) ?? []) {
        const link = formLink(report.code);
        const content =
          due.kind === 'reminder'
            ? reminderMail({ unitName: report.name, year: cycle.year, daysLeft: due.daysLeft, deadline: cycle.deadline, returned: report.status === 'returned', link })
            : overdueMail({ unitName: report.name, year: cycle.year, daysLate: due.daysLate, deadline: cycle.deadline, link });
        const key = due.kind === 'reminder' ? `reminder:${report.code}:${cycle.year}:${due.offset}:${clerk.email}` : `overdue:${report.code}:${cycle.year}:${clerk.email}`;
        mails.push({ dedupKey: key, kind: due.kind, to: clerk.email, ...content });
      }
    }
  }

  if (item.kind === 'late-units' && due?.kind === 'overdue') {
    const pending = await pendingReports(db, cycle.year);
    const supervisors = await activeMembers(db, 'supervisor');
    const unitNames = new Map((await db.select({ id: units.id, name: units.name }).from(units)).map((u) => [u.id, u.name]));
    const byParent = groupBy(pending.filter((r) => r.parentId !== null), (r) => r.parentId!);
    for (const [parentId, late] of byParent) {
      for (const supervisor of supervisors.get(parentId) ?? []) {
        const content = lateUnitsMail({
          parentName: unitNames.get(parentId) ?? '',
          year: cycle.year,
          units: late.map((r) => ({ name: r.name, status: statusName(r.status).zh })),
          link: `${origin}/app`,
        });
        mails.push({ dedupKey: `late-units:${parentId}:${cycle.year}:${supervisor.email}`, kind: 'late-units', to: supervisor.email, ...content });
      }
    }
  }

  if (item.kind === 'deadline-summary' && daysLeft(cycle.deadline, now) <= 0) {
    const expected = await selectReportsWithUnits(db, { name: units.name, status: reports.status, revision: reports.revision })
      .where(and(eq(reports.year, cycle.year), eq(reports.expected, true)))
      .orderBy(asc(units.code));
    const count = (f: (r: (typeof expected)[number]) => boolean) => expected.filter(f).length;
    const counts = {
      expected: expected.length,
      published: count((r) => r.status === 'published'),
      submitted: count((r) => r.status === 'submitted'),
      draft: count((r) => NOT_SUBMITTED.includes(r.status) && r.revision > 0),
      notStarted: count((r) => NOT_SUBMITTED.includes(r.status) && r.revision === 0),
    };
    const late = expected.filter((r) => NOT_SUBMITTED.includes(r.status)).map((r) => r.name);
    const admins = await db
      .select({ email: people.email, name: people.name })
      .from(people)
      .where(and(eq(people.role, 'admin'), eq(people.active, true)));
    for (const admin of admins) {
      const content = deadlineSummaryMail({ year: cycle.year, deadline: cycle.deadline, counts, late, link: `${origin}/app` });
      mails.push({ dedupKey: `deadline-summary:${cycle.year}:${admin.email}`, kind: 'deadline-summary', to: admin.email, ...content });
    }
  }
  return mails;
}

/** Queues one item's messages; returns those that were new, with their outbox ids. */
export async function queueItemMail(db: Db, item: DailyItem, now: number, origin: string): Promise<QueuedMail[]> {
  return insertMail(db, await itemMail(db, item, now, origin), now);
}

/**
 * The whole run in this call: queues today's reminders, overdue notices, digests and deadline
 * summaries. Returns the messages that were new (an earlier run's keys queue nothing and are not
 * listed).
 */
export async function queueDailyMail(db: Db, now: number, origin: string): Promise<QueuedMail[]> {
  const queued: QueuedMail[] = [];
  for (const item of await planDailyWork(db, now)) queued.push(...(await queueItemMail(db, item, now, origin)));
  return queued;
}

/** The not-submitted expected reports of a cycle (of units in a range), by unit code. */
function pendingReports(db: Db, year: number, range?: { fromUnit: number; toUnit: number }) {
  return selectReportsWithUnits(db, { unitId: reports.unitId, code: units.code, name: units.name, parentId: units.parentId, status: reports.status })
    .where(
      and(
        eq(reports.year, year),
        eq(reports.expected, true),
        inArray(reports.status, NOT_SUBMITTED),
        range ? between(reports.unitId, range.fromUnit, range.toUnit) : undefined,
      ),
    )
    .orderBy(asc(units.code));
}

/** Each supervisor's reports waiting for review (none when nothing waits). */
async function digests(db: Db, now: number, origin: string): Promise<OutgoingMail[]> {
  const supervisors = await activeMembers(db, 'supervisor');
  const waiting = await selectReportsWithUnits(db, { parentId: units.parentId, name: units.name, year: reports.year, submittedAt: reports.submittedAt })
    .where(and(eq(reports.status, 'submitted'), isNotNull(units.parentId)))
    .orderBy(asc(reports.submittedAt));
  const today = beijingDate(now);
  const perSupervisor = new Map<string, { name: string; reports: { unitName: string; year: number; submittedAt: number | null; link: string }[] }>();
  for (const report of waiting) {
    for (const supervisor of supervisors.get(report.parentId!) ?? []) {
      const entry = perSupervisor.get(supervisor.email) ?? { name: supervisor.name, reports: [] };
      entry.reports.push({ unitName: report.name, year: report.year, submittedAt: report.submittedAt, link: `${origin}/app/review` });
      perSupervisor.set(supervisor.email, entry);
    }
  }
  return [...perSupervisor].map(([email, entry]) => ({ dedupKey: `digest:${email}:${today}`, kind: 'digest', to: email, ...digestMail(entry) }));
}

/** Active people with a membership role, by unit (of units in a range). */
async function activeMembers(db: Db, role: MembershipRole, range?: { fromUnit: number; toUnit: number }): Promise<Map<number, { email: string; name: string }[]>> {
  const rows = await db
    .select({ email: people.email, name: people.name, unitId: memberships.unitId })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.role, role), eq(people.active, true), range ? between(memberships.unitId, range.fromUnit, range.toUnit) : undefined))
    .orderBy(asc(people.email));
  return groupBy(rows, (r) => r.unitId);
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const list = map.get(key(item));
    if (list) list.push(item);
    else map.set(key(item), [item]);
  }
  return map;
}
