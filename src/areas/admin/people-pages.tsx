// /app/admin/people: the people who hold a unit the administrator manages (everyone, for an
// administrator of everything), searchable by name or address and filtered by role; adding a
// person (who is sent an invitation with a week-long sign-in link), a person's page to change
// their name, role and units, resend the invitation, deactivate (after a confirmation) or
// reactivate. Every write goes through src/auth/directory.ts putPerson, which checks the scope,
// audits the change and, when something is taken away, ends what the person held.
import { DoneNotice } from '../../views/done-notice';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { putPerson } from '../../auth/directory';
import { invitationAllowed, invitationStatements, invite, INVITATION_LIMIT, INVITATION_TTL_DAYS, newInvitation } from '../../auth/invitation';
import { canManage, managedScope, type Viewer } from '../../auth/scope';
import { translator, type Lang } from '../../core/i18n';
import { beijingMinute } from '../../core/time';
import { PERSON_ROLES, type PersonRole } from '../../db/schema';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../http/errors';
import { readForm } from '../../http/form';
import { displayName, email as Email } from '../../http/input';
import { lang } from '../../http/lang';
import { mailOrigin } from '../../http/origin';
import { deliverSoon } from '../../mail/deliver-now';
import { peopleInScope, personByEmail, unitsInScope, type ManagedUnit, type PersonRow } from '../../reports/jurisdiction';
import { AdminPage } from '../../views/admin-page';
import { Button, Checkboxes, ErrorSummary, Select, TextInput } from '../../views/forms';
import { SummaryList } from '../../views/summary-list';

export const peoplePages = new Hono<AppEnv>();

type Errors = Record<string, string>;

const ROLE_WORDS: Record<PersonRole, { zh: string; en: string }> = {
  clerk: { zh: '填报人', en: 'Clerk' },
  supervisor: { zh: '审核人', en: 'Supervisor' },
  admin: { zh: '管理员', en: 'Administrator' },
};
const ROLE_HINTS: Record<PersonRole, { zh: string; en: string }> = {
  clerk: { zh: '填写所属单位的报告', en: 'fills in their units’ reports' },
  supervisor: { zh: '审核所属单位下级单位的报告', en: 'reviews the reports of the units below theirs' },
  admin: { zh: '管理所属单位及其下级单位', en: 'manages their units and everything below' },
};

const roleWord = (language: Lang, role: PersonRole) => translator(language)(ROLE_WORDS[role].zh, ROLE_WORDS[role].en);
const isRole = (value: unknown): value is PersonRole => (PERSON_ROLES as readonly unknown[]).includes(value);
const personHref = (email: string) => `/app/admin/people/${encodeURIComponent(email)}`;

const notFound = () => new ApiError(404, 'not_found', '没有使用此邮箱的人员。', 'There is no person with this address.');
const forbidden = () => new ApiError(403, 'forbidden', '此人属于您管理范围以外的单位。', 'This person belongs to units outside the ones you manage.');

const isSelf = (viewer: Viewer, person: PersonRow) => viewer.personId === person.id;
const cannotDeactivateSelf = () => new ApiError(409, 'self', '不能停用您自己。', 'You cannot deactivate yourself.');

/** Whether the viewer may change the person: every unit they hold is managed (none: an administrator of everything only). */
const manages = (viewer: Viewer, person: PersonRow) =>
  person.units.length === 0 ? viewer.manageUnitIds === null : person.units.every((u) => canManage(viewer, u.id));

/** The person a route's :email names, if the viewer manages them: 404 unknown, 403 outside. */
async function managedPerson(c: Context<AppEnv>): Promise<PersonRow> {
  // (Hono has decoded the path parameter.)
  const parsed = v.safeParse(Email, c.req.param('email') ?? '');
  const person = parsed.success ? await personByEmail(c.get('db'), parsed.output) : undefined;
  if (!person) throw notFound();
  if (!manages(c.get('viewer')!, person)) throw forbidden();
  return person;
}

const DONE: Record<string, { zh: string; en: string }> = {
  invited: { zh: '已添加，邀请邮件已发送。', en: 'Added; the invitation is on its way.' },
  reinvited: { zh: '已重新发送邀请，之前的邀请链接已失效。', en: 'The invitation has been sent again; the earlier links no longer work.' },
  saved: { zh: '已保存。', en: 'Saved.' },
  deactivated: { zh: '已停用此人，其登录已全部结束。', en: 'Deactivated: every session of theirs has ended.' },
  reactivated: { zh: '已重新启用此人。', en: 'Reactivated.' },
};

