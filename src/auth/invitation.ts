// Invitations: the mail an administrator's new person gets, with a sign-in link of their own.
// It is an ordinary login token (stored hashed, single use, redeemed by /auth/verify, whose GET
// only shows a button, so mail scanners that prefetch links spend nothing), valid a week rather
// than 15 minutes: people read such mail days later. Sending a new invitation spends every link
// the person still holds, so only the newest works; a few per hour per person at most.
import { and, eq, gt, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditEvents, loginTokens, memberships, people } from '../db/schema';
import { enqueue } from '../mail/outbox';
import { invitationMail } from '../mail/messages';
import { randomToken, sha256Hex } from './crypto';
import { hit } from './rate-limit';
import { canManage, type Viewer } from './scope';

export const INVITATION_TTL_DAYS = 7;
const INVITATION_TTL_MS = INVITATION_TTL_DAYS * 24 * 3_600_000;
/** Invitations per person and hour: enough to resend after a typo, not enough to flood a mailbox. */
export const INVITATION_LIMIT = { perPerson: 3, windowMs: 3_600_000 };

export type InviteResult =
  | { ok: true }
  | { ok: false; reason: 'unknown' | 'inactive' | 'out_of_scope' }
  | { ok: false; reason: 'too_many'; retryAfter: number };

/** A new invitation's token, as its link carries it and as login_tokens stores it. */
export async function newInvitation() {
  const token = randomToken();
  return { token, tokenHash: await sha256Hex(token) };
}

/**
 * The statements of an invitation, for the caller's batch: the person's unused links are spent
 * (only the newest invitation works), the new one stored, its mail queued and the invitation
 * audited. `personId` may be SQL: the batch that creates the person invites them too.
 */
export function invitationStatements(
  db: Db,
  viewer: Viewer,
  person: { id: number | SQL; email: string; name: string },
  invitation: { token: string; tokenHash: string },
  verifyUrl: (token: string) => string,
  now: number,
) {
  const mail = invitationMail({ name: person.name, invitedBy: viewer.personId === null ? '政务公开办' : viewer.name, link: verifyUrl(invitation.token), days: INVITATION_TTL_DAYS });
  return [
    db
      .update(loginTokens)
      .set({ expiresAt: now })
      .where(and(eq(loginTokens.personId, person.id), isNull(loginTokens.usedAt), gt(loginTokens.expiresAt, now))),
    db.insert(loginTokens).values({ tokenHash: invitation.tokenHash, personId: person.id, createdAt: now, expiresAt: now + INVITATION_TTL_MS, ip: null }),
    enqueue(db, { dedupKey: `invitation:${invitation.tokenHash}`, kind: 'invitation', to: person.email, ...mail }, now),
    db.insert(auditEvents).values({ at: now, actorId: viewer.personId, actor: viewer.actor, action: 'person.invite', detail: { email: person.email } }),
  ] as const;
}

/** Counts an invitation to the address; refused beyond the hourly limit. */
export async function invitationAllowed(db: Db, email: string, now: number) {
  return hit(db, `invite:${email}`, INVITATION_LIMIT.perPerson, INVITATION_LIMIT.windowMs, now);
}

/**
 * Invites the person with this (lowercased) address again, in one batch (invitationStatements).
 * Refused for someone deactivated (they could not sign in), held outside the viewer's units, or
 * invited too often this hour.
 */
export async function invite(db: Db, viewer: Viewer, email: string, verifyUrl: (token: string) => string, now: number): Promise<InviteResult> {
  const [person] = await db.select().from(people).where(eq(people.email, email)).limit(1);
  if (!person) return { ok: false, reason: 'unknown' };
  const held = await db.select({ unitId: memberships.unitId }).from(memberships).where(eq(memberships.personId, person.id));
  const outside = held.length === 0 ? person.role === 'admin' && viewer.manageUnitIds !== null : held.some((m) => !canManage(viewer, m.unitId));
  if (outside) return { ok: false, reason: 'out_of_scope' };
  if (!person.active) return { ok: false, reason: 'inactive' };
  const allowed = await invitationAllowed(db, email, now);
  if (!allowed.allowed) return { ok: false, reason: 'too_many', retryAfter: allowed.retryAfter };
  await db.batch(invitationStatements(db, viewer, person, await newInvitation(), verifyUrl, now));
  return { ok: true };
}
