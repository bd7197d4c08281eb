// The statistics read from rollups answer exactly what the old direct sums answered, on the real
// reports of test/fixtures (three gov-2021 reports and 金塘镇's legacy-2014 one), imported through
// the app under a province-shaped tree: GET /api/v1/stats/{year} for every scope is compared with
// the SQL the statistics ran before rollups (a sum over published_cells of the current versions
// in the subtree, written out here), also after a correction, a move, a deactivation and a new
// expected unit; and the migration's backfill, run again on this data, derives the same rollups
// that the publications kept.
import { env } from 'cloudflare:workers';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { StatsResponse } from '../../src/areas/public/schemas';
import { cellKeys } from '../../src/core';
import { getDb } from '../../src/db/client';
import { yearlySums } from '../../src/publication/queries';
import hongze from '../fixtures/real/hongze-district-2023.json';
import huaian from '../fixtures/real/huaian-city-2024.json';
import pingtan from '../fixtures/real/pingtan-2022.json';
import { get, importReport, jintangBody, putUnit, send } from './publication-helpers';
import { sessionCookie } from './report-helpers';
import { postForm } from './review-helpers';
import { expectRollupsRight } from './rollups-helpers';

const db = env.DB;
const YEAR = 2024;
const LEGACY_YEAR = 2018;

/** The tree: a province, two cities, the reporting units below them; codes start with RL-. */
const UNITS: [string, string, string | null][] = [
  ['RL-PROV', '某省人民政府', null],
  ['RL-CITY-A', '甲市人民政府', 'RL-PROV'],
  ['RL-CITY-B', '乙市人民政府', 'RL-PROV'],
  ['RL-HZ', '淮安市洪泽区人民政府', 'RL-CITY-A'],
  ['RL-HA', '淮安市人民政府', 'RL-CITY-A'],
  ['RL-PT', '平潭综合实验区', 'RL-CITY-B'],
  ['RL-JT', '金塘镇', 'RL-CITY-B'],
  ['RL-ELSE', '另一省人民政府', null],
  ['RL-ELSE-1', '另一单位', 'RL-ELSE'],
];
const SCOPES = [null, ...UNITS.map(([code]) => code)];

/** The old /api/v1/stats/{year}: sums and counts straight from published_cells and report_versions. */
async function oldStats(year: number, template: string, within: string | null) {
  const scope = within
    ? `WITH RECURSIVE scope(id) AS (SELECT id FROM units WHERE code = ?3 UNION SELECT u.id FROM units u JOIN scope s ON u.parent_id = s.id)`
    : `WITH scope(id) AS (SELECT id FROM units WHERE ?3 IS NULL)`;
  const sums = await db
    .prepare(
      `${scope} SELECT pc.cell, round(sum(pc.value), 6) AS total FROM published_cells pc
       WHERE pc.version_id IN (SELECT v.id FROM reports r JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
         WHERE r.year = ?1 AND r.template = ?2 AND r.unit_id IN (SELECT id FROM scope))
       GROUP BY pc.cell`,
    )
    .bind(year, template, within)
    .all<{ cell: string; total: number | null }>();
  const count = await db
    .prepare(
      `${scope} SELECT
         (SELECT count(*) FROM reports r WHERE r.year = ?1 AND r.expected = 1 AND r.unit_id IN (SELECT id FROM scope)) AS expected,
         count(v.id) AS published, coalesce(sum(v1.on_time = 1), 0) AS onTime, max(v.published_at) AS last
       FROM reports r JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
       LEFT JOIN report_versions v1 ON v1.report_id = r.id AND v1.version = 1
       WHERE r.year = ?1 AND r.template = ?2 AND r.unit_id IN (SELECT id FROM scope)`,
    )
    .bind(year, template, within)
    .first<{ expected: number; published: number; onTime: number; last: number | null }>();
  return { sums: new Map(sums.results.map((r) => [r.cell, r.total])), ...count! };
}

/** Every scope's answer from the API equals the old direct sums: cells, counts and Last-Modified. */
async function expectStatsAsBefore(year: number, moment: string, more: string[] = []) {
  for (const within of [...SCOPES, ...more]) {
    const res = await get(`/api/v1/stats/${year}${within ? `?within=${within}` : ''}`);
    expect(res.status).toBe(200);
    const body = v.parse(StatsResponse, await res.json());
    const old = await oldStats(year, body.template, within);
    const label = `${moment}, ${year}, within ${within}`;
    expect({ expected: body.units_expected, published: body.units_published, onTime: body.units_on_time }, label).toEqual({
      expected: old.expected,
      published: old.published,
      onTime: old.onTime,
    });
    for (const [cell, value] of Object.entries(body.cells)) expect(value, `${label}: ${cell}`).toBe(old.sums.get(cell) ?? null);
    const lastModified = res.headers.get('Last-Modified');
    if (old.last === null) expect(body.units_published, label).toBe(0);
    else expect(lastModified, label).toBe(new Date(Math.floor(old.last / 1000) * 1000).toUTCString());
  }
  await expectRollupsRight('RL-', moment);
}

