// POST /api/v1/admin/import/bulk: many reports published elsewhere, one per line (NDJSON), each
// line exactly what POST /api/v1/admin/import takes — how a jurisdiction moves years of history
// in, and how `npm run bench:scale` loads its data through the app's own code.
//
// All or nothing per request. Every line is checked first with the single import's own code
// (./import.ts: its schema, importProblems, outcomeProblem; src/reports/import.ts: planImport over
// states read for all lines at once), and any bad line refuses the whole request: a 422 with a
// detail `line.N.field` per problem (N counts the body's lines from 1), or a 403 naming the lines
// whose unit lies outside the administrator's units. Then every report's guarded statements (the
// same a single import batches, publication included: src/reports/publish.ts) go into ONE D1
// batch — D1's only atomic unit — ending in a check that every report row reads what its
// statements left, which aborts (and so rolls back) the whole batch otherwise. 1,000 reports are
// about 8,000 statements in that batch: one call to D1 (one subrequest of the 1,000 a Worker
// invocation may make), one transaction. D1 documents no cap on statements per batch, only on
// each statement (100 KB, 100 bound parameters: each report's content is one JSON parameter);
// were one ever to refuse 1,000 reports, the limit below is what to lower — never a split into
// several batches, which would let a failure half-way leave part of the body written.
import type { Context } from 'hono';
import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import * as v from 'valibot';
import { translator, type Lang } from '../../core/i18n';
import { canManage } from '../../auth/scope';
import type { AppEnv } from '../../http/app-env';
import { ApiError, type ErrorDetail } from '../../http/errors';
import { lang } from '../../http/lang';
import { named, route } from '../../http/route';
import { describeIssues } from '../../http/validation';
import { isUniqueViolation } from '../../db/unique';
import { units } from '../../db/schema';
import { inJsonList } from '../../reports/json-list';
import { planImport, readStates, type ImportedReport, type ImportOutcome, type ImportPlan } from '../../reports/import';
import { ImportBody, ImportResponse, importAnswer, importProblems, importRequest, outcomeProblem } from './import';

/** Reports per request: one batch of about 8,000 statements, well inside a Worker's limits. */
export const BULK_IMPORT_LINES = 1_000;
/** The body's size: 1,000 reports of about 10 KB each, with room for long narrative sections. */
export const BULK_IMPORT_BYTES = 32 * 1024 * 1024;

type Body = v.InferOutput<typeof ImportBody>;
type Unit = { id: number; code: string; name: string };
type Imported = Extract<ImportOutcome, { version: number }>;

const tooMuch = (zh: string, en: string) =>
  new ApiError(413, 'too_large', `${zh}。`, `${en}.`, [{ field: 'body', message: `${zh} · ${en}` }]);

const lineDetail = (line: number, detail: ErrorDetail): ErrorDetail => ({
  ...detail,
  field: `line.${line}${detail.field ? `.${detail.field}` : ''}`,
});

/** The body's lines that are not blank, numbered as an editor numbers them. */
function ndjsonLines(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== '');
}

/** Each line parsed against the single import's schema; the problems with their line numbers. */
function parseLines(lines: { line: number; text: string }[], language: Lang) {
  const t = translator(language);
  const parsed: { line: number; body: Body }[] = [];
  const problems: ErrorDetail[] = [];
  for (const { line, text } of lines) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      problems.push({ field: `line.${line}`, message: t('不是有效的 JSON', 'is not valid JSON') });
      continue;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      problems.push({ field: `line.${line}`, message: t('应为 JSON 对象', 'must be a JSON object') });
      continue;
    }
    const result = v.safeParse(ImportBody, json);
    if (result.success) parsed.push({ line, body: result.output });
    else problems.push(...describeIssues(result.issues, language).map((d) => lineDetail(line, d)));
  }
  return { parsed, problems };
}

async function unitsByCode(c: Context<AppEnv>, codes: string[]): Promise<Map<string, Unit>> {
  const rows = await c
    .get('db')
    .select({ id: units.id, code: units.code, name: units.name })
    .from(units)
    .where(inJsonList(units.code, [...new Set(codes)]));
  return new Map(rows.map((u) => [u.code, u]));
}

