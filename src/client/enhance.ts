// What the browser script does to the clerk's report form. The server-rendered form
// (src/areas/clerk/form.tsx) works without it; this only enhances it: live totals and rule
// messages from src/core, autosave that survives a bad connection, restore after a reload,
// conflicts with a colleague, 「其余空白填0」 in place, Enter to the next cell.
import { cellCatalog, type Cells, type Template } from '../core';
import { Autosave } from './autosave';
import { showConflict } from './conflict-panel';
import { enterMovesToNextCell } from './enter-next';
import { currentValues, findFields, renderedValues, setValues, type FormFields } from './fields';
import { FillZero } from './fill-zero';
import { LiveCheck } from './live-check';
import { showNotice } from './notices';
import { keepFormOffline, keepSavedCopy, savedCopy, type SavedCopy } from './offline';
import { PartNav } from './part-nav-counts';
import { TextAreas } from './text-areas';
import { plainNumber, readNumber } from '../core/numbers';
import { restoreUnsaved } from './restore';
import { SaveState } from './save-state';
import { pageLang, textsFor, type Lang } from './text';
import { UnsavedStore } from './unsaved-store';
import { changedFields, EXPLANATION, isCell, keyOf, SECTION, type FieldName, type Values } from './values';

/** The form of the page, when it is a report form in this template. */
export function reportForm(): HTMLFormElement | null {
  const form = document.getElementById('report-form');
  return form instanceof HTMLFormElement ? form : null;
}

export function enhanceReportForm(template: Template): void {
  const form = reportForm();
  const url = form?.dataset.api;
  if (!form || !url || form.dataset.template !== template.id) return;
  keepFormOffline();
  void savedCopy().then((copy) => enhance(template, form, url, copy));
}

/** `copy`: what the server confirmed since this page was kept offline, if anything. */
function enhance(template: Template, form: HTMLFormElement, url: string, copy: SavedCopy | null): void {
  const lang = pageLang();
  const text = textsFor(lang);
  const fields = findFields(form);
  const live = new LiveCheck(template, fields, lang, text, previousCells(form));
  const store = new UnsavedStore(form.dataset.unit ?? '', form.dataset.year ?? '');
  const saveState = new SaveState(form.querySelector<HTMLElement>('[data-save-state]'));
  // data-unsaved: the server re-rendered input it did not save (a refused plain post), so no
  // field can be assumed saved and the first autosave sends them all.
  let rendered: Values = form.hasAttribute('data-unsaved') ? {} : renderedValues(fields);
  let pageRevision = Number(form.dataset.revision ?? 0);
  if (copy && copy.revision > pageRevision) {
    // A page kept offline, older than the last save: show the form as last saved.
    setValues(fields, copy.values);
    rendered = { ...rendered, ...copy.values };
    pageRevision = copy.revision;
    setRevision(form, pageRevision);
    saveState.show('saved', text.saved(pageRevision));
  }
  const restored = restoreUnsaved(fields, store, pageRevision, rendered);

  const fillZero = new FillZero(fields, text, () => {
    refresh();
    autosave.noteInput();
  });
  const partNav = new PartNav(form, lang);
  const textAreas = new TextAreas(form, lang);
  const refresh = () => {
    const result = live.check();
    live.render(result);
    fillZero.update(result.blanks.length);
    partNav.update();
    textAreas.update();
  };
  const autosave = new Autosave(
    url,
    fields,
    store,
    saveState,
    text,
    {
      fieldsChanged: refresh,
      revisionChanged: (revision) => {
        setRevision(form, revision);
        keepSavedCopy(autosave.saved);
      },
      serverIssues: (issues) => {
        live.takeServerIssues(issues);
        refresh();
      },
      conflict: (conflict) => showConflict(form, template, text, lang, conflict),
      merged: (revision) => showNotice(form, { id: 'merged', kind: 'saved', text: text.merged(revision) }),
      fieldName: (name) => fieldName(template, name, lang),
    },
    restored.start,
  );

  form.addEventListener('input', (event) => {
    if (!isSavedField(fields, event.target)) return;
    fillZero.dismiss();
    refresh();
    autosave.noteInput();
  });
  form.addEventListener('change', (event) => showNumberAsSaved(fields, event.target));
  form.addEventListener('submit', (event) => {
    const action = (event.submitter as HTMLButtonElement | null)?.value;
    event.preventDefault();
    if (action === 'fill-zero') fillZero.fill(live.check().blanks);
    // The check page is the server's: go there once it holds everything (else the state line says why).
    // Otherwise (a cell that cannot be saved, no connection) move to what says why: never a button that seems to do nothing.
    else if (action === 'check') void autosave.flush().then((saved) => (saved ? postPlainly(form, 'check') : showWhyNotChecked(form, refresh)));
    // 保存 (or Enter in a text field): no page load needed.
    else void autosave.saveNow();
  });
  enterMovesToNextCell(form, fields.cells);
  window.addEventListener('online', () => autosave.retryNow());
  // Phones kill background tabs: save when the clerk switches away.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') autosave.saveBeforeLeaving();
  });

  // The server rendered totals and messages for its own content; redraw only if the fields differ.
  if (restored.restored || changedFields(currentValues(fields), renderedValues(fields)).length) refresh();
  else fillZero.update(live.check().blanks.length);
  textAreas.update();
  if (restored.restored) {
    const cells = restored.names.filter(isCell).length;
    const texts = restored.names.filter((name) => !isCell(name)).map((name) => fieldName(template, name, lang));
    showNotice(form, { id: 'restored', kind: 'info', text: text.restored(cells, [...new Set(texts)]) });
  }
  document.addEventListener('click', followErrorLink);
  autosave.start();
}

