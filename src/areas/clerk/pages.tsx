// Check-your-answers before submitting, and the read-only report once it has been submitted.
import { deadlineText, type Issue, type Refusal } from '../../core';
import { translator, type Lang } from '../../core/i18n';
import type { AuditEntry } from '../../reports/audit-trail';
import { keyTotals } from '../../core/key-totals';
import type { DraftState } from '../../reports/draft-state';
import { AuditTrail } from '../../views/audit-trail';
import { Button, ErrorSummary, Textarea } from '../../views/forms';
import { Layout } from '../../views/layout';
import { OfficialReport } from '../../views/report-table';
import { SummaryList, type SummaryRow } from '../../views/summary-list';
import { blankInputs, cellField, explanationField, fieldId, issueField, sectionField } from './form';
import { ReportHeading } from './report-heading';

interface Reviewer {
  name: string;
  email: string;
}

const reviewerNames = (reviewers: Reviewer[]) => reviewers.map((r) => r.name).join('、');

/** Narratives up to this many characters are shown whole; longer ones fold (the preview has them in full). */
const SHORT_TEXT = 120;

/**
 * Check your answers (GOV.UK): what stops submission first (blanks and errors, each linking to its
 * field), then the warnings each with its explanation box, then the report exactly as it will be
 * published (the official layout, part 二 included), then the button. The blank count is the
 * form's: cells a clerk types, never the computed totals.
 */
export function CheckAnswersPage(props: { lang: Lang; state: DraftState; issues: Issue[]; reviewers: Reviewer[]; now: number; refusal?: Refusal }) {
  const { state, lang, issues } = props;
  const t = translator(lang);
  const form = `/app/reports/${state.unitCode}/${state.year}`;
  const errors = issues.filter((i) => i.severity === 'error');
  const blankKeys = blankInputs(state.template, state.cells);
  const blanks = blankKeys.length;
  const otherErrors = errors.filter((i) => i.rule !== 'filled');
  const warnings = issues.filter((i) => i.severity === 'warning');
  const warningRules = [...new Set(warnings.map((w) => w.rule))];
  const unexplained = warningRules.filter((r) => !(state.explanations[r] ?? '').trim());
  const canSubmit = errors.length === 0 && unexplained.length === 0;
  const deadline = state.deadline === null ? null : deadlineText(state.deadline, props.now);
  const link = (key: string) => `${form}#${fieldId(cellField(key))}`;
  const problems = [
    ...(blanks ? [{ href: link(blankKeys[0] ?? ''), text: t(`还有 ${blanks} 个单元格空白（没有的请填 0，可在填写页用「其余空白填0」一次完成）`, `${blanks} cell(s) are blank (enter 0 where there is nothing; 「其余空白填0」 on the form does it at once)`) }] : []),
    ...otherErrors.map((i) => ({ href: link(i.cells[0] ?? ''), text: t(i.message) })),
    ...unexplained.map((rule) => ({ href: `#${fieldId(explanationField(rule))}`, text: t(`提示「${ruleText(state, rule, lang)}」需要填写说明`, `The warning 「${ruleText(state, rule, lang)}」 needs an explanation`) })),
  ];
  return (
    <Layout title={t('提交前请核对 · 年报', 'Check your answers · Nianbao')} lang={lang}>
      <p class="breadcrumb">
        <a href={form}>{t('返回填写', 'Back to the form')}</a>
      </p>
      <h1>{t('提交前请核对', 'Check your answers before submitting')}</h1>
      {problems.length || props.refusal ? (
        // First on the page, linking to each field; focused when a submission was just refused.
        <ErrorSummary
          alert={props.refusal !== undefined}
          focus={props.refusal !== undefined}
          data-check-summary=""
          title={props.refusal ? t(props.refusal) : t(`提交前还有 ${problems.length} 项需要处理`, `${problems.length} thing(s) to deal with before submitting`)}
          errors={problems}
        />
      ) : null}
      <SummaryList
        class="summary-list"
        rows={[
          [t('单位', 'Unit'), state.unitName],
          [t('年度', 'Year'), state.year],
          deadline ? [t('截止', 'Deadline'), t(deadline)] : null,
          ...keyTotals(state.cells).map(({ key, zh, en, value }): SummaryRow => [
            t(zh, en),
            <>
              {value ?? t('（空白）', '(blank)')} <a href={link(key)}>{t('修改', 'Change')}</a>
            </>,
          ]),
          ...state.template.sections.map((s): SummaryRow => [
            s.title,
            <>
              <Narrative text={(state.sections[s.key] ?? '').trim()} lang={lang} />{' '}
              <a href={`${form}#${fieldId(sectionField(s.key))}`}>{t('修改', 'Change')}</a>
            </>,
          ]),
        ]}
      />
      {warnings.length ? (
        <section class="check-warnings" aria-labelledby="check-warnings">
          <h2 id="check-warnings">{t('提示及说明（说明将与报告一同公开）', 'Warnings and explanations (published with the report)')}</h2>
          <p class="hint">{t('提示不妨碍提交，但每项提示都需要简要说明。', 'Warnings do not block submission, but each needs a short explanation.')}</p>
          {/* Each warning with its explanation box beside it; saving comes back here (action=check). */}
          <form method="post" action={form} class="form" novalidate>
            <input type="hidden" name="revision" value={String(state.revision)} />
            {warningRules.map((rule) => {
              const name = explanationField(rule);
              return (
                <div class="check-warning">
                  <ul class="warnings">
                    {warnings
                      .filter((w) => w.rule === rule)
                      .map((w) => (
                        <li>
                          {t(w.message)} <a href={`${form}#${issueField(w)}`}>{t('修改', 'Change')}</a>
                        </li>
                      ))}
                  </ul>
                  <Textarea id={fieldId(name)} name={name} label={t(`说明：${ruleText(state, rule, lang)}`, `Explanation: ${ruleText(state, rule, lang)}`)} rows={3} value={state.explanations[rule] ?? ''} />
                </div>
              );
            })}
            <Button name="action" value="check" variant="secondary">
              {t('保存说明', 'Save the explanations')}
            </Button>
          </form>
        </section>
      ) : null}
      <section class="check-preview" aria-labelledby="check-preview">
        <h2 id="check-preview">{t('报告预览（将按此格式公开）', 'The report as it will be published')}</h2>
        <OfficialReport template={state.template} sections={state.sections} cells={state.cells} />
        {/* The draft as a Word document, from here rather than the form: the form page keeps to its 25 KB. */}
        <p class="no-print">
          <a href={`/app/reports/${state.unitCode}/${state.year}.docx`}>{t('下载 Word 文档（已保存的内容）', 'Download as a Word document (as saved)')}</a>
        </p>
      </section>
      {canSubmit ? (
        <form method="post" action={`${form}/submit`} class="form">
          <p>
            {props.reviewers.length
              ? t(`提交后报告将交由 ${reviewerNames(props.reviewers)} 审核，审核期间不能修改。`, `Once submitted, ${reviewerNames(props.reviewers)} will review it; it cannot be changed meanwhile.`)
              : t('提交后报告将交由上级单位审核，审核期间不能修改。', 'Once submitted, the parent unit reviews it; it cannot be changed meanwhile.')}
          </p>
          <input type="hidden" name="revision" value={String(state.revision)} />
          <Button>{t('确认提交', 'Submit the report')}</Button>
        </form>
      ) : (
        <p>
          <Button href={problems[0]?.href ?? form}>{t('返回更正', 'Go back and correct')}</Button>
        </p>
      )}
    </Layout>
  );
}

