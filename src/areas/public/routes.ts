// Everything the public reads, mounted at '/': pages, the feed, the OpenAPI document and its
// docs page, and the JSON/CSV API under /api/v1.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env';
import { publicResponses } from '../../http/public';
import { publicApiRoutes } from './api';
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
  routes.route('/', publicPageRoutes);
  routes.get('/api/openapi.json', publicResponses, (c) => c.json(apiDocument()));
  routes.get('/api', publicResponses, (c) => c.html(ApiDocsPage({ document: apiDocument() })));
  return routes;
}
