// PUT /api/v1/admin/people/{email}: create or update a person, their role and units (api.md).
// The person, the full replacement of their memberships and the audit event are one batch.
import * as v from 'valibot';
import * as directory from '../../auth/directory';
import type { Viewer } from '../../auth/scope';
import type { Db } from '../../db/client';
import { PERSON_ROLES } from '../../db/schema';
import { invalidInput, outOfScope } from '../../http/errors';
import { lang } from '../../http/lang';
import { translator, type Lang } from '../../core/i18n';
import { displayName, email, fieldError, unitCode } from '../../http/input';
import { named } from '../../http/route';
import { createOrUpdateRoute } from './create-or-update';

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

/**
 * Creates or updates the person (src/auth/directory.ts); `created` tells which. A clerk or
 * supervisor without units, or a unit code nobody has (each named, `units.3`), is a 422.
 */
async function putPerson(db: Db, viewer: Viewer, input: PersonInput, language: Lang) {
  if (input.role !== 'admin' && input.units.length === 0) {
    throw fieldError(language, 'units', '填报人和审核人至少需要一个单位', 'clerks and supervisors need at least one unit');
  }
  const result = await directory.putPerson(db, viewer, input, Date.now());
  if (!result.ok && 'outOfScope' in result) {
    const { field, code } = result.outOfScope;
    throw outOfScope(
      language,
      field,
      code ? `单位“${code}”不在您管理的范围内` : field === 'email' ? '此人属于您管理范围以外的单位' : '只有管理全部单位的管理员可以添加管理全部单位的管理员',
      code ? `unit "${code}" is outside the units you manage` : field === 'email' ? 'this person belongs to units outside the ones you manage' : 'only an administrator of every unit can add an administrator of every unit',
    );
  }
  if (!result.ok) {
    throw invalidInput(
      result.unknownUnits.map(({ code, index }) => ({
        field: `units.${index}`,
        message: translator(language)(`没有代码为“${code}”的单位`, `there is no unit with code "${code}"`),
      })),
    );
  }
  return result;
}

export const putPersonRoute = createOrUpdateRoute({
  path: '/people/{email}',
  summary: '新建或修改人员及其角色和单位 · create or update a person, their role and units',
  params: PersonPath,
  body: PersonBody,
  kind: 'person',
  answer: PersonAnswer,
  put: (c, input) => putPerson(c.get('db'), c.get('viewer')!, input, lang(c)),
});
