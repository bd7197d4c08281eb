// Bulk set-up from CSV through the real Worker and D1: POST /api/v1/admin/bulk/units and
// /bulk/people. A dry run says what a file would do and writes nothing; without it the file is
// all or nothing (a 422 naming every bad line by its line number), and 2,000 units apply in one go.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { request, setUpWorld, stateCounts, type World } from './probe-helpers';

let world: World;
beforeAll(async () => {
  world = await setUpWorld();
}, 30_000);

const ADMIN_TOKEN = 'Bearer test-admin-token';

interface BulkAnswer {
  dry_run: boolean;
  applied: boolean;
  changes: { line: number; action: string; code?: string; email?: string; before?: Record<string, unknown>; after: Record<string, unknown> }[];
  errors: { line: number; field: string; code: string; reason: string }[];
  error?: { code: string; message: string; details: { field: string; message: string }[] };
}

async function post(kind: 'units' | 'people', csv: string | Uint8Array, { dryRun = false, cookie }: { dryRun?: boolean; cookie?: string } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'text/csv', 'Accept-Language': 'zh-CN' };
  if (cookie) Object.assign(headers, { Cookie: cookie, Origin: 'https://nianbao.test' });
  else headers.Authorization = ADMIN_TOKEN;
  const res = await request('POST', `/api/v1/admin/bulk/${kind}${dryRun ? '?dry_run=1' : ''}`, { headers, body: csv });
  return { status: res.status, body: (await res.json()) as BulkAnswer };
}

const unitRow = (code: string) => env.DB.prepare('SELECT u.name, p.code AS parent FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.code = ?').bind(code).first<{ name: string; parent: string | null }>();
const lines = (answer: BulkAnswer) => answer.errors.map((e) => [e.line, e.field, e.code]);

