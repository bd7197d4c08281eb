// Statistics of a year (GET /api/v1/stats/{year}, /stats/{year}, the bulk CSV): the three real
// gov-2021 reports in test/fixtures/real, imported for one common year under three units of one
// parent, must sum exactly to what this test computes from the fixtures; ?within= limits the
// sums to a subtree; units expected, published and on time are counted; a new publication is
// counted at once (the cache never serves stale sums).
import { beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { StatsResponse } from '../../src/areas/public/schemas';
import { cellCatalog, cellKeys, getTemplate } from '../../src/core';
import hongze from '../fixtures/real/hongze-district-2023.json';
import huaian from '../fixtures/real/huaian-city-2024.json';
import pingtan from '../fixtures/real/pingtan-2022.json';
import { db, get, importReport, insertDraft, pageCells, putUnit, readCsv } from './publication-helpers';

const YEAR = 2024;
const gov2021 = getTemplate('gov-2021')!;
type Cells = Record<string, number | null>;

/** Three units below PARENT; a fourth elsewhere (OUTSIDE) that ?within=PARENT must leave out. */
const REPORTS: { unit: string; name: string; parent: string; cells: Cells; published_at: string }[] = [
  { unit: 'HZ-2023', name: '淮安市洪泽区人民政府', parent: 'PARENT', cells: hongze.cells, published_at: '2025-01-20T10:00:00+08:00' },
  { unit: 'HA-2024', name: '淮安市人民政府', parent: 'PARENT', cells: huaian.cells, published_at: '2025-01-31T23:59:59+08:00' },
  { unit: 'PT-2022', name: '平潭综合实验区', parent: 'PARENT', cells: pingtan.cells, published_at: '2025-02-03T09:00:00+08:00' },
];
const OUTSIDE = { unit: 'OUT-1', name: '别处', parent: 'OTHER', cells: huaian.cells, published_at: '2025-01-10' };

const DEADLINE = Date.parse('2025-01-31T23:59:59+08:00');

/** Per cell: the sum of the reports' numbers (a blank counts as nothing), null when all are blank. */
function handSums(reports: Cells[]): Cells {
  const out: Cells = {};
  for (const key of cellKeys(gov2021)) {
    const values = reports.map((r) => r[key]).filter((x): x is number => typeof x === 'number');
    out[key] = values.length ? Math.round(values.reduce((a, b) => a + b, 0) * 1e6) / 1e6 : null;
  }
  return out;
}

const stats = async (query = '') => v.parse(StatsResponse, await (await get(`/api/v1/stats/${YEAR}${query}`)).json());

beforeAll(async () => {
  await putUnit('ROOT', '某市人民政府');
  await putUnit('PARENT', '某区人民政府', 'ROOT');
  await putUnit('OTHER', '另一区人民政府', 'ROOT');
  // The year's cycle: its deadline decides who was on time.
  await db.prepare(`INSERT INTO cycles (year, template, deadline) VALUES (?1, 'gov-2021', ?2)`).bind(YEAR, DEADLINE).run();
  for (const r of [...REPORTS, OUTSIDE]) {
    await putUnit(r.unit, r.name, r.parent);
    const res = await importReport({ unit: r.unit, year: YEAR, template: 'gov-2021', sections: { overview: `${r.name}总体情况。` }, cells: r.cells, published_at: r.published_at });
    expect(res.status, r.unit).toBe(201);
  }
  // Expected to report, not yet published: counted as expected, its numbers never summed.
  await putUnit('LATE', '未发布单位', 'PARENT');
  await insertDraft('LATE', YEAR);
});

describe('GET /api/v1/stats/{year}', () => {
  it('?within=PARENT: the sums of the three reports equal the hand-computed sums, cell by cell', async () => {
    const body = await stats('?within=PARENT');
    expect(body).toMatchObject({ year: YEAR, template: 'gov-2021', within: 'PARENT', units_expected: 4, units_published: 3, units_on_time: 2 });
    const expected = handSums(REPORTS.map((r) => r.cells));
    expect(Object.keys(body.cells)).toEqual(cellKeys(gov2021));
    for (const key of cellKeys(gov2021)) {
      if (expected[key] === null) expect(body.cells[key], key).toBeNull();
      else expect(body.cells[key], key).toBeCloseTo(expected[key]!, 6);
    }
    // Spot checks, written out: 本年新收 总计, and 洪泽区's blank （六）sub-rows summed over the other two.
    expect(body.cells['applications.new.total']).toBe((hongze.cells as Cells)['applications.new.total']! + huaian.cells['applications.new.total']! + pingtan.cells['applications.new.total']!);
    expect(body.cells['applications.o_other.total']).toBe(huaian.cells['applications.o_other.total']! + pingtan.cells['applications.o_other.total']!);
    expect(body.cells['applications.new.total']).not.toBe(424242);
  });

  it('without ?within= every published report counts; ?within= a single unit gives that unit alone', async () => {
    const all = await stats();
    expect(all).toMatchObject({ within: null, units_published: 4, units_expected: 5 });
    const allExpected = handSums([...REPORTS, OUTSIDE].map((r) => r.cells));
    for (const key of cellKeys(gov2021)) expect(all.cells[key] ?? null, key).toBeCloseTo(allExpected[key] ?? NaN, 6);

    const one = await stats('?within=PT-2022');
    expect(one).toMatchObject({ units_published: 1, units_expected: 1, units_on_time: 0 });
    expect(one.cells).toEqual(handSums([pingtan.cells]));

    const root = await stats('?within=ROOT');
    expect(root.units_published).toBe(4);
  });

  it('a year with nothing published: zero counts, every cell null', async () => {
    const empty = v.parse(StatsResponse, await (await get('/api/v1/stats/2030')).json());
    expect(empty).toMatchObject({ units_expected: 0, units_published: 0, units_on_time: 0 });
    expect(Object.values(empty.cells).every((x) => x === null)).toBe(true);
  });

  it('counts a new publication at once: the cached answer is never stale', async () => {
    // Under OTHER, so that PARENT's three reports stay as they are for the tests below.
    const before = await stats('?within=OTHER');
    const again = await get(`/api/v1/stats/${YEAR}?within=OTHER`);
    expect(again.headers.get('X-Cache')).toMatch(/^(memory|hit)$/);
    await putUnit('NEW', '新发布单位', 'OTHER');
    const res = await importReport({ unit: 'NEW', year: YEAR, template: 'gov-2021', sections: {}, cells: { 'applications.new.total': 5 }, published_at: '2025-01-05' });
    expect(res.status).toBe(201);
    const after = await stats('?within=OTHER');
    expect(after.units_published).toBe(before.units_published + 1);
    expect(after.units_on_time).toBe(before.units_on_time + 1);
    expect(after.cells['applications.new.total']).toBe(before.cells['applications.new.total']! + 5);
  });
});

describe('GET /stats/{year}', () => {
  it('shows the counts and the sums in the official layout, blanks blank', async () => {
    const body = await stats('?within=PARENT');
    const res = await get(`/stats/${YEAR}?within=PARENT`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>2024年度政府信息公开工作年度报告汇总统计</h1>');
    expect(html).toContain('某区人民政府及下级单位');
    expect(html).toMatch(/<dt>应报送单位<\/dt><dd>4<\/dd>/);
    expect(html).toMatch(/<dt>已发布<\/dt><dd>3<\/dd>/);
    expect(html).toMatch(/<dt>按时发布<\/dt><dd>2<\/dd>/);
    const shown = pageCells(html);
    expect(Object.keys(shown)).toHaveLength(cellKeys(gov2021).length);
    for (const [key, value] of Object.entries(body.cells)) expect(shown[key], key).toBe(value === null ? '' : String(value));
    expect(html).toContain('申请人情况'); // the 3-row header of 三
    expect(html).toContain('行政诉讼'); // the header groups of 四
  });

  it('draws the charts as SVG with a title, a description and a data table, and no script', async () => {
    const html = await (await get(`/stats/${YEAR}?within=PARENT`)).text();
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="handling-title handling-desc"/);
    expect(html).toContain('<title id="handling-title">2024年度政府信息公开申请办理结果</title>');
    expect(html).toMatch(/<desc id="handling-desc">（一）予以公开 \d+ 件；（二）部分公开/);
    expect(html).toContain('<caption>2024年度政府信息公开申请办理结果（数据表）</caption>');
    expect(html).toContain('<title id="trend-new_applications-title">');
    expect(html).not.toContain('<script');
  });

  it('an unknown ?within= is a 422 page; a malformed year a 404', async () => {
    expect((await get(`/stats/${YEAR}?within=NOPE`)).status).toBe(422);
    expect((await get('/stats/20x4')).status).toBe(404);
  });
});

describe('GET /api/v1/reports.csv?year=', () => {
  it('one row per published report, a header row of cell keys and a second of labels', async () => {
    const res = await get(`/api/v1/reports.csv?year=${YEAR}&within=PARENT`);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const { bom, rows } = await readCsv(res);
    expect(bom).toBe(true);
    const keys = cellKeys(gov2021);
    expect(rows[0]).toEqual(['unit', 'unit_name', 'year', 'version', 'published_at', 'on_time', ...keys]);
    expect(rows[1]!.slice(0, 6)).toEqual(['单位代码', '单位名称', '年度', '版本', '发布时间', '是否按时发布']);
    expect(rows[1]![6]).toBe(`${cellCatalog(gov2021).get(keys[0]!)!.name}（件）`);
    const data = rows.slice(2);
    expect(data.map((r) => r[0])).toEqual(['HA-2024', 'HZ-2023', 'PT-2022']);
    const huaianRow = data.find((r) => r[0] === 'HA-2024')!;
    expect(huaianRow.slice(1, 6)).toEqual(['淮安市人民政府', String(YEAR), '1', '2025-01-31T23:59:59+08:00', 'true']);
    keys.forEach((key, i) => {
      const value = (huaian.cells as Cells)[key];
      expect(huaianRow[6 + i], key).toBe(value === null || value === undefined ? '' : String(value));
    });
    expect(data.find((r) => r[0] === 'PT-2022')![5]).toBe('false');
  });
});
