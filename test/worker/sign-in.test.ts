// Sign-in by emailed link, end to end through the Worker and a real local D1: request a link,
// read it from the captured mail (the outbox), open it, press the button, get a session.
import { env, exports } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LINK_LIMITS } from '../../src/auth/sign-in';

const BASE = 'https://nianbao.test';

function call(path: string, init: RequestInit & { cookie?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('Cookie', init.cookie);
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers, redirect: 'manual' }));
}

/** A form post from our own pages (the browser sends Origin; CSRF protection checks it). */
const postForm = (path: string, fields: Record<string, string>, cookie?: string, origin = BASE) =>
  call(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
    body: new URLSearchParams(fields).toString(),
    cookie,
  });

const requestLink = (email: string, headers: Record<string, string> = {}) =>
  call('/auth/link', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ email }) });

type OutboxRow = { id: number; to_address: string; subject: string; text_body: string; html_body: string; kind: string };

async function mailTo(address: string): Promise<OutboxRow[]> {
  const { results } = await env.DB.prepare('select * from outbox where to_address = ? order by id').bind(address).all<OutboxRow>();
  return results;
}

/** The sign-in link in the newest mail to `address`, as a path with its query. */
async function linkIn(address: string): Promise<string> {
  const mails = await mailTo(address);
  const url = mails.at(-1)!.text_body.match(/https?:\/\/\S+\/auth\/verify\?\S+/)![0];
  return url.slice(new URL(url).origin.length);
}

const tokenOf = (path: string) => new URL(path, BASE).searchParams.get('token')!;

async function signIn(email: string): Promise<string> {
  expect((await requestLink(email)).status).toBe(202);
  const res = await postForm('/auth/verify', { token: tokenOf(await linkIn(email)) });
  expect(res.status).toBe(303);
  return res.headers.get('Set-Cookie')!.split(';')[0]!;
}

const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;

beforeAll(async () => {
  await env.DB.batch([
    env.DB.prepare(`insert into units (id, code, name, parent_id) values (1, 'ZS-DH', '定海区人民政府', null), (2, 'JT-330903-101', '金塘镇', 1), (3, 'BQ-330902-102', '白泉镇', 1), (4, 'JT-CUN-01', '金塘镇某村', 2)`),
    env.DB.prepare(`insert into people (id, email, name, role) values (1, 'clerk@example.gov.cn', '王芳', 'clerk'), (2, 'supervisor@example.gov.cn', '李强', 'supervisor'), (3, 'admin@example.gov.cn', '赵敏', 'admin'), (4, 'gone@example.gov.cn', '离职者', 'clerk')`),
    env.DB.prepare(`update people set active = 0 where id = 4`),
    env.DB.prepare(`insert into memberships (person_id, unit_id, role) values (1, 2, 'clerk'), (2, 1, 'supervisor'), (4, 2, 'clerk')`),
  ]);
});

// Each test starts with fresh rate-limit windows (the limits have tests of their own below).
beforeEach(async () => {
  await env.DB.prepare('delete from rate_limits').run();
});

