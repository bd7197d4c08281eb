// /app/admin/people: the list an administrator sees, adding a person through the form (and the
// invitation mail with its single-use, week-long link), changing role and units, resending the
// invitation, deactivating — and who may do any of it.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE, request, setUpWorld, stateCounts, type World } from './probe-helpers';

let world: World;
beforeAll(async () => {
  world = await setUpWorld();
}, 30_000);

const get = (path: string, cookie: string) => request('GET', path, { headers: { Cookie: cookie } });
const post = (path: string, cookie: string, fields: Record<string, string | readonly string[]>) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  return request('POST', path, { headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE }, body: body.toString() });
};
const page = (email: string) => `/app/admin/people/${encodeURIComponent(email)}`;

/** The invitations queued for an address, newest first, with the token of each link. */
async function invitations(to: string) {
  const { results } = await env.DB.prepare(`select subject, text_body as text from outbox where kind = 'invitation' and to_address = ? order by id desc`).bind(to).all<{ subject: string; text: string }>();
  return results.map((m) => ({ ...m, token: decodeURIComponent(/\/auth\/verify\?token=([^\s&]+)/.exec(m.text)?.[1] ?? '') }));
}

const verify = (token: string) =>
  request('POST', '/auth/verify', { headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE }, body: new URLSearchParams({ token }).toString() });

async function lastPersonEvent(email: string, action: string) {
  const row = await env.DB.prepare(`select actor, detail from audit_events where action = ? and json_extract(detail, '$.email') = ? order by id desc limit 1`).bind(action, email).first<{ actor: string; detail: string }>();
  return row && { actor: row.actor, detail: JSON.parse(row.detail) as Record<string, unknown> };
}

describe('who may see the people pages', () => {
  it('sends the anonymous to sign in and refuses clerks and supervisors', async () => {
    const anonymous = await request('GET', '/app/admin/people');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('Location')).toMatch(/^\/signin\?next=/);
    for (const cookie of [world.clerkA, world.supervisorQ]) {
      expect((await get('/app/admin/people', cookie)).status).toBe(403);
      expect((await get(page(world.emails.clerkB), cookie)).status).toBe(403);
      expect((await post('/app/admin/people', cookie, { name: '新人', email: 'x@nianbao.test', role: 'clerk', units: 'QA' })).status).toBe(403);
    }
  });

  it('lists for an administrator of a subtree only the people of their units, and refuses the others', async () => {
    const html = await (await get('/app/admin/people', world.adminQ)).text();
    expect(html).toContain(world.emails.supervisorQ);
    expect(html).not.toContain(world.emails.clerkA);
    expect(html).not.toContain(world.emails.clerkB);
    const before = await stateCounts();
    expect((await get(page(world.emails.clerkB), world.adminQ)).status).toBe(403);
    expect((await post(page(world.emails.clerkB), world.adminQ, { name: '改名', role: 'clerk', units: 'QA' })).status).toBe(403);
    expect((await post(`${page(world.emails.clerkB)}/invite`, world.adminQ, { send: '1' })).status).toBe(403);
    expect((await post(`${page(world.emails.clerkB)}/deactivate`, world.adminQ, { confirm: '1' })).status).toBe(403);
    expect(await stateCounts()).toEqual(before);
    expect((await get(page('nobody@nianbao.test'), world.admin)).status).toBe(404);
  });

  it('shows a person also holding units outside the subtree, without a way to change them', async () => {
    const shared = 'shared@nianbao.test';
    const put = await request('PUT', `/api/v1/admin/people/${shared}`, {
      headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: '两地填报人', role: 'clerk', units: ['A', 'QA'] }),
    });
    expect(put.status).toBe(201);
    const html = await (await get('/app/admin/people', world.adminQ)).text();
    expect(html).toContain(shared);
    expect(html).toContain('另属您管理范围以外的单位，不能在此修改');
    expect(html).not.toContain(`href="${page(shared)}"`);
    expect(await (await get('/app/admin/people', world.admin)).text()).toContain(`href="${page(shared)}"`);
    expect((await get(page(shared), world.adminQ)).status).toBe(403);
  });

  it('speaks English when asked', async () => {
    const html = await (await request('GET', '/app/admin/people/new', { headers: { Cookie: world.adminQ, 'Accept-Language': 'en' } })).text();
    for (const label of ['Name', 'Email', 'Role', 'Units', 'Add and send the invitation']) expect(html).toContain(label);
    const units = await (await request('GET', '/app/admin/units?lang=en', { headers: { Cookie: world.adminQ } })).text();
    expect(units).toContain('Create a unit');
  });

  it('finds people by name or address and filters by role', async () => {
    const all = await (await get('/app/admin/people', world.admin)).text();
    for (const email of Object.values(world.emails)) expect(all).toContain(email);
    const byAddress = await (await get('/app/admin/people?q=SUP.', world.admin)).text();
    expect(byAddress).toContain(world.emails.supervisorP);
    expect(byAddress).not.toContain(world.emails.clerkA);
    const clerks = await (await get('/app/admin/people?role=clerk', world.admin)).text();
    expect(clerks).toContain(world.emails.clerkB);
    expect(clerks).not.toContain(world.emails.supervisorP);
    expect(clerks).toContain('<option value="clerk" selected="">');
  });
});

