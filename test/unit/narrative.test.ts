// The narrative against the tables, and its completeness (issue 16), on the pure core: the
// reference report and the real pages' texts must raise no false alarm; a contradiction must be
// caught, naming the clause and the cell; a sentence that may count new + carried over must not.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cellKeys, getTemplate, type Cells, type Template } from '../../src/core';
import { completenessIssues } from '../../src/core/completeness';
import { narrativeIssues, statedFigures } from '../../src/core/narrative';
import { textIssues, validateReport } from '../../src/core/narrative-issues';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const json = (relative: string) => JSON.parse(readFileSync(here(relative), 'utf8'));

const gov2021 = getTemplate('gov-2021')!;
const gov2019 = getTemplate('gov-2019')!;
const legacy = getTemplate('legacy-2014')!;

/** Every cell 0, then the given ones. */
const zeros = (template: Template, cells: Cells = {}): Cells => ({ ...Object.fromEntries(cellKeys(template).map((k) => [k, 0])), ...cells });

/** A complete gov-2021 text (五 with last year's correction, 六 with 信息处理费): only the figures differ. */
const govText = (overview: string) => ({
  overview,
  problems: '存在的问题：政策解读形式不够丰富。上年度指出的栏目更新不及时问题已整改到位。',
  other: '本年度未收取信息处理费。',
});

/** The applications table with `n` new (all natural persons) and `carried` carried over, all disclosed. */
const applications = (n: number, carried = 0): Cells => ({
  'applications.new.natural': n,
  'applications.new.total': n,
  'applications.carried_in.natural': carried,
  'applications.carried_in.total': carried,
  'applications.disclosed.natural': n + carried,
  'applications.disclosed.total': n + carried,
  'applications.results_total.natural': n + carried,
  'applications.results_total.total': n + carried,
});

describe('the reference report (金塘镇 2018, legacy-2014)', () => {
  const reference = json('../fixtures/jintang-2018.json') as { sections: Record<string, string>; cells: Cells };
  const cells = { ...zeros(legacy), ...reference.cells };

  it('reads 「新增主动公开政务259条」 as the total, and its 「其中…23条、…5条」 breakdown as no total', () => {
    const figures = statedFigures(legacy, 'body', reference.sections.body!);
    expect(figures.map((f) => [f.sentence, f.value, f.phrase.readings[0]!.cells])).toEqual([
      ['金塘管委会门户网站共计新增主动公开政务259条', 259, ['stats.proactive_total.value']],
    ]);
  });

  it('raises no false alarm: the text agrees with the table and nothing is missing', () => {
    expect(textIssues(legacy, { sections: reference.sections, cells }, { stage: 'submit', year: 2018 })).toEqual([]);
  });

  it('catches the same sentence beside a table that says otherwise, naming the clause and the cell', () => {
    const issues = narrativeIssues(legacy, reference.sections, { ...cells, 'stats.proactive_total.value': 260 });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ rule: 'narrative_figures', severity: 'warning', section: 'body', cells: ['stats.proactive_total.value'], actual: 259 });
    expect(issues[0]!.message.zh).toContain('「金塘管委会门户网站共计新增主动公开政务259条」');
    expect(issues[0]!.message.zh).toContain('（一）主动公开政府信息数');
    expect(issues[0]!.message.zh).toContain('为 260');
  });
});

describe('the two real cases of the issue', () => {
  it('平潭 2023: 「清理并集中发布现行有效行政规范性文件393件」 beside 470 现行有效 is caught', () => {
    const page = json('../fixtures/real-html/pingtan-2023.cells.json') as { cells: Cells };
    const overview = '按照省政府办公厅相关工作要求设立规范性文件库，清理并集中发布现行有效行政规范性文件393件，动态更新本年度制发的规范性文件77件。';
    const issues = narrativeIssues(gov2021, govText(overview), page.cells);
    expect(issues.map((i) => [i.sentence, i.cells, i.actual])).toEqual([['清理并集中发布现行有效行政规范性文件393件', ['regulations.normative.in_force'], 393]]);
    expect(issues[0]!.message.zh).toContain('行政规范性文件·现行有效件数 为 470');
  });

  it('「收到申请75件」 beside 74 本年新收 and 1 上年结转 is no mismatch (new + carried over)', () => {
    const cells = zeros(gov2021, applications(74, 1));
    expect(narrativeIssues(gov2021, govText('（二）依申请公开方面。全年共收到申请75件，均已按期答复。'), cells)).toEqual([]);
    expect(narrativeIssues(gov2021, govText('全年共收到政府信息公开申请74件。'), cells)).toEqual([]);
    // Neither reading gives 76: caught, naming both.
    const wrong = narrativeIssues(gov2021, govText('全年共收到政府信息公开申请76件。'), cells);
    expect(wrong).toHaveLength(1);
    expect(wrong[0]!.message.zh).toContain('一、本年新收政府信息公开申请数量·总计 为 74');
    expect(wrong[0]!.message.zh).toContain('二、上年结转政府信息公开申请数量·总计 为 75');
  });
});

