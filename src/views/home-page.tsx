import { Layout } from './layout';
import { reportTitle } from '../core/titles';

/** The published reference report of the demo data (scripts/demo-data.mjs). */
const DEMO_REPORT_URL = '/reports/JT-330903-101/2018';

/** GET /: what Nianbao is, and where to look first. */
export function HomePage() {
  return (
    <Layout title="年报 · 政府信息公开工作年度报告">
      <section class="intro">
        <h1>政府信息公开工作年度报告</h1>
        <p class="lead">
          依照《中华人民共和国政府信息公开条例》第四十九条，各级行政机关每年公布上一年度的政府信息公开工作年度报告。
        </p>
        <p class="lead">
          在“年报”中，填报单位在手机上填写报告，上级单位审核后发布；公众可以网页、JSON、CSV 和 JSON Feed
          的形式阅读和汇总已发布的报告。
        </p>
        <p class="lead-en" lang="en">
          Nianbao: government bodies file, approve and publish their statutory annual report on
          open government information.
        </p>
      </section>
      <ul class="cards">
        <li>
          <a class="card" href={DEMO_REPORT_URL}>
            <strong>示例报告</strong>
            <span>{reportTitle('金塘镇', 2018).zh}</span>
          </a>
        </li>
        <li>
          <a class="card" href="/reports">
            <strong>已发布的报告</strong>
            <span>按年度和单位浏览，可打印；年度汇总统计</span>
          </a>
        </li>
        <li>
          <a class="card" href="/api">
            <strong>开放数据</strong>
            <span>JSON、CSV、JSON Feed 与 OpenAPI 说明</span>
          </a>
        </li>
        <li>
          <a class="card" href="/api/v1/templates">
            <strong>报告模板</strong>
            <span>官方格式的统计表与勾稽关系（JSON 接口）</span>
          </a>
        </li>
      </ul>
    </Layout>
  );
}