describe('bulk units', () => {
  // Line 3: a parent that comes later (line 4); line 5 renames B; 6 is bad; 8 repeats 7's code.
  const mixed = 'code,name,parent\r\nP,定海区人民政府,ROOT\r\nNA,"新甲, 乡",NB\r\nNB,新乙镇,P\r\nB,白泉镇（新）,P\r\nNC,,P\r\nND,丁,NOPE\r\nND,丁二,P\r\n';

  it('a dry run lists each line’s change and every error, by line, and writes nothing', async () => {
    const before = await stateCounts();
    const { status, body } = await post('units', mixed, { dryRun: true });
    expect(status).toBe(200);
    expect(body.dry_run).toBe(true);
    expect(body.applied).toBe(false);
    expect(body.changes.map((c) => [c.line, c.action, c.code])).toEqual([
      [2, 'unchanged', 'P'],
      [3, 'create', 'NA'],
      [4, 'create', 'NB'],
      [5, 'update', 'B'],
    ]);
    expect(body.changes[3]!.before).toEqual({ code: 'B', name: '白泉镇', parent: 'P' });
    expect(body.changes[3]!.after).toEqual({ code: 'B', name: '白泉镇（新）', parent: 'P' });
    expect(body.changes[1]!.after).toEqual({ code: 'NA', name: '新甲, 乡', parent: 'NB' });
    expect(body.errors).toEqual([
      { line: 6, field: 'name', code: 'invalid', reason: '不能为空' },
      { line: 7, field: 'parent', code: 'unknown_parent', reason: '没有代码为“NOPE”的上级单位（本文件和现有单位中都没有）' },
      { line: 8, field: 'code', code: 'duplicate', reason: '“ND”已在第 7 行出现' },
    ]);
    expect(await stateCounts()).toEqual(before);
  });

  it('applying a file with bad lines is a 422 naming every one, and writes nothing', async () => {
    const before = await stateCounts();
    const { status, body } = await post('units', mixed);
    expect(status).toBe(422);
    expect(body.error!.code).toBe('invalid_csv');
    expect(body.error!.message).toBe('文件中有 3 处错误，未导入任何内容。');
    expect(body.error!.details.map((d) => d.field)).toEqual(['line.6.name', 'line.7.parent', 'line.8.code']);
    expect(lines(body)).toEqual([
      [6, 'name', 'invalid'],
      [7, 'parent', 'unknown_parent'],
      [8, 'code', 'duplicate'],
    ]);
    expect(await stateCounts()).toEqual(before);
  });

  it('applies a good file (BOM, CRLF, quoted commas, parent later) atomically, one audit event per changed line', async () => {
    const good = '\uFEFF单位代码,单位名称,上级单位\r\nNA,"新甲, 乡",NB\r\nNB,新乙镇,P\r\nB,白泉镇（新）,P\r\nP,定海区人民政府,ROOT\r\n\r\n';
    const events = await env.DB.prepare('SELECT count(*) AS n FROM audit_events').first<{ n: number }>();
    const { status, body } = await post('units', new TextEncoder().encode(good));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.applied).toBe(true);
    expect(body.changes.map((c) => [c.line, c.action])).toEqual([
      [2, 'create'],
      [3, 'create'],
      [4, 'update'],
      [5, 'unchanged'],
    ]);
    expect(await unitRow('NA')).toEqual({ name: '新甲, 乡', parent: 'NB' });
    expect(await unitRow('NB')).toEqual({ name: '新乙镇', parent: 'P' });
    expect(await unitRow('B')).toEqual({ name: '白泉镇（新）', parent: 'P' });
    const audit = await env.DB.prepare('SELECT action, detail FROM audit_events WHERE id > (SELECT max(id) - 4 FROM audit_events) ORDER BY id').all<{ action: string; detail: string }>();
    expect(audit.results.map((e) => e.action)).toEqual(['bulk.units', 'unit.create', 'unit.create', 'unit.update']);
    expect(JSON.parse(audit.results[3]!.detail)).toMatchObject({ code: 'B', before: { name: '白泉镇' }, after: { name: '白泉镇（新）' } });
    expect(JSON.parse(audit.results[0]!.detail)).toMatchObject({ created: 2, updated: 1 });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM audit_events').first<{ n: number }>())!.n).toBe(events!.n + 4);
    // The same file again changes nothing and writes nothing.
    const before = await stateCounts();
    const again = await post('units', good);
    expect(again.body.changes.every((c) => c.action === 'unchanged')).toBe(true);
    expect(again.body.applied).toBe(false);
    expect(await stateCounts()).toEqual(before);
  });

  it('answers in English when asked', async () => {
    const res = await request('POST', '/api/v1/admin/bulk/units', { headers: { 'Content-Type': 'text/csv', Authorization: ADMIN_TOKEN, 'Accept-Language': 'en' }, body: 'code,name,parent\nND,丁,P\nND,丁二,P\n' });
    const body = (await res.json()) as BulkAnswer;
    expect(res.status).toBe(422);
    expect(body.error!.message).toBe('The file has 1 error(s); nothing was imported.');
    expect(body.errors).toEqual([{ line: 3, field: 'code', code: 'duplicate', reason: '"ND" already appears on line 2' }]);
  });

  it('a cycle, in the file or through existing units, is an error on each of its lines', async () => {
    const { body } = await post('units', 'code,name,parent\nCA,甲,CB\nCB,乙,CA\nP,定海区人民政府,A\n', { dryRun: true });
    expect(body.errors.map((e) => [e.line, e.code, e.reason])).toEqual([
      [2, 'cycle', '上级单位形成循环：CA → CB → CA'],
      [3, 'cycle', '上级单位形成循环：CB → CA → CB'],
      [4, 'cycle', '上级单位形成循环：P → A → P'],
    ]);
  });

  it('refuses a file that is not UTF-8 (GBK, as Excel saves “CSV” by default) in words that say what to do', async () => {
    // 代码,名称 … in GBK: not valid UTF-8.
    const gbk = new Uint8Array([0xb4, 0xfa, 0xc2, 0xeb, 0x2c, 0xc3, 0xfb, 0xb3, 0xc6, 0x0a]);
    const before = await stateCounts();
    const { status, body } = await post('units', gbk, { dryRun: true });
    expect(status).toBe(422);
    expect(body.error!.code).toBe('not_utf8');
    expect(body.error!.message).toBe('请将文件另存为 UTF-8 编码的 CSV。');
    expect(await stateCounts()).toEqual(before);
  });

  it('keeps an administrator of another subtree to theirs: each foreign line is an error, nothing written', async () => {
    const csv = 'code,name,parent\nQB,六横镇,Q\nB,白泉镇（改）,P\nPX,新单位,P\nRX,新顶级,\n';
    const before = await stateCounts();
    const { status, body } = await post('units', csv, { cookie: world.adminQ });
    expect(status).toBe(422);
    expect(lines(body)).toEqual([
      [3, 'code', 'out_of_scope'],
      [4, 'parent', 'out_of_scope'],
      [5, 'parent', 'out_of_scope'],
    ]);
    expect(await stateCounts()).toEqual(before);
    const own = await post('units', 'code,name,parent\nQB,六横镇,Q\n', { cookie: world.adminQ });
    expect(own.status).toBe(200);
    expect(await unitRow('QB')).toEqual({ name: '六横镇', parent: 'Q' });
  });

  it('is for administrators: 401 without a session, 403 for a clerk or supervisor', async () => {
    const anonymous = await request('POST', '/api/v1/admin/bulk/units', { headers: { 'Content-Type': 'text/csv' }, body: 'code,name,parent\n' });
    expect(anonymous.status).toBe(401);
    for (const cookie of [world.clerkA, world.supervisorP]) expect((await post('units', 'code,name,parent\nZ,z,P\n', { cookie })).status).toBe(403);
  });

  it('applies 2,000 units (a county’s whole tree, children before parents) in one request', async () => {
    const rows = ['code,name,parent'];
    // 40 towns under P, 49 villages under each; every village listed before its town.
    for (let t = 0; t < 40; t++) {
      for (let v = 0; v < 49; v++) rows.push(`BK-${t}-${v},第${t}镇第${v}村,BK-${t}`);
      rows.push(`BK-${t},第${t}镇,P`);
    }
    expect(rows.length - 1).toBe(2_000);
    const unitsBefore = (await env.DB.prepare('SELECT count(*) AS n FROM units').first<{ n: number }>())!.n;
    const started = Date.now();
    const { status, body } = await post('units', rows.join('\r\n'));
    const ms = Date.now() - started;
    expect(status, JSON.stringify(body.errors?.slice(0, 3) ?? body)).toBe(200);
    expect(body.changes.filter((c) => c.action === 'create')).toHaveLength(2_000);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM units').first<{ n: number }>())!.n).toBe(unitsBefore + 2_000);
    expect(await unitRow('BK-39-48')).toEqual({ name: '第39镇第48村', parent: 'BK-39' });
    const audited = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'unit.create' AND unit_id IN (SELECT id FROM units WHERE code LIKE 'BK-%')").first<{ n: number }>();
    expect(audited!.n).toBe(2_000);
    console.log(`bulk: 2,000 units applied in ${ms} ms (${Math.round(2_000_000 / ms)} rows/s)`);
  }, 60_000);
});

