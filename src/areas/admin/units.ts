// PUT /api/v1/admin/units/{code}: create or update a reporting unit (api.md). The unit and its
// audit event are written in one batch, so the audit trail never misses or invents a change.
import { eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import * as v from 'valibot';
import type { Viewer } from '../../auth/scope';
import { descendantsOf } from '../../auth/sessions';
import type { Db } from '../../db/client';
import { auditEvents, units } from '../../db/schema';
import type { AppEnv } from '../../http/app-env';
import { lang } from '../../http/lang';
import { type Lang } from '../../core/i18n';
import { retryIfCreatedMeanwhile } from '../../db/unique';
import { displayName, fieldError, unitCode } from '../../http/input';
import { named, route } from '../../http/route';

const UnitPath = v.object({ code: v.pipe(unitCode, v.description('单位代码 · the unit’s code')) });
const UnitBody = v.object({
  name: displayName,
  /** A parent's code; null makes the unit a root; absent keeps the current parent (none for a new unit). */
  parent: v.optional(v.pipe(v.nullable(unitCode), v.description('上级单位代码；null 为顶级单位；不填则不变 · the parent’s code; null for a root; absent keeps it'))),
  /** Absent keeps the current state (active for a new unit). */
  active: v.optional(v.boolean()),
});
type UnitInput = v.InferOutput<typeof UnitPath> & v.InferOutput<typeof UnitBody>;

const UnitAnswer = named(
  'UnitAnswer',
  v.object({ unit: v.object({ code: v.string(), name: v.string(), parent: v.nullable(v.string()), active: v.boolean() }) }),
);

/** A unit as the API shows it, and as audit events record it before and after a change. */
export interface UnitView {
  code: string;
  name: string;
  parent: string | null;
  active: boolean;
}

const parentUnits = alias(units, 'parent_units');

async function findUnit(db: Db, code: string) {
  const [row] = await db
    .select({ id: units.id, code: units.code, name: units.name, parent: parentUnits.code, active: units.active })
    .from(units)
    .leftJoin(parentUnits, eq(parentUnits.id, units.parentId))
    .where(eq(units.code, code))
    .limit(1);
  return row;
}
type StoredUnit = NonNullable<Awaited<ReturnType<typeof findUnit>>>;

const view = ({ code, name, parent, active }: UnitView): UnitView => ({ code, name, parent, active });
const sameUnit = (a: UnitView, b: UnitView) => a.name === b.name && a.parent === b.parent && a.active === b.active;

/**
 * The parent the unit will have: its id and code, or null for a root. It must exist, and must
 * be neither the unit itself nor below it — either would make the tree a cycle.
 */
async function resolveParent(db: Db, input: UnitInput, existing: StoredUnit | undefined, language: Lang) {
  const code = input.parent === undefined ? (existing?.parent ?? null) : input.parent;
  if (code === null) return null;
  if (code === input.code) {
    throw fieldError(language, 'parent', '上级单位不能是该单位自身', 'parent must not be the unit itself');
  }
  const parent = await findUnit(db, code);
  if (!parent) {
    throw fieldError(language, 'parent', `没有代码为“${code}”的上级单位`, `there is no unit with code "${code}"`);
  }
  if (existing && (await descendantsOf(db, [existing.id])).includes(parent.id)) {
    throw fieldError(
      language,
      'parent',
      `“${code}”是“${input.code}”的下级单位，设为上级会形成循环`,
      `"${code}" is below "${input.code}": making it the parent would create a cycle`,
    );
  }
  return { id: parent.id, code: parent.code };
}

/** Creates or updates the unit; `created` tells which. An identical PUT writes nothing. */
async function putUnit(db: Db, viewer: Viewer, input: UnitInput, language: Lang) {
  const existing = await findUnit(db, input.code);
  const parent = await resolveParent(db, input, existing, language);
  const after: UnitView = {
    code: input.code,
    name: input.name,
    parent: parent?.code ?? null,
    active: input.active ?? existing?.active ?? true,
  };
  if (existing && sameUnit(existing, after)) return { created: false, unit: after };

  const now = Date.now();
  const fields = { name: after.name, parentId: parent?.id ?? null, active: after.active, updatedAt: now };
  const write = existing
    ? db.update(units).set(fields).where(eq(units.id, existing.id))
    : db.insert(units).values({ code: input.code, ...fields, createdAt: now });
  const audit = db.insert(auditEvents).values({
    at: now,
    actorId: viewer.personId,
    actor: viewer.actor,
    action: existing ? 'unit.update' : 'unit.create',
    // A new unit's id exists only once the insert before this statement has run.
    unitId: existing ? existing.id : sql`(select ${units.id} from ${units} where ${units.code} = ${input.code})`,
    detail: { code: input.code, before: existing ? view(existing) : null, after },
  });
  await db.batch([write, audit]);
  return { created: !existing, unit: after };
}

export const putUnitRoute = route({
  method: 'put',
  path: '/units/{code}',
  summary: '新建或修改单位 · create or update a unit',
  access: 'admin',
  params: UnitPath,
  badPath: 'invalid_input',
  body: UnitBody,
  answer: { status: [200, 201], schema: UnitAnswer, description: '201 新建，200 修改或未变 · 201 created, 200 updated or unchanged' },
  handle: async (c, { params, body }) => {
    const language = lang(c);
    const input: UnitInput = { code: params.code, ...body };
    const { created, unit } = await retryIfCreatedMeanwhile(() => putUnit(c.get('db'), c.get('viewer')!, input, language));
    return c.json({ unit }, created ? 201 : 200);
  },
});
