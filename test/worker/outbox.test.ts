// Mail is never lost (workflow.md "Email"): queued in D1 first, delivered by deliverDue with
// retries and backoff, never twice, and by the Cron Triggers with the trigger's time as "now".
// The transports are the boundary to outside mail providers, so those alone are faked here.
import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src';
import { DAILY_CRON, MAIL_CRON } from '../../src/core/cron-schedules';
import { getDb } from '../../src/db/client';
import { outbox, type OutboxMessage } from '../../src/db/schema';
import { deliverDue, enqueue, MAX_RETRY_AGE_MS, type OutgoingMail } from '../../src/mail/outbox';
import {
  emailServiceTransport,
  httpTransport,
  type Mail,
  type SendOutcome,
  type Transport,
} from '../../src/mail/transports';

const db = getDb(env.DB);
const FROM = '年报系统 <noreply@nianbao.test>';
const MINUTE = 60_000;
/** 2026-01-24 09:00 Beijing: in the past, so a wall-clock "now" would treat everything as due. */
const T0 = Date.parse('2026-01-24T09:00:00+08:00');

const mail = (key: string, extra: Partial<OutgoingMail> = {}): OutgoingMail => ({
  dedupKey: key,
  kind: 'test',
  to: 'clerk@example.cn',
  subject: `年报提醒 ${key}`,
  text: `还有3天截止（${key}）`,
  ...extra,
});

async function queue(mails: OutgoingMail[], now = T0) {
  const [first, ...rest] = mails.map((m) => enqueue(db, m, now));
  await db.batch([first!, ...rest]);
}

const row = async (key: string): Promise<OutboxMessage | undefined> =>
  (await db.select().from(outbox).where(eq(outbox.dedupKey, key)))[0];

