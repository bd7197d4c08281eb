// Autosave: once typing pauses, PUT only what changed since the server last confirmed, on the
// revision it confirmed. Offline or a server error: keep everything locally and retry with
// backoff (at once when the connection returns). A colleague's newer revision: merge what does
// not collide; where both changed the same field, the clerk chooses — nothing is dropped silently.
import type { Issue } from '../core';
import { putDraft, type ServerDraft } from './drafts-api';
import { currentValues, setValues, type FormFields } from './fields';
import type { SaveState } from './save-state';
import type { Texts } from './text';
import type { UnsavedField, UnsavedStore } from './unsaved-store';
import {
  changedFields,
  patchOf,
  pick,
  reconcile,
  sameValue,
  unreadableCells,
  valuesOfDraft,
  type FieldName,
  type Values,
} from './values';

/** Typing pauses this long before a save. */
const DEBOUNCE_MS = 1500;
/** Retries after 2, 4, 8, 16, 30, 30 … seconds (±25 %, so many phones do not retry in step). */
const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 30_000;

export interface ConflictItem {
  name: FieldName;
  was: string;
  server: string;
  mine: string;
}

export interface Conflict {
  revision: number;
  items: ConflictItem[];
  keepMine(): void;
  useServer(): void;
}

export interface AutosaveHooks {
  /** Field values were replaced under the clerk (merged or chosen from the server). */
  fieldsChanged(): void;
  revisionChanged(revision: number): void;
  serverIssues(issues: Issue[]): void;
  conflict(conflict: Conflict): void;
  /** A colleague's changes to fields this clerk had not touched were taken in. */
  merged(revision: number): void;
  /** How messages name a field (a cell's row and column). */
  fieldName(name: FieldName): string;
}

/** idle: nothing left to send · saved: sent, more may follow · failed: will retry · blocked: waits for the clerk. */
export type RunResult = 'idle' | 'saved' | 'failed' | 'blocked';

export interface Confirmed {
  /** The revision the server last confirmed (the base of the next save). */
  revision: number;
  /** The field values of that revision. */
  values: Values;
}

