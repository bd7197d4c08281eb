// Deadlines as clerks read them: Beijing calendar days, whatever the server's clock zone.
import { describe, expect, it } from 'vitest';
import { beijingDate, beijingMinute, currentReportYear, daysLeft, nextCycleYear, deadlineText, defaultDeadline, dueReminder, reminderCalendar } from '../../src/core';

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

describe('which reminder is due', () => {
  const deadline = defaultDeadline(2025); // 2026-01-31 23:59:59 Beijing
  const days = [30, 14, 7, 3, 1, 0];
  const on = (date: string) => at(`${date}T09:00:00+08:00`);

  it('sends on each offset day, with the days left', () => {
    expect(dueReminder(deadline, days, on('2026-01-01'))).toEqual({ kind: 'reminder', offset: 30, daysLeft: 30 });
    expect(dueReminder(deadline, days, on('2026-01-24'))).toEqual({ kind: 'reminder', offset: 7, daysLeft: 7 });
    expect(dueReminder(deadline, days, on('2026-01-31'))).toEqual({ kind: 'reminder', offset: 0, daysLeft: 0 });
  });

  it('between offsets names the latest offset reached, so a missed day is caught up once', () => {
    expect(dueReminder(deadline, days, on('2026-01-25'))).toEqual({ kind: 'reminder', offset: 7, daysLeft: 6 });
    expect(dueReminder(deadline, days, on('2025-12-31'))).toBeNull();
  });

  it('after the deadline: overdue, counted in days late', () => {
    expect(dueReminder(deadline, days, on('2026-02-01'))).toEqual({ kind: 'overdue', daysLate: 1 });
    expect(dueReminder(deadline, days, on('2026-02-04'))).toEqual({ kind: 'overdue', daysLate: 4 });
  });

  it('handles a custom cycle and a deadline on a weekend', () => {
    // 2026-03-31 is a Tuesday; 2026-01-31 a Saturday: days are calendar days, weekends count.
    const march = Date.parse('2026-03-31T23:59:59+08:00');
    expect(dueReminder(march, [10, 2], on('2026-03-21'))).toEqual({ kind: 'reminder', offset: 10, daysLeft: 10 });
    expect(dueReminder(march, [10, 2], on('2026-03-30'))).toEqual({ kind: 'reminder', offset: 2, daysLeft: 1 });
    expect(dueReminder(march, [10, 2], on('2026-03-20'))).toBeNull();
    expect(reminderCalendar(deadline, days)).toEqual([
      { offset: 30, date: '2026-01-01' },
      { offset: 14, date: '2026-01-17' },
      { offset: 7, date: '2026-01-24' },
      { offset: 3, date: '2026-01-28' },
      { offset: 1, date: '2026-01-30' },
      { offset: 0, date: '2026-01-31' },
    ]);
  });
});

describe('an instant no date can name', () => {
  // A bad number typed somewhere must never take a page down with toISOString()'s RangeError.
  it('is shown as no date, and the calendar of an absurd reminder day does not throw', () => {
    const deadline = Date.parse('2027-01-31T23:59:59+08:00');
    for (const ms of [Number.NaN, Infinity, -Infinity, 1e20, -1e20, 8.64e15 + 1, Date.parse('9999-12-31T23:59:59Z')]) {
      expect(beijingDate(ms), String(ms)).toBe('0000-00-00');
      expect(beijingMinute(ms), String(ms)).toBe('0000-00-00 00:00');
    }
    for (const day of [10000000000, 1e20, 1e308, 9007199254740993]) {
      expect(reminderCalendar(deadline, [day, 0])).toEqual([
        { offset: day, date: '0000-00-00' },
        { offset: 0, date: '2027-01-31' },
      ]);
    }
    // Dates that exist keep being shown, up to the end of year 9999 in Beijing.
    expect(beijingDate(Date.parse('9999-12-31T15:59:59Z'))).toBe('9999-12-31');
    expect(beijingDate(Date.parse('0000-01-01T00:00:00+08:00'))).toBe('0000-01-01');
  });
});

describe('currentReportYear', () => {
  it('is the previous year until the end of 31 January (Beijing), then this year', () => {
    expect(currentReportYear(Date.parse('2026-11-30T12:00:00+08:00'))).toBe(2026);
    expect(currentReportYear(Date.parse('2027-01-15T12:00:00+08:00'))).toBe(2026);
    expect(currentReportYear(Date.parse('2027-01-31T23:59:59+08:00'))).toBe(2026);
    expect(currentReportYear(Date.parse('2027-02-01T00:00:00+08:00'))).toBe(2027);
    // 1 January 00:30 Beijing is still 31 December in UTC: the Beijing calendar decides.
    expect(currentReportYear(Date.parse('2027-01-01T00:30:00+08:00'))).toBe(2026);
  });
  it("has a deadline in the future on every day", () => {
    for (let t = Date.parse('2026-01-01T00:00:00+08:00'); t < Date.parse('2028-01-01T00:00:00+08:00'); t += 3_600_000 * 7) {
      expect(defaultDeadline(currentReportYear(t))).toBeGreaterThanOrEqual(t);
    }
  });
});

describe('nextCycleYear', () => {
  const november = Date.parse('2026-11-30T12:00:00+08:00');
  it("offers this report year's cycle when it is missing, at any time of the year", () => {
    expect(nextCycleYear(november, [2024, 2025])).toBe(2026);
    expect(nextCycleYear(Date.parse('2027-01-15T12:00:00+08:00'), [2025])).toBe(2026);
  });
  it("then next year's, months before 1 January; nothing when both exist", () => {
    expect(nextCycleYear(november, [2025, 2026])).toBe(2027);
    expect(nextCycleYear(november, [2026, 2027])).toBeUndefined();
  });
});
