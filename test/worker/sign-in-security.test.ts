// Attacks on signing in, through the real Worker and a local D1: where the browser goes after
// signing in (`next`), where the mailed link points (the Host header), and who can stop a
// person from getting a link (rate limits).
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';

const BASE = 'https://nianbao.test';
const EMAIL = 'clerk@example.gov.cn';

function call(path: string, init: RequestInit & { cookie?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('Cookie', init.cookie);
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers, redirect: 'manual' }));
}

const postForm = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  call(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE, ...headers },
    body: new URLSearchParams(fields).toString(),
  });

const requestLink = (email: string, headers: Record<string, string> = {}) =>
  call('/auth/link', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ email }) });

/** The sign-in link (absolute, as mailed) in the newest mail to `address`. */
async function mailedLink(address: string): Promise<URL> {
  const mail = await env.DB.prepare('select text_body from outbox where to_address = ? order by id desc limit 1').bind(address).first<{ text_body: string }>();
  return new URL(mail!.text_body.match(/https?:\/\/\S+\/auth\/verify\?\S+/)![0]);
}

/** A fresh token for EMAIL, read from its mail (the rate limits have their own tests). */
async function freshToken(): Promise<string> {
  await env.DB.prepare('delete from rate_limits').run();
  expect((await requestLink(EMAIL)).status).toBe(202);
  return (await mailedLink(EMAIL)).searchParams.get('token')!;
}

const mailCount = async (address: string) =>
  (await env.DB.prepare('select count(*) as n from outbox where to_address = ?').bind(address).first<{ n: number }>())!.n;

/** A request to an app deployed with these settings (e.g. production), at any URL (any Host). */
async function deployed(settings: Record<string, string | undefined>, url: string, init: RequestInit) {
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request(url, init), { ...env, MAIL_TRANSPORT: 'capture', ...settings }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const hiddenNext = (html: string) => html.match(/<input type="hidden" name="next" value="([^"]*)"/)?.[1];

beforeAll(async () => {
  await env.DB.batch([
    env.DB.prepare(`insert into units (id, code, name, parent_id) values (1, 'ZS-DH', '定海区人民政府', null), (2, 'JT-330903-101', '金塘镇', 1)`),
    env.DB.prepare(`insert into people (id, email, name, role) values (1, '${EMAIL}', '王芳', 'clerk')`),
    env.DB.prepare(`insert into memberships (person_id, unit_id, role) values (1, 2, 'clerk')`),
  ]);
});

beforeEach(async () => {
  await env.DB.prepare('delete from rate_limits').run();
});

describe('after signing in, the browser stays on this site', () => {
  const HOSTILE = ['/%09/evil.example/stolen', '/\t/evil.example/stolen', '//evil.example/stolen', '/\\evil.example', '/%5C/evil.example', 'https://evil.example/'];

  it('POST /auth/verify with a hostile next answers 303 to /app', { timeout: 20_000 }, async () => {
    for (const next of HOSTILE) {
      const res = await postForm('/auth/verify', { token: await freshToken(), next });
      expect(res.status, next).toBe(303);
      expect(res.headers.get('Location'), next).toBe('/app');
    }
  });

  it('the probe’s chain, /signin?next=… → form → mail → button, carries no hostile next anywhere', async () => {
    const next = '/%09/evil.example/stolen';
    const signin = await call(`/signin?next=${encodeURIComponent(next)}`);
    expect(hiddenNext(await signin.text())).toBeUndefined();
    // Even posted straight to /auth/link, the mailed link does not carry it.
    expect((await postForm('/auth/link', { email: EMAIL, next })).status).toBe(202);
    const link = await mailedLink(EMAIL);
    expect(link.searchParams.has('next')).toBe(false);
    // Nor does the verify page, whatever the link's query says.
    const page = await call(`/auth/verify?token=${link.searchParams.get('token')}&next=${encodeURIComponent(next)}`);
    expect(page.status).toBe(200);
    expect(hiddenNext(await page.text())).toBeUndefined();
  });

  it('a path of ours travels the whole way and is where the browser lands', async () => {
    const next = '/app/reports/JT-330903-101/2025';
    expect(hiddenNext(await (await call(`/signin?next=${encodeURIComponent(next)}`)).text())).toBe(next);
    expect((await postForm('/auth/link', { email: EMAIL, next })).status).toBe(202);
    const link = await mailedLink(EMAIL);
    expect(link.searchParams.get('next')).toBe(next);
    const page = await call(`${link.pathname}${link.search}`);
    expect(hiddenNext(await page.text())).toBe(next);
    const res = await postForm('/auth/verify', { token: link.searchParams.get('token')!, next });
    expect(res.headers.get('Location')).toBe(next);
  });

  it('CR or LF in next: a 303 to /app (not a 500), and the session it sets works', async () => {
    for (const next of ['/\r\nSet-Cookie: nb_session=stolen', '/app\n', '/\r/evil.example', '/%0d%0aX-Evil:%201']) {
      const res = await postForm('/auth/verify', { token: await freshToken(), next });
      expect(res.status, JSON.stringify(next)).toBe(303);
      expect(res.headers.get('Location')).toBe('/app');
      expect(res.headers.get('X-Evil')).toBeNull();
      const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
      expect(cookie).toMatch(/^nb_session=[A-Za-z0-9_-]{43}$/);
      const home = await call('/app', { cookie });
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('您好，王芳');
    }
  });
});

