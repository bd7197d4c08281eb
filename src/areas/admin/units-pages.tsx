// /app/admin/units: the units an administrator manages, as a tree that collapses without
// JavaScript (<details>), searchable by name or code (?q=, a GET form); creating a unit (added to
// the open cycle with a draft, in the same batch), and a unit's page: rename, move, deactivate or
// reactivate (never delete: its reports stay public), its people and its reports by year.
// Every write goes through src/auth/directory.ts putUnit, which checks the scope and the parent
// chain and audits the change; its refusals are shown beside the field they concern.
import { DoneNotice } from '../../views/done-notice';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { Child } from 'hono/jsx';
import { descendantsOf, putUnit } from '../../auth/directory';
import { canManage, managedScope, type Viewer } from '../../auth/scope';
import { translator, type Lang } from '../../core/i18n';
import type { ReportStatus } from '../../db/schema';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../http/errors';
import { readForm } from '../../http/form';
import { displayName, unitCode } from '../../http/input';
import { lang } from '../../http/lang';
import { currentCycle, draftForNewUnit } from '../../reports/cycles';
import { ancestorsOf, membersOf, reportsOfUnit, reportsOfYear, unitsInScope, unitWithCode, type ManagedUnit, type UnitMember } from '../../reports/jurisdiction';
import { AdminPage } from '../../views/admin-page';
import { Button, Checkboxes, ErrorSummary, Select, TextInput } from '../../views/forms';
import { SummaryList } from '../../views/summary-list';

export const unitPages = new Hono<AppEnv>();

/** Levels of the tree open when the page loads: the administered units and their children. */
const OPEN_DEPTH = 1;

type Errors = Record<string, string>;

const notFound = (code: string) => new ApiError(404, 'unknown_unit', `没有代码为“${code}”的单位。`, `There is no unit with code "${code}".`);
const forbidden = () => new ApiError(403, 'forbidden', '此单位不在您管理的范围内。', 'This unit is outside the units you manage.');

/** This year's report of a unit, in a word (未纳入: the unit is not expected in the cycle). */
const STATUS_WORDS: Record<ReportStatus | 'none', { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已提交', en: 'Submitted' },
  returned: { zh: '已退回', en: 'Returned' },
  published: { zh: '已发布', en: 'Published' },
  none: { zh: '未纳入', en: 'Not in the cycle' },
};

const ROLE_WORDS = { clerk: { zh: '填报人', en: 'Clerks' }, supervisor: { zh: '审核人', en: 'Supervisors' }, admin: { zh: '管理员', en: 'Administrators' } } as const;

/** What the units the viewer manages look like, read once per page. */
async function jurisdiction(c: Context<AppEnv>) {
  const db = c.get('db');
  const scope = managedScope(c.get('viewer')!);
  const [all, members, cycle] = await Promise.all([unitsInScope(db, scope), membersOf(db, scope), currentCycle(db)]);
  const statuses = cycle ? await reportsOfYear(db, cycle.year, scope) : new Map();
  const membersByUnit = new Map<number, UnitMember[]>();
  for (const m of members) {
    const list = membersByUnit.get(m.unitId);
    if (list) list.push(m);
    else membersByUnit.set(m.unitId, [m]);
  }
  return { all, membersByUnit, cycle, statuses };
}
type Jurisdiction = Awaited<ReturnType<typeof jurisdiction>>;

/** The unit a route's :code names, if the viewer manages it: 404 unknown, 403 outside. */
async function managedUnit(c: Context<AppEnv>, code: string): Promise<ManagedUnit> {
  const found = await unitWithCode(c.get('db'), code);
  if (!found) throw notFound(code);
  if (!canManage(c.get('viewer'), found.id)) throw forbidden();
  return found;
}

/** Names from the root down to the unit, among the units the viewer sees. */
function pathOf(unit: ManagedUnit, byId: Map<number, ManagedUnit>): string[] {
  const names: string[] = [];
  for (let u: ManagedUnit | undefined = unit; u && names.length < 50; u = u.parentId === null ? undefined : byId.get(u.parentId)) names.unshift(u.name);
  return names;
}

