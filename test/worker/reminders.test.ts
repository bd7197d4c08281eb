// The daily cron through the real scheduled handler, the real local queues (the test Worker
// consumes them, as in production) and a real local D1: replay 1 January to 1 February day by
// day and count exactly the mail each person gets.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DAILY_CRON } from '../../src/core/cron-schedules';
import { getDb } from '../../src/db/client';
import { dailyRunProgress } from '../../src/reminders/daily-queue';
import worker from '../../src';
import { adminPut, BASE, sessionCookie, submitAllZero, calendarDays, putDinghaiTowns } from './report-helpers';

const day = (date: string) => Date.parse(`${date}T09:00:00+08:00`); // 01:00 UTC, as the trigger fires

/**
 * One daily run, then wait until its day is done: every work item the daily queue carried, and
 * every message the mail queue carried, consumed by the Worker (ENVIRONMENT=test: the capture
 * transport). `overrides` change the cron's bindings only (the consumer runs with the test's).
 */
async function runDaily(scheduledTime: number, overrides: Partial<typeof env> = {}) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: DAILY_CRON, scheduledTime }), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  const db = getDb(env.DB);
  await vi.waitFor(async () => expect(await dailyRunProgress(db, scheduledTime)).toMatchObject({ itemsLeft: 0, mailLeft: 0 }), { timeout: 20_000, interval: 20 });
}

/** A Worker deployed without queues: the cron does the day's work and delivers the mail itself. */
const NO_QUEUES = { MAIL_QUEUE: undefined, DAILY_QUEUE: undefined };

type Mail = { to_address: string; kind: string; subject: string; text_body: string; dedup_key: string; status: string; attempts: number };
const mails = async () => (await env.DB.prepare('select * from outbox order by id').all<Mail>()).results;
const count = (list: Mail[], to: string, kind: string) => list.filter((m) => m.to_address === to && m.kind === kind).length;

beforeAll(async () => {
  await putDinghaiTowns();
  await adminPut('/people/admin@example.gov.cn', { name: '赵敏', role: 'admin', units: [] });
  expect((await adminPut('/cycles/2025', { template: 'gov-2021', deadline: '2026-01-31T23:59:59+08:00', reminder_days: [30, 14, 7, 3, 1, 0] })).status).toBe(201);
});

