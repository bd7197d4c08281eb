// Corrections in the browser (workflow.md "Report states"): from a published report's page an
// administrator who manages the unit opens /app/admin/reports/{unit}/{year}/correct, says why
// (required), is told what reopening does — the published version stays public until the
// correction is approved — and lands on the draft. The same reopenReport() as
// POST /api/v1/admin/reports/{unit}/{year}/reopen. …/versions lists every published version:
// when, why, who approved it, with a link to each public version page.
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { guard } from '../../core';
import { beijingMinute } from '../../core/time';
import { translator, type Lang } from '../../core/i18n';
import { canManage } from '../../auth/scope';
import type { AppEnv } from '../../http/app-env';
import { ApiError, outOfScope } from '../../http/errors';
import { readForm } from '../../http/form';
import { reportYearText, unitCode } from '../../http/input';
import { lang } from '../../http/lang';
import { mailOrigin } from '../../http/origin';
import { deliverSoon } from '../../mail/deliver-now';
import { reopenReport } from '../../reports/reopen';
import { findUnitReport } from '../../reports/review-subject';
import { versionHistory } from '../../reports/version-history';
import { AdminPage } from '../../views/admin-page';
import { Button, ErrorSummary, Textarea } from '../../views/forms';

export const correctionPages = new Hono<AppEnv>();

const REASON_MAX = 500;

type UnitReport = NonNullable<Awaited<ReturnType<typeof findUnitReport>>>;

/** The report the path names, if this administrator manages its unit: 404 / 403 otherwise. */
async function managedReport(c: Context<AppEnv>): Promise<UnitReport> {
  const code = v.safeParse(unitCode, c.req.param('unit'));
  const year = v.safeParse(reportYearText, c.req.param('year'));
  const report = code.success && year.success ? await findUnitReport(c.get('db'), code.output, year.output) : undefined;
  if (!report) throw new ApiError(404, 'no_report', `单位“${c.req.param('unit')}”没有 ${c.req.param('year')} 年度的报告。`, `Unit ${c.req.param('unit')} has no report for ${c.req.param('year')}.`);
  if (!canManage(c.get('viewer'), report.unitId)) {
    throw outOfScope(lang(c), 'unit', `单位“${report.unitCode}”不在您管理的范围内`, `unit "${report.unitCode}" is outside the units you manage`);
  }
  return report;
}

const reportPath = (r: UnitReport) => `/app/reports/${r.unitCode}/${r.year}`;

function CorrectPage({ lang: l, report, reason, error }: { lang: Lang; report: UnitReport; reason: string; error?: string }) {
  const t = translator(l);
  const name = `${report.unitName} ${report.year}`;
  return (
    <AdminPage lang={l} title={t(`更正 ${name} 年度报告`, `Correct the ${name} report`)}>
      <p class="breadcrumb">
        <a href={reportPath(report)}>{t('返回报告', 'Back to the report')}</a>
      </p>
      {error ? <ErrorSummary title={t('请更正以下问题', 'There is a problem')} errors={[{ href: '#reason', text: error }]} /> : null}
      {report.status !== 'published' ? (
        <p class="notice" role="status">
          {t('只有已发布的报告可以更正。这份报告目前不是已发布状态。', 'Only a published report can be corrected; this one is not published now.')}{' '}
          <a href={reportPath(report)}>{t('查看报告', 'See the report')}</a>
        </p>
      ) : (
        <>
          <section class="confirmation">
            <h2>{t('重新打开后会发生什么', 'What reopening does')}</h2>
            <ul>
              <li>{t(`报告回到草稿状态，${report.unitName}的填报人会收到邮件，可以修改后重新提交审核。`, `The report becomes a draft again; the clerks of ${report.unitName} are mailed and can change it and submit it for review.`)}</li>
              <li>{t(`已发布的第 ${report.publishedVersion} 版在更正获批之前仍然公开，不会撤下。`, `Published version ${report.publishedVersion} stays public until the correction is approved.`)}</li>
              <li>{t('更正获批后发布新的版本，更正原因随新版本公开，旧版本仍可在版本历史中查看。', 'Once approved, a new version is published with this reason; the old versions stay in the version history.')}</li>
            </ul>
          </section>
          <form method="post" action={`/app/admin/reports/${report.unitCode}/${report.year}/correct`} class="form">
            <Textarea
              id="reason"
              name="reason"
              label={t('更正原因', 'Reason for the correction')}
              hint={t(`将随更正后的版本公开，最多 ${REASON_MAX} 个字符。`, `Published with the corrected version; at most ${REASON_MAX} characters.`)}
              rows={4}
              value={reason}
              error={error}
            />
            <Button>{t('重新打开以更正', 'Reopen for a correction')}</Button>
          </form>
        </>
      )}
      <p>
        <a href={`/app/admin/reports/${report.unitCode}/${report.year}/versions`}>{t('版本历史', 'Version history')}</a>
      </p>
    </AdminPage>
  );
}