describe('bulk people', () => {
  it('dry run and apply: roles in Chinese, units by ";", addresses lowercased, bad lines named', async () => {
    const csv = '邮箱,姓名,角色,所属单位\nNew.Clerk@nianbao.test,新填报人,填报人,A;B\nclerk.b@nianbao.test,白泉填报人,clerk,B\nx@nianbao.test,某人,boss,A\ny@nianbao.test,某人,clerk,NOPE\n';
    const dry = await post('people', csv, { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.changes.map((c) => [c.line, c.action, c.email])).toEqual([
      [2, 'create', 'new.clerk@nianbao.test'],
      [3, 'update', 'clerk.b@nianbao.test'],
    ]);
    expect(dry.body.changes[1]!.before).toEqual({ email: 'clerk.b@nianbao.test', name: '测试人员', role: 'clerk', units: ['B'] });
    expect(lines(dry.body)).toEqual([
      [4, 'role', 'invalid'],
      [5, 'units', 'unknown_unit'],
    ]);
    const before = await stateCounts();
    expect((await post('people', csv)).status).toBe(422);
    expect(await stateCounts()).toEqual(before);

    const good = csv.split('\n').slice(0, 3).join('\n');
    const applied = await post('people', good);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const person = await env.DB.prepare(
      "SELECT p.name, p.role, group_concat(u.code) AS units FROM people p JOIN memberships m ON m.person_id = p.id JOIN units u ON u.id = m.unit_id WHERE p.email = 'new.clerk@nianbao.test' GROUP BY p.id",
    ).first();
    expect(person).toEqual({ name: '新填报人', role: 'clerk', units: expect.stringMatching(/^(A,B|B,A)$/) });
    const renamed = await env.DB.prepare("SELECT name FROM people WHERE email = 'clerk.b@nianbao.test'").first<{ name: string }>();
    expect(renamed!.name).toBe('白泉填报人');
  });

  it('a person who loses a unit loses their sessions in the same batch', async () => {
    const me = await request('GET', '/api/v1/drafts/A/2024', { headers: { Cookie: world.clerkA } });
    expect(me.status).toBe(200);
    const moved = await post('people', 'email,name,role,units\nclerk.a@nianbao.test,测试人员,clerk,B\n');
    expect(moved.status).toBe(200);
    const after = await request('GET', '/api/v1/drafts/A/2024', { headers: { Cookie: world.clerkA } });
    expect(after.status).toBe(401);
  });

  it('keeps an administrator of another subtree to theirs', async () => {
    const before = await stateCounts();
    const { status, body } = await post('people', 'email,name,role,units\nclerk.b@nianbao.test,改名,clerk,QA\nq.new@nianbao.test,新人,clerk,A\nq.admin@nianbao.test,新管理员,admin,\n', { cookie: world.adminQ });
    expect(status).toBe(422);
    expect(lines(body)).toEqual([
      [2, 'email', 'out_of_scope'],
      [3, 'units', 'out_of_scope'],
      [4, 'units', 'out_of_scope'],
    ]);
    expect(await stateCounts()).toEqual(before);
  });
});

describe('the page /app/admin/bulk', () => {
  const page = (cookie: string, init: { method?: string; body?: BodyInit } = {}) =>
    request(init.method ?? 'GET', '/app/admin/bulk', { headers: { Cookie: cookie, Origin: 'https://nianbao.test', 'Accept-Language': 'zh-CN' }, body: init.body ?? null });
  const upload = (kind: string, file: string | Uint8Array, text = '') => {
    const form = new FormData();
    form.append('step', 'check');
    form.append('kind', kind);
    form.append('file', new File([file], 'units.csv', { type: 'text/csv' }));
    form.append('text', text);
    return form;
  };
  const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

  it('is for administrators: anyone else is sent to sign in or refused', async () => {
    const admin = await page(world.admin);
    expect(admin.status).toBe(200);
    const html = await admin.text();
    expect(html).toContain('type="file" accept=".csv,text/csv"');
    expect(html).toContain('不会停用任何单位或人员');
    expect((await page(world.adminQ)).status).toBe(200);
    // (clerk.a@ lost unit A, and so their session, above.)
    expect((await page(world.clerkB)).status).toBe(403);
    expect((await page(world.supervisorP)).status).toBe(403);
    const anonymous = await request('GET', '/app/admin/bulk');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('Location')).toMatch(/^\/signin\?next=/);
  });

  it('offers example files with the exact headers (BOM, CRLF)', async () => {
    const units = await request('GET', '/app/admin/bulk/units-example.csv', { headers: { Cookie: world.adminQ } });
    expect(units.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    // Response.text() would drop the BOM that spreadsheet programs need.
    const withBom = (res: Response) => res.arrayBuffer().then((b) => new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(b));
    const text = await withBom(units);
    expect(text.startsWith('\uFEFFcode,name,parent\r\n')).toBe(true);
    // Under the administrator's own unit, so the example checks clean as it is.
    expect(text).toContain('EXAMPLE-TOWN,示例镇人民政府,Q\r\n');
    expect((await withBom(await request('GET', '/app/admin/bulk/people-example.csv', { headers: { Cookie: world.adminQ } }))).startsWith('\uFEFFemail,name,role,units\r\n')).toBe(true);
  });

  it('upload → the dry run, errors beside their lines and summed up at the top; nothing written', async () => {
    const before = await stateCounts();
    const res = await page(world.admin, { method: 'POST', body: upload('units', 'code,name,parent\nPG1,页面新单位,P\nPG2,,P\n') });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('文件中有 1 处错误');
    expect(html).toContain('<a href="#line-3">第 3 行 名称：不能为空</a>');
    expect(html).toMatch(/<tr id="line-2"><td>2<\/td><td>新建<\/td><td>PG1 页面新单位 · 上级 P<\/td><\/tr>/);
    expect(html).not.toContain('确认导入');
    expect(await stateCounts()).toEqual(before);
  });

  it('upload → check → 确认导入 applies exactly what was checked', async () => {
    const checked = await page(world.admin, { method: 'POST', body: upload('units', '\uFEFFcode,name,parent\r\nPG1,页面新单位,P\r\nB,白泉镇（新）,P\r\n') });
    expect(checked.status).toBe(200);
    const html = await checked.text();
    expect(html).toContain('新建 1 个，修改 0 个，不变 1 个。');
    expect(html).toContain('确认导入');
    expect(await unitRow('PG1')).toBeNull();
    const form = { step: 'apply', kind: 'units', csv: hidden(html, 'csv')!, hash: hidden(html, 'hash')! };

    // A text that is not the one checked is refused.
    const before = await stateCounts();
    const tampered = await page(world.admin, { method: 'POST', body: new URLSearchParams({ ...form, hash: '0'.repeat(64) }) });
    expect(tampered.status).toBe(409);
    expect(await tampered.text()).toContain('导入的内容与检查过的不一致');
    expect(await stateCounts()).toEqual(before);

    const applied = await page(world.admin, { method: 'POST', body: new URLSearchParams(form) });
    expect(applied.status).toBe(303);
    expect(applied.headers.get('Location')).toBe('/app/admin/bulk?kind=units&done=1&created=1&updated=0');
    expect(await unitRow('PG1')).toEqual({ name: '页面新单位', parent: 'P' });
    expect(await (await page(world.admin)).text()).not.toContain('已导入');
    const done = await request('GET', '/app/admin/bulk?kind=units&done=1&created=1&updated=0', { headers: { Cookie: world.admin } });
    expect(await done.text()).toContain('已导入：新建 1 个，修改 0 个。');
  });

  it('pasted text works too; a GBK file gets words that say how to save it', async () => {
    const pasted = await page(world.admin, { method: 'POST', body: new URLSearchParams({ step: 'check', kind: 'people', text: 'email,name,role,units\npg@nianbao.test,页面人员,填报人,A\n' }) });
    expect(pasted.status).toBe(200);
    expect(await pasted.text()).toContain('pg@nianbao.test 页面人员 · 填报人 · A');
    const gbk = await page(world.admin, { method: 'POST', body: upload('units', new Uint8Array([0xb4, 0xfa, 0xc2, 0xeb, 0x0a])) });
    expect(gbk.status).toBe(422);
    expect(await gbk.text()).toContain('请将文件另存为 UTF-8 编码的 CSV');
  });

  it('an administrator of another subtree sees the lines outside theirs as errors', async () => {
    const res = await page(world.adminQ, { method: 'POST', body: upload('units', 'code,name,parent\nB,白泉镇（改）,P\n') });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('单位“B”不在您管理的范围内');
  });
});
