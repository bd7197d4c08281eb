// The outbox: every message is written to D1 first — in the same batch as the change that
// caused it — and delivered afterwards: its id goes on the mail queue (src/mail/queue.ts), whose
// consumer sends it (deliverIds); without a queue, deliverDue sends what is due. Either way a
// message is claimed with a conditional UPDATE before it is sent, so it is sent once however
// often it is handed over. A failing provider delays mail; it never loses it.
import { and, asc, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { outbox, type OutboxMessage } from '../db/schema';
import type { Mail, SendOutcome, Transport } from './transports';

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
export function retryDelayMs(attempts: number): number {
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

/** A message the insert added (its key was new), with its outbox id. */
export interface QueuedMail extends OutgoingMail {
  id: number;
}

/**
 * Inserts messages, 50 per statement (one JSON parameter) and up to 20 statements per batch; a
 * key already queued (an earlier or overlapping run, a work item delivered twice) inserts
 * nothing. Returns the messages whose insert took effect, with their ids.
 */
export async function insertMail(db: Db, mails: OutgoingMail[], now: number): Promise<QueuedMail[]> {
  const statements = [];
  for (let i = 0; i < mails.length; i += 50) {
    const rows = mails.slice(i, i + 50).map((m) => ({ key: m.dedupKey, kind: m.kind, to: m.to, subject: m.subject, text: m.text, html: m.html ?? null, report: m.reportId ?? null }));
    statements.push(
      db.all<{ id: number; key: string }>(
        sql`INSERT INTO ${outbox} (dedup_key, kind, to_address, subject, text_body, html_body, status, next_attempt_at, created_at, report_id)
           SELECT m.value ->> '$.key', m.value ->> '$.kind', m.value ->> '$.to', m.value ->> '$.subject', m.value ->> '$.text',
             m.value ->> '$.html', 'pending', ${now}, ${now}, m.value ->> '$.report'
           FROM json_each(${JSON.stringify(rows)}) m WHERE true
           ON CONFLICT (dedup_key) DO NOTHING
           RETURNING id, dedup_key AS key`,
      ),
    );
  }
  const ids = new Map<string, number>();
  for (let i = 0; i < statements.length; i += 20) {
    const [first, ...rest] = statements.slice(i, i + 20);
    for (const inserted of await db.batch([first!, ...rest])) for (const row of inserted) ids.set(row.key, row.id);
  }
  return mails.flatMap((m) => (ids.has(m.dedupKey) ? [{ ...m, id: ids.get(m.dedupKey)! }] : []));
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
      .set(claim(now))
      .where(and(eq(outbox.id, id), inArray(outbox.status, ['pending', 'sending']), lte(outbox.nextAttemptAt, now)))
      .returning();
    if (!message) {
      report.skipped++;
      continue;
    }
    const settled = settle(db, message, await attempt(transport, from, message), now);
    await settled.update;
    report[settled.result === 'retry' ? 'retrying' : settled.result]++;
  }
  return report;
}

/** What became of one id the queue handed over. */
export type IdOutcome = { id: number; result: 'sent' | 'failed' | 'skipped' } | { id: number; result: 'retry'; delayMs: number };

/**
 * Delivers the messages with these ids (one queue batch, at most 100: one bound parameter for
 * them all). Claims them in one UPDATE — a message still pending (the queue's delivery is the
 * signal, whatever its next_attempt_at), or one whose claim has lapsed (a Worker died while
 * sending it) — sends the claimed ones side by side and records every outcome in one batch.
 * A message already sent or failed, or being sent by another consumer, is skipped: an id the
 * queue delivers twice is sent once.
 */
export async function deliverIds(db: Db, transport: Transport, from: string, ids: readonly number[], now: number): Promise<IdOutcome[]> {
  if (ids.length === 0) return [];
  const claimed = await db
    .update(outbox)
    .set(claim(now))
    .where(
      and(
        sql`${outbox.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
        or(eq(outbox.status, 'pending'), and(eq(outbox.status, 'sending'), lte(outbox.nextAttemptAt, now))),
      ),
    )
    .returning();
  const settled = await Promise.all(claimed.map(async (message) => settle(db, message, await attempt(transport, from, message), now)));
  // The sent ones in one statement (most of a batch), each retry or failure in its own.
  const sent = settled.filter((s) => s.result === 'sent').map((s) => s.id);
  const records = [
    ...(sent.length
      ? [db.update(outbox).set({ status: 'sent', sentAt: now, lastError: null }).where(and(sql`${outbox.id} IN (SELECT value FROM json_each(${JSON.stringify(sent)}))`, eq(outbox.status, 'sending')))]
      : []),
    ...settled.filter((s) => s.result !== 'sent').map((s) => s.update),
  ];
  const [first, ...rest] = records;
  if (first) await db.batch([first, ...rest]);
  const byId = new Map(settled.map((s) => [s.id, s]));
  return ids.map((id) => {
    const s = byId.get(id);
    if (!s) return { id, result: 'skipped' };
    return s.result === 'retry' ? { id, result: 'retry', delayMs: s.delayMs } : { id, result: s.result };
  });
}

/**
 * The queue gave up on these ids (the dead-letter queue's consumer): each one not sent meanwhile
 * is marked failed, keeping the provider's last answer as the reason. Administrators see it on
 * the mail page and can send it again.
 */
export async function markDeadLettered(db: Db, ids: readonly number[], now: number): Promise<number> {
  if (ids.length === 0) return 0;
  const failed = await db
    .update(outbox)
    .set({ status: 'failed', lastError: sql`coalesce(${outbox.lastError}, 'never delivered') || ' (the mail queue gave up after its retries)'` })
    .where(
      and(
        sql`${outbox.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
        or(eq(outbox.status, 'pending'), and(eq(outbox.status, 'sending'), lte(outbox.nextAttemptAt, now))),
      ),
    )
    .returning({ id: outbox.id });
  return failed.length;
}

/**
 * The safety net's share (the 10-minute cron): ids of messages the queue seems never to have got
 * — pending and due for longer than `staleMs`, or claimed by a Worker that died — restamped as
 * handed over now, so the next run does not hand them over again while the queue works through
 * them. At most `limit` per run.
 */
export async function handOverStale(db: Db, now: number, staleMs: number, limit: number): Promise<number[]> {
  const rows = await db
    .update(outbox)
    .set({ nextAttemptAt: now })
    .where(
      sql`${outbox.id} IN (SELECT id FROM ${outbox} WHERE (status = 'pending' AND next_attempt_at <= ${now - staleMs}) OR (status = 'sending' AND next_attempt_at <= ${now}) ORDER BY next_attempt_at, id LIMIT ${limit})`,
    )
    .returning({ id: outbox.id });
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** The columns a claim sets: one more attempt, leased for CLAIM_LEASE_MS. */
function claim(now: number) {
  return { status: 'sending' as const, attempts: sql`${outbox.attempts} + 1`, nextAttemptAt: now + CLAIM_LEASE_MS, lastAttemptAt: now };
}

async function attempt(transport: Transport, from: string, message: OutboxMessage): Promise<SendOutcome> {
  const mail: Mail = {
    from,
    to: message.toAddress,
    subject: message.subject,
    text: message.textBody,
    ...(message.htmlBody ? { html: message.htmlBody } : {}),
    idempotencyKey: `nianbao-outbox-${message.id}`,
  };
  try {
    return await transport.send(mail);
  } catch (error) {
    return { ok: false, retry: true, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The UPDATE that records an attempt's outcome on a message we claimed (and only while ours). */
function settle(db: Db, message: OutboxMessage, outcome: SendOutcome, now: number) {
  const mine = and(eq(outbox.id, message.id), eq(outbox.status, 'sending'));
  const id = message.id;
  if (outcome.ok) return { id, result: 'sent' as const, update: db.update(outbox).set({ status: 'sent', sentAt: now, lastError: null }).where(mine) };
  const delayMs = retryDelayMs(message.attempts);
  if (outcome.retry && now + delayMs <= message.createdAt + MAX_RETRY_AGE_MS) {
    return { id, result: 'retry' as const, delayMs, update: db.update(outbox).set({ status: 'pending', nextAttemptAt: now + delayMs, lastError: outcome.error }).where(mine) };
  }
  return { id, result: 'failed' as const, update: db.update(outbox).set({ status: 'failed', lastError: outcome.error }).where(mine) };
}

/** The newest messages first, whatever their state: in development the outbox is the mailbox (/dev/mail). */
export function newestMessages(db: Db, limit: number): Promise<OutboxMessage[]> {
  return db.select().from(outbox).orderBy(desc(outbox.createdAt), desc(outbox.id)).limit(limit);
}