describe('links in mail point to the configured origin, never the Host header', () => {
  const linkRequest = (email: string, host: string): RequestInit => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Host: host },
    body: JSON.stringify({ email }),
  });

  it('production without BASE_URL: 503 saying so, for known and unknown addresses alike, logged, and no mail queued', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const before = await mailCount(EMAIL);
      for (const email of [EMAIL, 'nobody@example.gov.cn']) {
        const res = await deployed({ ENVIRONMENT: 'production', BASE_URL: undefined }, 'https://evil.example/auth/link', linkRequest(email, 'evil.example'));
        expect(res.status).toBe(503);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('not_configured');
        expect(body.error.message).toContain('BASE_URL');
      }
      expect(await mailCount(EMAIL)).toBe(before);
      expect(logged.mock.calls.some((args) => String(args[0]).includes('BASE_URL is not set'))).toBe(true);
    } finally {
      logged.mockRestore();
    }
  });

  it('production without BASE_URL: the sign-in form gets a page that says so', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await deployed({ ENVIRONMENT: 'production', BASE_URL: undefined }, `${BASE}/auth/link`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE },
        body: new URLSearchParams({ email: EMAIL }).toString(),
      });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('BASE_URL');
    } finally {
      logged.mockRestore();
    }
  });

  it('with BASE_URL, a hostile Host header changes nothing: the mailed link is on BASE_URL', async () => {
    const res = await deployed(
      { ENVIRONMENT: 'production', BASE_URL: 'https://nianbao.example.gov.cn/' },
      'https://evil.example/auth/link',
      linkRequest(EMAIL, 'evil.example'),
    );
    expect(res.status).toBe(202);
    const link = await mailedLink(EMAIL);
    expect(link.origin).toBe('https://nianbao.example.gov.cn');
    expect(link.pathname).toBe('/auth/verify');
  });
});

describe('strangers cannot keep a person from signing in', () => {
  const OWN_IP = '198.51.100.1';
  const fromIp = (ip: string) => ({ 'CF-Connecting-IP': ip });

  it('50 requests for one address from 10 other IPs: all answered alike, few mails; then the person’s own request from their IP is mailed', { timeout: 30_000 }, async () => {
    // The person signed in from their own IP before (their office).
    expect((await requestLink(EMAIL, fromIp(OWN_IP))).status).toBe(202);
    const link = await mailedLink(EMAIL);
    expect((await postForm('/auth/verify', { token: link.searchParams.get('token')! }, fromIp(OWN_IP))).status).toBe(303);
    await env.DB.prepare('delete from rate_limits').run();

    const before = await mailCount(EMAIL);
    const answers = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const res = await requestLink(EMAIL, fromIp(`203.0.113.${10 + (i % 10)}`));
      expect(res.status).toBe(202);
      answers.add(await res.text());
    }
    expect(answers.size).toBe(1); // the dropped ones look exactly like the sent ones
    const flood = (await mailCount(EMAIL)) - before;
    expect(flood).toBeGreaterThan(0);
    expect(flood).toBeLessThanOrEqual(10); // the mailbox is not flooded

    const own = await requestLink(EMAIL, fromIp(OWN_IP));
    expect(own.status).toBe(202);
    expect(await mailCount(EMAIL)).toBe(before + flood + 1);
    const token = (await mailedLink(EMAIL)).searchParams.get('token')!;
    expect((await postForm('/auth/verify', { token }, fromIp(OWN_IP))).status).toBe(303);
  });

  it('one client asking too often for one address is told to wait (429), and only that client', async () => {
    for (let i = 0; i < 5; i++) expect((await requestLink(EMAIL, fromIp('203.0.113.50'))).status).toBe(202);
    const limited = await requestLink(EMAIL, fromIp('203.0.113.50'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await requestLink(EMAIL, fromIp(OWN_IP))).status).toBe(202);
  });
});