const ruleText = (state: DraftState, rule: string, lang: Lang) => {
  const info = state.template.rules.find((r) => r.id === rule);
  return info ? info.description[lang] : rule;
};

/** A narrative: whole when short, folded when long (never 「…」 on a short text). */
function Narrative({ text, lang }: { text: string; lang: Lang }) {
  const t = translator(lang);
  if (!text) return <>{t('（未填写）', '(empty)')}</>;
  if (text.length <= SHORT_TEXT) return <span class="narrative">{text}</span>;
  return (
    <details class="narrative">
      <summary>{t(`${text.slice(0, 40)}……（共 ${text.length} 字，展开）`, `${text.slice(0, 40)}… (${text.length} characters, show all)`)}</summary>
      {text.split(/\n+/).map((p) => (
        <p>{p}</p>
      ))}
    </details>
  );
}

export function SubmittedReportPage(props: { lang: Lang; state: DraftState; reviewers: Reviewer[]; now: number; trail: AuditEntry[]; manages?: boolean }) {
  const { state, lang } = props;
  const t = translator(lang);
  return (
    <Layout title={t(`${state.unitName} ${state.year} · 年报`, `${state.unitName} ${state.year} · Nianbao`)} lang={lang}>
      <ReportHeading lang={lang} state={state} />
      {state.status === 'submitted' ? (
        <div class="notice" role="status">
          {props.reviewers.length
            ? t(`已提交，等待 ${reviewerNames(props.reviewers)} 审核。审核期间不能修改。`, `Submitted; waiting for ${reviewerNames(props.reviewers)} to review it. It cannot be changed meanwhile.`)
            : t('已提交，等待上级单位审核。', 'Submitted; waiting for the parent unit to review it.')}
        </div>
      ) : null}
      {props.manages ? (
        // An administrator who manages the unit: corrections and the version history (areas/admin/correction-pages).
        <p class="form-actions">
          {state.status === 'published' ? <Button variant="secondary" href={`/app/admin/reports/${state.unitCode}/${state.year}/correct`}>{t('更正此报告', 'Correct this report')}</Button> : null}{' '}
          <a href={`/app/admin/reports/${state.unitCode}/${state.year}/versions`}>{t('版本历史', 'Version history')}</a>
        </p>
      ) : null}
      <OfficialReport template={state.template} sections={state.sections} cells={state.cells} />
      <p class="no-print">
        <a href={`/app/reports/${state.unitCode}/${state.year}.docx`}>{t('下载 Word 文档', 'Download as a Word document')}</a>
      </p>
      <AuditTrail entries={props.trail} lang={lang} />
    </Layout>
  );
}
