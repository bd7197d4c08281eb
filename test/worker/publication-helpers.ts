// Helpers for the publication tests: requests through the real Worker, units and imports
// through the administration API (ADMIN_TOKEN is 'test-admin-token' in vitest.config.ts).
import { env, exports } from 'cloudflare:workers';
import jintang from '../fixtures/jintang-2018.json';

export const BASE = 'https://nianbao.test';
export const TOKEN = { Authorization: 'Bearer test-admin-token' };

export const get = (path: string, headers: HeadersInit = {}) => exports.default.fetch(new Request(`${BASE}${path}`, { headers }));

export function send(method: string, path: string, body: unknown, headers: Record<string, string> = TOKEN) {
  return exports.default.fetch(
    new Request(`${BASE}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

export async function putUnit(code: string, name: string, parent: string | null = null) {
  const res = await send('PUT', `/api/v1/admin/units/${code}`, { name, parent });
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT unit ${code}: ${res.status} ${await res.text()}`);
}

export const importReport = (body: unknown, headers?: Record<string, string>) => send('POST', '/api/v1/admin/import', body, headers);

/** The reference report (金塘镇 2018, legacy-2014) as an import body. */
export function jintangBody(changes: Record<string, unknown> = {}) {
  const { unit_name: _, ...body } = jintang;
  return { ...structuredClone(body), ...changes };
}

export const JINTANG = jintang;

export const db = env.DB;
export const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).bind(...params).first<T>();

/**
 * A report that exists but was never published (a draft, or `status` submitted) with a saved
 * revision holding a number nobody should ever see (424242) and the text SECRET-DRAFT.
 */
export async function insertDraft(unitCode: string, year: number, template = 'gov-2021', status = 'draft', cell = 'applications.new.total') {
  await db.batch([
    db.prepare(`INSERT INTO reports (unit_id, year, template, status, revision) SELECT id, ?2, ?3, ?4, 1 FROM units WHERE code = ?1`).bind(unitCode, year, template, status),
    db
      .prepare(
        `INSERT INTO report_revisions (report_id, number, content_hash, sections, cells, explanations)
         SELECT r.id, 1, 'draft-hash', ?3, ?4, '{}' FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.code = ?1 AND r.year = ?2`,
      )
      .bind(unitCode, year, JSON.stringify({ overview: '草稿内容不应公开 SECRET-DRAFT', body: '草稿内容不应公开 SECRET-DRAFT' }), JSON.stringify({ [cell]: 424242 })),
    db
      .prepare(`UPDATE reports SET current_revision_id = (SELECT id FROM report_revisions WHERE report_id = reports.id) WHERE year = ?2 AND unit_id = (SELECT id FROM units WHERE code = ?1)`)
      .bind(unitCode, year),
  ]);
}

/** RFC 4180: fields split by commas, quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The values the page shows, by cell: `<td … data-cell="KEY">TEXT</td>`. */
export function pageCells(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<td[^>]*data-cell="([^"]+)"[^>]*>([^<]*)<\/td>/g)) out[m[1]!] = m[2]!;
  return out;
}

/** A CSV answer's bytes: whether they start with the UTF-8 BOM, and the text after it. */
export async function readCsv(res: Response): Promise<{ bom: boolean; rows: string[][] }> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { bom, rows: parseCsv(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? bytes.slice(3) : bytes)) };
}
