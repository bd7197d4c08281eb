// What the clerk reads: every message names the cell the way the printed form does
// (「第三项（七）总计·自然人」, 「第三项（三）不予公开 1.属于国家秘密·自然人」), says what it should
// be and what it is, in Chinese and in English, with the severity templates.md gives the rule.
import { describe, expect, it } from 'vitest';
import { cellKeys, getTemplate, hasErrors, plainNumber, validate, type Cells, type Issue, type Template } from '../../src/core';

const gov2021 = getTemplate('gov-2021')!;
const gov2019 = getTemplate('gov-2019')!;
const legacy = getTemplate('legacy-2014')!;

/** A complete report of zeros: what a unit with nothing to report submits. */
const zeros = (t: Template): Cells => Object.fromEntries(cellKeys(t).map((k) => [k, 0]));
const a = (row: string, col: string) => `applications.${row}.${col}`;
const s = (key: string) => `stats.${key}.value`;

const brief = (issues: Issue[]) => issues.map((i) => [i.rule, i.severity, i.message.zh]);
const briefEn = (issues: Issue[]) => issues.map((i) => [i.rule, i.message.en]);

/** 自然人: 12 new applications, 10 disclosed and 2 withheld as 国家秘密; totals filled in. */
function twelveNatural(t: Template): Cells {
  return {
    ...zeros(t),
    [a('new', 'natural')]: 12,
    [a('new', 'total')]: 12,
    [a('disclosed', 'natural')]: 10,
    [a('disclosed', 'total')]: 10,
    [a('w_secret', 'natural')]: 2,
    [a('w_secret', 'total')]: 2,
    [a('results_total', 'natural')]: 12,
    [a('results_total', 'total')]: 12,
  };
}

describe('the starting points are clean', () => {
  it.each([gov2021, gov2019])('%s: zeros and the 12-application report pass at submit', (t) => {
    expect(validate(t, zeros(t), { stage: 'submit' })).toEqual([]);
    expect(validate(t, twelveNatural(t), { stage: 'submit' })).toEqual([]);
  });
});

