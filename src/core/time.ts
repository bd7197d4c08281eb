// Reading times people and machines write. Pure: the Worker, the forms and the development
// tools (POST /dev/cron) share one strict parser.

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
