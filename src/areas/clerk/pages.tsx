// Check-your-answers before submitting, and the read-only report once it has been submitted.
import { deadlineText, type Issue, type Refusal } from '../../core';
import { translator, type Lang } from '../../core/i18n';
import type { AuditEntry } from '../../reports/audit-trail';
import { keyTotals } from '../../core/key-totals';
import type { DraftState } from '../../reports/draft-state';
import { AuditTrail } from '../../views/audit-trail';
import { Button, ErrorSummary } from '../../views/forms';
import { Layout } from '../../views/layout';
import { OfficialReport } from '../../views/report-table';
import { SummaryList, type SummaryRow } from '../../views/summary-list';
import { blankInputs, cellField, fieldId } from './form';
import { ReportHeading } from './report-heading';

interface Reviewer {
  name: string;
  email: string;
}

const reviewerNames = (reviewers: Reviewer[]) => reviewers.map((r) => r.name).join('、');

export function CheckAnswersPage(props: { lang: Lang; state: DraftState; issues: Issue[]; reviewers: Reviewer[]; now: number; refusal?: Refusal }) {
  const { state, lang, issues } = props;
  const t = translator(lang);
  const form = `/app/reports/${state.unitCode}/${state.year}`;
  const errors = issues.filter((i) => i.severity === 'error');
  const blanks = errors.filter((i) => i.rule === 'filled').length;
  const otherErrors = errors.filter((i) => i.rule !== 'filled');
  const warnings = issues.filter((i) => i.severity === 'warning');
  const unexplained = [...new Set(warnings.map((w) => w.rule))].filter((r) => !(state.explanations[r] ?? '').trim());
  const canSubmit = errors.length === 0 && unexplained.length === 0;
  const deadline = state.deadline === null ? null : deadlineText(state.deadline, props.now);
  const link = (key: string) => `${form}#${fieldId(cellField(key))}`;
  return (
    <Layout title={t('提交前请核对 · 年报', 'Check your answers · Nianbao')} lang={lang}>
      <p class="breadcrumb">
        <a href={form}>{t('返回填写', 'Back to the form')}</a>
      </p>
      <h1>{t('提交前请核对', 'Check your answers before submitting')}</h1>
      {props.refusal ? <ErrorSummary title={t(props.refusal)} /> : null}
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
              {(state.sections[s.key] ?? '').trim() ? `${(state.sections[s.key] ?? '').trim().slice(0, 80)}…` : t('（未填写）', '(empty)')}{' '}
              <a href={`${form}#${fieldId(`s.${s.key}`)}`}>{t('修改', 'Change')}</a>
            </>,
          ]),
        ]}
      />
      {/* What stands between the report and submitting it: listed, not announced (nothing was refused). */}
      {blanks ? (
        <ErrorSummary alert={false} title={t(`还有 ${blanks} 个单元格空白`, `${blanks} cell(s) are blank`)}>
          <p>{t('没有的请填 0，可以在填写页用「其余空白填0」一次完成。', 'Enter 0 where there is nothing; “Fill the other blanks with 0” on the form does it at once.')}</p>
          <p>
            <a href={link(blankInputs(state.template, state.cells)[0] ?? '')}>{t('去填写', 'Fill them in')}</a>
          </p>
        </ErrorSummary>
      ) : null}
      {otherErrors.length ? (
        <ErrorSummary
          alert={false}
          title={t(`有 ${otherErrors.length} 处错误需要更正`, `${otherErrors.length} error(s) to correct`)}
          errors={otherErrors.map((i) => ({ href: link(i.cells[0] ?? ''), text: t(i.message) }))}
        />
      ) : null}
      {warnings.length ? (
        <section>
          <h2>{t('提示及说明（将与报告一同公开）', 'Warnings and explanations (published with the report)')}</h2>
          <ul class="warnings">
            {warnings.map((w) => (
              <li>
                {t(w.message)}
                <br />
                {(state.explanations[w.rule] ?? '').trim() ? (
                  <span class="explanation">
                    {t('说明：', 'Explanation: ')}
                    {state.explanations[w.rule]}
                  </span>
                ) : (
                  <a href={`${form}#${fieldId(`x.${w.rule}`)}`}>{t('需要填写说明', 'Needs an explanation')}</a>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
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
          <Button href={form}>{t('返回更正', 'Go back and correct')}</Button>
        </p>
      )}
    </Layout>
  );
}

export function SubmittedReportPage(props: { lang: Lang; state: DraftState; reviewers: Reviewer[]; now: number; trail: AuditEntry[] }) {
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
      <OfficialReport template={state.template} sections={state.sections} cells={state.cells} />
      <AuditTrail entries={props.trail} lang={lang} />
    </Layout>
  );
}
