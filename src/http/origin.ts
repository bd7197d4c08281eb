// Where absolute links (in mail, feeds, JSON) point: one rule for every area.
import type { Env } from '../db/env';

/** Any request context: `env` and the request URL are all this needs. */
type RequestContext = { env: Env; req: { url: string } };

/** BASE_URL when configured (the canonical host: a Host header cannot redirect mail links), else the request's origin. */
export const publicOrigin = (c: RequestContext): string => (c.env.BASE_URL || new URL(c.req.url).origin).replace(/\/+$/, '');
