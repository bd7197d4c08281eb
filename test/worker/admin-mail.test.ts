// /app/admin/mail: an administrator sees what waits, retries and failed with the provider's
// reason, never a token of a sign-in or review mail; 重新发送 puts a failed message back in the
// queue (audited) and the cron delivers it; an administrator of another subtree sees none of it.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '../../src/db/client';
import { deliverDue, enqueue } from '../../src/mail/outbox';
import { request, setUpWorld, type World } from './probe-helpers';

let world: World;
const ORIGIN = { Origin: 'https://nianbao.test' };
const REASON = 'E_RECIPIENT_SUPPRESSED: recipient is on the suppression list';

async function failedMail(to: string, subject: string): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO outbox (dedup_key, kind, to_address, subject, text_body, status, attempts, next_attempt_at, last_error, last_attempt_at, created_at)
     VALUES (?, 'reminder', ?, ?, 'body', 'failed', 3, 0, ?, ?, ?) RETURNING id`,
  )
    .bind(`test-failed:${to}:${subject}`, to, subject, REASON, Date.now() - 60_000, Date.now() - 120_000)
    .first<{ id: number }>();
  return row!.id;
}

const page = async (cookie: string, query = '') => {
  const res = await request('GET', `/app/admin/mail${query}`, { headers: { Cookie: cookie } });
  return { status: res.status, html: await res.text(), location: res.headers.get('Location') };
};

const resend = (cookie: string, id: number) =>
  request('POST', `/app/admin/mail/${id}/resend`, { headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', ...ORIGIN }, body: '' });

const status = async (id: number) => (await env.DB.prepare('select status, attempts from outbox where id = ?').bind(id).first<{ status: string; attempts: number }>())!;

let failedToA: number;

beforeAll(async () => {
  world = await setUpWorld();
  failedToA = await failedMail(world.emails.clerkA, '年报提醒：金塘镇');
  // A sign-in mail to A's clerk: its body holds a token the page must never show.
  const link = await request('POST', '/auth/link', { headers: { 'Content-Type': 'application/json', ...ORIGIN }, body: JSON.stringify({ email: world.emails.clerkA }) });
  expect(link.status).toBe(202);
}, 30_000);

describe('the mail page', () => {
  it('sends the anonymous to sign in and refuses clerks and supervisors', async () => {
    expect((await request('GET', '/app/admin/mail')).status).toBe(303);
    expect((await page(world.clerkA)).status).toBe(403);
    expect((await page(world.supervisorP)).status).toBe(403);
    expect((await resend(world.clerkA, failedToA)).status).toBe(403);
  });

  it("shows a failed message's provider reason and the transport's last failure", async () => {
    const { status: code, html } = await page(world.admin);
    expect(code).toBe(200);
    expect(html).toContain('年报提醒：金塘镇');
    expect(html).toContain(REASON);
    expect(html).toContain('发送失败');
    expect(html).toContain('最近一次发送失败');
    expect(html).toContain(`action="/app/admin/mail/${failedToA}/resend"`);
  });

  it('never shows the token or link of a sign-in or review mail', async () => {
    const { results } = await env.DB.prepare("select text_body from outbox where kind in ('sign-in', 'review-request')").all<{ text_body: string }>();
    const links = results.flatMap((r) => r.text_body.match(/https?:\/\/\S+/g) ?? []);
    expect(links.length).toBeGreaterThanOrEqual(2);
    const { html } = await page(world.admin, '?status=all');
    expect(html).toContain('登录链接');
    expect(html).toContain('审核请求');
    expect(html).not.toContain(world.reviewToken);
    for (const link of links) {
      expect(html).not.toContain(link);
      const token = new URL(link).searchParams.get('token') ?? link.split('/').pop()!;
      expect(html).not.toContain(token);
    }
  });

  it('shows a message the provider refused for now as retrying, with when it was tried and why', async () => {
    const db = getDb(env.DB);
    const now = Date.now();
    await db.batch([enqueue(db, { dedupKey: 'test-retry', kind: 'reminder', to: world.emails.clerkA, subject: '年报提醒：重试', text: 'body' }, now - 5_000)]);
    // The provider is the one thing faked: it answers 503.
    const outage = { name: 'fake', send: async () => ({ ok: false as const, retry: true, error: 'HTTP 503: upstream unavailable' }) };
    expect(await deliverDue(db, outage, 'noreply@nianbao.test', { now: now - 1_000 })).toMatchObject({ retrying: 1 });
    const row = await env.DB.prepare("select status, attempts, last_attempt_at from outbox where dedup_key = 'test-retry'").first();
    expect(row).toEqual({ status: 'pending', attempts: 1, last_attempt_at: now - 1_000 });
    const { html } = await page(world.admin, '?status=retrying');
    expect(html).toContain('年报提醒：重试');
    expect(html).toContain('重试中');
    expect(html).toContain('HTTP 503: upstream unavailable');
    expect(html).not.toContain('年报提醒：金塘镇');
    // The transport's last failure is this one now: the newest attempt that failed.
    const health = (await page(world.admin)).html;
    expect(health.slice(health.indexOf('最近一次发送失败'), health.indexOf('等待发送'))).toContain('HTTP 503: upstream unavailable');
  });

  it('filters by recipient and by state', async () => {
    const other = await failedMail(world.emails.clerkB, '年报提醒：白泉镇');
    const byRecipient = (await page(world.admin, `?to=${encodeURIComponent('clerk.b@')}`)).html;
    expect(byRecipient).toContain('年报提醒：白泉镇');
    expect(byRecipient).not.toContain('年报提醒：金塘镇');
    // The sign-in mail of the set-up went out through the mail queue, within a second or two.
    await vi.waitFor(async () => expect((await page(world.admin, '?status=sent')).html).toContain('登录链接'), { timeout: 10_000, interval: 50 });
    const sent = (await page(world.admin, '?status=sent')).html;
    expect(sent).not.toContain('年报提醒：白泉镇');
    expect(other).toBeGreaterThan(0);
  });

  it("shows an administrator of another subtree none of A's mail, and refuses its resend", async () => {
    const { status: code, html } = await page(world.adminQ, '?status=all');
    expect(code).toBe(200);
    expect(html).not.toContain(world.emails.clerkA);
    expect(html).not.toContain(REASON);
    const refused = await resend(world.adminQ, failedToA);
    expect(refused.status).toBe(403);
    expect(await status(failedToA)).toEqual({ status: 'failed', attempts: 3 });
  });

  it('resends a failed message: back to pending with its attempts, audited, and the mail queue delivers it', async () => {
    const res = await resend(world.admin, failedToA);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/app/admin/mail?resent=1');
    expect((await status(failedToA))!.status).toMatch(/^(pending|sending|sent)$/);
    const event = await env.DB.prepare("select actor, detail from audit_events where action = 'mail.resend' order by id desc").first<{ actor: string; detail: string }>();
    expect(event!.actor).toBe(world.emails.admin);
    expect(JSON.parse(event!.detail)).toMatchObject({ message: failedToA, before: { status: 'failed' }, after: { status: 'pending' } });
    // Twice: it is no longer failed.
    expect((await resend(world.admin, failedToA)).status).toBe(409);

    // Handed to the mail queue by the resend; the Worker's own consumer sends it.
    await vi.waitFor(async () => expect(await status(failedToA)).toEqual({ status: 'sent', attempts: 4 }), { timeout: 10_000, interval: 20 });
    const after = (await page(world.admin)).html;
    expect(after).toContain('最近一次发送成功');
    expect(after).not.toContain(`action="/app/admin/mail/${failedToA}/resend"`);
  });
});
