// Plausibility limits through the real Worker (issue 14): a draft keeps an implausible number (no
// input is ever lost) but cannot be submitted, and the refusal names the row in Chinese and in
// English; the form without JavaScript says the same; an import keeps it as an issue; a jump of
// more than 10× from last year's published report is a warning that needs an explanation.
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPLETE_SECTIONS, call, openCycle, postForm, setUpTree, zeros, type Sessions } from './review-helpers';
import { publishReport } from './report-helpers';
import { importReport } from './publication-helpers';

const COERCION = 'enforcement.coercion.decisions';
const ABSURD = 99999999999999;
const COERCION_ZH = '第二项 第二十条第（六）项 → 行政强制·本年处理决定数量：99999999999999 超出合理范围（一个单位一年不会超过 100,000,000 件），请核对';
const COERCION_EN = '第二项 第二十条第（六）项 → 行政强制·本年处理决定数量: 99999999999999 is not plausible (no unit has more than 100,000,000 件 in a year); check the number';

type ErrorBody = { error: { code: string; message: string; details: { field: string; message: string; rule?: string }[] } };

let s: Sessions;
const api = (year: number) => `/api/v1/drafts/JT/${year}`;
const json = (cookie: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(path, { method, cookie, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

beforeAll(async () => {
  s = await setUpTree();
  await openCycle(2031);
  await openCycle(2033);
});

describe('an implausible number', () => {
  it('is saved in a draft (never lost), flagged as an error, and refuses submission naming the row, zh and en', async () => {
    const saved = await json(s.clerk, 'PUT', api(2031), { revision: 0, cells: { ...zeros(), [COERCION]: ABSURD } });
    expect(saved.status).toBe(200);
    const body = (await saved.json()) as { revision: number; issues: { rule: string; severity: string; message: string }[] };
    const draft = (await (await call(api(2031), { cookie: s.clerk })).json()) as { cells: Record<string, number> };
    expect(draft.cells[COERCION]).toBe(ABSURD);
    expect(body.issues.map((i) => [i.rule, i.severity, i.message])).toEqual([['plausible', 'error', COERCION_ZH]]);

    const zh = await json(s.clerk, 'POST', `${api(2031)}/submit`, { revision: body.revision });
    expect(zh.status).toBe(422);
    const refusal = (await zh.json()) as ErrorBody;
    expect(refusal.error.code).toBe('rule_errors');
    expect(refusal.error.details.map((d) => [d.field, d.rule, d.message])).toEqual([[`cells.${COERCION}`, 'plausible', COERCION_ZH]]);

    const en = await json(s.clerk, 'POST', `${api(2031)}/submit`, { revision: body.revision }, { 'Accept-Language': 'en' });
    expect(en.status).toBe(422);
    expect(((await en.json()) as ErrorBody).error.details.map((d) => d.message)).toEqual([COERCION_EN]);

    const status = (await (await call(api(2031), { cookie: s.clerk })).json()) as { status: string };
    expect(status.status).toBe('draft');
  });

  it('the check page shows it as an error and offers no submit button', async () => {
    const page = await call(`/app/reports/JT/2031/check`, { cookie: s.clerk });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(COERCION_ZH);
    expect(html).not.toContain('action="/app/reports/JT/2031/submit"');
  });

  it('a number too large to store, typed without JavaScript, comes back as typed with the plausibility message', async () => {
    const typed = '99999999999999999999999';
    const res = await postForm(`/app/reports/JT/2031`, { revision: '1', action: 'save', [`c.${COERCION}`]: typed }, { cookie: s.clerk });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(`value="${typed}"`);
    expect(html).not.toContain('1e+23');
    expect(html).toContain('行政强制·本年处理决定数量：99999999999999999999999 超出合理范围');
  });

  it('an import keeps it and returns it as an issue', async () => {
    const res = await importReport({
      unit: 'BQ',
      year: 2024,
      template: 'gov-2021',
      sections: {},
      cells: { ...zeros(), [COERCION]: ABSURD },
      published_at: '2025-01-20',
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { issues: { rule: string; severity: string; cells?: string[]; message: string }[] };
    expect(body.issues.map((i) => [i.rule, i.severity, i.message])).toEqual([['plausible', 'error', COERCION_ZH]]);
    const published = (await (await call('/api/v1/reports/BQ/2024')).json()) as { cells: Record<string, number> };
    expect(published.cells[COERCION]).toBe(ABSURD);
  });
});

describe('a jump of more than 10× from last year', () => {
  it('is a warning on the draft that needs an explanation before submitting', async () => {
    await publishReport('JT', 2032, { ...zeros(), 'licensing.licensing.decisions': 40 });
    const saved = await json(s.clerk, 'PUT', api(2033), { revision: 0, cells: { ...zeros(), 'licensing.licensing.decisions': 4100 }, sections: COMPLETE_SECTIONS });
    const body = (await saved.json()) as { revision: number; issues: { rule: string; severity: string; message: string }[] };
    expect(body.issues.map((i) => [i.rule, i.severity, i.message])).toEqual([
      ['jump', 'warning', '第二项 第二十条第（五）项 → 行政许可·本年处理决定数量：本年 4100，是上年 40 的 102 倍以上，请核对；如无误请说明原因'],
    ]);
    const refused = await json(s.clerk, 'POST', `${api(2033)}/submit`, { revision: body.revision });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as ErrorBody).error.code).toBe('unexplained_warnings');

    const explained = await json(s.clerk, 'PUT', api(2033), { revision: body.revision, explanations: { jump: '本年起承接县级下放的许可事项。' } });
    const { revision } = (await explained.json()) as { revision: number };
    expect((await json(s.clerk, 'POST', `${api(2033)}/submit`, { revision })).status).toBe(200);
  });

});
