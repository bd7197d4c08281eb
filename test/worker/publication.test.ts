// Publication through the real Worker: the reference report (金塘镇 2018, legacy-2014) imported
// by POST /api/v1/admin/import, then read back as JSON, CSV and the public page — exactly its
// numbers and blanks; a correction as version 2 with ?version= for both; an unpublished draft
// (or a submitted report, or a reopened report's new draft) never visible anywhere public;
// ETag/304, CORS and cache headers.
import { beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { ReportDetail, ReportsResponse, StatsResponse } from '../../src/areas/public/schemas';
import { get, importReport, insertDraft, JINTANG, jintangBody, one, pageCells, parseCsv, putUnit, readCsv, reopenWithSecretDraft } from './publication-helpers';

const REPORT = '/api/v1/reports/JT-330903-101/2018';
const PAGE = '/reports/JT-330903-101/2018';
const cells = JINTANG.cells as Record<string, number | null>;

/** The 16 numbers of the reference table (templates.md); every other cell is blank. */
const NUMBERS: Record<string, number> = {
  proactive_total: 259,
  proactive_normative: 0,
  normative_issued: 0,
  ch_website: 259,
  responses: 15,
  interpretations: 0,
  apps_received: 0,
  apps_closed: 0,
  replies: 0,
  reviews: 0,
  suits: 0,
  complaints: 0,
  bodies: 1,
  staff: 2,
  staff_full: 1,
  staff_part: 1,
};

type ErrorBody = { error: { code: string; message: string; details: { field: string; message: string }[] } };

beforeAll(async () => {
  await putUnit('ZS-DH', '定海区人民政府');
  await putUnit('JT-330903-101', '金塘镇', 'ZS-DH');
  const res = await importReport(jintangBody());
  expect(res.status).toBe(201);
  const body = (await res.json()) as { result: string; issues: unknown[]; report: { version: number } };
  expect(body).toMatchObject({ result: 'created', issues: [], report: { version: 1 } });
});

describe('the imported reference report', () => {
  it('JSON carries exactly its numbers and blanks, in the shape api.md gives', async () => {
    const res = await get(REPORT);
    expect(res.status).toBe(200);
    const body = v.parse(ReportDetail, await res.json());
    expect(Object.keys(body.cells)).toHaveLength(58);
    expect(body.cells).toEqual(cells);
    const numbers = Object.fromEntries(Object.entries(body.cells).filter(([, value]) => value !== null));
    expect(numbers).toEqual(Object.fromEntries(Object.entries(NUMBERS).map(([k, n]) => [`stats.${k}.value`, n])));
    expect(body).toMatchObject({
      unit: 'JT-330903-101',
      unit_name: '金塘镇',
      year: 2018,
      template: 'legacy-2014',
      version: 1,
      published_at: '2019-01-16T00:00:00+08:00',
      submitted_at: null,
      deadline: null,
      on_time: null,
      imported: true,
      explanations: {},
      sections: { body: JINTANG.sections.body },
      versions: [{ version: 1, published_at: '2019-01-16T00:00:00+08:00', reason: null }],
      url: `https://nianbao.test${PAGE}`,
      json: `https://nianbao.test${REPORT}`,
      csv: `https://nianbao.test${REPORT}.csv`,
    });
  });

  it('CSV: UTF-8 with a BOM, one line per cell, blanks empty, Chinese labels that parse back', async () => {
    const res = await get(`${REPORT}.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: false, fatal: true }).decode(bytes);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['table', 'row', 'column', 'label', 'unit', 'value']);
    expect(rows).toHaveLength(1 + 58);
    expect(rows.every((r) => r.length === 6)).toBe(true);
    const byKey = new Map(rows.slice(1).map((r) => [`${r[0]}.${r[1]}.${r[2]}`, r]));
    expect(byKey.get('stats.proactive_total.value')).toEqual(['stats', 'proactive_total', 'value', '（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）', '条', '259']);
    expect(byKey.get('stats.ch_gazette.value')).toEqual(['stats', 'ch_gazette', 'value', '1.政府公报公开政府信息数', '条', '']);
    expect(byKey.get('stats.trainees.value')?.slice(4)).toEqual(['人次', '']);
    expect(byKey.get('stats.funds.value')?.[4]).toBe('万元');
    for (const [key, value] of Object.entries(cells)) expect(byKey.get(key)?.[5]).toBe(value === null ? '' : String(value));
  });

  it('the page: its title, publication date, and the official table with its numbers and blanks', async () => {
    const res = await get(PAGE);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<title>金塘镇2018年政府信息公开工作年度报告</title>');
    expect(html).toContain('<h1>金塘镇2018年政府信息公开工作年度报告</h1>');
    expect(html).toContain('2019年1月16日');
    expect(html).toContain('政府信息公开情况统计表');
    expect(html).toContain('<thead>'); // the header row repeats on every printed page
    expect(html).toContain('一、主要工作情况'); // the narrative
    const shown = pageCells(html);
    expect(Object.keys(shown)).toHaveLength(58);
    for (const [key, value] of Object.entries(cells)) expect(shown[key], key).toBe(value === null ? '' : String(value));
    // Links to its data, and the version history.
    expect(html).toContain(`href="https://nianbao.test${REPORT}.csv"`);
    expect(html).toContain(`href="https://nianbao.test${REPORT}"`);
    expect(html).toContain('版本记录');
  });

  it('is listed: the reports API, the index page and the unit page', async () => {
    const list = v.parse(ReportsResponse, await (await get('/api/v1/reports')).json());
    expect(list.reports).toEqual([
      expect.objectContaining({ unit: 'JT-330903-101', unit_name: '金塘镇', year: 2018, version: 1, url: `https://nianbao.test${PAGE}` }),
    ]);
    expect((await (await get('/api/v1/reports?year=2017')).json()) as object).toEqual({ reports: [] });
    expect(((await (await get('/api/v1/reports?within=ZS-DH')).json()) as { reports: unknown[] }).reports).toHaveLength(1);
    const index = await (await get('/reports')).text();
    expect(index).toContain(`href="${PAGE}"`);
    const unit = await get('/reports/JT-330903-101');
    expect(unit.status).toBe(200);
    expect(await unit.text()).toContain(`href="${PAGE}"`);
  });

  it('answers with ETag and 304, CORS for any origin, a short public lifetime and Last-Modified', async () => {
    for (const path of [REPORT, `${REPORT}.csv`, PAGE, '/api/v1/reports', '/api/v1/stats/2018', '/feeds/reports.json', '/reports', '/stats/2018']) {
      const first = await get(path, { Origin: 'https://example.org' });
      expect(first.status, path).toBe(200);
      const tag = first.headers.get('ETag');
      expect(tag, path).toMatch(/^(W\/)?"[0-9a-f]+"$/);
      expect(first.headers.get('Access-Control-Allow-Origin'), path).toBe('*');
      expect(first.headers.get('Cache-Control'), path).toMatch(/^public, max-age=\d+$/);
      expect(first.headers.get('Last-Modified'), path).toBe('Tue, 15 Jan 2019 16:00:00 GMT');

      const again = await get(path, { 'If-None-Match': tag!, Origin: 'https://example.org' });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('ETag')).toBe(tag);
      expect(again.headers.get('Access-Control-Allow-Origin'), path).toBe('*');

      const other = await get(path, { 'If-None-Match': '"something-else"' });
      expect(other.status, path).toBe(200);
    }
  });

  it('answers repeated reads from the cache, with the same body and ETag', async () => {
    const a = await get('/api/v1/stats/2018');
    const b = await get('/api/v1/stats/2018');
    expect(b.headers.get('X-Cache')).toMatch(/^(memory|hit)$/);
    expect(b.headers.get('ETag')).toBe(a.headers.get('ETag'));
    expect(await b.text()).toBe(await a.text());
    // The security headers of every response are still there on a hit.
    expect(b.headers.get('Content-Security-Policy')).toContain("default-src 'self'");
  });
});

