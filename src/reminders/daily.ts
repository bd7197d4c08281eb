// The daily run's mail (workflow.md "Deadlines and reminders"): what is due is decided by the
// pure schedule in src/core; here we only gather who is concerned and queue the messages.
// Every message's de-duplication key names (kind, unit or person, cycle, day or offset), so a
// second run, or two overlapping runs, queue nothing twice.
import { beijingDate, daysLeft, dueReminder, statusName, type Status } from '../core';
import type { Db } from '../db/client';
import { enqueue, type OutgoingMail } from '../mail/outbox';
import { deadlineSummaryMail, digestMail, lateUnitsMail, overdueMail, reminderMail } from './messages';

interface CycleRow {
  year: number;
  deadline: number;
  reminder_days: string;
}

interface ReportRow {
  unit_id: number;
  code: string;
  name: string;
  parent_id: number | null;
  status: Status;
  revision: number;
  submitted_at: number | null;
}

interface PersonRow {
  email: string;
  name: string;
  unit_id: number;
}

const NOT_SUBMITTED: Status[] = ['draft', 'returned'];

/**
 * Queues today's reminders, overdue notices, digests and deadline summaries. Returns the
 * messages that were new (an earlier run's keys queue nothing and are not listed).
 */
export async function queueDailyMail(db: Db, now: number, origin: string): Promise<OutgoingMail[]> {
  const d1 = db.$client;
  const cycles = (await d1.prepare(`select year, deadline, reminder_days from cycles where status = 'open'`).all<CycleRow>()).results;
  const clerks = await people(d1, 'clerk');
  const supervisors = await people(d1, 'supervisor');
  const units = new Map((await d1.prepare('select id, name from units').all<{ id: number; name: string }>()).results.map((u) => [u.id, u.name]));
  const mails: OutgoingMail[] = [];
  const formLink = (code: string, year: number) => `${origin}/signin?next=${encodeURIComponent(`/app/reports/${code}/${year}`)}`;

  for (const cycle of cycles) {
    const reminderDays = JSON.parse(cycle.reminder_days) as number[];
    const reports = (
      await d1
        .prepare(
          `select r.unit_id, u.code, u.name, u.parent_id, r.status, r.revision, r.submitted_at
           from reports r join units u on u.id = r.unit_id where r.year = ? and r.expected = 1 order by u.code`,
        )
        .bind(cycle.year)
        .all<ReportRow>()
    ).results;
    const pending = reports.filter((r) => NOT_SUBMITTED.includes(r.status));
    const due = dueReminder(cycle.deadline, reminderDays, now);

    // Clerks of every unit that has not submitted (a returned report counts as not submitted).
    if (due) {
      for (const report of pending) {
        for (const clerk of clerks.get(report.unit_id) ?? []) {
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
      const byParent = groupBy(pending.filter((r) => r.parent_id !== null), (r) => r.parent_id!);
      for (const [parentId, late] of byParent) {
        for (const supervisor of supervisors.get(parentId) ?? []) {
          const content = lateUnitsMail({
            parentName: units.get(parentId) ?? '',
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
      const count = (f: (r: ReportRow) => boolean) => reports.filter(f).length;
      const counts = {
        expected: reports.length,
        published: count((r) => r.status === 'published'),
        submitted: count((r) => r.status === 'submitted'),
        draft: count((r) => NOT_SUBMITTED.includes(r.status) && r.revision > 0),
        notStarted: count((r) => NOT_SUBMITTED.includes(r.status) && r.revision === 0),
      };
      const admins = (await d1.prepare(`select email, name from people where role = 'admin' and active = 1`).all<{ email: string; name: string }>()).results;
      for (const admin of admins) {
        const content = deadlineSummaryMail({ year: cycle.year, deadline: cycle.deadline, counts, late: pending.map((r) => r.name), link: `${origin}/app` });
        mails.push({ dedupKey: `deadline-summary:${cycle.year}:${admin.email}`, kind: 'deadline-summary', to: admin.email, ...content });
      }
    }
  }

  // Every day: each supervisor's reports waiting for review (none when nothing waits).
  const waiting = (
    await d1
      .prepare(
        `select u.parent_id, u.code, u.name, r.year, r.submitted_at from reports r join units u on u.id = r.unit_id
         where r.status = 'submitted' and u.parent_id is not null order by r.submitted_at`,
      )
      .all<{ parent_id: number; code: string; name: string; year: number; submitted_at: number | null }>()
  ).results;
  const today = beijingDate(now);
  const perSupervisor = new Map<string, { name: string; reports: { unitName: string; year: number; submittedAt: number | null; link: string }[] }>();
  for (const report of waiting) {
    for (const supervisor of supervisors.get(report.parent_id) ?? []) {
      const entry = perSupervisor.get(supervisor.email) ?? { name: supervisor.name, reports: [] };
      entry.reports.push({ unitName: report.name, year: report.year, submittedAt: report.submitted_at, link: `${origin}/app/review` });
      perSupervisor.set(supervisor.email, entry);
    }
  }
  for (const [email, entry] of perSupervisor) {
    mails.push({ dedupKey: `digest:${email}:${today}`, kind: 'digest', to: email, ...digestMail(entry) });
  }

  return queue(db, mails, now);
}

/** Active people with a membership role, by unit. */
async function people(d1: D1Database, role: 'clerk' | 'supervisor'): Promise<Map<number, PersonRow[]>> {
  const rows = (
    await d1
      .prepare(`select p.email, p.name, m.unit_id from memberships m join people p on p.id = m.person_id where m.role = ? and p.active = 1 order by p.email`)
      .bind(role)
      .all<PersonRow>()
  ).results;
  return groupBy(rows, (r) => r.unit_id);
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
    const part = mails.slice(i, i + 50);
    const chunk = part.map((m) => enqueue(db, m, now));
    const results = await db.batch(chunk as [(typeof chunk)[number], ...(typeof chunk)[number][]]);
    results.forEach((r, j) => {
      if (((r as unknown as { meta?: { changes?: number } }).meta?.changes ?? 0) > 0) added.push(part[j]!);
    });
  }
  return added;
}
