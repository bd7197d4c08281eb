// GET /api/openapi.json: an OpenAPI 3.1 description of the public API (and the import endpoints
// scripts use), generated from the very valibot schemas the routes parse and type their
// answers with (@valibot/to-json-schema, JSON Schema 2020-12 as OpenAPI 3.1 uses it). The
// endpoint table below is also what the docs page /api lists.
import { toJsonSchema, toJsonSchemaDefs, type ConversionConfig } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { SESSION_COOKIE } from '../../auth/sessions';
import { TEMPLATES } from '../../core';
import { ImportBody, ImportResponse, TextImportBody, TextImportResponse } from '../admin/import';
import {
  BulkCsvQuery,
  ErrorResponse,
  Feed,
  FeedQuery,
  ReportDetail,
  ReportQuery,
  ReportsQuery,
  ReportsResponse,
  StatsQuery,
  StatsResponse,
  UnitParam,
  UnitsQuery,
  UnitsResponse,
} from './schemas';
import { ValidateBody } from './templates';

const TemplateSummary = v.object({
  id: v.picklist(TEMPLATES.map((t) => t.id)),
  title: v.string(),
  basis: v.string(),
  years: v.object({ from: v.nullable(v.number()), to: v.nullable(v.number()) }),
});

/** Named schemas: components/schemas in the document. */
const COMPONENTS = {
  Error: ErrorResponse,
  UnitsResponse,
  ReportsResponse,
  ReportDetail,
  StatsResponse,
  Feed,
  TemplatesResponse: v.object({ templates: v.array(TemplateSummary) }),
  ValidateBody,
  ImportBody,
  ImportResponse,
  TextImportBody,
  TextImportResponse,
} satisfies Record<string, v.GenericSchema>;
type ComponentName = keyof typeof COMPONENTS;

const YearPath = v.pipe(v.string(), v.regex(/^\d{4}$/), v.description('报告年度 · report year'));
const TemplatePath = v.pipe(v.picklist(TEMPLATES.map((t) => t.id)), v.description('模板 · template id'));

export interface Endpoint {
  method: 'get' | 'post';
  path: string;
  summary: string;
  description?: string;
  pathParams?: Record<string, v.GenericSchema>;
  query?: v.ObjectSchema<v.ObjectEntries, undefined>;
  body?: ComponentName;
  /** The success answer: a named JSON schema, or another media type. */
  answer: { status: 200 | 201; schema: ComponentName } | { status: 200; mediaType: string; text: string };
  admin?: boolean;
}

export const ENDPOINTS: Endpoint[] = [
  { method: 'get', path: '/api/v1/templates', summary: '报告模板列表 · report templates', answer: { status: 200, schema: 'TemplatesResponse' } },
  {
    method: 'get',
    path: '/api/v1/templates/{id}',
    summary: '一个模板的全部内容：叙述部分、表格、版式与规则 · a whole template',
    pathParams: { id: TemplatePath },
    answer: { status: 200, mediaType: 'application/json', text: 'the template: sections, tables (rows, columns, labels, units, layout) and rules' },
  },
  {
    method: 'post',
    path: '/api/v1/validate',
    summary: '按模板规则检查数据 · check cells against a template’s rules',
    body: 'ValidateBody',
    answer: { status: 200, mediaType: 'application/json', text: '{ ok, issues: [{ rule, severity, cells, message }] }' },
  },
  { method: 'get', path: '/api/v1/units', summary: '单位 · units', query: UnitsQuery, answer: { status: 200, schema: 'UnitsResponse' } },
  {
    method: 'get',
    path: '/api/v1/reports',
    summary: '已发布的报告（最新的在前）· published reports, newest first',
    query: ReportsQuery,
    answer: { status: 200, schema: 'ReportsResponse' },
  },
  {
    method: 'get',
    path: '/api/v1/reports.csv',
    summary: '一个年度的全部报告，每份一行，每个单元格一列 · one row per report, one column per cell',
    description: '第一行为单元格键，第二行为中文标签 · header row of keys, then a row of labels',
    query: BulkCsvQuery,
    answer: { status: 200, mediaType: 'text/csv', text: 'UTF-8 with BOM, RFC 4180' },
  },
  {
    method: 'get',
    path: '/api/v1/reports/{unit}/{year}',
    summary: '一份已发布的报告（默认最新版本）· one published report',
    pathParams: { unit: UnitParam, year: YearPath },
    query: ReportQuery,
    answer: { status: 200, schema: 'ReportDetail' },
  },
  {
    method: 'get',
    path: '/api/v1/reports/{unit}/{year}.csv',
    summary: '一份报告的 CSV，每个单元格一行 · one line per cell: table,row,column,label,unit,value',
    pathParams: { unit: UnitParam, year: YearPath },
    query: ReportQuery,
    answer: { status: 200, mediaType: 'text/csv', text: 'UTF-8 with BOM, RFC 4180' },
  },
  {
    method: 'get',
    path: '/api/v1/stats/{year}',
    summary: '一个年度已发布报告的各单元格之和 · sums of every cell over a year’s published reports',
    pathParams: { year: YearPath },
    query: StatsQuery,
    answer: { status: 200, schema: 'StatsResponse' },
  },
  {
    method: 'get',
    path: '/feeds/reports.json',
    summary: '发布和更正的 JSON Feed 1.1 · JSON Feed 1.1 of publications and corrections',
    query: FeedQuery,
    answer: { status: 200, schema: 'Feed' },
  },
  {
    method: 'get',
    path: '/reports/{unit}/{year}',
    summary: '报告的公开网页（官方版式，可打印）· the public page, printable',
    pathParams: { unit: UnitParam, year: YearPath },
    query: ReportQuery,
    answer: { status: 200, mediaType: 'text/html', text: 'HTML' },
  },
  {
    method: 'get',
    path: '/stats/{year}',
    summary: '年度汇总统计网页 · the statistics page of a year',
    pathParams: { year: YearPath },
    query: StatsQuery,
    answer: { status: 200, mediaType: 'text/html', text: 'HTML' },
  },
  {
    method: 'post',
    path: '/api/v1/admin/import',
    summary: '导入已在别处发布的报告（需管理权限）· import a report published elsewhere (administrators)',
    body: 'ImportBody',
    answer: { status: 201, schema: 'ImportResponse' },
    admin: true,
  },
  {
    method: 'post',
    path: '/api/v1/admin/import/text',
    summary: '从报告文字或 HTML 读出单元格，不保存（需管理权限）· read cells from a report’s text or HTML; stores nothing',
    body: 'TextImportBody',
    answer: { status: 200, schema: 'TextImportResponse' },
    admin: true,
  },
];

