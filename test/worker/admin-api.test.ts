// The administration API through the real Worker and its D1 (api.md "Administration"):
// units and people, created or updated by PUT, each change audited in the same batch; only an
// administrator (session) or the ADMIN_TOKEN bearer gets in; bad input is a 4xx naming the field.
import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionOf } from './fault-helpers';
import { createApp } from '../../src/app';

const BASE = 'https://nianbao.test';
const TOKEN = { Authorization: 'Bearer test-admin-token' };

type ErrorBody = { error: { code: string; message: string; details: { field: string; message: string }[] } };
type PersonBody = { person: { email: string; name: string; role: string; units: string[]; active: boolean } };

function put(path: string, body: unknown, headers: Record<string, string> = TOKEN) {
  return exports.default.fetch(
    new Request(`${BASE}/api/v1/admin${path}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

const putUnit = (code: string, body: unknown, headers?: Record<string, string>) => put(`/units/${code}`, body, headers);
const putPerson = (email: string, body: unknown, headers?: Record<string, string>) =>
  put(`/people/${encodeURIComponent(email)}`, body, headers);

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(Array.isArray(body.error.details)).toBe(true);
  return body.error;
}

const fields = (error: ErrorBody['error']) => error.details.map((d) => d.field);

const db = env.DB;
const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).bind(...params).first<T>();
const all = async <T>(sql: string, ...params: unknown[]) => (await db.prepare(sql).bind(...params).all<T>()).results;
/** `select count(*) from <from>`: a table, optionally with a where clause. */
const count = async (from: string) => (await one<{ n: number }>(`select count(*) as n from ${from}`))!.n;

type AuditRow = { action: string; actor: string; actor_id: number | null; unit_id: number | null; detail: string };
const audits = (action: string) =>
  all<AuditRow>('select action, actor, actor_id, unit_id, detail from audit_events where action = ? order by id', action);
const lastAudit = async () =>
  (await one<AuditRow & { id: number }>('select id, action, actor, actor_id, unit_id, detail from audit_events order by id desc limit 1'))!;

const membershipsOf = (email: string) =>
  all<{ code: string; role: string }>(
    `select u.code, m.role from memberships m join people p on p.id = m.person_id join units u on u.id = m.unit_id
     where p.email = ? order by u.code`,
    email,
  );

/** Everything the API may change, to prove a refused request changed nothing. */
const snapshot = async () => ({
  units: await all('select * from units order by id'),
  people: await all('select * from people order by id'),
  memberships: await all('select * from memberships order by person_id, unit_id'),
  audits: await count('audit_events'),
});

/**
 * Two PUTs of the same new row, interleaved the unlucky way: ours reads (nothing there yet), then
 * theirs runs from start to finish, then ours writes. Ours runs on the real app with a D1 that
 * lets theirs in just before its first batch.
 */
async function racingPuts(path: string, body: unknown) {
  let theirs: Response | undefined;
  const racingDb = new Proxy(env.DB, {
    get(target, property) {
      if (property === 'withSession') return sessionOf(racingDb);
      if (property === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          theirs ??= await put(path, body);
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const request = new Request(`${BASE}/api/v1/admin${path}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', ...TOKEN },
    body: JSON.stringify(body),
  });
  const ours = await createApp().fetch(request, { ...env, DB: racingDb }, createExecutionContext());
  return { ours, theirs: theirs! };
}

beforeAll(async () => {
  // A small tree: ZS-DH → JT → JT-A, and ZS-DH → BQ, GL.
  for (const [code, name, parent] of [
    ['ZS-DH', '定海区人民政府', null],
    ['JT', '金塘镇', 'ZS-DH'],
    ['JT-A', '金塘镇某办公室', 'JT'],
    ['BQ', '白泉镇', 'ZS-DH'],
    ['GL', '干览镇', 'ZS-DH'],
  ] as const) {
    expect((await putUnit(code, { name, parent })).status).toBe(201);
  }
});

