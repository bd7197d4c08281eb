// POST /api/v1/admin/import and /import/text through the real Worker: who may import, what is
// refused (a 422 naming the field, never a 500), what is kept as filed (rule failures come
// back as issues), how the report is stored (one batch: report, revision with its content
// hash, version, published_cells, audit), and the text reader on the reference text.
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/content';
import hongze from '../fixtures/real/hongze-district-2023.json';
import referenceText from '../fixtures/jintang-2018-annual-report.txt?raw';
import { db, importReport, insertDraft, JINTANG, jintangBody, one, putUnit, send } from './publication-helpers';

type ErrorBody = { error: { code: string; message: string; details: { field: string; message: string }[] } };
type ImportAnswer = {
  result: string;
  report: { unit: string; version: number; content_hash: string; url: string };
  issues: { rule: string; severity: string; cells: string[]; message: string }[];
};

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as ErrorBody;
  expect(body.error.code).toBe(code);
  return body.error;
}

const fields = (error: ErrorBody['error']) => error.details.map((d) => d.field);

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** 洪泽区 2023 as published (gov-2021, with its 四 totals printed as 0) as an import body. */
const hongzeBody = (unit: string, year = 2023) => ({
  unit,
  year,
  template: 'gov-2021',
  sections: { overview: '洪泽区总体情况。' },
  cells: hongze.cells,
  published_at: '2024-01-25',
});

beforeAll(async () => {
  await putUnit('ZS-DH', '定海区人民政府');
  await putUnit('JT-330903-101', '金塘镇', 'ZS-DH');
  await putUnit('HZ', '淮安市洪泽区人民政府', 'ZS-DH');
});

describe('who may import', () => {
  it('nobody without the token or an administrator session', async () => {
    await expectError(await importReport(jintangBody(), {}), 401, 'unauthorized');
    await expectError(await importReport(jintangBody(), { Authorization: 'Bearer wrong' }), 401, 'bad_token');
    expect(await one('SELECT count(*) AS n FROM reports')).toEqual({ n: 0 });
  });
});

describe('what is refused, naming the field', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['an unknown unit', { unit: 'NOPE' }, 'unit'],
    ['a malformed unit code', { unit: '金塘镇' }, 'unit'],
    ['an unknown template', { template: 'gov-1999' }, 'template'],
    ['an unknown cell', { cells: { ...JINTANG.cells, 'stats.nope.value': 1 } }, 'cells.stats.nope.value'],
    ['a cell of another template', { cells: { 'applications.new.total': 1 } }, 'cells.applications.new.total'],
    ['a cell that is text', { cells: { 'stats.staff.value': '2' } }, 'cells.stats.staff.value'],
    ['a cell beyond 10^15, as the drafts API and the form refuse it', { cells: { ...JINTANG.cells, 'stats.staff.value': 1e20 } }, 'cells.stats.staff.value'],
    ['cells as an array', { cells: [1, 2] }, 'cells'],
    ['an unknown section', { sections: { overview: 'x' } }, 'sections.overview'],
    ['an explanation of an unknown rule', { explanations: { nope: 'x' } }, 'explanations.nope'],
    ['a year that is not a whole number', { year: 2018.5 }, 'year'],
    ['a year out of range', { year: 1899 }, 'year'],
    ['a publication time without a zone', { published_at: '2019-01-16T00:00:00' }, 'published_at'],
    ['a date that does not exist', { published_at: '2019-02-30' }, 'published_at'],
    ['a publication in the future', { published_at: '2999-01-01' }, 'published_at'],
    ['a publication before any report year (a mistyped year)', { published_at: '1019-01-16' }, 'published_at'],
    ['a publication time in year 9999', { published_at: '9999-12-31T23:59:59Z' }, 'published_at'],
    ['a missing published_at', { published_at: undefined }, 'published_at'],
  ];
  for (const [what, change, field] of cases) {
    it(what, async () => {
      const error = await expectError(await importReport(jintangBody(change)), 422, 'invalid_input');
      expect(fields(error)).toContain(field);
      expect(error.message).toBe('提交的数据不符合要求。');
    });
  }

  it('a number too large for JSON to hold (1e999 reads as Infinity) is not a finite number', async () => {
    const text = JSON.stringify(jintangBody()).replace('"stats.staff.value":2', '"stats.staff.value":1e999');
    const error = await expectError(await importReport(text), 422, 'invalid_input');
    expect(fields(error)).toContain('cells.stats.staff.value');
  });

  it('says why a cell beyond 10^15 is refused, in Chinese or English', async () => {
    const body = jintangBody({ cells: { ...JINTANG.cells, 'stats.staff.value': -1e20 } });
    const zh = await expectError(await importReport(body), 422, 'invalid_input');
    expect(zh.details).toMatchObject([{ field: 'cells.stats.staff.value', message: 'cells.stats.staff.value超出可保存的范围（绝对值不超过 10^15）' }]);
    const en = await expectError(await importReport(body, { Authorization: 'Bearer test-admin-token', 'Accept-Language': 'en' }), 422, 'invalid_input');
    expect(en.details).toMatchObject([{ field: 'cells.stats.staff.value', message: 'cells.stats.staff.value is out of range (at most 10^15 in absolute value)' }]);
  });

  it('malformed JSON is a 400; messages in English on request', async () => {
    await expectError(await importReport('{"unit":'), 400, 'malformed_json');
    const res = await importReport(jintangBody({ unit: 'NOPE' }), { Authorization: 'Bearer test-admin-token', 'Accept-Language': 'en' });
    const error = await expectError(res, 422, 'invalid_input');
    expect(error.details[0]?.message).toBe('there is no unit with code "NOPE" (create it first)');
  });

  it('nothing was written by any refused import', async () => {
    expect(await one('SELECT (SELECT count(*) FROM reports) + (SELECT count(*) FROM report_versions) + (SELECT count(*) FROM published_cells) AS n')).toEqual({ n: 0 });
  });
});