describe('a correction', () => {
  let originalStats: Record<string, number | null>;

  beforeAll(async () => {
    originalStats = ((await (await get('/api/v1/stats/2018')).json()) as { cells: Record<string, number | null> }).cells;
    const corrected = { ...cells, 'stats.staff.value': 3, 'stats.staff_part.value': 2 };
    const res = await importReport(jintangBody({ cells: corrected, published_at: '2019-03-01T10:00:00+08:00', reason: '兼职人员数填报有误' }));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ result: 'corrected', report: { version: 2 }, issues: [] });
  });

  it('becomes version 2; ?version=1 still serves the original, ?version=2 the correction', async () => {
    const latest = v.parse(ReportDetail, await (await get(REPORT)).json());
    expect(latest.version).toBe(2);
    expect(latest.cells['stats.staff.value']).toBe(3);
    expect(latest.published_at).toBe('2019-03-01T10:00:00+08:00');
    expect(latest.versions.map((x) => [x.version, x.reason])).toEqual([
      [1, null],
      [2, '兼职人员数填报有误'],
    ]);
    const original = v.parse(ReportDetail, await (await get(`${REPORT}?version=1`)).json());
    expect(original.version).toBe(1);
    expect(original.cells).toEqual(cells);
    expect(original.json).toBe(`https://nianbao.test${REPORT}?version=1`);
    const second = v.parse(ReportDetail, await (await get(`${REPORT}?version=2`)).json());
    expect(second.cells['stats.staff_part.value']).toBe(2);

    const csv1 = await readCsv(await get(`${REPORT}.csv?version=1`));
    expect(csv1.rows.find((r) => r[1] === 'staff')?.[5]).toBe('2');
    const csv2 = await readCsv(await get(`${REPORT}.csv`));
    expect(csv2.rows[0]?.[0]).toBe('table');
    expect(csv2.rows.find((r) => r[1] === 'staff')?.[5]).toBe('3');
  });

  it('the pages show both versions, the reason, and which one is current', async () => {
    const latest = await (await get(PAGE)).text();
    expect(pageCells(latest)['stats.staff.value']).toBe('3');
    expect(latest).toContain('更正原因：兼职人员数填报有误');
    expect(latest).toContain(`href="${PAGE}?version=1"`);
    const old = await (await get(`${PAGE}?version=1`)).text();
    expect(pageCells(old)['stats.staff.value']).toBe('2');
    expect(old).toContain('已于 2019年3月1日 由第 2 版更正');
  });

  it('the statistics count the corrected version at once, never the stale one', async () => {
    expect(originalStats['stats.staff.value']).toBe(2);
    const stats = v.parse(StatsResponse, await (await get('/api/v1/stats/2018')).json());
    expect(stats.cells['stats.staff.value']).toBe(3);
    expect(stats.units_published).toBe(1); // one report, whatever its number of versions
  });

  it('an unknown version is a 404; a malformed one a 422 naming the parameter', async () => {
    expect((await get(`${REPORT}?version=3`)).status).toBe(404);
    expect((await get(`${PAGE}?version=3`)).status).toBe(404);
    const bad = await get(`${REPORT}?version=abc`);
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as ErrorBody).error.details[0]?.field).toBe('version');
  });

  it('importing the same content again writes nothing', async () => {
    const before = await one<{ n: number }>('SELECT count(*) AS n FROM report_versions');
    const res = await importReport(jintangBody({ cells: { ...cells, 'stats.staff.value': 3, 'stats.staff_part.value': 2 }, published_at: '2019-03-01T10:00:00+08:00' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: 'unchanged', report: { version: 2 } });
    expect(await one('SELECT count(*) AS n FROM report_versions')).toEqual(before);
  });
});

