// PUT /api/v1/admin/units/{code}: create or update a reporting unit (api.md). The unit and its
// audit event are written in one batch, so the audit trail never misses or invents a change.
import * as v from 'valibot';
import * as directory from '../../auth/directory';
import type { Viewer } from '../../auth/scope';
import type { Db } from '../../db/client';
import { lang } from '../../http/lang';
import { type Lang } from '../../core/i18n';
import { outOfScope } from '../../http/errors';
import { displayName, fieldError, unitCode } from '../../http/input';
import { named } from '../../http/route';
import { createOrUpdateRoute } from './create-or-update';

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

/**
 * Creates or updates the unit (src/auth/directory.ts); `created` tells which. A parent that is
 * the unit itself, does not exist, or is below the unit (a cycle) is a 422 on `parent`.
 */
async function putUnit(db: Db, viewer: Viewer, input: UnitInput, language: Lang) {
  const result = await directory.putUnit(db, viewer, input, Date.now());
  if (result.ok) return result;
  if (result.reason === 'out_of_scope') {
    const { field, code } = result;
    throw outOfScope(
      language,
      field,
      field === 'code' ? `单位“${code}”不在您管理的范围内` : code ? `上级单位“${code}”不在您管理的范围内` : '只有管理全部单位的管理员可以新建顶级单位',
      field === 'code' ? `unit "${code}" is outside the units you manage` : code ? `parent "${code}" is outside the units you manage` : 'only an administrator of every unit can create a root unit',
    );
  }
  // (Only the pages create with createOnly; the PUT updates an existing unit.)
  if (result.reason === 'exists') throw fieldError(language, 'code', `已有代码为“${result.code}”的单位`, `a unit with code "${result.code}" exists`);
  const { reason, parent } = result;
  if (reason === 'parent_is_self') throw fieldError(language, 'parent', '上级单位不能是该单位自身', 'parent must not be the unit itself');
  if (reason === 'unknown_parent') throw fieldError(language, 'parent', `没有代码为“${parent}”的上级单位`, `there is no unit with code "${parent}"`);
  throw fieldError(
    language,
    'parent',
    `“${parent}”是“${input.code}”的下级单位，设为上级会形成循环`,
    `"${parent}" is below "${input.code}": making it the parent would create a cycle`,
  );
}

export const putUnitRoute = createOrUpdateRoute({
  path: '/units/{code}',
  summary: '新建或修改单位 · create or update a unit',
  params: UnitPath,
  body: UnitBody,
  kind: 'unit',
  answer: UnitAnswer,
  put: (c, input) => putUnit(c.get('db'), c.get('viewer')!, input, lang(c)),
});
