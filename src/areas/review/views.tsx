// The parts of every review page: the summary a supervisor decides on (facts, key totals, rule
// summary, what changed), the two decision forms, and the whole report in the official layout.
// The emailed link's page and the signed-in page differ only in where the forms post.
import { beijingMinute } from '../../core/time';
import { isUnchanged } from '../../core/diff';
import { translator, type Lang } from '../../core/i18n';
import { keyTotals } from '../../core/key-totals';
import { describePrevious, type ReviewSummary } from '../../reports/review-subject';
import { timeliness } from '../../core/timeliness';
import { Button, Textarea } from '../../views/forms';
import { OfficialReport } from '../../views/report-table';
import { SummaryList, type SummaryRow } from '../../views/summary-list';
import { reportTitle } from '../../core/titles';
import { isTextIssue } from '../../core/narrative-issues';

const value = (v: number | null, lang: Lang) => (v === null ? translator(lang)('（空白）', '(blank)') : String(v));

export function reportHeading(s: { unitName: string; year: number }, lang: Lang): string {
  return translator(lang)(reportTitle(s.unitName, s.year));
}

const previousLabel = (s: ReviewSummary, lang: Lang) => translator(lang)(describePrevious(s.previous!));

export function ReviewFacts({ s, lang }: { s: ReviewSummary; lang: Lang }) {
  const t = translator(lang);
  const onTime = timeliness(s.deadline, s.submittedAt);
  return (
    <SummaryList
      class="summary-list"
      rows={[
        [
          t('单位', 'Unit'),
          <>
            {s.unitName} <span class="code">{s.unitCode}</span>
          </>,
        ],
        [t('年度', 'Year'), s.year],
        s.submittedAt !== null
          ? [
              t('提交', 'Submitted'),
              <>
                {beijingMinute(s.submittedAt)}
                {s.submittedBy ? t(`（${s.submittedBy}）`, ` by ${s.submittedBy}`) : ''}
              </>,
            ]
          : null,
        onTime ? [t('时限', 'Deadline'), t(onTime), s.submittedAt! <= s.deadline! ? 'on-time' : 'late'] : null,
        ...keyTotals(s.content.cells).map((k): SummaryRow => [t(k.zh, k.en), value(k.value, lang)]),
      ]}
    />
  );
}