describe('what is not published never appears in public', () => {
  const SECRET = '424242';
  let published: { version: number };

  beforeAll(async () => {
    await putUnit('DRAFT-UNIT', '草稿镇', 'ZS-DH');
    await putUnit('SUBMITTED-UNIT', '待审镇', 'ZS-DH');
    await insertDraft('DRAFT-UNIT', 2018, 'legacy-2014', 'draft', 'stats.apps_received.value');
    await insertDraft('SUBMITTED-UNIT', 2018, 'legacy-2014', 'submitted', 'stats.complaints.value');
    // 金塘镇 2018 reopened for correction: a new draft revision, not yet approved.
    published = (await (await get(REPORT)).json()) as { version: number };
    await reopenWithSecretDraft('JT-330903-101', 2018, 'stats.bodies.value');
  });

  it('not in the list, the JSON, the CSV, the feed, the statistics or any page', async () => {
    const paths = [
      '/api/v1/reports',
      '/api/v1/reports?year=2018',
      '/api/v1/reports?unit=DRAFT-UNIT',
      '/api/v1/reports?within=ZS-DH',
      REPORT,
      `${REPORT}.csv`,
      '/api/v1/reports.csv?year=2018',
      '/api/v1/stats/2018',
      '/api/v1/stats/2018?within=ZS-DH',
      '/feeds/reports.json',
      '/feeds/reports.json?year=2018',
      '/reports',
      '/reports/JT-330903-101',
      PAGE,
      `${PAGE}?version=1`,
      '/stats/2018',
    ];
    for (const path of paths) {
      const text = await (await get(path)).text();
      expect(text, path).not.toContain(SECRET);
      expect(text, path).not.toContain('SECRET-DRAFT');
      expect(text, path).not.toContain('DRAFT-UNIT');
      expect(text, path).not.toContain('SUBMITTED-UNIT');
      expect(text, path).not.toContain('草稿镇');
    }
    expect(((await (await get('/api/v1/reports?unit=DRAFT-UNIT')).json()) as { reports: unknown[] }).reports).toEqual([]);
    const stats = (await (await get('/api/v1/stats/2018')).json()) as { units_published: number; units_expected: number };
    expect(stats.units_published).toBe(1);
    expect(stats.units_expected).toBe(3); // expected to report, yes; published, no
  });

  it('their own addresses are 404s', async () => {
    for (const unit of ['DRAFT-UNIT', 'SUBMITTED-UNIT']) {
      for (const path of [`/api/v1/reports/${unit}/2018`, `/api/v1/reports/${unit}/2018.csv`, `/reports/${unit}/2018`, `/reports/${unit}`]) {
        const res = await get(path);
        expect(res.status, path).toBe(404);
        expect(await res.text(), path).not.toContain(SECRET);
      }
    }
  });

  it('the reopened report still shows its published version', async () => {
    const body = (await (await get(REPORT)).json()) as { version: number; cells: Record<string, number> };
    expect(body.version).toBe(published.version);
    expect(body.cells['stats.bodies.value']).toBe(1);
  });
});

