// The outbox: every message is written to D1 first — in the same batch as the change that
// caused it — and delivered afterwards, right away (waitUntil) and again by the cron. A failing
// provider delays mail; it never loses it.
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { outbox, type OutboxMessage } from '../db/schema';
import type { Mail, Transport } from './transports';

export interface OutgoingMail {
  /** Unique per message: enqueueing the same key twice sends once. */
  dedupKey: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  reportId?: number;
}

/**
 * A message is retried for a week — long enough to outlast a provider outage, a wrong key fixed
 * after a long weekend, or several missed daily runs — then marked failed and shown to
 * administrators (never deleted).
 */
export const MAX_RETRY_AGE_MS = 7 * 24 * 3_600_000;
/**
 * A claimed message not finished within this time (the Worker died) is claimed again. Longer
 * than the 10-minute delivery cron, so a slow send is never claimed twice.
 */
const CLAIM_LEASE_MS = 15 * 60_000;

/** 1, 2, 4, … minutes after each failure, at most 6 hours. */
function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

/** The insert, to be put in the same db.batch([...]) as the state change that causes it. */
export function enqueue(db: Db, mail: OutgoingMail, now: number) {
  return db
    .insert(outbox)
    .values({
      dedupKey: mail.dedupKey,
      kind: mail.kind,
      toAddress: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html ?? null,
      reportId: mail.reportId ?? null,
      status: 'pending',
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing({ target: outbox.dedupKey });
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  /** Claimed by another run at the same time: not ours to send. */
  skipped: number;
}

/**
 * Delivers up to `limit` due messages. Each one is claimed with a conditional UPDATE first, so
 * two runs at once never send the same message twice.
 */
export async function deliverDue(
  db: Db,
  transport: Transport,
  from: string,
  { now, limit = 50 }: { now: number; limit?: number },
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
  const due = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(inArray(outbox.status, ['pending', 'sending']), lte(outbox.nextAttemptAt, now)))
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
    .limit(limit);

  for (const { id } of due) {
    const [message] = await db
      .update(outbox)
      .set({ status: 'sending', attempts: sql`${outbox.attempts} + 1`, nextAttemptAt: now + CLAIM_LEASE_MS, lastAttemptAt: now })
      .where(and(eq(outbox.id, id), inArray(outbox.status, ['pending', 'sending']), lte(outbox.nextAttemptAt, now)))
      .returning();
    if (!message) {
      report.skipped++;
      continue;
    }
    const mail: Mail = {
      from,
      to: message.toAddress,
      subject: message.subject,
      text: message.textBody,
      ...(message.htmlBody ? { html: message.htmlBody } : {}),
      idempotencyKey: `nianbao-outbox-${message.id}`,
    };
    let outcome;
    try {
      outcome = await transport.send(mail);
    } catch (error) {
      outcome = { ok: false as const, retry: true, error: error instanceof Error ? error.message : String(error) };
    }
    const mine = and(eq(outbox.id, id), eq(outbox.status, 'sending'));
    if (outcome.ok) {
      await db.update(outbox).set({ status: 'sent', sentAt: now, lastError: null }).where(mine);
      report.sent++;
    } else if (outcome.retry && now + retryDelayMs(message.attempts) <= message.createdAt + MAX_RETRY_AGE_MS) {
      const next = now + retryDelayMs(message.attempts);
      await db.update(outbox).set({ status: 'pending', nextAttemptAt: next, lastError: outcome.error }).where(mine);
      report.retrying++;
    } else {
      await db.update(outbox).set({ status: 'failed', lastError: outcome.error }).where(mine);
      report.failed++;
    }
  }
  return report;
}

/** The newest messages first, whatever their state: in development the outbox is the mailbox (/dev/mail). */
export function newestMessages(db: Db, limit: number): Promise<OutboxMessage[]> {
  return db.select().from(outbox).orderBy(desc(outbox.createdAt), desc(outbox.id)).limit(limit);
}
