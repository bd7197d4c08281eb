// The cells a template computes: row and column totals, the left cell of each derived check.
// They are never typed — the form shows them, a saved revision recomputes them from their items.
import type { Template } from './templates/types';

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
