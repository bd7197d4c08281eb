// The daily run's mail (workflow.md "Deadlines and reminders"): what is due is decided by the
// pure schedule in src/core; here we only gather who is concerned and queue the messages.
// Every message's de-duplication key names (kind, unit or person, cycle, day or offset), so a
// second run, or two overlapping runs, queue nothing twice.
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { beijingDate, daysLeft, dueReminder, statusName, type Status } from '../core';
import type { Db } from '../db/client';
import { selectReportsWithUnits } from '../db/joins';
import { cycles, memberships, people, reports, units, type MembershipRole } from '../db/schema';
import { enqueue, type OutgoingMail } from '../mail/outbox';
import { deadlineSummaryMail, digestMail, lateUnitsMail, overdueMail, reminderMail } from './messages';

const NOT_SUBMITTED: Status[] = ['draft', 'returned'];

/**
 * Queues today's reminders, overdue notices, digests and deadline summaries. Returns the
 * messages that were new (an earlier run's keys queue nothing and are not listed).
 */
export async function queueDailyMail(db: Db, now: number, origin: string): Promise<OutgoingMail[]> {
  const openCycles = await db
    .select({ year: cycles.year, deadline: cycles.deadline, reminderDays: cycles.reminderDays })
    .from(cycles)
    .where(eq(cycles.status, 'open'));
  const clerks = await activeMembers(db, 'clerk');
  const supervisors = await activeMembers(db, 'supervisor');
  const unitNames = new Map((await db.select({ id: units.id, name: units.name }).from(units)).map((u) => [u.id, u.name]));
  const mails: OutgoingMail[] = [];
  const formLink = (code: string, year: number) => `${origin}/signin?next=${encodeURIComponent(`/app/reports/${code}/${year}`)}`;

  for (const cycle of openCycles) {
    const expected = await selectReportsWithUnits(db, { unitId: reports.unitId, code: units.code, name: units.name, parentId: units.parentId, status: reports.status, revision: reports.revision })
      .where(and(eq(reports.year, cycle.year), eq(reports.expected, true)))
      .orderBy(asc(units.code));
    const pending = expected.filter((r) => NOT_SUBMITTED.includes(r.status));
    const due = dueReminder(cycle.deadline, cycle.reminderDays, now);

    // Clerks of every unit that has not submitted (a returned report counts as not submitted).
    if (due) {
      for (const report of pending) {
        for (const clerk of clerks.get(report.unitId) ?? []) {
          const link = formLink(report.code, cycle.year);
          const content =
            due.kind === 'reminder'
              ? reminderMail({ unitName: report.name, year: cycle.year, daysLeft: due.daysLeft, deadline: cycle.deadline, returned: report.status === 'returned', link })
              : overdueMail({ unitName: report.name, year: cycle.year, daysLate: due.daysLate, deadline: cycle.deadline, link });
          const key = due.kind === 'reminder' ? `reminder:${report.code}:${cycle.year}:${due.offset}:${clerk.email}` : `overdue:${report.code}:${cycle.year}:${clerk.email}`;
          mails.push({ dedupKey: key, kind: due.kind, to: clerk.email, ...content });
        }
      }
    }

    // After the deadline: each parent's supervisors get the list of their late units, once.
    if (due?.kind === 'overdue') {
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

    // On the deadline's day (or the first run after it): the administrators' summary, once.
    if (daysLeft(cycle.deadline, now) <= 0) {
      const count = (f: (r: (typeof expected)[number]) => boolean) => expected.filter(f).length;
      const counts = {
        expected: expected.length,
        published: count((r) => r.status === 'published'),
        submitted: count((r) => r.status === 'submitted'),
        draft: count((r) => NOT_SUBMITTED.includes(r.status) && r.revision > 0),
        notStarted: count((r) => NOT_SUBMITTED.includes(r.status) && r.revision === 0),
      };
      const admins = await db
        .select({ email: people.email, name: people.name })
        .from(people)
        .where(and(eq(people.role, 'admin'), eq(people.active, true)));
      for (const admin of admins) {
        const content = deadlineSummaryMail({ year: cycle.year, deadline: cycle.deadline, counts, late: pending.map((r) => r.name), link: `${origin}/app` });
        mails.push({ dedupKey: `deadline-summary:${cycle.year}:${admin.email}`, kind: 'deadline-summary', to: admin.email, ...content });
      }
    }
  }

  // Every day: each supervisor's reports waiting for review (none when nothing waits).
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
  for (const [email, entry] of perSupervisor) {
    mails.push({ dedupKey: `digest:${email}:${today}`, kind: 'digest', to: email, ...digestMail(entry) });
  }

  return queue(db, mails, now);
}

/** Active people with a membership role, by unit. */
async function activeMembers(db: Db, role: MembershipRole): Promise<Map<number, { email: string; name: string }[]>> {
  const rows = await db
    .select({ email: people.email, name: people.name, unitId: memberships.unitId })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.role, role), eq(people.active, true)))
    .orderBy(asc(people.email));
  return groupBy(rows, (r) => r.unitId);
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

/**
 * Inserts in batches; a key already queued (an earlier or overlapping run) inserts nothing.
 * Returns the messages whose insert took effect (one statement per message, so its changes say).
 */
async function queue(db: Db, mails: OutgoingMail[], now: number): Promise<OutgoingMail[]> {
  const added: OutgoingMail[] = [];
  for (let i = 0; i < mails.length; i += 50) {
    const [first, ...rest] = mails.slice(i, i + 50);
    const results = await db.batch([enqueue(db, first!, now), ...rest.map((m) => enqueue(db, m, now))]);
    results.forEach((r, j) => {
      if (r.meta.changes > 0) added.push(mails[i + j]!);
    });
  }
  return added;
}
