// Input the server has not confirmed yet, kept in localStorage at every keystroke: a dead
// battery, a lost connection or a reload never costs the clerk what they typed. One entry per
// report (unit + year) and base revision; it is removed once the server holds all of it.
import type { FieldName } from './values';

export interface UnsavedField {
  /** What the clerk typed. */
  mine: string;
  /** What the field held in the base revision: tells the clerk's change from a colleague's. */
  was: string;
}

export interface Unsaved {
  /** The revision the input was typed on. */
  base: number;
  fields: Record<FieldName, UnsavedField>;
}

const PREFIX = 'nianbao.unsaved';

export class UnsavedStore {
  private readonly prefix: string;

  constructor(unit: string, year: string) {
    this.prefix = `${PREFIX}.${unit}.${year}.`;
  }

  /**
   * The entry left by an earlier visit. If there are several (a re-key interrupted), the newest
   * wins per field and the oldest base is reported, so the next save goes through the server's
   * stale-revision check and each field is reconciled against its own `was`.
   */
  load(): Unsaved | null {
    const entries = this.keys()
      .map((key) => ({ base: Number(key.slice(this.prefix.length)), fields: parseFields(storage()?.getItem(key)) }))
      .filter((e) => Number.isInteger(e.base) && e.fields)
      .sort((a, b) => a.base - b.base);
    if (!entries.length) return null;
    const fields: Record<FieldName, UnsavedField> = {};
    for (const entry of entries) Object.assign(fields, entry.fields);
    return { base: entries[0]!.base, fields };
  }

  /** Replaces whatever is stored for this report; nothing unsaved removes it. */
  save(base: number, fields: Record<FieldName, UnsavedField>): void {
    const store = storage();
    if (!store) return;
    const key = `${this.prefix}${base}`;
    for (const old of this.keys()) if (old !== key) store.removeItem(old);
    if (!Object.keys(fields).length) {
      store.removeItem(key);
      return;
    }
    try {
      store.setItem(key, JSON.stringify(fields));
    } catch {
      // Storage full or refused (private browsing): the autosave is then the only safety net.
    }
  }

  private keys(): string[] {
    const store = storage();
    if (!store) return [];
    const keys: string[] = [];
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (key?.startsWith(this.prefix)) keys.push(key);
    }
    return keys;
  }
}

/** localStorage, or null where the browser refuses it (some private modes throw on access). */
function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function parseFields(json: string | null | undefined): Record<FieldName, UnsavedField> | null {
  if (!json) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const fields: Record<FieldName, UnsavedField> = {};
    for (const [name, field] of Object.entries(parsed as Record<string, unknown>)) {
      const { mine, was } = (field ?? {}) as Partial<UnsavedField>;
      if (typeof mine === 'string' && typeof was === 'string') fields[name] = { mine, was };
    }
    return fields;
  } catch {
    return null;
  }
}
