// /app/admin/units: the tree of the units an administrator manages, creating a unit (and its
// draft in the open cycle), renaming, moving, deactivating and reactivating it — through the
// forms, as a browser without JavaScript would post them — and who may do any of it.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE, DRAFT_YEAR, request, setUpWorld, stateCounts, type World } from './probe-helpers';

let world: World;
beforeAll(async () => {
  world = await setUpWorld();
}, 30_000);

const get = (path: string, cookie: string) => request('GET', path, { headers: { Cookie: cookie } });
const post = (path: string, cookie: string, fields: Record<string, string>) =>
  request('POST', path, {
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE },
    body: new URLSearchParams(fields).toString(),
  });

/** The latest audit event about the unit with this code. */
async function lastUnitEvent(code: string) {
  const row = await env.DB.prepare(
    `select a.action, a.actor, a.detail from audit_events a join units u on u.id = a.unit_id where u.code = ? and a.action like 'unit.%' order by a.id desc limit 1`,
  )
    .bind(code)
    .first<{ action: string; actor: string; detail: string }>();
  return row && { ...row, detail: JSON.parse(row.detail) as { before: unknown; after: unknown } };
}

describe('who may see the unit pages', () => {
  it('sends the anonymous to sign in and refuses clerks and supervisors', async () => {
    const anonymous = await request('GET', '/app/admin/units');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('Location')).toMatch(/^\/signin\?next=/);
    for (const cookie of [world.clerkA, world.supervisorP]) {
      expect((await get('/app/admin/units', cookie)).status).toBe(403);
      expect((await get('/app/admin/units/A', cookie)).status).toBe(403);
      expect((await post('/app/admin/units', cookie, { code: 'X1', name: '新单位', parent: 'A' })).status).toBe(403);
    }
  });

  it('shows an administrator of a subtree only their units, and refuses the others', async () => {
    const html = await (await get('/app/admin/units', world.adminQ)).text();
    expect(html).toContain('桃花镇');
    expect(html).toContain('普陀区人民政府');
    expect(html).not.toContain('金塘镇');
    expect(html).not.toContain('定海区人民政府');
    expect((await get('/app/admin/units/A', world.adminQ)).status).toBe(403);
    const before = await stateCounts();
    expect((await post('/app/admin/units/A', world.adminQ, { name: '金塘镇（改）', parent: 'P' })).status).toBe(403);
    expect((await post('/app/admin/units/A/deactivate', world.adminQ, { confirm: '1' })).status).toBe(403);
    expect(await stateCounts()).toEqual(before);
    expect((await get('/app/admin/units/NOPE', world.admin)).status).toBe(404);
  });

  it('shows the administrator of everything the tree with each unit’s people and report', async () => {
    const html = await (await get('/app/admin/units', world.admin)).text();
    // Collapsible without JavaScript, nested as the units are.
    expect(html).toMatch(/<details open="">\s*<summary>[\s\S]*舟山市人民政府/);
    expect(html).toContain('填报人：测试人员');
    expect(html).toContain(`href="/app/reports/A/${DRAFT_YEAR}"`);
    expect(html).toContain(`${DRAFT_YEAR} · 草稿`);
    expect(html).toContain(`${DRAFT_YEAR} · 未纳入`);
  });
});

