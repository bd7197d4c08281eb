// The three public template endpoints, through the real Worker in workerd.
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import hongze from '../fixtures/real/hongze-district-2023.json';
import huaian from '../fixtures/real/huaian-city-2024.json';
import pingtan from '../fixtures/real/pingtan-2022.json';

const call = (path: string, init?: RequestInit) => exports.default.fetch(new Request(`http://nianbao.test${path}`, init));

const validateRequest = (body: unknown, headers: Record<string, string> = {}) =>
  call('/api/v1/validate', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

type Verdict = {
  ok: boolean;
  errors: number;
  warnings: number;
  issues: { rule: string; severity: string; cells: string[]; message: string }[];
  totals: Record<string, number>;
};
type ErrorBody = { error: { code: string; message: string; details: { field: string; message: string }[] } };

describe('GET /api/v1/templates', () => {
  it('lists the three official formats with their basis and years', async () => {
    const res = await call('/api/v1/templates');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { templates: { id: string; title: string; basis: string; years: unknown }[] };
    expect(body.templates.map((t) => t.id)).toEqual(['gov-2021', 'gov-2019', 'legacy-2014']);
    expect(body.templates[0]).toEqual({
      id: 'gov-2021',
      title: '中华人民共和国政府信息公开工作年度报告格式',
      basis: '国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》',
      years: { from: 2021, to: null },
    });
  });

  it('is public data: CORS for everyone, cacheable, 304 on a matching ETag', async () => {
    const res = await call('/api/v1/templates', { headers: { Origin: 'https://example.org' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+/);
    const etag = res.headers.get('ETag');
    expect(etag).toBeTruthy();
    const again = await call('/api/v1/templates', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });
});

describe('GET /api/v1/templates/{id}', () => {
  it('gives the whole gov-2021 template: tables, labels, units, layouts and rules', async () => {
    const res = await call('/api/v1/templates/gov-2021');
    expect(res.status).toBe(200);
    const t = (await res.json()) as {
      tables: { key: string; measure: { unit: string }; rows: { key: string; label: string }[]; columns: { key: string }[] }[];
      parts: { type: string; key: string; title?: string; layout?: { columns: number; body: unknown[][] } }[];
      rules: { id: string; severity: string }[];
      sections: { key: string; title: string }[];
    };
    const apps = t.tables.find((x) => x.key === 'applications')!;
    expect(apps.rows).toHaveLength(25);
    expect(apps.columns).toHaveLength(7);
    expect(apps.measure.unit).toBe('件');
    expect(apps.rows.find((r) => r.key === 'w_security')!.label).toBe('3.危及“三安全一稳定”');
    expect(t.tables.find((x) => x.key === 'fees')!.measure.unit).toBe('万元');
    expect(t.sections.map((s) => s.title)).toEqual(['一、总体情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项']);
    const appeals = t.parts.find((p) => p.key === 'appeals')!;
    expect(appeals.title).toBe('四、政府信息公开行政复议、行政诉讼情况');
    expect(appeals.layout!.columns).toBe(15);
    expect(appeals.layout!.body).toHaveLength(1);
    expect(t.rules.find((r) => r.id === 'carry_over')!.severity).toBe('warning');
  });

  it('answers an unknown template with 404 in the error shape, Chinese by default', async () => {
    const res = await call('/api/v1/templates/gov-2030');
    expect(res.status).toBe(404);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('unknown_template');
    expect(body.error.message).toContain('未知的报告模板“gov-2030”');
    const en = (await (await call('/api/v1/templates/gov-2030', { headers: { 'Accept-Language': 'en-US,en;q=0.9' } })).json()) as ErrorBody;
    expect(en.error.message).toBe('Unknown template "gov-2030". Known templates: gov-2021, gov-2019, legacy-2014.');
  });
});

describe('POST /api/v1/validate on real published reports', () => {
  it('passes 淮安市人民政府 2024 and 平潭综合实验区 2022 at submit', async () => {
    for (const report of [huaian, pingtan]) {
      const res = await validateRequest({ template: report.template, cells: report.cells, stage: 'submit' });
      expect(res.status).toBe(200);
      const v = (await res.json()) as Verdict;
      expect({ unit: report.unit, ok: v.ok, issues: v.issues }).toEqual({ unit: report.unit, ok: true, issues: [] });
    }
  });

  it('catches 洪泽区 2023: 行政复议 总计 printed as 0 beside 维持 10 and 纠正 1', async () => {
    const v = (await (await validateRequest({ template: 'gov-2021', cells: hongze.cells })).json()) as Verdict;
    expect(v.ok).toBe(false);
    expect(v.issues.map((i) => [i.rule, i.severity, i.message])).toEqual([
      ['appeal_total', 'error', '第四项 行政复议·总计应为 11（结果维持、结果纠正、其他结果、尚未审结之和），当前为 0'],
      ['appeal_total', 'error', '第四项 复议后起诉·总计应为 5（结果维持、结果纠正、其他结果、尚未审结之和），当前为 0'],
    ]);
    expect(v.issues[0]!.cells).toEqual([
      'appeals.review.total',
      'appeals.review.upheld',
      'appeals.review.corrected',
      'appeals.review.other',
      'appeals.review.pending',
    ]);
  });

  it('speaks English when the request prefers it', async () => {
    const v = (await (await validateRequest({ template: 'gov-2021', cells: hongze.cells }, { 'Accept-Language': 'en' })).json()) as Verdict;
    expect(v.issues[0]!.message).toBe(
      '第四项 行政复议·总计 should be 11 (upheld + corrected + other + pending), but is 0',
    );
  });

  it('flags blanks only at submit: 洪泽区 prints the 2019-style （六）其他处理 row, so its 2021 sub-rows are blank', async () => {
    const draft = (await (await validateRequest({ template: 'gov-2021', cells: hongze.cells, stage: 'draft' })).json()) as Verdict;
    expect(draft.issues.filter((i) => i.rule === 'filled')).toEqual([]);
    const submit = (await (await validateRequest({ template: 'gov-2021', cells: hongze.cells, stage: 'submit' })).json()) as Verdict;
    const blanks = submit.issues.filter((i) => i.rule === 'filled');
    expect(blanks.flatMap((i) => i.cells).sort()).toEqual([...hongze.missing].sort());
    expect(blanks[0]!.message).toBe('第三项（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请·自然人未填写（没有的请填 0）');
  });

  it('warns, without blocking, when last year’s carried-out applications do not match', async () => {
    const previous = { 'applications.carried_out.natural': 2, 'applications.carried_out.total': 1 };
    const v = (await (await validateRequest({ template: 'gov-2021', cells: pingtan.cells, previous })).json()) as Verdict;
    expect(v.ok).toBe(true);
    expect(v.warnings).toBe(1);
    expect(v.issues).toEqual([
      {
        rule: 'carry_over',
        severity: 'warning',
        cells: ['applications.carried_in.natural'],
        message: '第三项 二、上年结转政府信息公开申请数量·自然人应为 2（上年报告的“结转下年度继续办理”），当前为 1',
        expected: 2,
        actual: 1,
      },
    ]);
  });

  it('computes the totals a form should fill in', async () => {
    const cells = { 'applications.disclosed.natural': 3, 'applications.partial.natural': 2, 'appeals.review.upheld': 4 };
    const v = (await (await validateRequest({ template: 'gov-2021', cells })).json()) as Verdict;
    expect(v.totals).toEqual({
      'applications.results_total.natural': 5,
      'applications.disclosed.total': 3,
      'applications.partial.total': 2,
      'applications.results_total.total': 5,
      'appeals.review.total': 4,
    });
  });
});

describe('POST /api/v1/validate with bad bodies: 4xx naming the field, never a 500', () => {
  const cases: [string, unknown, number, string, string | undefined][] = [
    ['malformed JSON', '{"template": "gov-2021", ', 400, 'malformed_json', undefined],
    ['a bare array', [], 422, 'invalid_input', ''],
    ['no template', { cells: {} }, 422, 'invalid_input', 'template'],
    ['no cells', { template: 'gov-2021' }, 422, 'invalid_input', 'cells'],
    ['cells as an array', { template: 'gov-2021', cells: [1, 2] }, 422, 'invalid_input', 'cells'],
    ['a bare number', 42, 422, 'invalid_input', ''],
    ['a number too large for a double', '{"template":"gov-2021","cells":{"applications.new.natural":1e400}}', 422, 'invalid_input', 'cells.applications.new.natural'],
    ['an unknown template', { template: 'gov-2018', cells: {} }, 422, 'unknown_template', 'template'],
    ['an unknown cell', { template: 'gov-2021', cells: { 'applications.new.robots': 1 } }, 422, 'unknown_cell', 'cells.applications.new.robots'],
    ['a gov-2019 cell in gov-2021', { template: 'gov-2021', cells: { 'procurement.procurement.amount': 1 } }, 422, 'unknown_cell', 'cells.procurement.procurement.amount'],
    ['a string where a number belongs', { template: 'gov-2021', cells: { 'applications.new.natural': '12' } }, 422, 'invalid_input', 'cells.applications.new.natural'],
    ['a number beyond 10^15, as the drafts API refuses it', { template: 'gov-2021', cells: { 'applications.new.natural': 1e20 } }, 422, 'invalid_input', 'cells.applications.new.natural'],
    ['a number beyond 10^15 in previous', { template: 'gov-2021', cells: {}, previous: { 'applications.new.natural': -1e16 } }, 422, 'invalid_input', 'previous.applications.new.natural'],
    ['an unknown cell in previous', { template: 'gov-2021', cells: {}, previous: { nope: 1 } }, 422, 'unknown_cell', 'previous.nope'],
    ['an unknown stage', { template: 'gov-2021', cells: {}, stage: 'final' }, 422, 'invalid_input', 'stage'],
  ];
  for (const [what, body, status, code, field] of cases) {
    it(`rejects ${what} with ${status} ${code}`, async () => {
      const res = await validateRequest(body);
      expect(res.status).toBe(status);
      const error = ((await res.json()) as ErrorBody).error;
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/[\u4e00-\u9fff]/); // Chinese by default
      if (field !== undefined) expect(error.details.map((d) => d.field)).toContain(field);
    });
  }

  it('names the field in Chinese: a string where a number belongs', async () => {
    const res = await validateRequest({ template: 'gov-2021', cells: { 'applications.new.natural': '12' } });
    const detail = ((await res.json()) as ErrorBody).error.details[0]!;
    expect(detail.message).toBe('cells.applications.new.natural应为数字，收到的是 "12"');
  });

  it('says a cells array must be an object, in Chinese or English', async () => {
    const zh = ((await (await validateRequest({ template: 'gov-2021', cells: [1] })).json()) as ErrorBody).error.details;
    expect(zh).toMatchObject([{ field: 'cells', message: 'cells应为 JSON 对象，不是数组' }]);
    const en = ((await (await validateRequest({ template: 'gov-2021', cells: [1] }, { 'Accept-Language': 'en' })).json()) as ErrorBody).error.details;
    expect(en).toMatchObject([{ field: 'cells', message: 'cells must be a JSON object, not an array' }]);
  });

  it('reports a number with decimals in a count cell as a rule failure, not a malformed body', async () => {
    const v = (await (await validateRequest({ template: 'gov-2021', cells: { 'applications.new.natural': 1.5 } })).json()) as Verdict;
    expect(v.issues[0]).toMatchObject({ rule: 'nonneg', severity: 'error', cells: ['applications.new.natural'] });
  });
});
