// The review pages: the report to decide on (from an emailed link, or signed in), what a
// decision did, what a dead link means, and the list of reports waiting for a supervisor.
import { beijingMinute } from '../../core/time';
import { translator, type Lang, type Localized } from '../../core/i18n';
import type { AuditEntry } from '../../reports/audit-trail';
import type { WaitingReport } from '../../reports/review-queue';
import type { ReviewSummary } from '../../reports/review-subject';
import { timeliness } from '../../core/timeliness';
import { AuditTrail } from '../../views/audit-trail';
import { Button, ErrorSummary } from '../../views/forms';
import { Layout } from '../../views/layout';
import { ChangesSinceLast, DecisionForms, FullReport, reportHeading, ReviewFacts, RuleSummary, type DecisionFormsProps, type PinnedRevision, CONFIRM_PUBLISH } from './views';

export interface ReviewPageProps extends DecisionFormsProps {
  subject: ReviewSummary;
  trail: AuditEntry[];
  /** The supervisor the emailed link was sent to; absent when signed in. */
  addressee?: string;
  /** Signed in: a way back to the list. */
  backToList?: boolean;
  /** Why the page is shown again, e.g. the report was resubmitted meanwhile. */
  notice?: string;
}

export function ReviewPage(props: ReviewPageProps) {
  const { subject: s, lang } = props;
  const t = translator(lang);
  return (
    <Layout title={t(`审核：${s.unitName} ${s.year} · 年报`, `Review: ${s.unitName} ${s.year} · Nianbao`)} lang={lang}>
      {props.backToList ? (
        <p class="breadcrumb">
          <a href="/app/review">{t('待审核的报告', 'Waiting for review')}</a>
        </p>
      ) : null}
      <h1>{reportHeading(s, lang)}</h1>
      <p class="lead">
        {props.addressee ? t(`${props.addressee}，请审核这份报告。`, `${props.addressee}, please review this report.`) : null}
        {t('打开本页不会改变任何内容；只有按下“审核通过并发布”或“退回修改”才会作出决定。', 'Opening this page changes nothing; only pressing a button below decides.')}{' '}
        <a href="#report">{t('查看报告全文', 'Read the whole report')}</a>
      </p>
      {props.commentError ? (
        // At the top, focused, linking to the comment box: a refused 退回修改 must not look like nothing happened.
        <ErrorSummary title={t('请更正以下问题', 'There is a problem')} errors={[{ href: '#comment', text: props.commentError }]} focus />
      ) : null}
      {props.notice ? (
        <div class="notice notice-conflict" role="alert">
          {props.notice}
        </div>
      ) : null}
      <ReviewFacts s={s} lang={lang} />
      <RuleSummary s={s} lang={lang} />
      <ChangesSinceLast s={s} lang={lang} />
      <DecisionForms {...props} />
      <FullReport s={s} lang={lang} />
      <p>
        <a href="#decision">{t('返回审核决定', 'Back to the decision')}</a>
      </p>
      <AuditTrail entries={props.trail} lang={lang} />
    </Layout>
  );
}

/**
 * 确认发布: what 审核通过并发布 leads to. Says what will be published, where, and that it is public
 * at once; only this page's button (a POST with confirm=publish) decides. The emailed link is not
 * spent by getting here, so 返回 goes back to the same review page.
 */
export function ConfirmPublishPage(props: {
  lang: Lang;
  subject: ReviewSummary & { publishedVersion: number };
  action: string;
  /** Where 返回 leads: the review page. */
  back: string;
  pinned?: PinnedRevision;
  publicUrl: string;
}) {
  const { subject: s, lang } = props;
  const t = translator(lang);
  const heading = reportHeading(s, lang);
  const version = s.publishedVersion + 1;
  const errors = s.issues.filter((i) => i.severity === 'error').length;
  const warnings = s.issues.filter((i) => i.severity === 'warning').length;
  return (
    <Layout title={t(`确认发布：${s.unitName} ${s.year} · 年报`, `Confirm publishing: ${s.unitName} ${s.year} · Nianbao`)} lang={lang}>
      <p class="breadcrumb">
        <a href={props.back}>{t('返回审核页面', 'Back to the review')}</a>
      </p>
      <h1>{t('确认发布', 'Confirm publishing')}</h1>
      <div class="confirm-publish">
        <p class="lead">
          {version > 1
            ? t(`${heading}的更正（第 ${version} 版）将按审核页面显示的内容公开发布，替换现在公开的版本。`, `${heading}, corrected (version ${version}), will be published exactly as the review page showed it, replacing the version now public.`)
            : t(`${heading}将按审核页面显示的内容公开发布。`, `${heading} will be published exactly as the review page showed it.`)}
        </p>
        <ul class="confirm-facts">
          <li>{t(`发布后立即公开：${props.publicUrl}，并进入公开数据和订阅。`, `It becomes public at once at ${props.publicUrl}, in the open data and the feed.`)}</li>
          <li>{t('发布后不能撤回；更正需要管理员重新打开报告。', 'It cannot be withdrawn; a correction needs an administrator to reopen the report.')}</li>
          {errors ? <li class="error">{t(`规则检查仍有 ${errors} 处错误。`, `The rule check still shows ${errors} error(s).`)}</li> : null}
          {warnings ? <li>{t(`${warnings} 项提示及填报人的说明将一同公开。`, `${warnings} warning(s) are published with the clerk's explanations.`)}</li> : null}
        </ul>
      </div>
      <ReviewFacts s={s} lang={lang} />
      <form method="post" action={props.action} class="form decision-confirm">
        {props.pinned ? (
          <>
            <input type="hidden" name="revision" value={String(props.pinned.revision)} />
            <input type="hidden" name="hash" value={props.pinned.hash} />
          </>
        ) : null}
        <input type="hidden" name="decision" value="approve" />
        <input type="hidden" name="confirm" value={CONFIRM_PUBLISH} />
        <Button>{t('确认发布', 'Publish now')}</Button>
      </form>
      <p>
        <a href={props.back}>{t('不发布，返回审核页面', 'Do not publish: back to the review')}</a>
      </p>
    </Layout>
  );
}

