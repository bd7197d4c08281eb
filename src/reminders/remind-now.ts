// 「提醒」 on the progress page: an administrator reminds a unit's clerks now, outside the daily
// schedule — the same text as the cron's reminder (or overdue notice after the deadline). At most
// once per unit per Beijing day: the outbox's de-duplication key names the day, so a second press
// inserts nothing and the page says 「今天已提醒过」. Its kind is 'reminder', so progress counts it.
import { inArray, sql } from 'drizzle-orm';
import type { Viewer } from '../auth/scope';
import { beijingDate, daysLeft } from '../core';
import type { Db } from '../db/client';
import { outbox } from '../db/schema';
import { enqueueWhere } from '../mail/guarded-enqueue';
import { clerksOf } from '../reports/people';
import { reportEvent } from '../reports/audit-trail';
import { overdueMail, reminderMail } from './messages';

export interface RemindNowInput {
  reportId: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  year: number;
  /** The report's status as read: 'draft' or 'returned'. */
  status: string;
  deadline: number;
  origin: string;
  now: number;
}

/** 'sent': queued for these clerks; 'already': reminded today; 'no_clerks'; 'submitted': nothing to remind of. */
export type RemindNowResult = { outcome: 'sent'; to: string[] } | { outcome: 'already' | 'no_clerks' | 'submitted' };

export async function remindUnitNow(db: Db, input: RemindNowInput, viewer: Viewer): Promise<RemindNowResult> {
  const { now } = input;
  const clerks = await clerksOf(db, input.unitId);
  if (clerks.length === 0) return { outcome: 'no_clerks' };
  const today = beijingDate(now);
  const link = `${input.origin}/signin?next=${encodeURIComponent(`/app/reports/${input.unitCode}/${input.year}`)}`;
  const left = daysLeft(input.deadline, now);
  // Over `reports r`: the report, still not submitted.
  const pending = sql`r.id = ${input.reportId} AND r.status IN ('draft', 'returned')`;
  const mails = clerks.map((clerk) => ({
    dedupKey: `reminder:${input.unitCode}:${input.year}:now-${today}:${clerk.email}`,
    kind: 'reminder',
    to: clerk.email,
    reportId: input.reportId,
    ...(left >= 0
      ? reminderMail({ unitName: input.unitName, year: input.year, daysLeft: left, deadline: input.deadline, returned: input.status === 'returned', link })
      : overdueMail({ unitName: input.unitName, year: input.year, daysLate: -left, deadline: input.deadline, link })),
  }));
  const keys = mails.map((m) => m.dedupKey);
  const [insert] = enqueueWhere(db, pending, mails, now);
  const results = await db.batch([
    insert!,
    // Only when this press queued the mail (an earlier one today queued it already, or the report was submitted meanwhile).
    reportEvent(db, {
      where: sql`${pending} AND EXISTS (SELECT 1 FROM ${outbox} o WHERE o.dedup_key IN (SELECT value FROM json_each(${JSON.stringify(keys)})) AND o.created_at = ${now})`,
      at: now,
      actorId: viewer.personId,
      actor: viewer.actor,
      action: 'report.remind',
      revision: sql`r.current_revision_id`,
      // Not a transition: the report stays as it was.
      from: input.status,
      to: input.status,
      detail: { day: today, to: clerks.map((c) => c.email) },
    }),
  ]);
  if (results[0]!.meta.changes > 0) return { outcome: 'sent', to: clerks.map((c) => c.email) };
  const queuedToday = await db.select({ id: outbox.id }).from(outbox).where(inArray(outbox.dedupKey, keys)).limit(1);
  return { outcome: queuedToday.length ? 'already' : 'submitted' };
}
