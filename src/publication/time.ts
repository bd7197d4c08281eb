// Times on public pages and in imports. Stored times are UTC milliseconds; the API writes them
// with src/beijing-time.ts (RFC 3339, +08:00), pages as Beijing calendar dates.

const OFFSET_MS = 8 * 3_600_000;

/** 1547568000000 → '2019-01-16' (the Beijing calendar date). */
export function beijingDay(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

/** '2019年1月16日', for pages. */
export function chineseDate(ms: number): string {
  const [y, m, d] = beijingDay(ms).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** HTTP-date for Last-Modified (whole seconds). */
export const httpDate = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toUTCString();

/**
 * An RFC 3339 timestamp with an offset, or a bare date (taken as midnight in Beijing, the way
 * reports print their 发布时间). Undefined for anything else, including dates that do not exist.
 */
export function parsePublicationTime(text: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00+08:00`);
    return Number.isNaN(ms) || beijingDay(ms) !== text ? undefined : ms;
  }
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) return undefined;
  const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 31 February over; the date as written must survive the round trip.
  const offset = m[5]!.toUpperCase() === 'Z' ? 0 : (m[5]![0] === '-' ? -1 : 1) * (Number(m[5]!.slice(1, 3)) * 60 + Number(m[5]!.slice(4, 6)));
  return new Date(ms + offset * 60_000).toISOString().slice(0, 10) === m[1] ? ms : undefined;
}
