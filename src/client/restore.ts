// On load: input an earlier visit typed but never got confirmed goes back into the fields.
import type { Confirmed } from './autosave';
import { currentValues, setValues, type FormFields } from './fields';
import type { UnsavedStore } from './unsaved-store';
import { changedFields, pick, type FieldName, type Values } from './values';

export interface Restored {
  /** Where the autosave starts from. */
  start: Confirmed;
  /** Something was put back into the fields (tell the clerk). */
  restored: boolean;
  /** The fields put back, to say what came back. */
  names: FieldName[];
}

/**
 * `rendered` is what the server rendered for `pageRevision`. Stored input is put back and the
 * autosave starts from the revision it was typed on, with the values it was typed over: if the
 * server has moved on since, the save gets a 409 and the usual reconciliation decides field by
 * field (a colleague's edit, or our own save whose answer never arrived).
 */
export function restoreUnsaved(fields: FormFields, store: UnsavedStore, pageRevision: number, rendered: Values): Restored {
  const unsaved = store.load();
  const fresh: Restored = { start: { revision: pageRevision, values: rendered }, restored: false, names: [] };
  if (!unsaved) return fresh;
  const mine: Values = {};
  const was: Values = {};
  for (const [name, field] of Object.entries(unsaved.fields)) {
    if (!fields.byName.has(name)) continue; // a field this template does not have
    mine[name] = field.mine;
    was[name] = field.was;
  }
  const differing = changedFields(mine, currentValues(fields));
  if (!differing.length) {
    store.save(pageRevision, {}); // the page already shows all of it
    return fresh;
  }
  setValues(fields, pick(mine, differing));
  return { start: { revision: unsaved.base, values: { ...rendered, ...was } }, restored: true, names: differing };
}
