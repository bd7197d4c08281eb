// Who is who and where: the units tree, the people and their memberships, as the administration
// API writes them (api.md PUT /api/v1/admin/units/{code}, /people/{email}) and as sessions, the
// home page and the progress views read them. The only module that writes units, people and memberships;
// a change that takes power away also ends, in its batch, the sessions and links issued under it.
//
// Each write is one batch with its audit event, so the trail never misses or invents a change.
// Updating is guarded by the row's updated_at as it was read (every write here moves it on), and
// the batch ends with the UPDATE that changes it: two PUTs at once cannot both record the same
// "before". Creating is guarded by the unique code or address. The batch that loses either race
// wrote nothing at all and runs once more on what is there now.
import { and, asc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { expectedRollups, moveRollups } from '../db/rollups';
import { auditEvents, cycles, loginTokens, memberships, people, reports, reviewLinks, sessions, units, type MembershipRole, type PersonRole } from '../db/schema';
import { retryIfCreatedMeanwhile } from '../db/unique';
import { canManage, type Viewer } from './scope';

/** The units `start` selects and every unit below them (recursive CTE over parent_id). */
async function unitsDownFrom(db: Db, start: SQL): Promise<number[]> {
  const rows = await db.all<{ id: number }>(sql`
    with recursive below(id) as (
      select id from ${units} where ${start}
      union
      select u.id from ${units} u join below b on u.parent_id = b.id
    )
    select id from below`);
  return rows.map((r) => r.id);
}

/** Every unit strictly below the given ones: their children and everything below those. */
export async function descendantsOf(db: Db, unitIds: number[]): Promise<number[]> {
  if (unitIds.length === 0) return [];
  return unitsDownFrom(db, inArray(units.parentId, unitIds));
}

/** The unit with this code and every unit below it; undefined when no unit has the code. */
export async function unitSubtree(db: Db, code: string): Promise<number[] | undefined> {
  const ids = await unitsDownFrom(db, eq(units.code, code));
  return ids.length === 0 ? undefined : ids;
}

/** These units, sorted by code (the ids travel as one JSON parameter: D1 binds at most 100). */
export async function unitsByIds(db: Db, ids: number[]): Promise<{ id: number; code: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: units.id, code: units.code, name: units.name })
    .from(units)
    .where(inArray(units.id, sql`(select value from json_each(${JSON.stringify(ids)}))`))
    .orderBy(asc(units.code));
}

/** The batch of a write that lost a race: nothing of it happened, so it can run again. */
const CHANGED_MEANWHILE = Symbol('changed meanwhile');

/** Runs a put again while it lost a race (at most three times in all: a race, not a loop). */
async function retryIfChangedMeanwhile<T>(put: () => Promise<T | typeof CHANGED_MEANWHILE>): Promise<T> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await retryIfCreatedMeanwhile(put);
    if (result !== CHANGED_MEANWHILE) return result;
  }
  throw new Error('the row kept changing while it was being written');
}

/** The next updated_at: now, and never the value a guard read (two writes within one ms). */
const nextUpdatedAt = (read: number, now: number) => Math.max(now, read + 1);

// ——— Units ———

/** A unit as the API shows it, and as audit events record it before and after a change. */
interface UnitView {
  code: string;
  name: string;
  parent: string | null;
  active: boolean;
}

interface UnitChange {
  code: string;
  name: string;
  /** A parent's code; null makes the unit a root; absent keeps the current parent (none for a new unit). */
  parent?: string | null;
  /** Absent keeps the current state (active for a new unit). */
  active?: boolean;
}

type PutUnitResult =
  | { ok: true; created: boolean; unit: UnitView }
  /** The parent would be the unit itself, does not exist, or is below the unit (a cycle). */
  | { ok: false; reason: 'parent_is_self' | 'unknown_parent' | 'parent_below'; parent: string }
  /** The unit, or the parent it would go under (null: a root), is not the viewer's to manage. */
  | { ok: false; reason: 'out_of_scope'; field: 'code' | 'parent'; code: string | null }
  /** createOnly, and a unit with the code exists (it is left as it is). */
  | { ok: false; reason: 'exists'; code: string };

