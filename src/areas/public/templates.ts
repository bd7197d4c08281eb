// GET /api/v1/templates, GET /api/v1/templates/{id}, POST /api/v1/validate (../shared/spec/api.md).
import { Hono } from 'hono';
import * as v from 'valibot';
import {
  TEMPLATES,
  cellCatalog,
  deriveTotals,
  getTemplate,
  hasErrors,
  validate,
  type Cells,
  type Template,
} from '../../core';
import type { AppEnv } from '../../http/app-env';
import { ApiError, readJson } from '../../http/errors';
import { publicResponses } from '../../http/public';
import { FINITE_MESSAGE, NOT_ARRAY_MESSAGE, notArray, parseOr422 } from '../../http/validation';
import { lang } from '../../http/lang';
import { type Lang } from '../../core/i18n';

export const templatesRoutes = new Hono<AppEnv>();

const summary = (t: Template) => ({ id: t.id, title: t.title, basis: t.basis, years: t.years });

templatesRoutes.get('/templates', publicResponses, (c) => c.json({ templates: TEMPLATES.map(summary) }));

templatesRoutes.get('/templates/:id', publicResponses, (c) => {
  const template = getTemplate(c.req.param('id'));
  if (!template) throw unknownTemplate(c.req.param('id'), 'id', 404);
  return c.json(template);
});

const CellsSchema = v.pipe(v.unknown(), v.check(notArray, NOT_ARRAY_MESSAGE), v.record(v.string(), v.nullable(v.pipe(v.number(), v.finite(FINITE_MESSAGE)))));

export const ValidateBody = v.object({
  template: v.string(),
  cells: CellsSchema,
  previous: v.optional(v.nullable(CellsSchema)),
  stage: v.optional(v.picklist(['draft', 'submit'])),
});

templatesRoutes.options('/validate', publicResponses, (c) => c.body(null, 204));

templatesRoutes.post('/validate', publicResponses, async (c) => {
  const language = lang(c);
  const body = parseOr422(ValidateBody, await readJson(c), language);
  const template = getTemplate(body.template);
  if (!template) throw unknownTemplate(body.template, 'template', 422);
  checkCellKeys(template, body.cells, 'cells', language);
  if (body.previous) checkCellKeys(template, body.previous, 'previous', language);

  const issues = validate(template, body.cells, { stage: body.stage ?? 'draft', previous: body.previous ?? null });
  return c.json({
    ok: !hasErrors(issues),
    template: template.id,
    stage: body.stage ?? 'draft',
    errors: issues.filter((i) => i.severity === 'error').length,
    warnings: issues.filter((i) => i.severity === 'warning').length,
    issues: issues.map((i) => ({ ...i, message: i.message[language] })),
    // The values the totals should have, so a form can fill them in.
    totals: deriveTotals(template, body.cells),
  });
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
      message: language === 'zh' ? `模板 ${template.id} 中没有单元格 ${key}` : `template ${template.id} has no cell ${key}`,
    })),
  );
}