function StatusTag(p: { lang: Lang; code: string; year: number; report: { status: ReportStatus; expected: boolean } | undefined }) {
  const t = translator(p.lang);
  const key = p.report?.expected ? p.report.status : 'none';
  const word = t(STATUS_WORDS[key].zh, STATUS_WORDS[key].en);
  if (key === 'none') return <span class="tag tag-none">{`${p.year} · ${word}`}</span>;
  return (
    <a class={`tag tag-${key}`} href={`/app/reports/${p.code}/${p.year}`}>
      {`${p.year} · ${word}`}
    </a>
  );
}

/** The names of a unit's clerks and supervisors, one line each. */
function People(p: { lang: Lang; members: UnitMember[] }) {
  const t = translator(p.lang);
  const lines = (['clerk', 'supervisor'] as const)
    .map((role) => [role, p.members.filter((m) => m.role === role)] as const)
    .filter(([, list]) => list.length > 0);
  if (lines.length === 0) return <span class="meta unit-people">{t('尚无人员', 'No people yet')}</span>;
  return (
    <>
      {lines.map(([role, list]) => (
        <span class="meta unit-people">
          {t(ROLE_WORDS[role].zh, ROLE_WORDS[role].en)}：{list.map((m) => m.name).join('、')}
        </span>
      ))}
    </>
  );
}

/** One unit's line in the tree or in the search results. */
function UnitLine(p: { lang: Lang; unit: ManagedUnit; j: Jurisdiction; path?: string[] }) {
  const t = translator(p.lang);
  const { unit, j } = p;
  return (
    <div class={unit.active ? 'unit-line' : 'unit-line unit-inactive'}>
      <a href={`/app/admin/units/${unit.code}`} class="unit-name">
        {p.path ? p.path.join(' › ') : unit.name}
      </a>{' '}
      <span class="code">{unit.code}</span>
      {unit.active ? null : <span class="tag tag-inactive">{t('已停用', 'Deactivated')}</span>}
      {j.cycle ? <StatusTag lang={p.lang} code={unit.code} year={j.cycle.year} report={j.statuses.get(unit.id)} /> : null}
      <People lang={p.lang} members={(j.membersByUnit.get(unit.id) ?? []).filter((m) => m.active)} />
      {unit.active ? null : (
        <form method="post" action={`/app/admin/units/${unit.code}/reactivate`} class="inline-form">
          <Button variant="secondary">{t('重新启用', 'Reactivate')}</Button>
        </form>
      )}
    </div>
  );
}

function Tree(p: { lang: Lang; units: ManagedUnit[]; below: Map<number | null, ManagedUnit[]>; j: Jurisdiction; depth: number }): Child {
  return (
    <ul class="unit-tree">
      {p.units.map((unit) => {
        const below = p.below.get(unit.id) ?? [];
        if (below.length === 0)
          return (
            <li>
              <UnitLine lang={p.lang} unit={unit} j={p.j} />
            </li>
          );
        return (
          <li>
            <details open={p.depth < OPEN_DEPTH}>
              <summary>
                <UnitLine lang={p.lang} unit={unit} j={p.j} />
              </summary>
              <Tree lang={p.lang} units={below} below={p.below} j={p.j} depth={p.depth + 1} />
            </details>
          </li>
        );
      })}
    </ul>
  );
}

const DONE: Record<string, { zh: string; en: string }> = {
  created: { zh: '已新建单位。', en: 'The unit has been created.' },
  saved: { zh: '已保存。', en: 'Saved.' },
  deactivated: { zh: '已停用该单位。', en: 'The unit has been deactivated.' },
  reactivated: { zh: '已重新启用该单位。', en: 'The unit has been reactivated.' },
};

const Done = (p: { lang: Lang; done: string | undefined }) => <DoneNotice lang={p.lang} messages={DONE} done={p.done} />;

