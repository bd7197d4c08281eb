// POST /dev/cron?cron=…&time=… (api.md "Development only"): runs a Cron Trigger's work as of
// any moment, so a developer or an administrator trying the product can watch a cycle's
// January happen before it does (npm run replay). wrangler dev cannot do this itself: with
// [assets] configured, its /cdn-cgi/handler/scheduled answers 500 and /__scheduled ignores
// `time`. Mounted behind the development-only guard in src/app.ts, like /dev/mail.
import { Hono } from 'hono';
import { parseInstant } from '../../core';
import { CRON_SCHEDULES, DAILY_CRON } from '../../core/cron-schedules';
import type { AppEnv } from '../../http/app-env';
import type { Env } from '../../db/env';
import { invalidInput, type ErrorDetail } from '../../http/errors';
import { lang } from '../../http/lang';

/** The scheduled handler's work for one trigger: src/cron.ts runScheduled, passed in by the app. */
export type ScheduledRun = (env: Env, cron: string, scheduledTime: number) => Promise<unknown>;

export function devCronRoutes(runScheduled: ScheduledRun) {
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
    return c.json(await runScheduled(c.env, cron, scheduledTime!));
  });

  return routes;
}
