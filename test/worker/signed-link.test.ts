// The signed-link helper the approval links use: HMAC-SHA256 over the payload, expiry inside it.
import { describe, expect, it } from 'vitest';
import { signLink, verifyLink } from '../../src/auth/signed-link';

const SECRET = 'a-server-secret';
const NOW = Date.UTC(2026, 0, 20);
const payload = { report: 42, hash: 'ab'.repeat(32), person: 7, nonce: 'n1', exp: NOW + 14 * 86_400_000 };

describe('signed links', () => {
  it('verify what was signed, until it expires', async () => {
    const token = await signLink(SECRET, payload);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyLink(SECRET, token, NOW)).toEqual({ ok: true, payload });
    expect(await verifyLink(SECRET, token, payload.exp)).toEqual({ ok: false, reason: 'expired', payload });
  });

  it('refuse a changed payload, even one that only extends the expiry', async () => {
    const token = await signLink(SECRET, payload);
    const [, signature] = token.split('.');
    for (const changed of [{ ...payload, exp: payload.exp + 86_400_000 }, { ...payload, person: 8 }, { ...payload, hash: 'cd'.repeat(32) }]) {
      const body = btoa(JSON.stringify(changed)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      expect(await verifyLink(SECRET, `${body}.${signature}`, NOW)).toEqual({ ok: false, reason: 'signature' });
    }
  });

  it('refuse a link signed with another secret, a flipped signature and malformed tokens', async () => {
    const token = await signLink('another-secret', payload);
    expect(await verifyLink(SECRET, token, NOW)).toEqual({ ok: false, reason: 'signature' });
    const good = await signLink(SECRET, payload);
    const flipped = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    expect((await verifyLink(SECRET, flipped, NOW)).ok).toBe(false);
    for (const bad of ['', 'abc', 'a.b.c', `${good}.x`, 'x.!!!', good.replace('.', '')]) {
      expect(await verifyLink(SECRET, bad, NOW)).toMatchObject({ ok: false });
    }
  });

  it('refuse a validly signed payload without an expiry', async () => {
    const token = await signLink(SECRET, { exp: 'never' } as unknown as { exp: number });
    expect(await verifyLink(SECRET, token, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});
