// An administrator manages the units they administer and everything below them, nothing else
// (src/auth/scope.ts canManage). admin.q@ administers Q (普陀区) in the probe world; every write
// here is well-formed, so what refuses it is the scope — and a refused write writes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { DRAFT_YEAR, PUBLISHED_YEAR, request, setUpWorld, stateCounts, SUBMITTED_YEAR, type World } from './probe-helpers';

let world: World;
beforeAll(async () => {
  world = await setUpWorld();
}, 30_000);

const json = (cookie: string, body: unknown) => ({
  headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: 'https://nianbao.test', 'Accept-Language': 'zh-CN' },
  body: JSON.stringify(body),
});

interface ErrorAnswer {
  error: { code: string; details: { field: string; message: string }[] };
}

/** Sends a write the scope must refuse: a 403 naming the field, and no row of any table changed. */
async function refused(method: string, path: string, body: unknown, field: string) {
  const before = await stateCounts();
  const res = await request(method, path, json(world.adminQ, body));
  const answer = (await res.json()) as ErrorAnswer;
  expect(res.status, JSON.stringify(answer)).toBe(403);
  expect(answer.error.code).toBe('out_of_scope');
  expect(answer.error.details.map((d) => d.field)).toEqual([field]);
  expect(answer.error.details[0]!.message).toMatch(/管理的范围|管理范围|管理全部单位/);
  expect(await stateCounts()).toEqual(before);
}

describe('an administrator of a subtree', () => {
  it('may not change a unit beside their own, put a unit under one, or make a root', async () => {
    await refused('PUT', '/api/v1/admin/units/B', { name: '白泉镇（改）' }, 'code');
    await refused('PUT', '/api/v1/admin/units/PX', { name: '新单位', parent: 'P' }, 'parent');
    await refused('PUT', '/api/v1/admin/units/RX', { name: '新的顶级单位', parent: null }, 'parent');
    // Nor move their own unit out from under their units.
    await refused('PUT', '/api/v1/admin/units/QA', { name: '桃花镇', parent: 'P' }, 'parent');
  });

  it('manages units at and below their own', async () => {
    const created = await request('PUT', '/api/v1/admin/units/QB', json(world.adminQ, { name: '六横镇', parent: 'Q' }));
    expect(created.status).toBe(201);
    const renamed = await request('PUT', '/api/v1/admin/units/QA', json(world.adminQ, { name: '桃花镇人民政府' }));
    expect(renamed.status).toBe(200);
    // Their own unit, kept under its parent (which they do not manage), may be renamed.
    const own = await request('PUT', '/api/v1/admin/units/Q', json(world.adminQ, { name: '普陀区人民政府', parent: 'ROOT' }));
    expect(own.status).toBe(200);
  });

  it('may not touch people of other units, give units outside theirs, or make an administrator of everything', async () => {
    await refused('PUT', `/api/v1/admin/people/${encodeURIComponent(world.emails.clerkB)}`, { name: '改名', role: 'clerk', units: ['QA'] }, 'email');
    await refused('PUT', '/api/v1/admin/people/new.clerk@nianbao.test', { name: '新人', role: 'clerk', units: ['QA', 'A'] }, 'units.1');
    await refused('PUT', '/api/v1/admin/people/new.admin@nianbao.test', { name: '新管理员', role: 'admin', units: [] }, 'units');
    await refused('PUT', `/api/v1/admin/people/${encodeURIComponent(world.emails.admin)}`, { name: '测试人员', role: 'admin', units: ['Q'] }, 'email');
    const ok = await request('PUT', '/api/v1/admin/people/qa.clerk@nianbao.test', json(world.adminQ, { name: '桃花镇填报人', role: 'clerk', units: ['QA'] }));
    expect(ok.status).toBe(201);
  });

  it("may not import or reopen another subtree's reports, nor set the jurisdiction's cycles", async () => {
    await refused('POST', '/api/v1/admin/import', { unit: 'A', year: 2019, template: 'gov-2019', sections: {}, cells: {}, published_at: '2020-01-20' }, 'unit');
    await refused('POST', `/api/v1/admin/reports/A/${PUBLISHED_YEAR}/reopen`, { reason: '更正' }, 'unit');
    await refused('PUT', `/api/v1/admin/cycles/${DRAFT_YEAR}`, {}, 'year');
    const page = await request('GET', `/app/cycles/${DRAFT_YEAR}`, { headers: { Cookie: world.adminQ } });
    expect(page.status).toBe(403);
  });

  it("sees neither A's reports nor A's progress", async () => {
    const draft = await request('GET', `/app/reports/A/${DRAFT_YEAR}`, { headers: { Cookie: world.adminQ } });
    expect(draft.status).toBe(403);
    const queue = await (await request('GET', '/app/review', { headers: { Cookie: world.adminQ } })).text();
    expect(queue).not.toContain('金塘镇');
    const progress = (await (await request('GET', `/api/v1/admin/cycles/${SUBMITTED_YEAR}/progress`, { headers: { Cookie: world.adminQ } })).json()) as unknown;
    expect(JSON.stringify(progress)).not.toContain('"A"');
  });

  it('is told on /app/admin what they manage', async () => {
    const res = await request('GET', '/app/admin', { headers: { Cookie: world.adminQ } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('您管理：普陀区人民政府');
    const whole = await (await request('GET', '/app/admin', { headers: { Cookie: world.admin } })).text();
    expect(whole).toContain('您管理全部单位');
  });
});

describe('an administrator of everything', () => {
  it("sees A's submitted report waiting and may reopen A's published one", async () => {
    const queue = await (await request('GET', '/app/review', { headers: { Cookie: world.admin } })).text();
    expect(queue).toContain('金塘镇');
    const reopened = await request('POST', `/api/v1/admin/reports/A/${PUBLISHED_YEAR}/reopen`, json(world.admin, { reason: '更正数字' }));
    expect(reopened.status).toBe(200);
  });
});
