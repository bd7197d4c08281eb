// /signin, POST /auth/link, GET|POST /auth/verify, POST /auth/logout, GET /app (api.md "Signing in").
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { requireViewer } from '../../http/auth';
import { revokeSession } from '../../auth/sessions';
import { clearSessionCookie, setSessionCookie } from '../../http/session-cookie';
import { inspectToken, linkAllowance, redeemToken, requestSignInLink } from '../../auth/sign-in';
import { deadlineText, isEditable, nextCycleYear, statusName } from '../../core';
import { unitsByIds } from '../../auth/directory';
import { managedScope, managesEverything } from '../../auth/scope';
import { cycleYears } from '../../reports/cycles';
import { reportsOfUnits } from '../../reports/store';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../http/errors';
import { readForm, isFormPost } from '../../http/form';
import { email as Email } from '../../http/input';
import { defineRoute } from '../../http/route';
import { lang } from '../../http/lang';
import { mailOrigin } from '../../http/origin';
import { deliverSoon } from '../../mail/deliver-now';
import { AppHomePage, DeadLinkPage, LinkSentPage, SignInPage, TooManyRequestsPage, VerifyPage } from './pages';
import { translator } from '../../core/i18n';
import { nextToCarry, safeNext } from '../../core/next-path';
import { countWaitingReports } from '../../reports/review-queue';

export const authRoutes = new Hono<AppEnv>();

/** POST /auth/link: JSON from scripts, or the sign-in page's form (answered with pages). */
const LinkBody = v.object({
  email: Email,
  next: v.optional(v.pipe(v.unknown(), v.description('登录后前往的本站路径 · a path of this site to go to after signing in'))),
});
const LinkAnswer = v.object({ ok: v.literal(true), message: v.string() });



const clientIp = (c: Context) => c.req.header('CF-Connecting-IP') ?? null;

/** Pages that carry or consume a token are never cached or stored. */
const noStore = (c: Context) => c.header('Cache-Control', 'no-store');


authRoutes.get('/signin', (c) => {
  noStore(c);
  return c.html(SignInPage({ lang: lang(c), next: nextToCarry(c.req.query('next')), signedOut: c.req.query('signed_out') === '1' }));
});

defineRoute(authRoutes, {
  method: 'post',
  path: '/auth/link',
  summary: '请求登录链接（无论邮箱是否登记都答 202）· ask for a sign-in link (always 202, known address or not)',
  access: 'public',
  body: LinkBody,
  formBody: true,
  onInvalid: (c, raw) => {
    const language = lang(c);
    const message = translator(language)('请输入有效的电子邮箱，例如 name@example.gov.cn', 'Enter an email address like name@example.gov.cn');
    if (isFormPost(c)) return c.html(SignInPage({ lang: language, email: String(raw.email ?? ''), error: message, next: nextToCarry(raw.next) }), 422);
    throw new ApiError(422, 'invalid_input', '提交的数据不符合要求。', 'The submitted data is invalid.', [{ field: 'email', message }]);
  },
  answer: { status: 202, schema: LinkAnswer },
  errors: { 429: '请求过于频繁 · too many requests (Retry-After)', 503: '生产环境未配置 BASE_URL · BASE_URL is not configured (production)' },
  handle: (c, { body }) => sendSignInLink(c, body.email, nextToCarry(body.next)),
});

