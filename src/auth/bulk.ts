// Bulk set-up from CSV, the part that touches the database: read a snapshot of the units (or
// people), plan the file against it (src/core/bulk.ts, pure), and write the plan. Beside
// directory.ts, the other writer of units, people and memberships, and held to its rules.
//
// Scale: a file of 2,000 units must apply inside one request of a Worker, and D1 binds at most
// 100 parameters per statement. So the rows travel as ONE JSON parameter per statement, read by
// json_each, and the whole apply is one db.batch of a handful of statements: atomic, all or
// nothing, like every write here. (D1 has no interactive transactions.)
//
// The guard: the batch opens with the bulk event (`bulk.units` / `bulk.people`), inserted only if
// the table's fingerprint (row count and newest updated_at) is still the one read before the
// snapshot; every later statement runs only if that event exists. A change by someone else in
// between leaves the batch writing nothing, and the file is planned again on what is there now.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { moveRollups } from '../db/rollups';
import { planPeople, planUnits, type BulkChange, type BulkPlan, type BulkScope, type ExistingPerson, type PeopleRules, type PersonState, type UnitRules, type UnitState } from '../core/bulk';
import { managesEverything, type Viewer } from './scope';

export interface BulkOutcome<T> extends BulkPlan<T> {
  /** Whether the changes were written (false for a dry run or a file with errors). */
  applied: boolean;
}

/** canManage (./scope.ts) as the planner asks it, with a Set: a file of thousands asks thousands of times. */
function scopeOf(viewer: Viewer): BulkScope {
  const managed = viewer.manageUnitIds === null ? null : new Set(viewer.manageUnitIds);
  return { manages: (id) => viewer.isAdmin && (managed === null || managed.has(id)), everything: managesEverything(viewer) };
}

/** Count and newest updated_at of a table: any insert or update since it was read moves it. */
const fingerprintOf = (table: 'units' | 'people') =>
  sql.raw(`(SELECT count(*) || ':' || coalesce(max(updated_at), 0) FROM ${table})`);

async function readFingerprint(db: Db, table: 'units' | 'people'): Promise<string> {
  const [row] = await db.all<{ f: string }>(sql`SELECT ${fingerprintOf(table)} AS f`);
  return row!.f;
}

/** Plans, and unless a dry run or a file with errors, applies; planned again if the table moved meanwhile. */
async function planAndApply<T>(
  db: Db,
  table: 'units' | 'people',
  plan: () => Promise<BulkPlan<T>>,
  write: (changed: BulkChange<T>[], guard: { fingerprint: string }) => Promise<boolean>,
  dryRun: boolean,
): Promise<BulkOutcome<T>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const fingerprint = await readFingerprint(db, table);
    const planned = await plan();
    const changed = planned.changes.filter((c) => c.action !== 'unchanged');
    if (dryRun || planned.errors.length > 0) return { ...planned, applied: false };
    if (changed.length === 0 || (await write(changed, { fingerprint }))) return { ...planned, applied: changed.length > 0 };
  }
  throw new Error(`the ${table} kept changing while the file was being applied`);
}

/** The statements after the first run only if the batch's bulk event was written. */
function bulkEvent(db: Db, viewer: Viewer, action: 'bulk.units' | 'bulk.people', table: 'units' | 'people', fingerprint: string, summary: Record<string, number>, now: number) {
  const batch = crypto.randomUUID();
  const detail = JSON.stringify({ batch, ...summary });
  return {
    insert: db.run(sql`
      INSERT INTO audit_events (at, actor_id, actor, action, detail)
      SELECT ${now}, ${viewer.personId}, ${viewer.actor}, ${action}, ${detail}
      WHERE ${fingerprintOf(table)} = ${fingerprint}`),
    guard: sql`EXISTS (SELECT 1 FROM audit_events WHERE at = ${now} AND action = ${action} AND json_extract(detail, '$.batch') = ${batch})`,
  };
}

const summaryOf = <T>(changes: BulkChange<T>[]) => ({
  created: changes.filter((c) => c.action === 'create').length,
  updated: changes.filter((c) => c.action === 'update').length,
});

// ——— Units ———

async function existingUnits(db: Db) {
  return db.all<{ id: number; code: string; name: string; parent: string | null }>(sql`
    SELECT u.id, u.code, u.name, p.code AS parent FROM units u LEFT JOIN units p ON p.id = u.parent_id`);
}

