// /app/cycles/{year} (administrators): what PUT /api/v1/admin/cycles/{year} sets — template,
// deadline, reminder days, units — as a form that works without JavaScript, with the reminder
// calendar it implies in Beijing time.
import { Hono } from 'hono';
import * as v from 'valibot';
import { beijingMinute, defaultDeadline, getTemplate, nextCycleYear, reminderCalendar, templateForYear, TEMPLATES } from '../../core';
import { requireViewer } from '../../http/auth';
import { managesEverything } from '../../auth/scope';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../http/errors';
import { readForm } from '../../http/form';
import { CYCLE_YEARS, cycleDeadlineLocal, cycleYearText, pathYear, REMINDER_DAYS, reminderDaysText } from '../../http/input';
import { lang } from '../../http/lang';
import { translator, type Lang } from '../../core/i18n';
import { cycleYears, loadCycle, putCycle, unitChoices, type Cycle } from '../../reports/cycles';
import { Button, Checkboxes, ErrorSummary, Select, TextInput } from '../../views/forms';
import { Layout } from '../../views/layout';

export const cyclePages = new Hono<AppEnv>();

/** A cycle covers the whole jurisdiction: only an administrator of every unit sets it. */
const cyclesForbidden = () => new ApiError(403, 'forbidden', '只有管理全部单位的管理员可以设置报告周期。', 'Only an administrator of every unit can set up reporting cycles.');

const DEFAULT_DAYS = [30, 14, 7, 3, 1, 0];

interface CycleForm {
  /** Every active unit, and whether it is expected to report. */
  units: { id: number; code: string; name: string; expected: boolean }[];
  template: string;
  /** 'YYYY-MM-DDTHH:MM' in Beijing, as <input type="datetime-local"> gives it. */
  deadline: string;
  days: string;
}

const localBeijing = (ms: number) => beijingMinute(ms).replace(' ', 'T');

const fieldId = (name: string) => `cycle-${name}`;

/** What `schema` reads `text` to, or undefined when it breaks a rule. */
function parsed<S extends v.GenericSchema>(schema: S, text: string): v.InferOutput<S> | undefined {
  const result = v.safeParse(schema, text);
  return result.success ? result.output : undefined;
}

function CyclePage(p: { lang: Lang; year: number; cycle?: Cycle; form: CycleForm; errors: Record<string, string>; saved?: string; unitCount?: number; next?: number | undefined }) {
  const t = translator(p.lang);
  // The calendar of what was typed, once it is within the rules (an absurd day would be no date).
  const deadline = parsed(cycleDeadlineLocal, p.form.deadline);
  const days = parsed(reminderDaysText, p.form.days);
  const calendar = deadline !== undefined && days !== undefined ? reminderCalendar(deadline, days) : [];
  /** A field's id, name and error; the error summary links to the same id. */
  const field = (name: keyof CycleForm) => ({ id: fieldId(name), name, error: p.errors[name] });
  return (
    <Layout title={t(`${p.year} 年度报告周期 · 年报`, `${p.year} reporting cycle · Nianbao`)} lang={p.lang}>
      <p class="breadcrumb">
        <a href="/app">{t('工作台', 'My work')}</a> · <a href={`/app/progress/${p.year}`}>{t('填报进度', 'Progress')}</a>
      </p>
      <h1>{t(`${p.year} 年度报告周期`, `${p.year} reporting cycle`)}</h1>
      {p.saved ? <p class="notice" role="status">{p.saved}</p> : null}
      {Object.keys(p.errors).length ? (
        <ErrorSummary
          title={t('请更正以下问题', 'There is a problem')}
          errors={Object.entries(p.errors).map(([name, message]) => ({ href: `#${fieldId(name)}`, text: message }))}
        />
      ) : null}
      <form method="post" action={`/app/cycles/${p.year}`} class="form">
        <Select
          {...field('template')}
          label={t('报告格式', 'Template')}
          options={TEMPLATES.map((tpl) => ({ value: tpl.id, text: `${tpl.id} · ${tpl.title}` }))}
          selected={p.form.template}
        />
        <TextInput
          {...field('deadline')}
          type="datetime-local"
          label={t('截止时间（北京时间）', 'Deadline (Beijing time)')}
          hint={t('县级以上人民政府部门为次年 1 月 31 日；乡镇由县级确定。', 'County-level departments: 31 January; towns get their date from the county.')}
          value={p.form.deadline}
        />
        {/* A list of numbers, so text with the numeric keypad rather than a NumberInput. */}
        <TextInput
          {...field('days')}
          label={t('提前提醒天数', 'Reminder days before the deadline')}
          hint={t('用逗号分隔，例如 30,14,7,3,1,0（0 为截止当天）', 'Comma separated, e.g. 30,14,7,3,1,0 (0 = the deadline day)')}
          inputmode="numeric"
          value={p.form.days}
        />
        <Checkboxes
          {...field('units')}
          class="unit-choice"
          legend={t('应报单位', 'Units expected to report')}
          items={p.form.units.map((u) => ({
            value: u.code,
            checked: u.expected,
            label: (
              <>
                {u.name} <span class="code">{u.code}</span>
              </>
            ),
          }))}
        />
        <Button>{p.cycle ? t('保存', 'Save') : t('开启报告周期', 'Open the cycle')}</Button>
      </form>
      {p.cycle ? <p>{t(`应报单位 ${p.cycle.unitsExpected} 个。`, `${p.cycle.unitsExpected} units are expected to report.`)}</p> : null}
      {p.next !== undefined && p.next !== p.year ? (
        <p>
          <a href={`/app/cycles/${p.next}`}>{t(`开启 ${p.next} 年度报告周期`, `Open the ${p.next} cycle`)}</a>
        </p>
      ) : null}
      <section>
        <h2>{t('提醒日历（北京时间 09:00 发送）', 'Reminder calendar (sent 09:00 Beijing time)')}</h2>
        <ul class="calendar" data-calendar="">
          {calendar.map((entry) => (
            <li>
              {entry.date} · {entry.offset === 0 ? t('截止当天', 'deadline day') : t(`提前 ${entry.offset} 天`, `${entry.offset} days before`)}
            </li>
          ))}
          {deadline !== undefined ? <li>{beijingMinute(deadline + 86_400_000).slice(0, 10)} · {t('逾期通知（未提交的单位及其上级审核人）', 'overdue notices (units not submitted, and their supervisors)')}</li> : null}
        </ul>
      </section>
    </Layout>
  );
}