async function sendSignInLink(c: Context<AppEnv>, email: string, next: string | undefined) {
  const language = lang(c);
  const form = isFormPost(c);
  const now = Date.now();
  const ip = clientIp(c);
  // Before anything else, for every address known or not (a 503 for known ones only would tell
  // them apart): without a configured origin in production, no link is mailed at all.
  const origin = mailOrigin(c);
  const allowance = await linkAllowance(c.get('db'), email, ip, now);
  if (allowance.verdict === 'refuse') {
    c.header('Retry-After', String(allowance.retryAfter));
    if (form) return c.html(TooManyRequestsPage({ lang: language, retryAfter: allowance.retryAfter }), 429);
    throw new ApiError(429, 'too_many_requests', '请求过于频繁，请稍后再试。', 'Too many requests. Please try again later.');
  }

  const verifyUrl = (token: string) =>
    `${origin}/auth/verify?token=${encodeURIComponent(token)}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
  // Over the address's ceiling: the same answer as any other request, and no mail.
  const { queued } = allowance.verdict === 'send' ? await requestSignInLink(c.get('db'), email, verifyUrl, ip, now) : { queued: false };
  // Deliver now, after the response; the cron retries anything that fails.
  if (queued) deliverSoon(c, now, 10);

  if (form) return c.html(LinkSentPage({ lang: language, email }), 202);
  return c.json(
    {
      ok: true,
      message:
        language === 'en'
          ? 'If the address is registered, a sign-in link has been sent. It works once, within 15 minutes.'
          : '如果该邮箱已登记，登录链接已发送，15 分钟内有效，只能使用一次。',
    },
    202,
  );
}

// GET (and HEAD) only show a button: mail scanners fetch links before people do.
authRoutes.get('/auth/verify', async (c) => {
  noStore(c);
  const token = c.req.query('token') ?? '';
  const state = await inspectToken(c.get('db'), token, Date.now());
  if (state.state !== 'valid') return c.html(DeadLinkPage({ lang: lang(c), reason: state.state }), state.state === 'unknown' ? 404 : 410);
  return c.html(VerifyPage({ lang: lang(c), token, next: nextToCarry(c.req.query('next')), email: state.email, name: state.name }));
});

authRoutes.post('/auth/verify', async (c) => {
  noStore(c);
  const body = await readForm(c);
  const token = typeof body.token === 'string' ? body.token : '';
  // Decided before the token is spent: nothing after the redeem may fail.
  const destination = safeNext(body.next);
  const result = await redeemToken(c.get('db'), token, clientIp(c), Date.now());
  if (!result.ok) return c.html(DeadLinkPage({ lang: lang(c), reason: result.state }), result.state === 'unknown' ? 404 : 410);
  setSessionCookie(c, result.sessionId);
  return c.redirect(destination, 303);
});

authRoutes.post('/auth/logout', async (c) => {
  const viewer = c.get('viewer');
  if (viewer?.sessionIdHash) await revokeSession(c.get('db'), viewer.sessionIdHash, Date.now());
  clearSessionCookie(c);
  if (isFormPost(c) || !c.req.header('Content-Type')) return c.redirect('/signin?signed_out=1', 303);
  return c.body(null, 204);
});

authRoutes.get('/app', requireViewer, async (c) => {
  noStore(c);
  const viewer = c.get('viewer')!;
  const ids = [...new Set([...viewer.clerkUnitIds, ...viewer.supervisorUnitIds, ...viewer.reviewUnitIds])];
  const rows = await unitsByIds(c.get('db'), ids);
  const pick = (wanted: number[]) => rows.filter((r) => wanted.includes(r.id));
  const now = Date.now();
  const mayReview = viewer.isAdmin || viewer.supervisorUnitIds.length > 0;
  const reports = (await reportsOfUnits(c.get('db'), viewer.clerkUnitIds)).map((r) => ({
    unitCode: r.unitCode,
    unitName: r.unitName,
    year: r.year,
    status: statusName(r.status),
    statusKey: r.status,
    deadline: r.deadline === null ? null : deadlineText(r.deadline, now),
    comment: r.status === 'submitted' || r.status === 'published' ? null : r.comment,
    editable: isEditable(r.status),
  }));
  const years = await cycleYears(c.get('db'));
  return c.html(
    AppHomePage({
      lang: lang(c),
      name: viewer.name,
      email: viewer.email ?? '',
      role: viewer.role,
      clerkUnits: pick(viewer.clerkUnitIds),
      supervisorUnits: pick(viewer.supervisorUnitIds),
      reviewUnits: pick(viewer.reviewUnitIds),
      reports,
      cycleYears: years,
      // The same queue /app/review lists, counted for the button that leads there.
      waitingCount: mayReview ? await countWaitingReports(c.get('db'), viewer.isAdmin ? managedScope(viewer) : viewer.reviewUnitIds) : 0,
      // Cycles cover the whole jurisdiction: offered to its administrators only.
      ...(managesEverything(viewer) ? { nextCycleYear: nextCycleYear(now, years) } : {}),
    }),
  );
});
