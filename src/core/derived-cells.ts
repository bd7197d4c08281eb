// The cells a template computes: row and column totals, the left cell of each derived check.
// They are never typed — the form shows them, a saved revision recomputes them from their items,
// and the clerk's browser recomputes them at every keystroke the same way (src/client/live-check.ts).
import { deriveTotals } from './rules';
import type { Cells, Template } from './templates/types';

const derived = new WeakMap<Template, ReadonlySet<string>>();

/** The template's computed cells (totals). Computed once per template. */
export function derivedCells(template: Template): ReadonlySet<string> {
  let cells = derived.get(template);
  if (!cells) {
    cells = new Set(template.checks.filter((c) => c.derived).map((c) => c.left[0]!.cell));
    derived.set(template, cells);
  }
  return cells;
}

/**
 * The totals recomputed from their items alone: typed (or stale) totals are cleared first, so a
 * total never feeds another one, and a total whose items are all blank is blank.
 */
export function withDerivedTotals(template: Template, cells: Cells): Cells {
  const items: Cells = { ...cells };
  for (const key of derivedCells(template)) items[key] = null;
  const totals = deriveTotals(template, items);
  for (const key of derivedCells(template)) items[key] = totals[key] ?? null;
  return items;
}

/** The derived totals of a cells map, every one present (null when blank). */
export function totalsOf(template: Template, cells: Cells): Cells {
  return Object.fromEntries([...derivedCells(template)].map((key) => [key, cells[key] ?? null]));
}