/** A fake provider: records what it was given and answers with `outcome` (or throws it). */
function fakeTransport(outcome: SendOutcome | Error = { ok: true }, delayMs = 0) {
  const sent: Mail[] = [];
  const transport: Transport = {
    name: 'fake',
    async send(m) {
      sent.push(m);
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
  return { transport, sent };
}

const deliver = (transport: Transport, now: number, limit?: number) =>
  deliverDue(db, transport, FROM, { now, ...(limit === undefined ? {} : { limit }) });

beforeEach(async () => {
  // deliverDue sends everything due, so each test starts with an empty queue.
  await db.delete(outbox);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('deliverDue', () => {
  it('sends a queued message with the sender, recipient, subject and both parts', async () => {
    await queue([mail('a', { html: '<p>还有3天截止</p>' })]);
    const { transport, sent } = fakeTransport();
    expect(await deliver(transport, T0)).toEqual({ sent: 1, retrying: 0, failed: 0, skipped: 0 });
    const stored = await row('a');
    expect(sent).toEqual([
      { from: FROM, to: 'clerk@example.cn', subject: '年报提醒 a', text: '还有3天截止（a）', html: '<p>还有3天截止</p>', idempotencyKey: `nianbao-outbox-${stored!.id}` },
    ]);
    expect(stored).toMatchObject({ status: 'sent', attempts: 1, sentAt: T0, lastError: null });
  });

  it.each([
    ['throws', new Error('connection reset by provider')],
    ['asks for a retry', { ok: false as const, retry: true, error: 'HTTP 503: try later' }],
  ])('keeps a message pending for a retry a minute later when the provider %s', async (_, outcome) => {
    await queue([mail('flaky')]);
    const failing = fakeTransport(outcome);
    expect(await deliver(failing.transport, T0)).toMatchObject({ sent: 0, retrying: 1 });
    const after = await row('flaky');
    expect(after).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + MINUTE, sentAt: null });
    expect(after!.lastError).toContain(outcome instanceof Error ? 'connection reset by provider' : 'HTTP 503');

    // Not yet due a millisecond before the minute is up: nothing is sent, even by a healthy provider.
    const healthy = fakeTransport();
    expect(await deliver(healthy.transport, T0 + MINUTE - 1)).toEqual({ sent: 0, retrying: 0, failed: 0, skipped: 0 });
    expect(healthy.sent).toHaveLength(0);

    // Due: sent exactly once, and never again.
    expect(await deliver(healthy.transport, T0 + MINUTE)).toMatchObject({ sent: 1 });
    await deliver(healthy.transport, T0 + 60 * MINUTE);
    expect(healthy.sent.map((m) => m.subject)).toEqual(['年报提醒 flaky']);
    expect(await row('flaky')).toMatchObject({ status: 'sent', attempts: 2, sentAt: T0 + MINUTE, lastError: null });
  });

  it('marks a message failed at once when the provider refuses it for good', async () => {
    await queue([mail('refused')]);
    const refusing = fakeTransport({ ok: false, retry: false, error: 'E_RECIPIENT_SUPPRESSED: suppressed' });
    expect(await deliver(refusing.transport, T0)).toMatchObject({ failed: 1, retrying: 0 });
    expect(await row('refused')).toMatchObject({ status: 'failed', attempts: 1, lastError: 'E_RECIPIENT_SUPPRESSED: suppressed' });

    const healthy = fakeTransport();
    await deliver(healthy.transport, T0 + 24 * 60 * MINUTE);
    expect(healthy.sent).toHaveLength(0);
  });

  it('backs off 1, 2, 4 … minutes up to 6 hours, and gives up only after a week, keeping the message', async () => {
    await queue([mail('doomed')]);
    const failing = fakeTransport({ ok: false, retry: true, error: 'HTTP 500' });
    const delays: number[] = [];
    let now = T0;
    for (let attempt = 1; attempt <= 50; attempt++) {
      await deliver(failing.transport, now);
      const after = (await row('doomed'))!;
      expect(after.attempts).toBe(attempt);
      if (after.status === 'failed') break;
      delays.push((after.nextAttemptAt - now) / MINUTE);
      now = after.nextAttemptAt;
    }
    expect(delays.slice(0, 10)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 360]);
    expect(new Set(delays.slice(9))).toEqual(new Set([360]));
    // Still retried on the last day; failed only when the next try would pass the week.
    expect(now).toBeGreaterThan(T0 + MAX_RETRY_AGE_MS - 360 * MINUTE);
    expect(now).toBeLessThanOrEqual(T0 + MAX_RETRY_AGE_MS);
    const attempts = failing.sent.length;
    expect(await row('doomed')).toMatchObject({ status: 'failed', attempts, lastError: 'HTTP 500' });

    // Failed is final: a later run does not try again, and the row stays for administrators.
    await deliver(failing.transport, now + 24 * 60 * MINUTE);
    expect(failing.sent).toHaveLength(attempts);
    expect(await db.select().from(outbox)).toHaveLength(1);
  });

  it('queues a de-duplication key once: the second enqueue changes nothing and one message is sent', async () => {
    await queue([mail('reminder:JT:2025:7:2026-01-24')]);
    await queue([mail('reminder:JT:2025:7:2026-01-24', { subject: '第二次' })], T0 + MINUTE);
    const rows = await db.select().from(outbox);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.subject).toBe('年报提醒 reminder:JT:2025:7:2026-01-24');

    const { transport, sent } = fakeTransport();
    await deliver(transport, T0 + MINUTE);
    await deliver(transport, T0 + 2 * MINUTE);
    expect(sent).toHaveLength(1);
  });

  it('sends nothing that is not due yet, and at most `limit` messages per run, oldest first', async () => {
    await queue([mail('later')], T0 + MINUTE);
    await queue([mail('first'), mail('second'), mail('third')], T0 - MINUTE);
    const { transport, sent } = fakeTransport();
    expect(await deliver(transport, T0, 2)).toMatchObject({ sent: 2 });
    expect(sent.map((m) => m.subject)).toEqual(['年报提醒 first', '年报提醒 second']);
    await deliver(transport, T0, 2);
    expect(sent.map((m) => m.subject)).toEqual(['年报提醒 first', '年报提醒 second', '年报提醒 third']);
    expect((await row('later'))!.status).toBe('pending');
  });

  it('sends each message exactly once when two runs overlap', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `overlap-${i}`);
    await queue(keys.map((k) => mail(k)));
    // One slow provider shared by both runs, so their claims interleave.
    const { transport, sent } = fakeTransport({ ok: true }, 5);
    const [a, b] = await Promise.all([deliver(transport, T0), deliver(transport, T0)]);

    expect(sent).toHaveLength(20);
    expect(new Set(sent.map((m) => m.subject))).toEqual(new Set(keys.map((k) => `年报提醒 ${k}`)));
    expect(a.sent + b.sent).toBe(20);
    expect(a.failed + b.failed + a.retrying + b.retrying).toBe(0);
    const rows = await db.select().from(outbox);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });
});

