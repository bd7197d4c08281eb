// POST /api/v1/admin/reports/{unit}/{year}/reopen {reason}: a published report back to draft for
// a correction (api.md "Administration"). The published version stays public until the corrected
// revision is approved; the reason becomes that version's `reason` in the public history.
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { guard } from '../../core';
import { requireAdmin } from '../../http/auth';
import type { AppEnv } from '../../http/app-env';
import { ApiError, outOfScope } from '../../http/errors';
import { lang } from '../../http/lang';
import { canManage } from '../../auth/scope';
import { reportYearText, unitCode } from '../../http/input';
import { defineRoute } from '../../http/route';
import { deliverSoon } from '../../mail/deliver-now';
import { findUnitReport } from '../../reports/review-subject';
import { reopenReport } from '../../reports/reopen';
import { mailOrigin } from '../../http/origin';

const REASON_MAX = 500;

/** A malformed code or year names no report: the same 404 as an unknown one. */
const ReportPath = v.object({ unit: unitCode, year: reportYearText });

const ReopenBody = v.object({
  reason: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, '不能为空：请说明更正原因|must not be empty: give the reason for the correction'),
    v.maxLength(REASON_MAX, `不能超过 ${REASON_MAX} 个字符|must be at most ${REASON_MAX} characters`),
  ),
});

/** Mounted at /api/v1/admin/reports. */
export const reportAdminRoutes = new Hono<AppEnv>();

reportAdminRoutes.use(requireAdmin);
reportAdminRoutes.use(async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
});

const ReopenAnswer = v.object({
  unit: v.string(),
  year: v.number(),
  status: v.literal('draft'),
  revision: v.number(),
  published_version: v.pipe(v.number(), v.description('仍然公开的版本，直到更正获批 · the version that stays public until the correction is approved')),
  reason: v.string(),
});

function noReport(c: Context) {
  const [unit, year] = [c.req.param('unit'), c.req.param('year')];
  return new ApiError(404, 'no_report', `单位“${unit}”没有 ${year} 年度的报告。`, `Unit ${unit} has no report for ${year}.`);
}

defineRoute(reportAdminRoutes, {
  method: 'post',
  path: '/{unit}/{year}/reopen',
  summary: '重新打开已发布的报告以便更正 · reopen a published report for a correction',
  access: 'admin',
  params: ReportPath,
  badPath: noReport,
  body: ReopenBody,
  answer: { status: 200, schema: ReopenAnswer },
  errors: { 404: '没有该报告 · no such report', 409: '报告不是已发布状态，或刚被改变 · not published, or changed meanwhile' },
  handle: async (c, { params, body }) => {
    const report = await findUnitReport(c.get('db'), params.unit, params.year);
    if (!report) throw noReport(c);
    if (!canManage(c.get('viewer'), report.unitId)) {
      throw outOfScope(lang(c), 'unit', `单位“${report.unitCode}”不在您管理的范围内`, `unit "${report.unitCode}" is outside the units you manage`);
    }
    const verdict = guard('reopen', { status: report.status, comment: body.reason });
    if (!verdict.ok) throw new ApiError(409, verdict.refusal.code, verdict.refusal.zh, verdict.refusal.en, [], { status: report.status });
    const now = Date.now();
    const reopened = await reopenReport(c.get('db'), { ...report, reason: body.reason, origin: mailOrigin(c), now }, c.get('viewer')!);
    if (!reopened) {
      // Someone else changed it between the read and the write (reopened it already, or imported).
      throw new ApiError(409, 'wrong_status', '报告状态已改变，请刷新后重试。', 'The report changed meanwhile; look again and retry.');
    }
    deliverSoon(c, now);
    const answer: v.InferOutput<typeof ReopenAnswer> = {
      unit: report.unitCode,
      year: report.year,
      status: 'draft',
      revision: report.revision,
      published_version: report.publishedVersion,
      reason: body.reason,
    };
    return c.json(answer);
  },
});
