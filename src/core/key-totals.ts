// The totals a reviewer looks at first (gov-2021 keys; a template without them shows none):
// on the clerk's check-your-answers page, in the review mail and on the review pages.
import type { Cells } from './templates/types';

export interface KeyTotal {
  key: string;
  zh: string;
  en: string;
  value: number | null;
}

const KEY_TOTALS: [key: string, zh: string, en: string][] = [
  ['applications.new.total', '本年新收政府信息公开申请', 'New applications this year'],
  ['applications.results_total.total', '本年度办理结果总计', 'Applications handled'],
  ['applications.carried_out.total', '结转下年度继续办理', 'Carried over to next year'],
  ['appeals.review.total', '行政复议', 'Administrative reviews'],
  ['appeals.suit_direct.total', '行政诉讼：未经复议直接起诉', 'Lawsuits without review'],
  ['appeals.suit_after_review.total', '行政诉讼：复议后起诉', 'Lawsuits after review'],
];

/** The key totals the report's cells have, in that order. */
export function keyTotals(cells: Cells): KeyTotal[] {
  return KEY_TOTALS.filter(([key]) => key in cells).map(([key, zh, en]) => ({ key, zh, en, value: cells[key] ?? null }));
}