describe('bad addresses and filters', () => {
  it('an unknown report is a 404 in the one error shape, Chinese by default, English on request', async () => {
    const zh = await get('/api/v1/reports/NOPE/2018');
    expect(zh.status).toBe(404);
    expect(((await zh.json()) as ErrorBody).error).toMatchObject({ code: 'not_published', message: '没有已发布的该报告。', details: [] });
    const en = await get('/api/v1/reports/NOPE/2018', { 'Accept-Language': 'en' });
    expect(((await en.json()) as ErrorBody).error.message).toBe('No such published report.');
    for (const path of ['/api/v1/reports/JT-330903-101/18', '/api/v1/reports/JT-330903-101/2018.pdf', '/api/v1/stats/year', '/stats/1999']) {
      expect((await get(path)).status, path).toBe(404);
    }
    const page = await get('/reports/NOPE/2018');
    expect(page.status).toBe(404);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
  });

  it('a malformed or unknown filter is a 422 naming it', async () => {
    const cases: [string, string][] = [
      ['/api/v1/reports?year=20x8', 'year'],
      ['/api/v1/reports?within=NOPE', 'within'],
      ['/api/v1/reports?unit=no%20spaces', 'unit'],
      ['/api/v1/units?within=NOPE', 'within'],
      ['/api/v1/stats/2018?within=NOPE', 'within'],
      ['/api/v1/reports.csv', 'year'],
      ['/feeds/reports.json?page=0', 'page'],
    ];
    for (const [path, field] of cases) {
      const res = await get(path, { 'Accept-Language': 'en' });
      expect(res.status, path).toBe(422);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.details.map((d) => d.field), path).toContain(field);
    }
  });
});
