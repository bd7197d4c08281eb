// GET /reports (every published report by year and unit) and GET /reports/{unit} (a unit's
// years, with charts of how its applications were handled and how its figures moved).
import { applicationHandling, TREND_METRICS, trendPoints } from '../../../core/charts';
import type { Template } from '../../../core';
import { reportPath } from '../../../core/links';
import type { PublishedVersion } from '../../../publication/queries';
import { chineseDate } from '../../../core/time';
import { BarChart, TrendCharts } from '../../../views/charts';
import { Layout } from '../../../views/layout';
import { Crumbs } from './report-page';

export function ReportsIndexPage({ reports, withinName }: { reports: PublishedVersion[]; withinName?: string | undefined }) {
  const years = [...new Set(reports.map((r) => r.year))].sort((a, b) => b - a);
  const title = withinName ? `${withinName}及下级单位的政府信息公开工作年度报告` : '政府信息公开工作年度报告';
  return (
    <Layout title={`${title} · 年报`}>
      <h1>{title}</h1>
      <p class="lead">
        已发布 {reports.length} 份报告。数据也可通过 <a href="/api">开放接口</a>（JSON、CSV）和{' '}
        <a href="/feeds/reports.json">JSON Feed 订阅</a> 获取。
      </p>
      {years.length === 0 ? <p class="muted">尚无已发布的报告。</p> : null}
      {years.map((year) => {
        const ofYear = reports.filter((r) => r.year === year).sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN') || a.unitCode.localeCompare(b.unitCode));
        return (
          <section class="year-group" aria-labelledby={`year-${year}`}>
            <h2 id={`year-${year}`}>
              {year}年度 <span class="muted">（{ofYear.length} 份）</span>
            </h2>
            <p class="year-links no-print">
              <a href={`/stats/${year}`}>汇总统计</a> · <a href={`/api/v1/reports.csv?year=${year}`}>全部数据（CSV）</a>
            </p>
            <ul class="report-list">
              {ofYear.map((r) => (
                <li>
                  <a href={reportPath(r.unitCode, r.year)}>{r.unitName}</a>
                  <span class="muted">
                    {' '}
                    {chineseDate(r.publishedAt)}发布{r.version > 1 ? `，第 ${r.version} 版` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </Layout>
  );
}

export interface UnitYear extends PublishedVersion {
  templateDef: Template;
  cells: Record<string, number | null>;
}

export function UnitPage({ unitCode, unitName, years }: { unitCode: string; unitName: string; years: UnitYear[] }) {
  const title = `${unitName}历年政府信息公开工作年度报告`;
  const latestWithApplications = years.find((y) => applicationHandling(y.templateDef, y.cells) !== null);
  const handling = latestWithApplications ? applicationHandling(latestWithApplications.templateDef, latestWithApplications.cells) : null;
  const points = trendPoints(years.map((y) => ({ year: y.year, template: y.templateDef, cells: y.cells })));
  return (
    <Layout title={`${title} · 年报`}>
      <Crumbs unitCode={unitCode} unitName={unitName} />
      <h1>{title}</h1>
      <p class="muted">单位代码：{unitCode}</p>
      <table class="plain">
        <caption>已发布的年度报告</caption>
        <thead>
          <tr>
            <th scope="col">年度</th>
            <th scope="col">发布日期</th>
            <th scope="col">版本</th>
            <th scope="col" class="no-print">数据</th>
          </tr>
        </thead>
        <tbody>
          {years.map((y) => (
            <tr>
              <th scope="row">
                <a href={reportPath(unitCode, y.year)}>{y.year}年</a>
              </th>
              <td>{chineseDate(y.publishedAt)}</td>
              <td>第 {y.version} 版</td>
              <td class="no-print">
                <a href={`/api/v1/reports/${unitCode}/${y.year}`}>JSON</a> · <a href={`/api/v1/reports/${unitCode}/${y.year}.csv`}>CSV</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {handling && latestWithApplications ? (
        <BarChart id="handling" title={`${latestWithApplications.year}年度政府信息公开申请办理结果`} figures={handling} unit="件" />
      ) : null}
      <TrendCharts id="trend" title="历年变化" metrics={TREND_METRICS} points={points} />
    </Layout>
  );
}
