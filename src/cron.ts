// The Cron Triggers (wrangler.toml [triggers], src/cron-schedules.ts) and the queue consumer
// (wrangler.toml [[queues.consumers]]). "Now" is always the trigger's scheduledTime, never the
// wall clock: a run that starts late (or is replayed in a test, or by POST /dev/cron in
// development) still decides what is due as of the time it was meant for.
//
// With the queues bound (production, wrangler dev, the tests): the daily run plans its work and
// puts it on the daily queue (src/reminders/daily-queue.ts); the mail goes out through the mail
// queue (src/mail/queue.ts); the 10-minute run is the safety net for what the queues never got.
// Without them, or `inline` (POST /dev/cron, which reports what a day queued), a run does the
// work itself and delivers MAIL_BATCH_LIMIT messages, as before the queues.
import { beijingRfc3339 } from './core/time';
import { DAILY_CRON } from './core/cron-schedules';
import { getDb, type Db } from './db/client';
import { configuredMailOrigin } from './http/origin';
import type { Env } from './db/env';
import { deliverDue, handOverStale, type DeliveryReport } from './mail/outbox';
import { DEAD_LETTER_QUEUE, deliverMailBatch, failDeadLetteredMail, isMailMessage, sendMailIds } from './mail/queue';
import { queueDailyMail } from './reminders/daily';
import { dailyRunProgress, doDailyItem, failDeadLetteredWork, fanOutDailyRun, isDailyMessage, requeueStaleWork } from './reminders/daily-queue';
import { senderAddress, transportFor } from './mail/transports';

/**
 * Messages delivered per run at most without the queue. Each costs about three subrequests
 * (claim, send, record), so 200 stays within the Workers Paid limit of 1,000 per invocation;
 * what is left waits for the next run, ten minutes later.
 */
export const MAIL_BATCH_LIMIT = 200;

/**
 * The safety net hands over a pending message the queue should have delivered by now: due for
 * this long (the queue delivers within seconds; a backlog of a reminder day within minutes).
 */
export const MAIL_STALE_MS = 10 * 60_000;
/** Ids the safety net hands over per run: 10 sendBatch calls. */
const STALE_HANDOVER_LIMIT = 1_000;

/** What one run did: the mail it queued (who gets what) and what its delivery pass did. */
export interface CronRun {
  cron: string;
  scheduled_time: string;
  /** The daily work ran (only for the daily expression); otherwise the run only delivered mail. */
  daily: boolean;
  /** The messages the run queued itself (inline); with the daily queue, its items do. */
  queued: { to: string; kind: string; subject: string }[];
  /** Inline: what the delivery pass did; with the queue, nothing (the consumer delivers). */
  delivered: DeliveryReport;
  /** With the queues: work items put on the daily queue, and the safety net's hand-overs. */
  handed_over?: { work_items: number; stale_work_items: number; stale_mail: number };
}

const queuesOf = (env: Env) => (env.MAIL_QUEUE && env.DAILY_QUEUE ? { mail: env.MAIL_QUEUE, daily: env.DAILY_QUEUE } : undefined);

export async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  await runScheduled(env, controller.cron, controller.scheduledTime);
}

/**
 * One Cron Trigger run, as scheduled() makes it; POST /dev/cron calls it too (inline), to replay
 * a date. Any other expression than the daily one (e.g. a run started by hand from the dashboard)
 * only delivers mail: the daily work must not run twice in a day because someone tested a trigger.
 */
export async function runScheduled(env: Env, cron: string, now: number, { inline = false } = {}): Promise<CronRun> {
  const daily = cron === DAILY_CRON;
  const db = getDb(env.DB);
  // Links in cron mail have no request to take a host from: BASE_URL, or the local demo's address.
  const origin = configuredMailOrigin(env);
  // Without the public origin the reminders' links would point nowhere: queue none (the schedule
  // catches a missed reminder up once on the first run after BASE_URL is set), deliver the rest.
  if (daily && origin === undefined) {
    console.error('BASE_URL is not set: the daily reminders and digests were not queued (their links need the public origin). Set BASE_URL in wrangler.toml [vars].');
  }
  const planned = daily && origin !== undefined;
  const run = { cron, scheduled_time: beijingRfc3339(now), daily };
  const queues = inline ? undefined : queuesOf(env);

  if (queues) {
    const workItems = planned ? await fanOutDailyRun(db, queues.daily, now, origin) : 0;
    if (daily) console.log(`cron daily ${new Date(now).toISOString()}: ${workItems} work item(s) on the daily queue`);
    const staleWork = await requeueStaleWork(db, queues.daily, now);
    const staleMail = await handOverStale(db, now, MAIL_STALE_MS, STALE_HANDOVER_LIMIT);
    await sendMailIds(queues.mail, staleMail);
    console.log(`cron ${new Date(now).toISOString()}: safety net queued ${staleWork} work item(s) and ${staleMail.length} message(s) again`);
    return { ...run, queued: [], delivered: { sent: 0, retrying: 0, failed: 0, skipped: 0 }, handed_over: { work_items: workItems, stale_work_items: staleWork, stale_mail: staleMail.length } };
  }

  const queued = planned ? await queueDailyMail(db, now, origin) : [];
  if (daily) console.log(`cron daily ${new Date(now).toISOString()}: queued ${queued.length} reminder/digest/summary message(s)`);
  const delivered = await deliverMail(env, now);
  return { ...run, queued: queued.map((m) => ({ to: m.to, kind: m.kind, subject: m.subject })), delivered };
}

