// What the paged and streamed public answers share: reading a `cursor` (a 422 naming it when it is
// not one this list gave), the `next` address (the request's own, its cursor replaced), and the
// middleware of a streamed answer.
import type { Context, MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import { cors } from 'hono/cors';
import type { AppEnv } from '../../http/app-env';
import { invalidInput } from '../../http/errors';
import { lang } from '../../http/lang';
import { translator } from '../../core/i18n';
import { decodeCursor } from '../../publication/pages';

/** The sort key a `cursor` names, undefined without one; a 422 naming `cursor` for anything else. */
export function readCursor(c: Context<AppEnv>, cursor: string | undefined, shape: readonly ('number' | 'string')[]) {
  if (cursor === undefined) return undefined;
  const key = decodeCursor(cursor, shape);
  if (key) return key;
  throw invalidInput([{ field: 'cursor', message: translator(lang(c))('不是本列表给出的游标', 'is not a cursor this list gave') }]);
}

/** The request's own address on `origin` with `cursor` set (and `page` dropped: the cursor replaces it). */
export function nextUrl(c: Context<AppEnv>, origin: string, cursor: string): string {
  const url = new URL(c.req.url);
  const query = new URLSearchParams(url.search);
  query.delete('page');
  query.set('cursor', cursor);
  return `${origin}${url.pathname}?${query}`;
}

/** How long browsers and caches may keep a streamed public answer (as publicResponses does). */
const STREAM_MAX_AGE_SECONDS = 300;

/**
 * publicResponses (src/http/public.ts) for a streamed answer: readable from any origin and
 * briefly cacheable, but without hono/etag, which would read the whole body to hash it.
 */
export const publicStream: MiddlewareHandler<AppEnv> = every(
  cors({ origin: '*', exposeHeaders: ['Last-Modified'] }),
  async (c, next) => {
    await next();
    if (c.res.ok && !c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', `public, max-age=${STREAM_MAX_AGE_SECONDS}`);
  },
);
