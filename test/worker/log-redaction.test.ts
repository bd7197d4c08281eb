// Tokens never reach the log: when a request with an approval or sign-in token in its URL hits a
// bug (here: the database failing), the "Unhandled error" line names the route, not the token.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import { signLink } from '../../src/auth/signed-link';
import { redactTokens } from '../../src/http/errors';

const BASE = 'https://nianbao.test';
const SIGN_IN_TOKEN = 'Zq3xS9fJ2kLmN8pQrT5vW7yB1cD4eF6gH0iJ2kLmN8p';

/** A D1 that fails every statement, as an outage would, with the statement in its message (its sessions too). */
const failingDb: D1Database = new Proxy({} as D1Database, {
  get: (_, property) =>
    property === 'withSession'
      ? () => failingDb
      : property === 'getBookmark'
        ? () => null
        : (query: string) => {
            throw new Error(`D1_ERROR: database unavailable while running ${query}`);
          },
});

async function send(app: ReturnType<typeof createApp>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BASE}${path}`, init), { ...env, DB: failingDb }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Everything written to console.error while `run` runs, as text. */
async function errorLog(run: () => Promise<unknown>): Promise<string> {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    await run();
    return spy.mock.calls.map((args) => args.map(String).join(' ')).join('\n');
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('the log of an unhandled error', () => {
  it('redacts the approval link’s token in /review/{token}', async () => {
    const token = await signLink('test-link-secret', { report: 1, hash: 'ab'.repeat(32), person: 1, nonce: 'n0nce-n0nce-n0nce', exp: Date.now() + 60_000 });
    let status = 0;
    const log = await errorLog(async () => (status = (await send(createApp(), `/review/${token}`)).status));
    expect(status).toBe(500);
    expect(log).toContain('Unhandled error GET /review/[redacted]');
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.split('.')[1]!); // nor its signature
  });

  it('redacts a sign-in token in a query or in an error’s message', async () => {
    const app = createApp();
    // A handler whose error message carries its URL, as some library errors do.
    app.get('/auth/verify-failing', (c) => {
      throw new Error(`could not load ${c.req.url}`);
    });
    const log = await errorLog(() => send(app, `/auth/verify-failing?token=${SIGN_IN_TOKEN}&next=%2Fapp`));
    expect(log).toContain('Unhandled error GET /auth/verify-failing');
    expect(log).toContain('token=[redacted]&next=%2Fapp');
    expect(log).not.toContain(SIGN_IN_TOKEN);
  });

  it('redactTokens leaves the signed-in review pages and other text as they are', () => {
    expect(redactTokens('GET /app/review/JT-330903-101/2025')).toBe('GET /app/review/JT-330903-101/2025');
    expect(redactTokens('POST /review/eyJhIjoxfQ.c2lnbmF0dXJl?x=1')).toBe('POST /review/[redacted]?x=1');
    expect(redactTokens('https://nianbao.test/auth/verify?next=%2Fapp&token=abc_DEF-123')).toBe('https://nianbao.test/auth/verify?next=%2Fapp&token=[redacted]');
    expect(redactTokens('id_token=y tokens=z /reviews/x')).toBe('id_token=y tokens=z /reviews/x');
  });
});