/** Delivers the mail that is due at `now` (new, or waiting for a retry) and logs one line. */
export async function deliverMail(env: Env, now: number): Promise<DeliveryReport> {
  const transport = transportFor(env);
  const report = await deliverDue(getDb(env.DB), transport, senderAddress(env), { now, limit: MAIL_BATCH_LIMIT });
  console.log(
    `cron mail ${new Date(now).toISOString()} via ${transport.name}: ` +
      `sent ${report.sent}, retrying ${report.retrying}, failed ${report.failed}, skipped ${report.skipped}`,
  );
  return report;
}

/**
 * The queue consumer, for all three queues: mail ids are delivered (or, from the dead-letter
 * queue, marked failed), daily work items done. Told apart by their bodies, and the dead letters
 * by their queue's name.
 */
export async function queue(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  const db = getDb(env.DB);
  const now = Date.now();
  if (batch.queue === DEAD_LETTER_QUEUE) {
    const failed = await failDeadLetteredMail(db, batch.messages, now);
    if (failed > 0) console.error(`queue ${batch.queue}: ${failed} message(s) marked failed after the mail queue's retries`);
    await failDeadLetteredWork(db, batch.messages);
    ackUnknown(batch);
    return;
  }
  const mail = batch.messages.filter((m) => isMailMessage(m.body));
  if (mail.length > 0) {
    const transport = transportFor(env);
    const report = await deliverMailBatch(db, transport, senderAddress(env), mail, now);
    console.log(`queue ${batch.queue} via ${transport.name}: sent ${report.sent}, retrying ${report.retrying}, failed ${report.failed}, skipped ${report.skipped}`);
  }
  for (const message of batch.messages) {
    if (isDailyMessage(message.body)) await doWorkItem(db, env, message);
  }
  ackUnknown(batch);
}

async function doWorkItem(db: Db, env: Env, message: Message<unknown>): Promise<void> {
  if (!isDailyMessage(message.body)) return;
  if (!env.MAIL_QUEUE) {
    console.error('MAIL_QUEUE is not bound: a daily work item was dropped (the next daily run catches its reminders up).');
    message.ack();
    return;
  }
  const added = await doDailyItem(db, env.MAIL_QUEUE, message.body);
  console.log(`daily run ${new Date(message.body.run).toISOString()}: work item ${message.body.item.kind} queued ${added} message(s)`);
  message.ack();
}

/** A body of no known shape can never be handled: acknowledged (and logged), not retried forever. */
function ackUnknown(batch: MessageBatch<unknown>): void {
  for (const message of batch.messages) {
    if (!isMailMessage(message.body) && !isDailyMessage(message.body)) {
      console.error(`queue ${batch.queue}: message ${message.id} of unknown shape dropped`);
      message.ack();
    }
  }
}

/**
 * A reminder day through the queues, awaited (the scale bench, POST /dev/cron?via=queue): the
 * daily run at `now`, then waits until every work item is done and none of its messages is still
 * pending or being sent. Returns how long that took and how many messages were sent.
 */
export async function runDayThroughQueues(env: Env, now: number, { timeoutMs = 15 * 60_000, pollMs = 100 } = {}) {
  const started = Date.now();
  const run = await runScheduled(env, DAILY_CRON, now);
  if (!run.handed_over) throw new Error('the queues are not bound (MAIL_QUEUE, DAILY_QUEUE)');
  const queuedMs = Date.now() - started;
  const db = getDb(env.DB);
  for (;;) {
    const progress = await dailyRunProgress(db, now);
    if (progress.itemsLeft === 0 && progress.mailLeft === 0) {
      return { work_items: run.handed_over.work_items, sent: progress.sent, planned_ms: queuedMs, total_ms: Date.now() - started };
    }
    if (Date.now() - started > timeoutMs) throw new Error(`the day was not done after ${timeoutMs} ms: ${JSON.stringify(progress)}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
