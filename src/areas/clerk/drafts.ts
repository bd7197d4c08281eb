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
import { CellsAnswer, IssueAnswer } from '../../http/answers';
import { ApiError, type ErrorDetail } from '../../http/errors';
import { cellValues, reportYearText, texts, unitCode } from '../../http/input';
import { lang } from '../../http/lang';
import { defineRoute, type ErrorStatus } from '../../http/route';
import { translator, type Lang } from '../../core/i18n';
import { deliverSoon } from '../../mail/deliver-now';
import { totalsOf } from '../../core/derived-cells';
import type { DraftState } from '../../reports/draft-state';
import { draftIssues, loadDraft, saveDraft, submitDraft } from '../../reports/store';
import { linkSettings } from '../../http/link-settings';

export const draftsRoutes = new Hono<UnitEnv>();

// A draft is one person's work in progress: never stored by a browser or proxy cache.
draftsRoutes.use(async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
});

const SECTION_MAX = 20_000;
const EXPLANATION_MAX = 2_000;

const Revision = v.pipe(
  v.number(),
  v.integer('应为整数|must be a whole number'),
  v.minValue(0, '不能小于 0|must not be negative'),
);

const SaveBody = v.object({
  revision: Revision,
  sections: v.optional(texts(SECTION_MAX)),
  cells: v.optional(cellValues),
  explanations: v.optional(texts(EXPLANATION_MAX)),
});

const SubmitBody = v.object({ revision: Revision });

/** The unit's code (requireUnit has found it) and a year; a year that is not one names no report. */
const DraftPath = v.object({ unit: unitCode, year: reportYearText });

const Status = v.picklist(['draft', 'returned', 'submitted', 'published']);
const Texts = v.record(v.string(), v.string());

/** What a client needs to carry on from the current revision (also `current` of a 409). */
const DraftContent = {
  status: Status,
  revision: v.pipe(v.number(), v.description('已保存的版次，0 为尚未保存 · the saved revision; 0 before the first save')),
  sections: Texts,
  cells: CellsAnswer,
  explanations: Texts,
};

const DraftAnswer = v.object({
  unit: v.string(),
  unit_name: v.string(),
  year: v.number(),
  template: v.string(),
  deadline: v.nullable(v.string()),
  ...DraftContent,
  issues: v.array(IssueAnswer),
  comment: v.optional(v.pipe(v.string(), v.description('审核人退回时的意见 · the supervisor’s comment when returned'))),
});

const SaveAnswer = v.object({
  status: Status,
  revision: v.number(),
  issues: v.array(IssueAnswer),
  cells: v.pipe(CellsAnswer, v.description('保存时算出的合计 · the totals as computed on save')),
});

const SubmitAnswer = v.object({ status: Status, revision: v.number(), submitted_at: v.string() });

function noReport(c: Context<UnitEnv>): ApiError {
  const unit = c.get('unit');
  const param = c.req.param('year') ?? '';
  return new ApiError(404, 'no_report', `单位“${unit.name}”没有 ${param} 年度的报告。`, `${unit.name} (${unit.code}) has no report for ${param}.`);
}

async function draftOf(c: Context<UnitEnv>, year: number): Promise<DraftState> {
  const state = await loadDraft(c.get('db'), c.get('unit').id, year);
  if (!state) throw noReport(c);
  return state;
}

const localized = (issues: Issue[], language: Lang) => issues.map((i) => ({ ...i, message: i.message[language] }));

const contentOf = (state: DraftState) => ({
  status: state.status,
  revision: state.revision,
  sections: state.sections,
  cells: state.cells,
  explanations: state.explanations,
});

const NO_REPORT = '没有该单位或该年度的报告 · no such unit, or no report of that year';
const NOT_EDITABLE = '报告已提交或已发布，不能修改 · submitted or published: not editable';

/**
 * What every drafts route shares: a signed-in person's unit and year, read with the same checks,
 * and its answers: no such report (404), and for a change, a draft that is no longer editable (403).
 */
const aDraft = (need: 'view' | 'edit', errors: Partial<Record<ErrorStatus, string>> = {}) => ({
  access: 'signed-in' as const,
  use: [requireUnit(need)],
  params: DraftPath,
  badPath: noReport,
  errors: { ...(need === 'edit' ? { 403: NOT_EDITABLE } : {}), 404: NO_REPORT, ...errors },
});

defineRoute(draftsRoutes, {
  method: 'get',
  path: '/{unit}/{year}',
  summary: '一份报告的草稿、检查结果与截止时间 · a draft, its issues and the deadline',
  ...aDraft('view'),
  answer: { status: 200, schema: DraftAnswer },
  handle: async (c, { params }) => {
    const state = await draftOf(c, params.year);
    const answer: v.InferOutput<typeof DraftAnswer> = {
      unit: state.unitCode,
      unit_name: state.unitName,
      year: state.year,
      template: state.template.id,
      deadline: state.deadline === null ? null : beijingRfc3339(state.deadline),
      ...contentOf(state),
      issues: localized(draftIssues(state, 'draft'), lang(c)),
      ...(state.comment === null ? {} : { comment: state.comment }),
    };
    return c.json(answer);
  },
});

defineRoute(draftsRoutes, {
  method: 'put',
  path: '/{unit}/{year}',
  summary: '保存草稿的改动（只含改动的部分，基于一个版次）· save what changed, based on a revision',
  ...aDraft('edit', { 409: '版次已过时：current 为当前内容 · stale revision: `current` holds the current content' }),
  body: SaveBody,
  answer: { status: 200, schema: SaveAnswer },
  handle: async (c, { params, body }) => {
    const language = lang(c);
    const state = await draftOf(c, params.year);
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
    const answer: v.InferOutput<typeof SaveAnswer> = {
      status: saved.status,
      revision: saved.revision,
      issues: localized(draftIssues(saved, 'draft'), language),
      // The totals as computed on save, so the form shows what was stored.
      cells: totalsOf(saved.template, saved.cells),
    };
    return c.json(answer);
  },
});

defineRoute(draftsRoutes, {
  method: 'post',
  path: '/{unit}/{year}/submit',
  summary: '提交当前版次审核 · submit the current revision for review',
  ...aDraft('edit', {
    409: '版次已过时 · stale revision',
    422: '有阻止提交的问题（details 逐项列出）· blocking issues, each in details',
    503: '未配置审核链接密钥 · LINK_SECRET is not configured',
  }),
  body: SubmitBody,
  answer: { status: 200, schema: SubmitAnswer },
  handle: async (c, { params, body }) => {
    const language = lang(c);
    const state = await draftOf(c, params.year);
    const now = Date.now();
    const result = await submitDraft(c.get('db'), state, body.revision, c.get('viewer')!, now, linkSettings(c));
    if (result.ok) {
      deliverSoon(c, now);
      const answer: v.InferOutput<typeof SubmitAnswer> = { status: result.state.status, revision: result.state.revision, submitted_at: beijingRfc3339(result.state.submittedAt!) };
      return c.json(answer);
    }
    if (result.reason !== 'blocked') throw refusal(result.reason, result.current);
    throw new ApiError(422, result.refusal.code, result.refusal.zh, result.refusal.en, blockingDetails(result.issues, language));
  },
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
      `报告已被保存为第 ${current.revision} 稿，您的修改基于较早的一稿，尚未保存。`,
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
        message: translator(language)(`模板 ${template.id} 中没有${zh} ${key}`, `template ${template.id} has no ${en} ${key}`),
      })),
    );
  }
}
