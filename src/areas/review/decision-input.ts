// The decision as posted (`decision` approve|return, `comment`), read with the workflow's own
// guard so a return without a comment is refused in the same words everywhere; and the one input
// of decide() both ways of deciding build from it (the emailed link, the signed-in review page),
// so they differ only in who decides and which submission they saw.
import type { Context } from 'hono';
import { guard } from '../../core';
import { translator, type Lang } from '../../core/i18n';
import { reportPath } from '../../core/links';
import type { AppEnv } from '../../http/app-env';
import { lang } from '../../http/lang';
import { mailOrigin } from '../../http/origin';
import { deliverSoon } from '../../mail/deliver-now';
import { auditTrail, type Decision } from '../../reports/audit-trail';
import { decide, type DecisionInput } from '../../reports/review-decision';
import type { ReviewSubject } from '../../reports/review-subject';
import { DecidedPage } from './pages';
import { COMMENT_MAX, CONFIRM_PUBLISH } from './views';

export type DecisionForm =
  | { ok: true; decision: Decision; comment: string; confirmed: boolean }
  | { ok: false; comment: string; error: string };


/** An approval that has not been confirmed yet: answer the confirmation page, decide nothing. */
export const needsConfirmation = (form: DecisionForm): boolean => form.ok && form.decision === 'approve' && !form.confirmed;

export function readDecision(body: Record<string, unknown>, lang: Lang): DecisionForm {
  const comment = typeof body.comment === 'string' ? body.comment.replace(/\r\n?/g, '\n') : '';
  const decision = body.decision;
  const t = translator(lang);
  if (decision !== 'approve' && decision !== 'return') {
    return { ok: false, comment, error: t('请选择“审核通过并发布”或“退回修改”。', 'Choose to approve or to return the report.') };
  }
  if (comment.length > COMMENT_MAX) {
    return { ok: false, comment, error: t(`意见不能超过 ${COMMENT_MAX} 个字符。`, `The comment must be at most ${COMMENT_MAX} characters.`) };
  }
  const verdict = guard(decision, { status: 'submitted', comment });
  if (!verdict.ok) return { ok: false, comment, error: verdict.refusal[lang] };
  return { ok: true, decision, comment: comment.trim(), confirmed: body.confirm === CONFIRM_PUBLISH };
}

/** Who decides, on which submission: what differs between the emailed link and the signed-in page. */
export interface Decider {
  /** The submitted revision the supervisor saw, and its content hash. */
  revisionId: number;
  contentHash: string;
  actor: DecisionInput['actor'];
  /** The nonce hash of the emailed link used, or null when deciding signed in. */
  linkNonceHash: string | null;
}

/** decide()'s input: the report, the decision as read, who decided on what, where mail links point. */
function decisionInput(
  subject: ReviewSubject,
  form: { decision: Decision; comment: string },
  decider: Decider,
  origin: string,
  now: number,
): DecisionInput {
  return {
    reportId: subject.reportId,
    unitId: subject.unitId,
    unitCode: subject.unitCode,
    unitName: subject.unitName,
    year: subject.year,
    ...decider,
    decision: form.decision,
    comment: form.comment,
    publishedVersion: subject.publishedVersion,
    origin,
    now,
  };
}

/**
 * Makes the decision (one guarded batch, src/reports/review-decision.ts) and answers the page
 * that says what was done. Undefined when another decision or a resubmission came first: then
 * nothing changed, and the caller says who did what.
 */
export async function decideAndAnswer<E extends AppEnv>(
  c: Context<E>,
  subject: ReviewSubject,
  form: { decision: Decision; comment: string },
  decider: Decider,
  signedIn: boolean,
): Promise<Response | undefined> {
  const db = c.get('db');
  const now = Date.now();
  const result = await decide(db, decisionInput(subject, form, decider, mailOrigin(c), now));
  if (!result.ok) return undefined;
  deliverSoon(c, now);
  return c.html(
    DecidedPage({
      lang: lang(c),
      unitName: subject.unitName,
      year: subject.year,
      decision: form.decision,
      version: result.version,
      publicUrl: reportPath(subject.unitCode, subject.year),
      trail: await auditTrail(db, subject.reportId),
      signedIn,
    }),
  );
}
