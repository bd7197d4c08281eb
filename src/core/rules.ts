// The one rule engine (勾稽关系). Pure: no I/O, no Worker or Node globals, so the browser runs
// exactly the code the Worker runs.
import { cellCatalog, type CellInfo } from './cells';
import { plainNumber } from './numbers';
import { implausibleIssue, isPlausible, jumpIssue } from './plausibility';
import type { CellKey, Cells, Check, Severity, Template, Term, Text } from './templates/types';

export type Stage = 'draft' | 'submit';

export interface Issue {
  rule: string;
  severity: Severity;
  /** The cells of this year's report involved, in the order the check names them. */
  cells: CellKey[];
  message: Text;
  /** For checks on one cell: the value it should have, and the value it has. */
  expected?: number;
  actual?: number | null;
  /** For checks on the narrative (narrative.ts, completeness.ts): the part of the text, and the clause. */
  section?: string;
  sentence?: string;
}

/**
 * The issues by the table row ("table.row") of their first cell, where the form shows each:
 * the server renders them there and the browser script redraws them there as the clerk types.
 * An issue on the narrative is also listed at its part of the text, under "s.<section>".
 */
export function issuesByRow(issues: readonly Issue[]): Map<string, Issue[]> {
  const byRow = new Map<string, Issue[]>();
  const add = (at: string, issue: Issue) => byRow.set(at, [...(byRow.get(at) ?? []), issue]);
  for (const issue of issues) {
    const first = issue.cells[0];
    if (first) add(first.split('.').slice(0, 2).join('.'), issue);
    if (issue.section) add(`s.${issue.section}`, issue);
  }
  return byRow;
}

export interface ValidateOptions {
  stage?: Stage;
  /** Last year's cells of the same unit, for the cross-year warnings. */
  previous?: Cells | null;
}

const EPSILON = 1e-7;

/** Every issue with the report, errors and warnings, in template order. */
export function validate(template: Template, cells: Cells, options: ValidateOptions = {}): Issue[] {
  const catalog = cellCatalog(template);
  const severity = new Map(template.rules.map((r) => [r.id, r.severity]));
  const issues: Issue[] = [];

  const nonneg = severity.get('nonneg');
  const plausible = severity.get('plausible');
  const filled = options.stage === 'submit' ? severity.get('filled') : undefined;
  // Totals are computed: a clerk can only fix the items, so only typed cells are judged plausible.
  const totals = new Set(template.checks.filter((c) => c.derived).map((c) => c.left[0]!.cell));
  for (const info of catalog.values()) {
    const value = cells[info.key];
    if (value === null || value === undefined) {
      if (filled) issues.push(blankIssue(info, filled));
    } else if (nonneg && !fits(value, info)) {
      issues.push(formatIssue(info, value, nonneg));
    } else if (plausible && !totals.has(info.key) && !isPlausible(info, value)) {
      issues.push(implausibleIssue(info, value, plausible));
    }
  }

  const jump = options.previous ? severity.get('jump') : undefined;
  if (jump) {
    for (const info of catalog.values()) {
      if (totals.has(info.key)) continue;
      const issue = jumpIssue(info, cells[info.key], options.previous![info.key], jump);
      if (issue) issues.push(issue);
    }
  }

  for (const check of template.checks) {
    const rule = severity.get(check.rule);
    if (!rule) continue;
    // A cross-year check on cells not typed yet says nothing (a new draft's blank 上年结转 is not
    // a difference from last year); at submission `filled` asks for them.
    if (check.right.some((t) => t.previous) && check.left.every((t) => t.previous || cells[t.cell] == null)) continue;
    const right = sum(check.right, cells, options.previous);
    if (right === undefined) continue; // last year's report is not known
    const left = sum(check.left, cells, options.previous)!;
    if (holds(left, check.op, right)) continue;
    issues.push(checkIssue(check, rule, left, right, cells, catalog));
  }
  return issues;
}

