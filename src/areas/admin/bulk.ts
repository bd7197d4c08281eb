// POST /api/v1/admin/bulk/units and /bulk/people: set up units or people from a CSV file, as
// Excel and WPS save it (src/core/bulk.ts reads and plans it, src/auth/bulk.ts writes it).
//
// `?dry_run=1` answers 200 with what the file would change and every bad line, and writes nothing.
// Without it the file is all or nothing: any bad line is a 422 — the one error shape, with a
// detail per problem (`field` = `line.N.column`), and beside it the same `errors` list the dry run
// gives — and nothing is written; otherwise every change is applied in one batch and audited.
// The page /app/admin/bulk (./bulk-pages.tsx) runs the same code through runBulk().
import type { Context } from 'hono';
import * as v from 'valibot';
import { bulkPeople, bulkUnits, type BulkOutcome } from '../../auth/bulk';
import { decodeUtf8, type BulkKind, type BulkProblem, type FieldRule, type PersonState, type UnitState } from '../../core/bulk';
import { translator, type Lang } from '../../core/i18n';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../http/errors';
import { displayName, email, unitCode } from '../../http/input';
import { lang } from '../../http/lang';
import { named, route } from '../../http/route';

/**
 * Five times a file of 2,000 units or people (about 100 KB); keeps one request's work bounded,
 * and the page's 「确认导入」 form (the checked text in base64) under the form reader's 1 MB.
 */
export const BULK_BYTES_LIMIT = 512 * 1024;

/** A field rule from the very schema PUT /units or /people parses the field with. */
const ruleOf =
  (schema: v.GenericSchema<string, string>): FieldRule =>
  (text) => {
    const parsed = v.safeParse(schema, text);
    if (parsed.success) return { ok: true, value: parsed.output };
    const [zh, en] = parsed.issues[0]!.message.split('|');
    return { ok: false, message: { zh: zh!, en: en ?? zh! } };
  };

const UNIT_RULES = { code: ruleOf(unitCode), name: ruleOf(displayName) };
const PEOPLE_RULES = { email: ruleOf(email), name: ruleOf(displayName) };

export const notUtf8 = () =>
  new ApiError(422, 'not_utf8', '请将文件另存为 UTF-8 编码的 CSV。', 'Please save the file as CSV in UTF-8 encoding.', [
    { field: 'file', message: '文件不是 UTF-8 编码（Excel：另存为“CSV UTF-8（逗号分隔）”；WPS：另存为 CSV 并选 UTF-8） · the file is not UTF-8' },
  ]);

export const tooLarge = () => new ApiError(422, 'too_large', '文件过大（最多 512 KB）。', 'The file is too large (at most 512 KB).', [{ field: 'file', message: '最多 512 KB · at most 512 KB' }]);

/** The file's text: UTF-8 (BOM or not), else the 422 that says how to save it. */
export function csvText(bytes: ArrayBuffer | Uint8Array): string {
  if (bytes.byteLength > BULK_BYTES_LIMIT) throw tooLarge();
  const text = decodeUtf8(bytes);
  if (text === undefined) throw notUtf8();
  return text;
}

export type BulkResult = BulkOutcome<UnitState> | BulkOutcome<PersonState>;

/** Plans the file and, unless a dry run, applies it when every line is good. */
export function runBulk(c: Context<AppEnv>, kind: BulkKind, text: string, dryRun: boolean): Promise<BulkResult> {
  const options = { dryRun, now: Date.now() };
  return kind === 'units'
    ? bulkUnits(c.get('db'), c.get('viewer')!, text, UNIT_RULES, options)
    : bulkPeople(c.get('db'), c.get('viewer')!, text, PEOPLE_RULES, options);
}

/** The errors as the API answers them: `reason` in the request's language. */
export const errorsAnswer = (errors: BulkProblem[], language: Lang) =>
  errors.map((e) => ({ line: e.line, field: e.field, code: e.code, reason: translator(language)(e.message) }));

/** The changes as the API answers them: keyed by `code` (units) or `email` (people). */
export function changesAnswer(kind: BulkKind, result: BulkResult) {
  const key = kind === 'units' ? 'code' : 'email';
  return (result.changes as BulkResult['changes']).map((c) => ({ line: c.line, action: c.action, [key]: c.key, ...(c.before ? { before: c.before } : {}), after: c.after }));
}

