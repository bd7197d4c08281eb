// The clerk's form without JavaScript: GET renders it, POST saves and re-renders (or redirects),
// the check-your-answers page, then POST …/submit.
import { Hono, type Context } from 'hono';
import { isEditable, type Cells } from '../../core';
import { canManage } from '../../auth/scope';
import { requireUnit, type UnitEnv } from '../../http/auth';
import { ApiError } from '../../http/errors';
import { readForm } from '../../http/form';
import { pathYear } from '../../http/input';
import { lang } from '../../http/lang';
import { deliverSoon } from '../../mail/deliver-now';
import { auditTrail } from '../../reports/audit-trail';
import { linkSettings } from '../../http/link-settings';
import { reviewersOf } from '../../reports/people';
import type { DraftState } from '../../reports/draft-state';
import { draftIssues, loadDraft, saveDraft, submitDraft } from '../../reports/store';
import { blankInputs, ReportForm, type FormNotice } from './form';
import { readReportForm } from './form-input';
import { draftDocx } from './docx';
import { CheckAnswersPage, SubmittedReportPage } from './pages';
import { translator } from '../../core/i18n';

export const clerkRoutes = new Hono<UnitEnv>();

const path = (s: DraftState) => `/app/reports/${s.unitCode}/${s.year}`;

async function draftOf(c: Context<UnitEnv>): Promise<DraftState> {
  const year = pathYear(c.req.param('year'));
  const state = year !== undefined ? await loadDraft(c.get('db'), c.get('unit').id, year) : undefined;
  if (!state) throw new ApiError(404, 'no_report', '该单位没有这一年度的报告。', 'This unit has no report for that year.');
  return state;
}

// Before the page: its :year would take '2026.docx' and find no such year.
clerkRoutes.get('/:unit/:year{[^/]+\\.docx}', requireUnit('view'), draftDocx);

clerkRoutes.get('/:unit/:year', requireUnit('view'), async (c) => {
  c.header('Cache-Control', 'no-store');
  const state = await draftOf(c);
  const language = lang(c);
  const viewer = c.get('viewer')!;
  if (!isEditable(state.status) || !viewer.clerkUnitIds.includes(state.unitId) && !viewer.isAdmin) {
    const [reviewers, trail] = await Promise.all([reviewersOf(c.get('db'), state.unitId), auditTrail(c.get('db'), state.reportId)]);
    return c.html(SubmittedReportPage({ lang: language, state, reviewers, now: Date.now(), trail, manages: canManage(viewer, state.unitId) }));
  }
  const saved = c.req.query('saved');
  const notice: FormNotice | undefined = saved ? { kind: 'saved', text: translator(language)(`已保存（第 ${saved} 稿）。`, `Saved (revision ${saved}).`) } : undefined;
  // The clerk's own editable form: the service worker may keep a copy for offline use (src/client/sw.ts).
  c.header('Nianbao-Offline', 'keep');
  return c.html(ReportForm({ lang: language, state, issues: draftIssues(state, 'draft'), now: Date.now(), ...(notice ? { notice } : {}) }));
});

