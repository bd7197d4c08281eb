// Whether a submission met its cycle's deadline, in words (Beijing time): the review mail and
// pages say it next to the deadline, the way the public version's on_time will record it.
import { daysLeft } from './schedule';
import { beijingMinute } from './time';
import type { Localized } from './i18n';

/** 「2026-01-20 10:15 提交，截止 2026-01-31 23:59：按时」, or how many days late. */
export function timeliness(deadline: number | null, submittedAt: number | null): Localized | null {
  if (deadline === null || submittedAt === null) return null;
  const when = { zh: `${beijingMinute(submittedAt)} 提交，截止时间 ${beijingMinute(deadline)}`, en: `submitted ${beijingMinute(submittedAt)}, deadline ${beijingMinute(deadline)}` };
  if (submittedAt <= deadline) return { zh: `${when.zh}：按时提交`, en: `On time (${when.en})` };
  const late = Math.max(1, -daysLeft(deadline, submittedAt));
  return { zh: `${when.zh}：逾期 ${late} 天提交`, en: `${late} day${late === 1 ? '' : 's'} late (${when.en})` };
}
