/**
 * The one error shape of the API: `{"error": {"code", "message", "details": [...]}}`, with the
 * message in Chinese, or English when the request prefers it (src/i18n.ts). Routes throw
 * ApiError (or let valibot throw ValiError); app.onError turns everything into that shape.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import type { AppEnv } from './app-env';
import { lang } from './lang';
import { translator, type Lang, type Localized } from '../core/i18n';
import { ErrorPage } from '../views/error-page';

/** One item of `details`: usually the offending field (a dot path such as `cells.T.R.C`). */
export type ErrorDetail = { field?: string; message: string; [key: string]: unknown };

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly details: ErrorDetail[] = [],
    /** Extra top-level members beside `error`, e.g. `current` on a 409 stale save. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${en}`);
    this.name = 'ApiError';
  }
}

export const notFound = () => new ApiError(404, 'not_found', '找不到该资源。', 'Not found.');

export const malformedJson = () =>
  new ApiError(400, 'malformed_json', '请求正文不是有效的 JSON。', 'The request body is not valid JSON.');

export const invalidInput = (details: ErrorDetail[]) =>
  new ApiError(422, 'invalid_input', '提交的数据不符合要求。', 'The submitted data is invalid.', details);

/** 403 naming what lies outside the units the administrator manages (src/auth/scope.ts canManage). */
export const outOfScope = (lang: Lang, field: string, zh: string, en: string) =>
  new ApiError(403, 'out_of_scope', '超出您管理的单位范围。', 'This is outside the units you manage.', [{ field, message: translator(lang)(zh, en) }]);

const internalError = () =>
  new ApiError(500, 'internal', '服务器内部错误，请稍后再试。', 'Internal server error. Please try again later.');

/** Messages for the HTTP errors Hono itself raises (HTTPException), by status. */
const HTTP_MESSAGES: Record<number, { code: string } & Localized> = {
  400: { code: 'bad_request', zh: '请求有误。', en: 'Bad request.' },
  401: { code: 'unauthorized', zh: '请先登录。', en: 'Please sign in.' },
  403: { code: 'forbidden', zh: '没有权限。', en: 'Forbidden.' },
  404: { code: 'not_found', zh: '找不到该资源。', en: 'Not found.' },
  405: { code: 'method_not_allowed', zh: '不支持该请求方法。', en: 'Method not allowed.' },
  413: { code: 'payload_too_large', zh: '请求内容过大。', en: 'Payload too large.' },
  415: { code: 'unsupported_media_type', zh: '不支持的内容类型。', en: 'Unsupported media type.' },
  429: { code: 'too_many_requests', zh: '请求过于频繁，请稍后再试。', en: 'Too many requests. Please try again later.' },
};

/** Maps a thrown value to an ApiError; undefined means "a bug": answered with a generic 500. */
function toApiError(err: unknown, c: Context<AppEnv>): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof v.ValiError) {
    return invalidInput(
      err.issues.map((issue) => ({ field: v.getDotPath(issue) ?? '', message: issue.message })),
    );
  }
  if (err instanceof HTTPException && err.status < 500) {
    const known = HTTP_MESSAGES[err.status] ?? HTTP_MESSAGES[400]!;
    return new ApiError(err.status as ContentfulStatusCode, known.code, known.zh, known.en);
  }
  // c.req.json() on a malformed body throws a SyntaxError. Routes should prefer readJson(),
  // which says so precisely; this catches the ones that call c.req.json() directly (a
  // SyntaxError while the body is still unread is a bug, and stays a 500).
  if (err instanceof SyntaxError && c.req.raw.bodyUsed) return malformedJson();
  return undefined;
}

/** JSON for API clients, a small HTML page for people. */
function wantsJson(c: Context): boolean {
  const path = c.req.path;
  if (path.startsWith('/api/') || path.endsWith('.json')) return true;
  // A client that sent JSON (e.g. POST /auth/link {email}) reads JSON back.
  if ((c.req.header('Content-Type') ?? '').startsWith('application/json')) return true;
  const accept = c.req.header('Accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export function errorResponse(c: Context<AppEnv>, error: ApiError): Response | Promise<Response> {
  const language = lang(c);
  const message = translator(language)(error);
  if (wantsJson(c)) {
    return c.json(
      { ...error.extra, error: { code: error.code, message, details: error.details } },
      error.status,
    );
  }
  return c.html(ErrorPage({ status: error.status, message, lang: language }), error.status);
}

/**
 * Log text without the secrets a URL can carry: the approval link's token (/review/{token}, not
 * the signed-in /app/review/…) and any `token=` in a query or form (sign-in links). Logs are read
 * by more people, and kept longer, than the links live.
 */
export function redactTokens(text: string): string {
  return text
    .replace(/(?<!\/app)(\/review\/)[^/?#\s"'<>]+/g, '$1[redacted]')
    .replace(/(\btoken=)[^&#\s"'<>]+/gi, '$1[redacted]');
}

/** An error as one line of text (name, message, stack), for the log. */
const describeError = (err: unknown) => (err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err));

/** app.onError: known errors keep their status; anything else is logged (tokens redacted) and becomes a 500. */
export function handleError(err: unknown, c: Context<AppEnv>): Response | Promise<Response> {
  const known = toApiError(err, c);
  if (!known) console.error(redactTokens(`Unhandled error ${c.req.method} ${c.req.path} ${describeError(err)}`));
  return errorResponse(c, known ?? internalError());
}

/** app.notFound: no route matched. */
export function handleNotFound(c: Context<AppEnv>): Response | Promise<Response> {
  return errorResponse(c, notFound());
}

/** Parses a JSON request body; a malformed body is a 400 that says so, never a 500. */
export async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw malformedJson();
  }
}