describe('the whole round trip', () => {
  it('mails a link, shows a button on GET, signs in on POST, and /app says who you are', async () => {
    const res = await requestLink('  Clerk@Example.GOV.cn ');
    expect(res.status).toBe(202);
    const mails = await mailTo('clerk@example.gov.cn');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('年报系统登录链接');
    expect(mails[0]!.kind).toBe('sign-in');
    expect(mails[0]!.text_body).toContain('王芳，您好');
    expect(mails[0]!.text_body).toContain('15 分钟');

    const link = await linkIn('clerk@example.gov.cn');
    expect(link).toMatch(/^\/auth\/verify\?token=[A-Za-z0-9_-]{43}$/);
    // The token itself is never stored: only its hash.
    expect(await count(`select count(*) as n from login_tokens where token_hash = '${tokenOf(link)}'`)).toBe(0);

    const page = await call(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('Cache-Control')).toBe('no-store');
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('您将以 王芳（clerk@example.gov.cn）的身份登录');
    expect(html).toContain('<form method="post" action="/auth/verify"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // nothing submits it automatically

    const verified = await postForm('/auth/verify', { token: tokenOf(link) });
    expect(verified.status).toBe(303);
    expect(verified.headers.get('Location')).toBe('/app');
    const setCookie = verified.headers.get('Set-Cookie')!;
    expect(setCookie).toMatch(/^nb_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('SameSite=Lax');

    const app = await call('/app', { cookie: setCookie.split(';')[0] });
    expect(app.status).toBe(200);
    const home = await app.text();
    expect(home).toContain('您好，王芳');
    expect(home).toContain('填报人');
    expect(home).toContain('金塘镇');
    expect(home).not.toContain('白泉镇');
    expect(await count(`select count(*) as n from audit_events where action = 'auth.sign_in' and actor = 'clerk@example.gov.cn'`)).toBe(1);
  });

  it('shows a supervisor the units below their own, and an administrator their role', async () => {
    const supervisor = await (await call('/app', { cookie: await signIn('supervisor@example.gov.cn') })).text();
    expect(supervisor).toContain('您好，李强');
    expect(supervisor).toContain('作为 定海区人民政府 的审核人');
    for (const unit of ['金塘镇', '白泉镇', '金塘镇某村']) expect(supervisor).toContain(unit);
    const admin = await (await call('/app', { cookie: await signIn('admin@example.gov.cn') })).text();
    expect(admin).toContain('管理员（政务公开办）');
  });

  it('speaks English when the browser prefers it', async () => {
    const cookie = await signIn('clerk@example.gov.cn');
    const home = await (await call('/app', { cookie, headers: { 'Accept-Language': 'en-GB,en;q=0.9,zh;q=0.5' } })).text();
    expect(home).toContain('Hello, 王芳');
    expect(home).toContain('Units you report for');
  });
});

describe('links that must not work', () => {
  it('gives an unknown or inactive address the same 202 and sends no mail', async () => {
    for (const email of ['nobody@example.gov.cn', 'gone@example.gov.cn']) {
      const res = await requestLink(email);
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ ok: true, message: '如果该邮箱已登记，登录链接已发送，15 分钟内有效，只能使用一次。' });
      expect(await mailTo(email)).toEqual([]);
    }
  });

  it('changes nothing on GET or HEAD, however often the link is opened', async () => {
    await requestLink('clerk@example.gov.cn');
    const link = await linkIn('clerk@example.gov.cn');
    for (const method of ['GET', 'HEAD', 'GET']) expect((await call(link, { method })).status).toBe(200);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(tokenOf(link))));
    const hash = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    const row = await env.DB.prepare('select used_at from login_tokens where token_hash = ?').bind(hash).first<{ used_at: number | null }>();
    expect(row).toEqual({ used_at: null });
    expect((await postForm('/auth/verify', { token: tokenOf(link) })).status).toBe(303);
  });

  it('refuses a used link with a clear page, and signs in once when pressed twice at once', async () => {
    await requestLink('clerk@example.gov.cn');
    const token = tokenOf(await linkIn('clerk@example.gov.cn'));
    const sessionsBefore = await count('select count(*) as n from sessions');
    const [a, b] = await Promise.all([postForm('/auth/verify', { token }), postForm('/auth/verify', { token })]);
    expect([a.status, b.status].sort()).toEqual([303, 410]);
    expect(await count('select count(*) as n from sessions')).toBe(sessionsBefore + 1);
    const again = await postForm('/auth/verify', { token });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('这个登录链接已经使用过了');
    expect((await call(`/auth/verify?token=${token}`)).status).toBe(410);
  });

  it('refuses an expired link and opens no session', async () => {
    await requestLink('clerk@example.gov.cn');
    const token = tokenOf(await linkIn('clerk@example.gov.cn'));
    await env.DB.prepare('update login_tokens set expires_at = ? where used_at is null').bind(Date.now() - 1).run();
    const page = await call(`/auth/verify?token=${token}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('已过期');
    const sessionsBefore = await count('select count(*) as n from sessions');
    expect((await postForm('/auth/verify', { token })).status).toBe(410);
    expect(await count('select count(*) as n from sessions')).toBe(sessionsBefore);
  });

  it('refuses a tampered or truncated token', async () => {
    await requestLink('clerk@example.gov.cn');
    const token = tokenOf(await linkIn('clerk@example.gov.cn'));
    const tampered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    for (const t of [tampered, token.slice(0, 20), '']) {
      const res = await postForm('/auth/verify', { token: t });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('这个登录链接无效');
    }
  });

  it('refuses a form post from another site (CSRF)', async () => {
    await requestLink('clerk@example.gov.cn');
    const token = tokenOf(await linkIn('clerk@example.gov.cn'));
    const res = await postForm('/auth/verify', { token }, undefined, 'https://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    // The token was not spent by the forged request.
    expect((await postForm('/auth/verify', { token })).status).toBe(303);
  });
});

describe('sessions end', () => {
  it('logout ends the session on the server, not just in the browser', async () => {
    const cookie = await signIn('clerk@example.gov.cn');
    expect((await call('/app', { cookie })).status).toBe(200);
    const out = await postForm('/auth/logout', {}, cookie);
    expect(out.status).toBe(303);
    expect(out.headers.get('Location')).toBe('/signin?signed_out=1');
    expect(out.headers.get('Set-Cookie')).toMatch(/^nb_session=;.*Max-Age=0/);
    // The old cookie, replayed, no longer works.
    const replay = await call('/app', { cookie });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('Location')).toBe('/signin?next=%2Fapp');
  });

  it('an expired session is no session', async () => {
    const cookie = await signIn('clerk@example.gov.cn');
    await env.DB.prepare('update sessions set expires_at = ?').bind(Date.now() - 1).run();
    expect((await call('/app', { cookie })).status).toBe(303);
  });

  it('a deactivated person is signed out everywhere', async () => {
    const cookie = await signIn('supervisor@example.gov.cn');
    await env.DB.prepare(`update people set active = 0 where email = 'supervisor@example.gov.cn'`).run();
    expect((await call('/app', { cookie })).status).toBe(303);
    await env.DB.prepare(`update people set active = 1 where email = 'supervisor@example.gov.cn'`).run();
  });
});

describe('the sign-in form without JavaScript', () => {
  it('posts a form, and shows the error beside the field when the address is malformed', async () => {
    const page = await (await call('/signin')).text();
    expect(page).toContain('<form method="post" action="/auth/link"');
    const bad = await postForm('/auth/link', { email: 'not-an-address' });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('<a href="#email">请输入有效的电子邮箱');
    expect(html).toContain('id="email-error"');
    expect(html).toMatch(/<input id="email"[^>]* aria-describedby="email-error" aria-invalid="true"/);
    expect(html).toContain('value="not-an-address"');
    const good = await postForm('/auth/link', { email: 'supervisor@example.gov.cn' });
    expect(good.status).toBe(202);
    expect(await good.text()).toContain('请查收邮件');
  });

  it('names the field in a JSON 422', async () => {
    const res = await requestLink('nope');
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_input', details: [{ field: 'email' }] } });
  });
});

describe('rate limits', () => {
  it('limits link requests per address, known or not, with Retry-After', async () => {
    const email = 'flood@example.gov.cn';
    for (let i = 0; i < 5; i++) expect((await requestLink(email)).status).toBe(202);
    const limited = await requestLink(email);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('too_many_requests');
  });

  it('limits link requests per client address (generously: one office, one address)', async () => {
    const headers = { 'CF-Connecting-IP': '203.0.113.7' };
    expect(LINK_LIMITS.perIp).toBeGreaterThanOrEqual(100);
    for (let i = 0; i < LINK_LIMITS.perIp; i++) expect((await requestLink(`person${i}@example.gov.cn`, headers)).status).toBe(202);
    expect((await requestLink('one-more@example.gov.cn', headers)).status).toBe(429);
    expect((await requestLink('one-more@example.gov.cn', { 'CF-Connecting-IP': '203.0.113.8' })).status).toBe(202);
    // 200 requests in a row: on a busy machine (CI, or tests side by side) that outlasts 5 s.
  }, 60_000);
});
