// The drafts API (api.md "Clerk"): what the form's script reads and autosaves.
//   GET  /api/v1/drafts/{unit}/{year}         the draft, its issues and the deadline
//   PUT  /api/v1/drafts/{unit}/{year}         a partial save based on a revision (409 when stale)
//   POST /api/v1/drafts/{unit}/{year}/submit  submit the current revision for review
// A unit's clerks edit; whoever may view the unit (its supervisors, administrators) may read.
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { cellCatalog, guard, type Issue, type Template } from '../../core';
import { requireUnit, type UnitEnv } from '../../http/auth';
import { beijingRfc3339 } from '../../core/time';
import type { AppEnv } from '../../http/app-env';
import { ApiError, readJson, type ErrorDetail } from '../../http/errors';
import { FINITE_MESSAGE, NOT_ARRAY_MESSAGE, notArray, parseOr422 } from '../../http/validation';
import { lang } from '../../http/lang';
import { type Lang } from '../../core/i18n';
import { deliverSoon } from '../../mail/deliver-now';
import { totalsOf } from '../../reports/revision-content';
import type { DraftState } from '../../reports/draft-state';
import { draftIssues, loadDraft, saveDraft, submitDraft } from '../../reports/store';
import { linkSettings } from '../../http/link-settings';

export const draftsRoutes = new Hono<AppEnv>();

// A draft is one person's work in progress: never stored by a browser or proxy cache.
draftsRoutes.use(async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
});

const SECTION_MAX = 20_000;
const EXPLANATION_MAX = 2_000;

const objectOf = <T extends v.GenericSchema>(value: T) =>
  v.pipe(v.unknown(), v.check(notArray, NOT_ARRAY_MESSAGE), v.record(v.string(), value));

const texts = (max: number) =>
  objectOf(v.pipe(v.string(), v.maxLength(max, `不能超过 ${max} 个字符|must be at most ${max} characters`)));

const Revision = v.pipe(
  v.number(),
  v.integer('应为整数|must be a whole number'),
  v.minValue(0, '不能小于 0|must not be negative'),
);

/** Beyond 10^15 doubles no longer count every whole number, and no report has such numbers. */
const CELL_LIMIT = 1e15;
const CellValue = v.pipe(
  v.number(),
  v.finite(FINITE_MESSAGE),
  v.check((n) => Math.abs(n) <= CELL_LIMIT, '超出可保存的范围（绝对值不超过 10^15）|is out of range (at most 10^15 in absolute value)'),
);

const SaveBody = v.object({
  revision: Revision,
  sections: v.optional(texts(SECTION_MAX)),
  cells: v.optional(objectOf(v.nullable(CellValue))),
  explanations: v.optional(texts(EXPLANATION_MAX)),
});

const SubmitBody = v.object({ revision: Revision });

async function draftOf(c: Context<UnitEnv>): Promise<DraftState> {
  const unit = c.get('unit');
  const param = c.req.param('year') ?? '';
  const state = /^\d{4}$/.test(param) ? await loadDraft(c.get('db'), unit.id, Number(param)) : undefined;
  if (!state) {
    throw new ApiError(
      404,
      'no_report',
      `单位“${unit.name}”没有 ${param} 年度的报告。`,
      `${unit.name} (${unit.code}) has no report for ${param}.`,
    );
  }
  return state;
}

const localized = (issues: Issue[], language: Lang) => issues.map((i) => ({ ...i, message: i.message[language] }));

/** The content a client needs to carry on from the current revision (also `current` of a 409). */
const contentOf = (state: DraftState) => ({
  status: state.status,
  revision: state.revision,
  sections: state.sections,
  cells: state.cells,
  explanations: state.explanations,
});

draftsRoutes.get('/:unit/:year', requireUnit('view'), async (c) => {
  const state = await draftOf(c);
  return c.json({
    unit: state.unitCode,
    unit_name: state.unitName,
    year: state.year,
    template: state.template.id,
    deadline: state.deadline === null ? null : beijingRfc3339(state.deadline),
    ...contentOf(state),
    issues: localized(draftIssues(state, 'draft'), lang(c)),
    ...(state.comment === null ? {} : { comment: state.comment }),
  });
});

