// Everything the public reads, mounted at '/': pages, the feed, the OpenAPI document and its
// docs page, the JSON/CSV API under /api/v1, and /favicon.ico.
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../http/errors';
import { lang } from '../../http/lang';
import { publicResponses } from '../../http/public';
import { publicApiRoutes } from './api';
import { publicDocxRoutes } from './docx';
import { feedRoutes } from './feed';
import type { OpenApiDocument } from './openapi';
import { publicPageRoutes } from './pages';
import { ApiDocsPage } from './views/api-docs';

/**
 * The OpenAPI document of the whole app describes every area's routes, so it is generated from
 * the app's route table at build time (scripts/build-client.mjs → static/openapi.json) and
 * served from the static files: the generator and @valibot/to-json-schema stay out of the Worker.
 */
export function publicRoutes() {
  const routes = new Hono<AppEnv>();
  routes.route('/api/v1', publicApiRoutes);
  routes.route('/', feedRoutes);
  routes.route('/', publicDocxRoutes);
  routes.route('/', publicPageRoutes);
  routes.get('/api/openapi.json', publicResponses, async (c) => {
    c.header('Content-Type', 'application/json');
    return c.body(await apiDocumentText(c));
  });
  routes.get('/api', publicResponses, async (c) => {
    c.header('Vary', 'Accept-Language');
    const document = JSON.parse(await apiDocumentText(c)) as OpenApiDocument;
    return c.html(ApiDocsPage({ document, lang: lang(c) }));
  });
  // Browsers, feed readers and bookmarks ask for /favicon.ico at the root whatever a page links:
  // static/favicon.ico (32×32), cacheable for a day.
  routes.get('/favicon.ico', async (c) => {
    const asset = await c.env.ASSETS.fetch(new Request(new URL('/favicon.ico', c.req.url), c.req.raw));
    const icon = new Response(asset.body, asset);
    if (asset.ok) icon.headers.set('Cache-Control', 'public, max-age=86400');
    return icon;
  });
  return routes;
}

/** The document as built with this deployment (the same for every request: kept once read). */
let documentText: string | undefined;

async function apiDocumentText(c: Context<AppEnv>): Promise<string> {
  if (documentText !== undefined) return documentText;
  const res = await c.env.ASSETS.fetch(new Request(new URL('/openapi.json', c.req.url)));
  // Missing only when the build step did not run: a fault of the deployment, said as such.
  if (!res.ok) throw new ApiError(503, 'unavailable', 'API 说明文档尚未生成。', 'The API description has not been built.');
  documentText = await res.text();
  return documentText;
}
