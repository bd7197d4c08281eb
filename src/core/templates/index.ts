// The registry of official formats. A new official format is a new template, never an edit.
import { gov2019 } from './gov-2019';
import { gov2021 } from './gov-2021';
import { legacy2014 } from './legacy-2014';
import type { Template } from './types';

export type * from './types';
export { cellKey, placeCells, type PlacedCell } from './layout';

export const TEMPLATES: readonly Template[] = [gov2021, gov2019, legacy2014];

export function getTemplate(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

/** The format that applies to a report year (2021 onward → gov-2021, 2019–2020 → gov-2019, …). */
export function templateForYear(year: number): Template {
  return TEMPLATES.find((t) => (t.years.from ?? -Infinity) <= year && year <= (t.years.to ?? Infinity)) ?? gov2021;
}
