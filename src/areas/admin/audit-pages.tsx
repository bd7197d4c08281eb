// /app/admin/audit: who changed what, and when — every audit event newest first, 50 a page, with
// its unit or report and what changed as before → after per field. Filters (a GET form, so it
// works without JavaScript and a filtered view is a link to share): unit (and everything below
// it), actor, action, Beijing dates. Scope: src/reports/audit-log.ts.
import { Hono } from 'hono';
import { statusName, type Status } from '../../core';
import { beijingDate, beijingMinute } from '../../core/time';
import { translator, type Lang, type Localized } from '../../core/i18n';
import { unitSubtree } from '../../auth/directory';
import type { Viewer } from '../../auth/scope';
import type { AppEnv } from '../../http/app-env';
import { lang } from '../../http/lang';
import { auditLog, type AuditCursor, type AuditFilter, type AuditLogEntry, type AuditScope } from '../../reports/audit-log';
import { AdminPage } from '../../views/admin-page';
import { ErrorSummary } from '../../views/forms';

export const auditPages = new Hono<AppEnv>();

/** Every action the app records, as people name it (the filter's choices, in this order). */
const ACTIONS: Record<string, Localized> = {
  'unit.create': { zh: '新建单位', en: 'Unit created' },
  'unit.update': { zh: '修改单位', en: 'Unit changed' },
  'person.create': { zh: '添加人员', en: 'Person added' },
  'person.update': { zh: '修改人员', en: 'Person changed' },
  'cycle.create': { zh: '开启报告周期', en: 'Cycle opened' },
  'cycle.update': { zh: '修改报告周期', en: 'Cycle changed' },
  'report.create': { zh: '创建报告', en: 'Report created' },
  'report.save': { zh: '保存报告', en: 'Report saved' },
  'report.submit': { zh: '提交审核', en: 'Submitted for review' },
  'report.approve': { zh: '审核通过并发布', en: 'Approved and published' },
  'report.return': { zh: '退回修改', en: 'Returned for changes' },
  'report.reopen': { zh: '重新打开以更正', en: 'Reopened for a correction' },
  'report.import': { zh: '导入已发布的报告', en: 'Imported as published' },
  'report.remind': { zh: '发送提醒', en: 'Reminder sent' },
  'mail.resend': { zh: '重新发送邮件', en: 'Mail sent again' },
};

/** Field names in before/after, as people name them. */
const FIELDS: Record<string, Localized> = {
  status: { zh: '状态', en: 'Status' },
  name: { zh: '名称', en: 'Name' },
  code: { zh: '代码', en: 'Code' },
  parent: { zh: '上级单位', en: 'Parent' },
  active: { zh: '启用', en: 'Active' },
  email: { zh: '邮箱', en: 'Email' },
  role: { zh: '角色', en: 'Role' },
  units: { zh: '所属单位', en: 'Units' },
  template: { zh: '报告格式', en: 'Template' },
  deadline: { zh: '截止时间', en: 'Deadline' },
  reminder_days: { zh: '提醒天数', en: 'Reminder days' },
  attempts: { zh: '尝试次数', en: 'Attempts' },
  last_error: { zh: '失败原因', en: 'Last error' },
  year: { zh: '年度', en: 'Year' },
  version: { zh: '版本', en: 'Version' },
  published_version: { zh: '已发布版本', en: 'Published version' },
  revision: { zh: '稿次', en: 'Revision' },
  published_at: { zh: '发布时间', en: 'Published' },
  content_hash: { zh: '内容指纹', en: 'Content hash' },
  drafts_created: { zh: '新建草稿', en: 'Drafts created' },
  prefilled: { zh: '沿用上年内容', en: 'Carried over' },
  units_added: { zh: '新增应报单位', en: 'Units added' },
  units_released: { zh: '不再应报的单位', en: 'Units released' },
  carried_in_from_last_year: { zh: '沿用上年内容', en: 'Carried over from last year' },
  errors: { zh: '错误', en: 'Errors' },
  warnings: { zh: '提示', en: 'Warnings' },
  day: { zh: '日期', en: 'Day' },
  to: { zh: '收件人', en: 'To' },
  message: { zh: '邮件编号', en: 'Message' },
  kind: { zh: '类型', en: 'Kind' },
  subject: { zh: '主题', en: 'Subject' },
};

const ROLES: Record<string, Localized> = {
  clerk: { zh: '填报人', en: 'Clerk' },
  supervisor: { zh: '审核人', en: 'Supervisor' },
  admin: { zh: '管理员', en: 'Administrator' },
};

const STATUSES = ['draft', 'returned', 'submitted', 'published'];