describe('constructed contradictions, each caught with its clause and cell', () => {
  const cells = zeros(gov2021, {
    ...applications(11),
    'regulations.normative.issued': 5,
    'regulations.normative.repealed': 2,
    'regulations.rules.issued': 1,
    'fees.fees.amount': 12.345678,
    'appeals.review.upheld': 1,
    'appeals.review.total': 1,
    'appeals.suit_direct.pending': 2,
    'appeals.suit_direct.total': 2,
  });
  const cases: [string, string, string[], number][] = [
    ['全年共受理政府信息公开申请12件', '全年共受理政府信息公开申请12件', ['applications.new.total', 'applications.carried_in.total'], 12],
    ['办结政府信息公开申请10件', '办结政府信息公开申请10件', ['applications.results_total.total'], 10],
    ['本年制发行政规范性文件6件', '本年制发行政规范性文件6件', ['regulations.normative.issued'], 6],
    ['废止行政规范性文件3件', '废止行政规范性文件3件', ['regulations.normative.repealed'], 3],
    ['制定规章2件', '制定规章2件', ['regulations.rules.issued'], 2],
    ['全年行政事业性收费12.5万元', '全年行政事业性收费12.5万元', ['fees.fees.amount'], 12.5],
    ['发生政府信息公开行政复议案件3起', '发生政府信息公开行政复议案件3起', ['appeals.review.total'], 3],
    ['涉及政府信息公开的行政诉讼案件1件', '涉及政府信息公开的行政诉讼案件1件', ['appeals.suit_direct.total', 'appeals.suit_after_review.total'], 1],
  ];
  for (const [sentence, clause, expectedCells, stated] of cases) {
    it(`「${sentence}」`, () => {
      const issues = narrativeIssues(gov2021, govText(`2026年，${sentence}。`), cells);
      expect(issues.map((i) => [i.rule, i.section, i.sentence, i.cells, i.actual])).toEqual([['narrative_figures', 'overview', clause, expectedCells, stated]]);
      expect(issues[0]!.message.zh).toContain(`「${clause}」`);
      expect(issues[0]!.message.en).toContain(`「${clause}」`);
    });
  }

  it('the same sentences agreeing with the table raise nothing (收费 agrees as rounded in print)', () => {
    const text = '全年共受理政府信息公开申请11件，办结政府信息公开申请11件。本年制发行政规范性文件5件，废止行政规范性文件2件，制定规章1件。全年行政事业性收费12.35万元。发生政府信息公开行政复议案件1起、行政诉讼案件2件。';
    expect(narrativeIssues(gov2021, govText(text), cells)).toEqual([]);
  });

  it('a figure in 五 or 六 is found there, and listed at that part', () => {
    const issues = narrativeIssues(gov2021, { ...govText(''), other: '本年度未收取信息处理费。全年共受理政府信息公开申请9件。' }, cells);
    expect(issues.map((i) => i.section)).toEqual(['other']);
  });

  it('gov-2019 compares 制作 with 本年新制作数量', () => {
    const issues = narrativeIssues(gov2019, { overview: '本年新制作规范性文件4件。', problems: '', other: '' }, zeros(gov2019, { 'regulations.normative.made': 3 }));
    expect(issues.map((i) => i.cells)).toEqual([['regulations.normative.made']]);
  });
});

describe('what is not a total is left alone', () => {
  const cells = zeros(gov2021, applications(81));
  const quiet = [
    '办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%。',
    '共受理申请121510件。', // 行政审批 in a sentence that is not about disclosure
    '收到政府信息公开申请较上年增加12件。',
    '上年收到政府信息公开申请60件。',
    '收到政府信息公开申请约90件。',
    '收到政府信息公开申请80余件。',
    '各乡镇收到政府信息公开申请30件，占37%。',
    '全年办理行政复议案件356件。', // not about disclosure
    '行政复议、行政诉讼共9件。',
    '未发生因政府信息公开引起的行政复议。',
    '区直各部门收到政府信息公开申请30件。', // one body of several
    '本级收到政府信息公开申请20件。',
  ];
  for (const text of quiet) {
    it(`「${text}」`, () => expect(narrativeIssues(gov2021, govText(text), cells)).toEqual([]));
  }

  it('办理 may count what was handled: 81 handled of 83 received (2 carried to next year) is no mismatch', () => {
    const handled = zeros(gov2021, { ...applications(83), 'applications.results_total.total': 81, 'applications.carried_out.total': 2 });
    expect(narrativeIssues(gov2021, govText('全年共办理政府信息公开申请81件。'), handled)).toEqual([]);
    expect(narrativeIssues(gov2021, govText('全年共办理政府信息公开申请90件。'), handled)).toHaveLength(1);
  });

  it('full-width digits and grouped thousands are read as numbers', () => {
    expect(statedFigures(gov2021, 'overview', '全年共收到政府信息公开申请１，２３４件。').map((f) => f.value)).toEqual([1234]);
  });

  it('blank cells: nothing to compare yet', () => {
    expect(narrativeIssues(gov2021, govText('全年共收到政府信息公开申请12件。'), {})).toEqual([]);
  });
});

