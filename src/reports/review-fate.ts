// What became of a submission, in plain words, for anyone who arrives after it was decided or
// superseded: 「该报告已由 李明 于 2026-01-20 10:15 审核通过」, or resubmitted, or still waiting.
import { statusName, type Status } from '../core';
import { beijingMinute } from '../core/time';
import type { Db } from '../db/client';
import type { Localized } from '../core/i18n';
import { decisionOn, latestEvent } from './audit-trail';

export interface Fate {
  /** The headline: who decided what and when, or what else happened. */
  headline: Localized;
  lines: Localized[];
  decided: boolean;
}

export async function fateOf(db: Db, report: { id: number; status: Status; unitName: string }, revisionId: number, since: number): Promise<Fate> {
  const [decision, resubmitted] = await Promise.all([
    decisionOn(db, report.id, revisionId, since),
    latestEvent(db, report.id, 'report.submit', since + 1),
  ]);
  const again: Localized[] = resubmitted
    ? [
        {
          zh: `${report.unitName} 已于 ${beijingMinute(resubmitted.at)} 重新提交了报告，新的审核链接已另行发送给审核人。`,
          en: `${report.unitName} submitted the report again on ${beijingMinute(resubmitted.at)}; a new review link has been sent to the supervisors.`,
        },
      ]
    : [];
  if (decision) {
    const when = beijingMinute(decision.at);
    const headline =
      decision.decision === 'approve'
        ? { zh: `该报告已由 ${decision.actor} 于 ${when} 审核通过`, en: `${decision.actor} approved this report on ${when}` }
        : { zh: `该报告已由 ${decision.actor} 于 ${when} 退回`, en: `${decision.actor} returned this report on ${when}` };
    const comment = decision.comment ? [{ zh: `意见：${decision.comment}`, en: `Comment: ${decision.comment}` }] : [];
    return { headline, lines: [...comment, ...again], decided: true };
  }
  if (resubmitted) {
    return {
      headline: { zh: '报告已重新提交', en: 'The report was submitted again' },
      lines: [{ zh: '您审核的是较早提交的内容。', en: 'What you were reviewing was an earlier submission.' }, ...again],
      decided: false,
    };
  }
  const now = statusName(report.status);
  return {
    headline: { zh: `报告当前状态：${now.zh}`, en: `The report is now ${now.en}` },
    lines: report.status === 'submitted' ? [{ zh: '该报告仍在等待审核，请登录后审核。', en: 'It is still waiting for review: sign in to review it.' }] : [],
    decided: false,
  };
}
