// GET /api: a short page for people about the open data, listing the operations of the OpenAPI
// document (the same declarations that register the routes), grouped by who may call them.
import { translator, type Lang } from '../../../core/i18n';
import { Layout } from '../../../views/layout';
import type { OpenApiDocument, OpenApiOperation } from '../openapi';

interface Listed {
  method: string;
  path: string;
  operation: OpenApiOperation;
}

const needs = (o: OpenApiOperation, scheme: string) => (o.security ?? []).some((s) => scheme in s);

/** A summary is written 「中文 · English」 once (src/http/route.ts): the page's half of it. */
const summaryIn = (summary: string | undefined, lang: Lang) => {
  const [zh = '', ...en] = (summary ?? '').split(/\s*·\s*/);
  return lang === 'en' && en.length ? en.join(' · ') : zh;
};

export function ApiDocsPage({ document, lang = 'zh' }: { document: OpenApiDocument; lang?: Lang }) {
  const t = translator(lang);
  const all: Listed[] = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({ method, path, operation })),
  );
  const admin = all.filter((e) => needs(e.operation, 'adminToken'));
  const signedIn = all.filter((e) => !needs(e.operation, 'adminToken') && needs(e.operation, 'session'));
  const open = all.filter((e) => !e.operation.security);
  const List = ({ items }: { items: Listed[] }) => {
    return (
      <dl class="endpoints">
        {items.map((e) => {
          const query = (e.operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
          return (
            <>
              <dt>
                <code>
                  {e.method.toUpperCase()} {e.path}
                </code>
                {query.length ? <span class="muted"> ?{query.join('&')}</span> : null}
              </dt>
              <dd>{summaryIn(e.operation.summary, lang)}</dd>
            </>
          );
        })}
      </dl>
    );
  };
  return (
    <Layout title={t('开放接口 · 年报', 'Open data · Nianbao')} lang={lang}>
      <h1>{t('开放接口', 'Open data')}</h1>
      {lang === 'en' ? (
        <>
          <p class="lead">
            The published annual reports can be read as JSON, CSV and a JSON Feed, without signing in, from any website (CORS). The
            whole machine-readable description is the <a href="/api/openapi.json">OpenAPI 3.1 document</a>.
          </p>
          <ul>
            <li>
              Cells are named <code>table.row.column</code> (e.g. <code>applications.new.total</code>); each template’s cells are
              in the <a href="/api/v1/templates">report templates</a>.
            </li>
            <li>
              A blank cell is <code>null</code> (empty in CSV): blank is not 0.
            </li>
            <li>Times are RFC 3339 with the +08:00 offset; CSV is UTF-8 with a BOM and opens in a spreadsheet.</li>
            <li>
              Answers carry <code>ETag</code> and <code>Last-Modified</code> for conditional requests (<code>If-None-Match</code>,
              304); errors are <code>{'{"error": {"code", "message", "details"}}'}</code>, in Chinese by default and in English
              with <code>Accept-Language: en</code>.
            </li>
          </ul>
        </>
      ) : (
        <>
          <p class="lead">
            已发布的政府信息公开工作年度报告可以 JSON、CSV 和 JSON Feed 的形式读取，无需登录，任何网站均可调用（CORS）。
            完整的机器可读说明见 <a href="/api/openapi.json">OpenAPI 3.1 文档</a>。
          </p>
          <ul>
            <li>单元格以 <code>表.行.列</code> 命名（如 <code>applications.new.total</code>），各模板的单元格见 <a href="/api/v1/templates">报告模板</a>。</li>
            <li>空白单元格为 <code>null</code>（CSV 中为空），空白不等于 0。</li>
            <li>时间为带 +08:00 时区的 RFC 3339 格式；CSV 为带 BOM 的 UTF-8，可直接用电子表格打开。</li>
            <li>
              响应带 <code>ETag</code> 与 <code>Last-Modified</code>，可用 <code>If-None-Match</code> 条件请求（304）；错误为{' '}
              <code>{'{"error": {"code", "message", "details"}}'}</code>，默认中文，<code>Accept-Language: en</code> 时为英文。
            </li>
          </ul>
        </>
      )}
      <h2>{t('公开接口', 'Public')}</h2>
      <List items={open} />
      <h2>{t('填报接口（需登录）', 'Filing (signed in)')}</h2>
      <List items={signedIn} />
      <h2>{t('管理接口（需管理员登录或 ADMIN_TOKEN）', 'Administration (an administrator signed in, or ADMIN_TOKEN)')}</h2>
      <List items={admin} />
    </Layout>
  );
}
