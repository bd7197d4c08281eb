// A production deployment without BASE_URL: approval mail is refused (503, saying what is
// missing) before anything is written — never links built on a forged Host header — and the
// clerk's report stays a saved draft. Sign-in mail: test/worker/sign-in-security.test.ts.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import { COMPLETE_SECTIONS, openCycle, reportRow, setUpTree, zeros, type Sessions } from './review-helpers';

let s: Sessions;
const app = createApp();

async function inProduction(settings: { BASE_URL?: string }, url: string, init: RequestInit) {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(url, init), { ...env, ENVIRONMENT: 'production', MAIL_TRANSPORT: 'capture', BASE_URL: undefined, ...settings }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;

beforeAll(async () => {
  s = await setUpTree();
  await openCycle(2051);
});

describe('approval mail needs BASE_URL in production', () => {
  it('refuses to submit with 503 naming BASE_URL, and changes nothing', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const path = '/api/v1/drafts/JT/2051';
      const headers = { Cookie: s.clerk, 'Content-Type': 'application/json', Host: 'evil.example' };
      const saved = await inProduction({}, `https://evil.example${path}`, { method: 'PUT', headers, body: JSON.stringify({ revision: 0, cells: zeros(), sections: COMPLETE_SECTIONS }) });
      expect(saved.status).toBe(200);
      const { revision } = (await saved.json()) as { revision: number };
      const res = await inProduction({}, `https://evil.example${path}/submit`, { method: 'POST', headers, body: JSON.stringify({ revision }) });
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('not_configured');
      expect(body.error.message).toContain('BASE_URL');
      expect(await reportRow('JT', 2051)).toMatchObject({ status: 'draft', revision });
      expect(await count('select count(*) as n from review_links')).toBe(0);
      expect(await count(`select count(*) as n from outbox where kind = 'review-request'`)).toBe(0);
    } finally {
      logged.mockRestore();
    }
  });

  it('with BASE_URL, the approval links are on it, whatever the Host header says', async () => {
    const path = '/api/v1/drafts/BQ/2051';
    const headers = { Cookie: s.clerk, 'Content-Type': 'application/json', Host: 'evil.example' };
    const settings = { BASE_URL: 'https://nianbao.example.gov.cn' };
    const saved = await inProduction(settings, `https://evil.example${path}`, { method: 'PUT', headers, body: JSON.stringify({ revision: 0, cells: zeros(), sections: COMPLETE_SECTIONS }) });
    const { revision } = (await saved.json()) as { revision: number };
    const res = await inProduction(settings, `https://evil.example${path}/submit`, { method: 'POST', headers, body: JSON.stringify({ revision }) });
    expect(res.status).toBe(200);
    const { results } = await env.DB.prepare(`select text_body from outbox where kind = 'review-request'`).all<{ text_body: string }>();
    expect(results.length).toBeGreaterThan(0);
    for (const mail of results) {
      expect(mail.text_body).toContain('https://nianbao.example.gov.cn/review/');
      expect(mail.text_body).not.toContain('evil.example');
    }
  });
});

