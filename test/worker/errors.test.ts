// Every failure leaves the Worker in the one error shape (api.md), in the reader's language;
// people get an HTML page instead. Test-only routes are added to a fresh app.
import { env } from 'cloudflare:workers';
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import { ApiError, readJson } from '../../src/http/errors';

type ErrorBody = { error: { code: string; message: string; details: { field?: string; message: string }[] } };

const app = createApp();
app.get('/api/test/conflict', () => {
  throw new ApiError(409, 'stale_revision', '草稿已被他人更新。', 'The draft was changed by someone else.', [], {
    current: { revision: 7 },
  });
});
app.post('/api/test/schema', async (c) => {
  v.parse(v.object({ name: v.string(), cells: v.record(v.string(), v.nullable(v.number())) }), await readJson(c));
  return c.json({ ok: true });
});
app.post('/api/test/raw-json', async (c) => c.json(await c.req.json()));
app.get('/api/test/bug', () => {
  throw new TypeError('secret internals');
});
app.get('/test/page-bug', () => {
  throw new Error('boom');
});

const request = (path: string, init: RequestInit = {}) => app.request(path, init, env);
const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
  request(path, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the error shape', () => {
  it('renders an ApiError with its status, code, message and extra members', async () => {
    const res = await request('/api/test/conflict');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: { code: 'stale_revision', message: '草稿已被他人更新。', details: [] },
      current: { revision: 7 },
    });
  });

  it('uses the English message when asked with ?lang=en', async () => {
    const body = (await (await request('/api/test/conflict?lang=en')).json()) as ErrorBody;
    expect(body.error.message).toBe('The draft was changed by someone else.');
  });

  it('turns a valibot failure into 422 naming each field', async () => {
    const res = await postJson('/api/test/schema', JSON.stringify({ name: 1, cells: { 'a.b.c': 'x' } }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.details.map((d) => d.field)).toEqual(['name', 'cells.a.b.c']);
  });

  it('answers a malformed JSON body with 400 malformed_json (through readJson)', async () => {
    const res = await postJson('/api/test/schema', '{"name": ');
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('malformed_json');
  });

  it('answers a malformed JSON body with 400 even when a route calls c.req.json() itself', async () => {
    const res = await postJson('/api/test/raw-json', 'not json');
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('malformed_json');
  });

  it('hides unexpected errors behind a generic 500, and logs them', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await request('/api/test/bug');
    expect(res.status).toBe(500);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('internal');
    expect(JSON.stringify(body)).not.toContain('secret internals');
    expect(log).toHaveBeenCalledOnce();
  });

  it('shows people an HTML error page, not JSON', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await request('/test/page-bug');
    expect(res.status).toBe(500);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('服务器内部错误');
  });

  it('keeps the security headers on error responses', async () => {
    const res = await request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'self'");
  });
});