const parentUnits = alias(units, 'parent_units');

async function unitByCode(db: Db, code: string) {
  const [row] = await db
    .select({ id: units.id, code: units.code, name: units.name, parent: parentUnits.code, active: units.active, updatedAt: units.updatedAt })
    .from(units)
    .leftJoin(parentUnits, eq(parentUnits.id, units.parentId))
    .where(eq(units.code, code))
    .limit(1);
  return row;
}

const unitView = ({ code, name, parent, active }: UnitView): UnitView => ({ code, name, parent, active });
const sameUnit = (a: UnitView, b: UnitView) => a.name === b.name && a.parent === b.parent && a.active === b.active;

/**
 * More statements for the batch that creates a unit (e.g. its draft in the open cycle), given
 * SQL for the new unit's id: they succeed or fail with the unit.
 */
export type AlongWithNewUnit = (unitId: SQL) => BatchItem<'sqlite'>[];

/**
 * Creates or updates the unit; `created` tells which. An identical PUT writes nothing. With
 * `createOnly`, an existing unit is not touched: the answer is 'exists' (a form that creates).
 */
export function putUnit(
  db: Db,
  viewer: Viewer,
  change: UnitChange,
  now: number,
  options: { createOnly?: boolean; alongWithNew?: AlongWithNewUnit } = {},
): Promise<PutUnitResult> {
  return retryIfChangedMeanwhile(async () => {
    const existing = await unitByCode(db, change.code);
    if (existing && options.createOnly) return { ok: false, reason: 'exists', code: change.code };
    if (existing && !canManage(viewer, existing.id)) return { ok: false, reason: 'out_of_scope', field: 'code', code: change.code };
    const parentCode = change.parent === undefined ? (existing?.parent ?? null) : change.parent;
    let parent: { id: number; code: string } | null = null;
    if (parentCode !== null) {
      if (parentCode === change.code) return { ok: false, reason: 'parent_is_self', parent: parentCode };
      const found = await unitByCode(db, parentCode);
      if (!found) return { ok: false, reason: 'unknown_parent', parent: parentCode };
      if (existing && (await descendantsOf(db, [existing.id])).includes(found.id)) return { ok: false, reason: 'parent_below', parent: parentCode };
      parent = { id: found.id, code: found.code };
    }
    // A unit goes only under a unit the viewer manages; a root only from a whole-jurisdiction
    // administrator. (A unit kept where it is passes: its parent was checked when it was put there.)
    const placed = !existing || change.parent !== undefined;
    if (placed && (parent ? !canManage(viewer, parent.id) : viewer.manageUnitIds !== null) && !(existing && existing.parent === (parent?.code ?? null))) {
      return { ok: false, reason: 'out_of_scope', field: 'parent', code: parent?.code ?? null };
    }
    const after: UnitView = { code: change.code, name: change.name, parent: parent?.code ?? null, active: change.active ?? existing?.active ?? true };
    if (existing && sameUnit(existing, after)) return { ok: true, created: false, unit: after };

    const fields = { name: after.name, parentId: parent?.id ?? null, active: after.active };
    if (!existing) {
      const newUnitId = sql`(select ${units.id} from ${units} where ${units.code} = ${change.code})`;
      await db.batch([
        db.insert(units).values({ code: change.code, ...fields, createdAt: now, updatedAt: now }),
        ...(options.alongWithNew?.(newUnitId) ?? []),
        // The new unit's id exists only once the insert before this statement has run.
        db.insert(auditEvents).values({
          at: now,
          actorId: viewer.personId,
          actor: viewer.actor,
          action: 'unit.create',
          unitId: newUnitId,
          detail: { code: change.code, before: null, after },
        }),
      ]);
      return { ok: true, created: true, unit: after };
    }
    const unchanged = and(eq(units.id, existing.id), eq(units.updatedAt, existing.updatedAt))!;
    const detail = JSON.stringify({ code: change.code, before: unitView(existing), after });
    // Its reports' approval links name the old parent's supervisors: moved away, they die for
    // good (moving the unit back must not revive them).
    const moved = existing.parent !== after.parent;
    const stillUnchanged = sql`EXISTS (SELECT 1 FROM ${units} WHERE ${unchanged})`;
    const results = await db.batch([
      db.run(sql`
        INSERT INTO ${auditEvents} (at, actor_id, actor, action, unit_id, detail)
        SELECT ${now}, ${viewer.personId}, ${viewer.actor}, 'unit.update', ${units.id}, ${detail} FROM ${units} WHERE ${unchanged}`),
      ...(moved
        ? [
            db
              .update(reviewLinks)
              .set({ invalidatedAt: now })
              .where(
                and(
                  inArray(reviewLinks.reportId, db.select({ id: reports.id }).from(reports).where(eq(reports.unitId, existing.id))),
                  isNull(reviewLinks.usedAt),
                  isNull(reviewLinks.invalidatedAt),
                  stillUnchanged,
                ),
              ),
          ]
        : []),
      // A deactivated unit no longer reports: its unsent reports of open cycles are released
      // (no reminders, not counted late), and taken back when it is reactivated. Nothing is deleted.
      ...(existing.active !== after.active
        ? [
            // Read before the UPDATE below: the reports it is about to release or take back.
            expectedRollups(
              db,
              sql`SELECT r.unit_id, r.year, r.template, ${after.active ? 1 : -1} FROM ${reports} r
                  WHERE r.unit_id = ${existing.id} AND r.expected = ${after.active ? 0 : 1} AND r.status IN ('draft', 'returned')
                    AND r.year IN (SELECT ${cycles.year} FROM ${cycles} WHERE ${cycles.status} = 'open') AND ${stillUnchanged}`,
            ),
            db
              .update(reports)
              .set({ expected: after.active, updatedAt: now })
              .where(
                and(
                  eq(reports.unitId, existing.id),
                  inArray(reports.status, ['draft', 'returned']),
                  sql`${reports.year} IN (SELECT ${cycles.year} FROM ${cycles} WHERE ${cycles.status} = 'open')`,
                  stillUnchanged,
                ),
              ),
          ]
        : []),
      // The statistics of the ancestors it left and joined (before the UPDATE: it reads the old tree).
      ...(moved ? moveRollups(db, sql`SELECT ${existing.id}, ${parent?.id ?? null}`, stillUnchanged) : []),
      // Last: it changes what the guard reads.
      db
        .update(units)
        .set({ ...fields, updatedAt: nextUpdatedAt(existing.updatedAt, now) })
        .where(unchanged),
    ]);
    return results[results.length - 1]!.meta.changes === 1 ? { ok: true, created: false, unit: after } : CHANGED_MEANWHILE;
  });
}

