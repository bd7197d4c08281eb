// Helpers the worker tests of reports share: sign a person in, publish last year's report, ask
// the admin API. They write the rows the way the app (or scripts/seed.mjs) would.
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { canonicalJson, type Cells } from '../../src/core';

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

/** A report of the unit, published as version 1 the way scripts/seed.mjs stores an import. */
export async function publishReport(unit: string, year: number, cells: Cells, template = 'gov-2021') {
  const db = env.DB;
  const content = { sections: {}, cells, explanations: {} };
  const report = `(select r.id from reports r join units u on u.id = r.unit_id where u.code = ?1 and r.year = ?2)`;
  await db.batch([
    db
      .prepare(`insert into reports (unit_id, year, template, status, imported, revision, published_version) select id, ?2, ?3, 'published', 1, 1, 1 from units where code = ?1`)
      .bind(unit, year, template),
    db
      .prepare(`insert into report_revisions (report_id, number, content_hash, sections, cells, explanations) values (${report}, 1, ?3, '{}', ?4, '{}')`)
      .bind(unit, year, await sha256Hex(canonicalJson(content)), JSON.stringify(cells)),
    db
      .prepare(`update reports set current_revision_id = (select id from report_revisions where report_id = reports.id and number = 1) where id = ${report}`)
      .bind(unit, year),
    db
      .prepare(
        `insert into report_versions (report_id, version, revision_id, published_at, imported, is_current)
         select id, 1, current_revision_id, 1700000000000, 1, 1 from reports where id = ${report}`,
      )
      .bind(unit, year),
  ]);
}

/** The clerk (by session cookie) fills every cell of the unit's draft with 0 and submits it. */
export async function submitAllZero(unit: string, year: number, cookie: string) {
  const api = `${BASE}/api/v1/drafts/${unit}/${year}`;
  const draft = (await (await exports.default.fetch(new Request(api, { headers: { Cookie: cookie } }))).json()) as { revision: number; cells: Record<string, null> };
  const cells = Object.fromEntries(Object.keys(draft.cells).map((k) => [k, 0]));
  const put = await exports.default.fetch(new Request(api, { method: 'PUT', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: JSON.stringify({ revision: draft.revision, cells }) }));
  const { revision } = (await put.json()) as { revision: number };
  const submit = await exports.default.fetch(new Request(`${api}/submit`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: JSON.stringify({ revision }) }));
  expect(submit.status).toBe(200);
}
