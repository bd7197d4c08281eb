import { Hono } from 'hono';
import type { AppEnv } from '../../env';

/** PUT /api/v1/admin/units/{code}, PUT /api/v1/admin/people/{email}. */
export const adminApiRoutes = new Hono<AppEnv>();
