// Real published reports through the rule engine. A clerk re-entering a real report must see
// exactly the problems the published report has: none for a clean report, and for 洪泽区 2023
// the two 行政复议/复议后起诉 totals printed as 0 (and, at submit, the 21 cells its table never had).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cellKeys, getTemplate, hasErrors, validate, type Cells, type Issue } from '../../src/core';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// ---------------------------------------------------------------------------------------------
// 金塘镇 2018 (legacy-2014)
// ---------------------------------------------------------------------------------------------

/** The 统计表 of the reference report, read row by row (templates.md); every other cell blank. */
const JINTANG_2018: Record<string, number> = {
  proactive_total: 259,
  proactive_normative: 0,
  normative_issued: 0,
  ch_website: 259,
  responses: 15,
  interpretations: 0,
  apps_received: 0,
  apps_closed: 0,
  replies: 0,
  reviews: 0,
  suits: 0,
  complaints: 0,
  bodies: 1,
  staff: 2,
  staff_full: 1,
  staff_part: 1,
};

interface JintangFixture {
  template: string;
  /** The unit's code; its name is in unit_name. */
  unit: string;
  unit_name?: string;
  year: number;
  published_at: string;
  sections: Record<string, string>;
  cells: Cells;
}

const jintangPath = here('../fixtures/jintang-2018.json');