describe('sum checks name the total, what it should be and what it is', () => {
  it('（七）总计·自然人 typed as 11 when the items add up to 12', () => {
    const issues = validate(gov2021, { ...twelveNatural(gov2021), [a('results_total', 'natural')]: 11 });
    const results = issues.find((i) => i.rule === 'app_results_total')!;
    expect(results.message).toEqual({
      zh: '第三项（七）总计·自然人应为 12（各项办理结果之和），当前为 11',
      en: '第三项（七）总计·自然人 should be 12 (the sum of all handling results), but is 11',
    });
    expect([results.severity, results.expected, results.actual]).toEqual(['error', 12, 11]);
    expect(results.cells[0]).toBe(a('results_total', 'natural'));
    expect(results.cells).toHaveLength(1 + 21);
    // The same typo also breaks the row total and the column's balance: three errors, in form order.
    expect(brief(issues)).toEqual([
      ['app_results_total', 'error', '第三项（七）总计·自然人应为 12（各项办理结果之和），当前为 11'],
      ['app_row_total', 'error', '第三项（七）总计·总计应为 11（本行各类申请人之和），当前为 12'],
      ['app_balance', 'error', '第三项「自然人」列：第一项加第二项之和为 12，第三项加第四项之和为 11，两者应相等。请核对：一、本年新收政府信息公开申请数量 12；二、上年结转政府信息公开申请数量 0；三、本年度办理结果 → （七）总计 11；四、结转下年度继续办理 0'],
    ]);
    expect(hasErrors(issues)).toBe(true);
  });

  it('a blank total reads 空白 / blank, not 0', () => {
    const issues = validate(gov2021, { ...twelveNatural(gov2021), [a('results_total', 'natural')]: null });
    const results = issues.find((i) => i.rule === 'app_results_total')!;
    expect(results.message).toEqual({
      zh: '第三项（七）总计·自然人应为 12（各项办理结果之和），当前为 空白',
      en: '第三项（七）总计·自然人 should be 12 (the sum of all handling results), but is blank',
    });
    expect(results.actual).toBeNull();
  });

  it('a numbered item is named with its heading: （三）不予公开 1.属于国家秘密', () => {
    const issues = validate(gov2021, { ...twelveNatural(gov2021), [a('w_secret', 'total')]: 3 });
    expect(brief(issues.filter((i) => i.rule === 'app_row_total'))).toEqual([
      ['app_row_total', 'error', '第三项（三）不予公开 1.属于国家秘密·总计应为 2（本行各类申请人之和），当前为 3'],
    ]);
    expect(briefEn(issues.filter((i) => i.rule === 'app_row_total'))).toEqual([
      ['app_row_total', '第三项（三）不予公开 1.属于国家秘密·总计 should be 2 (the sum of all applicant types in this row), but is 3'],
    ]);
    const format = validate(gov2021, { ...twelveNatural(gov2021), [a('w_secret', 'natural')]: 1.5 });
    expect(format.find((i) => i.rule === 'nonneg')!.message.zh).toBe(
      '第三项（三）不予公开 1.属于国家秘密·自然人应为不小于 0 的整数，当前为 1.5',
    );
  });

  it.each([
    ['u_unclear', 'business', '第三项（四）无法提供 3.补正后申请内容仍不明确·商业企业'],
    ['n_repeat', 'legal', '第三项（五）不予处理 2.重复申请·法律服务机构'],
    ['o_fee_unpaid', 'other_org', '第三项（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请·其他'],
    ['partial', 'research', '第三项（二）部分公开（区分处理的，只计这一情形，不计其他情形）·科研机构'],
    ['new', 'nonprofit', '第三项 一、本年新收政府信息公开申请数量·社会公益组织'],
    ['carried_out', 'total', '第三项 四、结转下年度继续办理·总计'],
  ])('gov-2021 %s.%s is called 「%s」 (in the blank-cell message at submit)', (row, col, name) => {
    const issues = validate(gov2021, { ...zeros(gov2021), [a(row, col)]: null }, { stage: 'submit' });
    expect(issues.map((i) => i.message)).toEqual([
      { zh: `${name}未填写（没有的请填 0）`, en: `${name} is blank (enter 0 where there is nothing)` },
    ]);
  });

  it('gov-2019 prints （六）其他处理 as one row with no sub-items', () => {
    const issues = validate(gov2019, { ...zeros(gov2019), [a('o_other', 'natural')]: 1 });
    expect(brief(issues.filter((i) => i.rule !== 'app_balance'))).toEqual([
      ['app_results_total', 'error', '第三项（七）总计·自然人应为 1（各项办理结果之和），当前为 0'],
      ['app_row_total', 'error', '第三项（六）其他处理·总计应为 1（本行各类申请人之和），当前为 0'],
    ]);
  });

  it('app_balance names the column and both sides, in zh and en', () => {
    // 5 new for 法律服务机构 but only 4 handled and none carried out.
    const cells: Cells = {
      ...zeros(gov2021),
      [a('new', 'legal')]: 5,
      [a('new', 'total')]: 5,
      [a('disclosed', 'legal')]: 4,
      [a('disclosed', 'total')]: 4,
      [a('results_total', 'legal')]: 4,
      [a('results_total', 'total')]: 4,
    };
    const issues = validate(gov2021, cells, { stage: 'submit' });
    expect(issues).toEqual([
      {
        rule: 'app_balance',
        severity: 'error',
        cells: [a('new', 'legal'), a('carried_in', 'legal'), a('results_total', 'legal'), a('carried_out', 'legal')],
        message: {
          zh: '第三项「法律服务机构」列：第一项加第二项之和为 5，第三项加第四项之和为 4，两者应相等。请核对：一、本年新收政府信息公开申请数量 5；二、上年结转政府信息公开申请数量 0；三、本年度办理结果 → （七）总计 4；四、结转下年度继续办理 0',
          en: 'Section 3, column “法律服务机构”: items 1 + 2 is 5 but items 3 + 4 is 4; they must be equal. Check: 一、本年新收政府信息公开申请数量 5; 二、上年结转政府信息公开申请数量 0; 三、本年度办理结果 → （七）总计 4; 四、结转下年度继续办理 0',
        },
      },
      {
        rule: 'app_balance',
        severity: 'error',
        cells: [a('new', 'total'), a('carried_in', 'total'), a('results_total', 'total'), a('carried_out', 'total')],
        message: {
          zh: '第三项「总计」列：第一项加第二项之和为 5，第三项加第四项之和为 4，两者应相等。请核对：一、本年新收政府信息公开申请数量 5；二、上年结转政府信息公开申请数量 0；三、本年度办理结果 → （七）总计 4；四、结转下年度继续办理 0',
          en: 'Section 3, column “总计”: items 1 + 2 is 5 but items 3 + 4 is 4; they must be equal. Check: 一、本年新收政府信息公开申请数量 5; 二、上年结转政府信息公开申请数量 0; 三、本年度办理结果 → （七）总计 4; 四、结转下年度继续办理 0',
        },
      },
    ]);
    // Carrying the fifth over to next year balances it.
    const balanced = { ...cells, [a('carried_out', 'legal')]: 1, [a('carried_out', 'total')]: 1 };
    expect(validate(gov2021, balanced, { stage: 'submit' })).toEqual([]);
  });

  it('appeal_total names the row of 四', () => {
    const cells = { ...zeros(gov2021), 'appeals.suit_direct.upheld': 2, 'appeals.suit_direct.pending': 1, 'appeals.suit_direct.total': 2 };
    expect(validate(gov2021, cells, { stage: 'submit' })).toEqual([
      {
        rule: 'appeal_total',
        severity: 'error',
        cells: ['total', 'upheld', 'corrected', 'other', 'pending'].map((c) => `appeals.suit_direct.${c}`),
        message: {
          zh: '第四项 未经复议直接起诉·总计应为 3（结果维持、结果纠正、其他结果、尚未审结之和），当前为 2',
          en: '第四项 未经复议直接起诉·总计 should be 3 (upheld + corrected + other + pending), but is 2',
        },
        expected: 3,
        actual: 2,
      },
    ]);
  });
});

