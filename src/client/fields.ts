// The report form's fields as the server renders them (src/areas/clerk/form.tsx): typed cells,
// computed totals, narrative sections and warning explanations.
import type { CellKey } from '../core';
import { CELL, EXPLANATION, SECTION, type FieldName, type Values } from './values';

type TextField = HTMLInputElement | HTMLTextAreaElement;

export interface FormFields {
  form: HTMLFormElement;
  /** Typed cells, in the order they appear (Enter moves along this list). */
  cells: HTMLInputElement[];
  /** Computed totals, never typed. */
  totals: Map<CellKey, HTMLOutputElement>;
  /** Every field the script saves, by its form name. */
  byName: Map<FieldName, TextField>;
}

export function findFields(form: HTMLFormElement): FormFields {
  // A typed cell's input is named c.<cell> (its key: keyOf); no attribute of its own repeats it.
  const cells = [...form.querySelectorAll<HTMLInputElement>(`input[name^="${CELL}"]`)];
  const totals = new Map<CellKey, HTMLOutputElement>();
  for (const output of form.querySelectorAll<HTMLOutputElement>('output[data-cell][data-derived]')) {
    totals.set(output.dataset.cell!, output);
  }
  const texts = form.querySelectorAll<HTMLTextAreaElement>(`textarea[name^="${SECTION}"], textarea[name^="${EXPLANATION}"]`);
  const byName = new Map<FieldName, TextField>();
  for (const field of [...cells, ...texts]) byName.set(field.name, field);
  return { form, cells, totals, byName };
}

/** What the fields hold now. */
export function currentValues(fields: FormFields): Values {
  const out: Values = {};
  for (const [name, field] of fields.byName) out[name] = field.value;
  return out;
}

/**
 * What the server rendered into the fields: the saved content of the page's revision. (A
 * browser may put back text typed before a reload into `value`; `defaultValue` stays the
 * server's.)
 */
export function renderedValues(fields: FormFields): Values {
  const out: Values = {};
  for (const [name, field] of fields.byName) out[name] = field.defaultValue;
  return out;
}

/** Puts these texts into the fields; true if any field changed. */
export function setValues(fields: FormFields, values: Values): boolean {
  let changed = false;
  for (const [name, text] of Object.entries(values)) {
    const field = fields.byName.get(name);
    if (field && field.value !== text) {
      field.value = text;
      changed = true;
    }
  }
  return changed;
}
