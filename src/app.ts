import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { csrf } from 'hono/csrf';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { adminApiRoutes } from './areas/admin/api';
import { adminPages } from './areas/admin/pages';
import { reportAdminRoutes } from './areas/admin/reopen';
import { authRoutes } from './areas/auth/routes';
import { draftsRoutes } from './areas/clerk/drafts';
import { clerkRoutes } from './areas/clerk/routes';
import { cyclePages } from './areas/cycles/page';
import { progressApiRoutes } from './areas/progress/api';
import { progressPages } from './areas/progress/page';
import { devCronRoutes } from './areas/dev/cron';
import { devMailRoutes } from './areas/dev/mail';
import { publicRoutes } from './areas/public/routes';
import { templatesRoutes } from './areas/public/templates';
import { reviewAppRoutes } from './areas/review/app-routes';
import { reviewLinkRoutes } from './areas/review/link-routes';
import { loadViewer } from './http/auth';
import { d1Session } from './http/d1-session';
import { runDayThroughQueues, runScheduled } from './cron';
import type { AppEnv } from './http/app-env';
import { handleError, handleNotFound } from './http/errors';
import { isOwnOrigin } from './http/origin';
import { sameOriginWrites } from './http/same-origin';
import { serveStatic, STATIC_PREFIX } from './http/static';
import { HomePage } from './views/home-page';
import { lang } from './http/lang';

/**
 * Content-Security-Policy for every response. Scripts come from our origin or carry the
 * per-request nonce (c.get('secureHeadersNonce')); nothing inline, no plugins, no framing.
 */
const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", NONCE],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  // The service worker that keeps the clerk's form offline (/static/sw.js).
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

export function createApp() {
  const app = new Hono<AppEnv>();

  app.use(secureHeaders({ contentSecurityPolicy, xFrameOptions: 'DENY' }));
  // c.var.db: the request's D1 Session (read replication; src/http/d1-session.ts).
  app.use(d1Session);
  // Form posts must come from our own pages (Origin check), and so must any other write a
  // browser sends (JSON included: src/http/same-origin.ts). Together with SameSite=Lax cookies
  // this closes CSRF; scripts without an Origin header are not browsers and pass.
  app.use(csrf({ origin: isOwnOrigin }));
  app.use(sameOriginWrites);
  app.use(loadViewer);

  app.onError(handleError);
  app.notFound(handleNotFound);

  app.get('/', etag(), (c) => {
    c.header('Vary', 'Accept-Language');
    return c.html(HomePage({ lang: lang(c) }));
  });
  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ ok: true });
  });
  app.get(`${STATIC_PREFIX}/*`, serveStatic);

  app.route('/api/v1', templatesRoutes);
  app.route('/api/v1/admin', adminApiRoutes);
  app.route('/api/v1/admin', progressApiRoutes);
  // The OpenAPI document describes every area's declared routes: generated from this app's route
  // table at build time (scripts/build-client.mjs), served as a file.
  app.route('/', publicRoutes());
  app.route('/api/v1/drafts', draftsRoutes);
  app.route('/', authRoutes);
  app.route('/app/reports', clerkRoutes);
  app.route('/app/progress', progressPages);
  app.route('/app/cycles', cyclePages);
  app.route('/app/admin', adminPages);
  app.route('/review', reviewLinkRoutes);
  app.route('/app/review', reviewAppRoutes);
  app.route('/api/v1/admin/reports', reportAdminRoutes);
  // Development only (api.md): the routes do not exist elsewhere.
  app.use('/dev/*', async (c, next) => (c.env.ENVIRONMENT === 'development' ? next() : c.notFound()));
  app.route('/dev', devMailRoutes);
  app.route('/dev', devCronRoutes(runScheduled, runDayThroughQueues));

  return app;
}