describe('nonneg: the format of each number', () => {
  const nonneg = (t: Template, key: string, value: number) =>
    validate(t, { ...zeros(t), [key]: value }, { stage: 'submit' }).filter((i) => i.rule === 'nonneg');

  it.each([2.5, -1, 0.1, Number.NaN, Number.POSITIVE_INFINITY])('a count of %s is an error', (value) => {
    const issues = nonneg(gov2021, a('new', 'natural'), value);
    expect(issues).toEqual([
      {
        rule: 'nonneg',
        severity: 'error',
        cells: [a('new', 'natural')],
        message: {
          zh: `第三项 一、本年新收政府信息公开申请数量·自然人应为不小于 0 的整数，当前为 ${value}`,
          en: `第三项 一、本年新收政府信息公开申请数量·自然人 must be a whole number ≥ 0; it is ${value}`,
        },
        actual: value,
      },
    ]);
    expect(hasErrors(issues)).toBe(true);
  });

  it('a value that is not a number at all (a string from a careless import) is an error too', () => {
    const cells = { ...zeros(gov2021), 'licensing.licensing.decisions': '12' as unknown as number };
    expect(brief(validate(gov2021, cells))).toEqual([
      ['nonneg', 'error', '第二项 行政许可·本年处理决定数量应为不小于 0 的整数，当前为 "12"'],
    ]);
  });

  it.each([0, 4166.241619, 96171.6, 7730.28, 0.000001, 1234567.123456])(
    'gov-2021 fees.fees.amount %s 万元 is fine (up to 6 decimals)',
    (value) => {
      expect(validate(gov2021, { ...zeros(gov2021), 'fees.fees.amount': value }, { stage: 'submit' })).toEqual([]);
    },
  );

  it.each([1.1234567, 0.0000001, -0.5, -4166.241619])('gov-2021 fees.fees.amount %s is an error', (value) => {
    expect(nonneg(gov2021, 'fees.fees.amount', value).map((i) => [i.severity, i.message])).toEqual([
      [
        'error',
        {
          zh: `第二项 行政事业性收费·本年收费金额（单位：万元）应为不小于 0 的数，最多 6 位小数，当前为 ${plainNumber(value)}`,
          en: `第二项 行政事业性收费·本年收费金额（单位：万元） must be a number ≥ 0 with at most 6 decimals; it is ${plainNumber(value)}`,
        },
      ],
    ]);
  });

  it.each(['licensing.licensing.items_change', 'licensing.other_services.items_change', 'enforcement.penalty.items_change', 'fees.fees.items_change'])(
    'gov-2019 %s (本年增/减) may be negative: −3 is fine, −3.5 and 0.5 are not',
    (key) => {
      expect(validate(gov2019, { ...zeros(gov2019), [key]: -3 }, { stage: 'submit' })).toEqual([]);
      expect(validate(gov2019, { ...zeros(gov2019), [key]: 7 }, { stage: 'submit' })).toEqual([]);
      for (const value of [-3.5, 0.5]) {
        const issues = nonneg(gov2019, key, value);
        expect(issues.map((i) => i.severity)).toEqual(['error']);
        expect(issues[0]!.message.zh).toMatch(new RegExp(`·本年增/减应为整数，当前为 ${value}$`));
        expect(issues[0]!.message.en).toMatch(new RegExp(`·本年增/减 must be a whole number; it is ${value}$`));
      }
    },
  );

  it('gov-2019 本年增/减 message names its row', () => {
    expect(nonneg(gov2019, 'licensing.licensing.items_change', -3.5)[0]!.message.zh).toBe('第二项 行政许可·本年增/减应为整数，当前为 -3.5');
  });

  it('gov-2019 上一年项目数量 may not be negative', () => {
    expect(brief(nonneg(gov2019, 'licensing.licensing.items_prev', -3))).toEqual([
      ['nonneg', 'error', '第二项 行政许可·上一年项目数量应为不小于 0 的整数，当前为 -3'],
    ]);
  });

  it.each([251000, 251000.5, 0.01, 99.99])('gov-2019 procurement.amount %s 元 is fine', (value) => {
    expect(validate(gov2019, { ...zeros(gov2019), 'procurement.procurement.amount': value }, { stage: 'submit' })).toEqual([]);
  });

  it.each([1.234, 0.001, -1])('gov-2019 procurement.amount %s is an error (元, 2 decimals, ≥ 0)', (value) => {
    expect(brief(nonneg(gov2019, 'procurement.procurement.amount', value))).toEqual([
      ['nonneg', 'error', `第二项 政府集中采购·采购总金额应为不小于 0 的数，最多 2 位小数，当前为 ${value}`],
    ]);
  });

  it('gov-2019 采购项目数量 is a count', () => {
    expect(nonneg(gov2019, 'procurement.procurement.projects', 1.5)).toHaveLength(1);
  });
});