export class Autosave {
  private revision: number;
  private confirmed: Values;
  private timer: number | undefined;
  private running: Promise<RunResult> | null = null;
  private failures = 0;
  /** A retry after a failure is scheduled: new input rides along with it. */
  private retrying = false;
  /** The conflict panel is open. */
  private waitingForChoice = false;
  /** Signed out or no longer editable: only a reload helps. */
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly fields: FormFields,
    private readonly store: UnsavedStore,
    private readonly state: SaveState,
    private readonly text: Texts,
    private readonly hooks: AutosaveHooks,
    start: Confirmed,
  ) {
    this.revision = start.revision;
    this.confirmed = { ...start.values };
  }

  /** What the server last confirmed. */
  get saved(): Confirmed {
    return { revision: this.revision, values: this.confirmed };
  }

  /** Anything unsaved at load (restored, or put back by the browser) is saved straight away. */
  start(): void {
    this.persist();
    if (this.pending().length) void this.saveNow();
  }

  /** At every keystroke: keep the input locally now, save it once typing pauses. */
  noteInput(): void {
    this.persist();
    if (this.stopped || this.waitingForChoice || this.retrying) return;
    this.state.show('saving', this.text.saving);
    this.schedule(DEBOUNCE_MS);
  }

  /** The connection is back: retry now rather than at the end of the backoff. */
  retryNow(): void {
    if (this.retrying) void this.saveNow();
  }

  saveNow(): Promise<RunResult> {
    if (this.running) return this.running.then(() => this.saveNow());
    this.running = this.attempt(false).finally(() => (this.running = null));
    return this.running;
  }

  /**
   * The page is being hidden (another app, a closed tab): send now, in a request that outlives
   * the page. Not while a retry is pending: the connection just failed, and the input waits on
   * this phone for the next visit anyway. Nor while a save is under way: it finishes, or is
   * redone on the next visit.
   */
  saveBeforeLeaving(): void {
    if (this.running || this.retrying || this.stopped || this.waitingForChoice || !this.pending().length) return;
    this.running = this.attempt(true).finally(() => (this.running = null));
  }

  /** Before leaving for the check page: true once the server holds everything typed. */
  async flush(): Promise<boolean> {
    for (let round = 0; round < 3; round++) {
      const result = await this.saveNow();
      if (result === 'idle') return true;
      if (result !== 'saved') return false;
    }
    return false;
  }

  private pending(): FieldName[] {
    return changedFields(currentValues(this.fields), this.confirmed);
  }

  private async attempt(leaving: boolean): Promise<RunResult> {
    this.clearTimer();
    // A few rounds: input typed during a save, or a merge with a colleague's revision, goes next.
    for (let round = 0; round < 4; round++) {
      if (this.stopped || this.waitingForChoice) return 'blocked';
      const values = currentValues(this.fields);
      const changed = changedFields(values, this.confirmed);
      const unreadable = new Set(unreadableCells(pick(values, changed)));
      const sending = changed.filter((name) => !unreadable.has(name));
      if (!sending.length) {
        this.retrying = false;
        this.persist();
        if (unreadable.size) {
          // Say which cells wait, and that the rest is safe: not a blanket 「未保存」.
          this.state.show('error', this.text.fixCells([...unreadable].map((name) => this.hooks.fieldName(name)), this.revision));
          return 'blocked';
        }
        this.state.show('saved', this.text.saved(this.revision));
        return 'idle';
      }

      const sent = pick(values, sending);
      this.state.show('saving', this.text.saving);
      const outcome = await putDraft(this.url, this.revision, patchOf(sent), leaving);
      switch (outcome.kind) {
        case 'saved':
          this.confirm(outcome.revision, sent);
          this.hooks.serverIssues(outcome.issues);
          // The clerk is typing again: their pause, not this loop, starts the next save.
          if (this.timer !== undefined) return 'saved';
          continue;
        case 'stale':
          if (!this.reconcileWith(outcome.current)) return 'blocked';
          continue;
        case 'offline':
          this.state.show('offline', this.text.offline);
          this.scheduleRetry();
          return 'failed';
        case 'retry':
          this.state.show('error', this.text.serverError);
          this.scheduleRetry();
          return 'failed';
        case 'signed-out':
          this.stop(this.text.signedOut);
          return 'blocked';
        case 'not-editable':
          this.stop(this.text.notEditable(outcome.message));
          return 'blocked';
        case 'rejected':
          // Retrying the same body cannot help; the clerk's next edit tries again.
          this.retrying = false;
          this.state.show('error', this.text.rejected(outcome.message));
          return 'failed';
      }
    }
    // Still more after a few rounds (a long burst of typing): carry on after the next pause.
    this.schedule(DEBOUNCE_MS);
    return 'saved';
  }

  private confirm(revision: number, sent: Values): void {
    Object.assign(this.confirmed, sent);
    this.failures = 0;
    this.retrying = false;
    if (revision !== this.revision) {
      this.revision = revision;
      this.hooks.revisionChanged(revision);
    }
    this.persist();
  }

  /**
   * A 409: the server holds a newer revision. True when it merged without a collision (the
   * clerk's input then goes on top of it); false when the clerk has to choose.
   */
  private reconcileWith(current: ServerDraft): boolean {
    const server = valuesOfDraft(current, [...this.fields.byName.keys()]);
    const values = currentValues(this.fields);
    const changed = changedFields(values, this.confirmed);
    const { conflicts } = reconcile(pick(values, changed), pick(this.confirmed, changed), server);
    if (!conflicts.length) {
      if (this.adopt(current.revision, server, [])) this.hooks.merged(current.revision);
      return true;
    }
    // Until the clerk chooses, the input stays stored on its old base, so a reload asks again.
    this.waitingForChoice = true;
    this.state.show('error', this.text.conflictWaiting);
    const choose = (takeServer: FieldName[]) => () => {
      if (!this.waitingForChoice) return;
      this.waitingForChoice = false;
      this.adopt(current.revision, server, takeServer);
      void this.saveNow();
    };
    this.hooks.conflict({
      revision: current.revision,
      items: conflicts.map((name) => ({ name, was: this.confirmed[name] ?? '', server: server[name] ?? '', mine: values[name] ?? '' })),
      keepMine: choose([]),
      useServer: choose(conflicts),
    });
    return false;
  }

  /**
   * Moves onto the server's revision: fields the clerk has not changed (and those in
   * `takeServer`) take the server's values; the clerk's other changes stay, to be saved on top.
   * Returns how many fields changed under the clerk.
   */
  private adopt(revision: number, server: Values, takeServer: FieldName[]): number {
    const values = currentValues(this.fields);
    const mine = new Set(changedFields(values, this.confirmed));
    const update: Values = {};
    for (const [name, theirs] of Object.entries(server)) {
      if ((!mine.has(name) || takeServer.includes(name)) && !sameValue(name, values[name], theirs)) update[name] = theirs;
    }
    this.confirmed = { ...server };
    this.revision = revision;
    this.hooks.revisionChanged(revision);
    if (setValues(this.fields, update)) this.hooks.fieldsChanged();
    this.persist();
    return Object.keys(update).length;
  }

  /** The unsaved input, stored on the base revision it was typed on. */
  private persist(): void {
    const values = currentValues(this.fields);
    const fields: Record<FieldName, UnsavedField> = {};
    for (const name of changedFields(values, this.confirmed)) fields[name] = { mine: values[name]!, was: this.confirmed[name] ?? '' };
    this.store.save(this.revision, fields);
  }

  private stop(message: string): void {
    this.stopped = true;
    this.retrying = false;
    this.clearTimer();
    this.state.show('error', message);
  }

  private scheduleRetry(): void {
    this.retrying = true;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures) * (0.75 + Math.random() / 2);
    this.failures++;
    this.schedule(delay);
  }

  private schedule(ms: number): void {
    this.clearTimer();
    this.timer = window.setTimeout(() => {
      this.timer = undefined;
      void this.saveNow();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