export function RuleSummary({ s, lang }: { s: ReviewSummary; lang: Lang }) {
  const t = translator(lang);
  const errors = s.issues.filter((i) => i.severity === 'error');
  const warnings = s.issues.filter((i) => i.severity === 'warning');
  return (
    <section class="review-rules">
      <h2>{t('规则检查', 'Rule check')}</h2>
      {errors.length ? (
        <div class="error-summary">
          <h3>{t(`有 ${errors.length} 处错误`, `${errors.length} error(s)`)}</h3>
          <ul>
            {errors.map((i) => (
              <li>{t(i.message)}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p>{t('没有错误。', 'No errors.')}</p>
      )}
      {warnings.length ? (
        <>
          <p>{t(`${warnings.length} 项提示，填报人的说明（将与报告一同公开）：`, `${warnings.length} warning(s), with the clerk's explanations (published with the report):`)}</p>
          {/* The checks on the text (正文核对) apart from the table's, as the mail lists them. */}
          {[warnings.filter((w) => !isTextIssue(w)), warnings.filter(isTextIssue)].map((list, i) =>
            list.length ? (
              <>
                {i === 1 ? <h3>{t(`正文核对（正文与表格、内容完整性）${list.length} 项`, `Checks on the text (figures against the tables, completeness): ${list.length}`)}</h3> : null}
                <ul class="warnings" data-text-checks={i === 1 ? '' : undefined}>
                  {list.map((w) => (
                    <li>
                      {t(w.message)}
                      <br />
                      <span class="explanation">
                        {t('说明：', 'Explanation: ')}
                        {(s.content.explanations[w.rule] ?? '').trim() || t('（未说明）', '(none)')}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null,
          )}
        </>
      ) : (
        <p>{t('没有提示。', 'No warnings.')}</p>
      )}
    </section>
  );
}

export function ChangesSinceLast({ s, lang }: { s: ReviewSummary; lang: Lang }) {
  const t = translator(lang);
  const diff = s.diff;
  if (!diff || !s.previous) {
    return (
      <section class="review-diff">
        <h2>{t('与上一版本相比', 'Changes since the last version')}</h2>
        <p>{t('首次提交，没有可比较的上一版本。', 'First submission: there is no earlier version to compare with.')}</p>
      </section>
    );
  }
  const none = isUnchanged(diff);
  return (
    <section class="review-diff">
      <h2>{t('与上一版本相比', 'Changes since the last version')}</h2>
      <p>
        {none
          ? t(`与${previousLabel(s, lang)}相比没有变化。`, `Nothing changed since ${previousLabel(s, lang)}.`)
          : t(`与${previousLabel(s, lang)}相比：`, `Compared with ${previousLabel(s, lang)}:`)}
      </p>
      {diff.cells.length ? (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t('与上一版本相比', 'Changes since the last version')}>
          <table class="diff">
            <thead>
              <tr>
                <th scope="col">{t('项目', 'Cell')}</th>
                <th scope="col">{t('原值', 'Was')}</th>
                <th scope="col">{t('现值', 'Now')}</th>
              </tr>
            </thead>
            <tbody>
              {diff.cells.map((c) => (
                <tr>
                  <th scope="row">{c.name}</th>
                  <td class="was">{value(c.before, lang)}</td>
                  <td class="now">{value(c.after, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {diff.sections.length ? (
        <p>
          {t('文字已修改：', 'Text rewritten: ')}
          {diff.sections.map((x) => x.title).join(t('、', ', '))}
        </p>
      ) : null}
      {diff.explanations.length ? (
        <ul class="warnings">
          {diff.explanations.map((x) => (
            <li>
              {t('提示说明已', 'Explanation ')}
              {x.before ? (x.after ? t('修改', 'changed') : t('删除', 'removed')) : t('填写', 'added')}：{t(x.description)}
              {x.after ? (
                <>
                  <br />
                  <span class="explanation">{x.after}</span>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** Hidden fields that pin the decision to what the page showed (signed-in pages). */
export interface PinnedRevision {
  revision: number;
  hash: string;
}

export interface DecisionFormsProps {
  lang: Lang;
  action: string;
  pinned?: PinnedRevision;
  /** The return form as typed, with its error, after a refused post. */
  comment?: string;
  commentError?: string;
}

export const COMMENT_MAX = 2_000;

/**
 * The confirmation page's button posts this as `confirm`: publishing is public at once and only an
 * administrator can undo it, so 审核通过并发布 alone only asks (GOV.UK: confirm before what
 * cannot be undone). Returning needs no confirmation (the clerk can resubmit).
 */
export const CONFIRM_PUBLISH = 'publish';

/**
 * Two forms, two buttons: approving leads to the confirmation page (ConfirmPublishPage), returning
 * needs a comment. No script submits anything: a decision is a person pressing a button.
 */
export function DecisionForms(props: DecisionFormsProps) {
  const t = translator(props.lang);
  const pinned = props.pinned ? (
    <>
      <input type="hidden" name="revision" value={String(props.pinned.revision)} />
      <input type="hidden" name="hash" value={props.pinned.hash} />
    </>
  ) : null;
  return (
    <section class="decision" id="decision">
      <h2>{t('审核决定', 'Your decision')}</h2>
      <form method="post" action={props.action} class="form decision-approve">
        {pinned}
        <input type="hidden" name="decision" value="approve" />
        <p class="hint">{t('下一步确认后，报告将按本页显示的内容公开发布。', 'The next step asks you to confirm; then the report is published exactly as shown on this page.')}</p>
        <Button>{t('审核通过并发布', 'Approve and publish')}</Button>
      </form>
      <form method="post" action={props.action} class="form decision-return" novalidate>
        {pinned}
        <input type="hidden" name="decision" value="return" />
        <Textarea
          id="comment"
          name="comment"
          label={t('退回意见（退回时必填）', 'What needs changing (required to return)')}
          error={props.commentError}
          rows={4}
          maxlength={COMMENT_MAX}
          value={props.comment ?? ''}
        />
        <Button variant="secondary">{t('退回修改', 'Return for changes')}</Button>
      </form>
    </section>
  );
}

/** The whole report in the official layout, after the decision (a phone scrolls down to it). */
export function FullReport({ s, lang }: { s: ReviewSummary; lang: Lang }) {
  const t = translator(lang);
  return (
    <section id="report" class="review-report">
      <h2>{t('报告全文', 'The whole report')}</h2>
      <OfficialReport template={s.template} sections={s.content.sections} cells={s.content.cells} />
    </section>
  );
}
