// The shell through the real Worker (workerd + local D1): health, home page, headers, errors.
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const BASE = 'https://nianbao.test';
const get = (path: string, headers: HeadersInit = {}) =>
  exports.default.fetch(new Request(`${BASE}${path}`, { headers }));

type ErrorBody = { error: { code: string; message: string; details: unknown[] } };

describe('the Worker shell', () => {
  it('answers GET /healthz', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('serves a Chinese home page under a strict CSP', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('政府信息公开');
    expect(html).toContain('href="/api/v1/templates"');
    expect(html).toContain('href="/reports/JT-330903-101/2018"');

    const csp = res.headers.get('Content-Security-Policy') ?? '';
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toContain("'self'");
    expect(directives.get('script-src')?.some((v) => v.startsWith("'nonce-"))).toBe(true);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'self'"]);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('gives the home page an ETag and answers 304 when it matches', async () => {
    const first = await get('/');
    const etag = first.headers.get('ETag');
    expect(etag).toBeTruthy();
    const again = await get('/', { 'If-None-Match': etag! });
    expect(again.status).toBe(304);
  });

  it('serves files from static/ under /static/', async () => {
    const res = await get('/static/app.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/css/);
    expect(await res.text()).toContain('font-family');
    expect((await get('/app.css')).status).toBe(404);
    expect((await get('/static/missing.css')).status).toBe(404);
  });
});

describe('errors', () => {
  it('answers an unknown API path with 404 in the error shape, in Chinese by default', async () => {
    const res = await get('/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    const body = (await res.json()) as ErrorBody;
    expect(body).toEqual({
      error: { code: 'not_found', message: expect.stringMatching(/[\u4e00-\u9fff]/), details: [] },
    });
  });

  it('speaks English when Accept-Language prefers it', async () => {
    const res = await get('/api/v1/no-such-thing', { 'Accept-Language': 'en-US,en;q=0.9,zh;q=0.5' });
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toBe('Not found.');
  });

  it('keeps Chinese when Chinese is preferred over English', async () => {
    const res = await get('/api/v1/no-such-thing', { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    const body = (await res.json()) as ErrorBody;
    expect(body.error.message).toBe('找不到该资源。');
  });

  it('answers an unknown page with a Chinese HTML page', async () => {
    const res = await get('/no-such-page');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('找不到该资源');
  });
});

describe('the database', () => {
  it('has the tables of the migrations', async () => {
    const { results } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    ).all<{ name: string }>();
    const tables = results.map((r) => r.name);
    for (const table of [
      'units',
      'people',
      'memberships',
      'cycles',
      'reports',
      'report_revisions',
      'report_versions',
      'published_cells',
      'audit_events',
      'outbox',
      'login_tokens',
      'sessions',
      'review_links',
      'rate_limits',
    ]) {
      expect(tables).toContain(table);
    }
  });
});
