// Every time a person reads is Beijing time (Asia/Shanghai), whatever zone the server runs in.
// China has kept UTC+8 all year since 1991 (no daylight saving), so a fixed offset is exact
// and needs no time-zone database.

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Wall-clock fields of Beijing time as an ISO string without a zone: '2026-01-24T09:00:00.000'. */
const beijingIso = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 23);

/** For people, to the minute: '2026-01-24 09:00'. */
export const beijingMinute = (ms: number): string => beijingIso(ms).slice(0, 16).replace('T', ' ');

/** For APIs, RFC 3339 with the +08:00 offset (api.md), to the second: '2026-01-24T09:00:00+08:00'. */
export const beijingRfc3339 = (ms: number): string => `${beijingIso(ms).slice(0, 19)}+08:00`;
