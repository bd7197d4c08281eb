// Big public answers (src/publication/pages.ts): the bulk CSV streamed page by page, and keyset
// pagination (cursor / next) for the reports list and the feed. 620 reports — more than one page
// of the CSV's 500 — loaded through the bulk import, published on only five different days, so
// most rows tie on their publication time and the cursors must break the ties exactly.
import { beforeAll, describe, expect, it } from 'vitest';
import { exports } from 'cloudflare:workers';
import { BASE, get, putUnit, readCsv, TOKEN } from './publication-helpers';

const YEAR = 2022;
const REPORTS = 620;
const code = (i: number) => `ST-${String(i).padStart(4, '0')}`;

type Summary = { unit: string; year: number; published_at: string };
type Feed = { next_url?: string; items: { id: string; date_published: string; _report: { unit: string; version: number } }[] };

async function json<T>(path: string): Promise<T> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** Follows `next` (or `next_url`) from `first` to the end; every page's items in order. */
async function everyPage<T>(first: string, items: (page: T) => unknown[], next: (page: T) => string | undefined) {
  const all: unknown[] = [];
  let pages = 0;
  for (let path: string | undefined = first; path && pages < 100; pages++) {
    const page: T = await json<T>(path);
    all.push(...items(page));
    const url = next(page);
    path = url ? url.slice(BASE.length) : undefined;
  }
  return { all, pages };
}

beforeAll(async () => {
  await putUnit('ST', '流式市');
  await putUnit('ST-N', '北区', 'ST');
  await putUnit('ST-S', '南区', 'ST');
  const csv = ['code,name,parent', ...Array.from({ length: REPORTS }, (_, i) => `${code(i)},单位${i},${i % 2 ? 'ST-S' : 'ST-N'}`)].join('\n');
  const units = await exports.default.fetch(new Request(`${BASE}/api/v1/admin/bulk/units`, { method: 'POST', headers: { ...TOKEN, 'Content-Type': 'text/csv' }, body: csv }));
  expect(units.status).toBe(200);
  const lines = Array.from({ length: REPORTS }, (_, i) =>
    JSON.stringify({
      unit: code(i),
      year: YEAR,
      template: 'gov-2021',
      sections: {},
      cells: { 'applications.new.total': i },
      published_at: `${YEAR + 1}-01-${String(10 + (i % 5)).padStart(2, '0')}`,
    }),
  );
  const imported = await exports.default.fetch(
    new Request(`${BASE}/api/v1/admin/import/bulk`, { method: 'POST', headers: { ...TOKEN, 'Content-Type': 'application/x-ndjson' }, body: lines.join('\n') }),
  );
  expect(imported.status, await imported.clone().text()).toBe(201);
}, 60_000);

describe('the bulk CSV', () => {
  it('streams every report of the year once, by unit code, across its pages', async () => {
    const res = await get(`/api/v1/reports.csv?year=${YEAR}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Last-Modified')).toBe(new Date(Date.parse(`${YEAR + 1}-01-14T00:00:00+08:00`)).toUTCString());
    const { bom, rows } = await readCsv(res);
    expect(bom).toBe(true);
    const [keys, labels, ...data] = rows;
    expect(keys!.slice(0, 2)).toEqual(['unit', 'unit_name']);
    expect(labels!.slice(0, 2)).toEqual(['单位代码', '单位名称']);
    expect(data.map((r) => r[0])).toEqual(Array.from({ length: REPORTS }, (_, i) => code(i)));
    const total = keys!.indexOf('applications.new.total');
    expect(data.map((r) => Number(r[total]))).toEqual(Array.from({ length: REPORTS }, (_, i) => i));
  });

  it('keeps to `within`', async () => {
    const { rows } = await readCsv(await get(`/api/v1/reports.csv?year=${YEAR}&within=ST-S`));
    const units = rows.slice(2).map((r) => r[0]);
    expect(units).toHaveLength(REPORTS / 2);
    expect(units.every((u) => Number(u!.slice(3)) % 2 === 1)).toBe(true);
  });
});

describe('the reports list, a page at a time', () => {
  it('gives, following `next`, exactly the whole list in its order, ties on the publication time included', async () => {
    const whole = await json<{ reports: Summary[]; next?: string }>(`/api/v1/reports?year=${YEAR}`);
    expect(whole.reports).toHaveLength(REPORTS);
    expect(whole.next).toBeUndefined();
    const paged = await everyPage<{ reports: Summary[]; next?: string }>(`/api/v1/reports?year=${YEAR}&limit=100`, (p) => p.reports, (p) => p.next);
    expect(paged.pages).toBe(7);
    expect(paged.all).toEqual(whole.reports);
  });

  it('refuses a cursor it never gave, naming it', async () => {
    const res = await get(`/api/v1/reports?cursor=${btoa('["x"]').replace(/=+$/, '')}`);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: { field: string }[] } };
    expect(body.error.details.map((d) => d.field)).toEqual(['cursor']);
  });
});

describe('the feed, a page at a time', () => {
  it('reaches every publication through next_url, each once, newest first', async () => {
    const { all, pages } = await everyPage<Feed>(`/feeds/reports.json?year=${YEAR}`, (p) => p.items, (p) => p.next_url);
    expect(pages).toBe(Math.ceil(REPORTS / 50));
    const ids = (all as Feed['items']).map((i) => i.id);
    expect(new Set(ids).size).toBe(REPORTS);
    const times = (all as Feed['items']).map((i) => Date.parse(i.date_published));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new URL((await json<Feed>(`/feeds/reports.json?year=${YEAR}`)).next_url!).searchParams.has('cursor')).toBe(true);
  });

  it('still answers ?page=N, the same items as the cursor’s page N', async () => {
    const first = await json<Feed>(`/feeds/reports.json?year=${YEAR}`);
    const byCursor = await json<Feed>(first.next_url!.slice(BASE.length));
    const byPage = await json<Feed>(`/feeds/reports.json?year=${YEAR}&page=2`);
    expect(byPage.items.map((i) => i.id)).toEqual(byCursor.items.map((i) => i.id));
    expect(byPage.next_url).toBe(byCursor.next_url);
  });
});
