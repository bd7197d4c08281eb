// What the administrator's unit and people pages read (src/areas/admin/units-pages.tsx,
// people-pages.tsx): the units they manage with their people and this cycle's report, a unit's
// reports by year, and the people who hold a unit they manage. Reads only; every write goes
// through src/auth/directory.ts. Lists of ids travel as one JSON parameter (D1 binds at most 100).
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { memberships, people, reports, sessions, units, type MembershipRole, type PersonRole, type ReportStatus } from '../db/schema';
import { inJsonList } from './json-list';

/** Every unit when 'all', else these ids. */
export type Scope = 'all' | number[];

const inScope = (column: Parameters<typeof inJsonList>[0], scope: Scope) => (scope === 'all' ? sql`1 = 1` : inJsonList(column, scope));

export interface ManagedUnit {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  active: boolean;
}

/** The units in scope, by code. */
export async function unitsInScope(db: Db, scope: Scope): Promise<ManagedUnit[]> {
  return db
    .select({ id: units.id, code: units.code, name: units.name, parentId: units.parentId, active: units.active })
    .from(units)
    .where(inScope(units.id, scope))
    .orderBy(asc(units.code));
}

/** One unit by code, or undefined. */
export async function unitWithCode(db: Db, code: string): Promise<ManagedUnit | undefined> {
  const [row] = await db
    .select({ id: units.id, code: units.code, name: units.name, parentId: units.parentId, active: units.active })
    .from(units)
    .where(eq(units.code, code))
    .limit(1);
  return row;
}

/** The unit's ancestors, the root first (a recursive walk up parent_id). */
export async function ancestorsOf(db: Db, unitId: number): Promise<ManagedUnit[]> {
  const rows = await db.all<{ id: number; code: string; name: string; parentId: number | null; active: number; depth: number }>(sql`
    with recursive up(id, depth) as (
      select parent_id, 1 from ${units} where id = ${unitId} and parent_id is not null
      union
      select u.parent_id, up.depth + 1 from ${units} u join up on u.id = up.id where u.parent_id is not null and up.depth < 100
    )
    select u.id, u.code, u.name, u.parent_id as parentId, u.active, up.depth from up join ${units} u on u.id = up.id order by up.depth desc`);
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, parentId: r.parentId, active: r.active === 1 }));
}

export interface UnitMember {
  unitId: number;
  role: MembershipRole;
  name: string;
  email: string;
  active: boolean;
}

/** The people of these units (clerks, supervisors, administrators), by name. */
export async function membersOf(db: Db, scope: Scope): Promise<UnitMember[]> {
  return db
    .select({ unitId: memberships.unitId, role: memberships.role, name: people.name, email: people.email, active: people.active })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(inScope(memberships.unitId, scope))
    .orderBy(asc(people.name));
}

/** Each unit's report of `year` (unit id → status, and whether it is expected in the cycle). */
export async function reportsOfYear(db: Db, year: number, scope: Scope): Promise<Map<number, { status: ReportStatus; expected: boolean }>> {
  const rows = await db
    .select({ unitId: reports.unitId, status: reports.status, expected: reports.expected })
    .from(reports)
    .where(and(eq(reports.year, year), inScope(reports.unitId, scope)));
  return new Map(rows.map((r) => [r.unitId, { status: r.status, expected: r.expected }]));
}

/** A unit's reports, newest year first. */
export async function reportsOfUnit(db: Db, unitId: number) {
  return db
    .select({ year: reports.year, status: reports.status, expected: reports.expected, publishedVersion: reports.publishedVersion })
    .from(reports)
    .where(eq(reports.unitId, unitId))
    .orderBy(desc(reports.year));
}

export interface PersonRow {
  id: number;
  email: string;
  name: string;
  role: PersonRole;
  active: boolean;
  /** When they last signed in (a session began), or null. */
  lastSignIn: number | null;
  /** Their units (codes and names), by code. */
  units: { id: number; code: string; name: string }[];
}

/**
 * The people holding a unit in scope (for 'all': everyone), filtered by a piece of their name or
 * address and by role, by name.
 */
export function peopleInScope(db: Db, scope: Scope, filter: { q?: string; role?: PersonRole } = {}): Promise<PersonRow[]> {
  const q = filter.q?.trim().toLowerCase();
  return peopleWhere(
    db,
    and(
      scope === 'all' ? undefined : sql`EXISTS (SELECT 1 FROM ${memberships} m WHERE m.person_id = ${people.id} AND ${inJsonList(sql`m.unit_id`, scope)})`,
      filter.role ? eq(people.role, filter.role) : undefined,
      // instr, not LIKE: a '%' or '_' typed in the search box means itself.
      q ? sql`(instr(lower(${people.name}), ${q}) > 0 OR instr(${people.email}, ${q}) > 0)` : undefined,
    ),
  );
}

/** One person with their units, or undefined. */
export async function personByEmail(db: Db, email: string): Promise<PersonRow | undefined> {
  const [row] = await peopleWhere(db, eq(people.email, email));
  return row;
}

async function peopleWhere(db: Db, where: SQL | undefined): Promise<PersonRow[]> {
  const rows = await db
    .select({
      id: people.id,
      email: people.email,
      name: people.name,
      role: people.role,
      active: people.active,
      lastSignIn: sql<number | null>`(SELECT max(${sessions.createdAt}) FROM ${sessions} WHERE ${sessions.personId} = ${people.id})`,
    })
    .from(people)
    .where(where)
    .orderBy(asc(people.name), asc(people.email));
  if (rows.length === 0) return [];
  const held = await db
    .select({ personId: memberships.personId, id: units.id, code: units.code, name: units.name })
    .from(memberships)
    .innerJoin(units, eq(units.id, memberships.unitId))
    .where(inJsonList(memberships.personId, rows.map((r) => r.id)))
    .orderBy(asc(units.code));
  return rows.map((r) => ({ ...r, units: held.filter((h) => h.personId === r.id).map(({ id, code, name }) => ({ id, code, name })) }));
}

