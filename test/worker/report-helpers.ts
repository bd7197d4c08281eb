// Helpers the worker tests of reports share: sign a person in, publish last year's report, ask
// the admin API. Reports are written only through the app's own routes; a session row is the
// one thing written directly, as sign-in would create it.
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { Cells } from '../../src/core';

export const BASE = 'https://nianbao.test';
export const ADMIN_TOKEN = { Authorization: 'Bearer test-admin-token' };

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** PUT to the admin API with the ADMIN_TOKEN (or other headers). */
export function adminPut(path: string, body: unknown, headers: Record<string, string> = ADMIN_TOKEN) {
  return exports.default.fetch(
    new Request(`${BASE}/api/v1/admin${path}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

/** A session row for an existing person, as sign-in would create it; returns the cookie. */
export async function sessionCookie(email: string): Promise<string> {
  const id = crypto.randomUUID();
  const now = Date.now();
  await env.DB.prepare('insert into sessions (id_hash, person_id, created_at, expires_at, last_seen_at) select ?, id, ?, ?, ? from people where email = ?')
    .bind(await sha256Hex(id), now, now + 3_600_000, now, email)
    .run();
  return `nb_session=${id}`;
}

/**
 * The unit's report of the year, published as version 1 the way an administrator imports one
 * (POST /api/v1/admin/import): the app writes the report, its revision, the version and its
 * published cells.
 */
export async function publishReport(unit: string, year: number, cells: Cells, template = 'gov-2021') {
  const res = await exports.default.fetch(
    new Request(`${BASE}/api/v1/admin/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...ADMIN_TOKEN },
      body: JSON.stringify({ unit, year, template, sections: {}, cells, published_at: '2023-11-15T06:13:20+08:00' }),
    }),
  );
  expect(res.status, await res.clone().text()).toBe(201);
}

/**
 * A gov-2021 text with every part the format asks for (issue 16's completeness checks): 五 says
 * how last year's problems were corrected, 六 whether 信息处理费 was charged.
 */
export const COMPLETE_SECTIONS = {
  overview: '本年度依法做好政府信息公开工作。',
  problems: '上年度存在的问题已整改到位。',
  other: '本年度未收取信息处理费。',
};

/** The clerk (by session cookie) fills every cell of the unit's draft with 0, writes a complete text and submits it. */
export async function submitAllZero(unit: string, year: number, cookie: string) {
  const api = `${BASE}/api/v1/drafts/${unit}/${year}`;
  const draft = (await (await exports.default.fetch(new Request(api, { headers: { Cookie: cookie } }))).json()) as { revision: number; cells: Record<string, null> };
  const cells = Object.fromEntries(Object.keys(draft.cells).map((k) => [k, 0]));
  const put = await exports.default.fetch(new Request(api, { method: 'PUT', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: JSON.stringify({ revision: draft.revision, cells, sections: COMPLETE_SECTIONS }) }));
  const { revision } = (await put.json()) as { revision: number };
  const submit = await exports.default.fetch(new Request(`${api}/submit`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: JSON.stringify({ revision }) }));
  expect(submit.status).toBe(200);
}

/** Every calendar date from `from` to `to`, both included: ['2026-01-01', '2026-01-02', …]. */
export function calendarDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * The three towns below 定海区 the reminder tests use, each with one clerk (jt@, bq@, gl@
 * example.gov.cn), and the district's supervisor sup@example.gov.cn.
 */
export async function putDinghaiTowns() {
  await adminPut('/units/ZS-DH', { name: '定海区人民政府' });
  await adminPut('/units/JT', { name: '金塘镇', parent: 'ZS-DH' });
  await adminPut('/units/BQ', { name: '白泉镇', parent: 'ZS-DH' });
  await adminPut('/units/GL', { name: '干览镇', parent: 'ZS-DH' });
  await adminPut('/people/jt@example.gov.cn', { name: '王芳', role: 'clerk', units: ['JT'] });
  await adminPut('/people/bq@example.gov.cn', { name: '陈刚', role: 'clerk', units: ['BQ'] });
  await adminPut('/people/gl@example.gov.cn', { name: '周敏', role: 'clerk', units: ['GL'] });
  await adminPut('/people/sup@example.gov.cn', { name: '李强', role: 'supervisor', units: ['ZS-DH'] });
}
