// The clerk's report form, rendered on the server from the template (a new official format
// needs no new form code). Works without JavaScript: a plain POST saves and re-renders; the
// browser script (src/client/form.ts) only enhances it — autosave, live totals and rules.
// On a phone every table row is a small group of labelled inputs: never a sideways grid.
import { cellCatalog, issuesByRow, type Cells, type Issue, type Table, type Template } from '../../core';
import { derivedCells } from '../../core/derived-cells';
import { translator, type Lang } from '../../core/i18n';
import type { DraftState } from '../../reports/draft-state';
import { Button, ErrorSummary, Field, NumberInput, Textarea } from '../../views/forms';
import { Layout } from '../../views/layout';
import { PartNav, partId } from './part-nav';
import { ReportHeading } from './report-heading';

export interface FormNotice {
  kind: 'saved' | 'conflict' | 'filled' | 'error';
  text: string;
  /** After 「其余空白填0」: the cells it filled, so the clerk can undo without JavaScript. */
  undoKeys?: string[];
}

export interface FormView {
  lang: Lang;
  state: DraftState;
  issues: Issue[];
  now: number;
  /** What the clerk typed, shown instead of the stored values (a rejected or conflicting save). */
  typed?: Record<string, string>;
  /** Field name (c.<cell>, s.<section>, x.<rule>) → message, for input that could not be read. */
  fieldErrors?: Record<string, string>;
  notice?: FormNotice;
}

export const cellField = (key: string) => `c.${key}`;
export const sectionField = (key: string) => `s.${key}`;
export const explanationField = (rule: string) => `x.${rule}`;
export const fieldId = (name: string) => `f-${name}`;
/** Where an issue is corrected: its part of the text for a check on the narrative, else its first cell. */
export const issueField = (issue: Issue) => fieldId(issue.section ? sectionField(issue.section) : cellField(issue.cells[0] ?? ''));

/** The blanks 「其余空白填0」 would fill: every typed cell left blank. */
export function blankInputs(template: Template, cells: Cells): string[] {
  const derived = derivedCells(template);
  return [...cellCatalog(template).keys()].filter((k) => !derived.has(k) && (cells[k] === null || cells[k] === undefined));
}

/** The link from a warning to its explanation box (the browser script writes the same). */
export const EXPLAIN_LINK = { zh: '填写说明', en: 'Explain' };

const show = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

