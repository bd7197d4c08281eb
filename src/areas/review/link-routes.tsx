// GET|HEAD /review/{token}: the report to decide on, read-only (mail scanners open links first);
// POST /review/{token}: the decision (api.md "Review"). The emailed link is the credential: no
// sign-in. Nothing here writes except decide(), one conditional batch.
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../http/app-env';
import { readForm } from '../../http/form';
import { lang } from '../../http/lang';
import { type Localized } from '../../core/i18n';
import { reportPath } from '../../core/links';
import { auditTrail } from '../../reports/audit-trail';
import { openLink, type OpenedLink, type StoredLink } from '../../reports/review-links';
import { loadReviewSubject, type ReviewSubject } from '../../reports/review-subject';
import { beijingMinute } from '../../core/time';
import { decideAndAnswer, needsConfirmation, readDecision } from './decision-input';
import { fateOf } from '../../reports/review-fate';
import { linkSettings } from '../../http/link-settings';
import { ConfirmPublishPage, ReviewClosedPage, ReviewPage } from './pages';

export const reviewLinkRoutes = new Hono<AppEnv>();

// The token is in the address: no cache may keep the page, and no other site may see the address.
reviewLinkRoutes.use(async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Robots-Tag', 'noindex, nofollow');
});

const publicUrl = (s: { unitCode: string; year: number }) => reportPath(s.unitCode, s.year);

/** Still the very submission the link was issued for. */
const underReview = (s: ReviewSubject, link: StoredLink) =>
  s.status === 'submitted' && s.revisionId === link.revisionId && s.contentHash === link.contentHash;

const HEADINGS: Record<Exclude<OpenedLink['state'], 'open' | 'invalid'>, Localized> = {
  expired: { zh: '此审核链接已过期', en: 'This review link has expired' },
  used: { zh: '此审核链接已经使用过', en: 'This review link has already been used' },
  invalidated: { zh: '此审核链接已失效', en: 'This review link no longer works' },
};

/** The page for a link that cannot decide (any more): what happened, and how to go on. */
async function closedLink(c: Context<AppEnv>, opened: OpenedLink, status: 404 | 409 | 410) {
  const language = lang(c);
  if (opened.state === 'invalid') {
    return c.html(
      ReviewClosedPage({
        lang: language,
        heading: { zh: '此审核链接无效', en: 'This review link is not valid' },
        lines: [{ zh: '链接可能复制不完整，或已被改动。请使用邮件中的完整链接，或登录后审核。', en: 'It may have been copied incompletely or altered. Use the whole link from the mail, or sign in to review.' }],
      }),
      404,
    );
  }
  const { link } = opened;
  const db = c.get('db');
  const subject = await loadReviewSubject(db, link.reportId);
  if (!subject) return closedLink(c, { state: 'invalid' }, 404);
  const fate = await fateOf(db, { id: subject.reportId, status: subject.status, unitName: subject.unitName }, link.revisionId, link.createdAt);
  const why: Localized[] = [];
  if (opened.state === 'expired') why.push({ zh: `审核链接的有效期为 14 天，此链接已于 ${beijingMinute(link.expiresAt)} 过期。`, en: `Review links last 14 days; this one expired on ${beijingMinute(link.expiresAt)}.` });
  if (opened.state === 'used') why.push({ zh: '每个审核链接只能使用一次。', en: 'Each review link works once.' });
  if (!link.stillReviewer) why.push({ zh: `${link.personName} 已不再是该单位的审核人。`, en: `${link.personName} no longer reviews this unit's reports.` });
  const heading = opened.state === 'open' || fate.decided ? fate.headline : HEADINGS[opened.state];
  const lines = heading === fate.headline ? [...why, ...fate.lines] : [...why, fate.headline, ...fate.lines];
  return c.html(
    ReviewClosedPage({
      lang: language,
      heading,
      lines,
      trail: await auditTrail(db, subject.reportId),
      refused: c.req.method === 'POST',
      signedIn: c.get('viewer') !== undefined,
      ...(subject.publishedVersion > 0 ? { publicUrl: publicUrl(subject) } : {}),
    }),
    status,
  );
}

/** The link and its report, if it may still decide; otherwise the page saying why not. */
async function openForReview(c: Context<AppEnv>) {
  const token = c.req.param('token') ?? '';
  const opened = await openLink(c.get('db'), linkSettings(c).secret, token, Date.now());
  if (opened.state !== 'open') return { closed: await closedLink(c, opened, opened.state === 'invalid' ? 404 : 410) };
  const subject = await loadReviewSubject(c.get('db'), opened.link.reportId);
  if (!subject || !underReview(subject, opened.link)) return { closed: await closedLink(c, opened, 410) };
  return { token, link: opened.link, subject };
}

reviewLinkRoutes.get('/:token', async (c) => {
  const open = await openForReview(c);
  if ('closed' in open) return open.closed;
  return c.html(
    ReviewPage({
      lang: lang(c),
      subject: open.subject,
      action: `/review/${open.token}`,
      addressee: open.link.personName,
      trail: await auditTrail(c.get('db'), open.subject.reportId),
    }),
  );
});

reviewLinkRoutes.post('/:token', async (c) => {
  const language = lang(c);
  const open = await openForReview(c);
  if ('closed' in open) return open.closed;
  const { link, subject, token } = open;
  const db = c.get('db');
  const form = readDecision(await readForm(c), language);
  if (!form.ok) {
    const trail = await auditTrail(db, subject.reportId);
    return c.html(
      ReviewPage({ lang: language, subject, action: `/review/${token}`, addressee: link.personName, trail, comment: form.comment, commentError: form.error }),
      422,
    );
  }
  if (needsConfirmation(form)) {
    // Nothing decided and the link not spent: the confirmation page posts here again.
    const action = `/review/${token}`;
    return c.html(ConfirmPublishPage({ lang: language, subject, action, back: action, publicUrl: publicUrl(subject) }));
  }
  const decider = {
    revisionId: link.revisionId,
    contentHash: link.contentHash,
    actor: { personId: link.personId, label: link.personEmail, name: link.personName },
    linkNonceHash: link.nonceHash,
  };
  const decided = await decideAndAnswer(c, subject, form, decider, c.get('viewer') !== undefined);
  // Someone else's decision (or a resubmission) came first: say who did what; nothing changed.
  return decided ?? closedLink(c, { state: 'open', link }, 409);
});
