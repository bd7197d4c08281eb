// Every input rule the app has, once, as valibot schemas: the JSON APIs parse their bodies, path
// parameters and query strings with them and the HTML form readers read their fields with them,
// so a form cannot store what the API refuses. Messages are `中文|English` (src/http/validation.ts
// shows the reader's language). The cell cap itself is in src/core/numbers.ts, where the browser
// script reads it too.
import * as v from 'valibot';
import { translator, type Lang } from '../core/i18n';
import { CELL_VALUE_LIMIT, typedNumber, withinCellLimit } from '../core/numbers';
import { BEIJING_OFFSET_MS, parsePublicationTime, parseRfc3339 } from '../core/time';
import { invalidInput } from './errors';

// ---------------------------------------------------------------------------------------------
// Years
// ---------------------------------------------------------------------------------------------

/** The years a report can be about: imported history goes back before the 2008 regulations. */
export const REPORT_YEARS = { first: 2000, last: 2100 } as const;
/** The years a reporting cycle can be opened for: reports are due from the 2008 regulations on. */
export const CYCLE_YEARS = { first: 2008, last: 2100 } as const;
type YearBounds = { readonly first: number; readonly last: number };

const earliest = (first: number) => v.minValue<number, number, string>(first, `不能早于 ${first} 年|must be ${first} or later`);
const latest = (last: number) => v.maxValue<number, number, string>(last, `不能晚于 ${last} 年|must be ${last} or earlier`);

/** A year as a URL writes it (a path segment, a query parameter): four digits, within `bounds`. */
export const yearText = ({ first, last }: YearBounds) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{4}$/, '应为四位数的年份|must be a four-digit year'),
    v.description('报告年度 · report year'),
    v.transform(Number),
    earliest(first),
    latest(last),
  );

/** A year in a JSON body: a whole number within `bounds`. */
export const yearNumber = ({ first, last }: YearBounds) =>
  v.pipe(v.number(), v.integer('应为整数|must be a whole number'), earliest(first), latest(last));

/** A path year: a report's, and a cycle's. */
export const reportYearText = yearText(REPORT_YEARS);
export const cycleYearText = yearText(CYCLE_YEARS);

/** The year of a page's path segment, or undefined when it is not one (the page then is a 404). */
export const pathYear = (text: string | undefined, schema: typeof reportYearText = reportYearText): number | undefined => {
  const result = v.safeParse(schema, text);
  return result.success ? result.output : undefined;
};

// ---------------------------------------------------------------------------------------------
// Cells and texts
// ---------------------------------------------------------------------------------------------

/** A JSON object, not an array (valibot's object and record schemas accept arrays). */
export const jsonObject = <S extends v.GenericSchema>(schema: S) =>
  v.pipe(v.unknown(), v.check((x) => !Array.isArray(x), '应为 JSON 对象，不是数组|must be a JSON object, not an array'), schema);

const FINITE_MESSAGE = '应为有限的数字|must be a finite number';

const CELL_RANGE_MESSAGE = '超出可保存的范围（绝对值不超过 10^15）|is out of range (at most 10^15 in absolute value)';

/** A cell's value in JSON: a finite number a cell can hold (withinCellLimit), or null for a blank. */
export const cellValue = v.nullable(
  v.pipe(v.number(), v.finite(FINITE_MESSAGE), v.minValue(-CELL_VALUE_LIMIT, CELL_RANGE_MESSAGE), v.maxValue(CELL_VALUE_LIMIT, CELL_RANGE_MESSAGE)),
);

/** `TABLE.ROW.COLUMN` → value (the template decides which keys exist). */
export const cellValues = jsonObject(v.record(v.string(), cellValue));

/**
 * A cell as a form posts it (the text typed, read as src/core/numbers.ts reads it, the browser
 * script too): a number within the cap, or null when blank.
 */
export const typedCell = v.pipe(
  v.string(),
  v.transform(typedNumber),
  v.check((n): boolean => n !== undefined, '请输入数字，例如 0 或 12|enter a number, e.g. 0 or 12'),
  v.check((n) => n === null || n === undefined || withinCellLimit(n), '超出可保存的范围（绝对值不超过 10^15）|out of range (at most 10^15 in absolute value)'),
  v.transform((n) => n ?? null),
);

/** A text of at most `max` characters. */
export const text = (max: number) => v.pipe(v.string(), v.maxLength(max, `不能超过 ${max} 个字符|must be at most ${max} characters`));

/** Key → text (sections, explanations), each at most `max` characters. */
export const texts = (max: number) => jsonObject(v.record(v.string(), text(max)));

// ---------------------------------------------------------------------------------------------
// Units, people, times
// ---------------------------------------------------------------------------------------------

/** Unit codes appear in public URLs: letters, digits, '-' and '_' (often the 统一社会信用代码). */
export const unitCode = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, '应为 1 到 64 个字母、数字、“-”或“_”|must be 1 to 64 letters, digits, "-" or "_"'),
);

