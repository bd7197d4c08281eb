// PUT and GET /api/v1/admin/cycles/{year} through the real Worker and its D1: opening a cycle
// creates a draft for every expected unit (pre-filled with last year's carried-over
// applications), a second PUT creates nothing, units can leave and rejoin without losing their
// report, and the template is fixed once any report has content.
import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionOf } from './fault-helpers';
import { createApp } from '../../src/app';
import { canonicalJson, cellKeys, getTemplate, type Cells } from '../../src/core';
import { ADMIN_TOKEN, adminPut, BASE, publishReport, sessionCookie, sha256Hex } from './report-helpers';

type CycleBody = {
  cycle: { year: number; template: string; deadline: string; reminder_days: number[]; status: string; units_expected: number };
  created: number;
};
type ErrorBody = { error: { code: string; message: string; details: { field: string; message: string }[] } };
type Draft = { status: string; revision: number; template: string; cells: Cells; issues: { rule: string; severity: string; cells: string[] }[] };

const db = env.DB;
const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).bind(...params).first<T>();
const all = async <T>(sql: string, ...params: unknown[]) => (await db.prepare(sql).bind(...params).all<T>()).results;
const count = async (sql: string, ...params: unknown[]) => (await one<{ n: number }>(sql, ...params))!.n;

const putCycle = (year: number | string, body: unknown, headers?: Record<string, string>) =>
  adminPut(`/cycles/${year}`, body, headers ? { ...ADMIN_TOKEN, ...headers } : ADMIN_TOKEN);
const getCycle = (year: number | string, headers: Record<string, string> = ADMIN_TOKEN) =>
  exports.default.fetch(new Request(`${BASE}/api/v1/admin/cycles/${year}`, { headers }));

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(Array.isArray(body.error.details)).toBe(true);
  return body.error;
}

/** The reports of a year: unit code, expected flag, revision, template. */
const reportsOf = (year: number) =>
  all<{ code: string; expected: number; revision: number; template: string; status: string }>(
    `select u.code, r.expected, r.revision, r.template, r.status from reports r join units u on u.id = r.unit_id where r.year = ? order by u.code`,
    year,
  );

/** Everything a cycle PUT may write, to prove a refused or repeated one wrote nothing. */
const snapshot = async () => ({
  cycles: await all('select * from cycles order by year'),
  reports: await all('select * from reports order by id'),
  revisions: await count('select count(*) as n from report_revisions'),
  audits: await count('select count(*) as n from audit_events'),
});

const draftOf = async (cookie: string, unit: string, year: number) => {
  const res = await exports.default.fetch(new Request(`${BASE}/api/v1/drafts/${unit}/${year}`, { headers: { Cookie: cookie } }));
  expect(res.status).toBe(200);
  return (await res.json()) as Draft;
};

let clerk: string;

beforeAll(async () => {
  // ZS-DH → JT, BQ, GL (and JT → JT-A); OLD was closed down.
  for (const [code, name, parent, active] of [
    ['ZS-DH', '定海区人民政府', null, true],
    ['JT', '金塘镇', 'ZS-DH', true],
    ['JT-A', '金塘镇社会事务办', 'JT', true],
    ['BQ', '白泉镇', 'ZS-DH', true],
    ['GL', '干览镇', 'ZS-DH', true],
    ['OLD', '已撤并的乡', 'ZS-DH', false],
  ] as const) {
    expect((await adminPut(`/units/${code}`, { name, parent, active })).status).toBe(201);
  }
  expect((await adminPut('/people/wang@jt.example.cn', { name: '王芳', role: 'clerk', units: ['JT'] })).status).toBe(201);
  clerk = await sessionCookie('wang@jt.example.cn');
});