describe('cross-year warnings', () => {
  /** 2 applications by 自然人 carried in from last year, both disclosed. */
  const carried: Cells = {
    ...zeros(gov2021),
    [a('carried_in', 'natural')]: 2,
    [a('carried_in', 'total')]: 2,
    [a('disclosed', 'natural')]: 2,
    [a('disclosed', 'total')]: 2,
    [a('results_total', 'natural')]: 2,
    [a('results_total', 'total')]: 2,
  };

  it('carry_over is checked only when last year’s report is known', () => {
    expect(validate(gov2021, carried, { stage: 'submit' })).toEqual([]);
    expect(validate(gov2021, carried, { stage: 'submit', previous: null })).toEqual([]);
    expect(validate(gov2021, carried, { stage: 'submit', previous: {} })).toEqual([]);
    // Last year's cell blank: nothing to compare with.
    expect(validate(gov2021, carried, { stage: 'submit', previous: { [a('carried_out', 'natural')]: null } })).toEqual([]);
  });

  it('carry_over: a warning naming last year’s 结转下年度继续办理, never an error', () => {
    const previous = { [a('carried_out', 'natural')]: 3, [a('carried_out', 'total')]: 3 };
    const issues = validate(gov2021, carried, { stage: 'submit', previous });
    expect(issues).toEqual([
      {
        rule: 'carry_over',
        severity: 'warning',
        cells: [a('carried_in', 'natural')],
        message: {
          zh: '第三项 二、上年结转政府信息公开申请数量·自然人应为 3（上年报告的“结转下年度继续办理”），当前为 2',
          en: '第三项 二、上年结转政府信息公开申请数量·自然人 should be 3 (last year’s 结转下年度继续办理), but is 2',
        },
        expected: 3,
        actual: 2,
      },
      {
        rule: 'carry_over',
        severity: 'warning',
        cells: [a('carried_in', 'total')],
        message: {
          zh: '第三项 二、上年结转政府信息公开申请数量·总计应为 3（上年报告的“结转下年度继续办理”），当前为 2',
          en: '第三项 二、上年结转政府信息公开申请数量·总计 should be 3 (last year’s 结转下年度继续办理), but is 2',
        },
        expected: 3,
        actual: 2,
      },
    ]);
    expect(hasErrors(issues)).toBe(false);
    // Matching last year: no warning.
    const matching = { [a('carried_out', 'natural')]: 2, [a('carried_out', 'total')]: 2 };
    expect(validate(gov2021, carried, { stage: 'submit', previous: matching })).toEqual([]);
  });

  it('in_force_trend: 现行有效件数 = last year’s + 制发 − 废止, a warning, gov-2021 only', () => {
    const cells = {
      ...zeros(gov2021),
      'regulations.normative.issued': 5,
      'regulations.normative.repealed': 2,
      'regulations.normative.in_force': 10,
    };
    expect(validate(gov2021, cells, { stage: 'submit' })).toEqual([]);
    expect(validate(gov2021, cells, { stage: 'submit', previous: { 'regulations.normative.in_force': 7 } })).toEqual([]);
    const issues = validate(gov2021, cells, { stage: 'submit', previous: { 'regulations.normative.in_force': 8 } });
    expect(issues).toEqual([
      {
        rule: 'in_force_trend',
        severity: 'warning',
        cells: ['regulations.normative.in_force', 'regulations.normative.issued', 'regulations.normative.repealed'],
        message: {
          zh: '第二项 行政规范性文件·现行有效件数应为 11（上年现行有效件数加本年制发件数减本年废止件数），当前为 10',
          en: '第二项 行政规范性文件·现行有效件数 should be 11 (last year’s in force + issued − repealed), but is 10',
        },
        expected: 11,
        actual: 10,
      },
    ]);
    expect(hasErrors(issues)).toBe(false);
    // 规章 is checked on its own row, where last year's figure is known.
    const rules = validate(gov2021, { ...cells, 'regulations.rules.in_force': 1 }, {
      previous: { 'regulations.rules.in_force': 0, 'regulations.normative.in_force': 7 },
    });
    expect(brief(rules)).toEqual([
      ['in_force_trend', 'warning', '第二项 规章·现行有效件数应为 0（上年现行有效件数加本年制发件数减本年废止件数），当前为 1'],
    ]);
  });

  it('gov-2019 has no in_force_trend (its 规章 block has no 现行有效件数)', () => {
    expect(gov2019.rules.map((r) => r.id)).not.toContain('in_force_trend');
    expect(gov2019.checks.map((c) => c.rule)).not.toContain('in_force_trend');
  });
});

