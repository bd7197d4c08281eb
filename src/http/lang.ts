// The language of a request (src/core/i18n.ts decides; this only reads the request).
import type { Context } from 'hono';
import { chooseLang, type Lang } from '../core/i18n';

export function lang(c: Context): Lang {
  return chooseLang(c.req.header('Accept-Language'), c.req.query('lang'));
}
