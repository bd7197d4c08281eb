// Where the links in mail point, and what signs the approval links, for the routes that submit
// or decide (clerk, drafts API, review, admin).
import type { Env } from '../db/env';
import type { LinkSettings } from '../reports/review-links';
import { ApiError } from './errors';
import { mailOrigin } from './origin';

/** `c`: the request's Hono context (any area's). */
type RequestContext = { env: Env; req: { url: string } };

/**
 * A missing LINK_SECRET (or, in production, BASE_URL: src/http/origin.ts) is a deployment mistake: refuse (503, saying what to do, logged) rather
 * than send unsigned links. Nothing has been written when this is thrown.
 */
export function linkSettings(c: RequestContext): LinkSettings {
  const secret = c.env.LINK_SECRET;
  if (!secret) {
    console.error('LINK_SECRET is not set: `wrangler secret put LINK_SECRET` (or .dev.vars locally)');
    throw new ApiError(
      503,
      'not_configured',
      '系统尚未配置审核链接密钥（LINK_SECRET），暂时不能提交或审核。您的报告已保存，请联系管理员。',
      'The approval-link secret (LINK_SECRET) is not configured, so reports cannot be submitted or reviewed yet. Your report is saved; contact the administrator.',
    );
  }
  return { secret, origin: mailOrigin(c) };
}
