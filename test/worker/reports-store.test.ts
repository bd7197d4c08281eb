// The store's read helpers for the clerk's pages (src/reports/store.ts), against the real D1:
// the reports of a clerk's units for the home page, and who reviews a unit's report.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { reviewersOf } from '../../src/reports/people';
import { reportsOfUnits } from '../../src/reports/store';

const db = env.DB;
const store = getDb(env.DB);
const idOf = async (code: string) => (await db.prepare('select id from units where code = ?').bind(code).first<{ id: number }>())!.id;

beforeAll(async () => {
  const deadline = Date.parse('2026-01-31T23:59:59+08:00');
  await db.batch([
    db.prepare(`insert into units (code, name) values ('P', '定海区人民政府')`),
    db.prepare(`insert into units (code, name, parent_id) select 'A', '金塘镇', id from units where code = 'P'`),
    db.prepare(`insert into units (code, name, parent_id) select 'B', '白泉镇', id from units where code = 'P'`),
    db.prepare(`insert into cycles (year, template, deadline) values (2025, 'gov-2021', ?)`).bind(deadline),
    // A: last year's report published; this year's returned with a comment.
    db.prepare(`insert into reports (unit_id, year, template, status, revision, submitted_at) select id, 2024, 'gov-2021', 'published', 3, 1700000000000 from units where code = 'A'`),
    db.prepare(`insert into reports (unit_id, year, template, status, revision, return_comment) select id, 2025, 'gov-2021', 'returned', 2, '请核对第三项' from units where code = 'A'`),
    // B: no longer expected this year and never touched (left out); an old one with content (kept).
    db.prepare(`insert into reports (unit_id, year, template, expected) select id, 2025, 'gov-2021', 0 from units where code = 'B'`),
    db.prepare(`insert into reports (unit_id, year, template, expected, revision) select id, 2023, 'gov-2019', 0, 2 from units where code = 'B'`),
    // People around P: two supervisors (one left), a clerk.
    db.prepare(`insert into people (email, name, role) values ('li@p.cn', '李明', 'supervisor'), ('old@p.cn', '老周', 'supervisor'), ('chen@p.cn', '陈静', 'clerk')`),
    db.prepare(`update people set active = 0 where email = 'old@p.cn'`),
    db.prepare(`insert into memberships (person_id, unit_id, role) select p.id, u.id, p.role from people p, units u where u.code = 'P'`),
  ]);
});

describe('reportsOfUnits', () => {
  it('lists the units’ reports newest year first, with deadline, comment and submission time', async () => {
    const reports = await reportsOfUnits(store, [await idOf('B'), await idOf('A')]);
    expect(reports).toEqual([
      { unitCode: 'A', unitName: '金塘镇', year: 2025, status: 'returned', revision: 2, deadline: Date.parse('2026-01-31T23:59:59+08:00'), comment: '请核对第三项', submittedAt: null },
      { unitCode: 'A', unitName: '金塘镇', year: 2024, status: 'published', revision: 3, deadline: null, comment: null, submittedAt: 1700000000000 },
      { unitCode: 'B', unitName: '白泉镇', year: 2023, status: 'draft', revision: 2, deadline: null, comment: null, submittedAt: null },
    ]);
    expect(await reportsOfUnits(store, [])).toEqual([]);
  });

  it('reads more units than one statement may bind, in chunks, and merges them in order', async () => {
    await db
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < 250)
         insert into units (code, name) select printf('U-%03d', i), '单位' || i from n`,
      )
      .run();
    await db.prepare(`insert into reports (unit_id, year, template) select id, 2025, 'gov-2021' from units where code glob 'U-*'`).run();
    const ids = (await db.prepare(`select id from units where code glob 'U-*' order by id desc`).all<{ id: number }>()).results.map((r) => r.id);
    const reports = await reportsOfUnits(store, [...ids, ...ids.slice(0, 10), 999_999]);
    expect(reports).toHaveLength(250);
    expect(reports.map((r) => r.unitCode)).toEqual(Array.from({ length: 250 }, (_, i) => `U-${String(i + 1).padStart(3, '0')}`));
  });
});

describe('reviewersOf', () => {
  it('names the active supervisors of the parent unit, and nobody for a root', async () => {
    expect(await reviewersOf(store, await idOf('A'))).toEqual([{ id: expect.any(Number), name: '李明', email: 'li@p.cn' }]);
    expect(await reviewersOf(store, await idOf('P'))).toEqual([]);
  });
});
