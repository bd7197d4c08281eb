// Time, the one module for it. Stored times are UTC milliseconds; every time a person reads is
// Beijing time (Asia/Shanghai), whatever zone the server runs in. China has kept UTC+8 all year
// since 1991 (no daylight saving), so a fixed offset is exact and needs no time-zone database.
// Pure: the Worker, the forms, the cron and the development tools share these.

export const DAY_MS = 86_400_000;
export const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * What the helpers below show for an instant no calendar date can name (NaN, ±Infinity, beyond
 * what a Date holds, or a year past 9999): a wall-clock string of the usual shape that is plainly
 * no date, rather than the RangeError toISOString() throws, which would take a whole page down.
 */
const NO_DATE_ISO = '0000-00-00T00:00:00.000';

/** The instants of years 0000 to 9999: the ones toISOString() writes with four digits. */
const ISO_RANGE_MS = { min: Date.parse('0000-01-01T00:00:00.000Z'), max: Date.parse('9999-12-31T23:59:59.999Z') };

/** Wall-clock fields of Beijing time as an ISO string without a zone: '2026-01-24T09:00:00.000'. */
const beijingIso = (ms: number) => {
  const local = ms + BEIJING_OFFSET_MS;
  return Number.isFinite(local) && local >= ISO_RANGE_MS.min && local <= ISO_RANGE_MS.max ? new Date(local).toISOString().slice(0, 23) : NO_DATE_ISO;
};

/** The Beijing calendar date of an instant, as whole days since 1970-01-01 (for day arithmetic). */
export const beijingDayNumber = (ms: number): number => Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS);

/** 'YYYY-MM-DD', the Beijing calendar date: 1547568000000 → '2019-01-16'. */
export const beijingDate = (ms: number): string => beijingIso(ms).slice(0, 10);

/** For people, to the minute: '2026-01-24 09:00'. */
export const beijingMinute = (ms: number): string => beijingIso(ms).slice(0, 16).replace('T', ' ');

/** For APIs, RFC 3339 with the +08:00 offset (api.md), to the second: '2026-01-24T09:00:00+08:00'. */
export const beijingRfc3339 = (ms: number): string => `${beijingIso(ms).slice(0, 19)}+08:00`;

/** '2019年1月16日', for pages. */
export function chineseDate(ms: number): string {
  const [y, m, d] = beijingDate(ms).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** HTTP-date for Last-Modified (whole seconds). */
export const httpDate = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toUTCString();

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** The instant of an RFC 3339 time with an offset (2026-01-31T23:59:59+08:00), or undefined if it is not one. */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const offsetMinutes = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : 0;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
  const check = new Date(local);
  // Date.UTC rolls 31 February over into March: a date that does not exist is not accepted.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || Number(m[10] ?? 0) > 23 || Number(m[11] ?? 0) > 59) return undefined;
  return local - offsetMinutes * 60_000;
}

/**
 * An RFC 3339 timestamp with an offset, or a bare date (taken as midnight in Beijing, the way
 * reports print their 发布时间). Undefined for anything else, including dates that do not exist.
 */
export function parsePublicationTime(text: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return parseRfc3339(`${text}T00:00:00+08:00`);
  // Seconds may be left out (2019-01-16T09:30+08:00), as people write it.
  const withSeconds = /^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2})([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  return parseRfc3339(withSeconds ? `${withSeconds[1]}:00${withSeconds[2]}` : text);
}

/** The latest instant a JavaScript Date can hold (±8.64e15 ms): beyond it every date helper throws. */
const MAX_DATE_MS = 8.64e15;

/**
 * An instant written as epoch milliseconds (digits only) or RFC 3339 with an offset; undefined
 * for anything else, including epoch values no Date can hold.
 */
export function parseInstant(text: string): number | undefined {
  if (/^\d{1,16}$/.test(text)) {
    const ms = Number(text);
    return ms <= MAX_DATE_MS ? ms : undefined;
  }
  return parseRfc3339(text);
}
