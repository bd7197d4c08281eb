import { Hono } from 'hono';
import type { AppEnv } from '../../env';

/** /signin, /auth/link, /auth/verify, /auth/logout, /app. */
export const authRoutes = new Hono<AppEnv>();