describe('replaying January day by day', () => {
  // Every test of this describe reads what the one replay left: the mail, and the progress.
  beforeAll(async () => {
    for (const date of calendarDays('2026-01-01', '2026-02-01')) {
      // 白泉镇 submits on 20 January: no reminders after that, and its supervisor gets digests.
      if (date === '2026-01-20') await submitAllZero('BQ', 2025, await sessionCookie('bq@example.gov.cn'));
      await runDaily(day(date));
      if (date === '2026-01-10') await runDaily(day(date)); // the same day twice sends nothing twice
    }
    // 33 days, each waiting for the queues (their batch window is a second).
  }, 120_000);

  it('reminds each unit on each offset day until it submits, then overdue notices, digests and one summary', async () => {
    const all = await mails();
    // 金塘镇 and 干览镇 never submit: 30, 14, 7, 3, 1, 0 days before, then one overdue notice.
    for (const clerk of ['jt@example.gov.cn', 'gl@example.gov.cn']) {
      expect(count(all, clerk, 'reminder')).toBe(6);
      expect(count(all, clerk, 'overdue')).toBe(1);
    }
    // 白泉镇 got the reminders of 1 and 17 January only.
    expect(count(all, 'bq@example.gov.cn', 'reminder')).toBe(2);
    expect(count(all, 'bq@example.gov.cn', 'overdue')).toBe(0);
    // The supervisor: a digest each day something waited (20 January to 1 February), the late list once.
    expect(count(all, 'sup@example.gov.cn', 'digest')).toBe(13);
    expect(count(all, 'sup@example.gov.cn', 'late-units')).toBe(1);
    // The administrator: one summary, on the deadline day.
    expect(count(all, 'admin@example.gov.cn', 'deadline-summary')).toBe(1);
    expect(all.every((m) => m.status === 'sent')).toBe(true);

    const reminders = all.filter((m) => m.to_address === 'jt@example.gov.cn' && m.kind === 'reminder').map((m) => m.subject);
    expect(reminders).toEqual([
      '年报提醒：金塘镇2025年度报告还有30天截止',
      '年报提醒：金塘镇2025年度报告还有14天截止',
      '年报提醒：金塘镇2025年度报告还有7天截止',
      '年报提醒：金塘镇2025年度报告还有3天截止',
      '年报提醒：金塘镇2025年度报告还有1天截止',
      '年报提醒：金塘镇2025年度报告今天截止',
    ]);
    const late = all.find((m) => m.kind === 'late-units')!;
    expect(late.text_body).toContain('· 金塘镇（草稿）');
    expect(late.text_body).toContain('· 干览镇（草稿）');
    expect(late.text_body).not.toContain('白泉镇');
    const summary = all.find((m) => m.kind === 'deadline-summary')!;
    expect(summary.subject).toBe('年报截止日汇总：2025年度 已发布 0/3');
    expect(summary.text_body).toContain('· 已提交待审核 1');
    expect(summary.text_body).toContain('尚未提交的单位（2）：干览镇、金塘镇');
    expect(all.find((m) => m.kind === 'overdue' && m.to_address === 'jt@example.gov.cn')!.text_body).toContain('已逾期 1 天');
    expect(all.find((m) => m.kind === 'reminder' && m.to_address === 'jt@example.gov.cn')!.text_body).toContain('/signin?next=%2Fapp%2Freports%2FJT%2F2025');
  });

  const get = (path: string, headers: Record<string, string>) => exports.default.fetch(new Request(`${BASE}${path}`, { headers }));

  it('progress lists every expected unit with its state, days early or late and reminders sent', async () => {
    const res = await get('/api/v1/admin/cycles/2025/progress', { Authorization: 'Bearer test-admin-token' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { counts: Record<string, number>; units: { unit: string; status: string; days_early: number | null; reminders_sent: number; submitted_at: string | null }[] };
    expect(body.counts).toMatchObject({ expected: 3, published: 0, submitted: 1, not_started: 2 });
    const byUnit = Object.fromEntries(body.units.map((u) => [u.unit, u]));
    expect(byUnit.BQ).toMatchObject({ status: 'submitted', reminders_sent: 2 });
    // Submitted through the API today (the wall clock), long after this test's January deadline.
    expect(byUnit.BQ!.days_early).toBe(Math.floor((Date.parse('2026-01-31T16:00:00Z') - Date.parse(byUnit.BQ!.submitted_at!)) / 86_400_000));
    expect(byUnit.BQ!.submitted_at).toMatch(/\+08:00$/);
    expect(byUnit.JT).toMatchObject({ status: 'draft', reminders_sent: 7 }); // six offsets and the overdue notice
    expect((await get('/api/v1/admin/cycles/2025/progress?within=JT', { Authorization: 'Bearer test-admin-token' }).then((r) => r.json()) as { units: unknown[] }).units).toHaveLength(1);
    expect((await get('/api/v1/admin/cycles/2030/progress', { Authorization: 'Bearer test-admin-token' })).status).toBe(404);
    expect((await get('/api/v1/admin/cycles/2025/progress', {})).status).toBe(401);
  });

  it('progress shows supervisors the page for their units, and refuses clerks', async () => {
    const page = await get('/app/progress/2025', { Cookie: await sessionCookie('sup@example.gov.cn') });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('2025 年度报告填报进度');
    expect(html).toContain('上报率');
    expect(html).toMatch(/33%<span>1\/3<\/span>/);
    expect(html).toContain('已提醒 7 次');
    expect((await get('/app/progress/2025', { Cookie: await sessionCookie('jt@example.gov.cn') })).status).toBe(403);
  });
});

describe('a missed run', () => {
  it('catches a missed run up once, with the days left on the day it finally runs', async () => {
    await adminPut('/cycles/2024', { template: 'gov-2021', deadline: '2026-03-31T23:59:59+08:00', reminder_days: [10, 2] });
    // Nothing due before the first offset; the run on 23 March (8 days left) catches up offset 10.
    await runDaily(day('2026-03-20'));
    await runDaily(day('2026-03-23'));
    await runDaily(day('2026-03-24'));
    const reminders = (await mails()).filter((m) => m.to_address === 'jt@example.gov.cn' && m.subject.includes('2024'));
    expect(reminders.map((m) => m.subject)).toEqual(['年报提醒：金塘镇2024年度报告还有8天截止']);
  });
});

describe('a failing mail provider', () => {
  it('three failed daily runs, then a healthy one: every message delivered exactly once', async () => {
    await adminPut('/units/XX', { name: '小沙街道', parent: 'ZS-DH' });
    await adminPut('/people/xx@example.gov.cn', { name: '吴磊', role: 'clerk', units: ['XX'] });
    await adminPut('/cycles/2023', { template: 'gov-2021', deadline: '2026-05-31T23:59:59+08:00', reminder_days: [30], units: ['XX'] });
    // Production without a working transport (and without queues, so the cron's own delivery
    // is what fails): the mail waits. src/mail/queue.ts's retries: test/worker/queue.test.ts.
    const broken = { ENVIRONMENT: 'production', BASE_URL: 'https://nianbao.example.gov.cn', SEND_EMAIL: undefined, MAIL_TRANSPORT: undefined, ...NO_QUEUES };
    for (const date of ['2026-05-01', '2026-05-02', '2026-05-03']) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: DAILY_CRON, scheduledTime: day(date) }), { ...env, ...broken }, ctx);
      await waitOnExecutionContext(ctx);
    }
    const waiting = (await mails()).filter((m) => m.dedup_key.startsWith('reminder:XX:2023'));
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ status: 'pending', attempts: 3, last_error: 'no mail transport configured (MAIL_TRANSPORT)' });
    // Healthy again, with the queues: the day's work item hands the waiting message to the mail queue.
    await runDaily(day('2026-05-04'));
    await runDaily(day('2026-05-05'));
    const delivered = (await mails()).filter((m) => m.dedup_key.startsWith('reminder:XX:2023'));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ status: 'sent', attempts: 4 });
  });
});

