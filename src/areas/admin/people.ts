// PUT /api/v1/admin/people/{email}: create or update a person, their role and units (api.md).
// The person, the full replacement of their memberships and the audit event are one batch.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Viewer } from '../../auth/scope';
import type { Db } from '../../db/client';
import { auditEvents, memberships, people, PERSON_ROLES, units, type MembershipRole, type PersonRole } from '../../db/schema';
import { invalidInput } from '../../http/errors';
import { lang } from '../../http/lang';
import { type Lang } from '../../core/i18n';
import { retryIfCreatedMeanwhile } from '../../db/unique';
import { displayName, email, fieldError, unitCode } from '../../http/input';
import { named, route } from '../../http/route';

/** More than any real person has; keeps one request's batch small. */
const MAX_UNITS = 100;

/** Stored lowercased (the schema demands it), so sign-in by address is an exact match. */
const PersonPath = v.object({ email: v.pipe(email, v.description('电子邮件地址（存为小写）· email address, stored lowercased')) });
const PersonBody = v.object({
  name: displayName,
  role: v.picklist(PERSON_ROLES),
  units: v.optional(v.pipe(v.array(unitCode), v.maxLength(MAX_UNITS, `最多 ${MAX_UNITS} 个单位|must list at most ${MAX_UNITS} units`)), []),
  /** false: the person can no longer sign in (their sessions stop working too). Absent keeps the state. */
  active: v.optional(v.boolean()),
});
type PersonInput = v.InferOutput<typeof PersonPath> & v.InferOutput<typeof PersonBody>;

const PersonAnswer = named(
  'PersonAnswer',
  v.object({
    person: v.object({ email: v.string(), name: v.string(), role: v.picklist(PERSON_ROLES), units: v.array(v.string()), active: v.boolean() }),
  }),
);

/** A person as the API shows it, and as audit events record it before and after a change. */
export interface PersonView {
  email: string;
  name: string;
  role: PersonRole;
  /** The codes of their units, sorted. */
  units: string[];
  active: boolean;
}

/** Clerks fill in their units' reports, supervisors review below theirs, administrators need none. */
const membershipRole = (role: PersonRole): MembershipRole | null => (role === 'admin' ? null : role);

async function findPerson(db: Db, email: string) {
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

/**
 * The units the person will belong to, by id, in input order without repeats: every code must
 * exist (each unknown one is named, `units.3`); clerks and supervisors need at least one.
 */
async function resolveUnits(db: Db, input: PersonInput, language: Lang) {
  if (input.role === 'admin') return [];
  if (input.units.length === 0) {
    throw fieldError(language, 'units', '填报人和审核人至少需要一个单位', 'clerks and supervisors need at least one unit');
  }
  const codes = [...new Set(input.units)];
  const found = await db.select({ id: units.id, code: units.code }).from(units).where(inArray(units.code, codes));
  const idByCode = new Map(found.map((u) => [u.code, u.id]));
  const unknown = input.units.flatMap((code, i) => (idByCode.has(code) ? [] : [{ code, field: `units.${i}` }]));
  if (unknown.length > 0) {
    throw invalidInput(
      unknown.map(({ code, field }) => ({
        field,
        message: language === 'zh' ? `没有代码为“${code}”的单位` : `there is no unit with code "${code}"`,
      })),
    );
  }
  return codes.map((code) => ({ id: idByCode.get(code)!, code }));
}

const sortedCodes = (list: { code: string }[]) => list.map((u) => u.code).sort();

/** Creates or updates the person; `created` tells which. An identical PUT writes nothing. */
async function putPerson(db: Db, viewer: Viewer, input: PersonInput, language: Lang) {
  const existing = await findPerson(db, input.email);
  const unitsAfter = await resolveUnits(db, input, language);
  const role = membershipRole(input.role);
  const after: PersonView = {
    email: input.email,
    name: input.name,
    role: input.role,
    units: sortedCodes(unitsAfter),
    active: input.active ?? existing?.active ?? true,
  };
  const before: PersonView | null = existing
    ? {
        email: existing.email,
        name: existing.name,
        role: existing.role,
        units: sortedCodes(existing.memberships),
        active: existing.active,
      }
    : null;
  const membershipsUnchanged =
    existing !== undefined &&
    existing.memberships.length === unitsAfter.length &&
    existing.memberships.every((m) => m.role === role && unitsAfter.some((u) => u.id === m.unitId));
  if (before && membershipsUnchanged && before.name === after.name && before.role === after.role && before.active === after.active) {
    return { created: false, person: after };
  }

  const now = Date.now();
  const fields = { name: after.name, role: after.role, active: after.active, updatedAt: now };
  // A new person's id exists only once the insert that starts the batch has run.
  const personId = existing ? existing.id : sql`(select ${people.id} from ${people} where ${people.email} = ${input.email})`;
  const [first, ...rest] = [
    existing
      ? db.update(people).set(fields).where(eq(people.id, existing.id))
      : db.insert(people).values({ email: input.email, ...fields, createdAt: now }),
    // Replaced, not merged: the body lists all of the person's units.
    db.delete(memberships).where(eq(memberships.personId, personId)),
    ...(role === null ? [] : unitsAfter.map((u) => db.insert(memberships).values({ personId, unitId: u.id, role }))),
    db.insert(auditEvents).values({
      at: now,
      actorId: viewer.personId,
      actor: viewer.actor,
      action: existing ? 'person.update' : 'person.create',
      detail: { email: input.email, before, after },
    }),
  ];
  await db.batch([first, ...rest]);
  return { created: !existing, person: after };
}

export const putPersonRoute = route({
  method: 'put',
  path: '/people/{email}',
  summary: '新建或修改人员及其角色和单位 · create or update a person, their role and units',
  access: 'admin',
  params: PersonPath,
  badPath: 'invalid_input',
  body: PersonBody,
  answer: { status: [200, 201], schema: PersonAnswer, description: '201 新建，200 修改或未变 · 201 created, 200 updated or unchanged' },
  handle: async (c, { params, body }) => {
    const language = lang(c);
    const input: PersonInput = { email: params.email, ...body };
    const { created, person } = await retryIfCreatedMeanwhile(() => putPerson(c.get('db'), c.get('viewer')!, input, language));
    return c.json({ person }, created ? 201 : 200);
  },
});
