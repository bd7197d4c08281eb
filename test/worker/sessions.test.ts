// D1 read replication (src/http/d1-session.ts): every request goes through a D1 Session. The
// Worker is called here with its real bindings, the database binding observed (not replaced):
// each withSession() call is recorded and passed on to the real local D1.
import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import type { Env } from '../../src/db/env';
import { BASE, putUnit, TOKEN } from './publication-helpers';

/** The arguments of every withSession() call the Worker made, in order. */
const sessions: (string | undefined)[] = [];
const observedDb = new Proxy(env.DB, {
  get(target, key) {
    if (key === 'withSession') {
      return (constraintOrBookmark?: string) => {
        sessions.push(constraintOrBookmark);
        return target.withSession(constraintOrBookmark);
      };
    }
    const value = Reflect.get(target, key) as unknown;
    return typeof value === 'function' ? value.bind(target) : value;
  },
});

async function call(path: string, init: RequestInit = {}) {
  sessions.length = 0;
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}${path}`, init), { ...(env as unknown as Env), DB: observedDb } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const cookieValue = (res: Response, name: string) => new RegExp(`(?:^|, )${name}=([^;]*)`).exec(res.headers.get('Set-Cookie') ?? '')?.[1];

beforeAll(async () => {
  await putUnit('SS', '会话市');
});

describe('public reads', () => {
  for (const path of ['/api/v1/reports', '/api/v1/units', '/feeds/reports.json', '/reports', '/api/v1/reports.csv?year=2024']) {
    it(`${path} reads through an unconstrained session and hands out no bookmark`, async () => {
      const res = await call(path);
      expect(res.status).toBe(200);
      expect(sessions).toEqual(['first-unconstrained']);
      expect(res.headers.get('x-d1-bookmark')).toBeNull();
      expect(res.headers.get('Set-Cookie')).toBeNull();
    });
  }
});

describe('reading one’s own writes', () => {
  it('a write starts at the primary and answers with a bookmark; a read sent with it sees the write', async () => {
    const write = await call('/api/v1/admin/units/SS-1', {
      method: 'PUT',
      headers: { ...TOKEN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: '会话区', parent: 'SS' }),
    });
    expect(write.status).toBe(201);
    expect(sessions).toEqual(['first-primary']);
    const bookmark = write.headers.get('x-d1-bookmark');
    expect(bookmark).toBeTruthy();
    expect(cookieValue(write, 'nb_d1')).toBe(bookmark);

    // A script sends the header back; the session continues from the bookmark.
    const read = await call('/api/v1/units?within=SS', { headers: { 'x-d1-bookmark': bookmark! } });
    expect(sessions).toEqual([bookmark]);
    const { units } = (await read.json()) as { units: { code: string }[] };
    expect(units.map((u) => u.code)).toContain('SS-1');

    // A browser sends the cookie back.
    const again = await call('/api/v1/units?within=SS-1', { headers: { Cookie: `nb_d1=${bookmark}` } });
    expect(sessions).toEqual([bookmark]);
    expect(((await again.json()) as { units: { name: string }[] }).units.map((u) => u.name)).toEqual(['会话区']);
  });

  it('ignores a bookmark that cannot be one', async () => {
    const res = await call('/api/v1/units', { headers: { 'x-d1-bookmark': 'not a bookmark; \\x00' } });
    expect(res.status).toBe(200);
    expect(sessions).toEqual(['first-unconstrained']);
  });
});