function isSavedField(fields: FormFields, target: EventTarget | null): boolean {
  return (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) && fields.byName.get(target.name) === target;
}

/** '１２，３４５' reads as 12345: once the clerk leaves the cell, show it the way it is saved. */
function showNumberAsSaved(fields: FormFields, target: EventTarget | null): void {
  if (!(target instanceof HTMLInputElement) || !isCell(target.name) || !isSavedField(fields, target)) return;
  const value = readNumber(target.value);
  if (value !== undefined && value !== null && plainNumber(value) !== target.value) target.value = plainNumber(value);
}

/** The no-JavaScript post carries the revision too: keep it current, or the server calls it stale. */
function setRevision(form: HTMLFormElement, revision: number): void {
  form.dataset.revision = String(revision);
  const hidden = form.querySelector<HTMLInputElement>('input[name="revision"]');
  if (hidden) hidden.value = String(revision);
}

/** A plain post of the form, as without JavaScript (form.submit() sends no submitter value). */
function postPlainly(form: HTMLFormElement, action: string): void {
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = 'action';
  input.value = action;
  form.append(input);
  form.submit();
}

/** Last year's cells for the cross-year rules, when the page provides them (form[data-previous]). */
function previousCells(form: HTMLFormElement): Cells | null {
  try {
    const parsed: unknown = JSON.parse(form.dataset.previous ?? 'null');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Cells) : null;
  } catch {
    return null;
  }
}

/** How messages name a field: a cell's name (row and column), a section's title, a warning's rule. */
function fieldName(template: Template, name: FieldName, lang: Lang): string {
  const key = keyOf(name);
  if (isCell(name)) return cellCatalog(template).get(key)?.name ?? key;
  if (name.startsWith(SECTION)) return template.sections.find((s) => s.key === key)?.title ?? key;
  if (name.startsWith(EXPLANATION)) return template.rules.find((r) => r.id === key)?.description[lang] ?? key;
  return key;
}

/** 检查并提交 could not go on: redraw the summary (it lists the cell that cannot be saved) and focus it. */
function showWhyNotChecked(form: HTMLFormElement, refresh: () => void): void {
  refresh();
  const summary = document.querySelector<HTMLElement>('[data-summary]:not([hidden])');
  const target = summary ?? form.querySelector<HTMLElement>('[data-save-state]');
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
}

/**
 * An error summary's link to a field: scroll so the field's label and heading stay in view
 * (scroll-margin-top in app.css) and put the cursor in the field, as GOV.UK's summary does.
 */
function followErrorLink(event: MouseEvent): void {
  const link = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>('.error-summary a[href^="#f-"]') : null;
  if (!link) return;
  const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!field) return;
  event.preventDefault();
  // The row (its legend and heading above it) first; the field itself if that leaves it off-screen.
  (field.closest('fieldset.row, .row-single') ?? field).scrollIntoView({ block: 'start' });
  if (field.getBoundingClientRect().bottom > window.innerHeight * 0.7) field.scrollIntoView({ block: 'center' });
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) field.focus({ preventScroll: true });
  history.replaceState(null, '', link.hash);
}