describe('adding a person', () => {
  const email = 'qa.new@nianbao.test';

  it('adds them with their units, audits it, and mails an invitation whose link signs them in once', async () => {
    const form = await (await get('/app/admin/people/new?unit=QA', world.adminQ)).text();
    for (const label of ['姓名', '邮箱', '角色', '所属单位']) expect(form).toContain(label);
    expect(form).toContain('name="units" value="QA" checked=""');
    expect(form).not.toContain('value="A"');

    const res = await post('/app/admin/people', world.adminQ, { name: '张伟', email: 'QA.New@nianbao.test', role: 'clerk', units: 'QA' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`${page(email)}?done=invited`);
    expect(await (await get(res.headers.get('Location')!, world.adminQ)).text()).toContain('已添加，邀请邮件已发送。');
    expect(await lastPersonEvent(email, 'person.create')).toMatchObject({ actor: world.emails.adminQ, detail: { before: null, after: { name: '张伟', role: 'clerk', units: ['QA'], active: true } } });

    const [mail] = await invitations(email);
    expect(mail!.subject).toContain('邀请您使用年报系统');
    expect(mail!.text.indexOf('张伟，您好')).toBeLessThan(mail!.text.indexOf('Hello 张伟'));
    expect(mail!.text).toContain('7 天内');
    // Opening the link (as a mail scanner would) spends nothing; pressing 登录 signs in, once.
    expect((await request('GET', `/auth/verify?token=${encodeURIComponent(mail!.token)}`)).status).toBe(200);
    const signedIn = await verify(mail!.token);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe('/app');
    const cookie = signedIn.headers.get('Set-Cookie')!.split(';')[0]!;
    expect(await (await get('/app', cookie)).text()).toContain('桃花镇');
    expect((await verify(mail!.token)).status).toBe(410);
  });

  it('resends: the older link stops working, and at most three invitations an hour', async () => {
    // A post without the page's field (not from its form) sends nothing.
    const count = (await invitations(email)).length;
    expect((await post(`${page(email)}/invite`, world.adminQ, {})).headers.get('Location')).toBe(page(email));
    expect((await invitations(email)).length).toBe(count);
    const res = await post(`${page(email)}/invite`, world.adminQ, { send: '1' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`${page(email)}?done=reinvited`);
    const [newer, older] = await invitations(email);
    expect(newer!.token).not.toBe(older!.token);
    expect((await post(`${page(email)}/invite`, world.adminQ, { send: '1' })).status).toBe(303);
    const [newest, previous] = await invitations(email);
    expect((await request('GET', `/auth/verify?token=${encodeURIComponent(previous!.token)}`)).status).toBe(410);
    expect((await verify(previous!.token)).status).toBe(410);
    // The creation's and two resends: the fourth within the hour is refused, nothing queued.
    const refused = await post(`${page(email)}/invite`, world.adminQ, { send: '1' });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('每人每小时最多发送 3 次邀请');
    expect((await invitations(email))[0]!.token).toBe(newest!.token);
    expect(await lastPersonEvent(email, 'person.invite')).toMatchObject({ actor: world.emails.adminQ });
    expect((await verify(newest!.token)).status).toBe(303);
  });

  it('names each problem beside its field and writes nothing', async () => {
    const before = await stateCounts();
    for (const [fields, id, message] of [
      [{ name: '', email: 'x1@nianbao.test', role: 'clerk', units: 'QA' }, 'person-name', '请输入姓名'],
      [{ name: '李四', email: 'not-an-address', role: 'clerk', units: 'QA' }, 'person-email', '请输入有效的邮箱'],
      [{ name: '李四', email: email, role: 'clerk', units: 'QA' }, 'person-email', '已有使用此邮箱的人员'],
      [{ name: '李四', email: 'x1@nianbao.test', role: 'clerk', units: [] }, 'person-units', '请至少选择一个所属单位'],
      [{ name: '李四', email: 'x1@nianbao.test', role: 'admin', units: [] }, 'person-units', '请至少选择一个所属单位'],
      [{ name: '李四', email: 'x1@nianbao.test', role: 'clerk', units: ['QA', 'A'] }, 'person-units', '所选单位不在您管理的范围内'],
      [{ name: '李四', email: 'x1@nianbao.test', role: 'boss', units: 'QA' }, 'person-role', '请选择角色'],
    ] as const) {
      const res = await post('/app/admin/people', world.adminQ, fields);
      expect(res.status, JSON.stringify(fields)).toBe(422);
      const html = await res.text();
      expect(html).toContain(`<a href="#${id}">${message}`);
      expect(html).toContain(`id="${id}-error">${message}`);
    }
    expect(await stateCounts()).toEqual(before);
  });
});

describe('a person’s page', () => {
  const email = 'qa.new@nianbao.test';

  it('changes role and units, audited before → after', async () => {
    const html = await (await get(page(email), world.adminQ)).text();
    expect(html).toContain('value="张伟"');
    const res = await post(page(email), world.adminQ, { name: '张伟', role: 'supervisor', units: ['Q'] });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`${page(email)}?done=saved`);
    expect(await lastPersonEvent(email, 'person.update')).toMatchObject({
      detail: { before: { role: 'clerk', units: ['QA'] }, after: { role: 'supervisor', units: ['Q'] } },
    });
    const bad = await post(page(email), world.adminQ, { name: '张伟', role: 'supervisor' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('id="person-units-error">请至少选择一个所属单位');
  });

  it('deactivates after a confirmation page; a deactivated person gets no invitation', async () => {
    const confirm = await (await get(`${page(email)}/deactivate`, world.adminQ)).text();
    expect(confirm).toContain('不能再登录');
    expect(confirm).toContain('name="confirm" value="1"');
    const bare = await post(`${page(email)}/deactivate`, world.adminQ, {});
    expect(bare.headers.get('Location')).toBe(`${page(email)}/deactivate`);
    const res = await post(`${page(email)}/deactivate`, world.adminQ, { confirm: '1' });
    expect(res.status).toBe(303);
    expect(await lastPersonEvent(email, 'person.update')).toMatchObject({ detail: { before: { active: true }, after: { active: false } } });
    const html = await (await get(page(email), world.adminQ)).text();
    expect(html).not.toContain('重新发送邀请');
    expect(html).toContain('重新启用此人');
    const queued = (await invitations(email)).length;
    expect((await post(`${page(email)}/invite`, world.adminQ, { send: '1' })).status).toBe(422);
    expect((await invitations(email)).length).toBe(queued);
    expect((await post(`${page(email)}/reactivate`, world.adminQ, {})).status).toBe(303);
    expect(await lastPersonEvent(email, 'person.update')).toMatchObject({ detail: { before: { active: false }, after: { active: true } } });
  });
});

describe('POST /api/v1/admin/people/{email}/invite', () => {
  const api = (email: string, headers: Record<string, string>) =>
    request('POST', `/api/v1/admin/people/${encodeURIComponent(email)}/invite`, { headers: { 'Content-Type': 'application/json', Origin: BASE, ...headers }, body: '{}' });

  it('mails the invitation for scripts, within the caller’s scope', async () => {
    const before = (await invitations(world.emails.clerkB)).length;
    const res = await api(world.emails.clerkB, { Authorization: 'Bearer test-admin-token' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ email: world.emails.clerkB, expires_in_days: 7 });
    expect((await invitations(world.emails.clerkB)).length).toBe(before + 1);
    const outside = await api(world.emails.clerkB, { Cookie: world.adminQ });
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { error: { code: string } }).error.code).toBe('out_of_scope');
    expect((await invitations(world.emails.clerkB)).length).toBe(before + 1);
    expect((await api('nobody@nianbao.test', { Authorization: 'Bearer test-admin-token' })).status).toBe(404);
  });
});

describe('an administrator’s own page', () => {
  it('keeps them an administrator and active', async () => {
    const own = page(world.emails.adminQ);
    expect(await (await get(own, world.adminQ)).text()).not.toContain('停用此人');
    const before = await stateCounts();
    expect((await get(`${own}/deactivate`, world.adminQ)).status).toBe(409);
    expect((await post(`${own}/deactivate`, world.adminQ, { confirm: '1' })).status).toBe(409);
    const demoted = await post(own, world.adminQ, { name: '测试人员', role: 'clerk', units: 'Q' });
    expect(demoted.status).toBe(422);
    expect(await demoted.text()).toContain('id="person-role-error">不能取消您自己的管理员角色');
    expect(await stateCounts()).toEqual(before);
  });
});