clerkRoutes.post('/:unit/:year', requireUnit('edit'), async (c) => {
  c.header('Cache-Control', 'no-store');
  const language = lang(c);
  const state = await draftOf(c);
  if (!isEditable(state.status)) return c.redirect(path(state), 303);
  const body = await readForm(c);
  const base = Number(body.revision);
  const action = String(body.action ?? 'save');
  const now = Date.now();
  const t = translator(language);

  if (action === 'undo-fill') {
    const keys = String(body.undo ?? '').split(',').filter((k) => k in state.cells);
    const cells: Cells = Object.fromEntries(keys.filter((k) => state.cells[k] === 0).map((k) => [k, null]));
    const result = await saveDraft(c.get('db'), state, base, { cells }, c.get('viewer')!, now);
    return c.redirect(`${path(state)}?saved=${result.ok ? result.state.revision : state.revision}`, 303);
  }

  const read = readReportForm(state.template, body, language);
  if (Object.keys(read.errors).length) {
    const notice: FormNotice = { kind: 'error', text: t('有内容无法识别，尚未保存。请更正标出的单元格。', 'Some input could not be read; nothing was saved. Correct the marked cells.') };
    return c.html(ReportForm({ lang: language, state, issues: draftIssues(state, 'draft'), now, typed: read.typed, fieldErrors: read.errors, notice }), 422);
  }

  let filled: string[] = [];
  if (action === 'fill-zero') {
    const merged = { ...state.cells, ...read.patch.cells };
    filled = blankInputs(state.template, merged);
    for (const key of filled) read.patch.cells![key] = 0;
  }

  const result = await saveDraft(c.get('db'), state, Number.isInteger(base) ? base : -1, read.patch, c.get('viewer')!, now);
  if (!result.ok) {
    if (result.reason === 'not_editable') return c.redirect(path(state), 303);
    // Someone saved in between: keep everything this clerk typed, on top of the newer revision.
    const current = result.current;
    const changed = Object.keys(read.patch.cells ?? {}).filter((k) => current.cells[k] !== state.cells[k]);
    const notice: FormNotice = {
      kind: 'conflict',
      text: t(
        `同事已保存了更新的一稿（第 ${current.revision} 稿）${changed.length ? `，其中 ${changed.length} 个单元格与您看到的不同` : ''}。您的输入都还在下面，再次保存即以您的为准。`,
        `A colleague saved a newer revision (${current.revision})${changed.length ? `; ${changed.length} cell(s) differ from what you saw` : ''}. Everything you typed is still below; save again to keep yours.`,
      ),
    };
    return c.html(ReportForm({ lang: language, state: current, issues: draftIssues(current, 'draft'), now, typed: read.typed, notice }), 409);
  }

  if (action === 'check') return c.redirect(`${path(result.state)}/check`, 303);
  if (action === 'fill-zero') {
    const notice: FormNotice = {
      kind: 'filled',
      text: t(`已将 ${filled.length} 个空白填为 0 并保存。`, `Filled ${filled.length} blank(s) with 0 and saved.`),
      undoKeys: filled,
    };
    return c.html(ReportForm({ lang: language, state: result.state, issues: draftIssues(result.state, 'draft'), now, notice }));
  }
  return c.redirect(`${path(result.state)}?saved=${result.state.revision}`, 303);
});

clerkRoutes.get('/:unit/:year/check', requireUnit('edit'), async (c) => {
  c.header('Cache-Control', 'no-store');
  const state = await draftOf(c);
  if (!isEditable(state.status)) return c.redirect(path(state), 303);
  const reviewers = await reviewersOf(c.get('db'), state.unitId);
  return c.html(CheckAnswersPage({ lang: lang(c), state, issues: draftIssues(state, 'submit'), reviewers, now: Date.now() }));
});

clerkRoutes.post('/:unit/:year/submit', requireUnit('edit'), async (c) => {
  c.header('Cache-Control', 'no-store');
  const state = await draftOf(c);
  const body = await readForm(c);
  const now = Date.now();
  const result = await submitDraft(c.get('db'), state, Number(body.revision), c.get('viewer')!, now, linkSettings(c));
  if (result.ok) deliverSoon(c, now);
  if (result.ok || result.reason === 'not_editable') return c.redirect(path(state), 303);
  const current = result.reason === 'stale' ? result.current : state;
  const reviewers = await reviewersOf(c.get('db'), state.unitId);
  const refusal =
    result.reason === 'blocked'
      ? result.refusal
      : { code: 'stale', zh: '报告在您核对时被修改过，请重新核对。', en: 'The report changed while you were checking it; check it again.' };
  return c.html(
    CheckAnswersPage({ lang: lang(c), state: current, issues: draftIssues(current, 'submit'), reviewers, now: Date.now(), refusal }),
    result.reason === 'blocked' ? 422 : 409,
  );
});
