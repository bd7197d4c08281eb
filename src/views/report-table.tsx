// The official printed layout of a report's tables, from the template's layout grid: one
// renderer for every read-only view (the clerk's submitted report, review, public page, print).
import type { Child } from 'hono/jsx';
import type { CellKey, Cells, Layout, LayoutCell, Template } from '../core';

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

/**
 * `label` names the scroll box (the part's title): a table wider than a phone scrolls inside it,
 * so keyboard users must be able to focus it to scroll, and a screen reader announces what it is.
 */
export function OfficialTable({ layout, cells, caption, label, renderValue }: { layout: Layout; cells: Cells; caption?: string; label: string; renderValue?: ValueRenderer }) {
  return (
    <div class="table-scroll" tabindex={0} role="region" aria-label={label}>
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

/** The whole report in official order: narrative sections and tables. */
export function OfficialReport({ template, sections, cells }: { template: Template; sections: Record<string, string>; cells: Cells }) {
  return (
    <div class="report">
      {template.parts.map((part) => {
        if (part.type === 'section') {
          const section = template.sections.find((s) => s.key === part.key)!;
          const text = sections[part.key] ?? '';
          return (
            <section class="report-section">
              <h2>{section.title}</h2>
              {text.trim() ? text.split(/\n+/).map((p) => <p>{p}</p>) : <p class="muted">（未填写）</p>}
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
