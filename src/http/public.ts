import type { MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import { cors } from 'hono/cors';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';

/** How long browsers and caches may keep public data before revalidating with the ETag. */
const PUBLIC_MAX_AGE_SECONDS = 300;

const cacheBriefly: MiddlewareHandler = async (c, next) => {
  await next();
  const readable = c.req.method === 'GET' || c.req.method === 'HEAD';
  if (readable && (c.res.ok || c.res.status === 304) && !c.res.headers.has('Cache-Control')) {
    c.res.headers.set('Cache-Control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
  }
};

/**
 * For routes that serve only published data (api.md "Public"): readable from any origin,
 * an ETag with 304 on If-None-Match, and a short public cache lifetime.
 */
export const publicResponses: MiddlewareHandler = every(
  cors({ origin: '*', exposeHeaders: ['ETag', 'Last-Modified'] }),
  cacheBriefly,
  // A 304 keeps what a cross-origin reader needs to use its cached copy (CORS) and its date.
  etag({ retainedHeaders: [...RETAINED_304_HEADERS, 'access-control-allow-origin', 'access-control-expose-headers', 'last-modified'] }),
);
