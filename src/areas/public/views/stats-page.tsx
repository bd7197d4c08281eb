// GET /stats/{year}: the sums over a year's published reports, in the official table layout of
// the year's template, with how many units were expected, published, and published on time.
import { applicationHandling, TREND_METRICS, trendPoints } from '../../../core/charts';
import type { Cells, Template } from '../../../core';
import type { YearStats } from '../../../publication/queries';
import { BarChart, TrendCharts } from '../../../views/charts';
import { translator, type Lang } from '../../../core/i18n';
import { Layout } from '../../../views/layout';
import { OfficialTable } from '../../../views/report-table';
import { SummaryList } from '../../../views/summary-list';

export interface StatsPageProps {
  stats: YearStats;
  within?: { code: string; name: string } | undefined;
  trend: { year: number; template: Template; cells: Cells }[];
  /** The units whose subtree a reader may choose (units with units below them). */
  jurisdictions: { code: string; name: string }[];
  lang: Lang;
}

export function StatsPage({ stats, within, trend, jurisdictions, lang }: StatsPageProps) {
  const t = translator(lang);
  const { year, template, cells } = stats;
  const scopeName = (name: string) => t(`${name}及下级单位`, `${name} and the bodies below it`);
  const scope = within ? scopeName(within.name) : t('全部单位', 'all bodies');
  const title = t(`${year}年度政府信息公开工作年度报告汇总统计`, `Annual reports on government information disclosure, ${year}: the sums`);
  const query = within ? `?within=${within.code}` : '';
  const handling = applicationHandling(template, cells);
  return (
    <Layout title={t(`${title} · 年报`, `${title} · Nianbao`)} lang={lang}>
      <nav class="crumbs no-print" aria-label={t('位置', 'Breadcrumbs')}>
        <a href="/reports">{t('全部报告', 'All reports')}</a>
        <span aria-hidden="true"> › </span>
        <span aria-current="page">{t(`${year}年度汇总统计`, `The sums of ${year}`)}</span>
      </nav>
      <h1>{title}</h1>
      <p class="report-meta">
        <span>
          {t('范围：', 'Scope: ')}
          {within && lang === 'en' ? (
            <>
              <span lang="zh-CN">{within.name}</span> and the bodies below it
            </>
          ) : (
            scope
          )}
        </span>
        <span>
          {t('格式：', 'Format: ')}
          {lang === 'en' ? <span lang="zh-CN">{template.basis}</span> : template.basis}
        </span>
      </p>
      <SummaryList
        class="figures"
        rows={[
          [t('应报送单位', 'Bodies expected to report'), stats.unitsExpected],
          [t('已发布', 'Published'), stats.unitsPublished],
          [t('按时发布', 'Published on time'), stats.unitsOnTime],
        ]}
      />
      <p class="muted">
        {t(
          '下表各数为已发布报告（各取最新版本）之和；所有报告均空白的单元格留空。',
          'Each number below is the sum over the published reports (the latest version of each); a cell blank in every report is left blank.',
        )}
      </p>
      <form class="no-print filter" method="get" action={`/stats/${year}`}>
        {lang === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
        <label>
          {t('统计范围', 'Scope: a body and the bodies below it')}
          <select name="within">
            <option value="" selected={!within}>
              {t('全部单位', 'All bodies')}
            </option>
            {jurisdictions.map((u) => (
              // A unit's name is Chinese in every language: marked so on an English page.
              <option value={u.code} selected={u.code === within?.code} lang={lang === 'en' ? 'zh-CN' : undefined}>
                {lang === 'en' ? `${u.name} (${u.code})` : `${u.name}及下级单位`}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('统计', 'Show')}</button>
      </form>

      {handling ? (
        <BarChart id="handling" title={t(`${year}年度政府信息公开申请办理结果`, `How requests were handled in ${year}`)} figures={handling} unit="件" lang={lang} />
      ) : null}
      <TrendCharts
        id="trend"
        title={t(`历年变化（${scope}）`, `Over the years (${within ? `${within.code} and the bodies below it` : 'all bodies'})`)}
        metrics={TREND_METRICS}
        points={trendPoints(trend)}
        lang={lang}
      />

      {template.parts.map((part) =>
        part.type === 'tables' ? (
          <section class="report-section stats-tables">
            <h2 lang={lang === 'en' ? 'zh-CN' : undefined}>{part.title}</h2>
            <OfficialTable layout={part.layout} cells={cells} label={part.title} />
          </section>
        ) : null,
      )}
      <section class="report-section downloads no-print">
        <h2>{t('数据下载', 'Data')}</h2>
        <ul class="links">
          <li>
            <a href={`/api/v1/stats/${year}${query}`} type="application/json">
              {t('汇总数据（JSON）', 'The sums (JSON)')}
            </a>
          </li>
          <li>
            <a href={`/api/v1/reports.csv?year=${year}${within ? `&within=${within.code}` : ''}`} type="text/csv">
              {t('各单位数据（CSV，每份报告一行）', 'Each body’s data (CSV, one row per report)')}
            </a>
          </li>
        </ul>
      </section>
    </Layout>
  );
}
