// Totals and rule messages while the clerk types, from the Worker's own rule engine (src/core):
// the form shows at every keystroke what the server would say on save.
import { cellCatalog, issuesByRow, validate, type Cells, type Issue, type Template } from '../core';
import { withDerivedTotals } from '../core/derived-cells';
import type { FormFields } from './fields';
import { plainNumber, readNumber, typedNumber } from '../core/numbers';
import { implausibleIssue } from '../core/plausibility';
import type { Lang, Texts } from './text';
import { keyOf } from './values';

export interface CheckResult {
  /** Every cell: typed items as read, totals computed from them. */
  cells: Cells;
  issues: Issue[];
  /** Typed cells left blank (what 「其余空白填0」 would fill). */
  blanks: HTMLInputElement[];
}

export class LiveCheck {
  private readonly crossYearRules: Set<string>;
  /** The server's cross-year warnings, while last year's cells are not known on the page. */
  private serverCrossYear: Issue[] = [];
  /** The server's checks on the text (narrative_*, completeness_*): the script does not carry them. */
  private serverText: Issue[];

  constructor(
    private readonly template: Template,
    private readonly fields: FormFields,
    private readonly lang: Lang,
    private readonly text: Texts,
    /** Last year's cells, when the page provides them (form[data-previous]). */
    private readonly previous: Cells | null,
  ) {
    this.crossYearRules = new Set(template.rules.filter((r) => r.crossYear).map((r) => r.id));
    this.serverText = JSON.parse(fields.form.dataset.textIssues ?? '[]') as Issue[];
  }

  /** Without last year's cells the script cannot check the cross-year rules: it shows the server's verdict. */
  takeServerIssues(issues: Issue[]): void {
    if (this.previous === null) this.serverCrossYear = issues.filter((i) => this.crossYearRules.has(i.rule));
    // Every check on the text names its part (section); no table rule does.
    this.serverText = issues.filter((i) => i.section);
  }

  check(): CheckResult {
    const cells: Cells = {};
    const blanks: HTMLInputElement[] = [];
    const unreadable: Issue[] = [];
    const catalog = cellCatalog(this.template);
    for (const input of this.fields.cells) {
      const key = keyOf(input.name);
      const value = readNumber(input.value);
      cells[key] = value ?? null;
      if (value === null) blanks.push(input);
      if (value === undefined) {
        const info = catalog.get(key);
        const typed = typedNumber(input.value);
        // A number too large to store (99999999999999999999999) is kept as typed and called
        // implausible, as the server would, rather than "not a number".
        if (info && typeof typed === 'number') unreadable.push(implausibleIssue(info, typed, 'error', input.value));
        else {
          const message = this.text.notANumber(info?.name ?? key);
          unreadable.push({ rule: 'number', severity: 'error', cells: [key], message: { zh: message, en: message } });
        }
      }
    }
    // Totals come from their items only, never from a stale total (as the server computes them).
    const withTotals = withDerivedTotals(this.template, cells);
    const issues = validate(this.template, withTotals, { stage: 'draft', previous: this.previous });
    return { cells: withTotals, blanks, issues: [...unreadable, ...issues, ...this.serverCrossYear, ...this.serverText] };
  }

  /** Shows the result: totals, the messages under each row, invalid inputs, the summary, explanations. */
  render(result: CheckResult): void {
    for (const [key, output] of this.fields.totals) {
      const value = result.cells[key];
      const shown = value === null || value === undefined ? '' : plainNumber(value);
      if (output.textContent !== shown) output.textContent = shown;
    }
    this.renderRowMessages(result.issues);
    this.markInvalid(result.issues);
    renderSummary(this.fields.form, result.issues, this.lang, this.text);
    this.showExplanations(result.issues);
  }

  private renderRowMessages(issues: Issue[]): void {
    // An issue is shown at the row of its first cell, as the server renders it.
    const byRow = issuesByRow(issues);
    for (const list of this.fields.form.querySelectorAll<HTMLUListElement>('ul[data-messages]')) {
      replaceItems(list, byRow.get(list.dataset.messages!) ?? [], this.lang, this.text.explainLink);
    }
  }

  private markInvalid(issues: Issue[]): void {
    const invalid = new Set(issues.filter((i) => i.severity === 'error').map((i) => i.cells[0]));
    for (const input of this.fields.cells) {
      if (invalid.has(keyOf(input.name))) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  /** A warning's explanation field shows while the warning is active, or while it has text. */
  private showExplanations(issues: Issue[]): void {
    const active = new Set(issues.filter((i) => i.severity === 'warning').map((i) => i.rule));
    for (const box of this.fields.form.querySelectorAll<HTMLElement>('[data-explanation]')) {
      const text = box.querySelector('textarea')?.value.trim() ?? '';
      box.hidden = !active.has(box.dataset.explanation!) && !text;
    }
  }
}

/** Rewrites a message list only when its messages changed, so screen readers and layout stay calm. */
function replaceItems(list: HTMLUListElement, issues: Issue[], lang: Lang, explain: string): void {
  // As the server renders them: a warning's text followed by the link to its explanation box.
  const signature = issues.map((i) => `${i.severity}:${i.message[lang]}${i.severity === 'warning' ? explain : ''}`).join('\n');
  if (list.dataset.shown === signature || (list.dataset.shown === undefined && signature === currentSignature(list))) return;
  list.dataset.shown = signature;
  list.replaceChildren(
    ...issues.map((issue) => {
      const item = document.createElement('li');
      item.className = issue.severity;
      item.textContent = issue.message[lang];
      if (issue.severity === 'warning') {
        const link = document.createElement('a');
        link.href = `#f-x.${issue.rule}`;
        link.textContent = explain;
        item.append(link);
      }
      return item;
    }),
  );
}

const currentSignature = (list: HTMLUListElement) =>
  [...list.children].map((li) => `${li.className}:${li.textContent}`).join('\n');

/** The summary above the form: every error and warning, each linking to its first cell. */
function renderSummary(form: HTMLFormElement, issues: Issue[], lang: Lang, text: Texts): void {
  let summary = document.querySelector<HTMLElement>('[data-summary]');
  if (!issues.length) {
    if (summary) summary.hidden = true;
    return;
  }
  if (!summary) {
    summary = document.createElement('div');
    summary.setAttribute('data-summary', '');
    summary.tabIndex = -1;
    summary.append(document.createElement('h2'), document.createElement('ul'));
    form.before(summary);
  }
  const errors = issues.filter((i) => i.severity === 'error');
  const ordered = [...errors, ...issues.filter((i) => i.severity === 'warning')];
  summary.hidden = false;
  summary.className = errors.length ? 'error-summary' : 'error-summary warning-summary';
  const heading = summary.querySelector('h2');
  if (heading) heading.textContent = errors.length ? text.summaryErrors(errors.length) : text.summaryWarnings;
  const list = summary.querySelector('ul') ?? summary.appendChild(document.createElement('ul'));
  const signature = ordered.map((i) => i.message[lang]).join('\n');
  if (list.dataset.shown === signature) return;
  list.dataset.shown = signature;
  list.replaceChildren(
    ...ordered.map((issue) => {
      const item = document.createElement('li');
      item.className = issue.severity;
      const link = document.createElement('a');
      link.href = issue.section ? `#f-s.${issue.section}` : `#f-c.${issue.cells[0] ?? ''}`;
      link.textContent = issue.message[lang];
      item.append(link);
      return item;
    }),
  );
}