// ——— People ———

/** A person as the API shows it, and as audit events record it before and after a change. */
interface PersonView {
  email: string;
  name: string;
  role: PersonRole;
  /** The codes of their units, sorted. */
  units: string[];
  active: boolean;
}

interface PersonChange {
  /** Lowercased already (the schema demands it), so sign-in by address is an exact match. */
  email: string;
  name: string;
  role: PersonRole;
  /** Codes: all of the person's units (replaced, not merged); an administrator's are the units they administer (none: every unit). */
  units: string[];
  /** false: the person can no longer sign in. Absent keeps the state (active for a new person). */
  active?: boolean;
}

type PutPersonResult =
  | { ok: true; created: boolean; person: PersonView }
  /** Codes no unit has, with their place in the request's list. */
  | { ok: false; unknownUnits: { code: string; index: number }[] }
  /**
   * Not the viewer's to manage: a unit they would give the person (with its place in the list),
   * or the person as they are (a membership outside the viewer's units, or an administrator of
   * everything), or an administrator of everything they would create.
   */
  | { ok: false; outOfScope: { field: string; code: string | null } };

/**
 * Clerks fill in their units' reports, supervisors review below theirs, administrators manage
 * theirs and everything below (none: the whole jurisdiction). A person's memberships all carry
 * their role.
 */
