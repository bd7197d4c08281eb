// The official printed layout of a report's tables, from the template's layout grid: one
// renderer for every read-only view (the clerk's submitted report, review, public page, print).
// A grid wider than a phone (三 has 10 columns, 四 has 15) is also rendered row by row for
// narrow screens: each row's label, then its values named by their column headings. CSS shows
// one of the two (display: none hides the other from screen readers too); print and screens
// from 768 px wide always get the official grid.
import type { Child } from 'hono/jsx';
import { placeCells, type CellKey, type Cells, type Layout, type LayoutCell, type PlacedCell as Placed, type Template } from '../core';
import { translator, type Lang } from '../core/i18n';

const formatValue = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** What a value cell shows instead of its number (the import page: an input per cell). */
type ValueRenderer = (cell: CellKey) => Child;

function Cell({ cell, cells, renderValue }: { cell: LayoutCell; cells: Cells; renderValue?: ValueRenderer | undefined }) {
  const span = { colspan: cell.colspan, rowspan: cell.rowspan };
  if (cell.kind === 'head') return <th scope="col" {...span}>{cell.text}</th>;
  if (cell.kind === 'label') return <th scope="row" class="label" {...span}>{cell.text}</th>;
  if (cell.kind === 'unit') return <td class="unit" {...span}>{cell.text}</td>;
  return (
    <td class="value" data-cell={cell.cell} {...span}>
      {cell.cell ? (renderValue ? renderValue(cell.cell) : formatValue(cells[cell.cell])) : ''}
    </td>
  );
}

/** One body row read as a phone reads it: the headings it starts, its label, its values grouped. */
export interface PhoneRow {
  /** Row headings (three's 「三、本年度办理结果」, 「（三）不予公开」) that begin at this row. */
  headings: string[];
  label: string;
  /** Consecutive values under the same column heading; `title` is that heading ('' for none). */
  groups: { title: string; values: { heading: string; cell: string }[] }[];
}

/** Tables wider than this many grid columns get the row-by-row rendering on a phone. */
const PHONE_COLUMNS = 4;

/**
 * The rows of a wide layout for a phone. A value's headings are the head cells above its column,
 * less those that span every value column (「申请人情况」 says nothing about one column); all
 * but the last name its group, the last names the value itself.
 */
export function phoneRows(layout: Layout): PhoneRow[] {
  const head = placeCells(layout.head);
  const body = placeCells(layout.body);
  const valueColumns = new Set(body.filter((p) => p.cell.kind === 'value').map((p) => p.col));
  const spansAll = (p: Placed) => [...valueColumns].every((c) => c >= p.col && c < p.col + p.cols);
  const headingsOf = (col: number) =>
    head
      .filter((p) => p.cell.kind === 'head' && col >= p.col && col < p.col + p.cols && !spansAll(p))
      .sort((a, b) => a.row - b.row)
      .map((p) => p.cell.text ?? '');
  return layout.body.flatMap((_, r) => {
    const inRow = body.filter((p) => p.row === r).sort((a, b) => a.col - b.col);
    const values = inRow.filter((p) => p.cell.kind === 'value' && p.cell.cell);
    if (values.length === 0) return [];
    const labels = inRow.filter((p) => p.cell.kind === 'label');
    const groups: PhoneRow['groups'] = [];
    for (const p of values) {
      const path = headingsOf(p.col);
      const title = path.slice(0, -1).join(' · ');
      const value = { heading: path.at(-1) ?? '', cell: p.cell.cell! };
      const last = groups.at(-1);
      if (last && last.title === title) last.values.push(value);
      else groups.push({ title, values: [value] });
    }
    return [
      {
        headings: labels.filter((p) => p.rows > 1).map((p) => p.cell.text ?? ''),
        label: labels.filter((p) => p.rows === 1).map((p) => p.cell.text ?? '').join(' '),
        groups,
      },
    ];
  });
}

/**
 * The phone rendering: headings as they begin, then each row's label and its values. A table of
 * many rows (三) shows each row's values as one compact grid, its column groups named once above
 * the rows (and to screen readers in each value's name); a table of one row (四) shows its
 * groups under their titles.
 */