correctionPages.get('/:unit/:year/correct', async (c) => {
  const report = await managedReport(c);
  return c.html(<CorrectPage lang={lang(c)} report={report} reason="" />, report.status === 'published' ? 200 : 409);
});

correctionPages.post('/:unit/:year/correct', async (c) => {
  const l = lang(c);
  const t = translator(l);
  const report = await managedReport(c);
  const reason = String((await readForm(c)).reason ?? '').trim();
  const error = !reason ? t('请填写更正原因', 'Enter the reason for the correction') : reason.length > REASON_MAX ? t(`更正原因不能超过 ${REASON_MAX} 个字符`, `The reason must be at most ${REASON_MAX} characters`) : undefined;
  if (error) return c.html(<CorrectPage lang={l} report={report} reason={reason} error={error} />, 422);
  // The same checks and write as the API's reopen (src/areas/admin/reopen.ts).
  const verdict = guard('reopen', { status: report.status, comment: reason });
  if (!verdict.ok) return c.html(<CorrectPage lang={l} report={report} reason={reason} />, 409);
  const now = Date.now();
  const reopened = await reopenReport(c.get('db'), { ...report, reason, origin: mailOrigin(c), now }, c.get('viewer')!);
  if (!reopened) return c.html(<CorrectPage lang={l} report={{ ...report, status: 'draft' }} reason={reason} />, 409);
  deliverSoon(c, now);
  return c.redirect(reportPath(report), 303);
});

correctionPages.get('/:unit/:year/versions', async (c) => {
  const l = lang(c);
  const t = translator(l);
  const report = await managedReport(c);
  const versions = await versionHistory(c.get('db'), report.reportId);
  const name = `${report.unitName} ${report.year}`;
  return c.html(
    <AdminPage lang={l} title={t(`${name} 年度报告的版本历史`, `Versions of the ${name} report`)}>
      <p class="breadcrumb">
        <a href={reportPath(report)}>{t('返回报告', 'Back to the report')}</a>
      </p>
      {report.status !== 'published' && report.publishedVersion > 0 ? (
        <p class="notice" role="status">
          {t(`正在更正：第 ${report.publishedVersion} 版仍然公开，直到更正获批。`, `Being corrected: version ${report.publishedVersion} stays public until the correction is approved.`)}
        </p>
      ) : null}
      {versions.length === 0 ? (
        <p>{t('这份报告尚未发布。', 'This report has not been published.')}</p>
      ) : (
        <ol class="progress-list" reversed>
          {[...versions].reverse().map((ver) => (
            <li class="progress-item" data-version={ver.version}>
              <a href={`/reports/${report.unitCode}/${report.year}?version=${ver.version}`}>
                <strong>{t(`第 ${ver.version} 版`, `Version ${ver.version}`)}</strong>
              </a>{' '}
              {ver.current ? <span class="tag tag-published">{t('当前公开', 'Public now')}</span> : null}
              <span class="detail">
                {t('发布于 ', 'Published ')}
                {beijingMinute(ver.publishedAt)}
                {' · '}
                {ver.imported ? t('导入', 'Imported') : ver.approvedBy ? t(`审核人：${ver.approvedBy}`, `Approved by ${ver.approvedBy}`) : t('审核人：—', 'Approved by —')}
              </span>
              <span class="detail">
                {ver.reason ? t(`更正原因：${ver.reason}`, `Reason for the correction: ${ver.reason}`) : ver.version === 1 ? t('首次发布', 'First publication') : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
      {report.status === 'published' ? (
        <p>
          <Button variant="secondary" href={`/app/admin/reports/${report.unitCode}/${report.year}/correct`}>
            {t('更正此报告', 'Correct this report')}
          </Button>
        </p>
      ) : null}
    </AdminPage>,
  );
});
