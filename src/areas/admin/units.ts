// PUT /api/v1/admin/units/{code}: create or update a reporting unit (api.md). The unit and its
// audit event are written in one batch, so the audit trail never misses or invents a change.
import type { Context } from 'hono';
import * as v from 'valibot';
import * as directory from '../../auth/directory';
import type { Viewer } from '../../auth/scope';
import type { Db } from '../../db/client';
import type { AppEnv } from '../../http/app-env';
import { readJson } from '../../http/errors';
import { parseOr422 } from '../../http/validation';
import { lang } from '../../http/lang';
import { type Lang } from '../../core/i18n';
import { retryIfCreatedMeanwhile } from '../../db/unique';
import { displayName, fieldError, unitCode, withPathParam } from '../../http/input';

const UnitInput = v.object({
  code: unitCode,
  name: displayName,
  /** A parent's code; null makes the unit a root; absent keeps the current parent (none for a new unit). */
  parent: v.optional(v.nullable(unitCode)),
  /** Absent keeps the current state (active for a new unit). */
  active: v.optional(v.boolean()),
});
type UnitInput = v.InferOutput<typeof UnitInput>;

/**
 * Creates or updates the unit (src/auth/directory.ts); `created` tells which. A parent that is
 * the unit itself, does not exist, or is below the unit (a cycle) is a 422 on `parent`.
 */
async function putUnit(db: Db, viewer: Viewer, input: UnitInput, language: Lang) {
  const result = await directory.putUnit(db, viewer, input, Date.now());
  if (result.ok) return result;
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

export async function putUnitRoute(c: Context<AppEnv>) {
  const language = lang(c);
  const body = withPathParam(await readJson(c), 'code', c.req.param('code') ?? '');
  const input = parseOr422(UnitInput, body, language);
  const { created, unit } = await retryIfCreatedMeanwhile(() => putUnit(c.get('db'), c.get('viewer')!, input, language));
  return c.json({ unit }, created ? 201 : 200);
}
