// Parts shared by gov-2021 and gov-2019: the narrative sections, the applications table (三),
// the appeals table (四) and the consistency checks between their cells.
import { appealsLayout, applicationsLayout, blocksLayout, cellKey } from './layout';
import { JUMP_DESCRIPTION, PLAUSIBLE_DESCRIPTION } from '../plausibility';
import type { Check, Column, Measure, Part, Row, RuleInfo, Section, Table, Term } from './types';

export const COUNT: Measure = { unit: '件', decimals: 0 };

export const GOV_SECTIONS: Section[] = [
  { key: 'overview', title: '一、总体情况' },
  { key: 'problems', title: '五、存在的主要问题及改进情况' },
  {
    key: 'other',
    title: '六、其他需要报告的事项',
    hint: '收取信息处理费情况；落实上级年度政务公开工作要点情况；人大代表建议和政协提案办理结果公开情况；政务公开工作创新情况',
  },
];

export const PART_TITLES = {
  proactive: '二、主动公开政府信息情况',
  applications: '三、收到和处理政府信息公开申请情况',
  appeals: '四、政府信息公开行政复议、行政诉讼情况',
} as const;

export const APPLICATIONS_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

const APPLICANT_COLUMNS: Column[] = [
  { key: 'natural', label: '自然人' },
  { key: 'business', label: '商业企业' },
  { key: 'research', label: '科研机构' },
  { key: 'nonprofit', label: '社会公益组织' },
  { key: 'legal', label: '法律服务机构' },
  { key: 'other_org', label: '其他' },
  { key: 'total', label: '总计' },
];

const RESULTS = '三、本年度办理结果';
const WITHHELD = '（三）不予公开';
const UNAVAILABLE = '（四）无法提供';
const NOT_PROCESSED = '（五）不予处理';
const OTHER = '（六）其他处理';

const under = (groups: string[], items: [string, string][]): Row[] =>
  items.map(([key, label]) => ({ key, label, groups }));