describe('a stored import', () => {
  let answer: ImportAnswer;

  beforeAll(async () => {
    const res = await importReport(jintangBody());
    expect(res.status).toBe(201);
    answer = (await res.json()) as ImportAnswer;
  });

  it('is published, imported, version 1, with every row the workflow keeps', async () => {
    expect(answer).toMatchObject({ result: 'created', report: { unit: 'JT-330903-101', version: 1 }, issues: [] });
    const report = await one<Record<string, unknown>>(
      `SELECT r.status, r.imported, r.revision, r.published_version, r.template, r.expected,
         r.current_revision_id = rr.id AS points_at_revision
       FROM reports r JOIN report_revisions rr ON rr.report_id = r.id WHERE r.year = 2018`,
    );
    expect(report).toEqual({ status: 'published', imported: 1, revision: 1, published_version: 1, template: 'legacy-2014', expected: 1, points_at_revision: 1 });
    const version = await one<Record<string, unknown>>('SELECT version, published_at, on_time, reason, imported, is_current FROM report_versions');
    expect(version).toEqual({ version: 1, published_at: Date.parse('2019-01-16T00:00:00+08:00'), on_time: null, reason: null, imported: 1, is_current: 1 });
    expect(await one('SELECT count(*) AS n, count(value) AS filled, sum(value) AS total FROM published_cells')).toEqual({
      n: 58,
      filled: 16,
      total: 259 + 259 + 15 + 1 + 2 + 1 + 1,
    });
    const audit = await one<{ action: string; actor: string; to_status: string; detail: string }>(
      `SELECT action, actor, to_status, detail FROM audit_events WHERE action = 'report.import'`,
    );
    expect(audit).toMatchObject({ action: 'report.import', actor: 'admin-token', to_status: 'published' });
    expect(JSON.parse(audit!.detail)).toMatchObject({ version: 1, template: 'legacy-2014', errors: 0, warnings: 0 });
  });

  it('its content hash is hex SHA-256 of the canonical JSON of {sections, cells, explanations}', async () => {
    const stored = (await one<{ content_hash: string }>('SELECT content_hash FROM report_revisions'))!;
    const expected = await sha256Hex(canonicalJson({ sections: JINTANG.sections, cells: JINTANG.cells, explanations: {} }));
    expect(stored.content_hash).toBe(expected);
    expect(answer.report.content_hash).toBe(expected);
  });

  it('a correction cannot be dated before the version it corrects', async () => {
    const error = await expectError(await importReport(jintangBody({ published_at: '2019-01-01', cells: { ...JINTANG.cells, 'stats.staff.value': 5 } })), 422, 'invalid_input');
    expect(fields(error)).toEqual(['published_at']);
  });

  it('a year keeps one template (statistics add up one format)', async () => {
    await putUnit('OTHER-2018', '另一个镇', 'ZS-DH');
    const error = await expectError(await importReport({ ...hongzeBody('OTHER-2018', 2018) }), 422, 'invalid_input');
    expect(fields(error)).toEqual(['template']);
  });
});

describe('rule failures are kept, not refused: history is published as filed', () => {
  it('洪泽区 2023 as published: stored with its two appeal_total errors returned as issues', async () => {
    const res = await importReport(hongzeBody('HZ'));
    expect(res.status).toBe(201);
    const body = (await res.json()) as ImportAnswer;
    const appeal = body.issues.filter((i) => i.rule === 'appeal_total');
    expect(appeal.map((i) => i.cells[0])).toEqual(['appeals.review.total', 'appeals.suit_after_review.total']);
    expect(appeal.every((i) => i.severity === 'error')).toBe(true);
    expect(appeal[0]?.message).toContain('应为 11');
    const stored = await one<{ value: number }>(`SELECT value FROM published_cells WHERE cell = 'appeals.review.total' AND year = 2023`);
    expect(stored).toEqual({ value: 0 }); // as printed, not "fixed"
  });
});

