// Mail on Cloudflare Queues (src/mail/queue.ts, src/reminders/daily-queue.ts): the Worker's own
// queue handler, given batches as the platform gives them (createMessageBatch), and the real local
// queues (miniflare) for a whole daily run. The outbox stays the record: what the consumer did is
// read back from it. Mail leaves through the real transports: capture (ENVIRONMENT=test), or a
// production Worker with no transport configured, which fails every send and asks for a retry.
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq, like } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src';
import { DAILY_CRON, MAIL_CRON } from '../../src/core/cron-schedules';
import { getDb } from '../../src/db/client';
import { dailyWork, outbox, type OutboxMessage } from '../../src/db/schema';
import { enqueue } from '../../src/mail/outbox';
import { DEAD_LETTER_QUEUE } from '../../src/mail/queue';
import { dailyRunProgress, type DailyQueueMessage } from '../../src/reminders/daily-queue';
import { UNITS_PER_ITEM } from '../../src/reminders/daily';
import wranglerToml from '../../wrangler.toml?raw';
import { adminPut } from './report-helpers';

const db = getDb(env.DB);
const MAIL_QUEUE = 'nianbao-mail';
const DAILY_QUEUE = 'nianbao-daily';
/** Production with no transport: every send fails with 'no mail transport configured', to be retried. */
const NO_TRANSPORT = { ENVIRONMENT: 'production', SEND_EMAIL: undefined, MAIL_TRANSPORT: undefined };

/** One outbox row, written as a request's batch writes it. */
async function write(key: string, now = Date.now()): Promise<OutboxMessage> {
  await db.batch([enqueue(db, { dedupKey: key, kind: 'test', to: `${key}@example.cn`, subject: `主题 ${key}`, text: '正文' }, now)]);
  return (await row(key))!;
}
const row = async (key: string) => (await db.select().from(outbox).where(eq(outbox.dedupKey, key)))[0];

let messageSeq = 0;
/** The handler's answer to one batch of `bodies` on `queue`, as the platform would deliver it. */
async function consume(queue: string, bodies: unknown[], bindings: Partial<typeof env> = {}, attempts = 1) {
  const messages = bodies.map((body) => ({ id: `m-${++messageSeq}`, timestamp: new Date(), attempts, body }));
  const batch = createMessageBatch(queue, messages);
  // The test batch records a retry but not its delay: the delays are read off the calls.
  const retries = batch.messages.map((m) => vi.spyOn(m, 'retry'));
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...bindings }, ctx);
  const result = await getQueueResult(batch, ctx);
  return { ids: messages.map((m) => m.id), result, delays: retries.map((r) => r.mock.calls.map(([options]) => options?.delaySeconds)) };
}

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
});

