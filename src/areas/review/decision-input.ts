// The decision form as posted (`decision` approve|return, `comment`): read with the workflow's
// own guard, so a return without a comment is refused in the same words everywhere.
import { guard } from '../../core';
import type { Lang } from '../../core/i18n';
import type { Decision } from '../../reports/audit-trail';
import { COMMENT_MAX } from './views';

export type DecisionForm = { ok: true; decision: Decision; comment: string } | { ok: false; comment: string; error: string };

export function readDecision(body: Record<string, unknown>, lang: Lang): DecisionForm {
  const comment = typeof body.comment === 'string' ? body.comment.replace(/\r\n?/g, '\n') : '';
  const decision = body.decision;
  const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
  if (decision !== 'approve' && decision !== 'return') {
    return { ok: false, comment, error: t('请选择“审核通过并发布”或“退回修改”。', 'Choose to approve or to return the report.') };
  }
  if (comment.length > COMMENT_MAX) {
    return { ok: false, comment, error: t(`意见不能超过 ${COMMENT_MAX} 个字符。`, `The comment must be at most ${COMMENT_MAX} characters.`) };
  }
  const verdict = guard(decision, { status: 'submitted', comment });
  if (!verdict.ok) return { ok: false, comment, error: verdict.refusal[lang] };
  return { ok: true, decision, comment: comment.trim() };
}