function PhoneTable({ layout, cells, label }: { layout: Layout; cells: Cells; label: string }) {
  const rows = phoneRows(layout);
  const compact = rows.length > 1;
  const legend = compact ? groupLegend(rows) : [];
  const Value = ({ v, group }: { v: { heading: string; cell: string }; group?: string }) => (
    <div>
      <dt>
        {group ? <span class="official-row-hidden">{group} </span> : null}
        {v.heading}
      </dt>
      <dd data-cell={v.cell}>{formatValue(cells[v.cell]) || '—'}</dd>
    </div>
  );
  return (
    <div class="official-rows" role="group" aria-label={label} lang="zh-CN">
      {legend.map((line) => (
        <p class="official-rows-legend" aria-hidden="true">
          {line}
        </p>
      ))}
      {rows.map((row) => (
        <>
          {row.headings.map((heading) => (
            <p class="official-rows-heading">{heading}</p>
          ))}
          <div class="official-row">
            {row.label ? <p class="official-row-label">{row.label}</p> : null}
            {compact ? (
              <dl class="compact">{row.groups.flatMap((g) => g.values.map((v) => <Value v={v} group={g.title} />))}</dl>
            ) : (
              row.groups.map((group) => (
                <div class="official-row-group">
                  {group.title ? <p class="official-row-group-title">{group.title}</p> : null}
                  <dl>
                    {group.values.map((v) => (
                      <Value v={v} />
                    ))}
                  </dl>
                </div>
              ))
            )}
          </div>
        </>
      ))}
    </div>
  );
}

/** 「法人或其他组织：商业企业、科研机构、…」: each column group of the first row, once. */
function groupLegend(rows: PhoneRow[]): string[] {
  return (rows[0]?.groups ?? []).filter((g) => g.title).map((g) => `${g.title}：${g.values.map((v) => v.heading).join('、')}`);
}

/**
 * `label` names the scroll box (the part's title): a table wider than a phone scrolls inside it,
 * so keyboard users must be able to focus it to scroll, and a screen reader announces what it is.
 * A wide layout also gets the phone rendering, and CSS shows one of the two.
 */
export function OfficialTable(props: { layout: Layout; cells: Cells; caption?: string; label: string; renderValue?: ValueRenderer }) {
  // Inputs in the cells (the import page) exist once: the grid alone, scrolling in its box.
  if (props.layout.columns <= PHONE_COLUMNS || props.renderValue) return <GridTable {...props} />;
  return (
    <div class="official-both">
      <GridTable {...props} />
      <PhoneTable layout={props.layout} cells={props.cells} label={props.label} />
    </div>
  );
}

function GridTable({ layout, cells, caption, label, renderValue }: { layout: Layout; cells: Cells; caption?: string; label: string; renderValue?: ValueRenderer | undefined }) {
  return (
    <div class="table-scroll" tabindex={0} role="region" aria-label={label} lang="zh-CN">
      <table class="official">
        {caption ? <caption>{caption}</caption> : null}
        {layout.head.length ? (
          <thead>
            {layout.head.map((row) => (
              <tr>{row.map((cell) => <Cell cell={cell} cells={cells} renderValue={renderValue} />)}</tr>
            ))}
          </thead>
        ) : null}
        <tbody>
          {layout.body.map((row) => (
            <tr>{row.map((cell) => <Cell cell={cell} cells={cells} renderValue={renderValue} />)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The whole report in official order: narrative sections and tables. It is Chinese whatever the
 * page's language (official titles and labels, the unit's own text), and says so (lang="zh-CN");
 * only the placeholder of an empty section is the page's own words.
 */
export function OfficialReport({ template, sections, cells, lang = 'zh' }: { template: Template; sections: Record<string, string>; cells: Cells; lang?: Lang }) {
  const t = translator(lang);
  return (
    <div class="report" lang="zh-CN">
      {template.parts.map((part) => {
        if (part.type === 'section') {
          const section = template.sections.find((s) => s.key === part.key)!;
          const text = sections[part.key] ?? '';
          return (
            <section class="report-section">
              <h2>{section.title}</h2>
              {text.trim() ? (
                text.split(/\n+/).map((p) => <p>{p}</p>)
              ) : (
                <p class="muted" lang={t('zh-CN', 'en')}>
                  {t('（未填写）', '(not filled in)')}
                </p>
              )}
            </section>
          );
        }
        return (
          <section class="report-section">
            <h2>{part.title}</h2>
            <OfficialTable layout={part.layout} cells={cells} label={part.title} />
          </section>
        );
      })}
    </div>
  );
}
