// Helpers the review tests share: a small tree with two supervisors of the parent unit, a clerk
// who fills a report with zeros and submits it through the drafts API, the review mail as the
// outbox holds it, and a snapshot of everything a review could change.
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { cellKeys, getTemplate, type Cells } from '../../src/core';
import { adminPut, BASE, COMPLETE_SECTIONS, sessionCookie } from './report-helpers';

export { COMPLETE_SECTIONS };

export { BASE };
export const db = env.DB;
export const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).bind(...params).first<T>();
export const all = async <T>(sql: string, ...params: unknown[]) => (await db.prepare(sql).bind(...params).all<T>()).results;

export const gov2021 = getTemplate('gov-2021')!;
/** Every cell 0: a complete report that breaks no rule. */
export const zeros = (): Cells => Object.fromEntries(cellKeys(gov2021).map((k) => [k, 0]));

export interface Sessions {
  clerk: string;
  supervisor: string;
  secondSupervisor: string;
  outsider: string;
  admin: string;
}

/**
 * ZS-DH (root) with 金塘镇 JT and 白泉镇 BQ below it; two supervisors of ZS-DH (李强, 周敏);
 * another root XS with its own supervisor (the outsider); a clerk for JT and BQ; an admin.
 */
export async function setUpTree(): Promise<Sessions> {
  for (const [code, name, parent] of [
    ['ZS-DH', '定海区人民政府', null],
    ['JT', '金塘镇', 'ZS-DH'],
    ['BQ', '白泉镇', 'ZS-DH'],
    ['XS', '西山区人民政府', null],
  ] as const) {
    expect((await adminPut(`/units/${code}`, { name, parent })).status).toBe(201);
  }
  for (const [email, name, role, units] of [
    ['wang@jt.example.cn', '王芳', 'clerk', ['JT', 'BQ']],
    ['li@dh.example.cn', '李强', 'supervisor', ['ZS-DH']],
    ['zhou@dh.example.cn', '周敏', 'supervisor', ['ZS-DH']],
    ['xu@xs.example.cn', '徐立', 'supervisor', ['XS']],
    ['chen@gov.example.cn', '陈静', 'admin', []],
  ] as const) {
    expect((await adminPut(`/people/${email}`, { name, role, units })).status).toBe(201);
  }
  return {
    clerk: await sessionCookie('wang@jt.example.cn'),
    supervisor: await sessionCookie('li@dh.example.cn'),
    secondSupervisor: await sessionCookie('zhou@dh.example.cn'),
    outsider: await sessionCookie('xu@xs.example.cn'),
    admin: await sessionCookie('chen@gov.example.cn'),
  };
}

/** Opens the year's cycle: a draft for JT and BQ. */
export async function openCycle(year: number, deadline = `${year + 1}-01-31T23:59:59+08:00`) {
  const res = await adminPut(`/cycles/${year}`, { template: 'gov-2021', deadline, reminder_days: [30, 14, 7, 3, 1, 0] });
  expect(res.status).toBe(201);
}

export function call(path: string, init: RequestInit & { cookie?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('Cookie', init.cookie);
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers, redirect: 'manual' }));
}

const json = (cookie: string, method: string, path: string, body: unknown) =>
  call(path, { method, cookie, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** A form post from our own pages (the Origin passes the CSRF check). */
export const postForm = (path: string, fields: Record<string, string>, init: { cookie?: string; headers?: Record<string, string> } = {}) =>
  call(path, {
    method: 'POST',
    ...(init.cookie ? { cookie: init.cookie } : {}),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE, ...init.headers },
    body: new URLSearchParams(fields).toString(),
  });

/** Saves the cells (on top of all zeros) and the text (on top of a complete one) and submits; returns the submitted revision number. */
export async function fillAndSubmit(clerk: string, unit: string, year: number, cells: Cells = {}, sections: Record<string, string> = {}): Promise<number> {
  const path = `/api/v1/drafts/${unit}/${year}`;
  const draft = (await (await call(path, { cookie: clerk })).json()) as { revision: number };
  const saved = await json(clerk, 'PUT', path, { revision: draft.revision, cells: { ...zeros(), ...cells }, sections: { ...COMPLETE_SECTIONS, ...sections } });
  expect(saved.status).toBe(200);
  const { revision } = (await saved.json()) as { revision: number };
  const submitted = await json(clerk, 'POST', `${path}/submit`, { revision });
  expect(submitted.status, await submitted.clone().text()).toBe(200);
  return revision;
}

export interface ReviewMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  url: string;
  /** '/review/…' */
  path: string;
  token: string;
}