const publishedAt = { 'RL-HZ': '2025-01-20T10:00:00+08:00', 'RL-HA': '2025-01-31T23:59:59+08:00', 'RL-PT': '2025-02-03T09:00:00+08:00', 'RL-ELSE-1': '2025-01-10T08:00:00+08:00' };

beforeAll(async () => {
  for (const [code, name, parent] of UNITS) await putUnit(code, name, parent);
  expect((await send('PUT', `/api/v1/admin/cycles/${YEAR}`, { template: 'gov-2021', deadline: '2025-01-31T23:59:59+08:00', reminder_days: [0] })).status).toBe(201);
  for (const [unit, cells] of [
    ['RL-HZ', hongze.cells],
    ['RL-HA', huaian.cells],
    ['RL-PT', pingtan.cells],
    ['RL-ELSE-1', huaian.cells],
  ] as const) {
    const res = await importReport({ unit, year: YEAR, template: 'gov-2021', sections: {}, cells, published_at: publishedAt[unit] });
    expect(res.status, await res.clone().text()).toBe(201);
  }
  expect((await importReport(jintangBody({ unit: 'RL-JT' }))).status).toBe(201);
});

describe('statistics from rollups, on the real reports', () => {
  it('equal the old direct sums in every scope, for both templates', async () => {
    await expectStatsAsBefore(YEAR, 'imported');
    await expectStatsAsBefore(LEGACY_YEAR, 'imported');
    // Not empty: the real numbers are summed (huaian twice: in RL-CITY-A and in RL-ELSE).
    const all = v.parse(StatsResponse, await (await get(`/api/v1/stats/${YEAR}`)).json());
    expect(all.cells['applications.new.total']).toBe(
      (hongze.cells as Record<string, number | null>)['applications.new.total']! + 2 * huaian.cells['applications.new.total']! + pingtan.cells['applications.new.total']!,
    );
    expect(all.units_published).toBe(4);
  });

  it('still equal them after a correction, a move, a deactivation and a new expected unit', async () => {
    const corrected = { ...huaian.cells, 'applications.new.total': 7, 'applications.o_other.total': null };
    expect((await importReport({ unit: 'RL-HA', year: YEAR, template: 'gov-2021', sections: {}, cells: corrected, published_at: '2025-03-01T09:00:00+08:00', reason: '更正' })).status).toBe(201);
    await expectStatsAsBefore(YEAR, 'corrected');

    await putUnit('RL-HA', '淮安市人民政府', 'RL-CITY-B');
    await putUnit('RL-CITY-A', '甲市人民政府', 'RL-ELSE');
    await expectStatsAsBefore(YEAR, 'moved');
    await expectStatsAsBefore(LEGACY_YEAR, 'moved');

    await putUnit('RL-NEW', '新单位', 'RL-CITY-B');
    expect((await send('PUT', `/api/v1/admin/cycles/${YEAR}`, { units: ['RL-HZ', 'RL-HA', 'RL-PT', 'RL-ELSE-1', 'RL-NEW'] })).status).toBe(200);
    expect((await send('PUT', '/api/v1/admin/units/RL-NEW', { name: '新单位', parent: 'RL-CITY-B', active: false })).status).toBe(200);
    await expectStatsAsBefore(YEAR, 'deactivated');
    expect((await send('PUT', '/api/v1/admin/units/RL-NEW', { name: '新单位', parent: 'RL-CITY-B', active: true })).status).toBe(200);
    await expectStatsAsBefore(YEAR, 'reactivated');
  });

  it('still equal them after a bulk file moves units under units it moves and under a unit it creates', async () => {
    // RL-CITY-B (with RL-PT, RL-JT) goes under the new RL-CITY-C, and so does RL-CITY-A (from
    // the other province), which RL-HA joins as it leaves RL-CITY-B: nested moves in one batch.
    const csv = 'code,name,parent\nRL-CITY-C,丙市人民政府,RL-PROV\nRL-CITY-B,乙市人民政府,RL-CITY-C\nRL-HA,淮安市人民政府,RL-CITY-A\nRL-CITY-A,甲市人民政府,RL-CITY-C\n';
    const res = await send('POST', '/api/v1/admin/bulk/units', csv, { 'Content-Type': 'text/csv', Authorization: 'Bearer test-admin-token' });
    expect(res.status, await res.clone().text()).toBe(200);
    const parentOf = async (code: string) =>
      (await db.prepare('SELECT p.code FROM units u JOIN units p ON p.id = u.parent_id WHERE u.code = ?').bind(code).first<{ code: string }>())?.code;
    expect([await parentOf('RL-HA'), await parentOf('RL-CITY-A'), await parentOf('RL-CITY-B')]).toEqual(['RL-CITY-A', 'RL-CITY-C', 'RL-CITY-C']);
    await expectStatsAsBefore(YEAR, 'bulk moves', ['RL-CITY-C']);
    await expectStatsAsBefore(LEGACY_YEAR, 'bulk moves', ['RL-CITY-C']);
  });

  it('a unit created on the administration page into the open cycle is counted as expected at once', async () => {
    expect((await send('PUT', '/api/v1/admin/people/rollups.admin@nianbao.test', { name: '管理员', role: 'admin', units: [] })).status).toBe(201);
    const admin = await sessionCookie('rollups.admin@nianbao.test');
    const before = v.parse(StatsResponse, await (await get(`/api/v1/stats/${YEAR}?within=RL-CITY-C`)).json());
    const res = await postForm('/app/admin/units', { code: 'RL-PAGE', name: '页面新建单位', parent: 'RL-CITY-B', join_cycle: '1' }, { cookie: admin });
    expect(res.status).toBe(303);
    const after = v.parse(StatsResponse, await (await get(`/api/v1/stats/${YEAR}?within=RL-CITY-C`)).json());
    expect(after.units_expected).toBe(before.units_expected + 1);
    await expectStatsAsBefore(YEAR, 'created on the page', ['RL-CITY-C', 'RL-PAGE']);
  });

  it('the trend charts’ sums per year equal the old direct sums in every scope', async () => {
    for (const within of [...SCOPES, 'RL-CITY-C']) {
      const trends = await yearlySums(getDb(db), (t) => cellKeys(t), within);
      const scope = within
        ? `WITH RECURSIVE scope(id) AS (SELECT id FROM units WHERE code = ?1 UNION SELECT u.id FROM units u JOIN scope s ON u.parent_id = s.id)`
        : `WITH scope(id) AS (SELECT id FROM units WHERE ?1 IS NULL)`;
      const old = await db
        .prepare(
          `${scope} SELECT r.year, pc.cell, round(sum(pc.value), 6) AS total FROM published_cells pc
           JOIN report_versions v ON v.id = pc.version_id AND v.is_current = 1 JOIN reports r ON r.id = v.report_id
           WHERE r.unit_id IN (SELECT id FROM scope) GROUP BY r.year, pc.cell`,
        )
        .bind(within)
        .all<{ year: number; cell: string; total: number | null }>();
      const years = [...new Set(old.results.map((r) => r.year))].sort();
      expect(trends.map((t) => t.year), `within ${within}`).toEqual(years);
      for (const t of trends) {
        const wanted = new Set(cellKeys(t.template));
        expect(t.cells, `within ${within}, ${t.year}`).toEqual(
          Object.fromEntries(old.results.filter((r) => r.year === t.year && wanted.has(r.cell)).map((r) => [r.cell, r.total])),
        );
      }
    }
  });

  it("the migration's backfill, run again on this data, derives the rollups the publications kept", async () => {
    const snapshot = async () => ({
      cells: (await db.prepare('SELECT * FROM rollup_cells WHERE present <> 0 ORDER BY unit_id, year, template, cell').all()).results,
      counts: (
        await db
          .prepare('SELECT * FROM rollup_counts WHERE expected <> 0 OR published <> 0 OR last_published_at IS NOT NULL ORDER BY unit_id, year, template')
          .all()
      ).results,
    });
    const kept = await snapshot();
    expect(kept.cells.length).toBeGreaterThan(0);
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.includes('rollups'))!;
    const backfill = migration.queries.filter((q) => /INSERT INTO\s+`?rollup_/i.test(q));
    expect(backfill).toHaveLength(2);
    await db.batch([db.prepare('DELETE FROM rollup_cells'), db.prepare('DELETE FROM rollup_counts'), ...backfill.map((q) => db.prepare(q))]);
    const derived = await snapshot();
    expect(derived.counts).toEqual(kept.counts);
    expect(derived.cells.map((r) => ({ ...r, total: Math.round((r as { total: number }).total * 1e6) }))).toEqual(
      kept.cells.map((r) => ({ ...r, total: Math.round((r as { total: number }).total * 1e6) })),
    );
  });
});
