// The one place that decides who may do what. Every route that needs a person uses these;
// no route checks roles by hand.
import { eq } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { units, type Unit } from '../db/schema';
import type { AppEnv } from './app-env';
import { ApiError } from './errors';
import { sha256Hex } from '../auth/crypto';
import { can, TOKEN_VIEWER, type Access } from '../auth/scope';
import { safeNext } from '../core/next-path';
import { viewerFromCookie } from './session-cookie';

/** Loads the viewer from the session cookie, if any, into c.var.viewer. Runs on every request. */
export const loadViewer: MiddlewareHandler<AppEnv> = async (c, next) => {
  const viewer = await viewerFromCookie(c, Date.now());
  if (viewer) c.set('viewer', viewer);
  await next();
};

/** The sign-in page, coming back here afterwards (the path passes safeNext like every `next`). */
const signInFor = (c: Context) => `/signin?next=${encodeURIComponent(safeNext(c.req.path))}`;

const isPage = (c: Context) => !c.req.path.startsWith('/api/') && c.req.method === 'GET';

const unauthorized = () =>
  new ApiError(401, 'unauthorized', '请先登录。', 'Please sign in.');
const forbidden = () =>
  new ApiError(403, 'forbidden', '您没有权限访问此内容。', 'You do not have access to this.');

/** Signed-in people only: pages redirect to the sign-in page, the API answers 401. */
export const requireViewer: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('viewer')) {
    if (isPage(c)) return c.redirect(signInFor(c), 303);
    throw unauthorized();
  }
  await next();
};

/** Compares two secrets without leaking where they differ: hash both, compare the digests. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256Hex(given), sha256Hex(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Administrators: an administrator's session, or `Authorization: Bearer <ADMIN_TOKEN>` for
 * scripts (audited as 'admin-token'). A wrong token is a 401, a non-admin person a 403.
 */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('Authorization');
  if (header !== undefined) {
    const token = header.match(/^Bearer\s+(\S+)$/i)?.[1];
    const expected = c.env.ADMIN_TOKEN;
    if (!token || !expected || !(await sameSecret(token, expected))) {
      throw new ApiError(401, 'bad_token', '管理令牌无效。', 'The administration token is not valid.');
    }
    c.set('viewer', TOKEN_VIEWER);
    return next();
  }
  const viewer = c.get('viewer');
  if (!viewer) throw unauthorized();
  if (!viewer.isAdmin) throw forbidden();
  await next();
};

/**
 * The administrator's pages: not signed in → the sign-in page, signed in but not an
 * administrator → 403. (Pages take no script token: that is the API's, requireAdmin.)
 */
export const requireAdminPage: MiddlewareHandler<AppEnv> = async (c, next) => {
  const viewer = c.get('viewer');
  if (!viewer) {
    if (isPage(c)) return c.redirect(signInFor(c), 303);
    throw unauthorized();
  }
  if (!viewer.isAdmin) throw forbidden();
  await next();
};

export type UnitEnv = AppEnv & { Variables: AppEnv['Variables'] & { unit: Unit } };

/**
 * The unit named by the route's `:unit` parameter, if the viewer may `access` it: 404 for an
 * unknown unit, 401 when not signed in, 403 when the unit is outside the viewer's scope.
 */
export const requireUnit = (access: Access) =>
  createMiddleware<UnitEnv>(async (c, next) => {
    const viewer = c.get('viewer');
    if (!viewer) {
      if (isPage(c)) return c.redirect(signInFor(c), 303);
      throw unauthorized();
    }
    const code = c.req.param('unit') ?? '';
    const [unit] = await c.get('db').select().from(units).where(eq(units.code, code)).limit(1);
    if (!unit) throw new ApiError(404, 'unknown_unit', `没有代码为“${code}”的单位。`, `There is no unit with code "${code}".`);
    if (!can(viewer, access, unit.id)) throw forbidden();
    c.set('unit', unit);
    await next();
  });
