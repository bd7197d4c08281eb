// POST /api/v1/admin/import/bulk through the real Worker: an NDJSON body imported all or nothing,
// every bad line named by its number (line.N.field), the administrator's scope checked line by
// line, the 1,000-line limit, and the same outcome as the single import for the same report.
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE, importReport, jintangBody, one, putUnit, send, TOKEN } from './publication-helpers';
import { sessionCookie } from './report-helpers';
import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { createApp } from '../../src/app';
import { sessionOf } from './fault-helpers';

type ErrorBody = { error: { code: string; message: string; details: { field: string; message: string }[] } };
type BulkAnswer = {
  imported: number;
  unchanged: number;
  lines: { line: number; result: string; report: { unit: string; year: number; version: number; content_hash: string } }[];
};

const ndjson = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

const bulk = (body: string, headers: Record<string, string> = TOKEN) =>
  exports.default.fetch(new Request(`${BASE}/api/v1/admin/import/bulk`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson', ...headers }, body }));

/** Rows the import writes, all of them: a refused body must leave every count as it was. */
async function counts() {
  const n = async (table: string) => (await one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
  return { reports: await n('reports'), revisions: await n('report_revisions'), versions: await n('report_versions'), cells: await n('published_cells'), audit: await n('audit_events') };
}

async function refused(res: Response, status: number, code: string) {
  const body = (await res.json()) as ErrorBody;
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  return body.error;
}

let adminOfA: string;
beforeAll(async () => {
  await putUnit('BK', '某市人民政府');
  await putUnit('BK-A', '甲区人民政府', 'BK');
  await putUnit('BK-B', '乙区人民政府', 'BK');
  for (const code of ['BK-A1', 'BK-A2', 'BK-A3', 'BK-A4']) await putUnit(code, `${code} 镇`, 'BK-A');
  await putUnit('BK-B1', '乙区某镇', 'BK-B');
  const email = 'admin.bk-a@nianbao.test';
  const res = await send('PUT', `/api/v1/admin/people/${email}`, { name: '甲区管理员', role: 'admin', units: ['BK-A'] });
  expect([200, 201]).toContain(res.status);
  adminOfA = await sessionCookie(email);
});

describe('a good body', () => {
  it('imports every line in one go, answering each with its line number', async () => {
    const before = await counts();
    const res = await bulk(ndjson(jintangBody({ unit: 'BK-A1' }), '', jintangBody({ unit: 'BK-A2', published_at: '2019-01-20' })));
    const answer = (await res.json()) as BulkAnswer;
    expect(res.status, JSON.stringify(answer)).toBe(201);
    expect(answer.imported).toBe(2);
    // The blank line counts: the second report is on line 3.
    expect(answer.lines.map((l) => [l.line, l.result, l.report.unit, l.report.version])).toEqual([
      [1, 'created', 'BK-A1', 1],
      [3, 'created', 'BK-A2', 1],
    ]);
    const after = await counts();
    expect(after.reports - before.reports).toBe(2);
    expect(after.versions - before.versions).toBe(2);
    expect(after.audit - before.audit).toBe(2);
    // Published as the single import publishes: the public reads it.
    const published = await exports.default.fetch(new Request(`${BASE}/api/v1/reports/BK-A2/2018`));
    expect(published.status).toBe(200);
  });

  it('answers as the single import does for the same report: unchanged, then a correction', async () => {
    const single = await importReport(jintangBody({ unit: 'BK-A1' }));
    expect(single.status).toBe(200);
    expect(((await single.json()) as { result: string }).result).toBe('unchanged');

    const again = await bulk(ndjson(jintangBody({ unit: 'BK-A1' })));
    expect(again.status).toBe(200);
    expect(((await again.json()) as BulkAnswer).lines[0]!.result).toBe('unchanged');

    const cells = { ...jintangBody().cells, 'stats.proactive_total.value': 260 };
    const corrected = await bulk(ndjson(jintangBody({ unit: 'BK-A1', cells, published_at: '2019-02-01', reason: '数字更正' })));
    const answer = (await corrected.json()) as BulkAnswer;
    expect(corrected.status).toBe(201);
    expect(answer.lines[0]).toMatchObject({ result: 'corrected', report: { version: 2 } });
  });
});

describe('a body with a bad line imports nothing', () => {
  it('names every bad line by its number and field', async () => {
    const before = await counts();
    const res = await bulk(
      ndjson(
        jintangBody({ unit: 'BK-A3' }),
        jintangBody({ unit: 'BK-A4', cells: { ...jintangBody().cells, 'stats.nope.value': 1 } }),
        '{not json',
        jintangBody({ unit: 'NOPE' }),
        jintangBody({ unit: 'BK-A3', published_at: '2019-01-17' }),
        [1, 2],
      ),
    );
    const error = await refused(res, 422, 'invalid_input');
    const fields = error.details.map((d) => d.field);
    expect(fields).toContain('line.2.cells.stats.nope.value');
    expect(fields).toContain('line.3');
    expect(fields).toContain('line.4.unit');
    // Line 5 is the same report as line 1.
    expect(fields).toContain('line.5.unit');
    expect(fields).toContain('line.6');
    expect(fields.some((f) => f.startsWith('line.1.'))).toBe(false);
    expect(await counts()).toEqual(before);
    expect(await one('SELECT 1 AS x FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.code = ?', 'BK-A3')).toBeNull();
  });

  it('refuses a line whose year is bound to another template, naming it, and writes no other line', async () => {
    const before = await counts();
    const gov2021 = { unit: 'BK-A4', year: 2018, template: 'gov-2021', sections: {}, cells: {}, published_at: '2019-01-10' };
    const error = await refused(await bulk(ndjson(jintangBody({ unit: 'BK-A3' }), gov2021)), 422, 'invalid_input');
    expect(error.details.map((d) => d.field)).toEqual(['line.2.template']);
    expect(await counts()).toEqual(before);
  });
});

describe('a report that changes while the batch is on its way', () => {
  /**
   * D1 as it is, except that just before each big batch (the bulk import's) someone else changes
   * the report of `unit`: two saves, say (its revision number moves on by two). Its guarded statements then write nothing — and
   * the other reports' statements must not be kept either.
   */
  function racingOn(unit: string) {
    let races = 0;
    const racingDb: D1Database = new Proxy(env.DB, {
      get(target, property) {
        if (property === 'withSession') return sessionOf(racingDb);
        if (property === 'batch') {
          return async (statements: D1PreparedStatement[]) => {
            if (statements.length > 10) {
              races++;
              await target.prepare('UPDATE reports SET revision = revision + 2 WHERE unit_id = (SELECT id FROM units WHERE code = ?) AND year = 2018').bind(unit).run();
            }
            return target.batch(statements);
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { racingDb, races: () => races };
  }

  it('writes none of the body, tries once more, and then says so (409)', async () => {
    const published = await importReport(jintangBody({ unit: 'BK-A2', published_at: '2019-01-21' }));
    expect([200, 201]).toContain(published.status);
    await putUnit('BK-A5', 'BK-A5 镇', 'BK-A');
    const before = await counts();
    const { racingDb, races } = racingOn('BK-A2');
    const cells = { ...jintangBody().cells, 'stats.proactive_total.value': 1 };
    const body = ndjson(jintangBody({ unit: 'BK-A5' }), jintangBody({ unit: 'BK-A2', cells, published_at: '2019-03-01' }));
    const res = await createApp().fetch(
      new Request(`${BASE}/api/v1/admin/import/bulk`, { method: 'POST', headers: { ...TOKEN, 'Content-Type': 'application/x-ndjson' }, body }),
      { ...env, DB: racingDb },
      createExecutionContext(),
    );
    await refused(res, 409, 'changed_meanwhile');
    expect(races()).toBe(2);
    // BK-A5's report, whose own statements were fine, is not there: the whole batch was undone.
    expect(await counts()).toEqual(before);
    expect(await one('SELECT 1 AS x FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.code = ?', 'BK-A5')).toBeNull();
  });
});

describe('scope and limits', () => {
  it('refuses (403) the whole body when one line names a unit outside the administrator’s, writing nothing', async () => {
    const before = await counts();
    const res = await bulk(ndjson(jintangBody({ unit: 'BK-A4' }), jintangBody({ unit: 'BK-B1' })), {
      Cookie: adminOfA,
      Origin: BASE,
    });
    const error = await refused(res, 403, 'out_of_scope');
    expect(error.details.map((d) => d.field)).toEqual(['line.2.unit']);
    expect(await counts()).toEqual(before);

    const own = await bulk(ndjson(jintangBody({ unit: 'BK-A4' })), { Cookie: adminOfA, Origin: BASE });
    expect(own.status).toBe(201);
  });

  it('takes at most 1,000 lines, saying so', async () => {
    const before = await counts();
    const lines = Array.from({ length: 1001 }, () => '{}');
    const error = await refused(await bulk(lines.join('\n')), 413, 'too_large');
    expect(error.message).toContain('1000');
    expect(await counts()).toEqual(before);
  });

  it('nobody but an administrator', async () => {
    await refused(await bulk(ndjson(jintangBody({ unit: 'BK-A3' })), {}), 401, 'unauthorized');
  });
});
