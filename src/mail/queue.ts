// Mail on Cloudflare Queues. The outbox stays the record of every message; the mail queue only
// carries outbox ids to the consumer (this Worker's queue handler, src/cron.ts), which delivers
// them in the queue's batches, several batches at once (max_concurrency), retries a failed send
// after the outbox's back-off (message.retry({ delaySeconds })), and after max_retries hands the
// id to the dead-letter queue, whose consumer marks the row failed with the provider's reason.
//
// Who puts ids on the queue: the request whose batch wrote the rows (deliverSoon, right after
// the response), the daily run's work items (src/reminders/daily-queue.ts), and the 10-minute
// cron as the safety net for rows the queue never got (handOverStale). An id on the queue twice
// is harmless: the consumer claims a row before sending it, so it is sent once.
import type { Db } from '../db/client';
import { deliverIds, markDeadLettered, type IdOutcome } from './outbox';
import type { Transport } from './transports';

/** The body of a mail queue message: one outbox id. */
export interface MailQueueMessage {
  mail: number;
}

/**
 * The dead-letter queue's name, exactly as wrangler.toml's [[queues.consumers]] name it: the one
 * queue handler tells its batches apart by name (test/worker/queue-config.test.ts compares).
 */
export const DEAD_LETTER_QUEUE = 'nianbao-dead-letter';

/** Messages per sendBatch call: the platform's limit. */
const SEND_BATCH_MAX = 100;

/** Puts outbox ids on the mail queue, 100 per call. */
export async function sendMailIds(queue: Queue, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += SEND_BATCH_MAX) {
    await queue.sendBatch(ids.slice(i, i + SEND_BATCH_MAX).map((id) => ({ body: { mail: id } satisfies MailQueueMessage })));
  }
}

export const isMailMessage = (body: unknown): body is MailQueueMessage =>
  typeof body === 'object' && body !== null && Number.isSafeInteger((body as MailQueueMessage).mail);

/** What one consumer batch did, for its log line. */
export interface QueueDeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
}

/**
 * The mail consumer: delivers a batch's ids, acknowledges what was sent, failed for good or was
 * not ours to send, and retries a transient failure after the outbox's back-off (1, 2, 4 …
 * minutes, at most 6 hours; the queue's limit is 12).
 */
export async function deliverMailBatch(db: Db, transport: Transport, from: string, messages: readonly Message<unknown>[], now: number): Promise<QueueDeliveryReport> {
  const mail = messages.filter((m): m is Message<MailQueueMessage> => isMailMessage(m.body));
  const outcomes = new Map<number, IdOutcome>((await deliverIds(db, transport, from, [...new Set(mail.map((m) => m.body.mail))], now)).map((o) => [o.id, o]));
  const report: QueueDeliveryReport = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
  const seen = new Set<number>();
  for (const message of mail) {
    const outcome = outcomes.get(message.body.mail)!;
    // The same id twice in one batch: the first copy carries the outcome, the second is a duplicate.
    const result = seen.has(message.body.mail) ? 'skipped' : outcome.result;
    seen.add(message.body.mail);
    if (result === 'retry' && outcome.result === 'retry') {
      message.retry({ delaySeconds: Math.min(Math.ceil(outcome.delayMs / 1000), 43_200) });
      report.retrying++;
    } else {
      message.ack();
      report[result === 'retry' ? 'skipped' : result]++;
    }
  }
  return report;
}

/** The dead-letter consumer's share for mail: the rows are marked failed, the messages acknowledged. */
export async function failDeadLetteredMail(db: Db, messages: readonly Message<unknown>[], now: number): Promise<number> {
  const mail = messages.filter((m): m is Message<MailQueueMessage> => isMailMessage(m.body));
  const failed = await markDeadLettered(db, [...new Set(mail.map((m) => m.body.mail))], now);
  for (const message of mail) message.ack();
  return failed;
}
