// GET /api/openapi.json: an OpenAPI 3.1 description of every JSON API — the public reads, the
// templates and validation, the drafts API, the administration API and the sign-in link — read
// off the app's own route table. Each route is declared once with defineRoute()
// (src/http/route.ts): the schemas that parse its input and type its answer are the ones described
// here (@valibot/to-json-schema, JSON Schema 2020-12 as OpenAPI 3.1 uses it). It describes every
// area's routes, so it is run on the whole app's route table, at build time
// (scripts/build-client.mjs → static/openapi.json, which the Worker serves; neither this module
// nor the converter is in the Worker's bundle); the /api docs page lists the same document.
//
// Left out on purpose: pages and the form posts behind them (/signin, GET and POST /auth/verify,
// POST /auth/logout, /app/…, /review/{token}: HTML for people, posted by our own forms; logout
// answers a script 204 but takes and gives no data), /healthz (for the platform's checks, not
// data), the document itself and its page /api, and the development-only /dev/… routes. The two public pages described before the document covered
// every API (/reports/{unit}/{year}, /stats/{year}) stay described.
import { toJsonSchema, toJsonSchemaDefs, type ConversionConfig } from '@valibot/to-json-schema';
import type { RouterRoute } from 'hono/types';
import type * as v from 'valibot';
import { SESSION_COOKIE } from '../../auth/sessions';
import { componentName, declarationOf, namedSchemas, openApiPath, type Access, type ErrorStatus, type RouteDeclaration } from '../../http/route';
import { ErrorResponse } from './schemas';

// 'ignore': a parameter is described as the string it is in the URL; checks JSON Schema
// cannot say (custom predicates, transforms) are left out rather than failing the document.
const CONVERSION: ConversionConfig = { target: 'draft-2020-12', typeMode: 'ignore', errorMode: 'ignore' };
const overrideRef = (context: { referenceId: string }) => `#/components/schemas/${context.referenceId}`;

type Json = Record<string, unknown>;

export interface OpenApiOperation {
  summary: string;
  description?: string;
  parameters?: { name: string; in: 'path' | 'query'; required: boolean; description?: string; schema: Json }[];
  requestBody?: { required: true; content: Record<string, { schema: Json }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Json }> }>;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
  [key: string]: unknown;
}

/** Builds the JSON Schemas of one document: named schemas once, under components, and $refs to them. */
class Schemas {
  readonly named: Record<string, v.GenericSchema> = { Error: ErrorResponse, ...namedSchemas() };

  /** A $ref for a named schema, the schema itself otherwise (named ones inside it as $refs). */
  of(schema: v.GenericSchema): Json {
    const name = componentName(schema);
    if (name) return { $ref: `#/components/schemas/${name}` };
    const { $schema: _s, $defs: _d, ...json } = toJsonSchema(schema, { ...CONVERSION, definitions: this.named, overrideRef }) as Json;
    return json;
  }

  components(): Record<string, Json> {
    const { target: _t, ...config } = CONVERSION;
    return toJsonSchemaDefs(this.named, { ...config, target: 'draft-2020-12', overrideRef }) as Record<string, Json>;
  }
}

/** An optional entry is an optional parameter; its schema is the one it wraps. */
function parameter(schemas: Schemas, name: string, where: 'path' | 'query', schema: v.GenericSchema) {
  const optional = schema.type === 'optional';
  const inner = optional ? (schema as unknown as v.OptionalSchema<v.GenericSchema, undefined>).wrapped : schema;
  const json = schemas.of(inner);
  const description = typeof json.description === 'string' ? json.description : undefined;
  return { name, in: where, required: !optional, ...(description ? { description } : {}), schema: json };
}

const errorAnswer = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** The error answers a declaration implies; its own `errors` add to them or say them better. */
function impliedErrors(d: RouteDeclaration): Partial<Record<ErrorStatus, string>> {
  const fields = d.query !== undefined || d.body !== undefined || (d.params !== undefined && !d.pathNotFound);
  return {
    ...(d.body ? { 400: '正文不是有效的 JSON · the body is not valid JSON' } : {}),
    ...(d.access === 'admin' ? { 401: '未登录或令牌无效 · not signed in or bad token', 403: '不是管理员 · not an administrator' } : {}),
    ...(d.access === 'signed-in' ? { 401: '未登录 · not signed in', 403: '无权访问该单位 · no access to this unit' } : {}),
    ...(d.pathNotFound ? { 404: '不存在或未发布 · not found or not published' } : {}),
    ...(fields ? { 422: '参数不符合要求（details 指出字段）· invalid input; details name the field' } : {}),
  };
}

const SECURITY: Record<Access, OpenApiOperation['security']> = {
  public: undefined,
  'signed-in': [{ session: [] }],
  admin: [{ adminToken: [] }, { session: [] }],
};

function operation(schemas: Schemas, d: RouteDeclaration): OpenApiOperation {
  const parameters = [
    ...Object.entries(d.params?.entries ?? {}).map(([n, s]) => parameter(schemas, n, 'path', s as v.GenericSchema)),
    ...Object.entries(d.query?.entries ?? {}).map(([n, s]) => parameter(schemas, n, 'query', s as v.GenericSchema)),
  ];
  const { answer } = d;
  const mediaType = answer.mediaType ?? 'application/json';
  const success = {
    description: answer.description ?? 'OK',
    content: { [mediaType]: { schema: answer.schema ? schemas.of(answer.schema) : { type: 'string' } } },
  };
  const responses: OpenApiOperation['responses'] = {};
  for (const status of [answer.status].flat()) responses[status] = status === 204 ? { description: answer.description ?? 'No Content' } : success;
  if (d.method === 'get' && d.access === 'public') responses[304] = { description: 'Not Modified (If-None-Match)' };
  for (const [status, text] of Object.entries({ ...impliedErrors(d), ...d.errors })) responses[status] = errorAnswer(text);
  const security = SECURITY[d.access];
  return {
    summary: d.summary,
    ...(d.description ? { description: d.description } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(d.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemas.of(d.body) } } } } : {}),
    ...(d.rawBody ? { requestBody: { required: true, content: { [d.rawBody.mediaType]: { schema: { type: 'string', description: d.rawBody.description } } } } } : {}),
    responses,
    ...(security ? { security } : {}),
  };
}

const built = new WeakMap<readonly RouterRoute[], OpenApiDocument>();

/**
 * The document of every declared route in `routes` (the app's `app.routes`), in the order they
 * are registered. Built once per isolate: it depends on nothing but the code.
 */
export function openApiDocument(routes: readonly RouterRoute[]): OpenApiDocument {
  const done = built.get(routes);
  if (done) return done;
  const schemas = new Schemas();
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const declaration = declarationOf(route);
    if (declaration) (paths[openApiPath(route.path)] ??= {})[declaration.method] = operation(schemas, declaration);
  }
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: '年报 Nianbao — 政府信息公开工作年度报告开放接口',
      version: '1',
      description:
        '已发布的政府信息公开工作年度报告：JSON、CSV、JSON Feed 与年度汇总。公开接口无需登录，允许任何来源（CORS *），支持 ETag/304。' +
        '填报接口需登录（会话 Cookie），管理接口需管理员登录或 ADMIN_TOKEN。' +
        '错误为 {"error": {"code", "message", "details"}}，默认中文，Accept-Language 偏好 en 时为英文。',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: schemas.components(),
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      },
    },
  };
  built.set(routes, document);
  return document;
}