describe('PUT /api/v1/admin/units/{code} with the ADMIN_TOKEN', () => {
  it('creates a unit: 201, the unit as stored, and a unit.create audit event by admin-token', async () => {
    const res = await putUnit('ZS-DH-JYJ', { name: '  定海区教育局 ', parent: 'ZS-DH' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ unit: { code: 'ZS-DH-JYJ', name: '定海区教育局', parent: 'ZS-DH', active: true } });

    const row = await one<{ id: number; name: string; parent_code: string; active: number }>(
      `select u.id, u.name, p.code as parent_code, u.active from units u join units p on p.id = u.parent_id where u.code = ?`,
      'ZS-DH-JYJ',
    );
    expect(row).toMatchObject({ name: '定海区教育局', parent_code: 'ZS-DH', active: 1 });
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: 'unit.create', actor: 'admin-token', actor_id: null, unit_id: row!.id });
    expect(JSON.parse(audit.detail)).toEqual({
      code: 'ZS-DH-JYJ',
      before: null,
      after: { code: 'ZS-DH-JYJ', name: '定海区教育局', parent: 'ZS-DH', active: true },
    });
  });

  it('updates a unit: 200, an omitted parent is kept, the audit event holds before and after', async () => {
    await putUnit('ZS-DH-WJJ', { name: '定海区卫健局', parent: 'ZS-DH' });
    const res = await putUnit('ZS-DH-WJJ', { name: '定海区卫生健康局', active: false });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ unit: { code: 'ZS-DH-WJJ', name: '定海区卫生健康局', parent: 'ZS-DH', active: false } });
    expect(await one('select name, active from units where code = ?', 'ZS-DH-WJJ')).toEqual({ name: '定海区卫生健康局', active: 0 });

    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: 'unit.update', actor: 'admin-token' });
    expect(JSON.parse(audit.detail)).toEqual({
      code: 'ZS-DH-WJJ',
      before: { code: 'ZS-DH-WJJ', name: '定海区卫健局', parent: 'ZS-DH', active: true },
      after: { code: 'ZS-DH-WJJ', name: '定海区卫生健康局', parent: 'ZS-DH', active: false },
    });
  });

  it('answers the same PUT again with 200 and the same unit, writing nothing', async () => {
    const body = { name: '干览镇', parent: 'ZS-DH' };
    const before = await snapshot();
    const res = await putUnit('GL', body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ unit: { code: 'GL', name: '干览镇', parent: 'ZS-DH', active: true } });
    expect(await snapshot()).toEqual(before);
  });

  it('makes a unit a root with parent: null, and moves it back under a parent', async () => {
    expect(await (await putUnit('BQ', { name: '白泉镇', parent: null })).json()).toMatchObject({ unit: { parent: null } });
    expect(await one('select parent_id from units where code = ?', 'BQ')).toEqual({ parent_id: null });
    expect(await (await putUnit('BQ', { name: '白泉镇', parent: 'ZS-DH' })).json()).toMatchObject({ unit: { parent: 'ZS-DH' } });
  });

  it('refuses an unknown parent with 422 naming parent, and creates nothing', async () => {
    const before = await snapshot();
    const error = await expectError(await putUnit('NEW-1', { name: '新单位', parent: 'NOPE' }), 422, 'invalid_input');
    expect(fields(error)).toEqual(['parent']);
    expect(error.details[0]!.message).toContain('NOPE');
    expect(error.message).toBe('提交的数据不符合要求。');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['its own child', 'ZS-DH', 'JT'],
    ['its grandchild', 'ZS-DH', 'JT-A'],
    ['itself', 'JT', 'JT'],
  ])('refuses a parent that would make a cycle: %s', async (_, code, parent) => {
    const before = await snapshot();
    const error = await expectError(await putUnit(code, { name: '某单位', parent }), 422, 'invalid_input');
    expect(fields(error)).toEqual(['parent']);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a space', 'bad%20code'],
    ['Chinese characters', encodeURIComponent('金塘镇')],
    ['65 characters', 'A'.repeat(65)],
    ['a dot', 'JT.1'],
  ])('refuses a code with %s with 422 naming code', async (_, code) => {
    const error = await expectError(await putUnit(code, { name: '某单位' }), 422, 'invalid_input');
    expect(fields(error)).toEqual(['code']);
    expect(error.details[0]!.message).toMatch(/字母、数字/);
  });

  it('accepts a 64-character code such as an 18-character 统一社会信用代码', async () => {
    expect((await putUnit('11330902002617396X', { name: '某局' })).status).toBe(201);
    expect((await putUnit('A'.repeat(64), { name: '长代码单位' })).status).toBe(201);
  });

  it.each([
    ['missing', {}],
    ['blank', { name: '   ' }],
    ['a number', { name: 42 }],
    ['too long', { name: '镇'.repeat(101) }],
    ['two lines', { name: '金塘镇\n人民政府' }],
  ])('refuses a name that is %s with 422 naming name', async (_, body) => {
    const error = await expectError(await putUnit('NEW-2', body), 422, 'invalid_input');
    expect(fields(error)).toEqual(['name']);
    expect(await one('select id from units where code = ?', 'NEW-2')).toBeNull();
  });

  it('refuses wrong types of parent and active, naming each field', async () => {
    const error = await expectError(await putUnit('NEW-3', { name: '新单位', parent: 7, active: 'yes' }), 422, 'invalid_input');
    expect(fields(error)).toEqual(['parent', 'active']);
  });

  it('answers malformed JSON with 400 and a bare array with 422, never a 500', async () => {
    await expectError(await putUnit('NEW-4', '{"name": '), 400, 'malformed_json');
    await expectError(await putUnit('NEW-4', [{ name: 'x' }]), 422, 'invalid_input');
    await expectError(await putUnit('NEW-4', 'null'), 422, 'invalid_input');
  });

  it('speaks English when the request prefers it', async () => {
    const error = await expectError(
      await putUnit('NEW-5', { name: '', parent: 'NOPE' }, { ...TOKEN, 'Accept-Language': 'en-US,en;q=0.9,zh;q=0.5' }),
      422,
      'invalid_input',
    );
    expect(error.message).toBe('The submitted data is invalid.');
    expect(error.details).toMatchObject([{ field: 'name', message: 'name must not be empty' }]);

    const parent = await expectError(await putUnit('NEW-5', { name: 'x', parent: 'NOPE' }, { ...TOKEN, 'Accept-Language': 'en' }), 422, 'invalid_input');
    expect(parent.details).toEqual([{ field: 'parent', message: 'there is no unit with code "NOPE"' }]);
  });

  it('creates a unit once when another PUT creates it between our check and our write', async () => {
    const { ours, theirs } = await racingPuts('/units/RACE', { name: '同时创建' });
    expect([theirs.status, ours.status]).toEqual([201, 200]);
    expect(await ours.json()).toEqual({ unit: { code: 'RACE', name: '同时创建', parent: null, active: true } });
    expect(await count("units where code = 'RACE'")).toBe(1);
    expect((await audits('unit.create')).filter((r) => JSON.parse(r.detail).code === 'RACE')).toHaveLength(1);
  });
});

