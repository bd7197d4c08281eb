// GET /stats/{year}: the sums over a year's published reports, in the official table layout of
// the year's template, with how many units were expected, published, and published on time.
import { applicationHandling, TREND_METRICS, trendPoints } from '../../../core/charts';
import type { Cells, Template } from '../../../core';
import type { YearStats } from '../../../publication/queries';
import { BarChart, TrendCharts } from '../../../views/charts';
import { Layout } from '../../../views/layout';
import { OfficialTable } from '../../../views/report-table';
import { SummaryList } from '../../../views/summary-list';

export interface StatsPageProps {
  stats: YearStats;
  within?: { code: string; name: string } | undefined;
  trend: { year: number; template: Template; cells: Cells }[];
  /** The units whose subtree a reader may choose (units with units below them). */
  jurisdictions: { code: string; name: string }[];
}

export function StatsPage({ stats, within, trend, jurisdictions }: StatsPageProps) {
  const { year, template, cells } = stats;
  const scope = within ? `${within.name}及下级单位` : '全部单位';
  const title = `${year}年度政府信息公开工作年度报告汇总统计`;
  const query = within ? `?within=${within.code}` : '';
  const handling = applicationHandling(template, cells);
  return (
    <Layout title={`${title} · 年报`}>
      <nav class="crumbs no-print" aria-label="位置">
        <a href="/reports">全部报告</a>
        <span aria-hidden="true"> › </span>
        <span aria-current="page">{year}年度汇总统计</span>
      </nav>
      <h1>{title}</h1>
      <p class="report-meta">
        <span>范围：{scope}</span>
        <span>格式：{template.basis}</span>
      </p>
      <SummaryList
        class="figures"
        rows={[
          ['应报送单位', stats.unitsExpected],
          ['已发布', stats.unitsPublished],
          ['按时发布', stats.unitsOnTime],
        ]}
      />
      <p class="muted">下表各数为已发布报告（各取最新版本）之和；所有报告均空白的单元格留空。</p>
      <form class="no-print filter" method="get" action={`/stats/${year}`}>
        <label>
          统计范围
          <select name="within">
            <option value="" selected={!within}>
              全部单位
            </option>
            {jurisdictions.map((u) => (
              <option value={u.code} selected={u.code === within?.code}>
                {u.name}及下级单位
              </option>
            ))}
          </select>
        </label>
        <button type="submit">统计</button>
      </form>

      {handling ? <BarChart id="handling" title={`${year}年度政府信息公开申请办理结果`} figures={handling} unit="件" /> : null}
      <TrendCharts
        id="trend"
        title={`历年变化（${scope}）`}
        metrics={TREND_METRICS}
        points={trendPoints(trend)}
      />

      {template.parts.map((part) =>
        part.type === 'tables' ? (
          <section class="report-section stats-tables">
            <h2>{part.title}</h2>
            <OfficialTable layout={part.layout} cells={cells} label={part.title} />
          </section>
        ) : null,
      )}
      <section class="report-section downloads no-print">
        <h2>数据下载</h2>
        <ul class="links">
          <li>
            <a href={`/api/v1/stats/${year}${query}`} type="application/json">汇总数据（JSON）</a>
          </li>
          <li>
            <a href={`/api/v1/reports.csv?year=${year}${within ? `&within=${within.code}` : ''}`} type="text/csv">
              各单位数据（CSV，每份报告一行）
            </a>
          </li>
        </ul>
      </section>
    </Layout>
  );
}