describe('legacy-2014: every rule a warning', () => {
  it('legacy_refused: 不同意公开 less than its 其中 items', () => {
    const cells = {
      [s('replies')]: 2,
      [s('r_refused')]: 2,
      [s('ref_state_secret')]: 1,
      [s('ref_privacy')]: 2,
    };
    const issues = validate(legacy, cells, { stage: 'submit' });
    expect(issues).toEqual([
      {
        rule: 'legacy_refused',
        severity: 'warning',
        cells: [s('r_refused'), ...['ref_state_secret', 'ref_trade_secret', 'ref_privacy', 'ref_security', 'ref_not_gov_info', 'ref_other_law'].map(s)],
        message: {
          zh: '4.不同意公开答复数（2）不应小于其中各项之和（3）',
          en: '4.不同意公开答复数 (2) should not be less than the sum of its 其中 items (3)',
        },
        expected: 3,
        actual: 2,
      },
    ]);
    expect(hasErrors(issues)).toBe(false);
    // Equal, or more refusals than itemised reasons, is fine.
    expect(validate(legacy, { ...cells, [s('r_refused')]: 3, [s('replies')]: 3 })).toEqual([]);
    expect(validate(legacy, { ...cells, [s('r_refused')]: 4, [s('replies')]: 4 })).toEqual([]);
  });

  it('legacy_subsets: a channel larger than all proactive disclosure', () => {
    const issues = validate(legacy, { [s('proactive_total')]: 259, [s('ch_website')]: 300 });
    expect(issues.map((i) => [i.rule, i.severity, i.message])).toEqual([
      [
        'legacy_subsets',
        'warning',
        {
          zh: '2.政府网站公开政府信息数（300）不应大于（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）（259）',
          en: '2.政府网站公开政府信息数 (300) should not exceed （一）主动公开政府信息数（不同渠道和方式公开相同信息计1条） (259)',
        },
      ],
    ]);
    expect(validate(legacy, { [s('proactive_total')]: 259, [s('ch_website')]: 259 })).toEqual([]);
  });

  it('legacy_subsets: 其中 items of 新闻发布会 and 在线访谈, and 规范性文件', () => {
    const issues = validate(legacy, {
      [s('press')]: 1,
      [s('press_chief')]: 2,
      [s('interviews')]: 0,
      [s('interviews_chief')]: 1,
      [s('proactive_total')]: 3,
      [s('proactive_normative')]: 4,
    });
    expect(brief(issues)).toEqual([
      ['legacy_subsets', 'warning', '其中：主动公开规范性文件数（4）不应大于（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）（3）'],
      ['legacy_subsets', 'warning', '其中：主要负责同志参加新闻发布会次数（2）不应大于1.参加或举办新闻发布会总次数（1）'],
      ['legacy_subsets', 'warning', '其中：主要负责同志参加政府网站在线访谈次数（1）不应大于2.政府网站在线访谈次数（0）'],
    ]);
  });

  it('legacy sums: 工作人员数 ≠ 专职 + 兼职 is a warning that names both', () => {
    const issues = validate(legacy, { [s('staff')]: 3, [s('staff_full')]: 1, [s('staff_part')]: 1 });
    expect(issues.map((i) => [i.rule, i.severity, i.message, i.expected, i.actual])).toEqual([
      [
        'legacy_staff',
        'warning',
        {
          zh: '（三）从事政府信息公开工作人员数应为 2（专职人员数与兼职人员数之和），当前为 3',
          en: '（三）从事政府信息公开工作人员数 should be 2 (full-time + part-time staff), but is 3',
        },
        2,
        3,
      ],
    ]);
  });

  it.each([
    ['legacy_received', { apps_received: 3, apps_online: 2 }],
    ['legacy_closed', { apps_closed: 3, apps_on_time: 2 }],
    ['legacy_replies', { replies: 1, r_granted: 1, r_not_exist: 1 }],
    ['legacy_reviews', { reviews: 0, reviews_corrected: 1 }],
    ['legacy_suits', { suits: 2, suits_upheld: 1 }],
  ])('%s is a warning', (rule, values) => {
    const cells = Object.fromEntries(Object.entries(values).map(([k, v]) => [s(k), v]));
    const issues = validate(legacy, cells, { stage: 'submit' });
    expect(issues.map((i) => [i.rule, i.severity])).toEqual([[rule, 'warning']]);
    expect(hasErrors(issues)).toBe(false);
  });

  it('a malformed historical number is a warning, not an error: it is published as filed', () => {
    const issues = validate(legacy, { [s('bodies')]: 1.5, [s('funds')]: 2.5, [s('fees_collected')]: 0.123456 });
    expect(brief(issues)).toEqual([['nonneg', 'warning', '（一）政府信息公开工作专门机构数应为不小于 0 的整数，当前为 1.5']]);
    expect(hasErrors(issues)).toBe(false);
  });

  it('has no `filled` rule: blanks are how old reports were published', () => {
    expect(validate(legacy, {}, { stage: 'submit' })).toEqual([]);
  });
});

