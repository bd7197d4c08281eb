// GET /api/v1/templates, GET /api/v1/templates/{id}, POST /api/v1/validate (../shared/spec/api.md).
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import {
  TEMPLATES,
  cellCatalog,
  deriveTotals,
  getTemplate,
  hasErrors,
  type Cells,
  type Template,
} from '../../core';
import type { AppEnv } from '../../http/app-env';
import { CellsAnswer, IssueAnswer } from '../../http/answers';
import { ApiError } from '../../http/errors';
import { cellValues, texts } from '../../http/input';
import { isTextIssue, validateReport } from '../../core/narrative-issues';
import { publicResponses } from '../../http/public';
import { defineRoute, named } from '../../http/route';
import { lang } from '../../http/lang';
import { translator, type Lang } from '../../core/i18n';

export const templatesRoutes = new Hono<AppEnv>();

const TEMPLATE_IDS = TEMPLATES.map((t) => t.id);

const summary = (t: Template) => ({ id: t.id, title: t.title, basis: t.basis, years: t.years });

const TemplateSummary = v.object({
  id: v.picklist(TEMPLATE_IDS),
  title: v.string(),
  basis: v.string(),
  years: v.object({ from: v.nullable(v.number()), to: v.nullable(v.number()) }),
});

const TemplatesResponse = named('TemplatesResponse', v.object({ templates: v.array(TemplateSummary) }));

/** The whole template (src/core/templates): described by its parts, each an array of objects. */
const TemplateAnswer = named(
  'Template',
  v.looseObject({
    ...TemplateSummary.entries,
    sections: v.pipe(v.array(v.looseObject({ key: v.string() })), v.description('叙述部分 · narrative sections')),
    tables: v.pipe(v.array(v.looseObject({ key: v.string() })), v.description('表格：行、列、标签、计量单位 · tables: rows, columns, labels, units')),
    parts: v.pipe(v.array(v.looseObject({})), v.description('官方版式中的顺序 · the order of the official layout')),
    rules: v.pipe(v.array(v.looseObject({ id: v.string() })), v.description('规则 · rules')),
    checks: v.array(v.looseObject({})),
  }),
);

defineRoute(templatesRoutes, {
  method: 'get',
  path: '/templates',
  summary: '报告模板列表 · report templates',
  access: 'public',
  use: [publicResponses],
  answer: { status: 200, schema: TemplatesResponse },
  handle: (c) => c.json({ templates: TEMPLATES.map(summary) } satisfies v.InferOutput<typeof TemplatesResponse>),
});

defineRoute(templatesRoutes, {
  method: 'get',
  path: '/templates/{id}',
  summary: '一个模板的全部内容：叙述部分、表格、版式与规则 · a whole template',
  access: 'public',
  use: [publicResponses],
  params: v.object({ id: v.pipe(v.picklist(TEMPLATE_IDS), v.description('模板 · template id')) }),
  badPath: (c: Context) => unknownTemplate(c.req.param('id') ?? '', 'id', 404),
  answer: { status: 200, schema: TemplateAnswer },
  errors: { 404: '没有该模板 · no such template' },
  handle: (c, { params }) => c.json(getTemplate(params.id)!),
});

/** As a draft's sections (clerk/drafts.ts): a report's part is at most this long. */
const SECTION_MAX = 20_000;

export const ValidateBody = named(
  'ValidateBody',
  v.object({
    template: v.pipe(v.string(), v.description(`报告模板 · template: ${TEMPLATE_IDS.join(', ')}`)),
    cells: cellValues,
    previous: v.optional(v.nullable(v.pipe(cellValues, v.description('上一年度的单元格，用于跨年度规则 · last year’s cells, for the cross-year rules')))),
    stage: v.optional(v.picklist(['draft', 'submit'])),
    sections: v.optional(
      v.pipe(
        texts(SECTION_MAX),
        v.description('叙述部分的正文：给出时也核对正文所述数字与表格是否一致（narrative_*）及各部分是否齐全（completeness_*）· the narrative parts: when given, the figures they state are checked against the cells (narrative_*) and each required part is checked (completeness_*)'),
      ),
    ),
    year: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1990), v.maxValue(2100), v.description('报告年度，用于识别“上年度” · the report year, so that 上年度 can be recognised'))),
  }),
);

