// /app/progress/{year}: every expected unit's state for supervisors (their units) and
// administrators (all), counts first — like DHIS2's reporting rate and rate on time. Each unit
// links to its report; an administrator may 「提醒」 a unit not yet submitted (a form post, so it
// works without JavaScript): its clerks get the reminder now, at most once a Beijing day.
import { Hono } from 'hono';
import { beijingMinute, statusName } from '../../core';
import { canManage, type Viewer } from '../../auth/scope';
import { requireViewer } from '../../http/auth';
import type { AppEnv } from '../../http/app-env';
import { ApiError, invalidInput, outOfScope } from '../../http/errors';
import { readForm } from '../../http/form';
import { cycleYearText, pathYear, unitCode } from '../../http/input';
import { mailOrigin } from '../../http/origin';
import { deliverSoon } from '../../mail/deliver-now';
import { remindUnitNow } from '../../reminders/remind-now';
import { loadCycle } from '../../reports/cycles';
import { findUnitReport } from '../../reports/review-subject';
import * as v from 'valibot';
import { lang } from '../../http/lang';
import { translator, type Lang } from '../../core/i18n';
import { cycleProgress, PROGRESS_FILTERS, type CycleProgress, type ProgressFilter } from '../../reports/progress';
import { Button, ChoiceFilter } from '../../views/forms';
import { Layout } from '../../views/layout';
import { SummaryList } from '../../views/summary-list';
import { progressScope } from './scope';

export const progressPages = new Hono<AppEnv>();

const percent = (n: number, of: number) => (of === 0 ? '—' : `${Math.round((n / of) * 100)}%`);

/** A rate as a percentage, with the counts it is made of. */
const Rate = ({ n, of }: { n: number; of: number }) => (
  <>
    {percent(n, of)}
    <span>
      {n}/{of}
    </span>
  </>
);

/** What the last 提醒 did, told at the top of the page after the redirect. */
type Reminded = { outcome: 'sent' | 'already' | 'no_clerks' | 'submitted'; unit: string };

const REMINDED: Record<Reminded['outcome'], (name: string) => { zh: string; en: string }> = {
  sent: (name) => ({ zh: `已向${name}的填报人发送提醒。`, en: `A reminder was sent to the clerks of ${name}.` }),
  already: (name) => ({ zh: `${name}今天已提醒过，明天才能再次提醒。`, en: `${name} was already reminded today; you can remind it again tomorrow.` }),
  no_clerks: (name) => ({ zh: `${name}没有填报人，无法提醒。请先在“人员”中添加填报人。`, en: `${name} has no clerks to remind. Add one under People first.` }),
  submitted: (name) => ({ zh: `${name}的报告已经提交，无需提醒。`, en: `${name} has already submitted its report.` }),
};

/** Units per page: a province's 10,000 stay a page of this many, with the counts over all. */
export const PROGRESS_PAGE_SIZE = 200;

const FILTER_NAMES: Record<ProgressFilter, { zh: string; en: string }> = {
  all: { zh: '全部应报单位', en: 'Every expected unit' },
  not_started: { zh: '尚未开始', en: 'Not started' },
  draft: { zh: '填写中', en: 'In progress' },
  submitted: { zh: '待审核', en: 'Awaiting review' },
  published: { zh: '已发布', en: 'Published' },
};