/**
 * The units of the CSV `text`, planned and (unless `dryRun`) applied. New units are inserted as
 * roots first and then placed, so a parent may come anywhere in the file; one `unit.create` or
 * `unit.update` event per changed line (before → after) and one `bulk.units` event.
 */
export function bulkUnits(db: Db, viewer: Viewer, text: string, rules: UnitRules, options: { dryRun: boolean; now: number }): Promise<BulkOutcome<UnitState>> {
  const { now } = options;
  return planAndApply<UnitState>(
    db,
    'units',
    async () => planUnits(text, await existingUnits(db), scopeOf(viewer), rules),
    async (changed, { fingerprint }) => {
      const event = bulkEvent(db, viewer, 'bulk.units', 'units', fingerprint, { ...summaryOf(changed), lines: changed.length }, now);
      const { guard } = event;
      const created = JSON.stringify(changed.filter((c) => c.action === 'create').map((c) => c.after));
      const placed = JSON.stringify(changed.map((c) => c.after));
      const moved = JSON.stringify(changed.filter((c) => c.before && c.before.parent !== c.after.parent).map((c) => c.key));
      const audits = JSON.stringify(
        changed.map((c) => ({ code: c.key, action: c.action === 'create' ? 'unit.create' : 'unit.update', detail: { code: c.key, before: c.before, after: c.after, bulk: true } })),
      );
      const results = await db.batch([
        event.insert,
        db.run(sql`
          INSERT INTO units (code, name, parent_id, active, created_at, updated_at)
          SELECT json_extract(value, '$.code'), json_extract(value, '$.name'), NULL, 1, ${now}, ${now} FROM json_each(${created})
          WHERE ${guard}`),
        db.run(sql`
          INSERT INTO audit_events (at, actor_id, actor, action, unit_id, detail)
          SELECT ${now}, ${viewer.personId}, ${viewer.actor}, json_extract(value, '$.action'),
                 (SELECT id FROM units WHERE code = json_extract(value, '$.code')), json_extract(value, '$.detail')
          FROM json_each(${audits}) WHERE ${guard}`),
        // As PUT does: approval links of a moved unit's reports name the old parent's supervisors.
        db.run(sql`
          UPDATE review_links SET invalidated_at = ${now}
          WHERE used_at IS NULL AND invalidated_at IS NULL AND ${guard}
            AND report_id IN (SELECT r.id FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.code IN (SELECT value FROM json_each(${moved})))`),
        // The statistics of every ancestor a moved unit left or joined, read from the tree as it
        // is and as the file makes it (new units are in it, still roots until the UPDATE below).
        ...moveRollups(
          db,
          sql`SELECT u.id, p.id FROM json_each(${placed}) j JOIN units u ON u.code = json_extract(j.value, '$.code')
              LEFT JOIN units p ON p.code = json_extract(j.value, '$.parent') WHERE u.parent_id IS NOT p.id`,
          guard,
        ),
        // Last: it changes what the guard read.
        db.run(sql`
          UPDATE units SET name = r.name, parent_id = (SELECT p.id FROM units p WHERE p.code = r.parent), updated_at = max(${now}, units.updated_at + 1)
          FROM (SELECT json_extract(value, '$.code') AS code, json_extract(value, '$.name') AS name, json_extract(value, '$.parent') AS parent FROM json_each(${placed})) r
          WHERE units.code = r.code AND ${guard}`),
      ]);
      return results[0]!.meta.changes === 1;
    },
    options.dryRun,
  );
}

// ——— People ———

async function existingPeople(db: Db) {
  const [unitRows, peopleRows, membershipRows] = await db.batch([
    db.all<{ id: number; code: string }>(sql`SELECT id, code FROM units`),
    db.all<{ id: number; email: string; name: string; role: PersonState['role'] }>(sql`SELECT id, email, name, role FROM people`),
    db.all<{ personId: number; unitId: number; code: string }>(sql`SELECT m.person_id AS personId, m.unit_id AS unitId, u.code FROM memberships m JOIN units u ON u.id = m.unit_id`),
  ]);
  const people = new Map<string, ExistingPerson>();
  const byId = new Map<number, ExistingPerson>();
  for (const p of peopleRows) {
    const person: ExistingPerson = { email: p.email, name: p.name, role: p.role, units: [], unitIds: [] };
    people.set(p.email, person);
    byId.set(p.id, person);
  }
  for (const m of membershipRows) {
    const person = byId.get(m.personId);
    if (!person) continue;
    person.units.push(m.code);
    person.unitIds.push(m.unitId);
  }
  return { units: unitRows, people };
}