describe('PUT /api/v1/admin/cycles/{year}', () => {
  it('opens a cycle with the defaults: a draft for every active unit below the root, each audited', async () => {
    const res = await putCycle(2025, {});
    expect(res.status).toBe(201);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.json()).toEqual({
      cycle: { year: 2025, template: 'gov-2021', deadline: '2026-01-31T23:59:59+08:00', reminder_days: [30, 14, 7, 3, 1, 0], status: 'open', units_expected: 4 },
      created: 4,
    });
    expect(await reportsOf(2025)).toEqual(
      ['BQ', 'GL', 'JT', 'JT-A'].map((code) => ({ code, expected: 1, revision: 0, template: 'gov-2021', status: 'draft' })),
    );
    expect(await one('select template, deadline, reminder_days, status from cycles where year = 2025')).toEqual({
      template: 'gov-2021',
      deadline: Date.parse('2026-01-31T23:59:59+08:00'),
      reminder_days: '[30,14,7,3,1,0]',
      status: 'open',
    });
    const creates = await all<{ actor: string; report_id: number; detail: string }>(`select actor, report_id, detail from audit_events where action = 'report.create'`);
    expect(creates).toHaveLength(4);
    expect(creates.every((a) => a.actor === 'admin-token' && a.report_id > 0)).toBe(true);
    expect(JSON.parse(creates[0]!.detail)).toEqual({ year: 2025, template: 'gov-2021', carried_in_from_last_year: false });
    const cycleAudit = await one<{ actor: string; detail: string }>(`select actor, detail from audit_events where action = 'cycle.create'`);
    expect(cycleAudit!.actor).toBe('admin-token');
    expect(JSON.parse(cycleAudit!.detail)).toMatchObject({ year: 2025, before: null, drafts_created: 4 });
  });

  it('is idempotent: the same PUT again creates nothing and writes nothing', async () => {
    const before = await snapshot();
    const res = await putCycle(2025, { template: 'gov-2021', deadline: '2026-01-31T23:59:59+08:00', reminder_days: [0, 1, 3, 7, 14, 30] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as CycleBody).created).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('shows the cycle on GET, 404 for a year without one, and only to administrators', async () => {
    const res = await getCycle(2025);
    expect(res.status).toBe(200);
    expect(((await res.json()) as CycleBody).cycle).toMatchObject({ year: 2025, units_expected: 4 });
    await expectError(await getCycle(2019), 404, 'no_cycle');
    await expectError(await getCycle('20x5'), 404, 'no_cycle');
    await expectError(await getCycle(2025, {}), 401, 'unauthorized');
    await expectError(await getCycle(2025, { Cookie: clerk }), 403, 'forbidden');
  });

  it('edits the deadline and reminders, audited before and after', async () => {
    const res = await putCycle(2025, { deadline: '2026-03-31T09:00:00Z', reminder_days: [7, 0, 14] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as CycleBody).cycle).toMatchObject({ deadline: '2026-03-31T17:00:00+08:00', reminder_days: [14, 7, 0], template: 'gov-2021' });
    const audit = await one<{ detail: string }>(`select detail from audit_events where action = 'cycle.update' order by id desc limit 1`);
    expect(JSON.parse(audit!.detail)).toMatchObject({
      before: { deadline: Date.parse('2026-01-31T23:59:59+08:00'), reminder_days: [30, 14, 7, 3, 1, 0] },
      after: { deadline: Date.parse('2026-03-31T09:00:00Z'), reminder_days: [14, 7, 0] },
    });
  });

  it('takes a list of units: the others stop being expected but keep their report; listed again, they are back', async () => {
    let res = await putCycle(2025, { units: ['JT', 'BQ'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ cycle: { units_expected: 2 }, created: 0 });
    expect((await reportsOf(2025)).map((r) => [r.code, r.expected])).toEqual([
      ['BQ', 1],
      ['GL', 0],
      ['JT', 1],
      ['JT-A', 0],
    ]);
    // The root can be listed explicitly: it gets a draft too.
    res = await putCycle(2025, { units: ['JT', 'BQ', 'GL', 'ZS-DH'] });
    expect(await res.json()).toMatchObject({ cycle: { units_expected: 4 }, created: 1 });
    expect((await reportsOf(2025)).map((r) => [r.code, r.expected])).toEqual([
      ['BQ', 1],
      ['GL', 1],
      ['JT', 1],
      ['JT-A', 0],
      ['ZS-DH', 1],
    ]);
    expect(await count(`select count(*) as n from reports where year = 2025`)).toBe(5);
  });

  it('pre-fills carried_in from last year’s published carried_out, with the totals derived', async () => {
    // 2026 was filed in gov-2019 (the same applications table as gov-2021; one template a year):
    // JT and BQ published, GL nothing.
    await publishReport('JT', 2026, { 'applications.carried_out.natural': 2, 'applications.carried_out.business': 1, 'applications.carried_out.total': 3, 'applications.new.natural': 9 }, 'gov-2019');
    await publishReport('BQ', 2026, { 'applications.carried_out.legal': 4, 'applications.carried_out.total': 4 }, 'gov-2019');
    const res = await putCycle(2027, { template: 'gov-2021' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as CycleBody).created).toBe(4);
    expect((await reportsOf(2027)).map((r) => [r.code, r.revision])).toEqual([
      ['BQ', 1],
      ['GL', 0],
      ['JT', 1],
      ['JT-A', 0],
    ]);

    const template = getTemplate('gov-2021')!;
    const stored = await one<{ id: number; number: number; content_hash: string; sections: string; cells: string; explanations: string; current: number }>(
      `select rr.*, r.current_revision_id as current from report_revisions rr join reports r on r.id = rr.report_id join units u on u.id = r.unit_id
       where u.code = 'JT' and r.year = 2027`,
    );
    expect(stored!.current).toBe(stored!.id);
    const cells = JSON.parse(stored!.cells) as Cells;
    expect(Object.keys(cells).sort()).toEqual(cellKeys(template).sort());
    expect(Object.entries(cells).filter(([, v]) => v !== null)).toEqual([
      ['applications.carried_in.natural', 2],
      ['applications.carried_in.business', 1],
      ['applications.carried_in.total', 3],
    ]);
    const content = { sections: JSON.parse(stored!.sections), cells, explanations: JSON.parse(stored!.explanations) };
    expect(stored!.content_hash).toBe(await sha256Hex(canonicalJson(content)));
    const create = await one<{ revision_id: number; detail: string }>(
      `select a.revision_id, a.detail from audit_events a join reports r on r.id = a.report_id join units u on u.id = r.unit_id
       where a.action = 'report.create' and u.code = 'JT' and r.year = 2027`,
    );
    expect(create!.revision_id).toBe(stored!.id);
    expect(JSON.parse(create!.detail)).toMatchObject({ carried_in_from_last_year: true });

    const bq = await one<{ cells: string }>(
      `select rr.cells from report_revisions rr join reports r on r.current_revision_id = rr.id join units u on u.id = r.unit_id where u.code = 'BQ' and r.year = 2027`,
    );
    expect(JSON.parse(bq!.cells)).toMatchObject({ 'applications.carried_in.legal': 4, 'applications.carried_in.total': 4, 'applications.carried_in.natural': null });
  });

  it('pre-fills nothing after a legacy-2014 year: its table has no carried_out row', async () => {
    await publishReport('GL', 2033, { 'stats.apps_received.value': 5 }, 'legacy-2014');
    const res = await putCycle(2034, { template: 'gov-2021', units: ['GL'] });
    expect(res.status).toBe(201);
    expect((await reportsOf(2034)).map((r) => [r.code, r.revision])).toEqual([['GL', 0]]);
  });

  it('warns (carry_over) when the clerk changes the carried-in number', async () => {
    let draft = await draftOf(clerk, 'JT', 2027);
    expect(draft).toMatchObject({ status: 'draft', revision: 1 });
    expect(draft.cells['applications.carried_in.natural']).toBe(2);
    expect(draft.issues.filter((i) => i.rule === 'carry_over')).toEqual([]);

    const res = await exports.default.fetch(
      new Request(`${BASE}/api/v1/drafts/JT/2027`, {
        method: 'PUT',
        headers: { Cookie: clerk, 'Content-Type': 'application/json' },
        body: JSON.stringify({ revision: 1, cells: { 'applications.carried_in.natural': 5 } }),
      }),
    );
    expect(res.status).toBe(200);
    draft = await draftOf(clerk, 'JT', 2027);
    expect(draft.issues.filter((i) => i.rule === 'carry_over').map((i) => [i.severity, i.cells])).toEqual([
      ['warning', ['applications.carried_in.natural']],
      ['warning', ['applications.carried_in.total']],
    ]);
  });

  it('refuses a new template with 409 once a report of the year has content, changing nothing', async () => {
    const before = await snapshot();
    const error = await expectError(await putCycle(2027, { template: 'gov-2019', deadline: '2028-02-28T23:59:59+08:00' }), 409, 'template_in_use');
    expect(error.message).toContain('不能再更换模板');
    expect(error.details[0]!.field).toBe('template');
    expect(await snapshot()).toEqual(before);
  });

  it('changes the template of a cycle whose drafts are all empty, and their template with it', async () => {
    expect((await putCycle(2029, { template: 'gov-2021', units: ['JT', 'GL'] })).status).toBe(201);
    const res = await putCycle(2029, { template: 'gov-2019' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as CycleBody).cycle.template).toBe('gov-2019');
    expect((await reportsOf(2029)).map((r) => [r.code, r.template])).toEqual([
      ['BQ', 'gov-2019'],
      ['GL', 'gov-2019'],
      ['JT', 'gov-2019'],
      ['JT-A', 'gov-2019'],
    ]);
  });

  it('aborts the whole PUT with 409 when a clerk saves between its check and its write', async () => {
    expect((await putCycle(2030, { template: 'gov-2021', units: ['JT'] })).status).toBe(201);
    const racingDb = new Proxy(env.DB, {
      get(target, property) {
        if (property === 'withSession') return sessionOf(racingDb);
        if (property === 'batch') {
          return async (statements: D1PreparedStatement[]) => {
            // The clerk's first save lands just before the cycle's batch.
            await target.prepare(`update reports set revision = 1 where year = 2030`).run();
            return target.batch(statements);
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const before = await snapshot();
    const res = await createApp().fetch(
      new Request(`${BASE}/api/v1/admin/cycles/2030`, {
        method: 'PUT',
        headers: { ...ADMIN_TOKEN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ template: 'gov-2019', reminder_days: [1] }),
      }),
      { ...env, DB: racingDb },
      createExecutionContext(),
    );
    await expectError(res, 409, 'template_in_use');
    const after = await snapshot();
    expect(after.cycles).toEqual(before.cycles);
    expect(after.audits).toBe(before.audits);
  });

  it('names every malformed field with a 422 and writes nothing', async () => {
    const before = await snapshot();
    const cases: [string | number, unknown, string][] = [
      [2031, { template: 'gov-2099' }, 'template'],
      [2031, { template: 21 }, 'template'],
      [2031, { deadline: '2026-01-31' }, 'deadline'],
      [2031, { deadline: '2026-01-31T23:59:59' }, 'deadline'],
      [2031, { deadline: '2026-02-30T23:59:59+08:00' }, 'deadline'],
      [2031, { deadline: '2026-01-31T24:00:00+08:00' }, 'deadline'],
      [2031, { reminder_days: [7, 3, 7] }, 'reminder_days'],
      [2031, { reminder_days: [367] }, 'reminder_days.0'],
      [2031, { reminder_days: [1, 2.5] }, 'reminder_days.1'],
      [2031, { reminder_days: 7 }, 'reminder_days'],
      // Numbers an administrator might type by mistake, bounded like the cycle page's.
      [2031, { reminder_days: [10000000000] }, 'reminder_days.0'],
      [2031, { reminder_days: [1e20] }, 'reminder_days.0'],
      [2031, { reminder_days: [1e308] }, 'reminder_days.0'],
      [2031, { reminder_days: [9007199254740993] }, 'reminder_days.0'],
      [2031, { reminder_days: [-1] }, 'reminder_days.0'],
      [2031, { reminder_days: Array.from({ length: 21 }, (_, i) => i) }, 'reminder_days'],
      [2031, { deadline: '9999-01-31T23:59:59+08:00' }, 'deadline'],
      [2031, { deadline: '2102-01-01T00:00:00+08:00' }, 'deadline'],
      [2031, { deadline: '2007-12-31T23:59:59+08:00' }, 'deadline'],
      [2031, { units: ['JT', 'NOPE', 'GL', 'ALSO-NOPE'] }, 'units.1'],
      [2031, { units: ['bad code!'] }, 'units.0'],
      ['abcd', {}, 'year'],
      [1999, {}, 'year'],
      [2031, [], ''],
    ];
    for (const [year, body, field] of cases) {
      const error = await expectError(await putCycle(year, body), 422, 'invalid_input');
      expect(error.details.map((d) => d.field), JSON.stringify(body)).toContain(field);
    }
    const units = await expectError(await putCycle(2031, { units: ['JT', 'NOPE', 'GL', 'ALSO-NOPE'] }), 422, 'invalid_input');
    expect(units.details).toEqual([
      { field: 'units.1', message: '没有代码为“NOPE”的单位' },
      { field: 'units.3', message: '没有代码为“ALSO-NOPE”的单位' },
    ]);
    const en = await expectError(await putCycle(2031, { deadline: 'tomorrow' }, { 'Accept-Language': 'en' }), 422, 'invalid_input');
    expect(en.message).toBe('The submitted data is invalid.');
    expect(en.details[0]!.message).toBe('deadline must be an RFC 3339 time with an offset, e.g. 2026-01-31T23:59:59+08:00');
    const far = await expectError(await putCycle(2031, { deadline: '3031-01-31T23:59:59+08:00', reminder_days: [1e20] }, { 'Accept-Language': 'en' }), 422, 'invalid_input');
    expect(far.details.map((d) => d.message)).toEqual(['deadline must be between the years 2008 and 2101', 'reminder_days.0 must be at most 366']);
    const many = await expectError(await putCycle(2031, { reminder_days: Array.from({ length: 21 }, (_, i) => i) }), 422, 'invalid_input');
    expect(many.details[0]!.message).toBe('reminder_days最多 20 个提醒日');
    await expectError(await putCycle(2031, '{"template":'), 400, 'malformed_json');
    expect(await snapshot()).toEqual(before);
  });

  it('answers 401 without the token or with a wrong one, 403 to a clerk', async () => {
    await expectError(await adminPut('/cycles/2031', {}, {}), 401, 'unauthorized');
    await expectError(await adminPut('/cycles/2031', {}, { Authorization: 'Bearer wrong' }), 401, 'bad_token');
    await expectError(await adminPut('/cycles/2031', {}, { Cookie: clerk }), 403, 'forbidden');
    expect(await one('select * from cycles where year = 2031')).toBeNull();
  });

  it('opens a cycle for thousands of units, each pre-filled, within D1’s limits', async () => {
    const N = 1500;
    await db.prepare(`insert into units (code, name, parent_id) values ('BIG', '大市', null)`).run();
    await db
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?1)
         insert into units (code, name, parent_id) select 'BIG-' || i, '单位' || i, (select id from units where code = 'BIG') from n`,
      )
      .bind(N)
      .run();
    // Last year (2031) every one of them published, with 1 application carried over by a natural person.
    const full = Object.fromEntries(cellKeys(getTemplate('gov-2021')!).map((k) => [k, 0]));
    const cells = JSON.stringify({ ...full, 'applications.carried_out.natural': 1, 'applications.carried_out.total': 1 });
    await db.batch([
      db.prepare(`insert into reports (unit_id, year, template, status, imported, revision, published_version) select id, 2031, 'gov-2021', 'published', 1, 1, 1 from units where code glob 'BIG-*'`),
      db.prepare(`insert into report_revisions (report_id, number, content_hash, sections, cells, explanations) select id, 1, 'x', '{}', ?1, '{}' from reports where year = 2031`).bind(cells),
      db.prepare(`update reports set current_revision_id = (select id from report_revisions rr where rr.report_id = reports.id) where year = 2031`),
      db.prepare(`insert into report_versions (report_id, version, revision_id, published_at, imported) select id, 1, current_revision_id, 1700000000000, 1 from reports where year = 2031`),
    ]);
    const codes = Array.from({ length: N }, (_, i) => `BIG-${i + 1}`);
    const res = await putCycle(2032, { units: codes });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ cycle: { units_expected: N }, created: N });
    expect(await count(`select count(*) as n from reports where year = 2032 and revision = 1 and current_revision_id is not null`)).toBe(N);
    expect(
      await count(
        `select count(*) as n from reports r join report_revisions rr on rr.id = r.current_revision_id
         where r.year = 2032 and json_extract(rr.cells, '$."applications.carried_in.total"') = 1`,
      ),
    ).toBe(N);
    expect(await count(`select count(*) as n from audit_events a join reports r on r.id = a.report_id where a.action = 'report.create' and r.year = 2032`)).toBe(N);

    const again = await putCycle(2032, { units: codes });
    expect(await again.json()).toMatchObject({ created: 0 });
  });
});
