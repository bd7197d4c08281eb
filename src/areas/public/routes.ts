// Everything the public reads, mounted at '/': pages, the feed, the OpenAPI document and its
// docs page, the JSON/CSV API under /api/v1, and /favicon.ico.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env';
import { lang } from '../../http/lang';
import { publicResponses } from '../../http/public';
import { publicApiRoutes } from './api';
import { publicDocxRoutes } from './docx';
import { feedRoutes } from './feed';
import type { OpenApiDocument } from './openapi';
import { publicPageRoutes } from './pages';
import { ApiDocsPage } from './views/api-docs';

/**
 * `apiDocument`: the OpenAPI document of the whole app. It describes every area's routes, so only
 * the app can assemble it (src/app.ts, from its own route table with openApiDocument()).
 */
export function publicRoutes(apiDocument: () => OpenApiDocument) {
  const routes = new Hono<AppEnv>();
  routes.route('/api/v1', publicApiRoutes);
  routes.route('/', feedRoutes);
  routes.route('/', publicDocxRoutes);
  routes.route('/', publicPageRoutes);
  routes.get('/api/openapi.json', publicResponses, (c) => c.json(apiDocument()));
  routes.get('/api', publicResponses, (c) => {
    c.header('Vary', 'Accept-Language');
    return c.html(ApiDocsPage({ document: apiDocument(), lang: lang(c) }));
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
