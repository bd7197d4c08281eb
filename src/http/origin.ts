// Where absolute links (in mail, feeds, JSON) point: one rule for every area.
//
// A link in mail goes to someone other than the requester, so its host must never come from the
// request: a forged Host header would otherwise mail a person a live sign-in or approval link to
// the attacker's site. In production BASE_URL is required for mail (mailOrigin refuses without
// it); in development and test, where `wrangler dev` and the tests run on whatever port they
// got, the request's own origin stands in. Links in an answer go back to the requester
// themselves, so there the request's origin is an acceptable default.
import type { Env } from '../db/env';
import { ApiError } from './errors';

/** Any request context: `env` and the request URL are all this needs. */
type RequestContext = { env: Env; req: { url: string } };

const configured = (env: Env) => env.BASE_URL?.replace(/\/+$/, '') || undefined;
const requestOrigin = (c: RequestContext) => new URL(c.req.url).origin;

/** Environments where a person at the keyboard controls the Host header anyway (wrangler dev, tests). */
const isLocal = (env: Env) => env.ENVIRONMENT === 'development' || env.ENVIRONMENT === 'test';

/** For links in an answer to this request: BASE_URL when configured, else the request's origin. */
export const publicOrigin = (c: RequestContext): string => configured(c.env) ?? requestOrigin(c);

/**
 * The origin for links sent by mail, by the one rule requests and the cron share: BASE_URL; in
 * development and test (nothing to forge: a developer at the keyboard) `local`, the request's
 * origin or the demo's address; in production without BASE_URL none.
 */
export function configuredMailOrigin(env: Env, local = 'http://localhost:8787'): string | undefined {
  return configured(env) ?? (isLocal(env) ? local : undefined);
}

/**
 * For links sent by mail (sign-in, approval, decision and correction mail). In production without
 * BASE_URL this refuses (503, logged for the operator) before anything is written or queued.
 */
export function mailOrigin(c: RequestContext): string {
  const origin = configuredMailOrigin(c.env, requestOrigin(c));
  if (origin) return origin;
  console.error('BASE_URL is not set: links in mail need the public origin, e.g. BASE_URL = "https://nianbao.example.gov.cn" in wrangler.toml [vars]');
  throw new ApiError(
    503,
    'not_configured',
    '系统尚未配置对外网址（BASE_URL），暂时不能发送含链接的邮件（登录、审核）。请联系管理员。',
    'The public address (BASE_URL) is not configured, so mail with links (sign-in, review) cannot be sent yet. Contact the administrator.',
  );
}

/** A browser's Origin header naming this site: the request's own origin, or BASE_URL. */
export const isOwnOrigin = (origin: string, c: RequestContext): boolean => origin === requestOrigin(c) || origin === configured(c.env);