cyclePages.get('/:year', requireViewer, async (c) => {
  c.header('Cache-Control', 'no-store');
  if (!managesEverything(c.get('viewer'))) throw cyclesForbidden();
  const year = pathYear(c.req.param('year'), cycleYearText);
  if (year === undefined) throw new ApiError(404, 'not_found', '找不到该资源。', 'Not found.');
  const cycle = await loadCycle(c.get('db'), year);
  const choices = await unitChoices(c.get('db'), year, !cycle);
  const form: CycleForm = cycle
    ? { units: choices, template: cycle.template, deadline: localBeijing(cycle.deadline), days: cycle.reminderDays.join(',') }
    : { units: choices, template: templateForYear(year).id, deadline: localBeijing(defaultDeadline(year)), days: DEFAULT_DAYS.join(',') };
  const saved = c.req.query('saved');
  // Any time of the year, not only after 1 January: the next cycle may be set up early.
  const next = nextCycleYear(Date.now(), await cycleYears(c.get('db')));
  return c.html(CyclePage({ lang: lang(c), year, next, ...(cycle ? { cycle } : {}), form, errors: {}, ...(saved ? { saved: lang(c) === 'en' ? 'Saved.' : `已保存。新建草稿 ${saved} 份。` } : {}) }));
});

cyclePages.post('/:year', requireViewer, async (c) => {
  c.header('Cache-Control', 'no-store');
  const viewer = c.get('viewer')!;
  if (!managesEverything(viewer)) throw cyclesForbidden();
  const language = lang(c);
  const t = translator(language);
  const year = pathYear(c.req.param('year'), cycleYearText);
  if (year === undefined) throw new ApiError(404, 'not_found', '找不到该资源。', 'Not found.');
  // all: the units checkboxes repeat one name.
  const body = await readForm(c, { all: true });
  const chosen = new Set([body.units ?? []].flat().map(String));
  const form: CycleForm = {
    units: (await unitChoices(c.get('db'), year, false)).map((u) => ({ ...u, expected: chosen.has(u.code) })),
    template: String(body.template ?? ''),
    deadline: String(body.deadline ?? ''),
    days: String(body.days ?? ''),
  };
  const errors: Record<string, string> = {};
  const template = getTemplate(form.template);
  if (!template) errors.template = t('请选择报告格式', 'Choose a template');
  // The same rules as PUT /api/v1/admin/cycles/{year} (src/http/input.ts).
  const deadline = parsed(cycleDeadlineLocal, form.deadline);
  if (deadline === undefined)
    errors.deadline = t(
      `请输入有效的截止时间（${CYCLE_YEARS.first} 年到 ${CYCLE_YEARS.last + 1} 年之间），例如 2026-01-31 23:59`,
      `Enter a valid deadline (between ${CYCLE_YEARS.first} and ${CYCLE_YEARS.last + 1}), e.g. 2026-01-31 23:59`,
    );
  const days = parsed(reminderDaysText, form.days);
  if (!days?.length)
    errors.days = t(
      `提醒天数应为 0 到 ${REMINDER_DAYS.max} 之间互不相同的整数，最多 ${REMINDER_DAYS.count} 个`,
      `Reminder days must be different whole numbers from 0 to ${REMINDER_DAYS.max}, at most ${REMINDER_DAYS.count} of them`,
    );
  if (chosen.size === 0) errors.units = t('请至少选择一个应报单位', 'Choose at least one unit');
  if (Object.keys(errors).length) {
    const cycle = await loadCycle(c.get('db'), year);
    return c.html(CyclePage({ lang: language, year, ...(cycle ? { cycle } : {}), form, errors }), 422);
  }
  const result = await putCycle(c.get('db'), year, { template: template!, deadline: deadline!, reminderDays: [...days!].sort((a, b) => b - a), unitIds: form.units.filter((u) => u.expected).map((u) => u.id) }, viewer, Date.now());
  if (!result.ok) {
    const cycle = await loadCycle(c.get('db'), year);
    const message = t('已有报告填写了内容，不能再更换报告格式。', 'Reports already have content: the template can no longer change.');
    return c.html(CyclePage({ lang: language, year, ...(cycle ? { cycle } : {}), form, errors: { template: message } }), 409);
  }
  return c.redirect(`/app/cycles/${year}?saved=${result.draftsCreated}`, 303);
});
