import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { templatesRoutes } from './areas/public/templates';
import { getDb } from './db/client';
import type { AppEnv } from './env';
import { handleError, handleNotFound } from './http/errors';
import { serveStatic, STATIC_PREFIX } from './http/static';
import { HomePage } from './views/home-page';

/**
 * Content-Security-Policy for every response. Scripts come from our origin or carry the
 * per-request nonce (c.get('secureHeadersNonce')); nothing inline, no plugins, no framing.
 */
const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", NONCE],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

export function createApp() {
  const app = new Hono<AppEnv>();

  app.use(secureHeaders({ contentSecurityPolicy, xFrameOptions: 'DENY' }));
  app.use(async (c, next) => {
    c.set('db', getDb(c.env.DB));
    await next();
  });

  app.onError(handleError);
  app.notFound(handleNotFound);

  app.get('/', etag(), (c) => c.html(HomePage()));
  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ ok: true });
  });
  app.get(`${STATIC_PREFIX}/*`, serveStatic);

  app.route('/api/v1', templatesRoutes);

  return app;
}
