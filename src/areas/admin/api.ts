// The administration API (api.md "Administration"): an administrator's session, or the
// ADMIN_TOKEN bearer for scripts. Every route is behind requireAdmin; nothing here checks roles.
import { Hono } from 'hono';
import { requireAdmin } from '../../http/auth';
import type { AppEnv } from '../../http/app-env';
import { defineRoute } from '../../http/route';
import { bulkPeopleRoute, bulkUnitsRoute } from './bulk';
import { getCycleRoute, putCycleRoute } from './cycles';
import { importRoute, textImportRoute } from './import';
import { bulkImportRoute } from './import-bulk';
import { invitePersonRoute, putPersonRoute } from './people';
import { putUnitRoute } from './units';

/** PUT /api/v1/admin/units/{code}, PUT /api/v1/admin/people/{email}, PUT and GET /api/v1/admin/cycles/{year}, the imports. */
export const adminApiRoutes = new Hono<AppEnv>();

adminApiRoutes.use(requireAdmin);
// Answers describe people and the unit tree as the administrator sees them: never cached.
adminApiRoutes.use(async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
});

defineRoute(adminApiRoutes, putUnitRoute);
defineRoute(adminApiRoutes, putPersonRoute);
defineRoute(adminApiRoutes, invitePersonRoute);
defineRoute(adminApiRoutes, putCycleRoute);
defineRoute(adminApiRoutes, getCycleRoute);
defineRoute(adminApiRoutes, importRoute);
defineRoute(adminApiRoutes, textImportRoute);
defineRoute(adminApiRoutes, bulkImportRoute);
defineRoute(adminApiRoutes, bulkUnitsRoute);
defineRoute(adminApiRoutes, bulkPeopleRoute);
