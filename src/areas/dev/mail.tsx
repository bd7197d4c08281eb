import { Hono } from 'hono';
import type { AppEnv } from '../../env';

/** GET /dev/mail, /dev/mail.json (ENVIRONMENT=development only). */
export const devMailRoutes = new Hono<AppEnv>();
