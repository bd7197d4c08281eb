// GET /reports/{unit}/{year}: a published report as its official format prints it, with its
// version history and links to its data. Printable: navigation and links are hidden in print.
import type { PublishedReport } from '../../../publication/queries';
import { reportLinks, reportPath } from '../../../core/links';
import { chineseDate } from '../../../core/time';
import { Layout } from '../../../views/layout';
import { OfficialReport } from '../../../views/report-table';
import { reportTitle } from '../../../core/titles';


export function Crumbs({ unitCode, unitName, year }: { unitCode: string; unitName: string; year?: number }) {
  return (
    <nav class="crumbs no-print" aria-label="位置">
      <a href="/reports">全部报告</a>
      <span aria-hidden="true"> › </span>
      {year === undefined ? (
        <span aria-current="page">{unitName}</span>
      ) : (
        <>
          <a href={`/reports/${unitCode}`}>{unitName}</a>
          <span aria-hidden="true"> › </span>
          <span aria-current="page">{year}年</span>
        </>
      )}
    </nav>
  );
}

export function ReportPage({ report, origin }: { report: PublishedReport; origin: string }) {
  const { unitCode, unitName, year, shown, versions, template, content } = report;
  const title = reportTitle(unitName, year).zh;
  const current = versions.find((v) => v.current);
  const links = reportLinks(origin, unitCode, year, shown.current ? undefined : shown.version);
  const explanations = Object.entries(content.explanations);
  const rules = new Map(template.rules.map((r) => [r.id, r.description.zh]));
  return (
    <Layout title={title}>
      <Crumbs unitCode={unitCode} unitName={unitName} year={year} />
      <article class="published-report">
        <header class="report-head">
          <h1>{title}</h1>
          <p class="report-meta">
            <span>发布日期：{chineseDate(shown.publishedAt)}</span>
            <span>
              第 {shown.version} 版{shown.imported ? '（从原发布处导入）' : ''}
            </span>
            <span>格式：{template.basis}</span>
          </p>
          {!shown.current && current ? (
            <p class="notice" role="note">
              这是第 {shown.version} 版，已于 {chineseDate(current.publishedAt)} 由第 {current.version} 版更正。
              <a href={reportPath(unitCode, year)}>查看最新版本</a>
            </p>
          ) : null}
          {shown.reason ? <p class="notice" role="note">更正原因：{shown.reason}</p> : null}
        </header>

        <OfficialReport template={template} sections={content.sections} cells={content.cells} />

        {explanations.length ? (
          <section class="report-section">
            <h2>对提示事项的说明</h2>
            <dl class="explanations">
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
          <h2>版本记录</h2>
          <table class="plain">
            <thead>
              <tr>
                <th scope="col">版本</th>
                <th scope="col">发布日期</th>
                <th scope="col">说明</th>
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => (
                <tr aria-current={v.version === shown.version ? 'true' : undefined}>
                  <td>
                    {v.version === shown.version ? (
                      `第 ${v.version} 版（本页）`
                    ) : (
                      <a href={`${reportPath(unitCode, year)}?version=${v.version}`}>第 {v.version} 版</a>
                    )}
                  </td>
                  <td>{chineseDate(v.publishedAt)}</td>
                  <td>{v.version === 1 ? (v.imported ? '首次发布（导入）' : '首次发布') : `更正：${v.reason ?? ''}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <section class="report-section downloads no-print">
          <h2>数据下载</h2>
          <ul class="links">
            <li>
              <a href={links.json} type="application/json">JSON</a>
            </li>
            <li>
              <a href={links.csv} type="text/csv">CSV（UTF-8，可用电子表格打开）</a>
            </li>
            <li>
              <a href={`/stats/${year}`}>{year}年度汇总统计</a>
            </li>
          </ul>
        </section>
      </article>
    </Layout>
  );
}
