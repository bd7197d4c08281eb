// POST /dev/cron (api.md "Development only"): the scheduled handler's work as of any moment, so
// a cycle's January can be watched before it happens. Replays January through the route, the
// way `npm run replay` does against wrangler dev, and counts exactly who got which mail.
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { DAILY_CRON, MAIL_CRON } from '../../src/core/cron-schedules';
import { adminPut, BASE, sessionCookie, submitAllZero, calendarDays, putDinghaiTowns } from './report-helpers';

const app = createApp();

interface CronRun {
  cron: string;
  scheduled_time: string;
  daily: boolean;
  queued: { to: string; kind: string; subject: string }[];
  delivered: { sent: number; retrying: number; failed: number; skipped: number };
}

/**
 * The real app with another ENVIRONMENT (the test Worker itself runs with 'test'). Posted as an
 * API client posts (a JSON content type): a form post from another site is refused (CSRF).
 */
const postCron = (query: string, environment = 'development', headers: Record<string, string> = {}) =>
  app.fetch(
    new Request(`${BASE}/dev/cron${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }),
    { ...env, ENVIRONMENT: environment },
    createExecutionContext(),
  );

async function replayDay(date: string): Promise<CronRun> {
  const res = await postCron(`?cron=${encodeURIComponent(DAILY_CRON)}&time=${date}T09:00:00%2B08:00`);
  expect(res.status).toBe(200);
  return (await res.json()) as CronRun;
}

beforeAll(async () => {
  await putDinghaiTowns();
  await adminPut('/people/jt2@example.gov.cn', { name: '孙丽', role: 'clerk', units: ['JT'] });
  expect((await adminPut('/cycles/2026', { template: 'gov-2021', deadline: '2027-01-31T23:59:59+08:00', reminder_days: [30, 14, 7, 3, 1, 0] })).status).toBe(201);
  // 白泉镇 submitted before January: it must get no reminder at all.
  await submitAllZero('BQ', 2026, await sessionCookie('bq@example.gov.cn'));
});

describe('POST /dev/cron', () => {
  it('does not exist outside development', async () => {
    for (const environment of ['production', 'test', 'staging']) {
      const res = await postCron(`?cron=${encodeURIComponent(DAILY_CRON)}&time=2027-01-01T09:00:00%2B08:00`, environment);
      expect(res.status).toBe(404);
    }
  });

  it('replays January: each unit not submitted gets exactly its reminders and one overdue notice, a submitted unit none, a day twice nothing twice', async () => {
    const received = new Map<string, string[]>();
    for (const date of calendarDays('2027-01-01', '2027-02-03')) {
      const run = await replayDay(date);
      expect(run).toMatchObject({ cron: DAILY_CRON, scheduled_time: `${date}T09:00:00+08:00`, daily: true });
      // What it queued went out in the same run (the capture transport in development).
      expect(run.delivered.sent).toBeGreaterThanOrEqual(run.queued.length);
      for (const mail of run.queued) received.set(mail.to, [...(received.get(mail.to) ?? []), `${date} ${mail.kind} ${mail.subject}`]);
      if (date === '2027-01-17') {
        // The same day again (a second click, an overlapping run): nothing new.
        const again = await replayDay(date);
        expect(again.queued).toEqual([]);
        expect(again.delivered.sent).toBe(0);
      }
    }

    const reminderDays = ['2027-01-01', '2027-01-17', '2027-01-24', '2027-01-28', '2027-01-30', '2027-01-31'];
    const daysLeft = ['还有30天截止', '还有14天截止', '还有7天截止', '还有3天截止', '还有1天截止', '今天截止'];
    for (const [clerk, unit] of [['jt@example.gov.cn', '金塘镇'], ['jt2@example.gov.cn', '金塘镇'], ['gl@example.gov.cn', '干览镇']] as const) {
      expect(received.get(clerk)).toEqual([
        ...reminderDays.map((d, i) => `${d} reminder 年报提醒：${unit}2026年度报告${daysLeft[i]}`),
        expect.stringMatching(new RegExp(`^2027-02-01 overdue .*${unit}`)),
      ]);
    }
    expect(received.get('bq@example.gov.cn')).toBeUndefined();
    // The supervisor: 白泉镇 waits for review every day (a digest each), and the late list once.
    const supervisor = received.get('sup@example.gov.cn')!;
    expect(supervisor.filter((m) => m.includes(' digest ')).length).toBe(34);
    expect(supervisor.filter((m) => m.includes(' late-units ')).length).toBe(1);
  });

  it('runs the mail-only trigger without the daily work, and defaults to the daily run now', async () => {
    const mailOnly = await postCron(`?cron=${encodeURIComponent(MAIL_CRON)}&time=1801000000000`);
    expect(mailOnly.status).toBe(200);
    expect(await mailOnly.json()).toMatchObject({ cron: MAIL_CRON, daily: false, queued: [], scheduled_time: '2027-01-27T05:46:40+08:00' });
    const now = await postCron('');
    expect(now.status).toBe(200);
    const body = (await now.json()) as CronRun;
    expect(body.cron).toBe(DAILY_CRON);
    expect(Math.abs(Date.parse(body.scheduled_time) - Date.now())).toBeLessThan(60_000);
  });

  it('with via=queue, runs a day through the queues and answers once its mail is out (npm run bench:scale)', async () => {
    // 2 February: 金塘镇 and 干览镇 were sent their overdue notices on the 1st; 白泉镇 still waits for review.
    const res = await postCron(`?cron=${encodeURIComponent(DAILY_CRON)}&time=2027-02-02T09:00:00%2B08:00&via=queue`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { work_items: number; sent: number; planned_ms: number; total_ms: number };
    // The 2026 cycle's chunk of late units, its late lists and summary, and the digests.
    expect(body.work_items).toBe(4);
    // The supervisor's digest is the only new message, sent by the Worker's own consumer.
    expect(body.sent).toBe(1);
    expect(body.total_ms).toBeGreaterThanOrEqual(body.planned_ms);
    const bad = await postCron(`?cron=${encodeURIComponent(MAIL_CRON)}&via=queue`);
    expect(bad.status).toBe(422);
  });

  it('refuses a form post from another site (CSRF), like every other post', async () => {
    const res = await postCron(`?time=2027-01-01T09:00:00%2B08:00`, 'development', { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });

  it('names the field of a bad expression or time, in Chinese or English', async () => {
    const bad = await postCron('?cron=*%20*%20*%20*%20*&time=2027-02-30T09:00:00%2B08:00');
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as { error: { code: string; details: { field: string; message: string }[] } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.details.map((d) => d.field)).toEqual(['cron', 'time']);
    expect(body.error.details[0]!.message).toContain('0 1 * * *');
    expect(body.error.details[1]!.message).toContain('RFC 3339');
    const en = await postCron('?time=99999999999999999', 'development', { 'Accept-Language': 'en' });
    expect(en.status).toBe(422);
    expect(((await en.json()) as { error: { details: { message: string }[] } }).error.details[0]!.message).toMatch(/^time must be/);
  });
});