function ProgressPage({ progress, lang: l, within, viewer, reminded, filter, from }: { progress: CycleProgress; lang: Lang; within?: string; viewer: Viewer; reminded?: Reminded; filter: ProgressFilter; from?: string }) {
  const t = translator(l);
  const { cycle, counts, units } = progress;
  const pageLink = (next: string) => `/app/progress/${cycle.year}?${new URLSearchParams({ ...(within ? { within } : {}), ...(filter === 'all' ? {} : { status: filter }), from: next })}`;
  const filed = counts.published + counts.submitted;
  const early = (d: number | null, submitted: boolean) =>
    d === null ? '' : submitted ? (d >= 0 ? t(`提前 ${d} 天`, `${d} day(s) early`) : t(`逾期 ${-d} 天提交`, `${-d} day(s) late`)) : t(`已逾期 ${-d} 天`, `${-d} day(s) overdue`);
  return (
    <Layout title={t(`${cycle.year} 年度填报进度 · 年报`, `${cycle.year} progress · Nianbao`)} lang={l}>
      <p class="breadcrumb">
        <a href="/app">{t('工作台', 'My work')}</a>
      </p>
      <h1>{t(`${cycle.year} 年度报告填报进度`, `${cycle.year} reporting progress`)}</h1>
      {reminded ? (
        <p class="notice" role="status">
          {t(REMINDED[reminded.outcome](units.find((u) => u.unit === reminded.unit)?.unitName ?? reminded.unit))}
        </p>
      ) : null}
      <p class="meta">
        {t('截止时间：', 'Deadline: ')}
        {beijingMinute(cycle.deadline)} {t('（北京时间）', '(Beijing)')}
        {within ? ` · ${t('范围：', 'Within: ')}${within}` : ''}
      </p>
      <SummaryList
        class="stat-cards"
        rows={[
          [t('上报率', 'Reporting rate'), <Rate n={filed} of={counts.expected} />],
          [t('按时发布率', 'Published on time'), <Rate n={counts.onTime} of={counts.expected} />],
          [t('已发布', 'Published'), counts.published],
          [t('待审核', 'Awaiting review'), counts.submitted],
          [t('填写中', 'In progress'), counts.draft],
          [t('尚未开始', 'Not started'), counts.notStarted],
        ]}
      />
      <ChoiceFilter
        action={`/app/progress/${cycle.year}`}
        id="progress-status"
        name="status"
        label={t('显示', 'Show')}
        choices={PROGRESS_FILTERS}
        selected={filter}
        choiceName={(f) => t(FILTER_NAMES[f])}
        button={t('筛选', 'Filter')}
        keep={{ within }}
      />
      {from ? (
        <p class="meta">
          {t(`从 ${from} 起列出`, `Listed from ${from}`)} · <a href={`/app/progress/${cycle.year}?${new URLSearchParams({ ...(within ? { within } : {}), ...(filter === 'all' ? {} : { status: filter }) })}`}>{t('回到开头', 'Back to the start')}</a>
        </p>
      ) : null}
      {units.length === 0 ? <p>{t('没有符合条件的单位。', 'No unit matches.')}</p> : null}
      <ul class="progress-list">
        {units.map((u) => {
          const submitted = u.status === 'submitted' || u.status === 'published';
          return (
            <li class={`progress-item status-${u.status}`} data-unit={u.unit} id={`unit-${u.unit}`}>
              <a href={`/app/reports/${u.unit}/${cycle.year}`}>
                <strong>{u.unitName}</strong>
              </a>{' '}
              <span class="code">{u.unit}</span>
              <span class={`tag tag-${u.status}`}>{u.status !== 'published' && !submitted && u.revision === 0 ? t('尚未开始', 'Not started') : t(statusName(u.status))}</span>
              <span class="detail">
                {early(u.daysEarly, submitted)}
                {u.remindersSent ? ` · ${t(`已提醒 ${u.remindersSent} 次`, `${u.remindersSent} reminder(s)`)}` : ''}
              </span>
              {u.status === 'submitted' && viewer.reviewUnitIds.includes(u.unitId) ? (
                <a href={`/app/review/${u.unit}/${cycle.year}`}>{t('审核', 'Review')}</a>
              ) : null}
              {!submitted && canManage(viewer, u.unitId) ? (
                <form method="post" action={`/app/progress/${cycle.year}/${u.unit}/remind`} class="inline-form">
                  <Button variant="secondary" name="remind" value={u.unit} aria-label={t(`提醒${u.unitName}`, `Remind ${u.unitName}`)}>
                    {t('提醒', 'Remind')}
                  </Button>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
      {progress.nextFrom ? (
        <p>
          <a href={pageLink(progress.nextFrom)} rel="next" class="button button-secondary">
            {t(`下一页（从 ${progress.nextFrom} 起）`, `Next page (from ${progress.nextFrom})`)}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

progressPages.get('/:year', requireViewer, async (c) => {
  c.header('Cache-Control', 'no-store');
  const viewer = c.get('viewer')!;
  if (!viewer.isAdmin && viewer.reviewUnitIds.length === 0) throw new ApiError(403, 'forbidden', '只有审核人和管理员可以查看填报进度。', 'Only supervisors and administrators can see progress.');
  const year = pathYear(c.req.param('year'), cycleYearText);
  const status = c.req.query('status') ?? 'all';
  const filter: ProgressFilter = (PROGRESS_FILTERS as readonly string[]).includes(status) ? (status as ProgressFilter) : 'all';
  const from = v.safeParse(unitCode, c.req.query('from'));
  const page = { filter, from: from.success ? from.output : undefined, limit: PROGRESS_PAGE_SIZE };
  const progress = year !== undefined ? await cycleProgress(c.get('db'), year, Date.now(), await progressScope(c), page) : undefined;
  if (!progress) throw new ApiError(404, 'no_cycle', `${c.req.param('year')} 年度没有报告周期。`, `There is no reporting cycle for ${c.req.param('year')}.`);
  const within = c.req.query('within');
  const outcome = c.req.query('reminded');
  const unit = c.req.query('unit');
  const reminded = outcome && Object.hasOwn(REMINDED, outcome) && unit ? { outcome: outcome as Reminded['outcome'], unit } : undefined;
  return c.html(ProgressPage({ progress, lang: lang(c), viewer, filter, ...(page.from ? { from: page.from } : {}), ...(within ? { within } : {}), ...(reminded ? { reminded } : {}) }));
});

progressPages.post('/:year/:unit/remind', requireViewer, async (c) => {
  c.header('Cache-Control', 'no-store');
  const viewer = c.get('viewer')!;
  if (!viewer.isAdmin) throw new ApiError(403, 'forbidden', '只有管理员可以发送提醒。', 'Only administrators can send reminders.');
  const year = pathYear(c.req.param('year'), cycleYearText);
  const code = v.safeParse(unitCode, c.req.param('unit'));
  const noReport = () => new ApiError(404, 'no_report', `单位“${c.req.param('unit')}”没有 ${c.req.param('year')} 年度的报告。`, `Unit ${c.req.param('unit')} has no report for ${c.req.param('year')}.`);
  const report = year !== undefined && code.success ? await findUnitReport(c.get('db'), code.output, year) : undefined;
  if (!report) throw noReport();
  if (!canManage(viewer, report.unitId)) {
    throw outOfScope(lang(c), 'unit', `单位“${report.unitCode}”不在您管理的范围内`, `unit "${report.unitCode}" is outside the units you manage`);
  }
  // The button names the unit: a post without it (not from the page) reminds no one.
  const pressed = (await readForm(c)).remind;
  if (pressed !== c.req.param('unit')) throw invalidInput([{ field: 'remind', message: translator(lang(c))('请使用进度页上的“提醒”按钮', 'Use the Remind button on the progress page') }]);
  // A report of a year without a cycle (imported history) has no deadline to remind of.
  const cycle = await loadCycle(c.get('db'), report.year);
  if (!cycle) throw noReport();
  const now = Date.now();
  const result =
    report.status === 'draft' || report.status === 'returned'
      ? await remindUnitNow(c.get('db'), { ...report, status: report.status, deadline: cycle.deadline, origin: mailOrigin(c), now }, viewer)
      : { outcome: 'submitted' as const };
  if (result.outcome === 'sent') deliverSoon(c, now);
  // The list starts at the reminded unit, so the notice and the unit are on the page it lands on.
  return c.redirect(`/app/progress/${cycle.year}?${new URLSearchParams({ reminded: result.outcome, unit: report.unitCode, from: report.unitCode })}#unit-${report.unitCode}`, 303);
});
