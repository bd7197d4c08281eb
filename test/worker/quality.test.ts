// The administrator's quality view, /app/admin/quality/{year} (issue 16), through the real Worker:
// a province (PROV) with two counties, each with towns; reports published by import with texts
// that agree with their tables, contradict them, or leave parts out; a unit expected but not
// published. A province administrator sees every unit and each county's sums; a county's
// administrator only their own units; nobody else gets in.
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, BASE, COMPLETE_SECTIONS, adminPut, sessionCookie } from './report-helpers';
import { zeros } from './review-helpers';

const YEAR = 2024;
const page = async (path: string, cookie?: string) =>
  exports.default.fetch(new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: 'manual' }));

async function importReport(unit: string, sections: Record<string, string>, cells: Record<string, number>) {
  const res = await exports.default.fetch(
    new Request(`${BASE}/api/v1/admin/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...ADMIN_TOKEN },
      body: JSON.stringify({ unit, year: YEAR, template: 'gov-2021', sections, cells: { ...zeros(), ...cells }, published_at: `${YEAR + 1}-01-20T10:00:00+08:00` }),
    }),
  );
  expect(res.status, await res.clone().text()).toBe(201);
}

/** The units listed, in page order, with their score ('' when not published). */
const listed = (html: string) => [...html.matchAll(/data-unit="([^"]+)" data-score="(\d*)"/g)].map((m) => [m[1], m[2]]);

let province: string;
let county: string;
let clerk: string;
let supervisor: string;

beforeAll(async () => {
  for (const [code, name, parent] of [
    ['PROV', '某省人民政府', null],
    ['CA', '甲县人民政府', 'PROV'],
    ['CA-1', '甲县一镇', 'CA'],
    ['CA-2', '甲县二镇', 'CA'],
    ['CB', '乙县人民政府', 'PROV'],
    ['CB-1', '乙县一镇', 'CB'],
  ] as const) {
    expect((await adminPut(`/units/${code}`, { name, parent })).status).toBe(201);
  }
  for (const [email, name, role, units] of [
    ['prov.admin@q.example.cn', '省管理员', 'admin', ['PROV']],
    ['ca.admin@q.example.cn', '甲县管理员', 'admin', ['CA']],
    ['clerk@q.example.cn', '填报人', 'clerk', ['CA-1']],
    ['sup@q.example.cn', '审核人', 'supervisor', ['CA']],
  ] as const) {
    expect((await adminPut(`/people/${email}`, { name, role, units })).status).toBe(201);
  }
  province = await sessionCookie('prov.admin@q.example.cn');
  county = await sessionCookie('ca.admin@q.example.cn');
  clerk = await sessionCookie('clerk@q.example.cn');
  supervisor = await sessionCookie('sup@q.example.cn');
  // A cycle expecting every town: CB-1 is expected and never published.
  expect((await adminPut(`/cycles/${YEAR}`, { template: 'gov-2021', deadline: `${YEAR + 1}-01-31T23:59:59+08:00`, reminder_days: [7], units: ['CA-1', 'CA-2', 'CB-1'] })).status).toBe(201);
  // CA-1: complete, its text agrees with its table. CA-2: its text says 12 applications, its table 11, and 六 says nothing of fees.
  await importReport('CA-1', { ...COMPLETE_SECTIONS, overview: '全年共受理政府信息公开申请3件。' }, { 'applications.new.natural': 3, 'applications.new.total': 3, 'applications.disclosed.natural': 3, 'applications.disclosed.total': 3, 'applications.results_total.natural': 3, 'applications.results_total.total': 3 });
  await importReport('CA-2', { ...COMPLETE_SECTIONS, overview: '全年共受理政府信息公开申请12件。', other: '政务公开工作创新情况：……' }, { 'applications.new.natural': 11, 'applications.new.total': 11, 'applications.disclosed.natural': 11, 'applications.disclosed.total': 11, 'applications.results_total.natural': 11, 'applications.results_total.total': 11 });
});

describe('/app/admin/quality/{year}', () => {
  it('a province administrator: every unit, worst first, with what was found; each county summed', async () => {
    const res = await page(`/app/admin/quality/${YEAR}`, province);
    expect(res.status).toBe(200);
    const html = await res.text();
    // Not published first, then CA-2 (one mismatch −10, 六 without fees −10), then CA-1 (nothing found).
    expect(listed(html)).toEqual([
      ['CB-1', ''],
      ['CA-2', '80'],
      ['CA-1', '100'],
    ]);
    // CA-2's item: up to the next unit's (its findings are a list of their own inside it).
    const ca2 = html.slice(html.indexOf('data-unit="CA-2"'), html.indexOf('data-unit="CA-1"'));
    expect(ca2).toContain('正文与表格不一致 1 处');
    expect(ca2).toContain('缺少内容 1 项');
    expect(ca2).toContain('导入的报告');
    // What was found, each named: the sentence against its cell, and what 六 lacks.
    const findings = ca2.slice(ca2.indexOf('<details'), ca2.indexOf('</details>'));
    expect(findings).toContain('查看 2 项问题');
    expect(findings).toContain('全年共受理政府信息公开申请12件');
    expect(findings).toContain('data-rule="completeness_fees"');
    expect(html).toContain('aria-current="page">质量</a>');
    // Each county with everything below it.
    const counties = html.slice(html.indexOf('data-counties'), html.indexOf('id="quality-units"'));
    expect(counties).toContain('data-county="CA"');
    expect(counties).toContain('已发布 2/2 · 逾期 0 · 表格勾稽问题 0 · 正文与表格不一致 1 · 缺少内容 1');
    expect(counties).toContain('平均 90 分');
    expect(counties).toContain('已发布 0/1');
  });

  it('sorts as asked by a plain GET form; in English too', async () => {
    const html = await (await page(`/app/admin/quality/${YEAR}?sort=name`, province)).text();
    expect(listed(html).map((r) => r[0])).toEqual(['CA-1', 'CA-2', 'CB-1']);
    expect(html).toContain('<form method="get" action="/app/admin/quality/2024"');
    const mismatches = await (await page(`/app/admin/quality/${YEAR}?sort=mismatches`, province)).text();
    expect(listed(mismatches)[0]![0]).toBe('CA-2');
    const en = await (await page(`/app/admin/quality/${YEAR}?lang=en`, province)).text();
    expect(en).toContain('1 figure(s) of the text against the tables');
  });

  it('a county’s administrator sees only their own units, and no county sums', async () => {
    const html = await (await page(`/app/admin/quality/${YEAR}`, county)).text();
    expect(listed(html).map((r) => r[0])).toEqual(['CA-2', 'CA-1']);
    expect(html).not.toContain('CB-1');
    expect(html).not.toContain('data-counties');
  });

  it('nobody else: a clerk and a supervisor 403, a stranger to sign-in; /app/admin/quality leads to the open year; a bad year is a 404', async () => {
    expect((await page(`/app/admin/quality/${YEAR}`, clerk)).status).toBe(403);
    expect((await page(`/app/admin/quality/${YEAR}`, supervisor)).status).toBe(403);
    expect((await page(`/app/admin/quality/${YEAR}`)).status).toBe(303);
    const open = await page('/app/admin/quality', province);
    expect(open.status).toBe(302);
    expect(open.headers.get('Location')).toMatch(/^\/app\/admin\/quality\/\d{4}$/);
    expect((await page('/app/admin/quality/abc', province)).status).toBe(404);
  });
});
