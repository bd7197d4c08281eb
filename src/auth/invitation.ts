// Invitations: the mail an administrator's new person gets, with a sign-in link of their own.
// It is an ordinary login token (stored hashed, single use, redeemed by /auth/verify, whose GET
// only shows a button, so mail scanners that prefetch links spend nothing), valid a week rather
// than 15 minutes: people read such mail days later. Sending a new invitation spends every link
// the person still holds, so only the newest works; a few per hour per person at most.
import { and, eq, gt, isNull } from 'drizzle-orm';
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

/**
 * Queues an invitation to the person with this (lowercased) address: spends their unused links,
 * stores the new one's hash, queues the mail and audits it, in one batch. Refused for someone
 * deactivated (they could not sign in) or held outside the viewer's units.
 */
export async function invite(db: Db, viewer: Viewer, email: string, verifyUrl: (token: string) => string, now: number): Promise<InviteResult> {
  const [person] = await db.select().from(people).where(eq(people.email, email)).limit(1);
  if (!person) return { ok: false, reason: 'unknown' };
  const held = await db.select({ unitId: memberships.unitId }).from(memberships).where(eq(memberships.personId, person.id));
  const outside = held.length === 0 ? person.role === 'admin' && viewer.manageUnitIds !== null : held.some((m) => !canManage(viewer, m.unitId));
  if (outside) return { ok: false, reason: 'out_of_scope' };
  if (!person.active) return { ok: false, reason: 'inactive' };
  const allowed = await hit(db, `invite:${person.id}`, INVITATION_LIMIT.perPerson, INVITATION_LIMIT.windowMs, now);
  if (!allowed.allowed) return { ok: false, reason: 'too_many', retryAfter: allowed.retryAfter };

  const token = randomToken();
  const tokenHash = await sha256Hex(token);
  const mail = invitationMail({ name: person.name, invitedBy: viewer.personId === null ? '政务公开办' : viewer.name, link: verifyUrl(token), days: INVITATION_TTL_DAYS });
  await db.batch([
    // The older links stop working before the new one exists.
    db
      .update(loginTokens)
      .set({ expiresAt: now })
      .where(and(eq(loginTokens.personId, person.id), isNull(loginTokens.usedAt), gt(loginTokens.expiresAt, now))),
    db.insert(loginTokens).values({ tokenHash, personId: person.id, createdAt: now, expiresAt: now + INVITATION_TTL_MS, ip: null }),
    enqueue(db, { dedupKey: `invitation:${tokenHash}`, kind: 'invitation', to: person.email, ...mail }, now),
    db.insert(auditEvents).values({ at: now, actorId: viewer.personId, actor: viewer.actor, action: 'person.invite', detail: { email: person.email } }),
  ]);
  return { ok: true };
}