const membershipRole = (role: PersonRole): MembershipRole => role;

async function personByEmail(db: Db, email: string) {
  const [person] = await db.select().from(people).where(eq(people.email, email)).limit(1);
  if (!person) return undefined;
  const rows = await db
    .select({ unitId: memberships.unitId, code: units.code, role: memberships.role })
    .from(memberships)
    .innerJoin(units, eq(units.id, memberships.unitId))
    .where(eq(memberships.personId, person.id))
    .orderBy(asc(units.code));
  return { ...person, memberships: rows };
}

/** The units by id, in the given order without repeats; or the codes no unit has. */
async function unitsByCode(db: Db, codes: string[]) {
  const unique = [...new Set(codes)];
  const found = unique.length === 0 ? [] : await db.select({ id: units.id, code: units.code }).from(units).where(inArray(units.code, unique));
  const idByCode = new Map(found.map((u) => [u.code, u.id]));
  const unknown = codes.flatMap((code, index) => (idByCode.has(code) ? [] : [{ code, index }]));
  return { units: unique.flatMap((code) => (idByCode.has(code) ? [{ id: idByCode.get(code)!, code }] : [])), unknown };
}

const sortedCodes = (list: { code: string }[]) => list.map((u) => u.code).sort();

/**
 * Ends the person's sessions, spends their unused sign-in links and invalidates their open
 * approval links (statements for a putPerson batch, guarded by `where`): after a role change, a
 * lost membership or a change of active state, nothing issued before it works again.
 */
function revokeEverythingOf(db: Db, personId: number, where: SQL, now: number) {
  return [
    db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.personId, personId), isNull(sessions.revokedAt), where)),
    db
      .update(loginTokens)
      .set({ expiresAt: now })
      .where(and(eq(loginTokens.personId, personId), isNull(loginTokens.usedAt), gt(loginTokens.expiresAt, now), where)),
    db
      .update(reviewLinks)
      .set({ invalidatedAt: now })
      .where(and(eq(reviewLinks.personId, personId), isNull(reviewLinks.usedAt), isNull(reviewLinks.invalidatedAt), where)),
  ];
}

/**
 * Creates or updates the person and replaces their memberships; an identical PUT writes nothing.
 * `alongWithNew` adds statements to the batch that creates a person (e.g. their invitation).
 * A change that takes anything away (role, active state, a unit) revokes what they hold in the
 * same batch: sessions, unused sign-in links, open approval links.
 */