describe('PUT /api/v1/admin/people/{email} with the ADMIN_TOKEN', () => {
  it('creates a clerk with a lowercased email and clerk memberships, audited as person.create', async () => {
    const res = await putPerson('Wang.Fang@Example.CN', { name: '王芳', role: 'clerk', units: ['JT'] });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      person: { email: 'wang.fang@example.cn', name: '王芳', role: 'clerk', units: ['JT'], active: true },
    });
    expect(await one('select email, name, role, active from people where email = ?', 'wang.fang@example.cn')).toEqual({
      email: 'wang.fang@example.cn',
      name: '王芳',
      role: 'clerk',
      active: 1,
    });
    expect(await membershipsOf('wang.fang@example.cn')).toEqual([{ code: 'JT', role: 'clerk' }]);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: 'person.create', actor: 'admin-token', actor_id: null });
    expect(JSON.parse(audit.detail)).toEqual({
      email: 'wang.fang@example.cn',
      before: null,
      after: { email: 'wang.fang@example.cn', name: '王芳', role: 'clerk', units: ['JT'], active: true },
    });
  });

  it('replaces the memberships rather than adding to them', async () => {
    await putPerson('zhao@example.cn', { name: '赵敏', role: 'clerk', units: ['JT', 'BQ'] });
    const res = await putPerson('ZHAO@example.cn', { name: '赵敏', role: 'clerk', units: ['GL', 'BQ', 'GL'] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as PersonBody).person.units).toEqual(['BQ', 'GL']);
    expect(await membershipsOf('zhao@example.cn')).toEqual([
      { code: 'BQ', role: 'clerk' },
      { code: 'GL', role: 'clerk' },
    ]);
    expect(await count("people where email like 'zhao@%'")).toBe(1);
    const audit = await lastAudit();
    expect(audit.action).toBe('person.update');
    expect(JSON.parse(audit.detail)).toMatchObject({ before: { units: ['BQ', 'JT'] }, after: { units: ['BQ', 'GL'] } });
  });

  it('answers the same PUT again (units in another order) with 200 and the same person, writing nothing', async () => {
    const first = await putPerson('li@example.cn', { name: '李明', role: 'supervisor', units: ['ZS-DH', 'JT'] });
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const before = await snapshot();
    const again = await putPerson('li@example.cn', { name: '李明', role: 'supervisor', units: ['JT', 'ZS-DH'] });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(firstBody);
    expect(await snapshot()).toEqual(before);
    expect(await membershipsOf('li@example.cn')).toEqual([
      { code: 'JT', role: 'supervisor' },
      { code: 'ZS-DH', role: 'supervisor' },
    ]);
  });

  it('gives an administrator the units they administer, replacing the ones they had in another role', async () => {
    await putPerson('chen@example.cn', { name: '陈静', role: 'supervisor', units: ['ZS-DH'] });
    const res = await putPerson('chen@example.cn', { name: '陈静', role: 'admin', units: ['ZS-DH'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ person: { email: 'chen@example.cn', name: '陈静', role: 'admin', units: ['ZS-DH'], active: true } });
    expect(await membershipsOf('chen@example.cn')).toEqual([{ code: 'ZS-DH', role: 'admin' }]);
    // No units: an administrator of every unit.
    expect((await putPerson('admin2@example.cn', { name: '管理员', role: 'admin' })).status).toBe(201);
    expect(await membershipsOf('admin2@example.cn')).toEqual([]);
  });

  it('names each unknown unit by its position (units.N), and changes nothing', async () => {
    await putPerson('sun@example.cn', { name: '孙丽', role: 'clerk', units: ['JT'] });
    const before = await snapshot();
    const error = await expectError(
      await putPerson('sun@example.cn', { name: '孙丽', role: 'clerk', units: ['BQ', 'NOPE', 'GL', 'ALSO-NOPE'] }),
      422,
      'invalid_input',
    );
    expect(fields(error)).toEqual(['units.1', 'units.3']);
    expect(error.details[0]!.message).toBe('没有代码为“NOPE”的单位');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a string where the list belongs', { name: '周', role: 'clerk', units: 'JT' }, ['units']],
    ['a number in the list', { name: '周', role: 'clerk', units: ['JT', 5] }, ['units.1']],
    ['a bad code in the list', { name: '周', role: 'clerk', units: ['J T'] }, ['units.0']],
    ['no units for a clerk', { name: '周', role: 'clerk', units: [] }, ['units']],
    ['no units field for a supervisor', { name: '周', role: 'supervisor' }, ['units']],
    ['an unknown role', { name: '周', role: 'boss', units: ['JT'] }, ['role']],
    ['no name', { role: 'clerk', units: ['JT'] }, ['name']],
    ['a non-boolean active', { name: '周', role: 'clerk', units: ['JT'], active: 0 }, ['active']],
  ])('refuses %s with 422 naming the field', async (_, body, expected) => {
    const before = await snapshot();
    const error = await expectError(await putPerson('zhou@example.cn', body), 422, 'invalid_input');
    expect(fields(error)).toEqual(expected);
    expect(await snapshot()).toEqual(before);
  });

  it('creates a person once when another PUT creates them between our check and our write', async () => {
    const { ours, theirs } = await racingPuts('/people/race@example.cn', { name: '同时', role: 'clerk', units: ['JT'] });
    expect([theirs.status, ours.status]).toEqual([201, 200]);
    expect(await count("people where email = 'race@example.cn'")).toBe(1);
    expect(await membershipsOf('race@example.cn')).toEqual([{ code: 'JT', role: 'clerk' }]);
  });

  it.each(['not-an-email', 'a@b', `${'x'.repeat(250)}@example.cn`])('refuses the address %s with 422 naming email', async (email) => {
    const error = await expectError(await putPerson(email, { name: '某人', role: 'admin' }), 422, 'invalid_input');
    expect(fields(error)).toEqual(['email']);
  });

  it('gives English field messages when the request prefers English', async () => {
    const error = await expectError(
      await putPerson('en@example.cn', { name: 'Someone', role: 'clerk', units: ['NOPE'] }, { ...TOKEN, 'Accept-Language': 'en' }),
      422,
      'invalid_input',
    );
    expect(error.details).toEqual([{ field: 'units.0', message: 'there is no unit with code "NOPE"' }]);
    const empty = await expectError(
      await putPerson('en@example.cn', { name: 'Someone', role: 'clerk', units: [] }, { ...TOKEN, 'Accept-Language': 'en' }),
      422,
      'invalid_input',
    );
    expect(empty.details).toEqual([{ field: 'units', message: 'clerks and supervisors need at least one unit' }]);
  });
});