/** The 422 of a file with bad lines: a detail per problem, and the dry run's `errors` beside. */
export function badLines(errors: BulkProblem[], language: Lang): ApiError {
  const t = translator(language);
  return new ApiError(
    422,
    'invalid_csv',
    `文件中有 ${errors.length} 处错误，未导入任何内容。`,
    `The file has ${errors.length} error(s); nothing was imported.`,
    errors.map((e) => ({ field: `line.${e.line}${e.field ? `.${e.field}` : ''}`, message: t(e.message) })),
    { errors: errorsAnswer(errors, language) },
  );
}

// ——— Declarations ———

const BulkQuery = v.object({
  dry_run: v.optional(
    v.pipe(v.picklist(['1', 'true', '0', 'false'], '应为 1 或 0|must be 1 or 0'), v.description('1：只检查，不写入 · 1: check only, write nothing')),
  ),
});

const BulkError = v.object({
  line: v.pipe(v.number(), v.description('文件中的行号（表头为第 1 行）· line in the file; the header is line 1')),
  field: v.pipe(v.string(), v.description('列名；空为整行 · the column; empty for the whole line')),
  code: v.string(),
  reason: v.string(),
});

const bulkAnswer = (name: string, key: 'code' | 'email', state: v.GenericSchema) =>
  named(
    name,
    v.object({
      dry_run: v.boolean(),
      applied: v.pipe(v.boolean(), v.description('是否已写入 · whether the changes were written')),
      changes: v.array(
        v.object({
          line: v.number(),
          action: v.picklist(['create', 'update', 'unchanged']),
          [key]: v.string(),
          before: v.optional(state),
          after: state,
        }),
      ),
      errors: v.array(BulkError),
    }),
  );

const UnitState = v.object({ code: v.string(), name: v.string(), parent: v.nullable(v.string()) });
const PersonStateSchema = v.object({ email: v.string(), name: v.string(), role: v.picklist(['clerk', 'supervisor', 'admin']), units: v.array(v.string()) });

const COLUMNS: Record<BulkKind, string> = {
  units: '列 code,name,parent（或 单位代码,单位名称,上级单位）；上级单位可在文件中任意行，空为顶级单位 · columns code,name,parent; a parent may be on any line; empty for a root',
  people: '列 email,name,role,units（或 邮箱,姓名,角色,所属单位）；role 为 clerk/supervisor/admin 或 填报人/审核人/管理员；units 以分号分隔，须已存在 · columns email,name,role,units; units separated by ";" must exist',
};

function bulkRoute(kind: BulkKind, summary: string, answer: v.GenericSchema) {
  return route({
    method: 'post',
    path: `/bulk/${kind}`,
    summary,
    description: '不在文件中的不受影响，也不停用 · rows absent from the file are left alone; nothing is deactivated',
    access: 'admin',
    query: BulkQuery,
    rawBody: { mediaType: 'text/csv', description: `UTF-8（可带 BOM）的 CSV，第 1 行为表头。${COLUMNS[kind]}` },
    answer: { status: 200, schema: answer, description: 'dry_run=1 时只检查；否则已全部写入 · checked only with dry_run=1; otherwise everything was applied' },
    errors: {
      422: '文件有错误行（含管理范围以外的单位：code 为 out_of_scope）：details 为 line.N.列，另附与试运行相同的 errors 列表，未写入任何内容；或不是 UTF-8 · bad lines (nothing written; out_of_scope among them) or not UTF-8',
    },
    handle: async (c, { query }) => {
      const dryRun = query.dry_run === '1' || query.dry_run === 'true';
      const text = csvText(await c.req.arrayBuffer());
      const result = await runBulk(c, kind, text, dryRun);
      const language = lang(c);
      if (!dryRun && result.errors.length > 0) throw badLines(result.errors, language);
      return c.json({ dry_run: dryRun, applied: result.applied, changes: changesAnswer(kind, result), errors: errorsAnswer(result.errors, language) });
    },
  });
}

export const bulkUnitsRoute = bulkRoute('units', '从 CSV 批量新建或修改单位 · create or update units from CSV', bulkAnswer('BulkUnitsAnswer', 'code', UnitState));
export const bulkPeopleRoute = bulkRoute('people', '从 CSV 批量新建或修改人员 · create or update people from CSV', bulkAnswer('BulkPeopleAnswer', 'email', PersonStateSchema));
