// The checks on the text through the real Worker (issue 16): POST /api/v1/validate with sections;
// the clerk's form showing a figure of the text that contradicts the table at its part and at the
// cell; the check page, submission (an explanation needed like any warning), the supervisor's
// review page and mail; and the real published pages of 平潭 read by the importer, whose
// narratives raise only what is really there.
import { beforeAll, describe, expect, it } from 'vitest';
import { getTemplate, type Cells } from '../../src/core';
import { textIssues } from '../../src/core/narrative-issues';
import { importHtml } from '../../src/core/text-import';
import { htmlTokens } from '../../src/areas/admin/html-tokens';
import html2014 from '../fixtures/real-html/pingtan-2014.html?raw';
import verified2014 from '../fixtures/real-html/pingtan-2014.cells.json';
import html2023 from '../fixtures/real-html/pingtan-2023.html?raw';
import verified2023 from '../fixtures/real-html/pingtan-2023.cells.json';
import { COMPLETE_SECTIONS, call, mailTo, openCycle, postForm, reviewMails, setUpTree, zeros, type Sessions } from './review-helpers';

const validate = (body: unknown, query = '') =>
  call(`/api/v1/validate${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** 11 new applications, all disclosed. */
const ELEVEN = { 'applications.new.natural': 11, 'applications.disclosed.natural': 11 };
const CONTRADICTION = '2026年，全年共受理政府信息公开申请12件，均已按时答复。';

describe('POST /api/v1/validate with sections', () => {
  const cells = { ...zeros(), ...ELEVEN, 'applications.new.total': 11, 'applications.disclosed.total': 11, 'applications.results_total.natural': 11, 'applications.results_total.total': 11 };

  it('returns the figure of the text against its cell as a narrative_ warning, naming the part, the clause and the cells', async () => {
    const res = await validate({ template: 'gov-2021', cells, sections: { ...COMPLETE_SECTIONS, overview: CONTRADICTION } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; warnings: number; issues: { rule: string; section?: string; sentence?: string; cells: string[]; message: string }[] };
    expect(body.ok).toBe(true);
    const narrative = body.issues.filter((i) => i.rule.startsWith('narrative_'));
    expect(narrative).toEqual([
      expect.objectContaining({
        rule: 'narrative_figures',
        severity: 'warning',
        section: 'overview',
        sentence: '全年共受理政府信息公开申请12件',
        cells: ['applications.new.total', 'applications.carried_in.total'],
      }),
    ]);
    expect(narrative[0]!.message).toContain('「全年共受理政府信息公开申请12件」');
    expect(narrative[0]!.message).toContain('一、本年新收政府信息公开申请数量·总计 为 11');
    const en = (await (await validate({ template: 'gov-2021', cells, sections: { overview: CONTRADICTION } }, '?lang=en')).json()) as { issues: { rule: string; message: string }[] };
    expect(en.issues.find((i) => i.rule === 'narrative_figures')!.message).toContain('applications received 12 件, but in the tables');
  });

  it('at stage submit, the missing parts too; without sections, the tables only (as before)', async () => {
    const submit = (await (await validate({ template: 'gov-2021', cells, stage: 'submit', sections: { overview: '总体情况……', problems: '', other: '本年度未收取信息处理费。' } })).json()) as { issues: { rule: string; section?: string }[] };
    expect(submit.issues.map((i) => [i.rule, i.section])).toEqual([['completeness_parts', 'problems']]);
    const none = (await (await validate({ template: 'gov-2021', cells, stage: 'submit' })).json()) as { issues: unknown[] };
    expect(none.issues).toEqual([]);
  });

  it('an unknown section is a 422 naming it', async () => {
    const res = await validate({ template: 'gov-2021', cells, sections: { body: '…' } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; details: { field: string }[] } };
    expect(body.error.code).toBe('unknown_section');
    expect(body.error.details.map((d) => d.field)).toEqual(['sections.body']);
  });
});

describe('a contradiction from the form to the supervisor', () => {
  let s: Sessions;
  const form = '/app/reports/JT/2091';
  beforeAll(async () => {
    s = await setUpTree();
    await openCycle(2091);
  });

  it('shows at the sentence’s part and at the cell, with its explanation box, on the form and the check page; submission waits for the explanation; the review lists it', async () => {
    const put = await call('/api/v1/drafts/JT/2091', {
      method: 'PUT',
      cookie: s.clerk,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ revision: 0, cells: { ...zeros(), ...ELEVEN }, sections: { ...COMPLETE_SECTIONS, overview: CONTRADICTION } }),
    });
    expect(put.status).toBe(200);
    const saved = (await put.json()) as { revision: number; issues: { rule: string; section?: string }[] };
    expect(saved.issues.map((i) => [i.rule, i.section])).toEqual([['narrative_figures', 'overview']]);

    const html = await (await call(form, { cookie: s.clerk })).text();
    const atPart = html.slice(html.indexOf('data-messages="s.overview"'));
    expect(atPart.slice(0, atPart.indexOf('</ul>'))).toContain('「全年共受理政府信息公开申请12件」');
    const atCell = html.slice(html.indexOf('data-messages="applications.new"'));
    expect(atCell.slice(0, atCell.indexOf('</ul>'))).toContain('「全年共受理政府信息公开申请12件」');
    expect(html).toContain('href="#f-s.overview"');
    // The box is shown (not hidden) while the warning stands; the script is given the server's issues.
    expect(html).toMatch(/<div class="field"[^>]*data-explanation="narrative_figures"(?![^>]*hidden)/);
    expect(html).toContain('data-text-issues=');

    const check = await (await call(`${form}/check`, { cookie: s.clerk })).text();
    expect(check).toContain(`<a href="${form}#f-s.overview">`);
    expect(check).toContain('name="x.narrative_figures"');
    expect(check).not.toContain('确认提交');

    const refused = await call('/api/v1/drafts/JT/2091/submit', { method: 'POST', cookie: s.clerk, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ revision: saved.revision }) });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { details: { field: string }[] } }).error.details.map((d) => d.field)).toEqual(['explanations.narrative_figures']);

    const explained = await postForm(form, { revision: String(saved.revision), action: 'check', 'x.narrative_figures': '12件含1件上年结转后撤回的申请。' }, { cookie: s.clerk });
    expect(explained.status).toBe(303);
    const submitted = await postForm(`${form}/submit`, { revision: String(saved.revision + 1) }, { cookie: s.clerk });
    expect(submitted.status).toBe(303);

    const mail = mailTo(await reviewMails('JT', 2091), 'li@dh.example.cn');
    expect(mail.text).toContain('正文核对（正文与表格、内容完整性）1 项：');
    expect(mail.text).toContain('「全年共受理政府信息公开申请12件」');
    expect(mail.text).toContain('说明：12件含1件上年结转后撤回的申请。');
    const review = await (await call(mail.path)).text();
    const listed = review.slice(review.indexOf('data-text-checks'));
    expect(listed.slice(0, listed.indexOf('</ul>'))).toContain('「全年共受理政府信息公开申请12件」');
  });
});

describe('real published pages through the importer: what their narratives really hold', () => {
  it('平潭 2023 (gov-2021): of six figures its text states, only 「现行有效行政规范性文件393件」 (table: 470) disagrees; its 五 says nothing of last year’s problems', async () => {
    const page = importHtml(getTemplate('gov-2021')!, await htmlTokens(html2023));
    const issues = textIssues(getTemplate('gov-2021')!, { sections: page.sections, cells: verified2023.cells as Cells }, { stage: 'submit', year: 2023 });
    expect(issues.map((i) => [i.rule, i.section, i.sentence ?? null, i.cells])).toEqual([
      ['narrative_figures', 'overview', '清理并集中发布现行有效行政规范性文件393件', ['regulations.normative.in_force']],
      ['completeness_correction', 'problems', null, []],
    ]);
    // The verified transcription agrees: 393 is the one figure of the text the table does not hold.
    expect(verified2023.narrative_figures.filter((f) => !f.agrees).map((f) => f.number)).toEqual([393]);
  });

  it('平潭 2014 (legacy-2014): its 2543 条 and its one application agree; the 1687/856 split (占66%) and 121510 审批 applications are left alone', async () => {
    const page = importHtml(getTemplate('legacy-2014')!, await htmlTokens(html2014));
    expect(page.sections.body).toContain('共受理申请121510件');
    expect(page.sections.body).toContain('主动公开政府信息1687条');
    const issues = textIssues(getTemplate('legacy-2014')!, { sections: page.sections, cells: verified2014.cells as Cells }, { stage: 'submit', year: 2014 });
    expect(issues).toEqual([]);
  });
});
