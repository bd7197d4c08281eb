// Deadlines as clerks read them: Beijing calendar days, whatever the server's clock zone.
import { describe, expect, it } from 'vitest';
import { beijingDate, beijingMinute, daysLeft, deadlineText, defaultDeadline } from '../../src/core';

const at = (iso: string) => Date.parse(iso);

describe('deadlines in Beijing time', () => {
  it('defaults to 31 January of the next year, 23:59:59 Beijing', () => {
    expect(new Date(defaultDeadline(2025)).toISOString()).toBe('2026-01-31T15:59:59.000Z');
    expect(beijingMinute(defaultDeadline(2025))).toBe('2026-01-31 23:59');
  });

  it('counts Beijing calendar days, not 24-hour periods', () => {
    const deadline = defaultDeadline(2025);
    expect(daysLeft(deadline, at('2026-01-22T10:00:00+08:00'))).toBe(9);
    // 00:30 in Beijing on the 31st is still the 30th in UTC: it is the deadline day all the same.
    expect(daysLeft(deadline, at('2026-01-31T00:30:00+08:00'))).toBe(0);
    expect(daysLeft(deadline, at('2026-01-30T23:59:00+08:00'))).toBe(1);
    expect(daysLeft(deadline, at('2026-02-02T09:00:00+08:00'))).toBe(-2);
    // Across the change of year.
    expect(daysLeft(deadline, at('2025-12-31T20:00:00+08:00'))).toBe(31);
    expect(beijingDate(at('2025-12-31T20:00:00Z'))).toBe('2026-01-01');
  });

  it('says it as a clerk expects', () => {
    const deadline = defaultDeadline(2025);
    expect(deadlineText(deadline, at('2026-01-22T10:00:00+08:00'))).toEqual({ zh: '距截止还有 9 天', en: '9 days left' });
    expect(deadlineText(deadline, at('2026-01-30T10:00:00+08:00')).zh).toBe('距截止还有 1 天');
    expect(deadlineText(deadline, at('2026-01-31T09:00:00+08:00'))).toEqual({ zh: '今天截止', en: 'Due today' });
    expect(deadlineText(deadline, at('2026-02-01T09:00:00+08:00'))).toEqual({ zh: '已逾期 1 天', en: '1 day overdue' });
    expect(deadlineText(deadline, at('2026-02-03T09:00:00+08:00')).zh).toBe('已逾期 3 天');
  });
});
