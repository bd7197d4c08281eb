// GET /reports/{unit}/{year}: a published report as its official format prints it, with its
// version history and links to its data. Printable: navigation and links are hidden in print.
import type { PublishedReport } from '../../../publication/queries';
import { reportLinks, reportPath } from '../../../core/links';
import { beijingDate, chineseDate } from '../../../core/time';
import { translator, type Lang } from '../../../core/i18n';
import { Layout } from '../../../views/layout';
import { OfficialReport } from '../../../views/report-table';
import { reportTitle } from '../../../core/titles';

/** 「2019年1月16日」, or 2019-01-16 in English. */
export const dateText = (ms: number, lang: Lang) => (lang === 'en' ? beijingDate(ms) : chineseDate(ms));

/**
 * Chinese data (a unit's name, a correction reason, the format's legal basis) in a page of `lang`:
 * marked lang="zh-CN" inside an English page, plain text in a Chinese one.
 */
export const Zh = ({ text, lang }: { text: string; lang: Lang }) => (lang === 'en' ? <span lang="zh-CN">{text}</span> : <>{text}</>);

/** lang="zh-CN" for an element of Chinese data on an English page; nothing on a Chinese one. */
export const zhIn = (lang: Lang) => (lang === 'en' ? 'zh-CN' : undefined);

export function Crumbs({ unitCode, unitName, year, lang }: { unitCode: string; unitName: string; year?: number; lang: Lang }) {
  const t = translator(lang);
  return (
    <nav class="crumbs no-print" aria-label={t('位置', 'Breadcrumbs')}>
      <a href="/reports">{t('全部报告', 'All reports')}</a>
      <span aria-hidden="true"> › </span>
      {year === undefined ? (
        <span aria-current="page" lang={zhIn(lang)}>
          {unitName}
        </span>
      ) : (
        <>
          <a href={`/reports/${unitCode}`} lang={zhIn(lang)}>
            {unitName}
          </a>
          <span aria-hidden="true"> › </span>
          <span aria-current="page">{t(`${year}年`, String(year))}</span>
        </>
      )}
    </nav>
  );
}

export function ReportPage({ report, origin, lang }: { report: PublishedReport; origin: string; lang: Lang }) {
  const t = translator(lang);
  const { unitCode, unitName, year, shown, versions, template, content } = report;
  // The report's own title is Chinese in every language (it is what the unit published).
  const title = reportTitle(unitName, year).zh;
  const current = versions.find((v) => v.current);
  const links = reportLinks(origin, unitCode, year, shown.current ? undefined : shown.version);
  const explanations = Object.entries(content.explanations);
  const rules = new Map(template.rules.map((r) => [r.id, r.description.zh]));
  return (
    <Layout title={t(title, reportTitle(unitName, year).en)} lang={lang}>
      <Crumbs unitCode={unitCode} unitName={unitName} year={year} lang={lang} />
      <article class="published-report">
        <header class="report-head">
          <h1 lang={zhIn(lang)}>{title}</h1>
          <p class="report-meta">
            <span>
              {t('发布日期：', 'Published: ')}
              {dateText(shown.publishedAt, lang)}
            </span>
            <span>
              {t(`第 ${shown.version} 版`, `Version ${shown.version}`)}
              {shown.imported ? t('（从原发布处导入）', ' (imported from where it was first published)') : ''}
            </span>
            <span>
              {t('格式：', 'Format: ')}
              <Zh text={template.basis} lang={lang} />
            </span>
          </p>
          {!shown.current && current ? (
            <p class="notice" role="note">
              {t(
                `这是第 ${shown.version} 版，已于 ${chineseDate(current.publishedAt)} 由第 ${current.version} 版更正。`,
                `This is version ${shown.version}, corrected by version ${current.version} on ${beijingDate(current.publishedAt)}. `,
              )}
              <a href={reportPath(unitCode, year)}>{t('查看最新版本', 'See the latest version')}</a>
            </p>
          ) : null}
          {shown.reason ? (
            <p class="notice" role="note">
              {t('更正原因：', 'Reason for the correction: ')}
              <Zh text={shown.reason} lang={lang} />
            </p>
          ) : null}
        </header>

        <OfficialReport template={template} sections={content.sections} cells={content.cells} lang={lang} />

        {explanations.length ? (
          <section class="report-section">
            <h2>{t('对提示事项的说明', 'Explanations of the warnings')}</h2>
            <dl class="explanations" lang={zhIn(lang)}>
              {explanations.map(([rule, text]) => (
                <>
                  <dt>{rules.get(rule) ?? rule}</dt>
                  <dd>{text}</dd>
                </>
              ))}
            </dl>
          </section>
        ) : null}

        <section class="report-section versions">
          <h2>{t('版本记录', 'Versions')}</h2>
          <table class="plain">
            <thead>
              <tr>
                <th scope="col">{t('版本', 'Version')}</th>
                <th scope="col">{t('发布日期', 'Published')}</th>
                <th scope="col">{t('说明', 'Note')}</th>
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => (
                <tr aria-current={v.version === shown.version ? 'true' : undefined}>
                  <td>
                    {v.version === shown.version ? (
                      t(`第 ${v.version} 版（本页）`, `Version ${v.version} (this page)`)
                    ) : (
                      <a href={`${reportPath(unitCode, year)}?version=${v.version}`}>{t(`第 ${v.version} 版`, `Version ${v.version}`)}</a>
                    )}
                  </td>
                  <td>{dateText(v.publishedAt, lang)}</td>
                  <td>
                    {v.version === 1 ? (
                      v.imported ? t('首次发布（导入）', 'First published (imported)') : t('首次发布', 'First published')
                    ) : (
                      <>
                        {t('更正：', 'Correction: ')}
                        <Zh text={v.reason ?? ''} lang={lang} />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <section class="report-section downloads no-print">
          <h2>{t('数据下载', 'Data')}</h2>
          <ul class="links">
            <li>
              <a href={links.json} type="application/json">JSON</a>
            </li>
            <li>
              <a href={links.csv} type="text/csv">{t('CSV（UTF-8，可用电子表格打开）', 'CSV (UTF-8, opens in a spreadsheet)')}</a>
            </li>
            <li>
              <a href={`${reportPath(unitCode, year)}.docx${shown.current ? '' : `?version=${shown.version}`}`}>{t('下载 Word 文档（官方版式，可打印）', 'Word document (the official layout, printable)')}</a>
            </li>
            <li>
              <a href={`/stats/${year}`}>{t(`${year}年度汇总统计`, `The sums of ${year}`)}</a>
            </li>
          </ul>
        </section>
      </article>
    </Layout>
  );
}