/** The review-request mail of the report's latest submission, one per supervisor, by address. */
export async function reviewMails(unit: string, year: number): Promise<ReviewMail[]> {
  const rows = await all<{ to_address: string; subject: string; text_body: string; html_body: string; created_at: number }>(
    `select o.* from outbox o join reports r on r.id = o.report_id join units u on u.id = r.unit_id
     where o.kind = 'review-request' and u.code = ? and r.year = ?
       and o.created_at = (select max(created_at) from outbox where report_id = r.id and kind = 'review-request')
     order by o.to_address`,
    unit,
    year,
  );
  return rows.map((m) => {
    const url = m.text_body.match(/https:\/\/nianbao\.test\/review\/\S+/)![0];
    const path = url.slice(BASE.length);
    return { to: m.to_address, subject: m.subject, text: m.text_body, html: m.html_body, url, path, token: path.slice('/review/'.length) };
  });
}

/** The mail to `to` among them. */
export const mailTo = (mails: ReviewMail[], to: string) => mails.find((m) => m.to === to)!;

/** Everything a review could change, to prove that something changed nothing. */
export async function snapshot(unit: string, year: number) {
  const report = `(select r.id from reports r join units u on u.id = r.unit_id where u.code = '${unit}' and r.year = ${year})`;
  return {
    report: await one(`select * from reports where id = ${report}`),
    links: await all(`select * from review_links where report_id = ${report} order by nonce_hash`),
    versions: await all(`select * from report_versions where report_id = ${report}`),
    cells: await one(`select count(*) as n from published_cells where version_id in (select id from report_versions where report_id = ${report})`),
    audit: await all(`select * from audit_events where report_id = ${report} order by id`),
    outbox: await one(`select count(*) as n from outbox`),
  };
}

export const reportRow = (unit: string, year: number) =>
  one<{ id: number; status: string; revision: number; submitted_revision_id: number | null; submitted_at: number | null; return_comment: string | null; published_version: number }>(
    `select r.* from reports r join units u on u.id = r.unit_id where u.code = ? and r.year = ?`,
    unit,
    year,
  );

export const versionsOf = (unit: string, year: number) =>
  all<{ id: number; version: number; revision_id: number; published_at: number; submitted_at: number | null; on_time: number | null; reason: string | null; is_current: number; approved_by: number | null; imported: number }>(
    `select v.* from report_versions v join reports r on r.id = v.report_id join units u on u.id = r.unit_id where u.code = ? and r.year = ? order by v.version`,
    unit,
    year,
  );

export const auditsOf = (unit: string, year: number, action?: string) =>
  all<{ action: string; actor: string; actor_id: number | null; revision_id: number | null; from_status: string; to_status: string; comment: string | null; detail: string }>(
    `select a.* from audit_events a join reports r on r.id = a.report_id join units u on u.id = r.unit_id
     where u.code = ? and r.year = ? and (? is null or a.action = ?) order by a.id`,
    unit,
    year,
    action ?? null,
    action ?? null,
  );

export const personId = async (email: string) => (await one<{ id: number }>('select id from people where email = ?', email))!.id;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The token with the character at `position` changed so that its decoded bits change too (the
 * top bit of its six: changing only the low bits of a last character may decode to the same bytes).
 * A '.' (the separator) becomes an 'A'.
 */
export function flipAt(token: string, position: number): string {
  const ch = token[position]!;
  const index = BASE64URL.indexOf(ch);
  const replacement = index < 0 ? 'A' : BASE64URL[index ^ 32]!;
  return token.slice(0, position) + replacement + token.slice(position + 1);
}

/** Every `step`-th position of the token, and its first and last. */
export const samplePositions = (length: number, step: number) => [...new Set([0, ...Array.from({ length: Math.ceil(length / step) }, (_, i) => i * step), length - 1])].filter((p) => p < length);

/** A person's sessions and the sign-in tokens used so far, to prove a refused link opened none. */
export const signInState = async () => ({
  sessions: await one<{ n: number }>('select count(*) as n from sessions'),
  used: await all('select token_hash, used_at from login_tokens order by token_hash'),
  audit: await one<{ n: number }>('select count(*) as n from audit_events'),
});

/** A report of `unit` for `year` the clerk fills and submits in a cycle of its own, and the approval mail `to` got. */
export async function submittedWithMailTo(clerk: string, unit: string, year: number, to: string): Promise<ReviewMail> {
  await openCycle(year);
  await fillAndSubmit(clerk, unit, year);
  return mailTo(await reviewMails(unit, year), to);
}