describe('金塘镇 2018 (legacy-2014, the reference report)', () => {
  const legacy = getTemplate('legacy-2014')!;
  const keys = cellKeys(legacy);

  const fixture: JintangFixture = JSON.parse(readFileSync(jintangPath, 'utf8'));
  /** Every cell as the published 统计表 gives it: the 16 printed numbers, every other cell null. */
  const printed: Cells = Object.fromEntries(
    keys.map((k) => [k, JINTANG_2018[k.replace(/^stats\.(.+)\.value$/, '$1')] ?? null]),
  );
  /** The report as entered: the fixture. */
  const cells: Cells = fixture.cells;

  it('the values above are 16 cells of the template', () => {
    expect(keys.filter((k) => printed[k] !== null)).toHaveLength(16);
    expect(Object.keys(JINTANG_2018).every((k) => keys.includes(`stats.${k}.value`))).toBe(true);
  });

  it('the fixture holds exactly the numbers the published 统计表 prints, every other cell blank', () => {
    expect(fixture.template).toBe('legacy-2014');
    expect(fixture.year).toBe(2018);
    expect(`${fixture.unit} ${fixture.unit_name ?? ''}`).toContain('金塘镇');
    expect(fixture.published_at).toMatch(/^2019-01-16/);
    // No key the template does not know.
    expect(Object.keys(fixture.cells).filter((k) => !keys.includes(k))).toEqual([]);
    expect(Object.fromEntries(keys.map((k) => [k, fixture.cells[k] ?? null]))).toEqual(printed);
  });

  it('the fixture carries the narrative (259 items on the website)', () => {
    expect(fixture.sections.body).toContain('259');
  });

  for (const stage of ['draft', 'submit'] as const) {
    it(`passes every rule at ${stage} (legacy has no 'filled' rule, blanks are allowed)`, () => {
      expect(validate(legacy, cells, { stage })).toEqual([]);
    });
  }

  it('the numbers from templates.md pass on their own too (blank cells absent, not null)', () => {
    const cells = Object.fromEntries(Object.entries(JINTANG_2018).map(([k, v]) => [`stats.${k}.value`, v]));
    expect(validate(legacy, cells, { stage: 'submit' })).toEqual([]);
  });

  it('a clerk mistyping 政府网站 as 295 (more than the 259 published in all) is warned, not blocked', () => {
    const issues = validate(legacy, { ...cells, 'stats.ch_website.value': 295 }, { stage: 'submit' });
    expect(issues.map((i) => [i.rule, i.severity, i.cells])).toEqual([
      ['legacy_subsets', 'warning', ['stats.ch_website.value', 'stats.proactive_total.value']],
    ]);
    expect(hasErrors(issues)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Three real gov-2021 reports, transcribed cell by cell
// ---------------------------------------------------------------------------------------------

interface RealReport {
  template: string;
  unit: string;
  year: number;
  source: string;
  notes: string;
  cells: Cells;
  missing?: string[];
}

const REAL_FILES = ['hongze-district-2023.json', 'huaian-city-2024.json', 'pingtan-2022.json'];
const copies = here('../fixtures/real/');
const shared = here('../../../shared/reference/real/');

const real = (file: string): RealReport => JSON.parse(readFileSync(copies + file, 'utf8'));

describe('the copies in test/fixtures/real', () => {
  it('are all there', () => {
    expect(readdirSync(copies).filter((f) => f.endsWith('.json')).sort()).toEqual(REAL_FILES);
  });

  it.runIf(existsSync(shared))('are byte-identical to ../shared/reference/real', () => {
    expect(readdirSync(shared).filter((f) => f.endsWith('.json')).sort()).toEqual(REAL_FILES);
    for (const file of REAL_FILES) {
      expect(readFileSync(copies + file).equals(readFileSync(shared + file)), file).toBe(true);
    }
  });
});

const rulesOf = (issues: Issue[]) => issues.map((i) => i.rule);

describe.each([
  ['huaian-city-2024.json', '淮安市人民政府', 2024],
  ['pingtan-2022.json', '平潭综合实验区', 2022],
] as const)('%s: a clean published report', (file, unit, year) => {
  const report = real(file);
  const template = getTemplate(report.template)!;

  it('is a gov-2021 report of the right unit and year, every cell filled with a known key', () => {
    expect([report.template, report.unit, report.year]).toEqual(['gov-2021', unit, year]);
    expect(Object.keys(report.cells).sort()).toEqual([...cellKeys(template)].sort());
    expect(Object.values(report.cells).every((v) => typeof v === 'number')).toBe(true);
  });

  for (const stage of ['draft', 'submit'] as const) {
    it(`passes every rule at ${stage}`, () => {
      expect(validate(template, report.cells, { stage })).toEqual([]);
    });
  }
});

describe('huaian-city-2024: printed figures a clerk would re-enter', () => {
  const report = real('huaian-city-2024.json');
  it('has the narrative totals: 3119 new, 34 carried in, 103 carried out, 万元 fee to the fen', () => {
    expect(report.cells['applications.new.total']).toBe(3119);
    expect(report.cells['applications.carried_in.total']).toBe(34);
    expect(report.cells['applications.carried_out.total']).toBe(103);
    expect(report.cells['fees.fees.amount']).toBe(96171.6);
  });
});

describe('pingtan-2022 against its 2021 report', () => {
  const report = real('pingtan-2022.json');
  const template = getTemplate('gov-2021')!;

  it('carries over the one 自然人 application the 2021 report carried out: no warning', () => {
    const previous = { 'applications.carried_out.natural': 1, 'applications.carried_out.total': 1 };
    expect(validate(template, report.cells, { stage: 'submit', previous })).toEqual([]);
  });

  it('warns (carry_over, not an error) when last year carried out a different number', () => {
    const previous = { 'applications.carried_out.natural': 2, 'applications.carried_out.total': 2 };
    const issues = validate(template, report.cells, { stage: 'submit', previous });
    expect(issues.map((i) => [i.rule, i.severity, i.cells, i.expected, i.actual])).toEqual([
      ['carry_over', 'warning', ['applications.carried_in.natural'], 2, 1],
      ['carry_over', 'warning', ['applications.carried_in.total'], 2, 1],
    ]);
    expect(hasErrors(issues)).toBe(false);
  });
});

describe('hongze-district-2023: published with 行政复议 总计 printed as 0', () => {
  const report = real('hongze-district-2023.json');
  const template = getTemplate(report.template)!;
  const O_ROWS = ['o_no_correction', 'o_fee_unpaid', 'o_other'];
  const COLUMNS = ['natural', 'business', 'research', 'nonprofit', 'legal', 'other_org', 'total'];
  const missing = O_ROWS.flatMap((r) => COLUMNS.map((c) => `applications.${r}.${c}`));

  it('lists as missing exactly the three 2021 （六） sub-rows it never printed, and leaves them blank', () => {
    expect(report.template).toBe('gov-2021');
    expect(report.missing).toEqual(missing);
    expect(Object.keys(report.cells).sort()).toEqual([...cellKeys(template)].sort());
    const blank = Object.entries(report.cells).filter(([, v]) => v === null).map(([k]) => k);
    expect(blank.sort()).toEqual([...missing].sort());
  });

  it('transcribes the two printed inconsistencies as printed', () => {
    const c = report.cells;
    expect(['upheld', 'corrected', 'other', 'pending', 'total'].map((k) => c[`appeals.review.${k}`])).toEqual([10, 1, 0, 0, 0]);
    expect(c['appeals.suit_after_review.upheld']).toBe(5);
    expect(c['appeals.suit_after_review.total']).toBe(0);
  });

  const appealErrors = [
    {
      rule: 'appeal_total',
      severity: 'error',
      cells: ['total', 'upheld', 'corrected', 'other', 'pending'].map((k) => `appeals.review.${k}`),
      message: {
        zh: '第四项 行政复议·总计应为 11（结果维持、结果纠正、其他结果、尚未审结之和），当前为 0',
        en: '第四项 行政复议·总计 should be 11 (upheld + corrected + other + pending), but is 0',
      },
      expected: 11,
      actual: 0,
    },
    {
      rule: 'appeal_total',
      severity: 'error',
      cells: ['total', 'upheld', 'corrected', 'other', 'pending'].map((k) => `appeals.suit_after_review.${k}`),
      message: {
        zh: '第四项 复议后起诉·总计应为 5（结果维持、结果纠正、其他结果、尚未审结之和），当前为 0',
        en: '第四项 复议后起诉·总计 should be 5 (upheld + corrected + other + pending), but is 0',
      },
      expected: 5,
      actual: 0,
    },
  ];

  it('at draft fails exactly appeal_total for 行政复议 and 复议后起诉 (the blanks count as 0)', () => {
    const issues = validate(template, report.cells, { stage: 'draft' });
    expect(issues).toEqual(appealErrors);
    expect(hasErrors(issues)).toBe(true);
  });

  it('with no stage given behaves as draft', () => {
    expect(validate(template, report.cells)).toEqual(appealErrors);
  });

  it('at submit additionally fails `filled` for exactly the 21 missing cells, each named', () => {
    const issues = validate(template, report.cells, { stage: 'submit' });
    expect(issues).toHaveLength(23);
    const filled = issues.filter((i) => i.rule === 'filled');
    expect(filled.map((i) => i.cells)).toEqual(missing.map((k) => [k]));
    expect(filled.every((i) => i.severity === 'error' && i.actual === null)).toBe(true);
    expect(filled[0]!.message).toEqual({
      zh: '第三项（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请·自然人未填写（没有的请填 0）',
      en: '第三项（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请·自然人 is blank (enter 0 where there is nothing)',
    });
    expect(filled.at(-1)!.message.zh).toBe('第三项（六）其他处理 3.其他·总计未填写（没有的请填 0）');
    expect(issues.filter((i) => i.rule !== 'filled')).toEqual(appealErrors);
  });

  it('once the clerk fixes the two totals and enters 0 for the missing rows, it submits cleanly', () => {
    const fixed: Cells = {
      ...report.cells,
      'appeals.review.total': 11,
      'appeals.suit_after_review.total': 5,
      ...Object.fromEntries(missing.map((k) => [k, 0])),
    };
    expect(rulesOf(validate(template, fixed, { stage: 'submit' }))).toEqual([]);
  });
});
