import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { notFound } from './errors';

export const STATIC_PREFIX = '/static';

/**
 * GET /static/<file> → static/<file> through the ASSETS binding. The Worker runs first for
 * every request (wrangler.toml run_worker_first), so files live under one prefix of their own.
 * ASSETS answers conditional requests (ETag / 304) itself.
 */
export async function serveStatic(c: Context<AppEnv>): Promise<Response> {
  const url = new URL(c.req.url);
  url.pathname = url.pathname.slice(STATIC_PREFIX.length);
  const asset = await c.env.ASSETS.fetch(new Request(url, c.req.raw));
  if (asset.status === 404) throw notFound();
  // A fetched response has immutable headers; copy it so the header middleware can add its own.
  const response = new Response(asset.body, asset);
  // The service worker that keeps the clerk's form offline (src/client/sw.ts) lives here but
  // must also see the sign-out post: it may serve the whole origin.
  if (url.pathname === '/sw.js') response.headers.set('Service-Worker-Allowed', '/');
  return response;
}
