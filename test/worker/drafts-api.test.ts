// The drafts API through the real Worker and its D1 (api.md "Clerk"): a unit's clerks read, save
// and submit its draft; every save is a new revision with a content hash and an audit event,
// written only when based on the current revision; totals are computed, never typed; submission
// waits for every error to be fixed and every warning explained.
import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionOf } from './fault-helpers';
import { createApp } from '../../src/app';
import { canonicalJson, cellKeys, getTemplate, type Cells } from '../../src/core';
import { adminPut as admin, BASE, publishReport as publish, sessionCookie, sha256Hex } from './report-helpers';
import { COMPLETE_SECTIONS, postForm, reviewMails } from './review-helpers';

const gov2021 = getTemplate('gov-2021')!;

type Issue = { rule: string; severity: 'error' | 'warning'; cells: string[]; message: string };
type Draft = {
  unit: string;
  year: number;
  status: string;
  revision: number;
  template: string;
  deadline: string | null;
  sections: Record<string, string>;
  cells: Cells;
  explanations: Record<string, string>;
  issues: Issue[];
  comment?: string;
};
type Saved = { status: string; revision: number; issues: Issue[]; cells: Cells };
type ErrorBody = {
  error: { code: string; message: string; details: { field: string; message: string; rule?: string; severity?: string }[] };
  current?: Pick<Draft, 'status' | 'revision' | 'sections' | 'cells' | 'explanations'>;
};

const db = env.DB;
const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).bind(...params).first<T>();
const all = async <T>(sql: string, ...params: unknown[]) => (await db.prepare(sql).bind(...params).all<T>()).results;

