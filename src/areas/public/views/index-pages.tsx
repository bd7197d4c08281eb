// GET /reports (every published report by year and unit) and GET /reports/{unit} (a unit's
// years, with charts of how its applications were handled and how its figures moved).
import { applicationHandling, TREND_METRICS, trendPoints } from '../../../core/charts';
import type { Template } from '../../../core';
import { reportPath } from '../../../core/links';
import type { PublishedVersion } from '../../../publication/queries';
import { translator, type Lang } from '../../../core/i18n';
import { BarChart, TrendCharts } from '../../../views/charts';
import { Layout } from '../../../views/layout';
import { Crumbs, dateText, Zh, zhIn } from './report-page';

export function ReportsIndexPage({ reports, withinName, lang }: { reports: PublishedVersion[]; withinName?: string | undefined; lang: Lang }) {
  const t = translator(lang);
  const years = [...new Set(reports.map((r) => r.year))].sort((a, b) => b - a);
  const zhTitle = withinName ? `${withinName}及下级单位的政府信息公开工作年度报告` : '政府信息公开工作年度报告';
  const enTitle = 'Annual reports on government information disclosure';
  return (
    <Layout title={t(`${zhTitle} · 年报`, `${enTitle} · Nianbao`)} lang={lang}>
      <h1>
        {t(zhTitle, enTitle)}
        {withinName && lang === 'en' ? (
          <>
            {': '}
            <Zh text={withinName} lang={lang} /> and the bodies below it
          </>
        ) : null}
      </h1>
      <p class="lead">
        {t(`已发布 ${reports.length} 份报告。数据也可通过 `, `${reports.length} published report${reports.length === 1 ? '' : 's'}. The data is also available through the `)}
        <a href="/api">{t('开放接口', 'open data API')}</a>
        {t('（JSON、CSV）和', ' (JSON, CSV) and the ')}
        {' '}
        <a href="/feeds/reports.json">{t('JSON Feed 订阅', 'JSON Feed')}</a>
        {t(' 获取。', '.')}
      </p>
      {years.length === 0 ? <p class="muted">{t('尚无已发布的报告。', 'Nothing has been published yet.')}</p> : null}
      {years.map((year) => {
        const ofYear = reports.filter((r) => r.year === year).sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN') || a.unitCode.localeCompare(b.unitCode));
        return (
          <section class="year-group" aria-labelledby={`year-${year}`}>
            <h2 id={`year-${year}`}>
              {t(`${year}年度`, String(year))} <span class="muted">{t(`（${ofYear.length} 份）`, `(${ofYear.length})`)}</span>
            </h2>
            <p class="year-links no-print">
              <a href={`/stats/${year}`}>{t('汇总统计', 'Sums')}</a> · <a href={`/api/v1/reports.csv?year=${year}`}>{t('全部数据（CSV）', 'All data (CSV)')}</a>
            </p>
            <ul class="report-list">
              {ofYear.map((r) => (
                <li>
                  <a href={reportPath(r.unitCode, r.year)} lang={zhIn(lang)}>
                    {r.unitName}
                  </a>
                  <span class="muted">
                    {' '}
                    {t(
                      `${dateText(r.publishedAt, lang)}发布${r.version > 1 ? `，第 ${r.version} 版` : ''}`,
                      `published ${dateText(r.publishedAt, lang)}${r.version > 1 ? `, version ${r.version}` : ''}`,
                    )}
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

export function UnitPage({ unitCode, unitName, years, lang }: { unitCode: string; unitName: string; years: UnitYear[]; lang: Lang }) {
  const t = translator(lang);
  const title = `${unitName}历年政府信息公开工作年度报告`;
  const latestWithApplications = years.find((y) => applicationHandling(y.templateDef, y.cells) !== null);
  const handling = latestWithApplications ? applicationHandling(latestWithApplications.templateDef, latestWithApplications.cells) : null;
  const points = trendPoints(years.map((y) => ({ year: y.year, template: y.templateDef, cells: y.cells })));
  return (
    <Layout title={t(`${title} · 年报`, `${unitName}: annual reports · Nianbao`)} lang={lang}>
      <Crumbs unitCode={unitCode} unitName={unitName} lang={lang} />
      {lang === 'en' ? (
        <h1>
          <Zh text={unitName} lang={lang} />: annual reports on government information disclosure
        </h1>
      ) : (
        <h1>{title}</h1>
      )}
      <p class="muted">
        {t('单位代码：', 'Code: ')}
        {unitCode}
      </p>
      <table class="plain">
        <caption>{t('已发布的年度报告', 'Published annual reports')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('年度', 'Year')}</th>
            <th scope="col">{t('发布日期', 'Published')}</th>
            <th scope="col">{t('版本', 'Version')}</th>
            <th scope="col" class="no-print">
              {t('数据', 'Data')}
            </th>
          </tr>
        </thead>
        <tbody>
          {years.map((y) => (
            <tr>
              <th scope="row">
                <a href={reportPath(unitCode, y.year)}>{t(`${y.year}年`, String(y.year))}</a>
              </th>
              <td>{dateText(y.publishedAt, lang)}</td>
              <td>{t(`第 ${y.version} 版`, String(y.version))}</td>
              <td class="no-print">
                <a href={`/api/v1/reports/${unitCode}/${y.year}`}>JSON</a> · <a href={`/api/v1/reports/${unitCode}/${y.year}.csv`}>CSV</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {handling && latestWithApplications ? (
        <BarChart
          id="handling"
          title={t(`${latestWithApplications.year}年度政府信息公开申请办理结果`, `How requests were handled in ${latestWithApplications.year}`)}
          figures={handling}
          unit="件"
          lang={lang}
        />
      ) : null}
      <TrendCharts id="trend" title={t('历年变化', 'Over the years')} metrics={TREND_METRICS} points={points} lang={lang} />
    </Layout>
  );
}
