// Deadline arithmetic in Beijing time (Asia/Shanghai: UTC+8 all year, no daylight saving since
// 1991, so a fixed offset is exact). Pure: the cron passes its scheduledTime as `now`.

import { BEIJING_OFFSET_MS, DAY_MS, beijingDate, beijingDayNumber } from './time';

/** The default deadline of report year Y: 31 January of Y+1, 23:59:59 Beijing time (条例 第四十九条). */
export function defaultDeadline(year: number): number {
  return Date.UTC(year + 1, 0, 31, 23, 59, 59) - BEIJING_OFFSET_MS;
}

/**
 * The report year whose default deadline comes next: until 31 January (Beijing) the previous
 * year's report is still due, from 1 February this year's. On 2026-11-30 → 2026; on 2027-01-15
 * → 2026; on 2027-02-01 → 2027. The demo opens this cycle, so it is never overdue.
 */
export function currentReportYear(now: number): number {
  const year = Number(beijingDate(now).slice(0, 4));
  return now <= defaultDeadline(year - 1) ? year - 1 : year;
}

/**
 * The cycle an administrator is offered to open, at any time of the year: the current report
 * year's when it has none, else the next year's — opened early to set it up (undefined when both
 * exist).
 */
export function nextCycleYear(now: number, existing: readonly number[]): number | undefined {
  const current = currentReportYear(now);
  if (!existing.includes(current)) return current;
  return existing.includes(current + 1) ? undefined : current + 1;
}

/** Whole Beijing calendar days from today until the deadline's day: 0 on the day, −1 the day after. */
export function daysLeft(deadline: number, now: number): number {
  return beijingDayNumber(deadline) - beijingDayNumber(now);
}

/** 「距截止还有 9 天」, 「今天截止」, 「已逾期 2 天」 — and English. */
export function deadlineText(deadline: number, now: number): { zh: string; en: string } {
  const days = daysLeft(deadline, now);
  if (now > deadline) {
    const late = Math.max(1, days === 0 ? 0 : -days);
    return days === 0
      ? { zh: '已过截止时间', en: 'The deadline has passed' }
      : { zh: `已逾期 ${late} 天`, en: `${late} day${late === 1 ? '' : 's'} overdue` };
  }
  if (days === 0) return { zh: '今天截止', en: 'Due today' };
  return { zh: `距截止还有 ${days} 天`, en: `${days} day${days === 1 ? '' : 's'} left` };
}

export type ReminderDue =
  | { kind: 'reminder'; offset: number; daysLeft: number }
  | { kind: 'overdue'; daysLate: number };

/**
 * What a unit that has not submitted should be sent today. On a reminder day (an offset of
 * `reminderDays` before the deadline) the reminder of that offset; after a missed run, the
 * latest offset already reached, so a skipped day is caught up once (the caller's
 * de-duplication key carries the offset). After the deadline's day, one overdue notice.
 */
export function dueReminder(deadline: number, reminderDays: readonly number[], now: number): ReminderDue | null {
  const left = daysLeft(deadline, now);
  if (left < 0) return { kind: 'overdue', daysLate: -left };
  const reached = reminderDays.filter((offset) => offset >= left);
  if (reached.length === 0) return null;
  return { kind: 'reminder', offset: Math.min(...reached), daysLeft: left };
}

/** The reminder calendar a cycle implies: each offset's Beijing date, latest offset first. */
export function reminderCalendar(deadline: number, reminderDays: readonly number[]): { offset: number; date: string }[] {
  return [...new Set(reminderDays)]
    .sort((a, b) => b - a)
    .map((offset) => ({ offset, date: beijingDate(deadline - offset * DAY_MS) }));
}
