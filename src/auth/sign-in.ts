// Sign-in by emailed link (api.md "Signing in"). The token is random, stored only as a hash,
// valid 15 minutes and single use. Requesting a link never says whether an address is known.
import { and, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditEvents, loginTokens, people, sessions } from '../db/schema';
import { enqueue } from '../mail/outbox';
import { signInMail } from '../mail/messages';
import { randomToken, sha256Hex } from './crypto';
import { hit } from './rate-limit';
import { newSession } from './sessions';

const LINK_TTL_MS = 15 * 60_000;

/**
 * Link requests per 15-minute window. Per client IP and per address+IP, excess is refused (429):
 * that client is told to wait, nobody else. Per address, across IPs the person has never signed
 * in from, mail beyond `perAddress` is silently not sent (the same 202): the mailbox is not
 * flooded, yet strangers cannot lock the person out — requests from an IP where a link for them
 * was requested and then used (their office, their home) are never held by that ceiling.
 */
// perIp is generous: a county's offices often reach the internet through one address, and on a
// deadline morning a hundred clerks behind it may ask for links within minutes.
export const LINK_LIMITS = { perIp: 200, perAddressAndIp: 5, perAddress: 10, windowMs: 15 * 60_000 };

export type LinkAllowance = { verdict: 'send' } | { verdict: 'drop' } | { verdict: 'refuse'; retryAfter: number };

/**
 * Whether a link request for `email` from `ip` sends mail, is silently dropped or refused. Counts
 * the same for known and unknown addresses: the answer must not tell them apart.
 */
export async function linkAllowance(db: Db, email: string, ip: string | null, now: number): Promise<LinkAllowance> {
  const { perIp, perAddressAndIp, perAddress, windowMs } = LINK_LIMITS;
  const [fromIp, fromIpForAddress, usualIp] = await Promise.all([
    ip ? hit(db, `link:ip:${ip}`, perIp, windowMs, now) : undefined,
    hit(db, `link:address-ip:${email}|${ip ?? ''}`, perAddressAndIp, windowMs, now),
    ip ? signedInFrom(db, email, ip) : false,
  ]);
  const refused = [fromIp, fromIpForAddress].find((limit) => limit && !limit.allowed);
  if (refused) return { verdict: 'refuse', retryAfter: refused.retryAfter };
  if (usualIp) return { verdict: 'send' };
  const anywhere = await hit(db, `link:address:${email}`, perAddress, windowMs, now);
  return anywhere.allowed ? { verdict: 'send' } : { verdict: 'drop' };
}

/** Whether a sign-in link for this address was requested from this IP and then used. */
async function signedInFrom(db: Db, email: string, ip: string): Promise<boolean> {
  const [row] = await db
    .select({ used: loginTokens.usedAt })
    .from(loginTokens)
    .innerJoin(people, eq(people.id, loginTokens.personId))
    .where(and(eq(people.email, email), eq(loginTokens.ip, ip), isNotNull(loginTokens.usedAt)))
    .limit(1);
  return row !== undefined;
}

/**
 * Creates a sign-in token and queues its mail in one batch — for a known, active person only.
 * Returns whether mail was queued (never shown to the requester).
 */
export async function requestSignInLink(db: Db, email: string, verifyUrl: (token: string) => string, ip: string | null, now: number) {
  const [person] = await db.select().from(people).where(and(eq(people.email, email), eq(people.active, true))).limit(1);
  if (!person) return { queued: false as const };
  const token = randomToken();
  const tokenHash = await sha256Hex(token);
  const mail = signInMail(person.name, verifyUrl(token), LINK_TTL_MS / 60_000);
  await db.batch([
    db.insert(loginTokens).values({ tokenHash, personId: person.id, createdAt: now, expiresAt: now + LINK_TTL_MS, ip }),
    enqueue(db, { dedupKey: `sign-in:${tokenHash}`, kind: 'sign-in', to: person.email, ...mail }, now),
  ]);
  return { queued: true as const };
}

type TokenState =
  | { state: 'valid'; email: string; name: string }
  | { state: 'used' | 'expired' | 'unknown' };

/** What a token is now, without changing anything (GET and HEAD must be safe for mail scanners). */
export async function inspectToken(db: Db, token: string, now: number): Promise<TokenState> {
  if (!token || token.length > 100) return { state: 'unknown' };
  const [row] = await db
    .select({ usedAt: loginTokens.usedAt, expiresAt: loginTokens.expiresAt, email: people.email, name: people.name })
    .from(loginTokens)
    .innerJoin(people, eq(people.id, loginTokens.personId))
    .where(eq(loginTokens.tokenHash, await sha256Hex(token)))
    .limit(1);
  if (!row) return { state: 'unknown' };
  if (row.usedAt !== null) return { state: 'used' };
  if (row.expiresAt <= now) return { state: 'expired' };
  return { state: 'valid', email: row.email, name: row.name };
}

/**
 * Spends the token and opens a session, atomically: one batch whose first statement claims the
 * unused, unexpired token; the session and the audit row are inserted only if that claim took.
 */
export async function redeemToken(db: Db, token: string, ip: string | null, now: number) {
  if (!token || token.length > 100) return { ok: false as const, state: 'unknown' as const };
  const tokenHash = await sha256Hex(token);
  const [row] = await db
    .select({ personId: loginTokens.personId, email: people.email, active: people.active })
    .from(loginTokens)
    .innerJoin(people, eq(people.id, loginTokens.personId))
    .where(eq(loginTokens.tokenHash, tokenHash))
    .limit(1);
  if (!row || !row.active) return { ok: false as const, state: 'unknown' as const };
  const session = await newSession(now);
  // One batch = one transaction: claim the unused, unexpired token; the session and the audit
  // row follow only if that claim changed a row (changes() counts the previous statement's rows),
  // so two presses at the same instant open one session.
  const claimedJustNow = and(eq(loginTokens.tokenHash, tokenHash), eq(loginTokens.usedAt, now), sql`changes() = 1`);
  const [claim] = await db.batch([
    db
      .update(loginTokens)
      .set({ usedAt: now })
      .where(and(eq(loginTokens.tokenHash, tokenHash), isNull(loginTokens.usedAt), gt(loginTokens.expiresAt, now))),
    db.run(sql`
      INSERT INTO ${sessions} (id_hash, person_id, created_at, expires_at, last_seen_at)
      SELECT ${session.idHash}, ${loginTokens.personId}, ${now}, ${session.expiresAt}, ${now} FROM ${loginTokens} WHERE ${claimedJustNow}`),
    db.run(sql`
      INSERT INTO ${auditEvents} (at, actor_id, actor, action, detail)
      SELECT ${now}, ${loginTokens.personId}, ${row.email}, 'auth.sign_in', ${JSON.stringify({ ip })} FROM ${loginTokens} WHERE ${claimedJustNow}`),
  ]);
  if (claim.meta.changes !== 1) {
    const state = await inspectToken(db, token, now);
    return { ok: false as const, state: state.state === 'valid' ? ('used' as const) : state.state };
  }
  return { ok: true as const, sessionId: session.id };
}
