// The figures the public charts draw, computed from a report's cells (or a year's sums) with
// the template's own row keys. Pure: the SVG is drawn in src/views/charts.tsx.
import type { Cells, Template } from './templates/types';

export interface Figure {
  key: string;
  label: string;
  /** Null when every cell behind it is blank (blank is not zero). */
  value: number | null;
}

/** Sum of cells, a blank counting as 0; null when all are blank. */
function total(cells: Cells, keys: string[]): number | null {
  let sum: number | null = null;
  for (const key of keys) {
    const value = cells[key];
    if (typeof value === 'number' && Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum === null ? null : Math.round(sum * 1e6) / 1e6;
}

const HANDLING = [
  { key: 'disclosed', label: '（一）予以公开', rows: (k: string) => k === 'disclosed' },
  { key: 'partial', label: '（二）部分公开', rows: (k: string) => k === 'partial' },
  { key: 'withheld', label: '（三）不予公开', rows: (k: string) => k.startsWith('w_') },
  { key: 'unavailable', label: '（四）无法提供', rows: (k: string) => k.startsWith('u_') },
  { key: 'not_processed', label: '（五）不予处理', rows: (k: string) => k.startsWith('n_') },
  { key: 'other', label: '（六）其他处理', rows: (k: string) => k.startsWith('o_') },
] as const;

/**
 * How the applications were handled: the （一）–（六） results of 三、本年度办理结果, from the
 * 总计 column. Null for templates without that table (legacy-2014).
 */
export function applicationHandling(template: Template, cells: Cells): Figure[] | null {
  const table = template.tables.find((t) => t.key === 'applications');
  if (!table) return null;
  return HANDLING.map(({ key, label, rows }) => ({
    key,
    label,
    value: total(
      cells,
      table.rows.filter((r) => rows(r.key)).map((r) => `applications.${r.key}.total`),
    ),
  }));
}

export interface TrendMetric {
  key: 'new_applications' | 'appeals' | 'regulations_in_force';
  label: string;
  unit: string;
}

export const TREND_METRICS: readonly TrendMetric[] = [
  { key: 'new_applications', label: '新收政府信息公开申请', unit: '件' },
  { key: 'appeals', label: '行政复议和行政诉讼', unit: '件' },
  { key: 'regulations_in_force', label: '现行有效规章和规范性文件', unit: '件' },
];

/** The cells behind a trend metric in a template; empty when the template does not have it. */
export function trendCells(template: Template, metric: TrendMetric['key']): string[] {
  const has = (table: string) => template.tables.some((t) => t.key === table);
  const legacy = has('stats');
  switch (metric) {
    case 'new_applications':
      return legacy ? ['stats.apps_received.value'] : has('applications') ? ['applications.new.total'] : [];
    case 'appeals':
      return legacy
        ? ['stats.reviews.value', 'stats.suits.value']
        : has('appeals')
          ? ['appeals.review.total', 'appeals.suit_direct.total', 'appeals.suit_after_review.total']
          : [];
    case 'regulations_in_force': {
      // Only gov-2021 counts 现行有效件数; gov-2019's 对外公开总数量 is a different measure.
      const regulations = template.tables.find((t) => t.key === 'regulations');
      if (!regulations?.columns.some((c) => c.key === 'in_force')) return [];
      return regulations.rows.map((r) => `regulations.${r.key}.in_force`);
    }
  }
}

/** A metric's value in one report; null when the template lacks it or its cells are blank. */
export function trendValue(template: Template, cells: Cells, metric: TrendMetric['key']): number | null {
  const keys = trendCells(template, metric);
  return keys.length ? total(cells, keys) : null;
}

export interface TrendPoint {
  year: number;
  values: Record<TrendMetric['key'], number | null>;
}

/** One point per year, oldest first. */
export function trendPoints(reports: { year: number; template: Template; cells: Cells }[]): TrendPoint[] {
  return [...reports]
    .sort((a, b) => a.year - b.year)
    .map(({ year, template, cells }) => ({
      year,
      values: Object.fromEntries(TREND_METRICS.map((m) => [m.key, trendValue(template, cells, m.key)])) as TrendPoint['values'],
    }));
}