unitPages.get('/', async (c) => {
  const language = lang(c);
  const t = translator(language);
  const j = await jurisdiction(c);
  const q = (c.req.query('q') ?? '').trim();
  const byId = new Map(j.all.map((u) => [u.id, u]));
  const children = new Map<number | null, ManagedUnit[]>();
  for (const unit of j.all) {
    const parent = unit.parentId !== null && byId.has(unit.parentId) ? unit.parentId : null;
    const siblings = children.get(parent);
    if (siblings) siblings.push(unit);
    else children.set(parent, [unit]);
  }
  const needle = q.toLowerCase();
  const matches = q ? j.all.filter((u) => u.name.toLowerCase().includes(needle) || u.code.toLowerCase().includes(needle)) : [];
  return c.html(
    <AdminPage lang={language} title={t('单位', 'Units')} section="units">
      <Done lang={language} done={c.req.query('done')} />
      <p>
        <Button href="/app/admin/units/new">{t('新建单位', 'Create a unit')}</Button>
      </p>
      <form method="get" action="/app/admin/units" class="search-form" role="search">
        <TextInput id="unit-search" name="q" type="text" label={t('按名称或代码查找', 'Find by name or code')} value={q} />
        <Button variant="secondary">{t('查找', 'Search')}</Button>
      </form>
      {j.cycle ? <p class="meta">{t(`状态为 ${j.cycle.year} 年度报告的状态。`, `The status is that of the ${j.cycle.year} report.`)}</p> : null}
      {q ? (
        <section>
          <h2>{t(`找到 ${matches.length} 个单位`, `${matches.length} units found`)}</h2>
          <ul class="unit-tree unit-matches">
            {matches.map((unit) => (
              <li>
                <UnitLine lang={language} unit={unit} j={j} path={pathOf(unit, byId)} />
              </li>
            ))}
          </ul>
          <p>
            <a href="/app/admin/units">{t('显示全部单位', 'Show every unit')}</a>
          </p>
        </section>
      ) : (
        <Tree lang={language} units={children.get(null) ?? []} below={children} j={j} depth={0} />
      )}
    </AdminPage>,
  );
});

// ——— Creating ———

interface CreateForm {
  code: string;
  name: string;
  parent: string;
  joinCycle: boolean;
}

/** Where a unit may go: the active units the viewer manages (and, for an administrator of everything, the top). */
function parentOptions(language: Lang, viewer: Viewer, all: ManagedUnit[], except: Set<number> = new Set(), current?: { code: string; name: string } | null) {
  const t = translator(language);
  const options = all.filter((u) => u.active && !except.has(u.id)).map((u) => ({ value: u.code, text: `${u.name}（${u.code}）` }));
  // A unit kept under a parent the viewer does not manage (their own unit's) may stay there.
  if (current && !options.some((o) => o.value === current.code)) options.unshift({ value: current.code, text: `${current.name}（${current.code}）` });
  if (viewer.manageUnitIds === null || current === null) options.unshift({ value: '', text: t('（无：顶级单位）', '(none: a top-level unit)') });
  return options;
}

function CreatePage(p: { lang: Lang; viewer: Viewer; all: ManagedUnit[]; cycle: { year: number; status: string } | undefined; form: CreateForm; errors: Errors }) {
  const t = translator(p.lang);
  const field = (name: string) => ({ id: `unit-${name}`, name, error: p.errors[name] });
  return (
    <AdminPage lang={p.lang} title={t('新建单位', 'Create a unit')} section="units">
      {Object.keys(p.errors).length ? (
        <ErrorSummary title={t('请更正以下问题', 'There is a problem')} errors={Object.entries(p.errors).map(([name, text]) => ({ href: `#unit-${name}`, text }))} />
      ) : null}
      <form method="post" action="/app/admin/units" class="form">
        <TextInput
          {...field('code')}
          label={t('单位代码', 'Unit code')}
          hint={t('字母、数字、“-”或“_”，例如统一社会信用代码；出现在公开网址中，建成后不能修改。', 'Letters, digits, "-" or "_", e.g. the unified social credit code; it appears in public addresses and cannot change later.')}
          value={p.form.code}
          autocomplete="off"
          spellcheck={false}
        />
        <TextInput {...field('name')} label={t('单位名称', 'Unit name')} value={p.form.name} />
        <Select {...field('parent')} label={t('上级单位', 'Parent unit')} options={parentOptions(p.lang, p.viewer, p.all)} selected={p.form.parent} />
        {p.cycle?.status === 'open' ? (
          <Checkboxes
            {...field('join_cycle')}
            legend={t('报告周期', 'Reporting cycle')}
            items={[{ value: '1', checked: p.form.joinCycle, label: t(`加入 ${p.cycle.year} 年度报告周期`, `Add to the ${p.cycle.year} reporting cycle`) }]}
            hint={t('为该单位新建本年度报告草稿。', 'Creates a draft of this year’s report for the unit.')}
          />
        ) : null}
        <Button>{t('新建单位', 'Create the unit')}</Button>
      </form>
    </AdminPage>
  );
}

