// POST /dev/cron?cron=…&time=… (api.md "Development only"): runs a Cron Trigger's work as of
// any moment, so a developer or an administrator trying the product can watch a cycle's
// January happen before it does (npm run replay). wrangler dev cannot do this itself: with
// [assets] configured, its /cdn-cgi/handler/scheduled answers 500 and /__scheduled ignores
// `time`. Mounted behind the development-only guard in src/app.ts, like /dev/mail.
// The run is done in the request (inline), so the answer lists what the day queued and
// delivered. With `via=queue` the day goes through the queues as in production, and the answer
// comes once every work item is done and none of its mail is pending: how long a reminder day
// takes (npm run bench:scale).
import { Hono } from 'hono';
import { parseInstant } from '../../core';
import { CRON_SCHEDULES, DAILY_CRON } from '../../core/cron-schedules';
import type { AppEnv } from '../../http/app-env';
import type { Env } from '../../db/env';
import { invalidInput, type ErrorDetail } from '../../http/errors';
import { lang } from '../../http/lang';

/** The scheduled handler's work for one trigger: src/cron.ts runScheduled, passed in by the app. */
export type ScheduledRun = (env: Env, cron: string, scheduledTime: number, options: { inline: boolean }) => Promise<unknown>;
/** A daily run through the queues, awaited: src/cron.ts runDayThroughQueues. */
export type QueuedDay = (env: Env, scheduledTime: number) => Promise<unknown>;

export function devCronRoutes(runScheduled: ScheduledRun, runDayThroughQueues: QueuedDay) {
  const routes = new Hono<AppEnv>();

  routes.post('/cron', async (c) => {
    const en = lang(c) === 'en';
    const cron = c.req.query('cron') ?? DAILY_CRON;
    const time = c.req.query('time');
    const problems: ErrorDetail[] = [];
    // Only the expressions wrangler.toml triggers: anything else could never happen in production.
    if (!CRON_SCHEDULES.includes(cron)) {
      const list = CRON_SCHEDULES.map((s) => `"${s}"`).join(en ? ', ' : '、');
      problems.push({ field: 'cron', message: en ? `cron must be one of the configured triggers: ${list}` : `cron 应为已配置的定时触发器之一：${list}` });
    }
    const via = c.req.query('via') ?? 'inline';
    if (via !== 'inline' && via !== 'queue') problems.push({ field: 'via', message: en ? 'via must be inline or queue' : 'via 应为 inline 或 queue' });
    else if (via === 'queue' && (cron !== DAILY_CRON || !c.env.MAIL_QUEUE || !c.env.DAILY_QUEUE)) {
      problems.push({ field: 'via', message: en ? 'via=queue runs the daily trigger, with the queues bound' : 'via=queue 仅用于每日任务，且须绑定队列' });
    }
    const scheduledTime = time === undefined ? Date.now() : parseInstant(time);
    if (scheduledTime === undefined) {
      problems.push({
        field: 'time',
        message: en
          ? 'time must be epoch milliseconds or an RFC 3339 time with an offset, e.g. 2027-01-01T09:00:00+08:00'
          : 'time 应为毫秒时间戳或带时区的 RFC 3339 时间，如 2027-01-01T09:00:00+08:00',
      });
    }
    if (problems.length > 0) throw invalidInput(problems);

    c.header('Cache-Control', 'no-store');
    if (via === 'queue') return c.json(await runDayThroughQueues(c.env, scheduledTime!));
    return c.json(await runScheduled(c.env, cron, scheduledTime!, { inline: true }));
  });

  return routes;
}
