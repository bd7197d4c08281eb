// Server-side sessions behind an HttpOnly cookie: the cookie holds a random id, D1 holds only
// its hash, so logout and expiry really end a session (and a database leak reveals none).
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { memberships, people, sessions, units } from '../db/schema';
import { randomToken, sha256Hex } from './crypto';
import { descendantsOf } from './directory';
import type { Role, Viewer } from './scope';

export const SESSION_COOKIE = 'nb_session';
export const SESSION_TTL_MS = 14 * 24 * 3_600_000;

/** A new session's id (for the cookie), its hash (for the row) and expiry; the caller writes the row. */
export async function newSession(now: number) {
  const id = randomToken();
  return { id, idHash: await sha256Hex(id), expiresAt: now + SESSION_TTL_MS };
}

export async function revokeSession(db: Db, idHash: string, now: number): Promise<void> {
  await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt)));
}

/** The viewer behind a session cookie's id, or undefined (no, expired or revoked session). */
export async function viewerFromSessionId(db: Db, id: string | undefined, now: number): Promise<Viewer | undefined> {
  if (!id || id.length > 100) return undefined;
  const idHash = await sha256Hex(id);
  const [row] = await db
    .select({ personId: people.id, email: people.email, name: people.name, role: people.role })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), eq(people.active, true)))
    .limit(1);
  if (!row) return undefined;
  return { ...(await loadScope(db, row.personId, row.role)), actor: row.email, email: row.email, name: row.name, sessionIdHash: idHash };
}

/**
 * The administered units and everything below them; null when that is every unit there is (the
 * administrator of the root manages the whole jurisdiction, its cycles included).
 */
async function managedUnits(db: Db, adminUnitIds: number[]): Promise<number[] | null> {
  const [below, [all]] = await Promise.all([descendantsOf(db, adminUnitIds), db.select({ n: count() }).from(units)]);
  const managed = [...new Set([...adminUnitIds, ...below])];
  return managed.length >= (all?.n ?? 0) ? null : managed;
}

/** A person's units: the ones they fill in, the ones they supervise, and everything below those. */
async function loadScope(db: Db, personId: number, role: Role) {
  const rows = await db
    .select({ unitId: memberships.unitId, role: memberships.role })
    .from(memberships)
    .innerJoin(units, eq(units.id, memberships.unitId))
    .where(eq(memberships.personId, personId));
  const clerkUnitIds = rows.filter((r) => r.role === 'clerk').map((r) => r.unitId);
  const supervisorUnitIds = rows.filter((r) => r.role === 'supervisor').map((r) => r.unitId);
  const reviewUnitIds = await descendantsOf(db, supervisorUnitIds);
  const isAdmin = role === 'admin';
  const adminUnitIds = isAdmin ? rows.filter((r) => r.role === 'admin').map((r) => r.unitId) : [];
  // An administrator given no units administers the whole jurisdiction (null), as before scopes.
  const manageUnitIds = !isAdmin ? [] : adminUnitIds.length === 0 ? null : await managedUnits(db, adminUnitIds);
  return {
    personId,
    role,
    actor: '',
    isAdmin,
    clerkUnitIds,
    supervisorUnitIds,
    reviewUnitIds,
    adminUnitIds,
    manageUnitIds,
  };
}
