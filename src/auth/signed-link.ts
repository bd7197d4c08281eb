// Signed links (HMAC-SHA256): `base64url(JSON payload).base64url(signature)`. The expiry is
// inside the signed payload, so it cannot be extended; verification is Web Crypto's own
// HMAC verify, which compares in constant time. Used for approval links (workflow.md).
import { base64url, fromBase64url, hmacKey, utf8 } from './crypto';

interface SignedPayload {
  /** Expiry, ms since the epoch. */
  exp: number;
  [field: string]: unknown;
}

type LinkCheck<P> =
  | { ok: true; payload: P }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired'; payload?: P };

export async function signLink(secret: string, payload: SignedPayload): Promise<string> {
  const body = base64url(utf8(JSON.stringify(payload)));
  const key = await hmacKey(secret, 'sign');
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(body)));
  return `${body}.${base64url(signature)}`;
}

export async function verifyLink<P extends SignedPayload>(secret: string, token: string, now: number): Promise<LinkCheck<P>> {
  const [body, signature, extra] = token.split('.');
  const signatureBytes = signature === undefined ? undefined : fromBase64url(signature);
  if (!body || !signatureBytes || extra !== undefined) return { ok: false, reason: 'malformed' };
  const key = await hmacKey(secret, 'verify');
  if (!(await crypto.subtle.verify('HMAC', key, signatureBytes, utf8(body)))) return { ok: false, reason: 'signature' };
  let payload: P;
  try {
    payload = JSON.parse(new TextDecoder().decode(fromBase64url(body)));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload?.exp !== 'number') return { ok: false, reason: 'malformed' };
  if (payload.exp <= now) return { ok: false, reason: 'expired', payload };
  return { ok: true, payload };
}
