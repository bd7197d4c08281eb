// Each JSON API route declared once, as data: its method and path, the valibot schemas of its path
// parameters, query and body, who may call it, and its answer. defineRoute() registers the Hono
// handler, which parses the input with those schemas before the route's own code runs (422 naming
// each field, or the route's 404 for a path parameter that names nothing), and tags the handler
// with the declaration. The OpenAPI document is then read off the app's own route table
// (`app.routes`, see src/areas/public/openapi.ts): a route that is registered is described, with
// the very schemas that parse its input, and no list of routes is kept by hand anywhere.
//
// Why this file of our own rather than hono-openapi (describeRoute + its valibot resolver):
// hono-openapi brings four packages (@hono/standard-validator, @standard-community/standard-json
// and standard-openapi, openapi-types) for what @valibot/to-json-schema, already ours, does; its
// validator answers failures in its own shape and status, where ours must keep the one error shape
// with Chinese and English messages, path parameters that are fields (a 422) in the admin API but
// a plain 404 in public addresses, and a form-or-JSON body on POST /auth/link. Matching that
// through its hooks would be more code than this file, and harder to read.
import type { Context, Env, Hono, MiddlewareHandler } from 'hono';
import type { RouterRoute } from 'hono/types';
import * as v from 'valibot';
import type { AppEnv } from './app-env';
import { ApiError, readJson, type ErrorDetail } from './errors';
import { isFormPost, readForm } from './form';
import { lang } from './lang';
import { describeIssues, notAnObject } from './validation';

/** Who may call a route: anyone, a signed-in person (session cookie), an administrator (or ADMIN_TOKEN). */
export type Access = 'public' | 'signed-in' | 'admin';

type SuccessStatus = 200 | 201 | 202 | 204;
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 422 | 429 | 503;

/** Path parameters and query strings are flat objects of strings: each entry is one parameter. */
export type ParamsSchema = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;

export interface Answer {
  /** The statuses it comes with (e.g. 201 when created, 200 when updated). */
  status: SuccessStatus | readonly SuccessStatus[];
  /** The body's schema; without one the answer is described by `description` only (CSV, HTML). */
  schema?: v.GenericSchema;
  /** Default application/json. */
  mediaType?: string;
  description?: string;
}

type Out<S> = S extends v.GenericSchema ? v.InferOutput<S> : undefined;

export interface RouteInput<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

export interface RouteSpec<E extends Env, P extends ParamsSchema | undefined, Q extends ParamsSchema | undefined, B extends v.GenericSchema | undefined> {
  method: 'get' | 'post' | 'put';
  /** Relative to where the router is mounted, as OpenAPI writes it: '/reports/{unit}/{year}.csv'. */
  path: string;
  summary: string;
  description?: string;
  access: Access;
  params?: P;
  /**
   * A path parameter that does not parse: 'invalid_input' names it in the 422 beside the body's
   * fields (PUT /admin/units/{code}); a function gives the route's own answer, usually the 404
   * of a resource that cannot exist (a year 20x4).
   */
  badPath?: 'invalid_input' | ((c: Context<E>) => ApiError);
  query?: Q;
  /** The JSON body: always an object (api.md). */
  body?: B;
  /**
   * A body that is not a JSON object (a CSV file): the route reads it itself; this documents it.
   * Not with `body`.
   */
  rawBody?: { mediaType: string; description: string };
  /** The body may also come as a form post (a page without JavaScript posts the same fields). */
  formBody?: boolean;
  /** Answers invalid input itself (a page showing the error beside its field) instead of the 422. */
  onInvalid?: (c: Context<E>, raw: Record<string, unknown>, details: ErrorDetail[]) => Response | Promise<Response>;
  answer: Answer;
  /** Other answers worth documenting, beside those the declaration implies (401, 403, 404, 422). */
  errors?: Partial<Record<ErrorStatus, string>>;
  /** Middleware run before the input is read (authorisation, caching). */
  use?: readonly MiddlewareHandler<E>[];
  handle: (c: Context<E>, input: RouteInput<P, Q, B>) => Response | Promise<Response>;
}

/** What the OpenAPI document reads of a declaration (everything but the code). */
export type RouteDeclaration = Omit<RouteSpec<Env, ParamsSchema | undefined, ParamsSchema | undefined, v.GenericSchema | undefined>, 'handle' | 'use' | 'onInvalid' | 'badPath'> & {
  /** Whether a path parameter that does not parse is a 404 (documented as such). */
  pathNotFound: boolean;
};

const DECLARATION = Symbol('route declaration');

/** The declaration behind a registered handler (an entry of `app.routes`), if it has one. */
export const declarationOf = (route: RouterRoute): RouteDeclaration | undefined =>
  (route.handler as { [DECLARATION]?: RouteDeclaration })[DECLARATION];

// ---------------------------------------------------------------------------------------------
// Paths: OpenAPI '{year}.csv' ⇄ Hono ':year{[^/]+\.csv}' (a Hono parameter is a whole segment)
// ---------------------------------------------------------------------------------------------

const TEMPLATE_SEGMENT = /^\{(\w+)\}((?:\.\w+)?)$/;

function honoPath(template: string): string {
  return template
    .split('/')
    .map((segment) => {
      const m = TEMPLATE_SEGMENT.exec(segment);
      if (!m) return segment;
      const [, name, suffix] = m;
      return suffix ? `:${name}{[^/]+\\${suffix}}` : `:${name}`;
    })
    .join('/');
}