/** A value as a line of text: times in Beijing, statuses named, lists joined. */
function shown(key: string, value: unknown, l: Lang): string {
  const t = translator(l);
  if (value === null || value === undefined || value === '') return '—';
  if ((key === 'deadline' || key === 'published_at') && typeof value === 'number') return beijingMinute(value);
  if (key === 'role' && typeof value === 'string' && ROLES[value]) return t(ROLES[value]!);
  // A fingerprint is told apart by its start.
  if (key === 'content_hash' && typeof value === 'string') return `${value.slice(0, 12)}…`;
  if (key === 'status' && typeof value === 'string' && STATUSES.includes(value)) return t(statusName(value as Status));
  if (typeof value === 'boolean') return value ? t('是', 'yes') : t('否', 'no');
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(l === 'en' ? ', ' : '、') || '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

/** What the event changed, field by field: the detail's before → after, and the report's status. */
export function changesOf(e: Pick<AuditLogEntry, 'fromStatus' | 'toStatus' | 'detail'>): { changes: Change[]; facts: [string, unknown][] } {
  const changes: Change[] = [];
  if (e.toStatus !== null && e.fromStatus !== e.toStatus) changes.push({ field: 'status', before: e.fromStatus, after: e.toStatus });
  const detail = e.detail ?? {};
  const before = detail.before && typeof detail.before === 'object' ? (detail.before as Record<string, unknown>) : null;
  const after = detail.after && typeof detail.after === 'object' ? (detail.after as Record<string, unknown>) : null;
  if ('before' in detail || 'after' in detail) {
    for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
      const [b, a] = [before?.[field], after?.[field]];
      // Unchanged as people read it ([] and absent are both "none"): not a change.
      if (shown(field, b, 'zh') !== shown(field, a, 'zh')) changes.push({ field, before: b, after: a });
    }
  }
  const facts = Object.entries(detail).filter(([k]) => k !== 'before' && k !== 'after');
  return { changes, facts };
}

function Entry({ e, lang: l }: { e: AuditLogEntry; lang: Lang }) {
  const t = translator(l);
  const action = ACTIONS[e.action];
  const { changes, facts } = changesOf(e);
  return (
    <li class="progress-item" data-event={e.id} data-action={e.action}>
      <strong>{action ? t(action) : e.action}</strong>
      {e.unitName ? (
        <>
          {' · '}
          {e.reportYear !== null ? <a href={`/app/reports/${e.unitCode}/${e.reportYear}`}>{`${e.unitName} ${e.reportYear}`}</a> : e.unitName}{' '}
          <span class="code">{e.unitCode}</span>
        </>
      ) : null}
      <span class="detail">
        <time>{beijingMinute(e.at)}</time> · {e.actorName ? `${e.actorName}（${e.actor}）` : e.actor}
      </span>
      {changes.length ? (
        <ul class="audit-changes">
          {changes.map((c) => (
            <li>
              {FIELDS[c.field] ? t(FIELDS[c.field]!) : c.field}
              {/* Something created has no "before". */}：{c.before === undefined || c.before === null ? null : <><del>{shown(c.field, c.before, l)}</del> → </>}
              <ins>{shown(c.field, c.after, l)}</ins>
            </li>
          ))}
        </ul>
      ) : null}
      {facts.length ? (
        <span class="detail">
          {facts.map(([k, v]) => `${FIELDS[k] ? t(FIELDS[k]!) : k}: ${shown(k, v, l)}`).join(' · ')}
        </span>
      ) : null}
      {e.comment ? (
        <span class="detail">
          {t('说明：', 'Note: ')}
          {e.comment}
        </span>
      ) : null}
    </li>
  );
}

