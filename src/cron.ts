// The Cron Triggers (wrangler.toml [triggers], src/cron-schedules.ts). "Now" is always the
// trigger's scheduledTime, never the wall clock: a run that starts late (or is replayed in a
// test) still decides what is due as of the time it was meant for.
import { DAILY_CRON } from './cron-schedules';
import { getDb } from './db/client';
import type { Env } from './env';
import { deliverDue, type DeliveryReport } from './mail/outbox';
import { queueDailyMail } from './reminders/daily';
import { senderAddress, transportFor } from './mail/transports';

/**
 * Messages delivered per run at most. Each costs about three subrequests (claim, send, record),
 * so 200 stays within the Workers Paid limit of 1,000 per invocation; what is left waits for
 * the next run, ten minutes later.
 */
export const MAIL_BATCH_LIMIT = 200;

export async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const now = controller.scheduledTime;
  // Any other expression (e.g. a run started by hand from the dashboard) only delivers mail:
  // the daily work must not run twice in a day because someone tested a trigger.
  if (controller.cron === DAILY_CRON) await runDaily(env, now);
  else await deliverMail(env, now);
}

/**
 * The daily run: reminders, overdue notices, the supervisors' digest and the deadline-day
 * summary are queued first, then delivered in the same run.
 */
export async function runDaily(env: Env, now: number): Promise<void> {
  const queued = await queueDailyMail(getDb(env.DB), now, mailOrigin(env));
  console.log(`cron daily ${new Date(now).toISOString()}: queued ${queued} reminder/digest/summary message(s)`);
  await deliverMail(env, now);
}

/** Links in cron mail have no request to take a host from: BASE_URL, or the local demo. */
const mailOrigin = (env: Env) => (env.BASE_URL || 'http://localhost:8787').replace(/\/+$/, '');

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
