// Everything the public reads, mounted at '/': pages, the feed, the OpenAPI document and its
// docs page, and the JSON/CSV API under /api/v1.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env';
import { publicResponses } from '../../http/public';
import { publicApiRoutes } from './api';
import { feedRoutes } from './feed';
import { ENDPOINTS, openApiDocument } from './openapi';
import { publicPageRoutes } from './pages';
import { ApiDocsPage } from './views/api-docs';

export const publicRoutes = new Hono<AppEnv>();

publicRoutes.route('/api/v1', publicApiRoutes);
publicRoutes.route('/', feedRoutes);
publicRoutes.route('/', publicPageRoutes);
publicRoutes.get('/api/openapi.json', publicResponses, (c) => c.json(openApiDocument()));
publicRoutes.get('/api', publicResponses, (c) => c.html(ApiDocsPage({ endpoints: ENDPOINTS })));