describe('reports that already exist', () => {
  it('a draft of a cycle becomes the published import (its draft revisions stay in history)', async () => {
    await putUnit('DRAFTED', '已有草稿镇', 'ZS-DH');
    await insertDraft('DRAFTED', 2023);
    const res = await importReport(hongzeBody('DRAFTED'));
    expect(res.status).toBe(201);
    expect(await one(`SELECT r.status, r.revision, r.published_version FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.code = 'DRAFTED'`)).toEqual({
      status: 'published',
      revision: 2,
      published_version: 1,
    });
  });

  it('a report under review is not overwritten: 409', async () => {
    await putUnit('REVIEWED', '审核中镇', 'ZS-DH');
    await insertDraft('REVIEWED', 2023, 'gov-2021', 'submitted');
    await expectError(await importReport(hongzeBody('REVIEWED')), 409, 'under_review');
  });

  it('two imports of the same report at once both land, as versions 1 and 2', async () => {
    await putUnit('RACE', '并发镇', 'ZS-DH');
    const bodies = [hongzeBody('RACE'), { ...hongzeBody('RACE'), published_at: '2024-01-26', sections: { overview: '第二次' } }];
    const answers = await Promise.all(bodies.map((b) => importReport(b)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201]);
    const versions = await db
      .prepare(`SELECT v.version, v.is_current FROM report_versions v JOIN reports r ON r.id = v.report_id JOIN units u ON u.id = r.unit_id WHERE u.code = 'RACE' ORDER BY v.version`)
      .all();
    expect(versions.results).toEqual([
      { version: 1, is_current: 0 },
      { version: 2, is_current: 1 },
    ]);
  });
});

describe('POST /api/v1/admin/import/text', () => {
  const readText = (body: unknown, headers?: Record<string, string>) => send('POST', '/api/v1/admin/import/text', body, headers);

  it('the reference text gives exactly the 16 numbers, every other cell null, and the narrative', async () => {
    const res = await readText({ template: 'legacy-2014', text: referenceText });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cells: Record<string, number | null>; sections: { body: string }; unmatched: string[]; published_at: string };
    expect(body.cells).toEqual(JINTANG.cells);
    expect(Object.values(body.cells).filter((v) => v !== null)).toHaveLength(16);
    expect(body.sections).toEqual({ body: JINTANG.sections.body });
    expect(body.unmatched).toEqual([]);
    expect(body.published_at).toBe('2019-01-16T00:00:00+08:00');
    // It stores nothing.
    expect(await one(`SELECT count(*) AS n FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.code = 'JT-330903-101' AND r.year = 2017`)).toEqual({ n: 0 });
  });

  it('reads HTML too', async () => {
    const html = `<p>统计表</p><table><tr><td>一、主动公开情况</td><td>——</td><td></td></tr><tr><td><p>（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）</p></td><td>条</td><td>12</td></tr></table>`;
    const body = (await (await readText({ template: 'legacy-2014', html })).json()) as { cells: Record<string, number | null> };
    expect(body.cells['stats.proactive_total.value']).toBe(12);
  });

  it('wants exactly one of text and html, a known template, and the token', async () => {
    expect(fields(await expectError(await readText({ template: 'legacy-2014' }), 422, 'invalid_input'))).toEqual(['text']);
    expect(fields(await expectError(await readText({ template: 'legacy-2014', text: 'a', html: 'b' }), 422, 'invalid_input'))).toEqual(['text']);
    expect(fields(await expectError(await readText({ template: 'nope', text: 'a' }), 422, 'invalid_input'))).toEqual(['template']);
    await expectError(await readText({ template: 'legacy-2014', text: 'a' }, {}), 401, 'unauthorized');
  });
});

describe('timeliness of an import', () => {
  it('is judged by its publication date against the year’s deadline, and a correction keeps its own', async () => {
    await putUnit('TL', '按时镇', 'ZS-DH');
    expect((await send('PUT', '/api/v1/admin/cycles/2024', { template: 'gov-2021', deadline: '2025-01-31T23:59:59+08:00', units: ['TL'] })).status).toBe(201);
    const body = (published_at: string) => ({ ...hongzeBody('TL', 2024), published_at });
    expect((await importReport(body('2025-01-20'))).ok).toBe(true);
    expect((await importReport({ ...body('2025-03-02'), reason: '更正第四项' })).ok).toBe(true);
    const versions = await db
      .prepare(`SELECT v.version, v.on_time, v.reason, v.is_current FROM report_versions v JOIN reports r ON r.id = v.report_id JOIN units u ON u.id = r.unit_id WHERE u.code = 'TL' ORDER BY v.version`)
      .all();
    expect(versions.results).toEqual([
      { version: 1, on_time: 1, reason: null, is_current: 0 },
      { version: 2, on_time: 0, reason: '更正第四项', is_current: 1 },
    ]);
    expect(await one(`SELECT r.status, r.published_version FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.code = 'TL'`)).toEqual({ status: 'published', published_version: 2 });
  });
});