unitPages.get('/new', async (c) => {
  const viewer = c.get('viewer')!;
  const j = await jurisdiction(c);
  const wanted = c.req.query('parent');
  const parent = j.all.find((u) => u.code === wanted && u.active)?.code ?? (viewer.manageUnitIds === null ? '' : (j.all.find((u) => viewer.adminUnitIds.includes(u.id))?.code ?? ''));
  return c.html(<CreatePage lang={lang(c)} viewer={viewer} all={j.all} cycle={j.cycle} form={{ code: '', name: '', parent, joinCycle: true }} errors={{}} />);
});

/** The schema's first message in the page's language (messages are '中文|English'). */
const message = (issues: readonly { message: string }[], language: Lang) => {
  const [zh, en] = (issues[0]?.message ?? '').split('|');
  return language === 'en' ? (en ?? zh ?? '') : (zh ?? '');
};

/** The reasons putUnit refuses, beside the field they concern. */
function refusal(language: Lang, code: string, result: Exclude<Awaited<ReturnType<typeof putUnit>>, { ok: true }>): Errors {
  const t = translator(language);
  switch (result.reason) {
    case 'exists':
      return { code: t(`已有代码为“${code}”的单位，请换一个代码`, `A unit with code "${code}" exists: choose another code`) };
    case 'out_of_scope':
      return result.field === 'code'
        ? { code: t('此单位不在您管理的范围内', 'This unit is outside the units you manage') }
        : { parent: result.code ? t('上级单位不在您管理的范围内', 'The parent unit is outside the units you manage') : t('只有管理全部单位的管理员可以设置顶级单位', 'Only an administrator of every unit can make a top-level unit') };
    case 'parent_is_self':
      return { parent: t('上级单位不能是该单位自身', 'The parent must not be the unit itself') };
    case 'unknown_parent':
      return { parent: t('请选择上级单位', 'Choose the parent unit') };
    case 'parent_below':
      return { parent: t('不能移到自己的下级单位之下', 'A unit cannot go under a unit below it') };
  }
}

unitPages.post('/', async (c) => {
  const viewer = c.get('viewer')!;
  const language = lang(c);
  const t = translator(language);
  const body = await readForm(c);
  const form: CreateForm = { code: (body.code ?? '').trim(), name: body.name ?? '', parent: body.parent ?? '', joinCycle: body.join_cycle === '1' };
  const errors: Errors = {};
  const code = v.safeParse(unitCode, form.code);
  if (!code.success) errors.code = form.code ? t('单位代码只能包含字母、数字、“-”或“_”，最多 64 个字符', 'Use letters, digits, "-" or "_" only, at most 64 characters') : t('请输入单位代码', 'Enter the unit code');
  const name = v.safeParse(displayName, form.name);
  if (!name.success) errors.name = form.name.trim() ? message(name.issues, language) : t('请输入单位名称', 'Enter the unit name');
  const cycle = await currentCycle(c.get('db'));
  if (Object.keys(errors).length === 0) {
    const joining = form.joinCycle && cycle?.status === 'open' ? cycle : undefined;
    const now = Date.now();
    const result = await putUnit(
      c.get('db'),
      viewer,
      { code: form.code, name: name.success ? name.output : form.name, parent: form.parent || null },
      now,
      { createOnly: true, ...(joining ? { alongWithNew: (unitId) => draftForNewUnit(c.get('db'), unitId, joining, viewer, now) } : {}) },
    );
    if (result.ok) return c.redirect(`/app/admin/units/${form.code}?done=created`, 303);
    Object.assign(errors, refusal(language, form.code, result));
  }
  const j = await jurisdiction(c);
  return c.html(<CreatePage lang={language} viewer={viewer} all={j.all} cycle={j.cycle} form={form} errors={errors} />, 422);
});

