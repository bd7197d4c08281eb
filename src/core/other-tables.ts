// Statistics tables that are not one of our templates but appear in real published reports.
// Before the national formats (国办发〔2014〕32号 and after), some provinces published their own
// table: Fujian's 政府信息公开情况统计表 (指标名称 | 计量单位 | 本年度 | 历年累计, 16 rows), as in
// 平潭综合实验区's 2014 report. Some of its rows are the same measure as a legacy-2014 cell, most
// are not; importing it must say which rows went where and list the rest, never paste it into
// the narrative. Pure data and a pure reader, used by text-import.ts.
import type { CellKey, Template } from './templates/types';
import type { TableRow } from './html-document';

export interface OtherTableRow {
  /** The row's label as printed. */
  label: string;
  /** The template cell this row is the same measure as, or null. */
  cell: CellKey | null;
  /** The row's values, the column read first (本年度), then the others (历年累计). */
  values: (number | null)[];
}

export interface OtherTable {
  name: string;
  /** The column whose values were read into cells (its header as printed). */
  column: string;
  rows: OtherTableRow[];
}

/** The row labels as compared: no spaces, no numbering, no 其中：. */
const key = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^其中[:：]?/, '')
    .replace(/^(?:\(\d{1,2}\)|\d{1,2}[.、]|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))/, '');

interface KnownTable {
  name: string;
  /** The header texts that identify it. */
  header: RegExp[];
  /** The column to read: its header. */
  column: RegExp;
  /** Per template: the row label (as compared) → the cell holding the same measure. */
  cells: Partial<Record<Template['id'], Record<string, CellKey>>>;
}

const KNOWN: KnownTable[] = [
  {
    name: '政府信息公开情况统计表（福建省，2019 年前）',
    header: [/指标名称/, /历年累计/],
    column: /^(?:本年度|\d{4}年度?)$/,
    cells: {
      // 受理 vs 收到 is close, not identical; 信函、传真申请数 (two legacy cells in one),
      // 其他类型答复数 (several r_* together), 收费减免金额 (元, not fees collected in 万元) and
      // 接受行政诉讼、举报数 (two measures in one) have no cell of their own and stay unmapped.
      'legacy-2014': {
        主动公开文件数: 'stats.proactive_total.value',
        政府网站公开数: 'stats.ch_website.value',
        政府公报公开数: 'stats.ch_gazette.value',
        受理依申请公开信息总数: 'stats.apps_received.value',
        当面申请数: 'stats.apps_in_person.value',
        网上申请数: 'stats.apps_online.value',
        对申请的答复总数: 'stats.replies.value',
        同意公开答复数: 'stats.r_granted.value',
        同意部分公开答复数: 'stats.r_partial.value',
        不予公开答复数: 'stats.r_refused.value',
        行政复议数: 'stats.reviews.value',
        行政诉讼数: 'stats.suits.value',
      },
    },
  },
];

const NUMBER = /^[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-−]?\d+(?:\.\d+)?$/;
const value = (text: string): number | null | undefined => {
  const compact = text.normalize('NFKC').replace(/\s+/g, '');
  if (compact === '' || /^[-—–―−/／]{1,3}$/.test(compact)) return null;
  return NUMBER.test(compact) ? Number(compact.replace(/,/g, '').replace('−', '-')) : undefined;
};

/** A known table that is not the template's: its rows, those that map onto the template marked. */
export function recogniseOtherTable(template: Template, rows: TableRow[]): OtherTable | undefined {
  for (const known of KNOWN) {
    const headerRow = rows.findIndex((row) => known.header.every((re) => row.cells.some((c) => re.test(key(c.text)))));
    if (headerRow < 0) continue;
    const chosen = rows[headerRow]!.cells.find((c) => known.column.test(key(c.text)));
    if (!chosen) continue;
    const mapping = known.cells[template.id] ?? {};
    const read: OtherTableRow[] = [];
    for (const row of rows.slice(headerRow + 1)) {
      const first = row.cells.find((c) => c.column === chosen.column);
      const others = row.cells.filter((c) => c.column > chosen.column);
      const label = row.cells.filter((c) => c.column < chosen.column && value(c.text) === undefined).map((c) => c.text).join(' ');
      if (!label || !first) continue;
      const values = [first, ...others].map((c) => value(c.text) ?? null);
      // The unit column (条, 件, 元) is part of the printed label cells; only the first is the name.
      const name = row.cells[0]!.text.trim();
      read.push({ label: name || label, cell: mapping[key(name)] ?? null, values });
    }
    return { name: known.name, column: chosen.text.trim(), rows: read };
  }
  return undefined;
}
