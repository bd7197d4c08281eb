// The progress page at a province's size: the counts are over every expected unit of the scope,
// the list is a page of 200 units in code order with a link to the next, a filter lists the units
// in one state, and each listed unit's reminders are counted (only the listed units' are read).
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminPut } from './report-helpers';
import { request, setUpWorld } from './probe-helpers';

const YEAR = 2033;
const UNITS = 205;
const code = (i: number) => `PG-${String(i).padStart(3, '0')}`;
let admin: string;

const page = async (query = '') => {
  const res = await request('GET', `/app/progress/${YEAR}${query}`, { headers: { Cookie: admin } });
  expect(res.status).toBe(200);
  return res.text();
};
const listed = (html: string) => [...html.matchAll(/<li class="progress-item[^"]*" data-unit="([^"]+)"/g)].map((m) => m[1]);

beforeAll(async () => {
  const csv = ['code,name,parent', 'PG,某市,', ...Array.from({ length: UNITS }, (_, i) => `${code(i + 1)},第${i + 1}单位,PG`)].join('\n');
  const bulk = await request('POST', '/api/v1/admin/bulk/units', { headers: { 'Content-Type': 'text/csv', ...ADMIN_TOKEN }, body: csv });
  expect(bulk.status, await bulk.clone().text()).toBe(200);
  const units = Array.from({ length: UNITS }, (_, i) => code(i + 1));
  expect((await adminPut(`/cycles/${YEAR}`, { template: 'gov-2021', units })).status).toBe(201);
  // Two units have begun (a saved revision), one has been reminded twice.
  await env.DB.prepare(`UPDATE reports SET revision = 1 WHERE year = ? AND unit_id IN (SELECT id FROM units WHERE code IN ('PG-010', 'PG-204'))`).bind(YEAR).run();
  for (const offset of [7, 3]) {
    await env.DB.prepare(`INSERT INTO outbox (dedup_key, kind, to_address, subject, text_body, status, next_attempt_at, created_at) VALUES (?, 'reminder', 'c@x.cn', 's', 't', 'sent', 0, 0)`)
      .bind(`reminder:PG-002:${YEAR}:${offset}:c@x.cn`)
      .run();
  }
  // The probe world's whole-jurisdiction administrator.
  admin = (await setUpWorld()).admin;
}, 60_000);

describe('/app/progress/{year} for many units', () => {
  it('counts every expected unit and lists the first 200, with a link to the next page', async () => {
    const html = await page();
    const units = listed(html);
    expect(units).toHaveLength(200);
    expect(units[0]).toBe('PG-001');
    expect(units.at(-1)).toBe('PG-200');
    expect(html).toContain(`href="/app/progress/${YEAR}?from=PG-201" rel="next"`);
    // The counts are the whole scope's, not the page's (the demo's own units are not in this cycle).
    expect(html).toMatch(/尚未开始<\/dt>\s*<dd[^>]*>203</);
    expect(html).toMatch(/填写中<\/dt>\s*<dd[^>]*>2</);
    // PG-002's two reminders are counted on its row.
    const row = html.slice(html.indexOf('data-unit="PG-002"'), html.indexOf('data-unit="PG-003"'));
    expect(row).toContain('已提醒 2 次');
  });

  it('the next page holds the rest and no further link', async () => {
    const html = await page('?from=PG-201');
    expect(listed(html)).toEqual(['PG-201', 'PG-202', 'PG-203', 'PG-204', 'PG-205']);
    expect(html).not.toContain('rel="next"');
    expect(html).toContain('回到开头');
  });

  it('a filter lists the units in one state, by a plain GET form', async () => {
    const html = await page('?status=draft');
    expect(html).toContain(`<form method="get" action="/app/progress/${YEAR}"`);
    expect(listed(html)).toEqual(['PG-010', 'PG-204']);
    expect(listed(await page('?status=published'))).toEqual([]);
    // An unknown filter is every unit, never an error.
    expect(listed(await page('?status=nonsense'))).toHaveLength(200);
  });
});