/**
 * The people of the CSV `text`, planned and (unless `dryRun`) applied as PUT /people would: each
 * person's units replaced by the file's, and whoever loses a role or a unit loses, in the same
 * batch, their sessions, unused sign-in links and open approval links. One `person.create` or
 * `person.update` event per changed line and one `bulk.people` event. New people are created
 * active; no one is deactivated (absent people are left alone).
 */
export function bulkPeople(db: Db, viewer: Viewer, text: string, rules: PeopleRules, options: { dryRun: boolean; now: number }): Promise<BulkOutcome<PersonState>> {
  const { now } = options;
  return planAndApply<PersonState>(
    db,
    'people',
    async () => planPeople(text, await existingPeople(db), scopeOf(viewer), rules),
    async (changed, { fingerprint }) => {
      const event = bulkEvent(db, viewer, 'bulk.people', 'people', fingerprint, { ...summaryOf(changed), lines: changed.length }, now);
      const { guard } = event;
      const json = (value: unknown) => JSON.stringify(value);
      const created = json(changed.filter((c) => c.action === 'create').map((c) => c.after));
      const updated = changed.filter((c) => c.action === 'update');
      // Lost a role or a unit: what they hold was issued for what they could do before.
      const lost = json(updated.filter((c) => c.before!.role !== c.after.role || c.before!.units.some((u) => !c.after.units.includes(u))).map((c) => c.key));
      const memberships = json(changed.flatMap((c) => c.after.units.map((unit) => ({ email: c.key, unit, role: c.after.role }))));
      const audits = json(
        changed.map((c) => ({ action: c.action === 'create' ? 'person.create' : 'person.update', detail: { email: c.key, before: c.before, after: c.after, bulk: true } })),
      );
      const lostIds = sql`(SELECT id FROM people WHERE email IN (SELECT value FROM json_each(${lost})))`;
      const results = await db.batch([
        event.insert,
        db.run(sql`
          INSERT INTO people (email, name, role, active, created_at, updated_at)
          SELECT json_extract(value, '$.email'), json_extract(value, '$.name'), json_extract(value, '$.role'), 1, ${now}, ${now} FROM json_each(${created})
          WHERE ${guard}`),
        db.run(sql`UPDATE sessions SET revoked_at = ${now} WHERE revoked_at IS NULL AND person_id IN ${lostIds} AND ${guard}`),
        db.run(sql`UPDATE login_tokens SET expires_at = ${now} WHERE used_at IS NULL AND expires_at > ${now} AND person_id IN ${lostIds} AND ${guard}`),
        db.run(sql`UPDATE review_links SET invalidated_at = ${now} WHERE used_at IS NULL AND invalidated_at IS NULL AND person_id IN ${lostIds} AND ${guard}`),
        // Replaced, not merged: the file lists all of each person's units.
        db.run(sql`
          DELETE FROM memberships WHERE ${guard}
            AND person_id IN (SELECT id FROM people WHERE email IN (SELECT value FROM json_each(${json(updated.map((c) => c.key))})))`),
        db.run(sql`
          INSERT INTO memberships (person_id, unit_id, role)
          SELECT p.id, u.id, json_extract(j.value, '$.role') FROM json_each(${memberships}) j
          JOIN people p ON p.email = json_extract(j.value, '$.email')
          JOIN units u ON u.code = json_extract(j.value, '$.unit')
          WHERE ${guard}`),
        db.run(sql`
          INSERT INTO audit_events (at, actor_id, actor, action, detail)
          SELECT ${now}, ${viewer.personId}, ${viewer.actor}, json_extract(value, '$.action'), json_extract(value, '$.detail')
          FROM json_each(${audits}) WHERE ${guard}`),
        // Last: it changes what the guard read.
        db.run(sql`
          UPDATE people SET name = r.name, role = r.role, updated_at = max(${now}, people.updated_at + 1)
          FROM (SELECT json_extract(value, '$.email') AS email, json_extract(value, '$.name') AS name, json_extract(value, '$.role') AS role FROM json_each(${json(updated.map((c) => c.after))})) r
          WHERE people.email = r.email AND ${guard}`),
      ]);
      return results[0]!.meta.changes === 1;
    },
    options.dryRun,
  );
}
