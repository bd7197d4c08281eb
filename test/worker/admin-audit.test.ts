// /app/admin/audit: every change newest first with before → after, filtered by unit subtree,
// actor, action and Beijing dates — each filter returns exactly the events the database holds
// for it — paged by (at, id) without a gap or a repeat; an administrator of a subtree sees its
// units' events and their own, nobody else sees the page.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../src/core/time';
import { request, setUpWorld, type World } from './probe-helpers';

let world: World;
const ORIGIN = { Origin: 'https://nianbao.test' };

const page = async (cookie: string, query = '') => {
  const res = await request('GET', `/app/admin/audit${query}`, { headers: { Cookie: cookie } });
  return { status: res.status, html: await res.text(), location: res.headers.get('Location') };
};
/** The events a page lists, by id, in its order. */
const ids = (html: string) => [...html.matchAll(/data-event="(\d+)"/g)].map((m) => Number(m[1]));
const expected = async (where: string, ...params: unknown[]) =>
  (await env.DB.prepare(`select id from audit_events where action <> 'report.save' and (${where}) order by at desc, id desc`).bind(...params).all<{ id: number }>()).results.map((r) => r.id);
const unitId = async (code: string) => (await env.DB.prepare('select id from units where code = ?').bind(code).first<{ id: number }>())!.id;

const putUnit = (cookie: string, code: string, body: unknown) =>
  request('PUT', `/api/v1/admin/units/${code}`, { headers: { Cookie: cookie, 'Content-Type': 'application/json', ...ORIGIN }, body: JSON.stringify(body) });

beforeAll(async () => {
  world = await setUpWorld();
  expect((await putUnit(world.admin, 'B', { name: '白泉镇人民政府', parent: 'P' })).status).toBe(200);
  expect((await putUnit(world.adminQ, 'QA', { name: '桃花镇人民政府', parent: 'Q' })).status).toBe(200);
}, 30_000);

describe('the audit log', () => {
  it('sends the anonymous to sign in and refuses clerks and supervisors', async () => {
    expect((await page('')).location).toMatch(/^\/signin\?next=/);
    expect((await page(world.clerkA)).status).toBe(403);
    expect((await page(world.supervisorP)).status).toBe(403);
  });

  it('lists every change newest first, with who, when and before → after', async () => {
    const { status, html } = await page(world.admin);
    expect(status).toBe(200);
    expect(ids(html)).toEqual((await expected('1')).slice(0, 50));
    expect(html).toContain('修改单位');
    expect(html).toContain('名称：<del>白泉镇</del> → <ins>白泉镇人民政府</ins>');
    expect(html).toContain(world.emails.admin);
    expect(html).toContain(beijingDate(Date.now()));
  });

  it('filters by unit (with its subtree), actor, action and date, exactly', async () => {
    const p = await unitId('P');
    const subtree = [p, await unitId('A'), await unitId('B')];
    expect(ids((await page(world.admin, '?unit=P')).html)).toEqual(await expected(`unit_id in (${subtree.join(',')})`));
    expect(ids((await page(world.admin, '?unit=B')).html)).toEqual(await expected('unit_id = ?', await unitId('B')));
    const byActor = await page(world.admin, `?actor=${encodeURIComponent(world.emails.adminQ)}`);
    expect(ids(byActor.html)).toEqual(await expected('actor = ?', world.emails.adminQ));
    expect(ids(byActor.html)).toHaveLength(1);
    expect(ids((await page(world.admin, '?action=person.create')).html)).toEqual(await expected("action = 'person.create'"));
    expect(ids((await page(world.admin, '?action=unit.update&unit=P')).html)).toEqual(await expected(`action = 'unit.update' and unit_id in (${subtree.join(',')})`));
    const today = beijingDate(Date.now());
    const tomorrow = beijingDate(Date.now() + 86_400_000);
    expect(ids((await page(world.admin, `?from=${today}&to=${today}`)).html).length).toBeGreaterThan(0);
    expect(ids((await page(world.admin, `?from=${tomorrow}`)).html)).toEqual([]);
    expect(ids((await page(world.admin, `?to=2020-01-01`)).html)).toEqual([]);
  });

  it('refuses a filter it cannot read with an error summary linking to the field', async () => {
    const bad = await page(world.admin, '?from=2026-02-30&unit=NOPE');
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('<a href="#audit-from">');
    expect(bad.html).toContain('<a href="#audit-unit">');
    expect(ids(bad.html)).toEqual([]);
  });

  it('pages by (at, id): 50 a page, no event twice, none left out', async () => {
    const b = await unitId('B');
    const at = Date.now() - 1000;
    // 60 events at one instant: the keyset must tell them apart by id.
    await env.DB.batch(Array.from({ length: 60 }, (_, i) => env.DB.prepare("insert into audit_events (at, actor, action, unit_id, detail) values (?, 'system', 'unit.update', ?, ?)").bind(at, b, JSON.stringify({ before: { name: `n${i}` }, after: { name: `n${i + 1}` } }))));
    const all = await expected('unit_id = ?', b);
    const first = await page(world.admin, '?unit=B');
    expect(ids(first.html)).toEqual(all.slice(0, 50));
    const older = first.html.match(/href="(\/app\/admin\/audit\?[^"]*after=[^"]+)"/)![1]!.replaceAll('&amp;', '&');
    const second = await page(world.admin, older.slice('/app/admin/audit'.length));
    expect(ids(second.html)).toEqual(all.slice(50));
  });

  it("shows an administrator of a subtree their units' events and their own, nothing of A's", async () => {
    const { status, html } = await page(world.adminQ);
    expect(status).toBe(200);
    const q = [await unitId('Q'), await unitId('QA')];
    const me = (await env.DB.prepare('select id from people where email = ?').bind(world.emails.adminQ).first<{ id: number }>())!.id;
    expect(ids(html)).toEqual(await expected(`unit_id in (${q.join(',')}) or actor_id = ?`, me));
    expect(html).toContain('桃花镇人民政府');
    expect(html).not.toContain('白泉镇');
    expect(html).not.toContain('金塘镇');
    expect(ids((await page(world.adminQ, '?unit=A')).html)).toEqual([]);
  });
});
