// The rules on a report's text (issue 16): what the narrative says against what the tables count
// (core/narrative.ts) and the parts the format asks for (core/completeness.ts). Warnings: a
// clerk may have good reason (a figure counted another way), so each needs an explanation, like
// every warning. Completeness is judged at submission (the check page, submit, review), as blank
// cells are: a draft being written is not yet incomplete. Plain data here, so the templates list them without pulling the checks in.
import type { RuleInfo } from './types';

export const NARRATIVE_FIGURES: RuleInfo = {
  id: 'narrative_figures',
  severity: 'warning',
  description: { zh: '正文数字与表格一致', en: 'the text’s figures match the tables' },
};

export const COMPLETENESS_PARTS: RuleInfo = {
  id: 'completeness_parts',
  severity: 'warning',
  submitOnly: true,
  description: { zh: '各部分齐全', en: 'every part filled in' },
};

/** gov-2021: 五 says how last year's problems were corrected (国办公开办函〔2021〕30号). */
export const COMPLETENESS_CORRECTION: RuleInfo = {
  id: 'completeness_correction',
  severity: 'warning',
  submitOnly: true,
  description: { zh: '写明上年问题的整改', en: 'last year’s problems: how corrected' },
};

/** gov-2021: 六 states whether 信息处理费 was charged (国办函〔2020〕109号). */
export const COMPLETENESS_FEES: RuleInfo = {
  id: 'completeness_fees',
  severity: 'warning',
  submitOnly: true,
  description: { zh: '写明信息处理费情况', en: 'information fees: charged or not' },
};
