// POST /api/v1/admin/reports/{unit}/{year}/reopen {reason}: a published report back to draft for
// a correction (api.md "Administration"). The published version stays public until the corrected
// revision is approved; the reason becomes that version's `reason` in the public history.
import { Hono } from 'hono';
import * as v from 'valibot';
import { guard } from '../../core';
import { requireAdmin } from '../../http/auth';
import type { AppEnv } from '../../http/app-env';
import { ApiError, readJson } from '../../http/errors';
import { parseOr422 } from '../../http/validation';
import { lang } from '../../http/lang';
import { deliverSoon } from '../../mail/deliver-now';
import { findUnitReport } from '../../reports/review-subject';
import { reopenReport } from '../../reports/reopen';
import { publicOrigin } from '../../http/origin';

const REASON_MAX = 500;

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

reportAdminRoutes.post('/:unit/:year/reopen', async (c) => {
  const language = lang(c);
  const body = parseOr422(ReopenBody, await readJson(c), language);
  const unitCode = c.req.param('unit');
  const year = c.req.param('year');
  const report = /^\d{4}$/.test(year) ? await findUnitReport(c.get('db'), unitCode, Number(year)) : undefined;
  if (!report) {
    throw new ApiError(404, 'no_report', `单位“${unitCode}”没有 ${year} 年度的报告。`, `Unit ${unitCode} has no report for ${year}.`);
  }
  const verdict = guard('reopen', { status: report.status, comment: body.reason });
  if (!verdict.ok) throw new ApiError(409, verdict.refusal.code, verdict.refusal.zh, verdict.refusal.en, [], { status: report.status });
  const now = Date.now();
  const reopened = await reopenReport(c.get('db'), { ...report, reason: body.reason, origin: publicOrigin(c), now }, c.get('viewer')!);
  if (!reopened) {
    // Someone else changed it between the read and the write (reopened it already, or imported).
    throw new ApiError(409, 'wrong_status', '报告状态已改变，请刷新后重试。', 'The report changed meanwhile; look again and retry.');
  }
  deliverSoon(c, now);
  return c.json({
    unit: report.unitCode,
    year: report.year,
    status: 'draft',
    revision: report.revision,
    published_version: report.publishedVersion,
    reason: body.reason,
  });
});
