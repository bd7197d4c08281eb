// The shape of an official report format. Templates are plain data: the form, the validator,
// the public page, JSON/CSV and the statistics are all driven by them.

export type TemplateId = 'gov-2021' | 'gov-2019' | 'legacy-2014';

/** `TABLE.ROW.COLUMN`, ASCII, stable: part of the public API. */
export type CellKey = string;
/** A cell holds a number, or null when it is blank (blank is not zero). */
export type CellValue = number | null;
export type Cells = Record<CellKey, CellValue>;

/** What kind of number a cell holds. */
export interface Measure {
  /** Unit as printed in the official format: 件, 万元, 条, 人次 … */
  unit: string;
  /** Decimal places allowed: 0 for counts, 6 for 万元 (published to the fen), 2 for 元. */
  decimals: number;
  /** May the value be negative (e.g. gov-2019 本年增/减)? */
  signed?: boolean;
}

export interface Column {
  key: string;
  label: string;
  /** Overrides the table's measure for this column. */
  measure?: Measure;
}

export interface Row {
  key: string;
  label: string;
  /**
   * Headings this row stands under, outermost first (三、本年度办理结果 → （三）不予公开).
   * Layout only: headings are never cells.
   */
  groups?: string[];
  /** A heading line printed just before this row in single-column statistics (legacy-2014). */
  heading?: string;
  /** Overrides the table's measure for this row (legacy-2014: each row has its own unit). */
  measure?: Measure;
}

export interface Table {
  key: string;
  /** How messages name the table: 第三项 … (the official section number). */
  ref: string;
  /** The block name, where the official layout gives one (第二十条第（一）项). */
  block?: string;
  measure: Measure;
  rows: Row[];
  columns: Column[];
}

export interface Section {
  key: string;
  title: string;
  hint?: string;
}

/** A cell of the rendered official layout (header, row label or value). */
export interface LayoutCell {
  kind: 'head' | 'label' | 'value' | 'unit';
  text?: string;
  /** For value cells: the data cell shown here. */
  cell?: CellKey;
  colspan?: number;
  rowspan?: number;
}

/** One table as the official format prints it: header rows then body rows, spans explicit. */
export interface Layout {
  columns: number;
  head: LayoutCell[][];
  body: LayoutCell[][];
}

/** The document in official order: narrative sections and printed tables. */
export type Part =
  | { type: 'section'; key: string }
  | { type: 'tables'; key: string; title: string; tables: string[]; layout: Layout; note?: string };

export type Severity = 'error' | 'warning';

export interface RuleInfo {
  id: string;
  severity: Severity;
  /** Only checked when submitting (filled). */
  submitOnly?: boolean;
  /** Needs last year's cells (carry_over, in_force_trend). */
  crossYear?: boolean;
  description: Text;
}

/** One term of a linear check: a cell of this year's report, or of last year's. */
export interface Term {
  cell: CellKey;
  sign: 1 | -1;
  previous?: boolean;
}

export interface Text {
  zh: string;
  en: string;
}

/**
 * One concrete consistency check: `Σ left  op  Σ right`. When `left` is a single cell, messages
 * say what that cell should be (「（七）总计·自然人应为 12（各项办理结果之和），当前为 11」);
 * otherwise they compare the two named sides. A `derived` check's single left cell is a total
 * the form computes for the clerk.
 */
export interface Check {
  rule: string;
  left: Term[];
  op: 'eq' | 'le' | 'ge';
  right: Term[];
  rightName: Text;
  leftName?: Text;
  /** What is being compared, for checks with several cells on the left. */
  subject?: Text;
  derived?: boolean;
}

export interface Template {
  id: TemplateId;
  title: string;
  basis: string;
  years: { from: number | null; to: number | null };
  sections: Section[];
  tables: Table[];
  parts: Part[];
  rules: RuleInfo[];
  checks: Check[];
}
