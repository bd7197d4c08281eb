// 国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》: the default from 2021 on.
import { cellKey } from './layout';
import {
  COUNT,
  GOV_RULES,
  GOV_SECTIONS,
  OTHER_ROWS_2021,
  appealsTable,
  applicationChecks,
  applicationsTable,
  govParts,
  minus,
  plus,
} from './shared';
import { COMPLETENESS_CORRECTION, COMPLETENESS_FEES, COMPLETENESS_PARTS, NARRATIVE_FIGURES } from './text-rules';
import type { Check, Table, Template } from './types';

const regulations: Table = {
  key: 'regulations',
  ref: '第二项',
  block: '第二十条第（一）项',
  measure: COUNT,
  rows: [
    { key: 'rules', label: '规章' },
    { key: 'normative', label: '行政规范性文件' },
  ],
  columns: [
    { key: 'issued', label: '本年制发件数' },
    { key: 'repealed', label: '本年废止件数' },
    { key: 'in_force', label: '现行有效件数' },
  ],
};

const decisions = [{ key: 'decisions', label: '本年处理决定数量' }];

const licensing: Table = {
  key: 'licensing',
  ref: '第二项',
  block: '第二十条第（五）项',
  measure: COUNT,
  rows: [{ key: 'licensing', label: '行政许可' }],
  columns: decisions,
};

const enforcement: Table = {
  key: 'enforcement',
  ref: '第二项',
  block: '第二十条第（六）项',
  measure: COUNT,
  rows: [
    { key: 'penalty', label: '行政处罚' },
    { key: 'coercion', label: '行政强制' },
  ],
  columns: decisions,
};

const fees: Table = {
  key: 'fees',
  ref: '第二项',
  block: '第二十条第（八）项',
  measure: { unit: '万元', decimals: 6 },
  rows: [{ key: 'fees', label: '行政事业性收费' }],
  columns: [{ key: 'amount', label: '本年收费金额（单位：万元）' }],
};

const applications = applicationsTable(OTHER_ROWS_2021);
const appeals = appealsTable();

const inForceTrend: Check[] = regulations.rows.map((row) => {
  const r = (col: string) => cellKey('regulations', row.key, col);
  return {
    rule: 'in_force_trend',
    left: [plus(r('in_force'))],
    op: 'eq',
    right: [plus(r('in_force'), true), plus(r('issued')), minus(r('repealed'))],
    rightName: { zh: '上年现行有效件数加本年制发件数减本年废止件数', en: 'last year’s in force + issued − repealed' },
  };
});

export const gov2021: Template = {
  id: 'gov-2021',
  title: '中华人民共和国政府信息公开工作年度报告格式',
  basis: '国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》',
  years: { from: 2021, to: null },
  sections: GOV_SECTIONS,
  tables: [regulations, licensing, enforcement, fees, applications, appeals],
  parts: govParts([regulations, licensing, enforcement, fees], applications, appeals),
  rules: [...GOV_RULES, NARRATIVE_FIGURES, COMPLETENESS_PARTS, COMPLETENESS_CORRECTION, COMPLETENESS_FEES],
  checks: [...applicationChecks(applications, appeals), ...inForceTrend],
};