const Done = (p: { lang: Lang; done: string | undefined }) => <DoneNotice lang={p.lang} messages={DONE} done={p.done} />;

function Problems(p: { lang: Lang; errors: Errors; prefix: string }) {
  if (Object.keys(p.errors).length === 0) return null;
  const t = translator(p.lang);
  return <ErrorSummary title={t('请更正以下问题', 'There is a problem')} errors={Object.entries(p.errors).map(([name, text]) => ({ href: `#${p.prefix}-${name}`, text }))} />;
}

// ——— The list ———

peoplePages.get('/', async (c) => {
  const language = lang(c);
  const t = translator(language);
  const viewer = c.get('viewer')!;
  const q = (c.req.query('q') ?? '').trim();
  const role = c.req.query('role');
  const list = await peopleInScope(c.get('db'), managedScope(viewer), { ...(q ? { q } : {}), ...(isRole(role) ? { role } : {}) });
  return c.html(
    <AdminPage lang={language} title={t('人员', 'People')} section="people">
      <p>
        <Button href="/app/admin/people/new">{t('添加人员', 'Add a person')}</Button>
      </p>
      <form method="get" action="/app/admin/people" class="search-form" role="search">
        <TextInput id="people-search" name="q" label={t('按姓名或邮箱查找', 'Find by name or email')} value={q} />
        <Select
          id="people-role"
          name="role"
          label={t('角色', 'Role')}
          options={[{ value: '', text: t('全部角色', 'Every role') }, ...PERSON_ROLES.map((r) => ({ value: r, text: roleWord(language, r) }))]}
          selected={isRole(role) ? role : ''}
        />
        <Button variant="secondary">{t('查找', 'Search')}</Button>
      </form>
      <p class="meta">{t(`共 ${list.length} 人`, `${list.length} people`)}</p>
      <ul class="report-list people-list">
        {list.map((person) => {
          const facts = (
            <>
              <strong>
                {person.name} · {roleWord(language, person.role)}
                {person.active ? '' : ` · ${t('已停用', 'Deactivated')}`}
              </strong>
              <span class="meta">{person.email}</span>
              <span class="meta">{person.units.length ? person.units.map((u) => u.name).join('、') : t('全部单位', 'Every unit')}</span>
              <span class="meta">
                {person.lastSignIn === null ? t('从未登录', 'Never signed in') : t(`最近登录 ${beijingMinute(person.lastSignIn)}`, `Last signed in ${beijingMinute(person.lastSignIn)}`)}
              </span>
            </>
          );
          return (
            <li class={person.active ? 'report-item' : 'report-item person-inactive'}>
              {manages(viewer, person) ? (
                <a class="card" href={personHref(person.email)}>
                  {facts}
                </a>
              ) : (
                // Also in units outside the viewer's: theirs to see, someone else's to change.
                <div class="card">
                  {facts}
                  <span class="meta">{t('另属您管理范围以外的单位，不能在此修改', 'Also in units outside yours: not yours to change')}</span>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </AdminPage>,
  );
});

// ——— The form of a person ———

interface PersonForm {
  name: string;
  email: string;
  role: string;
  units: string[];
}

/** Name, (address,) role and units: what adding a person and their page ask. */
function PersonFields(p: { lang: Lang; form: PersonForm; errors: Errors; units: ManagedUnit[]; withEmail: boolean }) {
  const t = translator(p.lang);
  const field = (name: string) => ({ id: `person-${name}`, name, error: p.errors[name] });
  const chosen = new Set(p.form.units);
  return (
    <>
      <TextInput {...field('name')} label={t('姓名', 'Name')} value={p.form.name} autocomplete="off" />
      {p.withEmail ? (
        <TextInput
          {...field('email')}
          type="email"
          label={t('邮箱', 'Email')}
          hint={t('邀请和登录链接发到这个地址。', 'The invitation and sign-in links go to this address.')}
          value={p.form.email}
          autocomplete="off"
          spellcheck={false}
        />
      ) : null}
      <Select
        {...field('role')}
        label={t('角色', 'Role')}
        options={PERSON_ROLES.map((r) => ({ value: r, text: `${roleWord(p.lang, r)}（${t(ROLE_HINTS[r].zh, ROLE_HINTS[r].en)}）` }))}
        selected={p.form.role}
      />
      <Checkboxes
        {...field('units')}
        class="unit-choice"
        legend={t('所属单位', 'Units')}
        hint={t('填报人填写这些单位的报告；审核人审核其下级单位；管理员管理其及下级单位。', 'Clerks fill in these units’ reports; supervisors review the units below; administrators manage them and everything below.')}
        items={p.units
          .filter((u) => u.active || chosen.has(u.code))
          .map((u) => ({
            value: u.code,
            checked: chosen.has(u.code),
            label: (
              <>
                {u.name} <span class="code">{u.code}</span>
              </>
            ),
          }))}
      />
    </>
  );
}

/** The form's fields as read from a post. */
async function postedForm(c: Context<AppEnv>, fallback: Partial<PersonForm> = {}): Promise<PersonForm> {
  const body = await readForm(c, { all: true });
  const one = (name: string) => [body[name] ?? ''].flat()[0] ?? '';
  return {
    name: one('name'),
    email: fallback.email ?? one('email').trim(),
    role: one('role'),
    units: [body.units ?? []].flat().filter(Boolean),
  };
}

/** The rules of the form (the API's, in the form's words): the valid change, or the errors. */
function checkForm(language: Lang, viewer: Viewer, form: PersonForm) {
  const t = translator(language);
  const errors: Errors = {};
  const name = v.safeParse(displayName, form.name);
  if (!name.success) errors.name = form.name.trim() ? t('姓名不能超过 100 个字符，也不能换行', 'The name must be at most 100 characters on one line') : t('请输入姓名', 'Enter the name');
  const email = v.safeParse(Email, form.email);
  if (!email.success) errors.email = form.email ? t('请输入有效的邮箱，例如 name@example.gov.cn', 'Enter an email address like name@example.gov.cn') : t('请输入邮箱', 'Enter the email address');
  if (!isRole(form.role)) errors.role = t('请选择角色', 'Choose a role');
  else if (form.units.length === 0 && (form.role !== 'admin' || viewer.manageUnitIds !== null)) {
    errors.units = form.role === 'admin' ? t('请至少选择一个所属单位（管理员管理所选单位及其下级单位）', 'Choose at least one unit (an administrator manages the units chosen and everything below)') : t('请至少选择一个所属单位', 'Choose at least one unit');
  }
  return { errors, change: name.success && email.success && isRole(form.role) ? { name: name.output, email: email.output, role: form.role, units: form.units } : undefined };
}

/** putPerson's refusals, beside their field. */
function refusal(language: Lang, result: Exclude<Awaited<ReturnType<typeof putPerson>>, { ok: true }>): Errors {
  const t = translator(language);
  if ('unknownUnits' in result) return { units: t('所选单位不存在，请重新选择', 'A unit chosen does not exist: choose again') };
  const { field } = result.outOfScope;
  if (field === 'email') return { email: t('此人属于您管理范围以外的单位', 'This person belongs to units outside the ones you manage') };
  return { units: field === 'units' ? t('只有管理全部单位的管理员可以添加管理全部单位的管理员', 'Only an administrator of every unit can add an administrator of every unit') : t('所选单位不在您管理的范围内', 'A unit chosen is outside the units you manage') };
}

/** The invitation's link: the existing sign-in verification, which lands on /app. */
const verifyUrlOf = (c: Context<AppEnv>) => {
  const origin = mailOrigin(c);
  return (token: string) => `${origin}/auth/verify?token=${encodeURIComponent(token)}`;
};

/** Sends the person an invitation; the reason it was not sent, in words, otherwise. */
async function sendInvitation(c: Context<AppEnv>, email: string): Promise<string | undefined> {
  const t = translator(lang(c));
  const now = Date.now();
  const result = await invite(c.get('db'), c.get('viewer')!, email, verifyUrlOf(c), now);
  if (result.ok) {
    deliverSoon(c, now, 10);
    return undefined;
  }
  if (result.reason === 'too_many') {
    const minutes = Math.ceil(result.retryAfter / 60);
    return t(`每人每小时最多发送 ${INVITATION_LIMIT.perPerson} 次邀请，请 ${minutes} 分钟后再试`, `At most ${INVITATION_LIMIT.perPerson} invitations per person an hour: try again in ${minutes} minutes`);
  }
  if (result.reason === 'inactive') return t('此人已停用，不能发送邀请', 'This person is deactivated: no invitation can be sent');
  throw result.reason === 'unknown' ? notFound() : forbidden();
}

// ——— Adding ———

function NewPersonPage(p: { lang: Lang; form: PersonForm; errors: Errors; units: ManagedUnit[] }) {
  const t = translator(p.lang);
  return (
    <AdminPage lang={p.lang} title={t('添加人员', 'Add a person')} section="people">
      <Problems lang={p.lang} errors={p.errors} prefix="person" />
      <form method="post" action="/app/admin/people" class="form">
        <PersonFields lang={p.lang} form={p.form} errors={p.errors} units={p.units} withEmail />
        <p class="hint">{t(`添加后，系统会向此人发送邀请邮件，其中的登录链接 ${INVITATION_TTL_DAYS} 天内有效，只能使用一次。`, `Once added, the person is mailed an invitation with a sign-in link that works once, within ${INVITATION_TTL_DAYS} days.`)}</p>
        <Button>{t('添加并发送邀请', 'Add and send the invitation')}</Button>
      </form>
    </AdminPage>
  );
}

const managedUnitsOf = (c: Context<AppEnv>) => unitsInScope(c.get('db'), managedScope(c.get('viewer')!));

peoplePages.get('/new', async (c) => {
  const units = await managedUnitsOf(c);
  const unit = units.find((u) => u.code === c.req.query('unit'));
  return c.html(<NewPersonPage lang={lang(c)} form={{ name: '', email: '', role: 'clerk', units: unit ? [unit.code] : [] }} errors={{}} units={units} />);
});

peoplePages.post('/', async (c) => {
  const language = lang(c);
  const t = translator(language);
  const viewer = c.get('viewer')!;
  const form = await postedForm(c);
  const { errors, change } = checkForm(language, viewer, form);
  if (change && (await personByEmail(c.get('db'), change.email))) {
    errors.email = t('已有使用此邮箱的人员，请在人员列表中找到并修改', 'Someone has this address already: find them in the list to change them');
  }
  if (change && Object.keys(errors).length === 0) {
    // The person and their invitation are one batch: nobody is added without one.
    const now = Date.now();
    const verifyUrl = verifyUrlOf(c);
    const invitation = await newInvitation();
    await invitationAllowed(c.get('db'), change.email, now);
    const result = await putPerson(c.get('db'), viewer, change, now, {
      alongWithNew: (personId) => [...invitationStatements(c.get('db'), viewer, { id: personId, email: change.email, name: change.name }, invitation, verifyUrl, now)],
    });
    if (result.ok) {
      deliverSoon(c, now, 10);
      return c.redirect(`${personHref(change.email)}?done=${result.created ? 'invited' : 'saved'}`, 303);
    }
    Object.assign(errors, refusal(language, result));
  }
  return c.html(<NewPersonPage lang={language} form={form} errors={errors} units={await managedUnitsOf(c)} />, 422);
});

// ——— One person ———

async function PersonPage(c: Context<AppEnv>, person: PersonRow, form: PersonForm, errors: Errors) {
  const language = lang(c);
  const t = translator(language);
  const units = await unitsInScope(c.get('db'), managedScope(c.get('viewer')!));
  const href = personHref(person.email);
  return (
    <AdminPage lang={language} title={person.name} section="people">
      <Done lang={language} done={c.req.query('done')} />
      <Problems lang={language} errors={errors} prefix="person" />
      <SummaryList
        class="summary-list"
        rows={[
          [t('邮箱', 'Email'), person.email],
          [t('角色', 'Role'), roleWord(language, person.role)],
          [t('所属单位', 'Units'), person.units.length ? person.units.map((u) => u.name).join('、') : t('全部单位', 'Every unit')],
          [t('状态', 'State'), person.active ? t('使用中', 'Active') : t('已停用', 'Deactivated')],
          [t('最近登录', 'Last signed in'), person.lastSignIn === null ? t('从未登录', 'Never') : beijingMinute(person.lastSignIn)],
        ]}
      />
      <h2>{t('修改', 'Change')}</h2>
      <form method="post" action={href} class="form">
        <PersonFields lang={language} form={form} errors={errors} units={units} withEmail={false} />
        <Button>{t('保存', 'Save')}</Button>
      </form>
      {person.active ? (
        <>
          <h2>{t('邀请', 'Invitation')}</h2>
          <p>{t(`重新发送邀请邮件：新的登录链接 ${INVITATION_TTL_DAYS} 天内有效，之前发出的链接随即失效。`, `Send the invitation again: the new link works for ${INVITATION_TTL_DAYS} days, and the links sent before stop working.`)}</p>
          {errors.invite ? (
            <p class="field-message" id="person-invite">
              {errors.invite}
            </p>
          ) : null}
          <form method="post" action={`${href}/invite`}>
            <input type="hidden" name="send" value="1" />
            <Button variant="secondary">{t('重新发送邀请', 'Resend the invitation')}</Button>
          </form>
          {isSelf(c.get('viewer')!, person) ? null : (
            <>
              <h2>{t('停用', 'Deactivate')}</h2>
              <p>
                <Button variant="secondary" href={`${href}/deactivate`}>
                  {t('停用此人', 'Deactivate this person')}
                </Button>
              </p>
            </>
          )}
        </>
      ) : (
        <>
          <h2>{t('重新启用', 'Reactivate')}</h2>
          <form method="post" action={`${href}/reactivate`}>
            <Button>{t('重新启用此人', 'Reactivate this person')}</Button>
          </form>
        </>
      )}
    </AdminPage>
  );
}

const formOf = (person: PersonRow): PersonForm => ({ name: person.name, email: person.email, role: person.role, units: person.units.map((u) => u.code) });

peoplePages.get('/:email', async (c) => {
  const person = await managedPerson(c);
  return c.html(await PersonPage(c, person, formOf(person), {}));
});

peoplePages.post('/:email', async (c) => {
  const language = lang(c);
  const viewer = c.get('viewer')!;
  const person = await managedPerson(c);
  const form = await postedForm(c, { email: person.email });
  const { errors, change } = checkForm(language, viewer, form);
  // An administrator cannot take their own administration away: someone else must.
  if (isSelf(viewer, person) && change && change.role !== 'admin') errors.role = translator(language)('不能取消您自己的管理员角色', 'You cannot take away your own administrator role');
  if (change && Object.keys(errors).length === 0) {
    const result = await putPerson(c.get('db'), viewer, change, Date.now());
    if (result.ok) return c.redirect(`${personHref(person.email)}?done=saved`, 303);
    Object.assign(errors, refusal(language, result));
  }
  return c.html(await PersonPage(c, person, form, errors), 422);
});

peoplePages.post('/:email/invite', async (c) => {
  const person = await managedPerson(c);
  // A post without the page's field (not from its form) sends nothing.
  if ((await readForm(c)).send !== '1') return c.redirect(personHref(person.email), 303);
  const notSent = await sendInvitation(c, person.email);
  if (!notSent) return c.redirect(`${personHref(person.email)}?done=reinvited`, 303);
  return c.html(await PersonPage(c, person, formOf(person), { invite: notSent }), person.active ? 429 : 422);
});

peoplePages.get('/:email/deactivate', async (c) => {
  const language = lang(c);
  const t = translator(language);
  const person = await managedPerson(c);
  if (isSelf(c.get('viewer')!, person)) throw cannotDeactivateSelf();
  const href = personHref(person.email);
  return c.html(
    <AdminPage lang={language} title={t(`停用${person.name}？`, `Deactivate ${person.name}?`)} section="people">
      <p>{t('停用后：', 'Once deactivated:')}</p>
      <ul>
        <li>{t('此人立即退出登录，不能再登录；', 'they are signed out at once and can no longer sign in;')}</li>
        <li>{t('此人未使用的登录链接和审核链接全部失效，也不再收到提醒邮件；', 'their unused sign-in and approval links stop working, and they get no more reminders;')}</li>
        <li>{t('此人填写和审核过的报告及记录保持不变。', 'the reports they filled in or reviewed, and the records of it, stay as they are.')}</li>
      </ul>
      <p>{t('之后可以随时重新启用。', 'You can reactivate them at any time.')}</p>
      <form method="post" action={`${href}/deactivate`}>
        <input type="hidden" name="confirm" value="1" />
        <Button>{t('确认停用', 'Deactivate')}</Button> <Button variant="secondary" href={href}>{t('取消', 'Cancel')}</Button>
      </form>
    </AdminPage>,
  );
});

/** Sets the person's active state through putPerson (the rest as it is). */
async function setActive(c: Context<AppEnv>, active: boolean) {
  const person = await managedPerson(c);
  const body = await readForm(c);
  if (!active && isSelf(c.get('viewer')!, person)) throw cannotDeactivateSelf();
  // Deactivating only from the confirmation page's form, which says what it does.
  if (!active && body.confirm !== '1') return c.redirect(`${personHref(person.email)}/deactivate`, 303);
  const result = await putPerson(c.get('db'), c.get('viewer')!, { ...formOf(person), role: person.role, active }, Date.now());
  if (!result.ok) throw forbidden();
  return c.redirect(`${personHref(person.email)}?done=${active ? 'reactivated' : 'deactivated'}`, 303);
}

peoplePages.post('/:email/deactivate', (c) => setActive(c, false));
peoplePages.post('/:email/reactivate', (c) => setActive(c, true));