// ——— One unit ———

interface EditForm {
  name: string;
  parent: string;
}

async function UnitPage(c: Context<AppEnv>, unit: ManagedUnit, form: EditForm, errors: Errors) {
  const language = lang(c);
  const t = translator(language);
  const viewer = c.get('viewer')!;
  const db = c.get('db');
  const [managed, members, reports, ancestors, below] = await Promise.all([
    unitsInScope(db, managedScope(viewer)),
    membersOf(db, [unit.id]),
    reportsOfUnit(db, unit.id),
    ancestorsOf(db, unit.id),
    descendantsOf(db, [unit.id]),
  ]);
  const parent = ancestors.at(-1) ?? null;
  const field = (name: string) => ({ id: `unit-${name}`, name, error: errors[name] });
  return (
    <AdminPage lang={language} title={unit.name} section="units">
      <Done lang={language} done={c.req.query('done')} />
      {Object.keys(errors).length ? (
        <ErrorSummary title={t('请更正以下问题', 'There is a problem')} errors={Object.entries(errors).map(([name, text]) => ({ href: `#unit-${name}`, text }))} />
      ) : null}
      <SummaryList
        class="summary-list"
        rows={[
          [t('单位代码', 'Unit code'), <span class="code">{unit.code}</span>],
          [t('上级单位', 'Parent unit'), parent ? ancestors.map((u) => u.name).join(' › ') : t('（无：顶级单位）', '(none: a top-level unit)')],
          [t('状态', 'State'), unit.active ? t('使用中', 'Active') : t('已停用', 'Deactivated')],
        ]}
      />
      <h2>{t('修改', 'Change')}</h2>
      <form method="post" action={`/app/admin/units/${unit.code}`} class="form">
        <TextInput {...field('name')} label={t('单位名称', 'Unit name')} value={form.name} />
        <Select
          {...field('parent')}
          label={t('上级单位', 'Parent unit')}
          options={parentOptions(language, viewer, managed, new Set([unit.id, ...below]), parent ? { code: parent.code, name: parent.name } : null)}
          selected={form.parent}
        />
        <Button>{t('保存', 'Save')}</Button>
      </form>
      <h2>{t('人员', 'People')}</h2>
      {members.length === 0 ? (
        <p>{t('尚无人员。', 'No people yet.')}</p>
      ) : (
        <ul class="unit-list">
          {members.map((m) => (
            <li>
              <a href={`/app/admin/people/${encodeURIComponent(m.email)}`}>{m.name}</a> <span class="code">{m.email}</span> · {t(ROLE_WORDS[m.role].zh, ROLE_WORDS[m.role].en)}
              {m.active ? null : <span class="tag tag-inactive">{t('已停用', 'Deactivated')}</span>}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`/app/admin/people/new?unit=${encodeURIComponent(unit.code)}`}>{t('为此单位添加人员', 'Add a person to this unit')}</a> ·{' '}
        <a href={`/app/admin/units/new?parent=${encodeURIComponent(unit.code)}`}>{t('在此单位下新建单位', 'Create a unit below this one')}</a>
      </p>
      <h2>{t('各年度报告', 'Reports by year')}</h2>
      {reports.length === 0 ? (
        <p>{t('尚无报告。', 'No reports yet.')}</p>
      ) : (
        <ul class="unit-list">
          {reports.map((r) => (
            <li>
              <a href={`/app/reports/${unit.code}/${r.year}`}>{t(`${r.year} 年度`, `${r.year}`)}</a> ·{' '}
              {t(STATUS_WORDS[r.expected || r.status === 'published' ? r.status : 'none'].zh, STATUS_WORDS[r.expected || r.status === 'published' ? r.status : 'none'].en)}
              {r.publishedVersion > 0 ? (
                <>
                  {' · '}
                  <a href={`/reports/${unit.code}/${r.year}`}>{t('公开页面', 'Public page')}</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h2>{unit.active ? t('停用', 'Deactivate') : t('重新启用', 'Reactivate')}</h2>
      {unit.active ? (
        <p>
          <Button variant="secondary" href={`/app/admin/units/${unit.code}/deactivate`}>
            {t('停用此单位', 'Deactivate this unit')}
          </Button>
        </p>
      ) : (
        <form method="post" action={`/app/admin/units/${unit.code}/reactivate`}>
          <Button>{t('重新启用此单位', 'Reactivate this unit')}</Button>
        </form>
      )}
    </AdminPage>
  );
}

unitPages.get('/:code', async (c) => {
  const unit = await managedUnit(c, c.req.param('code'));
  const parent = (await ancestorsOf(c.get('db'), unit.id)).at(-1);
  return c.html(await UnitPage(c, unit, { name: unit.name, parent: parent?.code ?? '' }, {}));
});

unitPages.post('/:code', async (c) => {
  const language = lang(c);
  const t = translator(language);
  const unit = await managedUnit(c, c.req.param('code'));
  const body = await readForm(c);
  const form: EditForm = { name: body.name ?? '', parent: body.parent ?? '' };
  const errors: Errors = {};
  const name = v.safeParse(displayName, form.name);
  if (!name.success) errors.name = form.name.trim() ? message(name.issues, language) : t('请输入单位名称', 'Enter the unit name');
  if (Object.keys(errors).length === 0) {
    const result = await putUnit(c.get('db'), c.get('viewer')!, { code: unit.code, name: name.success ? name.output : form.name, parent: form.parent || null }, Date.now());
    if (result.ok) return c.redirect(`/app/admin/units/${unit.code}?done=saved`, 303);
    Object.assign(errors, refusal(language, unit.code, result));
  }
  return c.html(await UnitPage(c, unit, form, errors), 422);
});

// ——— Deactivating and reactivating ———

unitPages.get('/:code/deactivate', async (c) => {
  const language = lang(c);
  const t = translator(language);
  const unit = await managedUnit(c, c.req.param('code'));
  return c.html(
    <AdminPage lang={language} title={t(`停用${unit.name}？`, `Deactivate ${unit.name}?`)} section="units">
      <p>{t('停用后：', 'Once deactivated:')}</p>
      <ul>
        <li>{t('该单位退出进行中的报告周期，不再收到提醒邮件，也不计为逾期；重新启用后恢复；', 'the unit leaves the open reporting cycles: no more reminders, not counted as late (until it is reactivated);')}</li>
        <li>{t('新的报告周期不再为它建立草稿；', 'new reporting cycles create no draft for it;')}</li>
        <li>{t('已发布的报告和历史记录仍然公开，不会删除。', 'its published reports and history stay public: nothing is deleted.')}</li>
      </ul>
      <p>{t('之后可以随时重新启用。', 'You can reactivate it at any time.')}</p>
      <form method="post" action={`/app/admin/units/${unit.code}/deactivate`}>
        <input type="hidden" name="confirm" value="1" />
        <Button>{t('确认停用', 'Deactivate')}</Button> <Button variant="secondary" href={`/app/admin/units/${unit.code}`}>{t('取消', 'Cancel')}</Button>
      </form>
    </AdminPage>,
  );
});

/** Sets the unit's active state through putUnit (name and parent as they are). */
async function setActive(c: Context<AppEnv>, active: boolean) {
  const unit = await managedUnit(c, c.req.param('code')!);
  // Deactivating only from the confirmation page's form, which says what it does.
  if (!active && (await readForm(c)).confirm !== '1') return c.redirect(`/app/admin/units/${unit.code}/deactivate`, 303);
  if (active) await readForm(c);
  const result = await putUnit(c.get('db'), c.get('viewer')!, { code: unit.code, name: unit.name, active }, Date.now());
  if (!result.ok) throw forbidden();
  return c.redirect(`/app/admin/units/${unit.code}?done=${active ? 'reactivated' : 'deactivated'}`, 303);
}

unitPages.post('/:code/deactivate', (c) => setActive(c, false));
unitPages.post('/:code/reactivate', (c) => setActive(c, true));