export function putPerson(
  db: Db,
  viewer: Viewer,
  change: PersonChange,
  now: number,
  options: { alongWithNew?: (personId: SQL) => BatchItem<'sqlite'>[] } = {},
): Promise<PutPersonResult> {
  return retryIfChangedMeanwhile(async () => {
    const existing = await personByEmail(db, change.email);
    const role = membershipRole(change.role);
    const resolved = await unitsByCode(db, change.units);
    if (resolved.unknown.length > 0) return { ok: false, unknownUnits: resolved.unknown };
    const foreign = change.units.findIndex((code) => !canManage(viewer, resolved.units.find((u) => u.code === code)!.id));
    if (foreign >= 0) return { ok: false, outOfScope: { field: `units.${foreign}`, code: change.units[foreign]! } };
    // Someone with a unit outside the viewer's (or none: an administrator of everything) is
    // someone else's to change; so is making an administrator of everything.
    const heldOutside = existing && (existing.memberships.length === 0 ? existing.role === 'admin' && viewer.manageUnitIds !== null : existing.memberships.some((m) => !canManage(viewer, m.unitId)));
    if (heldOutside) return { ok: false, outOfScope: { field: 'email', code: null } };
    if (change.role === 'admin' && change.units.length === 0 && viewer.manageUnitIds !== null) return { ok: false, outOfScope: { field: 'units', code: null } };
    const unitsAfter = resolved.units;
    const after: PersonView = {
      email: change.email,
      name: change.name,
      role: change.role,
      units: sortedCodes(unitsAfter),
      active: change.active ?? existing?.active ?? true,
    };
    const before: PersonView | null = existing
      ? { email: existing.email, name: existing.name, role: existing.role, units: sortedCodes(existing.memberships), active: existing.active }
      : null;
    const membershipsUnchanged =
      existing !== undefined &&
      existing.memberships.length === unitsAfter.length &&
      existing.memberships.every((m) => m.role === role && unitsAfter.some((u) => u.id === m.unitId));
    if (before && membershipsUnchanged && before.name === after.name && before.role === after.role && before.active === after.active) {
      return { ok: true, created: false, person: after };
    }

    const fields = { name: after.name, role: after.role, active: after.active };
    const detail = { email: change.email, before, after };
    // One statement for all of the units: their ids travel as one JSON parameter.
    const insertMemberships = (personId: SQL | number, where: SQL) =>
      unitsAfter.length === 0
        ? []
        : [
            db.run(sql`
              INSERT INTO ${memberships} (person_id, unit_id, role)
              SELECT ${personId}, j.value, ${role} FROM json_each(${JSON.stringify(unitsAfter.map((u) => u.id))}) j WHERE ${where}`),
          ];
    if (!existing) {
      // The new person's id exists only once the insert that starts the batch has run.
      const personId = sql`(select ${people.id} from ${people} where ${people.email} = ${change.email})`;
      await db.batch([
        db.insert(people).values({ email: change.email, ...fields, createdAt: now, updatedAt: now }),
        ...insertMemberships(personId, sql`true`),
        ...(options.alongWithNew?.(personId) ?? []),
        db.insert(auditEvents).values({ at: now, actorId: viewer.personId, actor: viewer.actor, action: 'person.create', detail }),
      ]);
      return { ok: true, created: true, person: after };
    }
    const unchanged = and(eq(people.id, existing.id), eq(people.updatedAt, existing.updatedAt))!;
    const stillUnchanged = sql`EXISTS (SELECT 1 FROM ${people} WHERE ${unchanged})`;
    // What the person could do before no longer holds: what they hold dies with it, for good
    // (re-adding them later must not bring an old session or approval link back to life).
    const lostSomething =
      before!.role !== after.role ||
      before!.active !== after.active ||
      existing.memberships.some((m) => m.role !== role || !unitsAfter.some((u) => u.id === m.unitId));
    const results = await db.batch([
      // Replaced, not merged: the request lists all of the person's units.
      db.delete(memberships).where(and(eq(memberships.personId, existing.id), stillUnchanged)),
      ...insertMemberships(existing.id, stillUnchanged),
      ...(lostSomething ? revokeEverythingOf(db, existing.id, stillUnchanged, now) : []),
      db.run(sql`
        INSERT INTO ${auditEvents} (at, actor_id, actor, action, detail)
        SELECT ${now}, ${viewer.personId}, ${viewer.actor}, 'person.update', ${JSON.stringify(detail)} FROM ${people} WHERE ${unchanged}`),
      // Last: it changes what the guard reads.
      db
        .update(people)
        .set({ ...fields, updatedAt: nextUpdatedAt(existing.updatedAt, now) })
        .where(unchanged),
    ]);
    return results[results.length - 1]!.meta.changes === 1 ? { ok: true, created: false, person: after } : CHANGED_MEANWHILE;
  });
}
