// Builders for the official printed layouts. Each returns an explicit grid (spans included),
// so one renderer draws every table of every template the way the State Council's format does.
import type { Column, Layout, LayoutCell, Row, Table } from './types';

export const cellKey = (table: string, row: string, column: string) => `${table}.${row}.${column}`;

const valueCells = (table: Table, row: Row): LayoutCell[] =>
  table.columns.map((c) => ({ kind: 'value', cell: cellKey(table.key, row.key, c.key) }));

/**
 * 二、主动公开政府信息情况: one printed table of several blocks. Each block starts with a
 * full-width row naming it, then 信息内容 and its column headers. Blocks with fewer columns
 * than the widest spread their last column over the rest.
 */
export function blocksLayout(tables: Table[]): Layout {
  const valueColumns = Math.max(...tables.map((t) => t.columns.length));
  const columns = 1 + valueColumns;
  const spans = (n: number, i: number) => (i === n - 1 ? valueColumns - n + 1 : 1);
  const withSpan = (cell: LayoutCell, span: number): LayoutCell => (span > 1 ? { ...cell, colspan: span } : cell);
  const body: LayoutCell[][] = [];
  for (const t of tables) {
    body.push([{ kind: 'head', text: t.block, colspan: columns }]);
    body.push([
      { kind: 'head', text: '信息内容' },
      ...t.columns.map((c: Column, i) => withSpan({ kind: 'head', text: c.label }, spans(t.columns.length, i))),
    ]);
    for (const r of t.rows) {
      body.push([
        { kind: 'label', text: r.label },
        ...valueCells(t, r).map((v, i) => withSpan(v, spans(t.columns.length, i))),
      ]);
    }
  }
  return { columns, head: [], body };
}

/**
 * 三、收到和处理政府信息公开申请情况: rows under nested headings. A heading is one tall cell
 * spanning the rows beneath it; a row's own label spans the label columns its headings leave.
 */
export function applicationsLayout(table: Table, note: string): Layout {
  const labelColumns = 3;
  const [natural, ...rest] = table.columns;
  const total = rest.pop()!;
  const head: LayoutCell[][] = [
    [
      { kind: 'head', text: note, colspan: labelColumns, rowspan: 3 },
      { kind: 'head', text: '申请人情况', colspan: table.columns.length },
    ],
    [
      { kind: 'head', text: natural!.label, rowspan: 2 },
      { kind: 'head', text: '法人或其他组织', colspan: rest.length },
      { kind: 'head', text: total.label, rowspan: 2 },
    ],
    rest.map((c) => ({ kind: 'head', text: c.label })),
  ];
  const body = table.rows.map((row, i) => {
    const groups = row.groups ?? [];
    const before = table.rows[i - 1]?.groups ?? [];
    const cells: LayoutCell[] = [];
    groups.forEach((g, level) => {
      const startsHere = before[level] !== g || before.slice(0, level).join() !== groups.slice(0, level).join();
      if (!startsHere) return;
      let span = 0;
      for (let j = i; j < table.rows.length && table.rows[j]!.groups?.[level] === g; j++) span++;
      cells.push({ kind: 'label', text: g, rowspan: span });
    });
    const labelSpan = labelColumns - groups.length;
    cells.push(labelSpan > 1 ? { kind: 'label', text: row.label, colspan: labelSpan } : { kind: 'label', text: row.label });
    return [...cells, ...valueCells(table, row)];
  });
  return { columns: labelColumns + table.columns.length, head, body };
}

/**
 * 四、政府信息公开行政复议、行政诉讼情况: one value row of 15 cells under three header groups
 * 行政复议 | 行政诉讼（未经复议直接起诉 | 复议后起诉）.
 */
export function appealsLayout(table: Table): Layout {
  const [review, direct, afterReview] = table.rows as [Row, Row, Row];
  const n = table.columns.length;
  const labels = (rowspan?: number): LayoutCell[] =>
    table.columns.map((c) => (rowspan ? { kind: 'head', text: c.label, rowspan } : { kind: 'head', text: c.label }));
  return {
    columns: 3 * n,
    head: [
      [
        { kind: 'head', text: review.label, colspan: n },
        { kind: 'head', text: '行政诉讼', colspan: 2 * n },
      ],
      [
        ...labels(2),
        { kind: 'head', text: direct.label, colspan: n },
        { kind: 'head', text: afterReview.label, colspan: n },
      ],
      [...labels(), ...labels()],
    ],
    body: [[...valueCells(table, review), ...valueCells(table, direct), ...valueCells(table, afterReview)]],
  };
}

/** 政府信息公开情况统计表 (legacy-2014): 统计指标 | 单位 | 统计数, heading lines marked ——. */
export function statisticsLayout(table: Table): Layout {
  const body: LayoutCell[][] = [];
  for (const row of table.rows) {
    if (row.heading) body.push([{ kind: 'label', text: row.heading }, { kind: 'unit', text: '——' }, { kind: 'value' }]);
    body.push([
      { kind: 'label', text: row.label },
      { kind: 'unit', text: (row.measure ?? table.measure).unit },
      ...valueCells(table, row),
    ]);
  }
  return {
    columns: 3,
    head: [[{ kind: 'head', text: '统计指标' }, { kind: 'head', text: '单位' }, { kind: 'head', text: '统计数' }]],
    body,
  };
}

/** A layout cell with the grid position it occupies once the spans above and left are counted. */
export interface PlacedCell {
  cell: LayoutCell;
  row: number;
  col: number;
  rows: number;
  cols: number;
}

/**
 * Places each cell of `rows` on the grid the way a browser places an HTML table's cells: each goes
 * to the next slot of its row that no span from above or left has taken. The page's phone rows
 * and the Word document's merged cells both read the grid so.
 */
export function placeCells(rows: LayoutCell[][]): PlacedCell[] {
  const taken = new Set<string>();
  const placed: PlacedCell[] = [];
  rows.forEach((row, r) => {
    let c = 0;
    for (const cell of row) {
      while (taken.has(`${r},${c}`)) c++;
      const item = { cell, row: r, col: c, rows: cell.rowspan ?? 1, cols: cell.colspan ?? 1 };
      for (let i = r; i < r + item.rows; i++) for (let j = c; j < c + item.cols; j++) taken.add(`${i},${j}`);
      placed.push(item);
      c += item.cols;
    }
  });
  return placed;
}
