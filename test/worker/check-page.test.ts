// The check page (检查并提交, issue 14) through the Worker: what stops submission comes first,
// linking to each field; the blank count is the form's (typed cells, not computed totals); the
// warnings carry their explanation boxes; the whole report follows as it will be published, part
// 二 included; narratives are whole when short, folded when long.
import { beforeAll, describe, expect, it } from 'vitest';
import { derivedCells } from '../../src/core/derived-cells';
import { cellKeys } from '../../src/core';
import { publishReport } from './report-helpers';
import { COMPLETE_SECTIONS, call, fillAndSubmit, gov2021, mailTo, openCycle, postForm, reviewMails, setUpTree, zeros, type Sessions } from './review-helpers';

let s: Sessions;
const form = (year: number) => `/app/reports/JT/${year}`;
const page = async (path: string, cookie: string) => {
  const res = await call(path, { cookie });
  expect(res.status).toBe(200);
  return res.text();
};
const json = (cookie: string, method: string, path: string, body: unknown) =>
  call(path, { method, cookie, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const typedCells = cellKeys(gov2021).filter((k) => !derivedCells(gov2021).has(k));

beforeAll(async () => {
  s = await setUpTree();
  await openCycle(2061);
  await openCycle(2063);
  await openCycle(2064);
});

describe('a new draft', () => {
  it('lists the blanks the form counts (typed cells only), first on the page, and offers no submission', async () => {
    const formHtml = await page(form(2061), s.clerk);
    const formBlanks = Number(formHtml.match(/其余 (\d+) 个空白填 0/)![1]);
    expect(formBlanks).toBe(typedCells.length);

    const html = await page(`${form(2061)}/check`, s.clerk);
    expect(html).toContain(`还有 ${formBlanks} 个单元格空白`);
    const summary = html.indexOf('data-check-summary');
    expect(summary).toBeGreaterThan(-1);
    expect(summary).toBeLessThan(html.indexOf('class="summary-list"'));
    expect(html).toContain(`href="${form(2061)}#f-c.${typedCells[0]}"`);
    expect(html).not.toContain('确认提交');
    // No warning about a blank cell on a draft nobody has typed in: only that its text is missing (issue 16).
    const warnings = html.slice(html.indexOf('id="check-warnings"'), html.indexOf('id="check-preview"'));
    expect([...warnings.matchAll(/name="x\.([a-z_]+)"/g)].map((m) => m[1])).toEqual(['completeness_parts']);
    const en = await page(`${form(2061)}/check?lang=en`, s.clerk);
    expect(en).toContain(`${formBlanks} cell(s) are blank`);
    expect(en).toContain('The report as it will be published');
  });

  it('shows the whole report as it will be published, part 二 with every row', async () => {
    const html = await page(`${form(2061)}/check`, s.clerk);
    const preview = html.slice(html.indexOf('id="check-preview"'));
    for (const label of ['二、主动公开政府信息情况', '规章', '行政规范性文件', '行政许可', '行政处罚', '行政强制', '行政事业性收费', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况']) {
      expect(preview).toContain(label);
    }
    expect(preview.match(/<table class="official">/g)!.length).toBeGreaterThanOrEqual(3);
  });
});

describe('narratives', () => {
  it('a short one whole, without 「…」; a long one folded', async () => {
    const short = '本年度依法做好政府信息公开工作。';
    const long = '全年围绕政务公开重点任务，'.repeat(20);
    const saved = await json(s.clerk, 'PUT', `/api/v1/drafts/JT/2061`, { revision: 0, sections: { overview: short, problems: long } });
    expect(saved.status).toBe(200);
    const html = await page(`${form(2061)}/check`, s.clerk);
    const list = html.slice(html.indexOf('class="summary-list"'), html.indexOf('id="check-preview"'));
    expect(list).toContain(`<span class="narrative">${short}</span>`);
    expect(list).not.toContain(`${short}…`);
    expect(list).toMatch(/<details class="narrative"><summary>全年围绕政务公开重点任务，[^<]*（共 260 字，展开）<\/summary>/);
  });
});

describe('errors and warnings', () => {
  it('an error links to its field; a warning has its explanation box, saved from the check page itself', async () => {
    await publishReport('JT', 2062, { ...zeros(), 'applications.carried_out.natural': 2, 'applications.carried_out.total': 2 });
    const saved = await json(s.clerk, 'PUT', `/api/v1/drafts/JT/2063`, { revision: 0, cells: { ...zeros(), 'applications.new.natural': 5 }, sections: COMPLETE_SECTIONS });
    const { revision } = (await saved.json()) as { revision: number };

    let html = await page(`${form(2063)}/check`, s.clerk);
    expect(html).toContain(`href="${form(2063)}#f-c.applications.new.natural"`);
    const warnings = html.slice(html.indexOf('id="check-warnings"'), html.indexOf('id="check-preview"'));
    expect(warnings).toContain('上年报告的“结转下年度继续办理”');
    expect(warnings).toContain('<textarea id="f-x.carry_over" name="x.carry_over"');
    // On the form, the warning beside its row links to its explanation box.
    const formHtml = await page(form(2063), s.clerk);
    expect(formHtml).toMatch(/<li class="warning">第三项 二、上年结转政府信息公开申请数量·自然人[^<]*<a href="#f-x.carry_over">填写说明<\/a><\/li>/);

    // Fix the error on the form, explain the warning on the check page: back on the check page, submittable.
    const fixed = await json(s.clerk, 'PUT', `/api/v1/drafts/JT/2063`, { revision, cells: { 'applications.new.natural': 0 } });
    const next = ((await fixed.json()) as { revision: number }).revision;
    const explained = await postForm(form(2063), { revision: String(next), action: 'check', 'x.carry_over': '上年结转的申请已于年初办结。' }, { cookie: s.clerk });
    expect(explained.status).toBe(303);
    expect(explained.headers.get('Location')).toBe(`${form(2063)}/check`);
    html = await page(`${form(2063)}/check`, s.clerk);
    expect(html).toContain('上年结转的申请已于年初办结。');
    expect(html).toContain('确认提交');
    expect(html).not.toContain('data-check-summary');
  });

  it('检查并提交 without the script and with a cell it cannot read: the form again, its summary focused, naming the cell', async () => {
    const draft = (await (await call(`/api/v1/drafts/JT/2061`, { cookie: s.clerk })).json()) as { revision: number };
    const res = await postForm(form(2061), { revision: String(draft.revision), action: 'check', 'c.enforcement.coercion.decisions': '十二' }, { cookie: s.clerk });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<div class="error-summary" tabindex="-1" autofocus="" data-summary="">/);
    expect(html).toContain('<a href="#f-c.enforcement.coercion.decisions">第二项 行政强制·本年处理决定数量：请输入数字');
  });

  it('a refused submission shows the summary first, focused', async () => {
    const draft = (await (await call(`/api/v1/drafts/JT/2061`, { cookie: s.clerk })).json()) as { revision: number };
    const refused = await postForm(`${form(2061)}/submit`, { revision: String(draft.revision) }, { cookie: s.clerk });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toMatch(/<div class="error-summary" role="alert" tabindex="-1" autofocus="" data-check-summary="">/);
  });
});

describe('words', () => {
  it('a saved draft is a 稿 on the form; history after a return says 已退回修改 → 已提交, not 草稿', async () => {
    await fillAndSubmit(s.clerk, 'JT', 2064);
    const mail = mailTo(await reviewMails('JT', 2064), 'li@dh.example.cn');
    expect((await postForm(mail.path, { decision: 'return', comment: '请补充第五项。' })).status).toBe(200);
    const draft = (await (await call('/api/v1/drafts/JT/2064', { cookie: s.clerk })).json()) as { revision: number };
    const saved = await postForm(form(2064), { revision: String(draft.revision), action: 'save', 's.problems': '已补充：上年度的问题已整改。' }, { cookie: s.clerk });
    expect(saved.status).toBe(303);
    const formHtml = await page(saved.headers.get('Location')!, s.clerk);
    expect(formHtml).toContain(`已保存（第 ${draft.revision + 1} 稿）`);
    expect(formHtml).not.toMatch(/第 \d+ 版/);

    const submitted = await postForm(`${form(2064)}/submit`, { revision: String(draft.revision + 1) }, { cookie: s.clerk });
    expect(submitted.status).toBe(303);
    const trail = (await page(form(2064), s.clerk)).split('class="audit-trail"')[1]!;
    const steps = [...trail.matchAll(/<span class="muted">([^<]*)<\/span>/g)].map((m) => m[1]!.replace(/，第 \d+ 稿/, ''));
    expect(steps.slice(-2)).toEqual(['已提交，等待审核 → 已退回修改', '已退回修改 → 已提交，等待审核']);
  });
});
