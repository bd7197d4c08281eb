// Faults (issue 12, item 4): the platform fails and nothing is lost or half-written. D1 fails
// inside each write's batch (every statement in turn), the cron's isolate dies mid-run and the
// next run finishes the work, a mail provider answers 500 before it recovers. The failures are
// injected at the bindings (D1, the mail API); the code under test is the real Worker.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../src';
import { createApp } from '../../src/app';
import { DAILY_CRON, MAIL_CRON } from '../../src/core/cron-schedules';
import { getDb } from '../../src/db/client';
import { deliverDue, enqueue } from '../../src/mail/outbox';
import { httpTransport } from '../../src/mail/transports';
import { dyingAfter, everyStatementFailingOnce } from './fault-helpers';
import { ADMIN_TOKEN, adminPut, BASE, COMPLETE_SECTIONS, publishReport } from './report-helpers';
import { all, fillAndSubmit, one, openCycle, reportRow, reviewMails, setUpTree, zeros, type Sessions } from './review-helpers';

/**
 * Without the queues, a request and the cron deliver mail in their own invocation, where the
 * faults are injected (the queues' redelivery and claims: test/worker/queue.test.ts).
 */
const NO_QUEUES = { MAIL_QUEUE: undefined, DAILY_QUEUE: undefined };