/** Every report of the body planned over the database as it is now, or the refusal naming each bad line. */
async function planAll(c: Context<AppEnv>, lines: { line: number; body: Body; unit: Unit }[], now: number) {
  const language = lang(c);
  const db = c.get('db');
  const states = await readStates(
    db,
    lines.map((l) => ({ unitId: l.unit.id, year: l.body.year })),
  );
  // A year not yet bound to a template is bound by the first line that imports into it.
  const boundHere = new Map<number, string>();
  const plans: ImportPlan[] = [];
  const problems: ErrorDetail[] = [];
  for (const [i, { line, body, unit }] of lines.entries()) {
    const state = states[i]!;
    const plan = await planImport(db, importRequest(body, unit.id), { ...state, yearTemplate: state.yearTemplate ?? boundHere.get(body.year) ?? null }, c.get('viewer')!, now);
    const refused = outcomeProblem(language, body, plan.outcome);
    if (refused) problems.push(lineDetail(line, refused));
    else if (!boundHere.has(body.year)) boundHere.set(body.year, body.template);
    plans.push(plan);
  }
  return { plans, problems };
}

/**
 * SQL that fails — and so aborts and rolls back the batch it ends — unless every imported
 * report's row reads what its statements left (json() refuses text that is not JSON).
 */
function everyReportWritten(c: Context<AppEnv>, written: ImportedReport[]) {
  const expected = JSON.stringify(written.map((w) => [w.unitId, w.year, w.revision, w.version]));
  return c.get('db').get(
    sql`SELECT json(CASE WHEN (
          SELECT count(*) FROM json_each(${expected}) j JOIN reports r
            ON r.unit_id = json_extract(j.value, '$[0]') AND r.year = json_extract(j.value, '$[1]')
            AND r.revision = json_extract(j.value, '$[2]') AND r.published_version = json_extract(j.value, '$[3]')
        ) = ${written.length} THEN '1' ELSE 'a report changed while it was imported' END) AS ok`,
  );
}

const changedMeanwhile = (error: unknown) =>
  isUniqueViolation(error) || (error instanceof Error && /malformed JSON/i.test(`${error.message} ${String(error.cause ?? '')}`));

/** Plans and writes every line in one batch; 'changed_meanwhile' when a report changed after it was read. */
async function importAll(c: Context<AppEnv>, lines: { line: number; body: Body; unit: Unit }[], now: number) {
  const { plans, problems } = await planAll(c, lines, now);
  if (problems.length) return { kind: 'refused', problems } as const;
  const writing = plans.filter((p) => p.writes);
  if (writing.length) {
    try {
      const statements = [...writing.flatMap((p) => p.writes!), everyReportWritten(c, writing.map((p) => p.after!))];
      await c.get('db').batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    } catch (error) {
      if (changedMeanwhile(error)) return 'changed_meanwhile' as const;
      throw error;
    }
  }
  return { kind: 'planned', outcomes: plans.map((p) => p.outcome as Imported) } as const;
}

export const BulkImportResponse = named(
  'BulkImportResponse',
  v.object({
    imported: v.pipe(v.number(), v.description('写入的报告数（新报告与更正）· reports written (created or corrected)')),
    unchanged: v.pipe(v.number(), v.description('内容相同未写入的报告数 · identical reports, not written')),
    lines: v.array(v.object({ line: v.pipe(v.number(), v.description('正文中的行号（从 1 起）· line of the body, from 1') ), ...ImportResponse.entries })),
  }),
);