// 'ignore': a parameter is described as the string it is in the URL; checks JSON Schema
// cannot say (custom predicates, transforms) are left out rather than failing the document.
const CONVERSION: ConversionConfig = { target: 'draft-2020-12', typeMode: 'ignore', errorMode: 'ignore' };
const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });

function schemaOf(schema: v.GenericSchema) {
  const { $schema: _, ...json } = toJsonSchema(schema, CONVERSION) as Record<string, unknown>;
  return json;
}

/** An optional entry is an optional parameter; its schema is the one it wraps. */
function parameter(name: string, where: 'path' | 'query', schema: v.GenericSchema) {
  const optional = schema.type === 'optional';
  const inner = optional ? (schema as unknown as v.OptionalSchema<v.GenericSchema, undefined>).wrapped : schema;
  const json = schemaOf(inner);
  const description = typeof json.description === 'string' ? json.description : undefined;
  return { name, in: where, required: !optional, ...(description ? { description } : {}), schema: json };
}

const errorAnswer = (text: string) => ({ description: text, content: { 'application/json': { schema: ref('Error') } } });

function operation(e: Endpoint) {
  const parameters = [
    ...Object.entries(e.pathParams ?? {}).map(([n, s]) => parameter(n, 'path', s)),
    ...Object.entries(e.query?.entries ?? {}).map(([n, s]) => parameter(n, 'query', s as v.GenericSchema)),
  ];
  const success =
    'schema' in e.answer
      ? { description: 'OK', content: { [e.answer.schema === 'Feed' ? 'application/feed+json' : 'application/json']: { schema: ref(e.answer.schema) } } }
      : { description: e.answer.text, content: { [e.answer.mediaType]: { schema: { type: 'string' } } } };
  return {
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(e.body) } } } } : {}),
    responses: {
      [e.answer.status]: success,
      ...(e.method === 'get' ? { 304: { description: 'Not Modified (If-None-Match)' } } : {}),
      ...(e.admin ? { 401: errorAnswer('未登录或令牌无效 · not signed in or bad token'), 403: errorAnswer('不是管理员 · not an administrator') } : {}),
      ...(e.pathParams ? { 404: errorAnswer('不存在或未发布 · not found or not published') } : {}),
      ...(e.query || e.body ? { 422: errorAnswer('参数不符合要求（details 指出字段）· invalid input; details name the field') } : {}),
    },
    ...(e.admin ? { security: [{ adminToken: [] }, { session: [] }] } : {}),
  };
}

let cached: Record<string, unknown> | undefined;

/** The document (built once per isolate: it depends on nothing but the code). */
export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINTS) (paths[e.path] ??= {})[e.method] = operation(e);
  const { target: _t, ...defsConfig } = CONVERSION;
  cached = {
    openapi: '3.1.0',
    info: {
      title: '年报 Nianbao — 政府信息公开工作年度报告开放接口',
      version: '1',
      description:
        '已发布的政府信息公开工作年度报告：JSON、CSV、JSON Feed 与年度汇总。公开接口无需登录，允许任何来源（CORS *），支持 ETag/304。' +
        '错误为 {"error": {"code", "message", "details"}}，默认中文，Accept-Language 偏好 en 时为英文。',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: toJsonSchemaDefs(COMPONENTS, {
        ...defsConfig,
        target: 'draft-2020-12',
        overrideRef: (context) => `#/components/schemas/${context.referenceId}`,
      }),
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      },
    },
  };
  return cached;
}