describe('the Cloudflare Email Service transport', () => {
  /** A fake `send_email` binding: records each call, then throws `error` if given. */
  function fakeBinding(error?: unknown) {
    const calls: unknown[] = [];
    const binding = {
      async send(message: unknown) {
        calls.push(message);
        if (error !== undefined) throw error;
        return { messageId: 'm-1' };
      },
    } as unknown as SendEmail;
    return { binding, calls };
  }
  const providerError = (code: string) => Object.assign(new Error(`send failed: ${code}`), { code });
  const aMail: Mail = { from: '年报系统 <noreply@nianbao.test>', to: 'clerk@example.cn', subject: '【年报】还有3天截止：请提交2025年度报告', text: '请登录填报。' };

  it('passes the sender as {email, name}, the Chinese subject untouched and the text part', async () => {
    const { binding, calls } = fakeBinding();
    expect(await emailServiceTransport(binding).send({ ...aMail, html: '<p>请登录填报。</p>' })).toEqual({ ok: true });
    expect(calls).toEqual([
      {
        from: { email: 'noreply@nianbao.test', name: '年报系统' },
        to: 'clerk@example.cn',
        subject: '【年报】还有3天截止：请提交2025年度报告',
        text: '请登录填报。',
        html: '<p>请登录填报。</p>',
      },
    ]);
  });

  it('passes a bare sender address as it is, and no html when there is none', async () => {
    const { binding, calls } = fakeBinding();
    await emailServiceTransport(binding).send({ ...aMail, from: 'noreply@nianbao.test' });
    expect(calls).toEqual([{ from: 'noreply@nianbao.test', to: 'clerk@example.cn', subject: aMail.subject, text: '请登录填报。' }]);
  });

  it('retries a rate limit', async () => {
    const outcome = await emailServiceTransport(fakeBinding(providerError('E_RATE_LIMIT_EXCEEDED')).binding).send(aMail);
    expect(outcome).toMatchObject({ ok: false, retry: true });
    expect(outcome.ok ? '' : outcome.error).toContain('E_RATE_LIMIT_EXCEEDED');
  });

  it('gives up on a suppressed recipient', async () => {
    const outcome = await emailServiceTransport(fakeBinding(providerError('E_RECIPIENT_SUPPRESSED')).binding).send(aMail);
    expect(outcome).toMatchObject({ ok: false, retry: false });
    expect(outcome.ok ? '' : outcome.error).toContain('E_RECIPIENT_SUPPRESSED');
  });

  it('retries an error without a code (e.g. the network)', async () => {
    expect(await emailServiceTransport(fakeBinding(new TypeError('fetch failed')).binding).send(aMail)).toMatchObject({ ok: false, retry: true });
  });
});

describe('the HTTP mail API transport', () => {
  const aMail: Mail = { from: FROM, to: 'clerk@example.cn', subject: '年报：请审核金塘镇2025年度报告', text: '请点击链接审核。' };
  const answering = (status: number, body = '') => {
    const requests: Request[] = [];
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new Request(input, init));
      return new Response(body, { status });
    }) as typeof fetch;
    return { fetcher, requests };
  };

  it('POSTs the message as UTF-8 JSON with the bearer key', async () => {
    const { fetcher, requests } = answering(202);
    expect(await httpTransport('https://mail.example/send', 'k-123', fetcher).send({ ...aMail, idempotencyKey: 'nianbao-outbox-7' })).toEqual({ ok: true });
    const [request] = requests;
    // A provider that honours it sends once even if we retry a message it had already accepted.
    expect(request!.headers.get('Idempotency-Key')).toBe('nianbao-outbox-7');
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('https://mail.example/send');
    expect(request!.headers.get('Authorization')).toBe('Bearer k-123');
    expect(request!.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(await request!.json()).toEqual(aMail);
  });

  it.each([401, 403, 429, 503])('retries HTTP %i (a wrong key is fixed by an operator; the mail waits)', async (status) => {
    const outcome = await httpTransport('https://mail.example/send', 'k', answering(status, 'busy').fetcher).send(aMail);
    expect(outcome).toEqual({ ok: false, retry: true, error: `HTTP ${status}: busy` });
  });

  it('gives up on HTTP 400', async () => {
    const outcome = await httpTransport('https://mail.example/send', 'k', answering(400, 'bad address').fetcher).send(aMail);
    expect(outcome).toEqual({ ok: false, retry: false, error: 'HTTP 400: bad address' });
  });

  it('hands the binding a sender it accepts, however MAIL_FROM is written', async () => {
    const { parseAddress } = await import('../../src/mail/transports');
    expect(parseAddress('年报系统 <noreply@example.gov.cn>')).toEqual({ email: 'noreply@example.gov.cn', name: '年报系统' });
    expect(parseAddress('"年报系统" <noreply@example.gov.cn>')).toEqual({ email: 'noreply@example.gov.cn', name: '年报系统' });
    expect(parseAddress('<noreply@example.gov.cn>')).toBe('noreply@example.gov.cn');
    expect(parseAddress(' noreply@example.gov.cn ')).toBe('noreply@example.gov.cn');
  });

  it('never claims a message twice while a slow send is still in flight at the next 10-minute run', async () => {
    await queue([mail('slow')]);
    let release!: () => void;
    const sent: string[] = [];
    const slow: Transport = {
      name: 'slow',
      send: async (m) => {
        sent.push(m.subject);
        await new Promise<void>((r) => (release = r));
        return { ok: true };
      },
    };
    const first = deliver(slow, T0);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(await deliver(slow, T0 + 10 * MINUTE)).toMatchObject({ sent: 0 });
    release();
    await first;
    expect(sent).toHaveLength(1);
  });

  it('retries a network error', async () => {
    const down = (async () => {
      throw new TypeError('Network connection lost.');
    }) as typeof fetch;
    const outcome = await httpTransport('https://mail.example/send', 'k', down).send(aMail);
    expect(outcome).toMatchObject({ ok: false, retry: true });
    expect(outcome.ok ? '' : outcome.error).toContain('Network connection lost.');
  });
});