/** True when nothing blocks submission: no error (warnings need explanations, not fixes). */
export function hasErrors(issues: Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/**
 * The values the totals should have, computed from the items typed so far, so the form can
 * fill them in. A total whose items are all blank stays blank.
 */
export function deriveTotals(template: Template, cells: Cells): Cells {
  const derived = template.checks.filter((c) => c.derived);
  const working: Cells = { ...cells };
  const out: Cells = {};
  // Totals can depend on totals (（七）总计·总计 on （七）总计·自然人 …): settle in a few passes.
  for (let pass = 0, changed = true; changed && pass < 4; pass++) {
    changed = false;
    for (const check of derived) {
      if (!check.right.some((t) => working[t.cell] != null)) continue;
      const target = check.left[0]!.cell;
      const value = round(sum(check.right, working, null)!);
      if (working[target] !== value) {
        working[target] = value;
        changed = true;
      }
      out[target] = value;
    }
  }
  return out;
}

function sum(terms: Term[], cells: Cells, previous: Cells | null | undefined): number | undefined {
  let total = 0;
  for (const term of terms) {
    let value: number | null | undefined;
    if (term.previous) {
      value = previous?.[term.cell];
      if (value === null || value === undefined) return undefined;
    } else {
      value = cells[term.cell];
    }
    // In every sum a blank counts as 0 (`filled` catches blanks at submit).
    if (typeof value === 'number' && Number.isFinite(value)) total += term.sign * value;
  }
  return total;
}

function holds(left: number, op: Check['op'], right: number): boolean {
  // Counts compare exactly; the absolute slack only absorbs binary rounding of decimal amounts
  // (at most 6 places), so an off-by-one never hides behind large numbers.
  if (op === 'eq') return Math.abs(left - right) <= EPSILON;
  if (op === 'le') return left <= right + EPSILON;
  return left >= right - EPSILON;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

function fits(value: unknown, info: CellInfo): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (value < 0 && !info.measure.signed) return false;
  // A value has at most `decimals` places when rounding it there gives the same number back.
  return Number(value.toFixed(info.measure.decimals)) === value;
}

const show = (v: number | null | undefined, lang: 'zh' | 'en') =>
  v === null || v === undefined ? (lang === 'zh' ? '空白' : 'blank') : String(round(v));

function blankIssue(info: CellInfo, severity: Severity): Issue {
  return {
    rule: 'filled',
    severity,
    cells: [info.key],
    message: {
      zh: `${info.name}未填写（没有的请填 0）`,
      en: `${info.name} is blank (enter 0 where there is nothing)`,
    },
    actual: null,
  };
}

function formatIssue(info: CellInfo, value: unknown, severity: Severity): Issue {
  const { decimals, signed } = info.measure;
  const shown = typeof value === 'number' ? plainNumber(value) : JSON.stringify(value);
  const zh = signed ? '应为整数' : decimals === 0 ? '应为不小于 0 的整数' : `应为不小于 0 的数，最多 ${decimals} 位小数`;
  const en = signed
    ? 'must be a whole number'
    : decimals === 0
      ? 'must be a whole number ≥ 0'
      : `must be a number ≥ 0 with at most ${decimals} decimals`;
  return {
    rule: 'nonneg',
    severity,
    cells: [info.key],
    message: { zh: `${info.name}${zh}，当前为 ${shown}`, en: `${info.name} ${en}; it is ${shown}` },
    actual: typeof value === 'number' ? value : null,
  };
}

function checkIssue(
  check: Check,
  severity: Severity,
  left: number,
  right: number,
  cells: Cells,
  catalog: Map<CellKey, CellInfo>,
): Issue {
  const involved = [...check.left, ...check.right].filter((t) => !t.previous).map((t) => t.cell);
  const R = show(right, 'zh');
  if (check.left.length === 1) {
    const target = check.left[0]!.cell;
    const name = catalog.get(target)?.name ?? target;
    const actual = cells[target] ?? null;
    const L = { zh: show(actual, 'zh'), en: show(actual, 'en') };
    const message =
      check.op === 'eq'
        ? {
            zh: `${name}应为 ${R}（${check.rightName.zh}），当前为 ${L.zh}`,
            en: `${name} should be ${R} (${check.rightName.en}), but is ${L.en}`,
          }
        : check.op === 'le'
          ? {
              zh: `${name}（${L.zh}）不应大于${check.rightName.zh}（${R}）`,
              en: `${name} (${L.en}) should not exceed ${check.rightName.en} (${R})`,
            }
          : {
              zh: `${name}（${L.zh}）不应小于${check.rightName.zh}（${R}）`,
              en: `${name} (${L.en}) should not be less than ${check.rightName.en} (${R})`,
            };
    return { rule: check.rule, severity, cells: involved, message, expected: round(right), actual };
  }
  const subject = check.subject ?? { zh: '', en: '' };
  const leftName = check.leftName ?? { zh: '左边', en: 'the left side' };
  const L = show(left, 'zh');
  // Name the rows to check, with what each holds (「一、本年新收政府信息公开申请数量 3；…」), so
  // the clerk knows where to look, not only which sums disagree.
  const rows = involved
    .map((cell) => {
      const info = catalog.get(cell);
      const row = info ? [...(info.row.groups ?? []), info.row.label].join(' → ') : cell;
      return { zh: `${row} ${show(cells[cell], 'zh')}`, en: `${row} ${show(cells[cell], 'en')}` };
    })
    .filter((row, i, all) => all.findIndex((r) => r.zh === row.zh) === i);
  return {
    rule: check.rule,
    severity,
    cells: involved,
    message: {
      zh: `${subject.zh}：${leftName.zh}为 ${L}，${check.rightName.zh}为 ${R}，两者应相等。请核对：${rows.map((r) => r.zh).join('；')}`,
      en: `${subject.en}: ${leftName.en} is ${L} but ${check.rightName.en} is ${R}; they must be equal. Check: ${rows.map((r) => r.en).join('; ')}`,
    },
  };
}