describe('who may use the administration API', () => {
  it.each([
    ['no Authorization header', {}, 'unauthorized', '请先登录。'],
    ['a wrong token', { Authorization: 'Bearer wrong-token' }, 'bad_token', '管理令牌无效。'],
    ['an empty bearer', { Authorization: 'Bearer ' }, 'bad_token', '管理令牌无效。'],
    ['another scheme', { Authorization: 'Basic dGVzdC1hZG1pbi10b2tlbg==' }, 'bad_token', '管理令牌无效。'],
  ])('refuses %s with 401 in Chinese, changing nothing', async (_, headers, code, message) => {
    const before = await snapshot();
    for (const res of [
      await putUnit('INTRUDER', { name: '入侵者' }, headers),
      await putPerson('intruder@example.cn', { name: '入侵者', role: 'admin' }, headers),
    ]) {
      const error = await expectError(res, 401, code);
      expect(error.message).toBe(message);
    }
    expect(await snapshot()).toEqual(before);
  });

  /** A session row for `email` (a person that exists), as sign-in would create it; returns the cookie. */
  async function sessionCookie(email: string, expiresInMs = 3_600_000): Promise<string> {
    const id = crypto.randomUUID();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id)));
    const idHash = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    const now = Date.now();
    await db
      .prepare('insert into sessions (id_hash, person_id, created_at, expires_at, last_seen_at) select ?, id, ?, ?, ? from people where email = ?')
      .bind(idHash, now, now + expiresInMs, now, email)
      .run();
    return `nb_session=${id}`;
  }

  it("lets an administrator's session in, audited under their email and person id", async () => {
    await putPerson('boss@example.cn', { name: '陈主任', role: 'admin' });
    const cookie = await sessionCookie('boss@example.cn');
    const res = await putUnit('BY-SESSION', { name: '会话创建的单位' }, { Cookie: cookie });
    expect(res.status).toBe(201);
    const { id } = (await one<{ id: number }>('select id from people where email = ?', 'boss@example.cn'))!;
    expect(await lastAudit()).toMatchObject({ action: 'unit.create', actor: 'boss@example.cn', actor_id: id });

    expect((await putPerson('new-clerk@example.cn', { name: '新人', role: 'clerk', units: ['BY-SESSION'] }, { Cookie: cookie })).status).toBe(201);
    expect(await lastAudit()).toMatchObject({ action: 'person.create', actor: 'boss@example.cn', actor_id: id });
  });

  it("refuses a clerk's session with 403, changing nothing", async () => {
    await putPerson('clerk@example.cn', { name: '王芳', role: 'clerk', units: ['JT'] });
    const cookie = await sessionCookie('clerk@example.cn');
    const before = await snapshot();
    const error = await expectError(await putUnit('JT', { name: '改名' }, { Cookie: cookie }), 403, 'forbidden');
    expect(error.message).toMatch(/权限/);
    await expectError(await putPerson('clerk@example.cn', { name: '王芳', role: 'admin' }, { Cookie: cookie }), 403, 'forbidden');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an expired session with 401', async () => {
    await putPerson('old-boss@example.cn', { name: '前任', role: 'admin' });
    const cookie = await sessionCookie('old-boss@example.cn', -1);
    await expectError(await putUnit('EXPIRED', { name: 'x' }, { Cookie: cookie }), 401, 'unauthorized');
  });

  it('locks a deactivated administrator out at once, session and all', async () => {
    await putPerson('leaving@example.cn', { name: '调走的管理员', role: 'admin' });
    const cookie = await sessionCookie('leaving@example.cn');
    expect((await putUnit('BEFORE-LEAVING', { name: '离开前' }, { Cookie: cookie })).status).toBe(201);

    const res = await putPerson('leaving@example.cn', { name: '调走的管理员', role: 'admin', active: false });
    expect(res.status).toBe(200);
    expect(((await res.json()) as PersonBody).person.active).toBe(false);
    await expectError(await putUnit('AFTER-LEAVING', { name: '离开后' }, { Cookie: cookie }), 401, 'unauthorized');
    expect(await one('select id from units where code = ?', 'AFTER-LEAVING')).toBeNull();
  });
});