describe('creating a unit', () => {
  it('creates it under the chosen parent, adds it to the open cycle, and audits it', async () => {
    const form = await (await get('/app/admin/units/new', world.adminQ)).text();
    for (const label of ['单位代码', '单位名称', '上级单位', `加入 ${DRAFT_YEAR} 年度报告周期`]) expect(form).toContain(label);
    // Only their own units to choose from, and no top level.
    expect(form).toContain('<option value="QA"');
    expect(form).not.toContain('<option value="A"');
    expect(form).not.toContain('<option value=""');

    const res = await post('/app/admin/units', world.adminQ, { code: 'QC', name: '虾峙镇', parent: 'Q', join_cycle: '1' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/app/admin/units/QC?done=created');
    const page = await (await get(res.headers.get('Location')!, world.adminQ)).text();
    expect(page).toContain('已新建单位。');
    expect(page).toContain(`href="/app/reports/QC/${DRAFT_YEAR}"`);
    const draft = await env.DB.prepare(`select r.status, r.expected from reports r join units u on u.id = r.unit_id where u.code = 'QC' and r.year = ?`).bind(DRAFT_YEAR).first();
    expect(draft).toEqual({ status: 'draft', expected: 1 });
    expect(await lastUnitEvent('QC')).toMatchObject({ action: 'unit.create', actor: world.emails.adminQ, detail: { before: null, after: { code: 'QC', name: '虾峙镇', parent: 'Q', active: true } } });
  });

  it('leaves it out of the cycle when the box is unticked', async () => {
    expect((await post('/app/admin/units', world.admin, { code: 'QD', name: '东极镇', parent: 'Q' })).status).toBe(303);
    const draft = await env.DB.prepare(`select count(*) as n from reports r join units u on u.id = r.unit_id where u.code = 'QD'`).first<{ n: number }>();
    expect(draft?.n).toBe(0);
  });

  it('names each problem beside its field and writes nothing', async () => {
    const before = await stateCounts();
    for (const [fields, id, message] of [
      [{ code: 'Q C', name: '虾峙镇', parent: 'Q' }, 'unit-code', '单位代码只能包含字母、数字、“-”或“_”'],
      [{ code: '', name: '虾峙镇', parent: 'Q' }, 'unit-code', '请输入单位代码'],
      [{ code: 'QE', name: '  ', parent: 'Q' }, 'unit-name', '请输入单位名称'],
      [{ code: 'QC', name: '虾峙镇', parent: 'Q' }, 'unit-code', '已有代码为“QC”的单位'],
      [{ code: 'QE', name: '新单位', parent: 'P' }, 'unit-parent', '上级单位不在您管理的范围内'],
      [{ code: 'QE', name: '新单位', parent: 'NOPE' }, 'unit-parent', '请选择上级单位'],
      [{ code: 'QE', name: '新单位', parent: '' }, 'unit-parent', '只有管理全部单位的管理员可以设置顶级单位'],
    ] as const) {
      const res = await post('/app/admin/units', world.adminQ, fields);
      expect(res.status, JSON.stringify(fields)).toBe(422);
      const html = await res.text();
      expect(html).toContain(`<a href="#${id}">${message}`);
      expect(html).toMatch(new RegExp(`<p class="field-message" id="${id}-error">${message}`));
    }
    expect(await stateCounts()).toEqual(before);
  });
});

describe('a unit’s page', () => {
  it('renames and moves the unit, with the change audited before → after', async () => {
    const page = await (await get('/app/admin/units/QC', world.adminQ)).text();
    expect(page).toContain('value="虾峙镇"');
    expect(page).toContain('<option value="Q" selected="">');
    // Not under itself.
    expect(page).not.toContain('<option value="QC"');
    const res = await post('/app/admin/units/QC', world.adminQ, { name: '虾峙镇人民政府', parent: 'QA' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/app/admin/units/QC?done=saved');
    expect(await lastUnitEvent('QC')).toMatchObject({
      action: 'unit.update',
      detail: { before: { name: '虾峙镇', parent: 'Q' }, after: { name: '虾峙镇人民政府', parent: 'QA' } },
    });
    const search = await (await get(`/app/admin/units?q=${encodeURIComponent('虾峙')}`, world.adminQ)).text();
    expect(search).toContain('找到 1 个单位');
    expect(search).toContain('普陀区人民政府 › 桃花镇 › 虾峙镇人民政府');
    const byCode = await (await get('/app/admin/units?q=qc', world.adminQ)).text();
    expect(byCode).toContain('虾峙镇人民政府');
    // The other subtree's units are never among the matches.
    expect(await (await get(`/app/admin/units?q=${encodeURIComponent('金塘')}`, world.adminQ)).text()).toContain('找到 0 个单位');
  });

  it('refuses to move a unit under one below it, beside the field', async () => {
    const res = await post('/app/admin/units/QA', world.adminQ, { name: '桃花镇', parent: 'QC' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('<p class="field-message" id="unit-parent-error">不能移到自己的下级单位之下</p>');
    const empty = await post('/app/admin/units/QA', world.adminQ, { name: '', parent: 'Q' });
    expect(await empty.text()).toContain('<p class="field-message" id="unit-name-error">请输入单位名称</p>');
  });

  it('deactivates after a confirmation page, shows it greyed, and reactivates', async () => {
    const confirm = await (await get('/app/admin/units/QC/deactivate', world.adminQ)).text();
    expect(confirm).toContain('不再收到提醒邮件');
    expect(confirm).toContain('新的报告周期不再为它建立草稿');
    expect(confirm).toContain('仍然公开');
    // Only from the confirmation page's form: a bare post goes to that page and changes nothing.
    const bare = await post('/app/admin/units/QC/deactivate', world.adminQ, {});
    expect(bare.status).toBe(303);
    expect(bare.headers.get('Location')).toBe('/app/admin/units/QC/deactivate');
    expect(await lastUnitEvent('QC')).toMatchObject({ detail: { after: { active: true } } });
    expect(confirm).toContain('name="confirm" value="1"');
    const res = await post('/app/admin/units/QC/deactivate', world.adminQ, { confirm: '1' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/app/admin/units/QC?done=deactivated');
    expect(await lastUnitEvent('QC')).toMatchObject({ detail: { before: { active: true }, after: { active: false } } });
    // Released from the open cycle (no reminders, not late), its draft kept.
    const expected = () => env.DB.prepare(`select r.expected from reports r join units u on u.id = r.unit_id where u.code = 'QC' and r.year = ?`).bind(DRAFT_YEAR).first<{ expected: number }>();
    expect(await expected()).toEqual({ expected: 0 });
    const list = await (await get('/app/admin/units', world.adminQ)).text();
    expect(list).toMatch(/<div class="unit-line unit-inactive">[\s\S]*?虾峙镇人民政府[\s\S]*?已停用[\s\S]*?action="\/app\/admin\/units\/QC\/reactivate"/);
    expect((await post('/app/admin/units/QC/reactivate', world.adminQ, {})).status).toBe(303);
    expect(await lastUnitEvent('QC')).toMatchObject({ detail: { before: { active: false }, after: { active: true } } });
    expect(await expected()).toEqual({ expected: 1 });
    expect(await (await get('/app/admin/units', world.adminQ)).text()).not.toContain('unit-inactive');
  });
});