/** 'YYYY-MM-DD' → the instant its Beijing day starts, or undefined when it is no date. */
function beijingDayStart(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00+08:00`);
  return Number.isNaN(ms) || beijingDate(ms) !== text ? undefined : ms;
}

const scopeOf = (viewer: Viewer): AuditScope => (viewer.manageUnitIds === null ? 'all' : { unitIds: viewer.manageUnitIds, personId: viewer.personId });

auditPages.get('/', async (c) => {
  const viewer = c.get('viewer')!;
  const l = lang(c);
  const t = translator(l);
  const q = (name: string) => (c.req.query(name) ?? '').trim().slice(0, 200);
  const form = { unit: q('unit'), actor: q('actor'), action: q('action'), from: q('from'), to: q('to') };
  const errors: { id: string; text: string }[] = [];
  const filter: AuditFilter = {};
  if (form.unit) {
    const ids = await unitSubtree(c.get('db'), form.unit);
    if (ids) filter.unitIds = ids;
    else errors.push({ id: 'audit-unit', text: t(`没有代码为“${form.unit}”的单位`, `There is no unit with code "${form.unit}"`) });
  }
  if (form.actor) filter.actor = form.actor;
  if (form.action) {
    if (ACTIONS[form.action]) filter.action = form.action;
    else errors.push({ id: 'audit-action', text: t('请选择列表中的操作', 'Choose an action from the list') });
  }
  for (const [key, id] of [['from', 'audit-from'], ['to', 'audit-to']] as const) {
    if (!form[key]) continue;
    const start = beijingDayStart(form[key]);
    if (start === undefined) errors.push({ id, text: t('请输入有效的日期，例如 2026-01-31', 'Enter a real date, e.g. 2026-01-31') });
    // "to" includes its whole day.
    else filter[key] = key === 'to' ? start + 86_400_000 : start;
  }
  const cursor = /^(\d{1,16})\.(\d{1,16})$/.exec(c.req.query('after') ?? '');
  const after: AuditCursor | undefined = cursor ? { at: Number(cursor[1]), id: Number(cursor[2]) } : undefined;
  const { rows, next } = errors.length ? { rows: [], next: null } : await auditLog(c.get('db'), scopeOf(viewer), filter, after);
  const kept = Object.fromEntries(Object.entries(form).filter(([, v]) => v));
  const link = (extra: Record<string, string>) => `/app/admin/audit?${new URLSearchParams({ ...kept, ...extra })}`;
  const errorOf = (id: string) => errors.find((e) => e.id === id)?.text;
  const Input = ({ id, name, label, type = 'text', hint }: { id: string; name: keyof typeof form; label: string; type?: string; hint?: string }) => (
    <label for={id} class={errorOf(id) ? 'field-error' : undefined}>
      {label}
      {hint ? <span class="hint">{hint}</span> : null}
      {errorOf(id) ? <span class="field-message">{errorOf(id)}</span> : null}
      <input id={id} name={name} type={type} value={form[name]} aria-invalid={errorOf(id) ? 'true' : undefined} />
    </label>
  );
  return c.html(
    <AdminPage lang={l} title={t('操作记录', 'Audit log')} section="audit">
      {viewer.manageUnitIds === null ? null : (
        <p class="hint">{t('列出您所管理单位的记录和您本人的操作；人员、周期等不属于单位的记录只有管理全部单位的管理员可见。', 'Events of the units you manage and your own actions; events of no unit (people, cycles) are shown to administrators of every unit only.')}</p>
      )}
      {errors.length ? <ErrorSummary title={t('请更正以下问题', 'There is a problem')} errors={errors.map((e) => ({ href: `#${e.id}`, text: e.text }))} /> : null}
      <form method="get" action="/app/admin/audit" class="filter" role="search">
        <Input id="audit-unit" name="unit" label={t('单位代码（含下级）', 'Unit code (and below)')} />
        <Input id="audit-actor" name="actor" label={t('操作人', 'Actor')} />
        <label for="audit-action" class={errorOf('audit-action') ? 'field-error' : undefined}>
          {t('操作', 'Action')}
          {errorOf('audit-action') ? <span class="field-message">{errorOf('audit-action')}</span> : null}
          <select id="audit-action" name="action">
            <option value="">{t('全部（不含保存）', 'All (saves left out)')}</option>
            {Object.entries(ACTIONS).map(([key, name]) => (
              <option value={key} selected={key === form.action}>
                {t(name)}
              </option>
            ))}
          </select>
        </label>
        <Input id="audit-from" name="from" type="date" label={t('起始日期', 'From')} />
        <Input id="audit-to" name="to" type="date" label={t('截止日期', 'To')} />
        <button type="submit" class="button button-secondary">
          {t('筛选', 'Filter')}
        </button>
      </form>
      <p class="hint">{t('时间均为北京时间。', 'Times are Beijing time.')}</p>
      {rows.length === 0 ? (
        <p>{t('没有符合条件的记录。', 'No events match.')}</p>
      ) : (
        <ol class="progress-list audit-log">
          {rows.map((e) => (
            <Entry e={e} lang={l} />
          ))}
        </ol>
      )}
      <p>
        {after ? <a href={link({})}>{t('最新的记录', 'Newest')}</a> : null}
        {after && next ? ' · ' : null}
        {next ? <a href={link({ after: `${next.at}.${next.id}` })}>{t('更早的记录', 'Older')}</a> : null}
      </p>
    </AdminPage>,
    errors.length ? 422 : 200,
  );
});
