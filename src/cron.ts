// The Cron Triggers (wrangler.toml [triggers], src/cron-schedules.ts). "Now" is always the
// trigger's scheduledTime, never the wall clock: a run that starts late (or is replayed in a
// test, or by POST /dev/cron in development) still decides what is due as of the time it was
// meant for.
import { beijingRfc3339 } from './core/time';
import { DAILY_CRON } from './core/cron-schedules';
import { getDb } from './db/client';
import { configuredMailOrigin } from './http/origin';
import type { Env } from './db/env';
import { deliverDue, type DeliveryReport } from './mail/outbox';
import { queueDailyMail } from './reminders/daily';
import { senderAddress, transportFor } from './mail/transports';

/**
 * Messages delivered per run at most. Each costs about three subrequests (claim, send, record),
 * so 200 stays within the Workers Paid limit of 1,000 per invocation; what is left waits for
 * the next run, ten minutes later.
 */
export const MAIL_BATCH_LIMIT = 200;

/** What one run did: the mail it queued (who gets what) and what its delivery pass did. */
export interface CronRun {
  cron: string;
  scheduled_time: string;
  /** The daily work ran (only for the daily expression); otherwise the run only delivered mail. */
  daily: boolean;
  queued: { to: string; kind: string; subject: string }[];
  delivered: DeliveryReport;
}

export async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  await runScheduled(env, controller.cron, controller.scheduledTime);
}

/**
 * One Cron Trigger run, as scheduled() makes it; POST /dev/cron calls it too, to replay a date.
 * Any other expression than the daily one (e.g. a run started by hand from the dashboard) only
 * delivers mail: the daily work must not run twice in a day because someone tested a trigger.
 */
export async function runScheduled(env: Env, cron: string, now: number): Promise<CronRun> {
  const daily = cron === DAILY_CRON;
  // Links in cron mail have no request to take a host from: BASE_URL, or the local demo's address.
  const origin = configuredMailOrigin(env);
  // Without the public origin the reminders' links would point nowhere: queue none (the schedule
  // catches a missed reminder up once on the first run after BASE_URL is set), deliver the rest.
  if (daily && origin === undefined) {
    console.error('BASE_URL is not set: the daily reminders and digests were not queued (their links need the public origin). Set BASE_URL in wrangler.toml [vars].');
  }
  const queued = daily && origin !== undefined ? await queueDailyMail(getDb(env.DB), now, origin) : [];
  if (daily) console.log(`cron daily ${new Date(now).toISOString()}: queued ${queued.length} reminder/digest/summary message(s)`);
  const delivered = await deliverMail(env, now);
  return {
    cron,
    scheduled_time: beijingRfc3339(now),
    daily,
    queued: queued.map((m) => ({ to: m.to, kind: m.kind, subject: m.subject })),
    delivered,
  };
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