/** The 三 table. `otherRows` differ: gov-2021 has three 其他处理 items, gov-2019 one row. */
export function applicationsTable(otherRows: Row[]): Table {
  return {
    key: 'applications',
    ref: '第三项',
    measure: COUNT,
    columns: APPLICANT_COLUMNS,
    rows: [
      { key: 'new', label: '一、本年新收政府信息公开申请数量' },
      { key: 'carried_in', label: '二、上年结转政府信息公开申请数量' },
      { key: 'disclosed', label: '（一）予以公开', groups: [RESULTS] },
      { key: 'partial', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', groups: [RESULTS] },
      ...under([RESULTS, WITHHELD], [
        ['w_secret', '1.属于国家秘密'],
        ['w_law', '2.其他法律行政法规禁止公开'],
        ['w_security', '3.危及“三安全一稳定”'],
        ['w_third_party', '4.保护第三方合法权益'],
        ['w_internal', '5.属于三类内部事务信息'],
        ['w_process', '6.属于四类过程性信息'],
        ['w_enforcement', '7.属于行政执法案卷'],
        ['w_query', '8.属于行政查询事项'],
      ]),
      ...under([RESULTS, UNAVAILABLE], [
        ['u_not_held', '1.本机关不掌握相关政府信息'],
        ['u_needs_making', '2.没有现成信息需要另行制作'],
        ['u_unclear', '3.补正后申请内容仍不明确'],
      ]),
      ...under([RESULTS, NOT_PROCESSED], [
        ['n_petition', '1.信访举报投诉类申请'],
        ['n_repeat', '2.重复申请'],
        ['n_publication', '3.要求提供公开出版物'],
        ['n_excessive', '4.无正当理由大量反复申请'],
        ['n_confirm', '5.要求行政机关确认或重新出具已获取信息'],
      ]),
      ...otherRows,
      { key: 'results_total', label: '（七）总计', groups: [RESULTS] },
      { key: 'carried_out', label: '四、结转下年度继续办理' },
    ],
  };
}

export const OTHER_ROWS_2021: Row[] = under([RESULTS, OTHER], [
  ['o_no_correction', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
  ['o_fee_unpaid', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
  ['o_other', '3.其他'],
]);

export const OTHER_ROWS_2019: Row[] = [{ key: 'o_other', label: '（六）其他处理', groups: [RESULTS] }];

export function appealsTable(): Table {
  return {
    key: 'appeals',
    ref: '第四项',
    measure: COUNT,
    rows: [
      { key: 'review', label: '行政复议' },
      { key: 'suit_direct', label: '未经复议直接起诉' },
      { key: 'suit_after_review', label: '复议后起诉' },
    ],
    columns: [
      { key: 'upheld', label: '结果维持' },
      { key: 'corrected', label: '结果纠正' },
      { key: 'other', label: '其他结果' },
      { key: 'pending', label: '尚未审结' },
      { key: 'total', label: '总计' },
    ],
  };
}

export const plus = (cell: string, previous = false): Term => (previous ? { cell, sign: 1, previous } : { cell, sign: 1 });
export const minus = (cell: string, previous = false): Term =>
  previous ? { cell, sign: -1, previous } : { cell, sign: -1 };

/** Row totals, column totals and the official balance of 三; row totals of 四. */
export function applicationChecks(applications: Table, appeals: Table): Check[] {
  const checks: Check[] = [];
  const a = (row: string, col: string) => cellKey('applications', row, col);
  const parts = APPLICANT_COLUMNS.filter((c) => c.key !== 'total').map((c) => c.key);
  const resultRows = applications.rows
    .filter((r) => r.groups?.[0] === RESULTS && r.key !== 'results_total')
    .map((r) => r.key);

  for (const col of APPLICANT_COLUMNS) {
    checks.push({
      rule: 'app_results_total',
      left: [plus(a('results_total', col.key))],
      op: 'eq',
      right: resultRows.map((r) => plus(a(r, col.key))),
      rightName: { zh: '各项办理结果之和', en: 'the sum of all handling results' },
      // 总计·总计 is derived once, from its row, so the form has one source for it.
      derived: col.key !== 'total',
    });
  }
  for (const row of applications.rows) {
    checks.push({
      rule: 'app_row_total',
      left: [plus(a(row.key, 'total'))],
      op: 'eq',
      right: parts.map((p) => plus(a(row.key, p))),
      rightName: { zh: '本行各类申请人之和', en: 'the sum of all applicant types in this row' },
      derived: true,
    });
  }
  for (const col of APPLICANT_COLUMNS) {
    checks.push({
      rule: 'app_balance',
      left: [plus(a('new', col.key)), plus(a('carried_in', col.key))],
      op: 'eq',
      right: [plus(a('results_total', col.key)), plus(a('carried_out', col.key))],
      subject: { zh: `第三项「${col.label}」列`, en: `Section 3, column “${col.label}”` },
      leftName: { zh: '第一项加第二项之和', en: 'items 1 + 2' },
      rightName: { zh: '第三项加第四项之和', en: 'items 3 + 4' },
    });
    checks.push({
      rule: 'carry_over',
      left: [plus(a('carried_in', col.key))],
      op: 'eq',
      right: [plus(a('carried_out', col.key), true)],
      rightName: { zh: '上年报告的“结转下年度继续办理”', en: 'last year’s 结转下年度继续办理' },
    });
  }
  for (const row of appeals.rows) {
    const p = (col: string) => cellKey('appeals', row.key, col);
    checks.push({
      rule: 'appeal_total',
      left: [plus(p('total'))],
      op: 'eq',
      right: ['upheld', 'corrected', 'other', 'pending'].map((c) => plus(p(c))),
      rightName: { zh: '结果维持、结果纠正、其他结果、尚未审结之和', en: 'upheld + corrected + other + pending' },
      derived: true,
    });
  }
  return checks;
}

export const GOV_RULES: RuleInfo[] = [
  { id: 'nonneg', severity: 'error', description: { zh: '每个数为不小于 0 的整数；收费金额为不小于 0 的数，最多 6 位小数', en: 'every cell is a whole number ≥ 0; fee amounts a number ≥ 0 with at most 6 decimals' } },
  { id: 'filled', severity: 'error', submitOnly: true, description: { zh: '提交时不得有空白（没有的填 0）', en: 'no cell is blank at submission (enter 0 where there is nothing)' } },
  { id: 'app_row_total', severity: 'error', description: { zh: '第三项每行：总计 = 自然人 + 法人或其他组织各项', en: 'each row of section 3: total = natural persons + every kind of organisation' } },
  { id: 'app_results_total', severity: 'error', description: { zh: '第三项每列：（七）总计 = （一）至（六）各项之和', en: 'each column of section 3: （七）总计 = the sum of （一）…（六）' } },
  { id: 'app_balance', severity: 'error', description: { zh: '第三项每列：第一项加第二项之和，等于第三项加第四项之和', en: 'each column of section 3: items 1 + 2 = items 3 + 4' } },
  { id: 'appeal_total', severity: 'error', description: { zh: '第四项：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结', en: 'section 4: total = upheld + corrected + other + pending' } },
  { id: 'plausible', severity: 'error', description: PLAUSIBLE_DESCRIPTION },
  { id: 'carry_over', severity: 'warning', crossYear: true, description: { zh: '上年结转数应等于上年报告的结转下年度继续办理数', en: 'carried in equals last year’s carried out' } },
  { id: 'in_force_trend', severity: 'warning', crossYear: true, description: { zh: '现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数', en: 'in force = last year’s in force + issued − repealed' } },
  { id: 'jump', severity: 'warning', crossYear: true, description: JUMP_DESCRIPTION },
];

/** The document order of the gov formats: 一 narrative, 二 the blocks, 三, 四, then 五 and 六. */
export function govParts(proactive: Table[], applications: Table, appeals: Table): Part[] {
  return [
    { type: 'section', key: 'overview' },
    {
      type: 'tables',
      key: 'proactive',
      title: PART_TITLES.proactive,
      tables: proactive.map((t) => t.key),
      layout: blocksLayout(proactive),
    },
    {
      type: 'tables',
      key: 'applications',
      title: PART_TITLES.applications,
      tables: ['applications'],
      layout: applicationsLayout(applications, APPLICATIONS_NOTE),
      note: APPLICATIONS_NOTE,
    },
    { type: 'tables', key: 'appeals', title: PART_TITLES.appeals, tables: ['appeals'], layout: appealsLayout(appeals) },
    { type: 'section', key: 'problems' },
    { type: 'section', key: 'other' },
  ];
}
