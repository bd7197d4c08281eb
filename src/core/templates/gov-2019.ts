// 国办公开办函〔2019〕60号 年度报告格式（试行）: report years 2019 and 2020.
import {
  COUNT,
  GOV_RULES,
  GOV_SECTIONS,
  OTHER_ROWS_2019,
  appealsTable,
  applicationChecks,
  applicationsTable,
  govParts,
} from './shared';
import { COMPLETENESS_PARTS, NARRATIVE_FIGURES } from './text-rules';
import type { Column, Table, Template } from './types';

const itemColumns: Column[] = [
  { key: 'items_prev', label: '上一年项目数量' },
  // 本年增/减: the change may be negative.
  { key: 'items_change', label: '本年增/减', measure: { unit: '件', decimals: 0, signed: true } },
];

const regulations: Table = {
  key: 'regulations',
  ref: '第二项',
  block: '第二十条第（一）项',
  measure: COUNT,
  rows: [
    { key: 'rules', label: '规章' },
    { key: 'normative', label: '规范性文件' },
  ],
  columns: [
    { key: 'made', label: '本年新制作数量' },
    { key: 'published', label: '本年新公开数量' },
    { key: 'total_public', label: '对外公开总数量' },
  ],
};

const licensing: Table = {
  key: 'licensing',
  ref: '第二项',
  block: '第二十条第（五）项',
  measure: COUNT,
  rows: [
    { key: 'licensing', label: '行政许可' },
    { key: 'other_services', label: '其他对外管理服务事项' },
  ],
  columns: [...itemColumns, { key: 'decisions', label: '处理决定数量' }],
};

const enforcement: Table = {
  ...licensing,
  key: 'enforcement',
  block: '第二十条第（六）项',
  rows: [
    { key: 'penalty', label: '行政处罚' },
    { key: 'coercion', label: '行政强制' },
  ],
};

const fees: Table = {
  key: 'fees',
  ref: '第二项',
  block: '第二十条第（八）项',
  measure: COUNT,
  rows: [{ key: 'fees', label: '行政事业性收费' }],
  columns: itemColumns,
};

// The format prints 采购总金额 without a unit; reports write it in 元 (上海 2019: 251000元).
const procurement: Table = {
  key: 'procurement',
  ref: '第二项',
  block: '第二十条第（九）项',
  measure: COUNT,
  rows: [{ key: 'procurement', label: '政府集中采购' }],
  columns: [
    { key: 'projects', label: '采购项目数量' },
    { key: 'amount', label: '采购总金额', measure: { unit: '元', decimals: 2 } },
  ],
};

const applications = applicationsTable(OTHER_ROWS_2019);
const appeals = appealsTable();
const proactive = [regulations, licensing, enforcement, fees, procurement];

export const gov2019: Template = {
  id: 'gov-2019',
  title: '政府信息公开工作年度报告格式（试行）',
  basis: '国办公开办函〔2019〕60号 年度报告格式（试行）',
  years: { from: 2019, to: 2020 },
  sections: GOV_SECTIONS,
  tables: [...proactive, applications, appeals],
  parts: govParts(proactive, applications, appeals),
  // 规章/规范性文件 have no in_force column in this format, so there is no in_force_trend.
  rules: GOV_RULES.filter((r) => r.id !== 'in_force_trend').map((r) =>
    r.id === 'nonneg'
      ? {
          ...r,
          description: {
            zh: '每个数为不小于 0 的整数（本年增/减可为负数）；采购总金额最多 2 位小数',
            en: 'every cell is a whole number ≥ 0 (本年增/减 may be negative); 采购总金额 at most 2 decimals',
          },
        }
      : r,
  ).concat(NARRATIVE_FIGURES, COMPLETENESS_PARTS),
  checks: applicationChecks(applications, appeals),
};