describe('the Cron Triggers', () => {
  async function runCron(cron: string, scheduledTime: number, bindings: Partial<typeof env> = {}) {
    const controller = createScheduledController({ cron, scheduledTime });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, { ...env, ...bindings }, ctx);
    await waitOnExecutionContext(ctx);
  }
  /** A Worker deployed without queues: the crons deliver the mail themselves. */
  const NO_QUEUES = { MAIL_QUEUE: undefined, DAILY_QUEUE: undefined };

  it.each([
    ['the 10-minute mail run', MAIL_CRON],
    ['the daily run', DAILY_CRON],
  ])('without queues, %s delivers what is due at its scheduled time, not at the wall clock', async (_, cron) => {
    await queue([mail('due')], T0 - MINUTE);
    await queue([mail('not-yet')], T0 + MINUTE);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});

    await runCron(cron, T0, NO_QUEUES);

    // ENVIRONMENT=test → the capture transport: the message counts as sent, nothing leaves.
    expect(await row('due')).toMatchObject({ status: 'sent', attempts: 1, sentAt: T0 });
    expect(await row('not-yet')).toMatchObject({ status: 'pending', attempts: 0, sentAt: null });
    // The daily run logs what it queued, then what it delivered.
    expect(String(log.mock.calls.at(-1)![0])).toMatch(/capture: sent 1, retrying 0, failed 0, skipped 0$/);
  });

  it('with queues, the 10-minute run hands the mail queue what it never got, as of its scheduled time', async () => {
    // Written 11 minutes before the run and never handed over (the request's waitUntil died):
    // the safety net's. A minute old: the queue may still be on it. Not due yet: nobody's.
    await queue([mail('lost')], T0 - 11 * MINUTE);
    await queue([mail('recent')], T0 - MINUTE);
    await queue([mail('not-yet')], T0 + MINUTE);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});

    await runCron(MAIL_CRON, T0);

    expect(log.mock.calls.map(([line]) => String(line))).toContain(`cron ${new Date(T0).toISOString()}: safety net queued 0 work item(s) and 1 message(s) again`);
    // The Worker's own consumer sends it (the capture transport), once.
    await vi.waitFor(async () => expect(await row('lost')).toMatchObject({ status: 'sent', attempts: 1 }), { timeout: 10_000, interval: 20 });
    expect(await row('recent')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await row('not-yet')).toMatchObject({ status: 'pending', attempts: 0 });
    // Handed over once: the next run, ten minutes later, does not hand it over again.
    await runCron(MAIL_CRON, T0 + 10 * MINUTE);
    expect(log.mock.calls.map(([line]) => String(line))).toContain(`cron ${new Date(T0 + 10 * MINUTE).toISOString()}: safety net queued 0 work item(s) and 1 message(s) again`);
    await vi.waitFor(async () => expect(await row('recent')).toMatchObject({ status: 'sent', attempts: 1 }), { timeout: 10_000, interval: 20 });
    expect(await row('lost')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('leaves mail queued and pending when production has no working transport', async () => {
    await queue([mail('unconfigured')], T0 - MINUTE);
    vi.spyOn(console, 'log').mockImplementation(() => {});
    // Production without a send_email binding: nothing is lost, the message waits for a retry.
    await runCron(MAIL_CRON, T0, { ENVIRONMENT: 'production', SEND_EMAIL: undefined, ...NO_QUEUES });
    expect(await row('unconfigured')).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + MINUTE });
    expect((await row('unconfigured'))!.lastError).toContain('MAIL_TRANSPORT');
  });
});