/** The request through a fresh app whose D1 binding is `db`; background work awaited too. */
async function through(db: D1Database, request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(request, { ...env, ...NO_QUEUES, DB: db }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const json = (method: string, path: string, body: unknown, headers: Record<string, string>) =>
  new Request(`${BASE}${path}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  new Request(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE, ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

/** The write, failing at each statement of its batches in turn, then succeeding: its answer. */
async function survivesEveryFault(request: () => Request, expected: number) {
  const { response, statements } = await everyStatementFailingOnce((db) => through(db, request()));
  expect(response.status, await response.clone().text()).toBe(expected);
  return { response, statements };
}

let s: Sessions;

beforeAll(async () => {
  s = await setUpTree();
});

describe('a D1 error in any statement of a write’s batch leaves nothing half-written', () => {
  // Mail queued by a write is delivered in the background; the tests' console stays quiet.
  beforeAll(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });

  it('saving a draft', async () => {
    await openCycle(2070);
    const { statements } = await survivesEveryFault(() => json('PUT', '/api/v1/drafts/JT/2070', { revision: 0, cells: zeros() }, { Cookie: s.clerk }), 200);
    expect(statements).toBeGreaterThan(1);
    expect(await reportRow('JT', 2070)).toMatchObject({ revision: 1 });
  });

  it('submitting', async () => {
    await openCycle(2071);
    const saved = await through(env.DB, json('PUT', '/api/v1/drafts/JT/2071', { revision: 0, cells: zeros(), sections: COMPLETE_SECTIONS }, { Cookie: s.clerk }));
    const { revision } = (await saved.json()) as { revision: number };
    const { statements } = await survivesEveryFault(() => json('POST', '/api/v1/drafts/JT/2071/submit', { revision }, { Cookie: s.clerk }), 200);
    expect(statements).toBeGreaterThan(1);
    expect(await reportRow('JT', 2071)).toMatchObject({ status: 'submitted' });
    expect(await reviewMails('JT', 2071)).toHaveLength(2);
  });

  it.each([
    ['approving', 2072, { decision: 'approve', confirm: 'publish', comment: '' }, { status: 'published', published_version: 1 }],
    ['returning', 2073, { decision: 'return', comment: '请补充第五项。' }, { status: 'returned', return_comment: '请补充第五项。' }],
  ] as const)('%s through the mailed link', async (_, year, decision, after) => {
    await openCycle(year);
    await fillAndSubmit(s.clerk, 'JT', year);
    const [mail] = await reviewMails('JT', year);
    const { statements } = await survivesEveryFault(() => form(mail!.path, decision), 200);
    expect(statements).toBeGreaterThan(1);
    expect(await reportRow('JT', year)).toMatchObject(after);
  });

  it('reopening a published report', async () => {
    await publishReport('BQ', 2074, zeros());
    const { statements } = await survivesEveryFault(() => json('POST', '/api/v1/admin/reports/BQ/2074/reopen', { reason: '数据更正' }, ADMIN_TOKEN), 200);
    expect(statements).toBeGreaterThan(1);
    expect(await reportRow('BQ', 2074)).toMatchObject({ status: 'draft' });
  });

  it('importing a published report', async () => {
    const body = { unit: 'BQ', year: 2024, template: 'gov-2021', sections: {}, cells: zeros(), published_at: '2025-01-15T10:00:00+08:00' };
    const { statements } = await survivesEveryFault(() => json('POST', '/api/v1/admin/import', body, ADMIN_TOKEN), 201);
    expect(statements).toBeGreaterThan(1);
    expect(await reportRow('BQ', 2024)).toMatchObject({ status: 'published', published_version: 1 });
  });

  it('creating and changing a unit', async () => {
    await survivesEveryFault(() => json('PUT', '/api/v1/admin/units/CJ', { name: '册子乡', parent: 'ZS-DH' }, ADMIN_TOKEN), 201);
    const { statements } = await survivesEveryFault(() => json('PUT', '/api/v1/admin/units/CJ', { name: '册子岛', parent: 'XS' }, ADMIN_TOKEN), 200);
    expect(statements).toBeGreaterThan(1);
    expect(await one(`select u.name, p.code as parent from units u join units p on p.id = u.parent_id where u.code = 'CJ'`)).toEqual({ name: '册子岛', parent: 'XS' });
  });

  it('creating and changing a person', async () => {
    await survivesEveryFault(() => json('PUT', '/api/v1/admin/people/sun@cj.example.cn', { name: '孙悦', role: 'clerk', units: ['JT'] }, ADMIN_TOKEN), 201);
    const { statements } = await survivesEveryFault(
      () => json('PUT', '/api/v1/admin/people/sun@cj.example.cn', { name: '孙悦', role: 'clerk', units: ['BQ', 'CJ'] }, ADMIN_TOKEN),
      200,
    );
    expect(statements).toBeGreaterThan(1);
    expect(await all(`select u.code from memberships m join units u on u.id = m.unit_id join people p on p.id = m.person_id where p.email = 'sun@cj.example.cn' order by u.code`)).toEqual([
      { code: 'BQ' },
      { code: 'CJ' },
    ]);
  });

  it('bulk set-up from CSV, units and people', async () => {
    const csv = (path: string, body: string) => new Request(`${BASE}${path}`, { method: 'POST', headers: { 'Content-Type': 'text/csv', ...ADMIN_TOKEN }, body });
    const units = await survivesEveryFault(() => csv('/api/v1/admin/bulk/units', 'code,name,parent\nBK-V,新村,BK-T\nBK-T,新镇,ZS-DH\nXS,西山区人民政府（新）,\n'), 200);
    expect(units.statements).toBeGreaterThan(1);
    expect(await one(`select u.name, p.code as parent from units u join units p on p.id = u.parent_id where u.code = 'BK-V'`)).toEqual({ name: '新村', parent: 'BK-T' });
    await survivesEveryFault(() => csv('/api/v1/admin/bulk/people', 'email,name,role,units\nbk@cj.example.cn,批量,clerk,BK-V;BK-T\n'), 200);
    expect(await all(`select u.code from memberships m join units u on u.id = m.unit_id join people p on p.id = m.person_id where p.email = 'bk@cj.example.cn' order by u.code`)).toEqual([
      { code: 'BK-T' },
      { code: 'BK-V' },
    ]);
  });

  it('opening and changing a cycle', async () => {
    const cycle = { template: 'gov-2021', deadline: '2077-01-31T23:59:59+08:00', reminder_days: [30, 7, 1] };
    const created = await survivesEveryFault(() => json('PUT', '/api/v1/admin/cycles/2076', cycle, ADMIN_TOKEN), 201);
    expect(created.statements).toBeGreaterThan(1);
    await survivesEveryFault(() => json('PUT', '/api/v1/admin/cycles/2076', { ...cycle, deadline: '2077-02-28T23:59:59+08:00' }, ADMIN_TOKEN), 200);
    const reports = (await one<{ n: number }>(`select count(*) as n from reports where year = 2076`))!.n;
    expect(reports).toBeGreaterThan(1);
    expect(await one(`select count(*) as n from audit_events where action = 'report.create' and report_id in (select id from reports where year = 2076)`)).toEqual({ n: reports });
  });

  it('asking for a sign-in link, and signing in with it', async () => {
    const asked = await survivesEveryFault(() => json('POST', '/auth/link', { email: 'zhou@dh.example.cn' }, {}), 202);
    expect(asked.statements).toBeGreaterThan(1);
    const [mail] = await all<{ text_body: string }>(`select text_body from outbox where kind = 'sign-in' and to_address = 'zhou@dh.example.cn'`);
    const token = decodeURIComponent(mail!.text_body.match(/\/auth\/verify\?token=([^\s&]+)/)![1]!);
    const signedIn = await survivesEveryFault(() => form('/auth/verify', { token }), 303);
    expect(signedIn.statements).toBeGreaterThan(1);
    expect(signedIn.response.headers.get('Set-Cookie')).toContain('nb_session=');
  });
});

/** A mail provider at https://mail.test/send (the HTTP transport's API): what it was handed, in order. */
function mailProvider(answer: (attempt: number, mail: { to: string; subject: string }) => Response | Error = () => new Response('{}')) {
  const accepted: string[] = [];
  const realFetch = globalThis.fetch;
  let attempts = 0;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith('https://mail.test/')) return realFetch(input, init);
    const mail = (await request.json()) as { to: string; subject: string; text: string };
    const outcome = answer(++attempts, mail);
    if (outcome instanceof Error) throw outcome;
    if (outcome.ok) accepted.push(`${mail.to} ${mail.subject} ${mail.text}`);
    return outcome;
  });
  return accepted;
}

/** Production with the HTTP mail API. */
const production = { ENVIRONMENT: 'production', BASE_URL: 'https://nianbao.example.gov.cn', MAIL_TRANSPORT: 'http', MAIL_API_URL: 'https://mail.test/send', MAIL_API_KEY: 'test-key', ...NO_QUEUES };

async function runCron(cron: string, scheduledTime: number, overrides: Partial<typeof env> = {}) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime }), { ...env, ...production, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
}

type OutboxRow = { id: number; dedup_key: string; to_address: string; subject: string; text_body: string; status: string };
const outboxRows = () => all<OutboxRow>('select * from outbox order by id');
const MINUTE = 60_000;

describe('the cron killed mid-run and run again', () => {
  afterEach(() => vi.restoreAllMocks());

  it('dies after each number of statements in turn, then runs whole: every message queued once, delivered once (again only if it died between the provider and the record)', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    // A deadline 30 days after the run: a reminder for each of the clerk's two units.
    expect((await adminPut('/cycles/2081', { template: 'gov-2021', deadline: '2031-07-01T23:59:59+08:00', reminder_days: [30], units: ['JT', 'BQ'] })).status).toBe(201);
    // A report waiting for review: a digest for each of the two supervisors.
    // Submitted through `through`, so its review mail is sent (captured) before the runs start.
    await openCycle(2082);
    const saved = await through(env.DB, json('PUT', '/api/v1/drafts/JT/2082', { revision: 0, cells: zeros(), sections: COMPLETE_SECTIONS }, { Cookie: s.clerk }));
    expect(saved.status).toBe(200);
    expect((await through(env.DB, json('POST', '/api/v1/drafts/JT/2082/submit', { revision: 1 }, { Cookie: s.clerk }))).status).toBe(200);
    const runAt = Date.parse('2031-06-01T09:00:00+08:00');
    const sentBefore = new Set((await outboxRows()).filter((m) => m.status === 'sent').map((m) => m.id));
    const accepted = mailProvider();

    // The isolate dies after 0, 1, 2, … statements; each next run starts where the last one died.
    // A death between the provider accepting a message and D1 recording it leaves that message
    // claimed ('sending'): no mail system can know that the provider took it, so it is sent
    // again once the claim's lease runs out — the one duplicate an outbox allows, noted here.
    const mailText = (m: OutboxRow) => `${m.to_address} ${m.subject} ${m.text_body}`;
    const acceptedUnrecorded = new Set<string>();
    let deaths = 0;
    for (let limit = 0; ; limit++) {
      const dying = dyingAfter(env.DB, limit);
      await runCron(DAILY_CRON, runAt, { DB: dying.db }).catch(() => {});
      if (!dying.died()) break;
      deaths++;
      for (const m of await outboxRows()) if (m.status === 'sending' && accepted.includes(mailText(m))) acceptedUnrecorded.add(mailText(m));
    }
    expect(deaths).toBeGreaterThan(5);
    // Then the same day's run again, and the mail runs after any claim's lease ran out.
    await runCron(DAILY_CRON, runAt);
    for (const minutes of [10, 20, 30]) await runCron(MAIL_CRON, runAt + minutes * MINUTE);

    const rows = await outboxRows();
    const keys = rows.map((m) => m.dedup_key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.startsWith('reminder:') && k.includes(':2081:30:') && k.endsWith(':wang@jt.example.cn')).sort()).toEqual([
      'reminder:BQ:2081:30:wang@jt.example.cn',
      'reminder:JT:2081:30:wang@jt.example.cn',
    ]);
    const delivered = rows.filter((m) => !sentBefore.has(m.id));
    expect(delivered.map((m) => m.dedup_key)).toEqual(
      expect.arrayContaining(['digest:li@dh.example.cn:2031-06-01', 'digest:zhou@dh.example.cn:2031-06-01', 'reminder:JT:2081:30:wang@jt.example.cn']),
    );
    expect(delivered.filter((m) => m.status !== 'sent')).toEqual([]);
    // Every message accepted by the provider once; a second time only if the death fell between
    // its acceptance and its record.
    const expected = delivered.flatMap((m) => (acceptedUnrecorded.has(mailText(m)) ? [mailText(m), mailText(m)] : [mailText(m)]));
    expect([...accepted].sort()).toEqual(expected.sort());
    expect(acceptedUnrecorded.size).toBeLessThan(delivered.length);
  });
});

describe('a mail provider failing, then recovering', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers 500, 503 and a dropped connection, then 200: each message delivered once, none lost', async () => {
    const db = getDb(env.DB);
    const t0 = Date.parse('2032-03-01T09:00:00+08:00');
    const keys = ['provider-a', 'provider-b', 'provider-c'];
    const [first, ...rest] = keys.map((key) => enqueue(db, { dedupKey: key, kind: 'test', to: `${key}@example.cn`, subject: `测试 ${key}`, text: key }, t0));
    await db.batch([first!, ...rest]);
    // The first three attempts fail in three ways; the provider is healthy after that.
    const failures = [new Response('busy', { status: 500 }), new Response('busy', { status: 503 }), new TypeError('network connection lost')];
    const accepted = mailProvider((attempt) => failures[attempt - 1] ?? new Response('{}'));
    const transport = httpTransport(production.MAIL_API_URL, production.MAIL_API_KEY);

    const failed = await deliverDue(db, transport, 'noreply@nianbao.test', { now: t0 });
    expect(failed).toMatchObject({ sent: 0, retrying: 3 });
    // Retried after the backoff (1 minute); once more finds nothing due.
    const recovered = await deliverDue(db, transport, 'noreply@nianbao.test', { now: t0 + MINUTE });
    expect(recovered).toMatchObject({ sent: 3, retrying: 0 });
    expect(await deliverDue(db, transport, 'noreply@nianbao.test', { now: t0 + 60 * MINUTE })).toMatchObject({ sent: 0 });

    expect(accepted.sort()).toEqual(keys.map((key) => `${key}@example.cn 测试 ${key} ${key}`));
    const rows = await all<{ status: string; attempts: number }>(`select status, attempts from outbox where dedup_key like 'provider-%' order by dedup_key`);
    expect(rows).toEqual(keys.map(() => ({ status: 'sent', attempts: 2 })));
  });
});