export const bulkImportRoute = route({
  method: 'post',
  path: '/import/bulk',
  summary: '批量导入已在别处发布的报告（NDJSON，全部或全不）· import many published reports (NDJSON, all or nothing)',
  description: `每行一份报告，格式与 POST /api/v1/admin/import 相同；每次最多 ${BULK_IMPORT_LINES} 行（超过为 413）。任何一行有错则全部不导入，错误的 field 为 line.N.字段 · one report per line as the single import takes it; at most ${BULK_IMPORT_LINES} lines (413 beyond); any bad line refuses the whole body, details named line.N.field`,
  access: 'admin',
  rawBody: { mediaType: 'application/x-ndjson', description: '每行一个 ImportBody JSON 对象 · one ImportBody JSON object per line' },
  answer: { status: [201, 200], schema: BulkImportResponse, description: '201 已写入，200 全部内容相同 · 201 written, 200 all unchanged' },
  errors: {
    403: '有一行的单位不在您管理的范围内：details 为 line.N.unit，未写入任何内容 · a line’s unit is outside your units; nothing written',
    409: '导入期间报告被他人修改，请重试 · a report changed during the import; try again',
    422: '有错误的行：details 为 line.N.字段（含同一单位同一年度出现两次、正在审核中的报告），未写入任何内容 · bad lines; nothing written',
  },
  handle: async (c) => {
    const language = lang(c);
    const t = translator(language);
    const declared = Number(c.req.header('Content-Length') ?? 0);
    if (declared > BULK_IMPORT_BYTES) throw tooMuch('正文过大（最多 32 MB）', 'the body is too large (at most 32 MB)');
    const text = new TextDecoder().decode(await c.req.arrayBuffer());
    if (text.length > BULK_IMPORT_BYTES) throw tooMuch('正文过大（最多 32 MB）', 'the body is too large (at most 32 MB)');
    const lines = ndjsonLines(text);
    if (lines.length > BULK_IMPORT_LINES) {
      throw tooMuch(`每次最多导入 ${BULK_IMPORT_LINES} 行，收到 ${lines.length} 行`, `at most ${BULK_IMPORT_LINES} lines per request, got ${lines.length}`);
    }
    if (lines.length === 0) throw new ApiError(422, 'invalid_input', '正文中没有报告。', 'The body holds no report.', [{ field: 'body', message: t('正文为空', 'the body is empty') }]);

    const { parsed, problems } = parseLines(lines, language);
    const found = await unitsByCode(c, parsed.map((p) => p.body.unit));
    const outside = parsed.filter((p) => found.has(p.body.unit) && !canManage(c.get('viewer'), found.get(p.body.unit)!.id));
    if (outside.length) {
      throw new ApiError(
        403,
        'out_of_scope',
        '超出您管理的单位范围，未导入任何内容。',
        'This is outside the units you manage; nothing was imported.',
        outside.map((p) => ({ field: `line.${p.line}.unit`, message: t(`单位“${p.body.unit}”不在您管理的范围内`, `unit "${p.body.unit}" is outside the units you manage`) })),
      );
    }
    const now = Date.now();
    const firstLine = new Map<string, number>();
    for (const { line, body } of parsed) {
      problems.push(...importProblems(language, body, found.get(body.unit), now).map((d) => lineDetail(line, d)));
      const key = `${body.unit}/${body.year}`;
      const earlier = firstLine.get(key);
      if (earlier === undefined) firstLine.set(key, line);
      else
        problems.push({
          field: `line.${line}.unit`,
          message: t(`与第 ${earlier} 行是同一单位同一年度（更正请另行导入）`, `same unit and year as line ${earlier} (send a correction in a later request)`),
        });
    }
    const refuse = (details: ErrorDetail[]) => {
      const bad = new Set(details.map((d) => d.field?.split('.')[1])).size;
      return new ApiError(422, 'invalid_input', `有 ${bad} 行不符合要求，未导入任何内容。`, `${bad} line(s) are invalid; nothing was imported.`, details);
    };
    if (problems.length) throw refuse(problems);

    const lineUnits = parsed.map((p) => ({ ...p, unit: found.get(p.body.unit)! }));
    // Another writer between reading and the batch (a save, a submission, an import): read again, once.
    let result = await importAll(c, lineUnits, now);
    if (result === 'changed_meanwhile') result = await importAll(c, lineUnits, now);
    if (result === 'changed_meanwhile') {
      throw new ApiError(409, 'changed_meanwhile', '导入期间有报告被修改，未导入任何内容，请重试。', 'A report changed during the import; nothing was imported. Please try again.');
    }
    if (result.kind === 'refused') throw refuse(result.problems);
    const { outcomes } = result;

    const answers = lineUnits.map((l, i) => ({ line: l.line, ...importAnswer(c, l.body, l.unit, outcomes[i]!) }));
    const imported = answers.filter((a) => a.result !== 'unchanged').length;
    return c.json({ imported, unchanged: answers.length - imported, lines: answers }, imported ? 201 : 200);
  },
});