export function ReportForm(view: FormView) {
  const { state, lang, issues } = view;
  const t = translator(lang);
  const template = state.template;
  const catalog = cellCatalog(template);
  const derived = derivedCells(template);
  const base = `/app/reports/${state.unitCode}/${state.year}`;
  const blanks = blankInputs(template, state.cells);
  const messagesAt = issuesByRow(issues);
  const errors = issues.filter((i) => i.severity === 'error');
  const warnings = issues.filter((i) => i.severity === 'warning');
  const warningRules = template.rules.filter((r) => r.severity === 'warning' && r.id !== 'nonneg');
  const activeWarnings = new Set(warnings.map((w) => w.rule));
  const fieldErrors = Object.entries(view.fieldErrors ?? {});
  const textIssues = issues.filter((i) => /^(narrative|completeness)_/.test(i.rule));

  const value = (name: string, stored: string) => view.typed?.[name] ?? stored;

  const cellInput = (key: string, label: string) => {
    const info = catalog.get(key)!;
    const name = cellField(key);
    const id = fieldId(name);
    const error = view.fieldErrors?.[name];
    const invalid = error !== undefined || issues.some((i) => i.severity === 'error' && i.cells[0] === key);
    if (derived.has(key)) {
      const computed = (
        <>
          {label}
          <span class="hint">{t('（自动计算）', ' (computed)')}</span>
        </>
      );
      return (
        <Field id={id} kind="cell" class="cell-derived" label={computed}>
          <output id={id} data-cell={key} data-derived="">
            {show(state.cells[key])}
          </output>
        </Field>
      );
    }
    return (
      <NumberInput
        id={id}
        name={name}
        kind="cell"
        label={label}
        error={error}
        invalid={invalid}
        suffix={info.measure.unit !== '件' ? <span class="unit">{info.measure.unit}</span> : null}
        decimals={info.measure.decimals}
        signed={info.measure.signed ?? false}
        value={value(name, show(state.cells[key])) || undefined}
      />
    );
  };

  const rowMessages = (table: string, row: string) => {
    const list = messagesAt.get(`${table}.${row}`) ?? [];
    return (
      <ul class="messages" data-messages={`${table}.${row}`}>
        {list.map((i) => (
          <li class={i.severity}>
            {t(i.message)}
            {/* A warning needs its explanation: a link to the box, from beside the warning (issue 14). */}
            {i.severity === 'warning' ? <a href={`#${fieldId(explanationField(i.rule))}`}>{t(EXPLAIN_LINK)}</a> : null}
          </li>
        ))}
      </ul>
    );
  };

  const tableFields = (table: Table) => {
    let groups: string[] = [];
    const single = table.columns.length === 1;
    return (
      <div class="table-fields">
        {table.block ? <h3 class="block">{table.block}</h3> : null}
        {table.rows.map((row) => {
          const headings = (row.groups ?? []).filter((g, i) => groups[i] !== g);
          const depth = (row.groups ?? []).length - headings.length;
          groups = row.groups ?? [];
          return (
            <>
              {row.heading ? <h3 class="group">{row.heading}</h3> : null}
              {headings.map((g, i) => (depth + i === 0 ? <h3 class="group">{g}</h3> : <h4 class="group">{g}</h4>))}
              {single ? (
                <div class="row row-single">
                  {cellInput(`${table.key}.${row.key}.${table.columns[0]!.key}`, table.key === 'stats' ? row.label : `${row.label}·${table.columns[0]!.label}`)}
                  {rowMessages(table.key, row.key)}
                </div>
              ) : (
                <fieldset class="row">
                  <legend>{row.label}</legend>
                  <div class="cells">{table.columns.map((c) => cellInput(`${table.key}.${row.key}.${c.key}`, c.label))}</div>
                  {rowMessages(table.key, row.key)}
                </fieldset>
              )}
            </>
          );
        })}
      </div>
    );
  };

  return (
    <Layout title={t(`${state.unitName} ${state.year} 年度报告 · 填报`, `${state.unitName} ${state.year} report · Nianbao`)} lang={lang} styles="form">
      <ReportHeading lang={lang} state={state} timeLeftAt={view.now} />
      {state.comment ? (
        <div class="notice notice-returned">
          <strong>{t('审核人的退回意见：', 'The supervisor returned it: ')}</strong>
          {state.comment}
        </div>
      ) : null}
      {view.notice ? (
        <div class={`notice notice-${view.notice.kind}`} role="status">
          {view.notice.text}
          {view.notice.undoKeys?.length ? (
            <form method="post" action={base} class="inline-form">
              <input type="hidden" name="revision" value={String(state.revision)} />
              <input type="hidden" name="undo" value={view.notice.undoKeys.join(',')} />
              <Button name="action" value="undo-fill" variant="link">
                {t('撤销', 'Undo')}
              </Button>
            </form>
          ) : null}
        </div>
      ) : null}
      {fieldErrors.length || errors.length || warnings.length ? (
        // Not role=alert: the browser script rewrites it as the clerk types (data-summary).
        <ErrorSummary
          alert={false}
          warning={!fieldErrors.length && !errors.length}
          // Input was refused (a plain post, e.g. 检查并提交 without the script): focus what says why.
          focus={fieldErrors.length > 0}
          data-summary=""
          title={
            fieldErrors.length || errors.length
              ? t(`有 ${fieldErrors.length + errors.length} 处需要更正`, `${fieldErrors.length + errors.length} thing(s) to correct`)
              : t('请核对以下提示并填写说明', 'Check these warnings and explain them')
          }
          errors={[
            ...fieldErrors.map(([name, message]) => ({ href: `#${fieldId(name)}`, text: message })),
            ...[...errors, ...warnings].map((i) => ({ href: `#${issueField(i)}`, text: t(i.message), class: i.severity })),
          ]}
        />
      ) : null}

      <form
        method="post"
        action={base}
        id="report-form"
        class="report-form"
        // One attribute for all 166 inputs, not one each: the form page's 25 KB budget.
        autocomplete="off"
        novalidate
        data-api={`/api/v1/drafts/${state.unitCode}/${state.year}`}
        data-template={template.id}
        data-revision={String(state.revision)}
        data-unit={state.unitCode}
        data-year={String(state.year)}
        // Last year's cells, for the cross-year warnings the script checks as the clerk types.
        data-previous={state.previous ? JSON.stringify(state.previous) : undefined}
        // The checks on the text, which only the server makes (core/narrative-issues.ts): the script keeps them.
        data-text-issues={textIssues.length ? JSON.stringify(textIssues) : undefined}
        // Re-rendered with input the server did not save (422 / 409): the script keeps it as unsaved.
        data-unsaved={view.typed ? '' : undefined}
      >
        <input type="hidden" name="revision" value={String(state.revision)} />
        {/* Enter in a field presses the form's first submit button: 保存, not 「其余空白填0」 in the part navigation. */}
        <button type="submit" name="action" value="save" hidden>
          {t('保存', 'Save')}
        </button>
        <PartNav
          lang={lang}
          template={template}
          isFilled={(name) =>
            (name.startsWith('c.') ? value(name, show(state.cells[name.slice(2)])) : value(name, state.sections[name.slice(2)] ?? '')).trim() !== ''
          }
        >
          {blanks.length ? (
            <Button name="action" value="fill-zero" variant="secondary" data-fill-zero="">
              {t(`其余 ${blanks.length} 个空白填 0`, `Fill the other ${blanks.length} blanks with 0`)}
            </Button>
          ) : null}
        </PartNav>
        {template.parts.map((part) => {
          if (part.type === 'section') {
            const section = template.sections.find((s) => s.key === part.key)!;
            const name = sectionField(section.key);
            return (
              <section class="part" id={partId(part.key)}>
                <Textarea
                  id={fieldId(name)}
                  name={name}
                  label={section.title}
                  labelClass="part-title"
                  hint={section.hint}
                  error={view.fieldErrors?.[name]}
                  data-section={section.key}
                  rows={6}
                  value={value(name, state.sections[section.key] ?? '')}
                />
                {/* The checks on the text (narrative_*, completeness_*) at their part; the script keeps the server's. */}
                {rowMessages('s', section.key)}
              </section>
            );
          }
          return (
            <section class="part" id={partId(part.key)}>
              <h2 class="part-title">{part.title}</h2>
              {part.note ? <p class="hint">{part.note}</p> : null}
              {part.tables.map((key) => tableFields(template.tables.find((tb) => tb.key === key)!))}
            </section>
          );
        })}

        <section class="part explanations" data-explanations="">
          <h2 class="part-title">{t('提示说明', 'Explanations of warnings')}</h2>
          <p class="hint">{t('提示不妨碍提交，但每项提示都需要简要说明，说明将与报告一同公开。', 'Warnings do not block submission, but each needs a short explanation, published with the report.')}</p>
          {warningRules.map((rule) => {
            const name = explanationField(rule.id);
            const text = value(name, state.explanations[rule.id] ?? '');
            // A warning judged at submission only (completeness_*) never arises on the form: its box
            // is the check page's, here only when it holds text (the form's 25 KB budget).
            if (rule.submitOnly && !text && !activeWarnings.has(rule.id)) return null;
            return (
              <Textarea
                id={fieldId(name)}
                name={name}
                label={t(rule.description)}
                error={view.fieldErrors?.[name]}
                group={{ 'data-explanation': rule.id, hidden: !activeWarnings.has(rule.id) && !text ? true : undefined }}
                rows={2}
                value={text}
              />
            );
          })}
        </section>

        <div class="form-actions">
          <p class="save-state" data-save-state="" aria-live="polite">
            {state.revision > 0 ? t(`已保存（第 ${state.revision} 稿）`, `Saved (revision ${state.revision})`) : t('尚未保存', 'Not saved yet')}
          </p>
          <Button name="action" value="save">
            {t('保存', 'Save')}
          </Button>
          <Button name="action" value="check" variant="secondary">
            {t('检查并提交', 'Check and submit')}
          </Button>
        </div>
      </form>
      <script src="/static/form.js" defer></script>
    </Layout>
  );
}
