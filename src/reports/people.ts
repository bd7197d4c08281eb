// Who works on a unit's reports: its clerks, and the supervisors of its parent unit who review them.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { memberships, people, units } from '../db/schema';

/** Who reviews the unit's reports: the active supervisors of its parent unit. */
export async function reviewersOf(db: Db, unitId: number): Promise<{ id: number; name: string; email: string }[]> {
  const [unit] = await db.select({ parentId: units.parentId }).from(units).where(eq(units.id, unitId)).limit(1);
  if (!unit?.parentId) return [];
  return db
    .select({ id: people.id, name: people.name, email: people.email })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.unitId, unit.parentId), eq(memberships.role, 'supervisor'), eq(people.active, true)))
    .orderBy(asc(people.email));
}

/** Who fills in the unit's reports: its active clerks (told when a report is returned or published). */
export async function clerksOf(db: Db, unitId: number): Promise<{ id: number; name: string; email: string }[]> {
  return db
    .select({ id: people.id, name: people.name, email: people.email })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.unitId, unitId), eq(memberships.role, 'clerk'), eq(people.active, true)))
    .orderBy(asc(people.email));
}
