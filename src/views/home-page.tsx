import { translator, type Lang } from '../core/i18n';
import { reportTitle } from '../core/titles';
import { Layout } from './layout';

/** The published reference report of the demo data (scripts/demo-data.mjs). */
const DEMO_REPORT_URL = '/reports/JT-330903-101/2018';

/** GET /: what Nianbao is, and where to look first — in Chinese, or English when asked. */
export function HomePage({ lang = 'zh' }: { lang?: Lang } = {}) {
  const t = translator(lang);
  return (
    <Layout title={t('年报 · 政府信息公开工作年度报告', 'Nianbao · Annual reports on government information disclosure')} lang={lang}>
      <section class="intro">
        <h1>{t('政府信息公开工作年度报告', 'Annual reports on government information disclosure')}</h1>
        <p class="lead">
          {t(
            '依照《中华人民共和国政府信息公开条例》第四十九条，各级行政机关每年公布上一年度的政府信息公开工作年度报告。',
            "Under Article 49 of the People's Republic of China's Regulations on the Disclosure of Government Information, every administrative body publishes each year its report on the previous year's disclosure of government information.",
          )}
        </p>
        <p class="lead">
          {t(
            '在“年报”中，填报单位在手机上填写报告，上级单位审核后发布；公众可以网页、JSON、CSV 和 JSON Feed 的形式阅读和汇总已发布的报告。',
            'In Nianbao, each body fills in its report on a phone and the body above it reviews and publishes it; anyone can read and add up the published reports as web pages, JSON, CSV and a JSON Feed.',
          )}
        </p>
        {lang === 'zh' ? (
          <p class="lead-en" lang="en">
            Nianbao: government bodies file, approve and publish their statutory annual report on open government information.
          </p>
        ) : null}
      </section>
      <ul class="cards">
        <li>
          <a class="card" href={DEMO_REPORT_URL}>
            <strong>{t('示例报告', 'An example report')}</strong>
            <span lang="zh-CN">{reportTitle('金塘镇', 2018).zh}</span>
          </a>
        </li>
        <li>
          <a class="card" href="/reports">
            <strong>{t('已发布的报告', 'Published reports')}</strong>
            <span>{t('按年度和单位浏览，可打印；年度汇总统计', 'By year and by body, printable; the sums of each year')}</span>
          </a>
        </li>
        <li>
          <a class="card" href="/api">
            <strong>{t('开放数据', 'Open data')}</strong>
            <span>{t('JSON、CSV、JSON Feed 与 OpenAPI 说明', 'JSON, CSV, JSON Feed and the OpenAPI description')}</span>
          </a>
        </li>
        <li>
          <a class="card" href="/api/v1/templates">
            <strong>{t('报告模板', 'Report templates')}</strong>
            <span>{t('官方格式的统计表与勾稽关系（JSON 接口）', 'The official tables and the rules between their cells (JSON)')}</span>
          </a>
        </li>
      </ul>
    </Layout>
  );
}