describe('completeness of the narrative', () => {
  it('a complete gov-2021 text raises nothing', () => {
    expect(completenessIssues(gov2021, govText('总体情况……'), { year: 2026 })).toEqual([]);
  });

  it('each empty or placeholder part is a completeness_parts warning at that part', () => {
    const issues = completenessIssues(gov2021, { overview: '', problems: '无', other: '本年度未收取信息处理费。' });
    expect(issues.map((i) => [i.rule, i.section])).toEqual([
      ['completeness_parts', 'overview'],
      ['completeness_parts', 'problems'],
    ]);
    expect(issues[0]!.message.zh).toContain('「一、总体情况」未填写');
  });

  it('五 without last year’s correction, 六 without 信息处理费: one warning each', () => {
    const issues = completenessIssues(gov2021, { overview: '总体情况……', problems: '存在的问题：一是……。下一步将加强培训。', other: '政务公开工作创新情况……' }, { year: 2026 });
    expect(issues.map((i) => [i.rule, i.section])).toEqual([
      ['completeness_correction', 'problems'],
      ['completeness_fees', 'other'],
    ]);
  });

  it('the year before the report year counts as last year (「2025年指出的问题已整改」 in 2026)', () => {
    const text = { ...govText('…'), problems: '2025年度评估指出的问题已全部整改。' };
    expect(completenessIssues(gov2021, text, { year: 2026 })).toEqual([]);
    expect(completenessIssues(gov2021, text, { year: 2028 }).map((i) => i.rule)).toEqual(['completeness_correction']);
  });

  it('gov-2019 and legacy-2014 ask only that each part be filled in', () => {
    expect(completenessIssues(gov2019, { overview: '…', problems: '…', other: '' }).map((i) => [i.rule, i.section])).toEqual([['completeness_parts', 'other']]);
    expect(completenessIssues(legacy, { body: '' }).map((i) => i.rule)).toEqual(['completeness_parts']);
  });

  it('validateReport gives the table rules and the text issues together; completeness at submission only, like blank cells', () => {
    const content = { sections: { overview: '', problems: '', other: '' }, cells: {} };
    expect(validateReport(gov2021, content, { stage: 'submit' }).filter((i) => i.rule === 'completeness_parts')).toHaveLength(3);
    expect(validateReport(gov2021, content, { stage: 'submit' }).filter((i) => i.rule === 'filled').length).toBeGreaterThan(0);
    expect(validateReport(gov2021, content, { stage: 'draft' })).toEqual([]);
  });
});

describe('reportQuality: what an assessment would count, as a score', () => {
  const cells = zeros(gov2021, applications(11));
  it('a clean report on time in its format scores 100; each finding costs its deduction', async () => {
    const { reportQuality } = await import('../../src/core/narrative-quality');
    const clean = reportQuality({ template: gov2021, year: 2026, sections: govText('全年共受理政府信息公开申请11件。'), cells, onTime: true });
    expect(clean).toEqual({ onTime: true, formatOk: true, tableIssues: 0, mismatches: 0, missing: 0, score: 100, findings: [] });
    const poor = reportQuality({ template: gov2019, year: 2026, sections: { overview: '全年共收到政府信息公开申请12件。', problems: '', other: '' }, cells: zeros(gov2019, applications(11)), onTime: false });
    // late −20, wrong format −20, one mismatch −10, two empty parts −20.
    expect(poor).toMatchObject({ onTime: false, formatOk: false, mismatches: 1, missing: 2, score: 30 });
    // Each finding is listed with the message that names it, in the order of the counts.
    expect(poor.findings.map((f) => f.rule)).toEqual(['narrative_figures', 'completeness_parts', 'completeness_parts']);
    const failing = reportQuality({ template: gov2021, year: 2026, sections: govText('…'), cells: { ...cells, 'applications.new.total': 99 }, onTime: null });
    expect(failing.tableIssues).toBeGreaterThan(0);
    expect(failing.score).toBe(100 - Math.min(30, failing.tableIssues * 5));
  });
});
