// POST /api/v1/admin/import: a report already published elsewhere, stored as published and
// imported (src/reports/import.ts writes it in one batch). Validated against its
// template — an unknown unit, template, section, rule or cell is a 422 naming the field — but
// its rule failures are kept and returned as `issues`: history is published as it was filed.
//
// POST /api/v1/admin/import/text: the cells and sections read from a published report's text or
// HTML (src/core/text-import.ts), to review before importing; stores nothing.
import type { Context } from 'hono';
import * as v from 'valibot';
import { cellCatalog, getTemplate, TEMPLATES, type Issue, type Template } from '../../core';
import { importHtml, importText } from '../../core/text-import';
import { htmlTokens } from './html-tokens';
import { beijingRfc3339 } from '../../core/time';
import type { AppEnv } from '../../http/app-env';
import { CellsAnswer, IssueAnswer } from '../../http/answers';
import { ApiError, invalidInput, outOfScope, type ErrorDetail } from '../../http/errors';
import { canManage } from '../../auth/scope';
import { lang } from '../../http/lang';
import { translator, type Lang } from '../../core/i18n';
import { importReport, type ImportOutcome, type ImportRequest } from '../../reports/import';
import { publicOrigin } from '../../http/origin';
import { reportLinks } from '../../core/links';
import { findUnit } from '../../publication/queries';
import { isUniqueViolation } from '../../db/unique';
import { cellValues, publicationTime, REPORT_YEARS, texts, unitCode, yearNumber } from '../../http/input';
import { named, route } from '../../http/route';

const TEMPLATE_IDS = TEMPLATES.map((t) => t.id);
/** A day of slack for clocks and time zones; a publication date further ahead is a typo. */
const FUTURE_SLACK_MS = 86_400_000;

const TemplateField = v.pipe(
  v.string(),
  v.check((id) => TEMPLATE_IDS.includes(id as Template['id']), `应为已知的模板：${TEMPLATE_IDS.join('、')}|must be a known template: ${TEMPLATE_IDS.join(', ')}`),
  v.description(`报告模板 · template: ${TEMPLATE_IDS.join(', ')}`),
);

export const ImportBody = named(
  'ImportBody',
  v.object({
    unit: v.pipe(unitCode, v.description('单位代码（须已存在）· an existing unit code')),
    year: yearNumber(REPORT_YEARS),
    template: TemplateField,
    sections: v.pipe(texts(200_000), v.description('叙述部分：键 → 正文 · narrative sections by key')),
    cells: v.pipe(cellValues, v.description('`TABLE.ROW.COLUMN` → 有限数值或 null（空白）· finite number or null (blank)')),
    published_at: v.pipe(
      publicationTime,
      v.description('原发布时间（只写日期时按北京时间零点）· when it was published; a bare date is midnight Beijing time'),
    ),
    explanations: v.optional(v.pipe(texts(5_000), v.description('对警告的说明：规则 → 说明 · explanations of warnings by rule'))),
    reason: v.optional(
      v.pipe(
        v.string(),
        v.maxLength(500, '不能超过 500 个字符|must be at most 500 characters'),
        v.description('已发布过时的更正原因，默认“导入更正” · correction reason when already published; default 导入更正'),
      ),
    ),
  }),
);

export const ImportResponse = named(
  'ImportResponse',
  v.object({
    result: v.pipe(v.picklist(['created', 'corrected', 'unchanged']), v.description('新报告、新版本（更正）或内容相同未写入 · new report, new version, or identical (nothing written)')),
    report: v.object({
      unit: v.string(),
      unit_name: v.string(),
      year: v.number(),
      template: v.string(),
      version: v.number(),
      published_at: v.string(),
      imported: v.literal(true),
      content_hash: v.string(),
      url: v.string(),
      json: v.string(),
      csv: v.string(),
    }),
    issues: v.pipe(v.array(IssueAnswer), v.description('未通过的规则（照原样保存，不拒绝）· rule failures, kept as filed')),
  }),
);

export const TextImportBody = named(
  'TextImportBody',
  v.object({
    template: TemplateField,
    text: v.optional(v.pipe(v.string(), v.maxLength(2_000_000, '过长|is too long'), v.description('报告的文字（网页或 PDF 复制）· the report as text'))),
    html: v.optional(v.pipe(v.string(), v.maxLength(5_000_000, '过长|is too long'), v.description('报告的 HTML · the report as HTML'))),
  }),
);

