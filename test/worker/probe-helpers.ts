// Helpers the probe tests share (role matrix, fuzzing, link attacks): the app's routes read off
// its own route table, so a route added tomorrow is probed tomorrow without anyone listing it; a
// small world with a published, a submitted and a draft report holding a secret figure; the
// signed-in roles of that world; and a count of the rows a refused request must leave alone.
import { env, exports } from 'cloudflare:workers';
import { createApp } from '../../src/app';
import { openApiPath } from '../../src/http/route';
import { insertDraft } from './publication-helpers';
import { adminPut, BASE, publishReport, sessionCookie } from './report-helpers';
import { reviewMails, zeros } from './review-helpers';

export { BASE };

/** Every route the app answers, as 'METHOD /openapi/{path}' (middleware-only entries left out). */
export function appRoutes(): string[] {
  const app = createApp();
  const seen = new Set<string>();
  for (const r of app.routes) {
    // 'ALL /x/*' entries are app.use() middleware (headers, auth, the /dev gate): not routes.
    if (r.method === 'ALL') continue;
    seen.add(`${r.method} ${openApiPath(r.path)}`);
  }
  return [...seen].sort();
}

/** The figure and text only the unit's clerk, its supervisors and administrators may see. */
export const SECRET_FIGURES = ['424242', '424,242'];
export const SECRET_TEXT = 'SECRET-DRAFT';

/** Which body of a response gives the secret away, if any. */
export function leakedSecret(body: string): string | undefined {
  return [...SECRET_FIGURES, SECRET_TEXT].find((s) => body.includes(s));
}

export const PUBLISHED_YEAR = 2022;
export const SUBMITTED_YEAR = 2023;
export const DRAFT_YEAR = 2024;

export interface World {
  /** Session cookies by person. */
  clerkA: string;
  clerkB: string;
  supervisorP: string;
  supervisorQ: string;
  admin: string;
  /** An administrator of Q's subtree only. */
  adminQ: string;
  /** The approval link's token mailed to P's supervisor for A's submitted report. */
  reviewToken: string;
  emails: { clerkA: string; clerkB: string; supervisorP: string; supervisorQ: string; admin: string; adminQ: string };
}

/**
 * ROOT with two subtrees: P (supervisor sup.p@) with units A (clerk.a@) and B (clerk.b@), and Q
 * (supervisor sup.q@) with unit QA; an administrator of everything, admin@, and one of Q's
 * subtree only, admin.q@. For A: the 2022 report published,
 * the 2023 report submitted and the 2024 report a draft, both holding 424242 and SECRET-DRAFT.
 */
export async function setUpWorld(): Promise<World> {
  for (const [code, name, parent] of [
    ['ROOT', '舟山市人民政府', null],
    ['P', '定海区人民政府', 'ROOT'],
    ['A', '金塘镇', 'P'],
    ['B', '白泉镇', 'P'],
    ['Q', '普陀区人民政府', 'ROOT'],
    ['QA', '桃花镇', 'Q'],
  ] as const) {
    const res = await adminPut(`/units/${code}`, { name, parent });
    if (res.status !== 201) throw new Error(`PUT unit ${code}: ${res.status}`);
  }
  const emails = {
    // insertDraft() signs in clerk.a@nianbao.test as A's clerk.
    clerkA: 'clerk.a@nianbao.test',
    clerkB: 'clerk.b@nianbao.test',
    supervisorP: 'sup.p@nianbao.test',
    supervisorQ: 'sup.q@nianbao.test',
    admin: 'admin@nianbao.test',
    adminQ: 'admin.q@nianbao.test',
  };
  for (const [email, role, units] of [
    [emails.clerkA, 'clerk', ['A']],
    [emails.clerkB, 'clerk', ['B']],
    [emails.supervisorP, 'supervisor', ['P']],
    [emails.supervisorQ, 'supervisor', ['Q']],
    [emails.admin, 'admin', []],
    [emails.adminQ, 'admin', ['Q']],
  ] as const) {
    const res = await adminPut(`/people/${email}`, { name: '测试人员', role, units });
    if (res.status !== 201) throw new Error(`PUT person ${email}: ${res.status}`);
  }
  await publishReport('A', PUBLISHED_YEAR, zeros());
  await insertDraft('A', SUBMITTED_YEAR, 'gov-2021', 'submitted');
  await insertDraft('A', DRAFT_YEAR, 'gov-2021', 'draft');
  const mail = (await reviewMails('A', SUBMITTED_YEAR)).find((m) => m.to === emails.supervisorP);
  if (!mail) throw new Error('no review mail to P’s supervisor');
  return {
    clerkA: await sessionCookie(emails.clerkA),
    clerkB: await sessionCookie(emails.clerkB),
    supervisorP: await sessionCookie(emails.supervisorP),
    supervisorQ: await sessionCookie(emails.supervisorQ),
    admin: await sessionCookie(emails.admin),
    adminQ: await sessionCookie(emails.adminQ),
    reviewToken: mail.token,
    emails,
  };
}

/** A request through the real Worker; redirects are answers, not followed. */
export function request(method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit | null } = {}) {
  const hasBody = init.body !== undefined && init.body !== null && method !== 'GET' && method !== 'HEAD';
  return exports.default.fetch(
    new Request(`${BASE}${path}`, { method, headers: init.headers ?? {}, ...(hasBody ? { body: init.body } : {}), redirect: 'manual' }),
  );
}

const TABLES = ['units', 'people', 'memberships', 'cycles', 'reports', 'report_revisions', 'report_versions', 'published_cells', 'rollup_cells', 'rollup_counts', 'review_links', 'audit_events', 'outbox', 'login_tokens'];

/** The row count of every table a write could touch, and the reports' revisions and statuses: equal before and after a refused request. One statement: it runs around every fuzzed write. */
export async function stateCounts(): Promise<Record<string, unknown>> {
  const counts = TABLES.map((t) => `(select count(*) from ${t}) as ${t}`).join(', ');
  return (await env.DB.prepare(`select ${counts}, (select coalesce(sum(revision), 0) || ':' || coalesce(group_concat(status), '') from reports) as reports_state`).first())!;
}
