// Plausibility: the largest number a cell can hold in a real report, and the jump from last year
// that deserves a second look. The storage cap (CELL_VALUE_LIMIT in numbers.ts, 10^15) only
// protects the database; a clerk who types 99999999999999 into 行政强制 needs to hear that no
// county has that many, in words that name the row. Pure: the Worker (save, submit, import, the
// review page) and the browser's live check run this same code through validate() in rules.ts.
// Like every error rule, `plausible` never blocks saving a draft (typed input is never lost, and
// the check page shows the error) but blocks submission; an import keeps it as an issue.
import type { CellInfo } from './cells';
import { plainNumber } from './numbers';
import type { CellKey, Measure, Severity, Text } from './templates/types';

/** An issue as rules.ts defines it (not imported from there: rules.ts imports this module). */
interface Issue {
  rule: string;
  severity: Severity;
  cells: CellKey[];
  message: Text;
  expected?: number;
  actual?: number | null;
}

/**
 * Counts (件, 条, 次, 人次, 个 …): the largest county-level units have about two million people,
 * and their applications, appeals and regulations are counted in hundreds or thousands a year. One
 * million per cell is far beyond any real report yet still catches a row of nines or a pasted ID.
 */
export const COUNT_LIMIT = 1_000_000;
/**
 * Except the mass decisions of 二 (行政许可, 行政处罚, 行政强制 处理决定数量): every traffic fine is
 * a 处罚, so a city prints millions (淮安市 2024: 行政处罚 3,985,758). A hundred million is more
 * than any city's year.
 */
export const DECISIONS_LIMIT = 100_000_000;
/** 万元: ten million 万元 is 1,000 亿元, beyond any body's fees in a year (淮安市 2024: 96,171.6 万元). */
export const WAN_YUAN_LIMIT = 10_000_000;
/** 元 (gov-2019 采购总金额): the same 1,000 亿元. */
export const YUAN_LIMIT = 100_000_000_000;

const MASS_DECISION_TABLES = new Set(['licensing', 'enforcement']);

/**
 * A jump of more than JUMP_FACTOR times last year's published value is a warning, when last year's
 * value was not 0 and this year's is at least the floor: 2 → 30 applications is an ordinary year
 * for a town, not something to explain in public.
 */
export const JUMP_FACTOR = 10;
const JUMP_FLOOR_COUNT = 100;
const JUMP_FLOOR_WAN_YUAN = 100;
const JUMP_FLOOR_YUAN = 1_000_000;

/** The largest plausible absolute value of this cell. */
export function plausibleLimit(info: Pick<CellInfo, 'measure' | 'table' | 'column'>): number {
  if (info.measure.unit === '万元') return WAN_YUAN_LIMIT;
  if (info.measure.unit === '元') return YUAN_LIMIT;
  if (MASS_DECISION_TABLES.has(info.table.key) && info.column.key === 'decisions') return DECISIONS_LIMIT;
  return COUNT_LIMIT;
}

const jumpFloor = (measure: Measure) =>
  measure.unit === '万元' ? JUMP_FLOOR_WAN_YUAN : measure.unit === '元' ? JUMP_FLOOR_YUAN : JUMP_FLOOR_COUNT;

/** 1000000 → 「1,000,000」: limits read better grouped. */
export const grouped = (n: number) => plainNumber(n).replace(/^(-?\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ','));

/**
 * Where the cell sits, as the clerk sees it on the form: the table's section, the row's headings,
 * the row and (in tables of several columns) the column — 「第三项 → 三、本年度办理结果 →
 * （三）不予公开 → 3.危及“三安全一稳定”·自然人」. Official labels stay Chinese in English too.
 */
export function cellPath(info: CellInfo): string {
  const place = [info.table.ref, info.table.block].filter(Boolean).join(' ');
  const steps = [place, ...(info.row.groups ?? []), info.row.label].filter((s) => s && s.length > 0);
  const multi = info.table.columns.length > 1 || info.column.key !== 'value';
  return `${steps.join(' → ')}${multi ? `·${info.column.label}` : ''}`;
}

/** Whether a value is within the cell's plausible range (blank always is). */
export function isPlausible(info: CellInfo, value: number | null | undefined): boolean {
  if (value === null || value === undefined) return true;
  return Number.isFinite(value) && Math.abs(value) <= plausibleLimit(info);
}

/**
 * The error for a value beyond the plausible range. `typed` is what the clerk typed, shown as is
 * (the browser passes it for numbers too large to store; never 1e+23).
 */
export function implausibleIssue(info: CellInfo, value: number, severity: Severity, typed?: string): Issue {
  const limit = `${grouped(plausibleLimit(info))} ${info.measure.unit}`;
  const shown = typed?.trim() || plainNumber(value);
  const path = cellPath(info);
  const message: Text = {
    zh: `${path}：${shown} 超出合理范围（一个单位一年不会超过 ${limit}），请核对`,
    en: `${path}: ${shown} is not plausible (no unit has more than ${limit} in a year); check the number`,
  };
  return { rule: 'plausible', severity, cells: [info.key], message, actual: value };
}

/** The warning for a value more than JUMP_FACTOR times last year's, or undefined. */
export function jumpIssue(info: CellInfo, value: number | null | undefined, last: number | null | undefined, severity: Severity): Issue | undefined {
  if (value === null || value === undefined || last === null || last === undefined) return undefined;
  if (!(last > 0) || value < jumpFloor(info.measure) || value <= JUMP_FACTOR * last) return undefined;
  const path = cellPath(info);
  const times = Math.floor(value / last);
  return {
    rule: 'jump',
    severity,
    cells: [info.key],
    message: {
      zh: `${path}：本年 ${plainNumber(value)}，是上年 ${plainNumber(last)} 的 ${times} 倍以上，请核对；如无误请说明原因`,
      en: `${path}: ${plainNumber(value)} this year is more than ${times} times last year’s ${plainNumber(last)}; check it, and if it is right explain why`,
    },
    expected: last,
    actual: value,
  };
}

/** The rules' descriptions, for the templates' rule lists (and the explanation box of `jump`). */
export const PLAUSIBLE_DESCRIPTION: Text = {
  zh: `每个数在合理范围内：件、条、人次等不超过 ${grouped(COUNT_LIMIT)}（行政许可、处罚、强制决定数不超过 ${grouped(DECISIONS_LIMIT)}），金额不超过 ${grouped(WAN_YUAN_LIMIT)} 万元`,
  en: `every number is plausible: counts at most ${grouped(COUNT_LIMIT)} (licensing, penalty and coercion decisions ${grouped(DECISIONS_LIMIT)}), amounts at most ${grouped(WAN_YUAN_LIMIT)} 万元`,
};
export const JUMP_DESCRIPTION: Text = {
  zh: `与上年报告相比增长超过 ${JUMP_FACTOR} 倍的数字，请说明原因`,
  en: `numbers more than ${JUMP_FACTOR} times last year’s: say why`,
};