export const TextImportResponse = named(
  'TextImportResponse',
  v.object({
    template: v.string(),
    cells: CellsAnswer,
    sections: v.record(v.string(), v.string()),
    unmatched: v.pipe(v.array(v.string()), v.description('无法对应到单元格的行 · lines that could not be placed')),
    missing: v.pipe(
      v.array(v.object({ row: v.string(), label: v.string() })),
      v.description('模板中没有读到任何值的行（TABLE.ROW 与标签）· the template’s rows that got no value'),
    ),
    tables: v.pipe(
      v.array(
        v.object({
          title: v.string(),
          recognised: v.pipe(v.string(), v.description('所用模板，或 other：不是所选模板的表格 · the template, or other')),
          name: v.optional(v.string()),
          column: v.optional(v.pipe(v.string(), v.description('读入单元格的列（如 本年度）· the column read into cells'))),
          rows_mapped: v.array(v.object({ label: v.string(), cells: v.array(v.string()), values: v.array(v.nullable(v.number())) })),
          rows_unmapped: v.array(v.object({ label: v.string(), values: v.array(v.nullable(v.number())) })),
        }),
      ),
      v.description('网页中的表格：读入了哪些行，哪些行没有对应 · the page’s tables: rows placed and rows left over'),
    ),
    published_at: v.optional(v.string()),
  }),
);

const field = (language: Lang, name: string, zh: string, en: string): ErrorDetail => ({ field: name, message: translator(language)(zh, en) });

/** Keys the template does not have: one detail per key, all reported at once. */
function unknownKeys(template: Template, body: v.InferOutput<typeof ImportBody>, language: Lang): ErrorDetail[] {
  const catalog = cellCatalog(template);
  const sections = new Set(template.sections.map((s) => s.key));
  const rules = new Set(template.rules.map((r) => r.id));
  return [
    ...Object.keys(body.cells)
      .filter((k) => !catalog.has(k))
      .map((k) => field(language, `cells.${k}`, `模板 ${template.id} 中没有单元格 ${k}`, `template ${template.id} has no cell ${k}`)),
    ...Object.keys(body.sections)
      .filter((k) => !sections.has(k))
      .map((k) => field(language, `sections.${k}`, `模板 ${template.id} 中没有叙述部分 ${k}`, `template ${template.id} has no section ${k}`)),
    ...Object.keys(body.explanations ?? {})
      .filter((k) => !rules.has(k))
      .map((k) => field(language, `explanations.${k}`, `模板 ${template.id} 中没有规则 ${k}`, `template ${template.id} has no rule ${k}`)),
  ];
}

const issueOut = (language: Lang) => (i: Issue) => ({ rule: i.rule, severity: i.severity, cells: i.cells, message: i.message[language] });

export const importRoute = route({
  method: 'post',
  path: '/import',
  summary: '导入已在别处发布的报告 · import a report published elsewhere',
  access: 'admin',
  body: ImportBody,
  answer: { status: [201, 200], schema: ImportResponse, description: '201 新报告或更正，200 内容相同 · 201 created or corrected, 200 unchanged' },
  errors: { 409: '该报告正在审核中 · the report is under review' },
  handle: async (c, { body }) => {
    const result = await importPublished(c, body);
    return c.json(result, result.result === 'unchanged' ? 200 : 201);
  },
});

export const textImportRoute = route({
  method: 'post',
  path: '/import/text',
  summary: '从报告文字或 HTML 读出单元格，不保存 · read cells from a report’s text or HTML; stores nothing',
  access: 'admin',
  body: TextImportBody,
  answer: { status: 200, schema: TextImportResponse },
  handle: (c, { body }) => readReportText(c, body),
});

/**
 * Imports a report as POST /api/v1/admin/import does, for the API and the import page alike:
 * the answer, or an ApiError (out of scope, invalid input, under review) naming the fields.
 */
