// PUT /api/v1/admin/units/{code}: create or update a reporting unit (api.md). The unit and its
// audit event are written in one batch, so the audit trail never misses or invents a change.
import type { Context } from 'hono';
import * as v from 'valibot';
import { putUnit } from '../../auth/directory';
import type { AppEnv } from '../../http/app-env';
import { readJson } from '../../http/errors';
import { parseOr422 } from '../../http/validation';
import { lang } from '../../http/lang';
import { type Lang } from '../../core/i18n';
import { displayName, fieldError, unitCode, withPathParam } from '../../http/input';

const UnitInput = v.object({
  code: unitCode,
  name: displayName,
  /** A parent's code; null makes the unit a root; absent keeps the current parent (none for a new unit). */
  parent: v.optional(v.nullable(unitCode)),
  /** Absent keeps the current state (active for a new unit). */
  active: v.optional(v.boolean()),
});

/** Why a parent cannot be: the unit itself, a unit that does not exist, a unit below (a cycle). */
const parentRefusal = {
  parent_is_self: (language: Lang) => fieldError(language, 'parent', '上级单位不能是该单位自身', 'parent must not be the unit itself'),
  unknown_parent: (language: Lang, parent: string) =>
    fieldError(language, 'parent', `没有代码为“${parent}”的上级单位`, `there is no unit with code "${parent}"`),
  parent_below: (language: Lang, parent: string, code: string) =>
    fieldError(
      language,
      'parent',
      `“${parent}”是“${code}”的下级单位，设为上级会形成循环`,
      `"${parent}" is below "${code}": making it the parent would create a cycle`,
    ),
};

export async function putUnitRoute(c: Context<AppEnv>) {
  const language = lang(c);
  const body = withPathParam(await readJson(c), 'code', c.req.param('code') ?? '');
  const input = parseOr422(UnitInput, body, language);
  const result = await putUnit(c.get('db'), c.get('viewer')!, input, Date.now());
  if (!result.ok) throw parentRefusal[result.reason](language, result.parent, input.code);
  return c.json({ unit: result.unit }, result.created ? 201 : 200);
}
