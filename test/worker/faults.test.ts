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
import { dumpDatabase, dyingAfter, everyStatementFailingOnce } from './fault-helpers';
import { ADMIN_TOKEN, adminPut, BASE, publishReport } from './report-helpers';
import { all, fillAndSubmit, one, openCycle, reportRow, reviewMails, setUpTree, zeros, type Sessions } from './review-helpers';

/** The request through a fresh app whose D1 binding is `db`; background work awaited too. */
async function through(db: D1Database, request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(request, { ...env, DB: db }, ctx);
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
    const saved = await through(env.DB, json('PUT', '/api/v1/drafts/JT/2071', { revision: 0, cells: zeros() }, { Cookie: s.clerk }));
    const { revision } = (await saved.json()) as { revision: number };
    const { statements } = await survivesEveryFault(() => json('POST', '/api/v1/drafts/JT/2071/submit', { revision }, { Cookie: s.clerk }), 200);
    expect(statements).toBeGreaterThan(1);
    expect(await reportRow('JT', 2071)).toMatchObject({ status: 'submitted' });
    expect(await reviewMails('JT', 2071)).toHaveLength(2);
  });

  it('approving through the mailed link', async () => {
    await openCycle(2072);
    await fillAndSubmit(s.clerk, 'JT', 2072);
    const [mail] = await reviewMails('JT', 2072);
    const { statements } = await survivesEveryFault(() => form(mail!.path, { decision: 'approve', comment: '' }), 200);
    expect(statements).toBeGreaterThan(1);
    expect(await reportRow('JT', 2072)).toMatchObject({ status: 'published', published_version: 1 });
  });

  it('returning through the mailed link', async () => {
    await openCycle(2073);
    await fillAndSubmit(s.clerk, 'JT', 2073);
    const [mail] = await reviewMails('JT', 2073);
    const { statements } = await survivesEveryFault(() => form(mail!.path, { decision: 'return', comment: '请补充第五项。' }), 200);
    expect(statements).toBeGreaterThan(1);
    expect(await reportRow('JT', 2073)).toMatchObject({ status: 'returned', return_comment: '请补充第五项。' });
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
    expect(signedIn.response.headers.getSetCookie().join()).toContain('nb_session=');
  });
});