draftsRoutes.put('/:unit/:year', requireUnit('edit'), async (c) => {
  const language = lang(c);
  const body = parseOr422(SaveBody, await readJson(c), language);
  const state = await draftOf(c);
  checkKeys(state.template, body, language);
  const result = await saveDraft(
    c.get('db'),
    state,
    body.revision,
    { sections: body.sections, cells: body.cells, explanations: body.explanations },
    c.get('viewer')!,
    Date.now(),
  );
  if (!result.ok) throw refusal(result.reason, result.current);
  const saved = result.state;
  return c.json({
    status: saved.status,
    revision: saved.revision,
    issues: localized(draftIssues(saved, 'draft'), language),
    // The totals as computed on save, so the form shows what was stored.
    cells: totalsOf(saved.template, saved.cells),
  });
});

draftsRoutes.post('/:unit/:year/submit', requireUnit('edit'), async (c) => {
  const language = lang(c);
  const body = parseOr422(SubmitBody, await readJson(c), language);
  const state = await draftOf(c);
  const now = Date.now();
  const result = await submitDraft(c.get('db'), state, body.revision, c.get('viewer')!, now, linkSettings(c));
  if (result.ok) {
    deliverSoon(c, now);
    return c.json({ status: result.state.status, revision: result.state.revision, submitted_at: beijingRfc3339(result.state.submittedAt!) });
  }
  if (result.reason !== 'blocked') throw refusal(result.reason, result.current);
  throw new ApiError(422, result.refusal.code, result.refusal.zh, result.refusal.en, blockingDetails(result.issues, language));
});

/** Each blocking issue, naming what to fix: the first cell of an error, the explanation of a warning. */
function blockingDetails(issues: Issue[], language: Lang): ErrorDetail[] {
  return localized(issues, language).map((issue) => ({
    field: issue.severity === 'warning' ? `explanations.${issue.rule}` : `cells.${issue.cells[0] ?? ''}`,
    ...issue,
  }));
}

/** 409 with the current content (the client keeps its unsaved input), or 403 when not editable. */
function refusal(reason: 'stale' | 'not_editable', current: DraftState): ApiError {
  if (reason === 'stale') {
    return new ApiError(
      409,
      'stale_revision',
      `报告已被保存为第 ${current.revision} 版，您的修改基于较早的版本，尚未保存。`,
      `The report has been saved as revision ${current.revision} since; your change was based on an older revision and was not saved.`,
      [{ field: 'revision', message: `current revision: ${current.revision}` }],
      { current: contentOf(current) },
    );
  }
  const verdict = guard('save', { status: current.status });
  const zh = verdict.ok ? '报告不能修改。' : verdict.refusal.zh;
  const en = verdict.ok ? 'The report cannot be edited.' : verdict.refusal.en;
  return new ApiError(403, 'not_editable', zh, en, [], { status: current.status });
}

/** Cells, sections and explanations the report's template does not have: a 422 naming each. */
function checkKeys(template: Template, body: v.InferOutput<typeof SaveBody>, language: Lang): void {
  const known = {
    cells: new Set(cellCatalog(template).keys()),
    sections: new Set(template.sections.map((s) => s.key)),
    explanations: new Set(template.rules.map((r) => r.id)),
  };
  const what = {
    cells: { zh: '单元格', en: 'cell', code: 'unknown_cell' },
    sections: { zh: '栏目', en: 'section', code: 'unknown_section' },
    explanations: { zh: '规则', en: 'rule', code: 'unknown_rule' },
  };
  for (const field of ['cells', 'sections', 'explanations'] as const) {
    const unknown = Object.keys(body[field] ?? {}).filter((key) => !known[field].has(key));
    if (unknown.length === 0) continue;
    const { zh, en, code } = what[field];
    const list = (sep: string) => `${unknown.slice(0, 5).join(sep)}${unknown.length > 5 ? (sep === '、' ? ' 等' : ', …') : ''}`;
    throw new ApiError(
      422,
      code,
      `模板 ${template.id} 中没有这些${zh}：${list('、')}。`,
      `Template ${template.id} has no such ${en}s: ${list(', ')}.`,
      unknown.map((key) => ({
        field: `${field}.${key}`,
        message: language === 'zh' ? `模板 ${template.id} 中没有${zh} ${key}` : `template ${template.id} has no ${en} ${key}`,
      })),
    );
  }
}