/** A registered Hono path as OpenAPI writes it: '/api/v1/reports/:unit/:year{[^/]+\.csv}' → '/api/v1/reports/{unit}/{year}.csv'. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)(?:\{\[\^\/\]\+\\(\.\w+)\})?/g, (_, name: string, suffix: string | undefined) => `{${name}}${suffix ?? ''}`);
}

/** The path parameters as the template names them (a segment's literal suffix taken off). */
function pathValues(c: Context, template: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const segment of template.split('/')) {
    const m = TEMPLATE_SEGMENT.exec(segment);
    if (!m) continue;
    const [, name, suffix] = m as unknown as [string, string, string];
    const raw = c.req.param(name) ?? '';
    values[name] = suffix && raw.endsWith(suffix) ? raw.slice(0, -suffix.length) : raw;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Reading the input
// ---------------------------------------------------------------------------------------------

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

type AnySpec<E extends Env> = RouteSpec<E, ParamsSchema | undefined, ParamsSchema | undefined, v.GenericSchema | undefined>;

/**
 * The route's input, parsed: every malformed field of the path (when its parameters are fields),
 * the query and the body in one 422; then a path that names nothing gets the route's own answer.
 */
async function readInput<E extends Env>(c: Context<E>, spec: AnySpec<E>): Promise<RouteInput<unknown, unknown, unknown> | Response> {
  const issues: v.BaseIssue<unknown>[] = [];
  const input: Record<'params' | 'query' | 'body', unknown> = { params: undefined, query: undefined, body: undefined };
  let pathNamesNothing = false;
  if (spec.params) {
    const parsed = v.safeParse(spec.params, pathValues(c, spec.path));
    if (parsed.success) input.params = parsed.output;
    else if (spec.badPath === 'invalid_input') issues.push(...parsed.issues);
    else pathNamesNothing = true;
  }
  if (spec.query) {
    const parsed = v.safeParse(spec.query, c.req.query());
    if (parsed.success) input.query = parsed.output;
    else issues.push(...parsed.issues);
  }
  let raw: Record<string, unknown> = {};
  if (spec.body) {
    const body = spec.formBody && isFormPost(c) ? await readForm(c) : await readJson(c);
    if (!isObject(body)) {
      const refusal = notAnObject(lang(c));
      if (spec.onInvalid) return spec.onInvalid(c, {}, refusal.details);
      throw refusal;
    }
    raw = body;
    const parsed = v.safeParse(spec.body, body);
    if (parsed.success) input.body = parsed.output;
    else issues.push(...parsed.issues);
  }
  if (issues.length > 0) {
    const details = describeIssues(issues, lang(c));
    if (spec.onInvalid) return spec.onInvalid(c, raw, details);
    throw new ApiError(422, 'invalid_input', '提交的数据不符合要求。', 'The submitted data is invalid.', details);
  }
  if (pathNamesNothing) throw (spec.badPath as (c: Context<E>) => ApiError)(c);
  return input as unknown as RouteInput<unknown, unknown, unknown>;
}

/**
 * Registers the route on `router` (mounted wherever the app mounts it) and tags its handler with
 * the declaration, for the OpenAPI document.
 */
export function defineRoute<
  E extends Env,
  P extends ParamsSchema | undefined = undefined,
  Q extends ParamsSchema | undefined = undefined,
  B extends v.GenericSchema | undefined = undefined,
>(router: Hono<E, any, any>, spec: RouteSpec<E, P, Q, B>): void {
  const any = spec as unknown as AnySpec<E>;
  const handler = async (c: Context<E>) => {
    const input = await readInput(c, any);
    return input instanceof Response ? input : spec.handle(c, input as RouteInput<P, Q, B>);
  };
  const { handle: _h, use: _u, onInvalid: _o, badPath, ...declared } = any;
  const declaration: RouteDeclaration = { ...declared, pathNotFound: spec.params !== undefined && badPath !== 'invalid_input' };
  Object.defineProperty(handler, DECLARATION, { value: declaration });
  // Hono's typed overloads of on() cannot follow a method and handlers chosen at run time.
  const on = router.on.bind(router) as unknown as (method: string, path: string, ...handlers: unknown[]) => void;
  on(spec.method.toUpperCase(), honoPath(spec.path), ...(spec.use ?? []), handler);
}

/**
 * A declaration kept apart from its router, for a router that gathers the routes of several files
 * (the administration API): `defineRoute(router, spec)` registers it.
 */
export const route = <
  P extends ParamsSchema | undefined = undefined,
  Q extends ParamsSchema | undefined = undefined,
  B extends v.GenericSchema | undefined = undefined,
>(
  spec: RouteSpec<AppEnv, P, Q, B>,
) => spec;

// ---------------------------------------------------------------------------------------------
// Named schemas: components/schemas of the document
// ---------------------------------------------------------------------------------------------

const componentNames = new WeakMap<v.GenericSchema, string>();
const components = new Map<string, v.GenericSchema>();

/**
 * Gives a schema a name: the document describes it once, under components/schemas, and refers to
 * it wherever it appears (also inside other schemas).
 */
export function named<S extends v.GenericSchema>(name: string, schema: S): S {
  componentNames.set(schema, name);
  components.set(name, schema);
  return schema;
}

export const componentName = (schema: v.GenericSchema): string | undefined => componentNames.get(schema);

/** Every named schema, by name. */
export const namedSchemas = (): Record<string, v.GenericSchema> => Object.fromEntries(components);
