// Where the links in mail point, and what signs the approval links, for the routes that submit
// or decide (clerk, drafts API, review, admin).
import type { Env } from '../../env';
import type { LinkSettings } from '../../reports/review-links';

import { publicOrigin } from '../../http/origin';

/** `c`: the request's Hono context (any area's). */
type RequestContext = { env: Env; req: { url: string } };

export const mailOrigin = publicOrigin;

/** A missing LINK_SECRET is a deployment mistake: fail loudly rather than send unsigned links. */
export function linkSettings(c: RequestContext): LinkSettings {
  const secret = c.env.LINK_SECRET;
  if (!secret) throw new Error('LINK_SECRET is not set: `wrangler secret put LINK_SECRET` (or .dev.vars locally)');
  return { secret, origin: mailOrigin(c) };
}