export function DecidedPage(props: {
  lang: Lang;
  unitName: string;
  year: number;
  decision: 'approve' | 'return';
  version: number | null;
  publicUrl: string;
  trail: AuditEntry[];
  signedIn: boolean;
}) {
  const { lang } = props;
  const t = translator(lang);
  const approved = props.decision === 'approve';
  return (
    <Layout title={t('审核完成 · 年报', 'Decision recorded · Nianbao')} lang={lang}>
      <div class="confirmation" role="status">
        <h1>{approved ? t('已审核通过并发布', 'Approved and published') : t('已退回修改', 'Returned for changes')}</h1>
        <p>
          {approved
            ? t(
                `${reportHeading(props, lang)}已公开发布${props.version && props.version > 1 ? `（第 ${props.version} 版，更正）` : ''}。`,
                `${reportHeading(props, lang)} is published${props.version && props.version > 1 ? ` (version ${props.version}, a correction)` : ''}.`,
              )
            : t(`${reportHeading(props, lang)}已退回，填报人会收到您的意见。`, `${reportHeading(props, lang)} went back to its clerks with your comment.`)}
        </p>
      </div>
      {approved ? (
        <p>
          <Button href={props.publicUrl}>{t('查看公开的报告', 'See the published report')}</Button>
        </p>
      ) : null}
      <p>
        <a href="/app/review">{props.signedIn ? t('返回待审核的报告', 'Back to the reports waiting for review') : t('登录查看其他待审核的报告', 'Sign in to see other reports waiting for you')}</a>
      </p>
      <AuditTrail entries={props.trail} lang={lang} />
    </Layout>
  );
}

/** Why a link (or a report) can no longer be decided on, in plain words, and the way on. */
export function ReviewClosedPage(props: {
  lang: Lang;
  heading: Localized;
  lines: Localized[];
  trail?: AuditEntry[];
  publicUrl?: string;
  /** A refused decision: say that nothing changed. */
  refused?: boolean;
  /** Signed in already: offer the list rather than sign-in. */
  signedIn?: boolean;
}) {
  const { lang } = props;
  const t = translator(lang);
  return (
    <Layout title={t('无法审核 · 年报', 'Cannot review · Nianbao')} lang={lang}>
      <h1>{t(props.heading)}</h1>
      {props.lines.map((line) => (
        <p>{t(line)}</p>
      ))}
      {props.refused ? <p>{t('您的操作没有改变任何内容。', 'Nothing was changed.')}</p> : null}
      {props.publicUrl ? (
        <p>
          <a href={props.publicUrl}>{t('查看公开的报告', 'See the published report')}</a>
        </p>
      ) : null}
      <p>
        <Button href={props.signedIn ? '/app/review' : '/signin?next=%2Fapp%2Freview'}>
          {props.signedIn ? t('返回待审核的报告', 'Back to the reports waiting for review') : t('登录查看待审核的报告', 'Sign in to see the reports waiting for you')}
        </Button>
      </p>
      {props.trail ? <AuditTrail entries={props.trail} lang={lang} /> : null}
    </Layout>
  );
}

export function ReviewQueuePage(props: { lang: Lang; reports: WaitingReport[]; now: number }) {
  const { lang } = props;
  const t = translator(lang);
  return (
    <Layout title={t('待审核的报告 · 年报', 'Waiting for review · Nianbao')} lang={lang}>
      <p class="breadcrumb">
        <a href="/app">{t('工作台', 'My work')}</a>
      </p>
      <h1>{t('待审核的报告', 'Reports waiting for review')}</h1>
      {props.reports.length === 0 ? (
        <p>{t('目前没有等待您审核的报告。', 'Nothing is waiting for you.')}</p>
      ) : (
        <>
          <p>{t(`共 ${props.reports.length} 份，最早提交的在前。`, `${props.reports.length}, oldest first.`)}</p>
          <ul class="report-list">
            {props.reports.map((r) => {
              const days = Math.floor((props.now - r.submittedAt) / 86_400_000);
              const onTime = timeliness(r.deadline, r.submittedAt);
              return (
                <li class="report-item">
                  <a class="card" href={`/app/review/${r.unitCode}/${r.year}`}>
                    <strong>
                      {r.unitName} {r.year} {t('年度', '')}
                    </strong>
                    <span class="tag tag-submitted">{t(`已等待 ${days} 天`, `waiting ${days} day${days === 1 ? '' : 's'}`)}</span>
                    <span>
                      {t('提交：', 'Submitted ')}
                      {beijingMinute(r.submittedAt)}
                      {r.submittedBy ? t(`（${r.submittedBy}）`, ` by ${r.submittedBy}`) : ''}
                    </span>
                    {onTime ? <span class="deadline">{t(onTime)}</span> : null}
                    <span class="action">{t('审核', 'Review')}</span>
                  </a>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </Layout>
  );
}
