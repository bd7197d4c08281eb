// PUT /api/v1/admin/people/{email}: create or update a person, their role and units (api.md).
// The person, the full replacement of their memberships and the audit event are one batch.
import type { Context } from 'hono';
import * as v from 'valibot';
import * as directory from '../../auth/directory';
import type { Viewer } from '../../auth/scope';
import type { Db } from '../../db/client';
import { PERSON_ROLES } from '../../db/schema';
import type { AppEnv } from '../../http/app-env';
import { invalidInput, readJson } from '../../http/errors';
import { parseOr422 } from '../../http/validation';
import { lang } from '../../http/lang';
import { type Lang } from '../../core/i18n';
import { retryIfCreatedMeanwhile } from '../../db/unique';
import { displayName, fieldError, unitCode, withPathParam } from '../../http/input';

/** More than any real person has; keeps one request's batch small. */
const MAX_UNITS = 100;

const PersonInput = v.object({
  /** Stored lowercased (the schema demands it), so sign-in by address is an exact match. */
  email: v.pipe(
    v.string(),
    v.trim(),
    v.toLowerCase(),
    v.maxLength(254, '不能超过 254 个字符|must be at most 254 characters'),
    v.email('不是有效的电子邮件地址|is not a valid email address'),
  ),
  name: displayName,
  role: v.picklist(PERSON_ROLES),
  units: v.optional(v.pipe(v.array(unitCode), v.maxLength(MAX_UNITS, `最多 ${MAX_UNITS} 个单位|must list at most ${MAX_UNITS} units`)), []),
  /** false: the person can no longer sign in (their sessions stop working too). Absent keeps the state. */
  active: v.optional(v.boolean()),
});
type PersonInput = v.InferOutput<typeof PersonInput>;

/**
 * Creates or updates the person (src/auth/directory.ts); `created` tells which. A clerk or
 * supervisor without units, or a unit code nobody has (each named, `units.3`), is a 422.
 */
async function putPerson(db: Db, viewer: Viewer, input: PersonInput, language: Lang) {
  if (input.role !== 'admin' && input.units.length === 0) {
    throw fieldError(language, 'units', '填报人和审核人至少需要一个单位', 'clerks and supervisors need at least one unit');
  }
  const result = await directory.putPerson(db, viewer, input, Date.now());
  if (!result.ok) {
    throw invalidInput(
      result.unknownUnits.map(({ code, index }) => ({
        field: `units.${index}`,
        message: language === 'zh' ? `没有代码为“${code}”的单位` : `there is no unit with code "${code}"`,
      })),
    );
  }
  return result;
}

export async function putPersonRoute(c: Context<AppEnv>) {
  const language = lang(c);
  const body = withPathParam(await readJson(c), 'email', c.req.param('email') ?? '');
  const input = parseOr422(PersonInput, body, language);
  const { created, person } = await retryIfCreatedMeanwhile(() => putPerson(c.get('db'), c.get('viewer')!, input, language));
  return c.json({ person }, created ? 201 : 200);
}
