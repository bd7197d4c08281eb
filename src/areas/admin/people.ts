// PUT /api/v1/admin/people/{email}: create or update a person, their role and units (api.md);
// POST …/{email}/invite: mail them an invitation.
// The person, the full replacement of their memberships and the audit event are one batch.
import * as v from 'valibot';
import * as directory from '../../auth/directory';
import type { Viewer } from '../../auth/scope';
import type { Db } from '../../db/client';
import { PERSON_ROLES } from '../../db/schema';
import { invite, INVITATION_LIMIT, INVITATION_TTL_DAYS } from '../../auth/invitation';
import { ApiError, invalidInput, outOfScope } from '../../http/errors';
import { mailOrigin } from '../../http/origin';
import { deliverSoon } from '../../mail/deliver-now';
import { lang } from '../../http/lang';
import { translator, type Lang } from '../../core/i18n';
import { displayName, email, fieldError, unitCode } from '../../http/input';
import { named, route } from '../../http/route';
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

const InviteAnswer = named(
  'InviteAnswer',
  v.object({
    email: v.string(),
    expires_in_days: v.pipe(v.number(), v.description('链接有效天数 · days the link works')),
  }),
);

/**
 * POST /api/v1/admin/people/{email}/invite: mails the person an invitation with a sign-in link of
 * a week (src/auth/invitation.ts); the links they held before stop working.
 */
export const invitePersonRoute = route({
  method: 'post',
  path: '/people/{email}/invite',
  summary: '向人员发送邀请邮件（之前的链接随即失效）· mail a person an invitation (earlier links stop working)',
  access: 'admin',
  params: PersonPath,
  answer: { status: 202, schema: InviteAnswer },
  errors: { 404: '没有此人 · no such person', 409: '此人已停用 · the person is deactivated', 429: `每人每小时最多 ${INVITATION_LIMIT.perPerson} 次 · at most ${INVITATION_LIMIT.perPerson} an hour per person (Retry-After)` },
  handle: async (c, { params }) => {
    const language = lang(c);
    const origin = mailOrigin(c);
    const now = Date.now();
    const result = await invite(c.get('db'), c.get('viewer')!, params.email, (token) => `${origin}/auth/verify?token=${encodeURIComponent(token)}`, now);
    if (result.ok) {
      deliverSoon(c, now, 10);
      return c.json({ email: params.email, expires_in_days: INVITATION_TTL_DAYS }, 202);
    }
    switch (result.reason) {
      case 'unknown':
        throw new ApiError(404, 'unknown_person', '没有使用此邮箱的人员。', 'There is no person with this address.');
      case 'out_of_scope':
        throw outOfScope(language, 'email', '此人属于您管理范围以外的单位', 'this person belongs to units outside the ones you manage');
      case 'inactive':
        throw new ApiError(409, 'person_inactive', '此人已停用，不能发送邀请。', 'The person is deactivated: no invitation is sent.');
      case 'too_many':
        c.header('Retry-After', String(result.retryAfter));
        throw new ApiError(429, 'too_many_requests', '邀请发送过于频繁，请稍后再试。', 'Too many invitations to this person. Please try again later.');
    }
  },
});