export async function importPublished(c: Context<AppEnv>, body: v.InferOutput<typeof ImportBody>): Promise<v.InferOutput<typeof ImportResponse>> {
  const language = lang(c);
  const unit = await findUnit(c.get('db'), body.unit);
  if (unit && !canManage(c.get('viewer'), unit.id)) {
    throw outOfScope(language, 'unit', `单位“${body.unit}”不在您管理的范围内`, `unit "${body.unit}" is outside the units you manage`);
  }
  const now = Date.now();
  const problems = importProblems(language, body, unit, now);
  if (problems.length || !unit) throw invalidInput(problems);

  const run = () => importReport(c.get('db'), importRequest(body, unit.id), c.get('viewer')!, now);
  // Two imports of the same report at once: the loser's batch hit a unique index and wrote
  // nothing; running it again makes it the next version.
  const outcome = await run().catch((error: unknown) => {
    if (isUniqueViolation(error)) return run();
    throw error;
  });

  if (outcome.kind === 'under_review') {
    throw new ApiError(409, 'under_review', '该报告正在审核中，请在审核结束后再导入。', 'The report is being reviewed; import it once the review is decided.');
  }
  const refused = outcomeProblem(language, body, outcome);
  if (refused) throw invalidInput([refused]);
  return importAnswer(c, body, unit, outcome as Extract<ImportOutcome, { version: number }>);
}

/**
 * What is wrong with a body its schema accepted (shared with the bulk import): an unknown unit,
 * keys its template does not have, a publication date ahead of `now`.
 */
export function importProblems(language: Lang, body: v.InferOutput<typeof ImportBody>, unit: unknown, now: number): ErrorDetail[] {
  const problems = [
    ...(unit ? [] : [field(language, 'unit', `没有代码为“${body.unit}”的单位（请先创建）`, `there is no unit with code "${body.unit}" (create it first)`)]),
    ...unknownKeys(getTemplate(body.template)!, body, language),
  ];
  if (body.published_at > now + FUTURE_SLACK_MS) {
    problems.push(field(language, 'published_at', '发布时间不能在将来', 'published_at must not be in the future'));
  }
  return problems;
}

/** The body as src/reports/import.ts takes it. */
export const importRequest = (body: v.InferOutput<typeof ImportBody>, unitId: number): ImportRequest => ({
  unitId,
  year: body.year,
  template: getTemplate(body.template)!,
  sections: body.sections,
  cells: body.cells,
  explanations: body.explanations ?? {},
  publishedAt: body.published_at,
  reason: body.reason,
});

/** The field an outcome that writes nothing refuses, or null when it imported (or found it unchanged). */
export function outcomeProblem(language: Lang, body: v.InferOutput<typeof ImportBody>, outcome: ImportOutcome): ErrorDetail | null {
  switch (outcome.kind) {
    case 'under_review':
      return field(language, 'unit', '该报告正在审核中，请在审核结束后再导入', 'the report is being reviewed; import it once the review is decided');
    case 'template_mismatch':
      return field(language, 'template', `${body.year} 年度的报告使用模板 ${outcome.expected}`, `reports of ${body.year} use template ${outcome.expected}`);
    case 'before_current':
      return field(
        language,
        'published_at',
        `更正的发布时间不能早于当前版本（${beijingRfc3339(outcome.currentPublishedAt)}）`,
        `a correction cannot be published before the current version (${beijingRfc3339(outcome.currentPublishedAt)})`,
      );
    default:
      return null;
  }
}

/** The answer for one imported (or unchanged) report. */
export function importAnswer(
  c: Context<AppEnv>,
  body: v.InferOutput<typeof ImportBody>,
  unit: { name: string },
  outcome: Extract<ImportOutcome, { version: number }>,
): v.InferOutput<typeof ImportResponse> {
  return {
    result: outcome.kind,
    report: {
      unit: body.unit,
      unit_name: unit.name,
      year: body.year,
      template: body.template,
      version: outcome.version,
      published_at: beijingRfc3339(body.published_at),
      imported: true,
      content_hash: outcome.contentHash,
      ...reportLinks(publicOrigin(c), body.unit, body.year),
    },
    issues: outcome.issues.map(issueOut(lang(c))),
  };
}

async function readReportText(c: Context<AppEnv>, body: v.InferOutput<typeof TextImportBody>) {
  const language = lang(c);
  if ((body.text === undefined) === (body.html === undefined)) {
    throw invalidInput([field(language, 'text', '请提供 text 或 html 中的一项', 'give exactly one of text and html')]);
  }
  const template = getTemplate(body.template)!;
  const read = body.html !== undefined ? importHtml(template, await htmlTokens(body.html)) : importText(template, body.text!);
  const result: v.InferOutput<typeof TextImportResponse> = {
    template: template.id,
    cells: read.cells,
    sections: read.sections,
    unmatched: read.unmatched,
    missing: read.missing,
    tables: read.tables,
    ...(read.publishedDate ? { published_at: `${read.publishedDate}T00:00:00+08:00` } : {}),
  };
  return c.json(result);
}
