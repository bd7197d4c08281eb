// Helpers for the publication tests: requests through the real Worker, units, cycles, people and
// imports through the administration API (ADMIN_TOKEN is 'test-admin-token' in vitest.config.ts),
// drafts through the clerk's drafts API: every report row is written by the app.
import { env, exports } from 'cloudflare:workers';
import jintang from '../fixtures/jintang-2018.json';
import { sessionCookie } from './report-helpers';

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

/** A number nobody should ever see in public, and a text. */
const SECRET = 424242;
const SECRET_TEXT = '草稿内容不应公开 SECRET-DRAFT';

/** The year's cycle expects the unit too (opened with `template` if the year has none yet). */
async function expectUnit(unitCode: string, year: number, template: string) {
  const cycle = await one<{ template: string }>('SELECT template FROM cycles WHERE year = ?', year);
  if (cycle && cycle.template !== template) throw new Error(`the ${year} cycle uses ${cycle.template}, not ${template}`);
  const expected = await db.prepare('SELECT u.code FROM reports r JOIN units u ON u.id = r.unit_id WHERE r.year = ? AND r.expected = 1').bind(year).all<{ code: string }>();
  const units = [...expected.results.map((r) => r.code), unitCode];
  const res = await send('PUT', `/api/v1/admin/cycles/${year}`, cycle ? { units } : { template, units });
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT cycle ${year}: ${res.status} ${await res.text()}`);
}

/** A clerk of the unit (created through the administration API), signed in. */
async function clerkOf(unitCode: string): Promise<string> {
  const email = `clerk.${unitCode.toLowerCase()}@nianbao.test`;
  const res = await send('PUT', `/api/v1/admin/people/${email}`, { name: '填报人', role: 'clerk', units: [unitCode] });
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT person ${email}: ${res.status} ${await res.text()}`);
  return sessionCookie(email);
}

type Draft = { revision: number; sections: Record<string, string>; cells: Record<string, number | null>; issues: { rule: string; severity: string }[] };

/** The clerk saves the cells, and SECRET_TEXT in every section, through the drafts API. */
async function saveSecretDraft(cookie: string, unitCode: string, year: number, cells: (draft: Draft) => Record<string, number | null>) {
  const path = `/api/v1/drafts/${unitCode}/${year}`;
  const draft = (await (await get(path, { Cookie: cookie })).json()) as Draft;
  const sections = Object.fromEntries(Object.keys(draft.sections).map((k) => [k, SECRET_TEXT]));
  const res = await send('PUT', path, { revision: draft.revision, sections, cells: cells(draft) }, { Cookie: cookie });
  if (res.status !== 200) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { revision: number; issues: Draft['issues'] };
}

/**
 * A report that exists but was never published, as the app leaves one: the year's cycle expects
 * the unit, and its clerk saved a draft holding a number nobody should ever see (424242) and the
 * text SECRET-DRAFT in every section; with status 'submitted', a complete one (every other cell
 * 0, warnings explained) submitted for review. The number goes in `cell`, or by default there are
 * 424242 new applications, all disclosed: the report balances and its total shows the number too.
 */
export async function insertDraft(unitCode: string, year: number, template = 'gov-2021', status: 'draft' | 'submitted' = 'draft', cell?: string) {
  const secretCells = cell ? { [cell]: SECRET } : { 'applications.new.natural': SECRET, 'applications.disclosed.natural': SECRET };
  await expectUnit(unitCode, year, template);
  const clerk = await clerkOf(unitCode);
  const complete = status === 'submitted';
  let saved = await saveSecretDraft(clerk, unitCode, year, (draft) => ({
    ...(complete ? Object.fromEntries(Object.keys(draft.cells).map((k) => [k, 0])) : {}),
    ...secretCells,
  }));
  if (!complete) return;
  const warnings = saved.issues.filter((i) => i.severity === 'warning');
  if (warnings.length) {
    const res = await send('PUT', `/api/v1/drafts/${unitCode}/${year}`, { revision: saved.revision, explanations: Object.fromEntries(warnings.map((w) => [w.rule, SECRET_TEXT])) }, { Cookie: clerk });
    saved = (await res.json()) as typeof saved;
  }
  let res = await send('POST', `/api/v1/drafts/${unitCode}/${year}/submit`, { revision: saved.revision }, { Cookie: clerk });
  // The checks on the text are made at submission (issue 16): explain what the refusal names, as a clerk would.
  if (res.status === 422) {
    const refusal = (await res.json()) as { error: { code: string; details: { rule?: string }[] } };
    if (refusal.error.code !== 'unexplained_warnings') throw new Error(`submit ${unitCode} ${year}: 422 ${JSON.stringify(refusal)}`);
    const explanations = Object.fromEntries(refusal.error.details.flatMap((d) => (d.rule ? [[d.rule, SECRET_TEXT]] : [])));
    saved = (await (await send('PUT', `/api/v1/drafts/${unitCode}/${year}`, { revision: saved.revision, explanations }, { Cookie: clerk })).json()) as typeof saved;
    res = await send('POST', `/api/v1/drafts/${unitCode}/${year}/submit`, { revision: saved.revision }, { Cookie: clerk });
  }
  if (res.status !== 200) throw new Error(`submit ${unitCode} ${year}: ${res.status} ${await res.text()}`);
}

/**
 * The unit's published report reopened for a correction (the administration API), and its clerk's
 * draft of the correction saved with 424242 in `cell` and SECRET-DRAFT in every section: a
 * correction nobody has approved yet.
 */
export async function reopenWithSecretDraft(unitCode: string, year: number, cell: string) {
  const res = await send('POST', `/api/v1/admin/reports/${unitCode}/${year}/reopen`, { reason: '更正草稿' });
  if (res.status !== 200) throw new Error(`reopen ${unitCode} ${year}: ${res.status} ${await res.text()}`);
  await saveSecretDraft(await clerkOf(unitCode), unitCode, year, () => ({ [cell]: SECRET }));
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