function request(method: string, path: string, { cookie, body, headers = {} }: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return new Request(`${BASE}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(cookie ? { Cookie: cookie } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}
const call = (method: string, path: string, options?: Parameters<typeof request>[2]) => exports.default.fetch(request(method, path, options));

const draftPath = (unit: string, year: number) => `/api/v1/drafts/${unit}/${year}`;
const getDraft = (cookie: string, unit: string, year: number, headers?: Record<string, string>) =>
  call('GET', draftPath(unit, year), { cookie, ...(headers ? { headers } : {}) });
const putDraft = (cookie: string, unit: string, year: number, body: unknown, headers?: Record<string, string>) =>
  call('PUT', draftPath(unit, year), { cookie, body, ...(headers ? { headers } : {}) });
const submit = (cookie: string, unit: string, year: number, body: unknown, headers?: Record<string, string>) =>
  call('POST', `${draftPath(unit, year)}/submit`, { cookie, body, ...(headers ? { headers } : {}) });

async function readDraft(cookie: string, unit: string, year: number): Promise<Draft> {
  const res = await getDraft(cookie, unit, year);
  expect(res.status).toBe(200);
  return (await res.json()) as Draft;
}

async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(Array.isArray(body.error.details)).toBe(true);
  return body;
}

/** The year's cycle opened for the unit alone: its empty draft (revision 0). */
async function openDraft(unit: string, year: number) {
  expect((await admin(`/cycles/${year}`, { template: 'gov-2021', units: [unit] })).status).toBe(201);
}

/** Every cell 0: a complete report that breaks no rule. */
const zeros = (): Cells => Object.fromEntries(cellKeys(gov2021).map((k) => [k, 0]));

const revisionsOf = (unit: string, year: number) =>
  all<{ id: number; number: number; content_hash: string; sections: string; cells: string; explanations: string; author_id: number | null }>(
    `select rr.* from report_revisions rr join reports r on r.id = rr.report_id join units u on u.id = r.unit_id
     where u.code = ? and r.year = ? order by rr.number`,
    unit,
    year,
  );
/** The report's audit events after the cycle created it (its 'report.create' left out). */
const auditsOf = (unit: string, year: number) =>
  all<{ action: string; actor: string; actor_id: number | null; revision_id: number | null; from_status: string; to_status: string; detail: string }>(
    `select a.* from audit_events a join reports r on r.id = a.report_id join units u on u.id = r.unit_id
     where u.code = ? and r.year = ? and a.action <> 'report.create' order by a.id`,
    unit,
    year,
  );
const reportRow = (unit: string, year: number) =>
  one<{ id: number; status: string; revision: number; current_revision_id: number | null; submitted_revision_id: number | null; submitted_at: number | null; return_comment: string | null }>(
    `select r.* from reports r join units u on u.id = r.unit_id where u.code = ? and r.year = ?`,
    unit,
    year,
  );

let clerk: string;
let otherClerk: string;
let supervisor: string;

beforeAll(async () => {
  for (const [code, name, parent] of [
    ['ZS-DH', '定海区人民政府', null],
    ['JT', '金塘镇', 'ZS-DH'],
    ['BQ', '白泉镇', 'ZS-DH'],
  ] as const) {
    expect((await admin(`/units/${code}`, { name, parent })).status).toBe(201);
  }
  for (const [email, name, role, units] of [
    ['wang@jt.example.cn', '王芳', 'clerk', ['JT']],
    ['zhao@bq.example.cn', '赵强', 'clerk', ['BQ']],
    ['li@dh.example.cn', '李明', 'supervisor', ['ZS-DH']],
  ] as const) {
    expect((await admin(`/people/${email}`, { name, role, units })).status).toBe(201);
  }
  clerk = await sessionCookie('wang@jt.example.cn');
  otherClerk = await sessionCookie('zhao@bq.example.cn');
  supervisor = await sessionCookie('li@dh.example.cn');
  expect((await admin('/cycles/2025', { template: 'gov-2021', deadline: '2026-01-31T23:59:59+08:00', units: ['JT', 'BQ'] })).status).toBe(201);
});

describe('GET /api/v1/drafts/{unit}/{year}', () => {
  it('gives the empty draft: every section and cell, blanks as null, the deadline in Beijing time, no-store', async () => {
    const res = await getDraft(clerk, 'JT', 2025);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const draft = (await res.json()) as Draft;
    expect(draft).toMatchObject({ unit: 'JT', year: 2025, status: 'draft', revision: 0, template: 'gov-2021', deadline: '2026-01-31T23:59:59+08:00', explanations: {}, issues: [] });
    expect(draft.sections).toEqual({ overview: '', problems: '', other: '' });
    expect(Object.keys(draft.cells)).toEqual(cellKeys(gov2021));
    expect(Object.values(draft.cells).every((v) => v === null)).toBe(true);
    expect(draft).not.toHaveProperty('comment');
  });

  it('answers 404 in the error shape when the unit has no report that year, or the year is not one', async () => {
    const missing = await expectError(await getDraft(clerk, 'JT', 2019), 404, 'no_report');
    expect(missing.error.message).toContain('金塘镇');
    await expectError(await getDraft(clerk, 'JT', 'abc' as unknown as number), 404, 'no_report');
    await expectError(await getDraft(clerk, 'NOPE', 2025), 404, 'unknown_unit');
  });

  it('lets the supervisor of the parent unit read it, but not a clerk of another unit or nobody', async () => {
    expect((await getDraft(supervisor, 'JT', 2025)).status).toBe(200);
    await expectError(await getDraft(otherClerk, 'JT', 2025), 403, 'forbidden');
    await expectError(await call('GET', draftPath('JT', 2025)), 401, 'unauthorized');
  });
});

describe('PUT /api/v1/drafts/{unit}/{year}', () => {
  it('saves on the right revision: a new revision with its content hash, by its author, and an audit event', async () => {
    await openDraft('JT', 2031);
    const res = await putDraft(clerk, 'JT', 2031, { revision: 0, sections: { overview: '金塘镇全年主动公开信息。' }, cells: { 'licensing.licensing.decisions': 12 } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const saved = (await res.json()) as Saved;
    expect(saved).toMatchObject({ status: 'draft', revision: 1 });

    const draft = await readDraft(clerk, 'JT', 2031);
    expect(draft.revision).toBe(1);
    expect(draft.sections.overview).toBe('金塘镇全年主动公开信息。');
    expect(draft.cells['licensing.licensing.decisions']).toBe(12);

    const [revision] = await revisionsOf('JT', 2031);
    const content = { sections: JSON.parse(revision!.sections), cells: JSON.parse(revision!.cells), explanations: JSON.parse(revision!.explanations) };
    expect(content.sections).toEqual(draft.sections);
    expect(content.cells).toEqual(draft.cells);
    expect(revision!.content_hash).toBe(await sha256Hex(canonicalJson(content)));
    const wang = await one<{ id: number }>('select id from people where email = ?', 'wang@jt.example.cn');
    expect(revision!.author_id).toBe(wang!.id);

    const report = await reportRow('JT', 2031);
    expect(report).toMatchObject({ revision: 1, current_revision_id: revision!.id, status: 'draft' });
    const audits = await auditsOf('JT', 2031);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: 'report.save', actor: 'wang@jt.example.cn', actor_id: wang!.id, revision_id: revision!.id, from_status: 'draft', to_status: 'draft' });
    expect(JSON.parse(audits[0]!.detail)).toEqual({ revision: 1, content_hash: revision!.content_hash });
  });

  it('makes every save a new revision with its own hash and audit row; an identical save writes nothing', async () => {
    await openDraft('JT', 2032);
    expect((await putDraft(clerk, 'JT', 2032, { revision: 0, cells: { 'fees.fees.amount': 1.5 } })).status).toBe(200);
    expect((await putDraft(clerk, 'JT', 2032, { revision: 1, cells: { 'fees.fees.amount': 4166.241619 } })).status).toBe(200);
    const again = await putDraft(clerk, 'JT', 2032, { revision: 2, cells: { 'fees.fees.amount': 4166.241619 } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Saved).revision).toBe(2);

    const revisions = await revisionsOf('JT', 2032);
    expect(revisions.map((r) => r.number)).toEqual([1, 2]);
    expect(new Set(revisions.map((r) => r.content_hash)).size).toBe(2);
    expect(revisions.every((r) => /^[0-9a-f]{64}$/.test(r.content_hash))).toBe(true);
    const audits = await auditsOf('JT', 2032);
    expect(audits.map((a) => [a.action, a.revision_id])).toEqual(revisions.map((r) => ['report.save', r.id]));
  });

  it('refuses a stale revision with 409 and the current content, writing nothing', async () => {
    await openDraft('JT', 2033);
    expect((await putDraft(clerk, 'JT', 2033, { revision: 0, cells: { 'applications.new.natural': 3 }, sections: { problems: '人手不足' } })).status).toBe(200);
    const before = { revisions: await revisionsOf('JT', 2033), audits: await auditsOf('JT', 2033), report: await reportRow('JT', 2033) };

    const res = await putDraft(clerk, 'JT', 2033, { revision: 0, cells: { 'applications.new.natural': 5 } });
    const body = await expectError(res, 409, 'stale_revision');
    expect(body.current).toMatchObject({ status: 'draft', revision: 1, sections: { overview: '', problems: '人手不足', other: '' }, explanations: {} });
    expect(body.current!.cells['applications.new.natural']).toBe(3);
    expect(Object.keys(body.current!.cells)).toHaveLength(cellKeys(gov2021).length);
    expect({ revisions: await revisionsOf('JT', 2033), audits: await auditsOf('JT', 2033), report: await reportRow('JT', 2033) }).toEqual(before);

    const english = await expectError(
      await putDraft(clerk, 'JT', 2033, { revision: 7, cells: { 'applications.new.natural': 6 } }, { 'Accept-Language': 'en' }),
      409,
      'stale_revision',
    );
    expect(english.error.message).toMatch(/revision 1/);
  });

  it('answers a retried save whose changes are already saved with 200 and the current revision, writing nothing', async () => {
    await openDraft('JT', 2047);
    const save = { revision: 0, cells: { 'licensing.licensing.decisions': 4 }, sections: { overview: '概述' } };
    expect((await putDraft(clerk, 'JT', 2047, save)).status).toBe(200);
    const before = { revisions: await revisionsOf('JT', 2047), audits: await auditsOf('JT', 2047) };
    const retry = await putDraft(clerk, 'JT', 2047, save);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ revision: 1, status: 'draft' });
    expect({ revisions: await revisionsOf('JT', 2047), audits: await auditsOf('JT', 2047) }).toEqual(before);
  });

  it('names malformed input with a 422 and never stores it', async () => {
    await openDraft('JT', 2034);
    const cases: [unknown, string, string][] = [
      [{ revision: 0, cells: { 'applications.new.natural': '3' } }, 'invalid_input', 'cells.applications.new.natural'],
      [{ revision: 0, cells: { 'applications.new.nobody': 3 } }, 'unknown_cell', 'cells.applications.new.nobody'],
      [{ revision: 0, cells: [1, 2] }, 'invalid_input', 'cells'],
      [{ revision: 0, cells: { 'fees.fees.amount': 1e16 } }, 'invalid_input', 'cells.fees.fees.amount'],
      [{ revision: 0, sections: { summary: '总结' } }, 'unknown_section', 'sections.summary'],
      [{ revision: 0, sections: { overview: 'x'.repeat(20_001) } }, 'invalid_input', 'sections.overview'],
      [{ revision: 0, sections: { overview: 1 } }, 'invalid_input', 'sections.overview'],
      [{ revision: 0, explanations: { no_such_rule: '说明' } }, 'unknown_rule', 'explanations.no_such_rule'],
      [{ revision: 0, explanations: { carry_over: 'x'.repeat(2_001) } }, 'invalid_input', 'explanations.carry_over'],
      [{ revision: -1 }, 'invalid_input', 'revision'],
      [{ revision: 1.5 }, 'invalid_input', 'revision'],
      [{ revision: '0' }, 'invalid_input', 'revision'],
      [{ cells: {} }, 'invalid_input', 'revision'],
      [[{ revision: 0 }], 'invalid_input', ''],
    ];
    for (const [body, code, field] of cases) {
      const error = await expectError(await putDraft(clerk, 'JT', 2034, body), 422, code);
      expect(error.error.details.map((d) => d.field)).toContain(field);
    }
    await expectError(await putDraft(clerk, 'JT', 2034, '{"revision": 0,'), 400, 'malformed_json');
    expect(await revisionsOf('JT', 2034)).toEqual([]);

    const zh = await expectError(await putDraft(clerk, 'JT', 2034, { revision: 0, cells: { 'applications.new.natural': 'abc' } }), 422, 'invalid_input');
    expect(zh.error.details[0]!.message).toContain('cells.applications.new.natural应为数字');
    const en = await expectError(
      await putDraft(clerk, 'JT', 2034, { revision: 0, cells: { 'x.y.z': 1 } }, { 'Accept-Language': 'en' }),
      422,
      'unknown_cell',
    );
    expect(en.error.message).toBe('Template gov-2021 has no such cells: x.y.z.');
  });

  it('is refused to a clerk of another unit and to a supervisor (403), and to nobody (401)', async () => {
    await expectError(await putDraft(otherClerk, 'JT', 2025, { revision: 0, cells: { 'applications.new.natural': 1 } }), 403, 'forbidden');
    await expectError(await putDraft(supervisor, 'JT', 2025, { revision: 0, cells: { 'applications.new.natural': 1 } }), 403, 'forbidden');
    await expectError(await call('PUT', draftPath('JT', 2025), { body: { revision: 0 } }), 401, 'unauthorized');
    expect((await readDraft(clerk, 'JT', 2025)).revision).toBe(0);
  });

  it('derives the totals from the items: sent items only, the totals are stored and shown; typed totals are overridden', async () => {
    await openDraft('JT', 2035);
    const res = await putDraft(clerk, 'JT', 2035, {
      revision: 0,
      cells: {
        'applications.new.natural': 4,
        'applications.new.business': 2,
        'applications.disclosed.natural': 3,
        'appeals.review.upheld': 1,
        'appeals.review.pending': 2,
        'appeals.suit_direct.total': 99, // a typed total whose items are blank
      },
    });
    expect(res.status).toBe(200);
    const saved = (await res.json()) as Saved;
    expect(saved.cells).toMatchObject({
      'applications.new.total': 6,
      'applications.disclosed.total': 3,
      'applications.results_total.natural': 3,
      'applications.results_total.total': 3,
      'appeals.review.total': 3,
      'appeals.suit_direct.total': null,
      'applications.carried_in.total': null,
    });
    expect(saved.cells).not.toHaveProperty('applications.new.natural');
    const draft = await readDraft(clerk, 'JT', 2035);
    expect(draft.cells).toMatchObject({ 'applications.new.total': 6, 'applications.results_total.total': 3, 'appeals.review.total': 3, 'appeals.suit_direct.total': null });

    // Blanking the last item blanks its total.
    const blanked = await putDraft(clerk, 'JT', 2035, { revision: 1, cells: { 'appeals.review.upheld': null, 'appeals.review.pending': null } });
    expect(((await blanked.json()) as Saved).cells['appeals.review.total']).toBeNull();
    expect((await readDraft(clerk, 'JT', 2035)).cells['appeals.review.total']).toBeNull();
  });

  it('keeps what a partial PUT does not mention', async () => {
    await openDraft('JT', 2036);
    await putDraft(clerk, 'JT', 2036, { revision: 0, sections: { overview: '概述', other: '其他' }, cells: { 'enforcement.penalty.decisions': 8, 'enforcement.coercion.decisions': 1 } });
    expect((await putDraft(clerk, 'JT', 2036, { revision: 1, cells: { 'enforcement.coercion.decisions': 2 } })).status).toBe(200);
    expect((await putDraft(clerk, 'JT', 2036, { revision: 2, sections: { other: '' } })).status).toBe(200);
    const draft = await readDraft(clerk, 'JT', 2036);
    expect(draft.revision).toBe(3);
    expect(draft.sections).toEqual({ overview: '概述', problems: '', other: '' });
    expect(draft.cells['enforcement.penalty.decisions']).toBe(8);
    expect(draft.cells['enforcement.coercion.decisions']).toBe(2);
  });

  it('lets exactly one of two concurrent saves on the same revision win', async () => {
    await openDraft('JT', 2037);
    const [a, b] = await Promise.all([
      putDraft(clerk, 'JT', 2037, { revision: 0, cells: { 'licensing.licensing.decisions': 1 } }),
      putDraft(clerk, 'JT', 2037, { revision: 0, cells: { 'licensing.licensing.decisions': 2 } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await revisionsOf('JT', 2037)).toHaveLength(1);
    expect(await auditsOf('JT', 2037)).toHaveLength(1);
  });

  it('lets exactly one win when the other reads first and writes last (the guarded batch decides)', async () => {
    await openDraft('JT', 2038);
    // Ours loads revision 0, then theirs saves revision 1 from start to finish, then ours writes.
    let theirs: Response | undefined;
    const racingDb = new Proxy(env.DB, {
      get(target, property) {
        if (property === 'withSession') return sessionOf(racingDb);
        if (property === 'batch') {
          return async (statements: D1PreparedStatement[]) => {
            theirs ??= await putDraft(clerk, 'JT', 2038, { revision: 0, cells: { 'licensing.licensing.decisions': 2 } });
            return target.batch(statements);
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const ours = await createApp().fetch(
      request('PUT', draftPath('JT', 2038), { cookie: clerk, body: { revision: 0, cells: { 'licensing.licensing.decisions': 1 } } }),
      { ...env, DB: racingDb },
      createExecutionContext(),
    );
    expect(theirs!.status).toBe(200);
    const body = await expectError(ours, 409, 'stale_revision');
    expect(body.current).toMatchObject({ revision: 1 });
    expect(body.current!.cells['licensing.licensing.decisions']).toBe(2);
    expect(await revisionsOf('JT', 2038)).toHaveLength(1);
    expect(await auditsOf('JT', 2038)).toHaveLength(1);
  });

  it('turns a returned report back into a draft on save, the supervisor’s comment still shown', async () => {
    await openDraft('JT', 2039);
    await putDraft(clerk, 'JT', 2039, { revision: 0, cells: zeros(), sections: COMPLETE_SECTIONS });
    // Submitted, and returned by the supervisor from the link in his mail.
    expect((await submit(clerk, 'JT', 2039, { revision: 1 })).status).toBe(200);
    const [mail] = await reviewMails('JT', 2039);
    expect((await postForm(mail!.path, { decision: 'return', comment: '第三项结转数有误，请核对。' })).status).toBe(200);
    const returned = await readDraft(clerk, 'JT', 2039);
    expect(returned).toMatchObject({ status: 'returned', comment: '第三项结转数有误，请核对。' });

    const res = await putDraft(clerk, 'JT', 2039, { revision: 1, cells: { 'applications.carried_in.natural': 1, 'applications.carried_out.natural': 1 } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Saved).status).toBe('draft');
    expect(await readDraft(clerk, 'JT', 2039)).toMatchObject({ status: 'draft', revision: 2, comment: '第三项结转数有误，请核对。' });
    expect((await auditsOf('JT', 2039)).at(-1)).toMatchObject({ action: 'report.save', from_status: 'returned', to_status: 'draft' });

    // Submitting clears the comment.
    expect((await submit(clerk, 'JT', 2039, { revision: 2 })).status).toBe(200);
    expect(await readDraft(clerk, 'JT', 2039)).not.toHaveProperty('comment');
  });
});

describe('POST /api/v1/drafts/{unit}/{year}/submit', () => {
  it('refuses a report with errors with 422 listing them, and changes nothing', async () => {
    await openDraft('JT', 2040);
    await putDraft(clerk, 'JT', 2040, { revision: 0, cells: { ...zeros(), 'applications.new.natural': 5 } });
    const before = await reportRow('JT', 2040);
    const body = await expectError(await submit(clerk, 'JT', 2040, { revision: 1 }), 422, 'rule_errors');
    expect(body.error.message).toBe('还有 2 处错误需要更正。');
    expect(body.error.details.map((d) => [d.rule, d.severity, d.field])).toEqual([
      ['app_balance', 'error', 'cells.applications.new.natural'],
      ['app_balance', 'error', 'cells.applications.new.total'],
    ]);
    expect(await reportRow('JT', 2040)).toEqual(before);

    // Blank cells are errors at submission.
    await openDraft('JT', 2041);
    await putDraft(clerk, 'JT', 2041, { revision: 0, cells: { 'licensing.licensing.decisions': 1 } });
    const blanks = await expectError(await submit(clerk, 'JT', 2041, { revision: 1 }, { 'Accept-Language': 'en' }), 422, 'rule_errors');
    expect(blanks.error.details.every((d) => d.rule === 'filled')).toBe(true);
    expect(blanks.error.details[0]!.message).toMatch(/is blank/);
  });

  it('wants every warning explained: 422 naming the explanation, then 200 once it is given', async () => {
    // Last year 金塘镇 carried 2 applications over (imported after this year's cycle opened, so
    // nothing was pre-filled); this year's draft says none came in.
    await openDraft('JT', 2044);
    await publish('JT', 2043, { 'applications.carried_out.natural': 2, 'applications.carried_out.total': 2 });
    await putDraft(clerk, 'JT', 2044, { revision: 0, cells: zeros(), sections: COMPLETE_SECTIONS });
    const draft = await readDraft(clerk, 'JT', 2044);
    expect(draft.issues.map((i) => [i.rule, i.severity])).toEqual([
      ['carry_over', 'warning'],
      ['carry_over', 'warning'],
    ]);

    const body = await expectError(await submit(clerk, 'JT', 2044, { revision: 1 }), 422, 'unexplained_warnings');
    expect(body.error.message).toBe('还有 1 项提示需要填写说明。');
    expect(body.error.details.map((d) => [d.rule, d.field])).toEqual([
      ['carry_over', 'explanations.carry_over'],
      ['carry_over', 'explanations.carry_over'],
    ]);

    expect((await putDraft(clerk, 'JT', 2044, { revision: 1, explanations: { carry_over: '上年结转的 2 件已由申请人撤回。' } })).status).toBe(200);
    const res = await submit(clerk, 'JT', 2044, { revision: 2 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'submitted', revision: 2 });

    const report = await reportRow('JT', 2044);
    expect(report).toMatchObject({ status: 'submitted', revision: 2, return_comment: null });
    expect(report!.submitted_revision_id).toBe(report!.current_revision_id);
    expect(report!.submitted_at).toBeGreaterThan(0);
    expect((await auditsOf('JT', 2044)).at(-1)).toMatchObject({
      action: 'report.submit',
      actor: 'wang@jt.example.cn',
      revision_id: report!.current_revision_id,
      from_status: 'draft',
      to_status: 'submitted',
    });
  });

  it('refuses saving once submitted (403, naming the status); a retried submit is answered 200 and writes nothing', async () => {
    await openDraft('JT', 2045);
    await putDraft(clerk, 'JT', 2045, { revision: 0, cells: zeros(), sections: COMPLETE_SECTIONS });
    expect((await submit(clerk, 'JT', 2045, { revision: 1 })).status).toBe(200);
    const audits = (await auditsOf('JT', 2045)).length;

    const save = await expectError(await putDraft(clerk, 'JT', 2045, { revision: 1, cells: { 'licensing.licensing.decisions': 3 } }), 403, 'not_editable');
    expect(save.error.message).toBe('报告当前状态为“已提交，等待审核”，不能修改。');
    await expectError(await submit(clerk, 'JT', 2045, { revision: 0 }), 403, 'not_editable');
    // A retried submit of the submitted revision (its answer lost on the way) is simply done.
    const retry = await submit(clerk, 'JT', 2045, { revision: 1 });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ status: 'submitted', revision: 1 });
    const en = await expectError(await putDraft(clerk, 'JT', 2045, { revision: 1 }, { 'Accept-Language': 'en' }), 403, 'not_editable');
    expect(en.error.message).toBe('The report is submitted, awaiting review; it cannot be edited.');
    expect((await revisionsOf('JT', 2045)).length).toBe(1);
    expect((await auditsOf('JT', 2045)).length).toBe(audits);
  });

  it('refuses a stale or malformed revision, and a supervisor', async () => {
    await openDraft('JT', 2046);
    await putDraft(clerk, 'JT', 2046, { revision: 0, cells: zeros() });
    const stale = await expectError(await submit(clerk, 'JT', 2046, { revision: 0 }), 409, 'stale_revision');
    expect(stale.current!.revision).toBe(1);
    await expectError(await submit(clerk, 'JT', 2046, {}), 422, 'invalid_input');
    await expectError(await submit(supervisor, 'JT', 2046, { revision: 1 }), 403, 'forbidden');
    expect((await reportRow('JT', 2046))!.status).toBe('draft');
  });
});
