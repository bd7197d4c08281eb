// /app/review: what waits for the signed-in supervisor (administrators: everything), oldest
// first; /app/review/{unit}/{year}: the same review page as the emailed link's, authorised by
// the session (requireUnit('review')) instead of a link, deciding through the same batch.
import { Hono, type Context } from 'hono';
import { requireUnit, requireViewer, type UnitEnv } from '../../http/auth';
import { ApiError } from '../../http/errors';
import { readForm } from '../../http/form';
import { pathYear } from '../../http/input';
import { lang } from '../../http/lang';
import { reportPath } from '../../core/links';
import { auditTrail } from '../../reports/audit-trail';
import { waitingReports } from '../../reports/review-queue';
import { managedScope } from '../../auth/scope';
import { findUnitReport, loadReviewSubject, type ReviewSubject } from '../../reports/review-subject';
import { decideAndAnswer, needsConfirmation, readDecision } from './decision-input';
import { fateOf } from '../../reports/review-fate';
import { ConfirmPublishPage, ReviewClosedPage, ReviewPage, ReviewQueuePage } from './pages';
import { translator } from '../../core/i18n';

export const reviewAppRoutes = new Hono<UnitEnv>();

reviewAppRoutes.use(async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
});

reviewAppRoutes.get('/', requireViewer, async (c) => {
  const viewer = c.get('viewer')!;
  if (!viewer.isAdmin && viewer.role !== 'supervisor' && viewer.reviewUnitIds.length === 0) {
    throw new ApiError(403, 'forbidden', '只有审核人和管理员可以审核报告。', 'Only supervisors and administrators review reports.');
  }
  const reports = await waitingReports(c.get('db'), viewer.isAdmin ? managedScope(viewer) : viewer.reviewUnitIds);
  return c.html(ReviewQueuePage({ lang: lang(c), reports, now: Date.now() }));
});

async function subjectOf(c: Context<UnitEnv>): Promise<ReviewSubject> {
  const year = pathYear(c.req.param('year'));
  const report = year === undefined ? undefined : await findUnitReport(c.get('db'), c.get('unit').code, year);
  const subject = report && (await loadReviewSubject(c.get('db'), report.reportId));
  if (!subject) throw new ApiError(404, 'no_report', '该单位没有这一年度的报告。', 'This unit has no report for that year.');
  return subject;
}

const pagePath = (s: ReviewSubject) => `/app/review/${s.unitCode}/${s.year}`;

/** A report that is not (or no longer) waiting: its state, the last decision, its history. */
async function notWaiting(c: Context<UnitEnv>, s: ReviewSubject, status: 200 | 409) {
  const db = c.get('db');
  const fate = await fateOf(db, { id: s.reportId, status: s.status, unitName: s.unitName }, s.revisionId ?? 0, s.submittedAt ?? 0);
  return c.html(
    ReviewClosedPage({
      lang: lang(c),
      heading: fate.headline,
      lines: fate.lines,
      trail: await auditTrail(db, s.reportId),
      signedIn: true,
      refused: status === 409,
      ...(s.publishedVersion > 0 ? { publicUrl: reportPath(s.unitCode, s.year) } : {}),
    }),
    status,
  );
}

function reviewPage(c: Context<UnitEnv>, s: ReviewSubject, extra: { comment?: string; commentError?: string; notice?: string } = {}) {
  return auditTrail(c.get('db'), s.reportId).then((trail) =>
    ReviewPage({ lang: lang(c), subject: s, action: pagePath(s), pinned: { revision: s.revisionId!, hash: s.contentHash! }, trail, backToList: true, ...extra }),
  );
}

reviewAppRoutes.get('/:unit/:year', requireUnit('review'), async (c) => {
  const subject = await subjectOf(c);
  if (subject.status !== 'submitted') return notWaiting(c, subject, 200);
  return c.html(await reviewPage(c, subject));
});

reviewAppRoutes.post('/:unit/:year', requireUnit('review'), async (c) => {
  const language = lang(c);
  const subject = await subjectOf(c);
  const body = await readForm(c);
  if (subject.status !== 'submitted') return notWaiting(c, subject, 409);
  // The decision is about what the page showed: a resubmission since is reviewed afresh.
  const revision = Number(body.revision);
  const hash = typeof body.hash === 'string' ? body.hash : '';
  if (revision !== subject.revisionId || hash !== subject.contentHash) {
    const error = translator(language)('您审核期间报告已重新提交，请审核现在显示的内容。', 'The report was submitted again while you were reviewing it: review what is shown now.');
    return c.html(await reviewPage(c, subject, { notice: error }), 409);
  }
  const form = readDecision(body, language);
  if (!form.ok) return c.html(await reviewPage(c, subject, { comment: form.comment, commentError: form.error }), 422);
  if (needsConfirmation(form)) {
    const page = pagePath(subject);
    return c.html(
      ConfirmPublishPage({ lang: language, subject, action: page, back: page, pinned: { revision, hash }, publicUrl: reportPath(subject.unitCode, subject.year) }),
    );
  }
  const viewer = c.get('viewer')!;
  const decider = { revisionId: revision, contentHash: hash, actor: { personId: viewer.personId, label: viewer.actor, name: viewer.name }, linkNonceHash: null };
  const decided = await decideAndAnswer(c, subject, form, decider, true);
  return decided ?? notWaiting(c, (await loadReviewSubject(c.get('db'), subject.reportId))!, 409);
});