describe('the mail consumer', () => {
  it('delivers a batch of outbox ids and acknowledges each message', async () => {
    const a = await write('deliver-a');
    const b = await write('deliver-b');
    const { ids, result } = await consume(MAIL_QUEUE, [{ mail: a.id }, { mail: b.id }]);
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(result.retryMessages).toEqual([]);
    for (const key of ['deliver-a', 'deliver-b']) expect(await row(key)).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
  });

  it('retries a failed send after the outbox back-off: 1 minute, then 2, then 4', async () => {
    const m = await write('flaky');
    for (const [attempt, delaySeconds] of [[1, 60], [2, 120], [3, 240]] as const) {
      const { ids, result, delays } = await consume(MAIL_QUEUE, [{ mail: m.id }], NO_TRANSPORT, attempt);
      expect(result.retryMessages).toEqual([{ msgId: ids[0] }]);
      expect(delays).toEqual([[delaySeconds]]);
      expect(result.explicitAcks).toEqual([]);
      const after = (await row('flaky'))!;
      expect(after).toMatchObject({ status: 'pending', attempts: attempt, lastError: 'no mail transport configured (MAIL_TRANSPORT)' });
      // The outbox says the same: the safety net leaves it to the queue until then.
      expect(after.nextAttemptAt - after.lastAttemptAt!).toBe(delaySeconds * 1000);
    }
    // The provider works again: the next delivery sends it, once.
    const { result } = await consume(MAIL_QUEUE, [{ mail: m.id }], {}, 4);
    expect(result.retryMessages).toEqual([]);
    expect(await row('flaky')).toMatchObject({ status: 'sent', attempts: 4, lastError: null });
  });

  it('sends an id the queue delivers twice once: in one batch, in two batches, and in two batches at once', async () => {
    const twice = await write('twice');
    const first = await consume(MAIL_QUEUE, [{ mail: twice.id }, { mail: twice.id }]);
    expect(first.result.explicitAcks.sort()).toEqual([...first.ids].sort());
    const again = await consume(MAIL_QUEUE, [{ mail: twice.id }]);
    expect(again.result.explicitAcks).toEqual(again.ids);
    expect(await row('twice')).toMatchObject({ status: 'sent', attempts: 1 });

    const racing = await write('racing');
    const [x, y] = await Promise.all([consume(MAIL_QUEUE, [{ mail: racing.id }]), consume(MAIL_QUEUE, [{ mail: racing.id }])]);
    expect([...x.result.explicitAcks, ...y.result.explicitAcks]).toHaveLength(2);
    // One claim won: one attempt, one send.
    expect(await row('racing')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('after the last retry, the dead-letter consumer marks the row failed with the provider\'s reason', async () => {
    const doomed = await write('doomed');
    await consume(MAIL_QUEUE, [{ mail: doomed.id }], NO_TRANSPORT);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { ids, result } = await consume(DEAD_LETTER_QUEUE, [{ mail: doomed.id }]);
    expect(result.explicitAcks).toEqual(ids);
    const failed = (await row('doomed'))!;
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toBe('no mail transport configured (MAIL_TRANSPORT) (the mail queue gave up after its retries)');
    // Failed is final: delivered again by mistake, it is not sent.
    await consume(MAIL_QUEUE, [{ mail: doomed.id }]);
    expect(await row('doomed')).toMatchObject({ status: 'failed', attempts: 1 });

    // A message sent meanwhile (the safety net handed it over too) stays sent.
    const sent = await write('sent-meanwhile');
    await consume(MAIL_QUEUE, [{ mail: sent.id }]);
    await consume(DEAD_LETTER_QUEUE, [{ mail: sent.id }]);
    expect(await row('sent-meanwhile')).toMatchObject({ status: 'sent', lastError: null });
  });

  it('is configured as the handler expects: the dead-letter queue it recognises, retries, batches', () => {
    const consumers = [...wranglerToml.matchAll(/\[\[queues\.consumers\]\]\n((?:[a-z_]+ = .+\n)+)/g)].map((m) =>
      Object.fromEntries(m[1]!.trim().split('\n').map((line) => line.split(' = ').map((s) => s.replace(/"/g, '')) as [string, string])),
    );
    expect(consumers.map((c) => c.queue)).toEqual([MAIL_QUEUE, DAILY_QUEUE, DEAD_LETTER_QUEUE]);
    expect(consumers[0]).toMatchObject({ max_batch_size: '100', max_retries: '36', dead_letter_queue: DEAD_LETTER_QUEUE });
    expect(consumers[1]).toMatchObject({ max_batch_size: '1', dead_letter_queue: DEAD_LETTER_QUEUE });
    // 36 retries with the back-off (1, 2 … 256 minutes, then 6 hours) reach about a week.
    const minutes = Array.from({ length: 36 }, (_, i) => Math.min(2 ** i, 360)).reduce((a, b) => a + b);
    expect(minutes / 60 / 24).toBeGreaterThan(6.5);
    expect(minutes / 60 / 24).toBeLessThan(7.5);
  });
});

describe('the daily run fanned out over the daily queue', () => {
  const UNITS = 2 * UNITS_PER_ITEM + 200;
  const day = Date.parse('2026-03-05T09:00:00+08:00');

  beforeAll(async () => {
    // A county of 1,200 units, one clerk each: three chunks of units.
    await adminPut('/units/QX', { name: '队列县' });
    const numbers = JSON.stringify(Array.from({ length: UNITS }, (_, i) => i + 1));
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO units (code, name, parent_id) SELECT 'Q' || value, '单位' || value, (SELECT id FROM units WHERE code = 'QX') FROM json_each(?)`).bind(numbers),
      env.DB.prepare(`INSERT INTO people (email, name, role) SELECT 'q' || value || '@example.gov.cn', '文员' || value, 'clerk' FROM json_each(?)`).bind(numbers),
      env.DB.prepare(
        `INSERT INTO memberships (person_id, unit_id, role) SELECT p.id, u.id, 'clerk' FROM json_each(?) j
         JOIN people p ON p.email = 'q' || j.value || '@example.gov.cn' JOIN units u ON u.code = 'Q' || j.value`,
      ).bind(numbers),
    ]);
    expect((await adminPut('/cycles/2025', { template: 'gov-2021', deadline: '2026-03-31T23:59:59+08:00', reminder_days: [30] })).status).toBe(201);
  }, 60_000);

  async function runCron(cron: string, scheduledTime: number, bindings: Partial<typeof env> = {}) {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron, scheduledTime }), { ...env, ...bindings }, ctx);
    await waitOnExecutionContext(ctx);
  }
  const dayDone = (scheduledTime: number) =>
    vi.waitFor(async () => expect(await dailyRunProgress(db, scheduledTime)).toMatchObject({ itemsLeft: 0, mailLeft: 0 }), { timeout: 30_000, interval: 50 });

  async function runDay(scheduledTime: number) {
    await runCron(DAILY_CRON, scheduledTime);
    await vi.waitFor(async () => expect(await dailyRunProgress(db, scheduledTime)).toMatchObject({ itemsLeft: 0, mailLeft: 0 }), { timeout: 30_000, interval: 50 });
  }

  it('queues each clerk\'s reminder exactly once, through chunks of units, a redelivered chunk and a second run', async () => {
    await runDay(day);
    const items = await db.select().from(dailyWork).where(eq(dailyWork.runAt, day));
    expect(items.filter((i) => i.item.startsWith('units:2025:')).map((i) => i.doneAt !== null)).toEqual([true, true, true]);

    // The queue delivers a chunk again, and someone runs the day again: nothing new.
    const chunk = JSON.parse(items.find((i) => i.item.startsWith('units:'))!.body) as DailyQueueMessage;
    const { ids, result } = await consume(DAILY_QUEUE, [chunk]);
    expect(result.explicitAcks).toEqual(ids);
    await runDay(day);

    const reminders = await db.select().from(outbox).where(like(outbox.dedupKey, 'reminder:Q%'));
    expect(reminders).toHaveLength(UNITS);
    expect(new Set(reminders.map((r) => r.toAddress)).size).toBe(UNITS);
    expect(reminders.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    expect(reminders.find((r) => r.toAddress === 'q1200@example.gov.cn')!.subject).toBe('年报提醒：单位12002025年度报告还有26天截止');
  }, 90_000);

  it('queues again, ten minutes later, the work items the daily queue never got, but not one it gave up on', async () => {
    await adminPut('/units/SN', { name: '安全网镇', parent: 'QX' });
    await adminPut('/people/sn@example.gov.cn', { name: '孙宁', role: 'clerk', units: ['SN'] });
    expect((await adminPut('/cycles/2024', { template: 'gov-2021', deadline: '2026-04-05T23:59:59+08:00', reminder_days: [30], units: ['SN'] })).status).toBe(201);
    const run = Date.parse('2026-03-06T09:00:00+08:00');
    // The run records its items, but the daily queue loses every message it is given.
    const lost = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;
    await runCron(DAILY_CRON, run, { DAILY_QUEUE: lost });
    const items = await db.select().from(dailyWork).where(eq(dailyWork.runAt, run));
    expect(items.map((i) => i.item)).toContain('digests');
    expect(items.every((i) => i.doneAt === null)).toBe(true);
    // The queue gives up on the digests (its retries spent): recorded, never queued again.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await consume(DEAD_LETTER_QUEUE, [JSON.parse(items.find((i) => i.item === 'digests')!.body)]);

    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await runCron(MAIL_CRON, run + 10 * 60_000);
    expect(log.mock.calls.map(([line]) => String(line))).toContain(`cron ${new Date(run + 10 * 60_000).toISOString()}: safety net queued ${items.length - 1} work item(s) and 0 message(s) again`);
    await dayDone(run);
    const after = await db.select().from(dailyWork).where(eq(dailyWork.runAt, run));
    expect(after.filter((i) => i.doneAt === null).map((i) => [i.item, i.error])).toEqual([['digests', 'the daily queue gave up after its retries']]);
    expect(await db.select({ status: outbox.status, subject: outbox.subject }).from(outbox).where(eq(outbox.toAddress, 'sn@example.gov.cn'))).toEqual([
      { status: 'sent', subject: '年报提醒：安全网镇2024年度报告还有30天截止' },
    ]);
  }, 90_000);
});