describe('severities per templates.md and hasErrors', () => {
  it('gov templates: every rule an error except the cross-year warnings and the checks on the text', () => {
    for (const t of [gov2021, gov2019]) {
      const severities = Object.fromEntries(t.rules.map((r) => [r.id, r.severity]));
      expect(severities).toEqual({
        nonneg: 'error',
        filled: 'error',
        app_row_total: 'error',
        app_results_total: 'error',
        app_balance: 'error',
        appeal_total: 'error',
        plausible: 'error',
        carry_over: 'warning',
        ...(t === gov2021 ? { in_force_trend: 'warning' } : {}),
        jump: 'warning',
        narrative_figures: 'warning',
        completeness_parts: 'warning',
        ...(t === gov2021 ? { completeness_correction: 'warning', completeness_fees: 'warning' } : {}),
      });
    }
    expect(legacy.rules.every((r) => r.severity === 'warning')).toBe(true);
  });

  it('hasErrors: false with no issues or only warnings, true with any error', () => {
    expect(hasErrors([])).toBe(false);
    const previous = { [a('carried_out', 'natural')]: 1 };
    const warnings = validate(gov2021, zeros(gov2021), { stage: 'submit', previous });
    expect(warnings.map((i) => i.severity)).toEqual(['warning']);
    expect(hasErrors(warnings)).toBe(false);
    const both = validate(gov2021, { ...zeros(gov2021), [a('new', 'natural')]: null }, { stage: 'submit', previous });
    expect(both.map((i) => [i.rule, i.severity])).toEqual([
      ['filled', 'error'],
      ['carry_over', 'warning'],
    ]);
    expect(hasErrors(both)).toBe(true);
  });

  it('a blank is only an error at submit: a draft with blanks has no issue', () => {
    expect(validate(gov2021, {}, { stage: 'draft' })).toEqual([]);
    expect(validate(gov2021, {})).toEqual([]);
    const submit = validate(gov2021, {}, { stage: 'submit' });
    expect(submit).toHaveLength(200);
    expect(new Set(submit.map((i) => i.rule))).toEqual(new Set(['filled']));
    expect(submit.map((i) => i.cells[0])).toEqual(cellKeys(gov2021));
  });
});

describe('large counts', () => {
  it('an off-by-one total is caught however large the numbers', () => {
    const cells = { ...zeros(gov2021), 'appeals.review.upheld': 2_000_000_000, 'appeals.review.total': 2_000_000_001 };
    // Two thousand million appeals is implausible too (its own error, plausibility.test.ts).
    const consistency = validate(gov2021, cells).filter((i) => i.rule !== 'plausible');
    expect(consistency.map((i) => [i.rule, i.expected, i.actual])).toEqual([['appeal_total', 2_000_000_000, 2_000_000_001]]);
  });
});
