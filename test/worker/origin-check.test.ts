// Writes from a browser must come from our own pages, JSON included: any non-GET/HEAD request
// whose Origin header names another site is refused (403) before it changes anything. Scripts
// without Origin (curl, ADMIN_TOKEN) keep working, and the public GET APIs keep CORS *.
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, BASE, sessionCookie } from './report-helpers';

const EVIL = 'https://evil.example';

function call(path: string, init: RequestInit = {}) {
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, redirect: 'manual' }));
}

const json = (method: string, path: string, body: unknown, headers: Record<string, string>) =>
  call(path, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;

let admin: string;

beforeAll(async () => {
  await env.DB.batch([
    env.DB.prepare(`insert into units (id, code, name, parent_id) values (1, 'ZS-DH', '定海区人民政府', null)`),
    env.DB.prepare(`insert into people (id, email, name, role) values (1, 'admin@example.gov.cn', '赵敏', 'admin'), (2, 'clerk@example.gov.cn', '王芳', 'clerk')`),
  ]);
  admin = await sessionCookie('admin@example.gov.cn');
});

describe('a JSON write from another site', () => {
  it('is refused with 403 in the error shape, and changes nothing (an administrator’s session)', async () => {
    for (const origin of [EVIL, 'null', 'https://nianbao.test.evil.example', 'http://nianbao.test']) {
      const res = await json('PUT', '/api/v1/admin/units/EVIL-1', { name: '伪造单位', parent: 'ZS-DH' }, { Cookie: admin, Origin: origin });
      expect(res.status, origin).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    expect(await count(`select count(*) as n from units where code = 'EVIL-1'`)).toBe(0);
  });

  it('cannot ask for sign-in links or sign anyone out', async () => {
    const link = await json('POST', '/auth/link', { email: 'clerk@example.gov.cn' }, { Origin: EVIL });
    expect(link.status).toBe(403);
    expect(await count(`select count(*) as n from outbox where to_address = 'clerk@example.gov.cn'`)).toBe(0);
    const cookie = await sessionCookie('clerk@example.gov.cn');
    expect((await json('POST', '/auth/logout', {}, { Cookie: cookie, Origin: EVIL })).status).toBe(403);
    expect((await call('/app', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('also with other content types and methods', async () => {
    for (const [method, type] of [['POST', 'text/xml'], ['DELETE', 'application/json'], ['PATCH', 'application/octet-stream']] as const) {
      const res = await call('/api/v1/admin/units/EVIL-2', { method, headers: { 'Content-Type': type, Cookie: admin, Origin: EVIL }, body: '{}' });
      expect(res.status, `${method} ${type}`).toBe(403);
    }
  });
});

describe('what keeps working', () => {
  it('a form post from our own page, which a browser sends as Origin: null under our no-referrer policy', async () => {
    const form = (site: string) =>
      call('/auth/link', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'null', 'Sec-Fetch-Site': site },
        body: 'email=clerk%40example.gov.cn',
      });
    expect((await form('same-origin')).status).toBe(202);
    // The same null Origin from another site's page (or a sandboxed frame) is refused.
    expect((await form('cross-site')).status).toBe(403);
  });

  it('the same write from our own pages', async () => {
    const res = await json('PUT', '/api/v1/admin/units/OWN-1', { name: '本站单位', parent: 'ZS-DH' }, { Cookie: admin, Origin: BASE });
    expect(res.status).toBe(201);
  });

  it('scripts without Origin: ADMIN_TOKEN, and asking for a link', async () => {
    expect((await json('PUT', '/api/v1/admin/units/SCRIPT-1', { name: '脚本单位', parent: 'ZS-DH' }, ADMIN_TOKEN)).status).toBe(201);
    expect((await json('POST', '/auth/link', { email: 'clerk@example.gov.cn' }, {})).status).toBe(202);
  });

  it('public GET APIs from any site, with CORS *', async () => {
    const res = await call('/api/v1/units', { headers: { Origin: EVIL } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });
});