const ValidateResponse = named(
  'ValidateResponse',
  v.object({
    ok: v.pipe(v.boolean(), v.description('没有错误（警告不算）· no errors (warnings do not count)')),
    template: v.picklist(TEMPLATE_IDS),
    stage: v.picklist(['draft', 'submit']),
    errors: v.number(),
    warnings: v.number(),
    issues: v.array(IssueAnswer),
    totals: v.pipe(CellsAnswer, v.description('合计单元格应有的值 · the values the totals should have')),
  }),
);

templatesRoutes.options('/validate', publicResponses, (c) => c.body(null, 204));

defineRoute(templatesRoutes, {
  method: 'post',
  path: '/validate',
  summary: '按模板规则检查数据 · check cells against a template’s rules',
  access: 'public',
  use: [publicResponses],
  body: ValidateBody,
  answer: { status: 200, schema: ValidateResponse },
  handle: (c, { body }) => {
    const language = lang(c);
    const template = getTemplate(body.template);
    if (!template) throw unknownTemplate(body.template, 'template', 422);
    checkCellKeys(template, body.cells, 'cells', language);
    if (body.previous) checkCellKeys(template, body.previous, 'previous', language);
    if (body.sections) checkSectionKeys(template, body.sections, language);

    const options = { stage: body.stage ?? 'draft', previous: body.previous ?? null, ...(body.year === undefined ? {} : { year: body.year }) } as const;
    // Without sections only the tables are checked (a caller that sends no text is not told it is missing).
    const issues = validateReport(template, { sections: body.sections ?? {}, cells: body.cells }, options).filter(
      (i) => body.sections !== undefined || !isTextIssue(i),
    );
    const answer: v.InferOutput<typeof ValidateResponse> = {
      ok: !hasErrors(issues),
      template: template.id,
      stage: body.stage ?? 'draft',
      errors: issues.filter((i) => i.severity === 'error').length,
      warnings: issues.filter((i) => i.severity === 'warning').length,
      issues: issues.map((i) => ({ ...i, message: i.message[language] })),
      // The values the totals should have, so a form can fill them in.
      totals: deriveTotals(template, body.cells),
    };
    return c.json(answer);
  },
});

function unknownTemplate(id: string, field: string, status: 404 | 422): ApiError {
  const known = TEMPLATES.map((t) => t.id).join(', ');
  return new ApiError(
    status,
    'unknown_template',
    `未知的报告模板“${id}”。可用的模板：${known}。`,
    `Unknown template "${id}". Known templates: ${known}.`,
    [{ field, message: `unknown template ${id}`, known: TEMPLATES.map((t) => t.id) }],
  );
}

function checkCellKeys(template: Template, cells: Cells, field: string, language: Lang): void {
  const catalog = cellCatalog(template);
  const unknown = Object.keys(cells).filter((key) => !catalog.has(key));
  if (unknown.length === 0) return;
  throw new ApiError(
    422,
    'unknown_cell',
    `模板 ${template.id} 中没有这些单元格：${unknown.slice(0, 5).join('、')}${unknown.length > 5 ? ' 等' : ''}。`,
    `Template ${template.id} has no such cells: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}.`,
    unknown.map((key) => ({
      field: `${field}.${key}`,
      message: translator(language)(`模板 ${template.id} 中没有单元格 ${key}`, `template ${template.id} has no cell ${key}`),
    })),
  );
}

function checkSectionKeys(template: Template, sections: Record<string, string>, language: Lang): void {
  const known = new Set(template.sections.map((s) => s.key));
  const unknown = Object.keys(sections).filter((key) => !known.has(key));
  if (unknown.length === 0) return;
  const list = template.sections.map((s) => s.key).join(', ');
  throw new ApiError(
    422,
    'unknown_section',
    `模板 ${template.id} 中没有这些叙述部分：${unknown.slice(0, 5).join('、')}。可用的部分：${list}。`,
    `Template ${template.id} has no such sections: ${unknown.slice(0, 5).join(', ')}. Known sections: ${list}.`,
    unknown.map((key) => ({
      field: `sections.${key}`,
      message: translator(language)(`模板 ${template.id} 中没有叙述部分 ${key}`, `template ${template.id} has no section ${key}`),
    })),
  );
}
