// Writes from a browser must come from our own pages, whatever their content type.
//
// hono/csrf checks only the content types a plain HTML form can send (form-urlencoded, multipart,
// text/plain). A JSON write from another site is stopped today only because its preflight is
// never granted; this makes it explicit and independent of CORS: any request other than
// GET/HEAD/OPTIONS that carries a browser's Origin header naming another site is a 403. Requests
// without Origin (curl, scripts with ADMIN_TOKEN, the cron) are not browsers and pass.
//
// Our pages are served with `Referrer-Policy: no-referrer`, under which a browser's form post
// says `Origin: null` even to its own site; the browser's `Sec-Fetch-Site: same-origin` (which no
// page script can set) then says it came from our pages, as hono/csrf also reads it.
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './app-env';
import { isOwnOrigin } from './origin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const sameOriginWrites: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header('Origin');
  const fromOurPages = c.req.header('Sec-Fetch-Site') === 'same-origin';
  if (origin !== undefined && !SAFE_METHODS.has(c.req.method) && !fromOurPages && !isOwnOrigin(origin, c)) throw new HTTPException(403);
  await next();
};
