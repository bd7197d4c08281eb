// Cell addressing: every cell of a template with its row, column, measure and a name a clerk
// recognises (「第三项（七）总计·自然人」).
import type { CellKey, Column, Measure, Row, Table, Template } from './templates/types';
import { cellKey } from './templates/layout';

export interface CellInfo {
  key: CellKey;
  table: Table;
  row: Row;
  column: Column;
  measure: Measure;
  /** How messages and the form name the cell. */
  name: string;
}

const catalogs = new WeakMap<Template, Map<CellKey, CellInfo>>();

/** Every cell of the template, in official order. Computed once per template. */
export function cellCatalog(template: Template): Map<CellKey, CellInfo> {
  let catalog = catalogs.get(template);
  if (!catalog) {
    catalog = new Map();
    for (const table of template.tables) {
      for (const row of table.rows) {
        for (const column of table.columns) {
          const key = cellKey(table.key, row.key, column.key);
          const measure = row.measure ?? column.measure ?? table.measure;
          catalog.set(key, { key, table, row, column, measure, name: cellName(table, row, column) });
        }
      }
    }
    catalogs.set(template, catalog);
  }
  return catalog;
}

export function cellKeys(template: Template): CellKey[] {
  return [...cellCatalog(template).keys()];
}

function cellName(table: Table, row: Row, column: Column): string {
  // Numbered items (1.属于国家秘密) are named with their heading (（三）不予公开).
  const groups = row.groups ?? [];
  const heading = groups.length >= 2 ? `${groups[groups.length - 1]} ` : '';
  const label = `${heading}${row.label}`;
  const joined = !table.ref ? label : label.startsWith('（') ? `${table.ref}${label}` : `${table.ref} ${label}`;
  return table.columns.length > 1 || column.key !== 'value' ? `${joined}·${column.label}` : joined;
}