/** A display name: trimmed, 1 to 100 characters, on one line (it heads reports and CSV files). */
export const displayName = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, '不能为空|must not be empty'),
  v.maxLength(100, '不能超过 100 个字符|must be at most 100 characters'),
  v.regex(/^\P{Cc}*$/u, '不能包含换行等控制字符|must not contain line breaks or other control characters'),
);

/** An email address, lowercased: people are stored and signed in by it, an exact match. */
export const email = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254, '不能超过 254 个字符|must be at most 254 characters'),
  v.email('不是有效的电子邮件地址|is not a valid email address'),
);

/** A string that `parse` reads (else `message`), as what it reads it to. */
const parsedBy = <T>(parse: (text: string) => T | undefined, message: string) =>
  v.pipe(
    v.string(),
    v.check((text) => parse(text) !== undefined, message),
    v.transform((text) => parse(text)!),
  );

/** An RFC 3339 time with an offset (src/core/time.ts parses it), as epoch milliseconds. */
export const rfc3339Time = parsedBy(
  parseRfc3339,
  '应为带时区的 RFC 3339 时间，如 2026-01-31T23:59:59+08:00|must be an RFC 3339 time with an offset, e.g. 2026-01-31T23:59:59+08:00',
);

/** The instants from 1 January of `first` to the end of `last`, Beijing time: a year typed as 20026 is refused. */
const withinYears = (first: number, last: number) =>
  v.check<number, string>(
    (ms) => ms >= Date.UTC(first, 0, 1) - BEIJING_OFFSET_MS && ms < Date.UTC(last + 1, 0, 1) - BEIJING_OFFSET_MS,
    `应在 ${first} 年到 ${last} 年之间|must be between the years ${first} and ${last}`,
  );

/** When a report was published: an RFC 3339 time, or a bare date (midnight in Beijing), as epoch milliseconds. */
export const publicationTime = v.pipe(
  parsedBy(
    parsePublicationTime,
    '应为带时区的 RFC 3339 时间或日期，如 2019-01-16T00:00:00+08:00 或 2019-01-16|must be an RFC 3339 time with an offset, or a date such as 2019-01-16',
  ),
  // A report is published after its year (imported history goes back to REPORT_YEARS.first).
  withinYears(REPORT_YEARS.first, REPORT_YEARS.last + 1),
);

// ---------------------------------------------------------------------------------------------
// Reporting cycles: the numbers an administrator types, the same rule for the API and the page
// ---------------------------------------------------------------------------------------------

/** A cycle's deadline: an RFC 3339 time in the year after a cycle year can be (a cycle of 2100 is due in 2101). */
export const cycleDeadline = v.pipe(rfc3339Time, withinYears(CYCLE_YEARS.first, CYCLE_YEARS.last + 1));

/** The deadline as the cycle page's <input type="datetime-local"> sends it: 'YYYY-MM-DDTHH:MM', Beijing time, to the minute's end. */
export const cycleDeadlineLocal = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, '应为日期和时间，如 2026-01-31T23:59|must be a date and time such as 2026-01-31T23:59'),
  v.transform((local) => `${local}:59+08:00`),
  cycleDeadline,
);

/** Reminders go out at most a year ahead of the deadline, on at most this many days. */
export const REMINDER_DAYS = { max: 366, count: 20 } as const;

/** The days before the deadline on which reminders go out: different whole numbers from 0 to 366, at most 20. */
export const reminderDays = v.pipe(
  v.array(
    v.pipe(
      v.number(),
      v.integer('应为整数|must be a whole number'),
      v.minValue(0, '不能小于 0|must be at least 0'),
      v.maxValue(REMINDER_DAYS.max, `不能大于 ${REMINDER_DAYS.max}|must be at most ${REMINDER_DAYS.max}`),
    ),
  ),
  v.maxLength(REMINDER_DAYS.count, `最多 ${REMINDER_DAYS.count} 个提醒日|must list at most ${REMINDER_DAYS.count} days`),
  v.check((days) => new Set(days).size === days.length, '不能有重复的天数|must not repeat a day'),
);

/** Reminder days as the cycle page's text field has them: '30, 14，7 3' (commas of either width, spaces). */
export const reminderDaysText = v.pipe(
  v.string(),
  // Digits only: Number() would also read '1e2', '0x10' and ' '.
  v.transform((text) => text.split(/[,，\s]+/).filter(Boolean).map((day) => (/^\d{1,9}$/.test(day) ? Number(day) : Number.NaN))),
  reminderDays,
);

/** A 422 naming one field, for problems only the database can reveal (an unknown unit, a cycle). */
export function fieldError(lang: Lang, field: string, zh: string, en: string) {
  return invalidInput([{ field, message: translator(lang)(zh, en) }]);
}
