// The report's audit trail for the people who may see it (its clerks, its reviewers,
// administrators): every transition, oldest first, with who, when, from and to which state, the
// revision and the comment.
import { statusName, type Status } from '../core';
import { beijingMinute } from '../core/time';
import { translator, type Lang, type Localized } from '../core/i18n';
import type { AuditEntry } from '../reports/audit-trail';

const ACTIONS: Record<string, Localized> = {
  'report.create': { zh: '创建', en: 'Created' },
  'report.submit': { zh: '提交审核', en: 'Submitted for review' },
  'report.approve': { zh: '审核通过并发布', en: 'Approved and published' },
  'report.return': { zh: '退回修改', en: 'Returned for changes' },
  'report.reopen': { zh: '重新打开以更正', en: 'Reopened for a correction' },
  'report.import': { zh: '导入已发布的报告', en: 'Imported as published' },
};

const STATUSES = ['draft', 'returned', 'submitted', 'published'];
const status = (s: string | null, lang: Lang) => (s && STATUSES.includes(s) ? translator(lang)(statusName(s as Status)) : s);

export function AuditTrail({ entries, lang }: { entries: AuditEntry[]; lang: Lang }) {
  const t = translator(lang);
  if (entries.length === 0) return null;
  return (
    <section class="audit-trail">
      <h2>{t('处理记录', 'History')}</h2>
      <ol>
        {entries.map((e, i) => {
          // The trail leaves out saves, and a clerk's first save after a return turns 已退回修改
          // into 草稿: read "from" off the entry before, so a resubmission says 已退回修改 → 已提交.
          const before = entries[i - 1]?.toStatus;
          const from = status(e.fromStatus === 'draft' && before === 'returned' ? before : e.fromStatus, lang);
          const to = status(e.toStatus, lang);
          const action = ACTIONS[e.action];
          return (
            <li>
              <time>{beijingMinute(e.at)}</time> <strong>{e.actor}</strong> {action ? t(action) : e.action}
              {e.version !== null ? t(`（第 ${e.version} 版）`, ` (version ${e.version})`) : null}
              <br />
              <span class="muted">
                {from ? `${from} → ` : ''}
                {to ?? ''}
                {e.revision !== null ? t(`，第 ${e.revision} 稿`, `, revision ${e.revision}`) : ''}
              </span>
              {e.comment ? (
                <p class="audit-comment">
                  {e.action === 'report.reopen' ? t('更正原因：', 'Reason: ') : t('意见：', 'Comment: ')}
                  {e.comment}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