describe('production without BASE_URL', () => {
  it('queues no reminder whose link would point nowhere, says so, and catches up once BASE_URL is set', async () => {
    await adminPut('/units/YY', { name: '盐仓街道', parent: 'ZS-DH' });
    await adminPut('/people/yy@example.gov.cn', { name: '钱进', role: 'clerk', units: ['YY'] });
    await adminPut('/cycles/2022', { template: 'gov-2021', deadline: '2026-06-30T23:59:59+08:00', reminder_days: [14, 7], units: ['YY'] });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await runDaily(day('2026-06-16'), { ENVIRONMENT: 'production', BASE_URL: undefined, MAIL_TRANSPORT: 'capture' });
    expect((await mails()).filter((m) => m.to_address === 'yy@example.gov.cn')).toHaveLength(0);
    expect(logged.mock.calls.some(([line]) => String(line).includes('BASE_URL is not set'))).toBe(true);
    logged.mockRestore();
    // Set the next day: the 14-day reminder is caught up once, with the right link.
    await runDaily(day('2026-06-17'), { ENVIRONMENT: 'production', BASE_URL: 'https://nianbao.example.gov.cn', MAIL_TRANSPORT: 'capture' });
    const caughtUp = (await mails()).filter((m) => m.to_address === 'yy@example.gov.cn');
    expect(caughtUp.map((m) => m.subject)).toEqual(['年报提醒：盐仓街道2022年度报告还有13天截止']);
    expect(caughtUp[0]!.text_body).toContain('https://nianbao.example.gov.cn/signin?next=');
  });
});
