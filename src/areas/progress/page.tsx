// /app/progress/{year}: every expected unit's state for supervisors (their units) and
// administrators (all), counts first — like DHIS2's reporting rate and rate on time.
import { Hono } from 'hono';
import { beijingMinute, statusName } from '../../core';
import { requireViewer } from '../../http/auth';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../http/errors';
import { cycleYearText, pathYear } from '../../http/input';
import { lang } from '../../http/lang';
import { translator, type Lang } from '../../core/i18n';
import { cycleProgress, type CycleProgress } from '../../reports/progress';
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

function ProgressPage({ progress, lang: l, within }: { progress: CycleProgress; lang: Lang; within?: string }) {
  const t = translator(l);
  const { cycle, counts, units } = progress;
  const filed = counts.published + counts.submitted;
  const early = (d: number | null, submitted: boolean) =>
    d === null ? '' : submitted ? (d >= 0 ? t(`提前 ${d} 天`, `${d} day(s) early`) : t(`逾期 ${-d} 天提交`, `${-d} day(s) late`)) : t(`已逾期 ${-d} 天`, `${-d} day(s) overdue`);
  return (
    <Layout title={t(`${cycle.year} 年度填报进度 · 年报`, `${cycle.year} progress · Nianbao`)} lang={l}>
      <p class="breadcrumb">
        <a href="/app">{t('工作台', 'My work')}</a>
      </p>
      <h1>{t(`${cycle.year} 年度报告填报进度`, `${cycle.year} reporting progress`)}</h1>
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
      <ul class="progress-list">
        {units.map((u) => {
          const submitted = u.status === 'submitted' || u.status === 'published';
          return (
            <li class={`progress-item status-${u.status}`} data-unit={u.unit}>
              <strong>{u.unitName}</strong> <span class="code">{u.unit}</span>
              <span class={`tag tag-${u.status}`}>{u.status !== 'published' && !submitted && u.revision === 0 ? t('尚未开始', 'Not started') : t(statusName(u.status))}</span>
              <span class="detail">
                {early(u.daysEarly, submitted)}
                {u.remindersSent ? ` · ${t(`已提醒 ${u.remindersSent} 次`, `${u.remindersSent} reminder(s)`)}` : ''}
              </span>
            </li>
          );
        })}
      </ul>
    </Layout>
  );
}

progressPages.get('/:year', requireViewer, async (c) => {
  c.header('Cache-Control', 'no-store');
  const viewer = c.get('viewer')!;
  if (!viewer.isAdmin && viewer.reviewUnitIds.length === 0) throw new ApiError(403, 'forbidden', '只有审核人和管理员可以查看填报进度。', 'Only supervisors and administrators can see progress.');
  const year = pathYear(c.req.param('year'), cycleYearText);
  const progress = year !== undefined ? await cycleProgress(c.get('db'), year, Date.now(), await progressScope(c)) : undefined;
  if (!progress) throw new ApiError(404, 'no_cycle', `${c.req.param('year')} 年度没有报告周期。`, `There is no reporting cycle for ${c.req.param('year')}.`);
  const within = c.req.query('within');
  return c.html(ProgressPage({ progress, lang: lang(c), ...(within ? { within } : {}) }));
});
