// A deployment without LINK_SECRET: submitting is refused with a page or error that says what is
// wrong — never a 500, never unsigned links — and the clerk's report stays a saved draft.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { BASE, openCycle, reportRow, setUpTree, zeros, type Sessions } from './review-helpers';

let s: Sessions;
const app = createApp();

async function withoutSecret(path: string, init: RequestInit) {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BASE}${path}`, init), { ...env, LINK_SECRET: undefined }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

beforeAll(async () => {
  s = await setUpTree();
  await openCycle(2050);
});

describe('without LINK_SECRET', () => {
  it('refuses to submit with 503 and a clear message, and changes nothing', async () => {
    const path = '/api/v1/drafts/JT/2050';
    const headers = { Cookie: s.clerk, 'Content-Type': 'application/json' };
    const saved = await withoutSecret(path, { method: 'PUT', headers, body: JSON.stringify({ revision: 0, cells: zeros() }) });
    expect(saved.status).toBe(200);
    const { revision } = (await saved.json()) as { revision: number };
    const res = await withoutSecret(`${path}/submit`, { method: 'POST', headers, body: JSON.stringify({ revision }) });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_configured');
    expect(body.error.message).toContain('LINK_SECRET');
    expect(await reportRow('JT', 2050)).toMatchObject({ status: 'draft', revision });
    expect((await env.DB.prepare('select count(*) as n from review_links').first<{ n: number }>())!.n).toBe(0);
  });
});
