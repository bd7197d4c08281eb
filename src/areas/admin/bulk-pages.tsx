// /app/admin/bulk: set up units or people from a CSV file in the browser, without JavaScript.
// Choose what the file holds, upload it (or paste its text) and 「检查」: the page shows the dry
// run — each line's change (新建 / 修改 / 不变) and every bad line, summed up at the top. Then
// 「确认导入」 applies exactly what was checked: the checked text travels back in a hidden field
// (base64, so a browser's line-break normalisation cannot change it) with its SHA-256, and a
// text that does not match its hash is refused. The API behind it is ./bulk.ts.
import { Hono, type Context } from 'hono';
import { csvDocument } from '../../core/csv';
import type { BulkKind, BulkProblem, PersonState, UnitState } from '../../core/bulk';
import { translator, type Lang } from '../../core/i18n';
import { unitsByIds } from '../../auth/directory';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../http/errors';
import { isFormPost, readForm } from '../../http/form';
import { lang } from '../../http/lang';
import { AdminPage } from '../../views/admin-page';
import { Button, controlAria, ErrorSummary, Field, Select, Textarea } from '../../views/forms';
import { BULK_BYTES_LIMIT, csvText, runBulk, type BulkResult } from './bulk';

export const bulkPages = new Hono<AppEnv>();

const KINDS: BulkKind[] = ['units', 'people'];
const isKind = (k: unknown): k is BulkKind => k === 'units' || k === 'people';

const HEADERS: Record<BulkKind, string> = { units: 'code,name,parent', people: 'email,name,role,units' };

// ——— Reading the form ———
// readForm (src/http/form.ts) refuses files, and would refuse a GBK file as "unreadable" where it
// deserves words that say how to save it. So: a urlencoded post (the 「确认导入」 form, pasted
// text) goes through readForm; a multipart one is read here as strictly — a broken body, a file
// under any other name, or text fields that are not UTF-8 are a 400 — with one file, `file`.

const unreadable = () => new ApiError(400, 'malformed_form', '无法读取提交的表单。', 'The submitted form could not be read.');
const tooLarge = () => new ApiError(413, 'payload_too_large', '提交的内容过大（文件最多 512 KB）。', 'The submitted form is too large (files up to 512 KB).');
const notAForm = () => new ApiError(415, 'unsupported_media_type', '请以 UTF-8 编码的表单提交。', 'Send the form as a UTF-8 form post (urlencoded or multipart).');

/** The file and the form around it. */
const MULTIPART_LIMIT = BULK_BYTES_LIMIT + 64 * 1024;

async function readBulkForm(c: Context<AppEnv>): Promise<{ fields: Record<string, string>; file?: Uint8Array }> {
  if (!isFormPost(c)) throw notAForm();
  const contentType = c.req.header('Content-Type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) return { fields: await readForm(c) };
  if (Number(c.req.header('Content-Length') ?? 0) > MULTIPART_LIMIT) throw tooLarge();
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > MULTIPART_LIMIT) throw tooLarge();
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'Content-Type': contentType } }).formData();
  } catch {
    throw unreadable();
  }
  const fields: Record<string, string> = {};
  let file: Uint8Array | undefined;
  for (const [name, entry] of form) {
    // (workers-types say every entry is a string; a file field's is a File.)
    const value = entry as unknown as File | string;
    if (typeof value !== 'string') {
      if (name !== 'file') throw unreadable();
      if (value.size > 0) file = new Uint8Array(await value.arrayBuffer());
    } else if (value.includes('\uFFFD')) {
      // The platform decodes a text field's invalid UTF-8 as U+FFFD: refused, as readForm refuses it.
      throw unreadable();
    } else fields[name] = value;
  }
  return { fields, ...(file ? { file } : {}) };
}

const utf8 = new TextEncoder();

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', utf8.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const toBase64 = (text: string) => {
  let binary = '';
  for (const byte of utf8.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
};

function fromBase64(encoded: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(encoded), (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

// ——— The page ———

interface PageProps {
  lang: Lang;
  kind: BulkKind;
  /** The pasted text, shown again after a check. */
  pasted?: string;
  /** Problems with the form itself (no file, not UTF-8, a changed text), by field id. */
  formErrors?: { id: string; text: string }[];
  result?: BulkResult;
  /** The checked text, for 「确认导入」. */
  checked?: { encoded: string; hash: string };
  done?: { created: number; updated: number };
}

/** The columns as the page names them (the API keeps their keys). */
const COLUMN_LABELS: Record<string, [zh: string, en: string]> = {
  code: ['单位代码', 'code'],
  name: ['名称', 'name'],
  parent: ['上级单位', 'parent'],
  email: ['邮箱', 'email'],
  role: ['角色', 'role'],
  units: ['所属单位', 'units'],
};
const columnLabel = (t: ReturnType<typeof translator>, field: string) => (COLUMN_LABELS[field] ? t(...COLUMN_LABELS[field]) : field);

const ACTION_TEXT = { create: ['新建', 'New'], update: ['修改', 'Change'], unchanged: ['不变', 'Unchanged'] } as const;

function describeUnit(t: ReturnType<typeof translator>, s: UnitState) {
  return `${s.code} ${s.name} · ${s.parent ? t(`上级 ${s.parent}`, `under ${s.parent}`) : t('顶级单位', 'root')}`;
}
function describePerson(t: ReturnType<typeof translator>, s: PersonState) {
  const role = { clerk: t('填报人', 'clerk'), supervisor: t('审核人', 'supervisor'), admin: t('管理员', 'administrator') }[s.role];
  return `${s.email} ${s.name} · ${role} · ${s.units.length ? s.units.join('；') : t('全部单位', 'every unit')}`;
}

function ResultTable({ lang, kind, result }: { lang: Lang; kind: BulkKind; result: BulkResult }) {
  const t = translator(lang);
  const describe = (s: UnitState | PersonState) => (kind === 'units' ? describeUnit(t, s as UnitState) : describePerson(t, s as PersonState));
  const errorsByLine = new Map<number, BulkProblem[]>();
  for (const e of result.errors) errorsByLine.set(e.line, [...(errorsByLine.get(e.line) ?? []), e]);
  const lines = [...new Set([...result.changes.map((c) => c.line), ...errorsByLine.keys()])].sort((a, b) => a - b);
  const changeAt = new Map<number, BulkResult['changes'][number]>(result.changes.map((c) => [c.line, c]));
  return (
    <div class="table-scroll bulk-result">
      <table class="plain">
        <caption>{t('逐行结果', 'Line by line')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('行', 'Line')}</th>
            <th scope="col">{t('结果', 'Result')}</th>
            <th scope="col">{t('内容', 'Details')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => {
            const change = changeAt.get(line);
            const errors = errorsByLine.get(line);
            return (
              <tr id={`line-${line}`} class={errors ? 'bulk-error' : undefined}>
                <td>{line}</td>
                <td>{errors ? <strong>{t('错误', 'Error')}</strong> : t(ACTION_TEXT[change!.action][0], ACTION_TEXT[change!.action][1])}</td>
                <td>
                  {errors
                    ? errors.map((e) => (
                        <p class="field-message">
                          {e.field ? `${columnLabel(t, e.field)}：` : ''}
                          {t(e.message)}
                        </p>
                      ))
                    : change!.action === 'update'
                      ? `${describe(change!.before!)} → ${describe(change!.after)}`
                      : describe(change!.after)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function BulkPage(p: PageProps) {
  const t = translator(p.lang);
  const r = p.result;
  const counts = r && {
    create: r.changes.filter((c) => c.action === 'create').length,
    update: r.changes.filter((c) => c.action === 'update').length,
    unchanged: r.changes.filter((c) => c.action === 'unchanged').length,
  };
  const summaryErrors = [
    ...(p.formErrors ?? []).map((e) => ({ href: `#${e.id}`, text: e.text })),
    ...(r?.errors ?? []).map((e) => ({ href: `#line-${e.line}`, text: `${t(`第 ${e.line} 行`, `Line ${e.line}`)}${e.field ? ` ${columnLabel(t, e.field)}` : ''}：${t(e.message)}` })),
  ];
  const formError = (id: string) => p.formErrors?.find((e) => e.id === id)?.text;
  return (
    <AdminPage lang={p.lang} title={t('批量导入', 'Bulk set-up')} section="bulk">
      {p.done ? (
        <p class="notice" role="status">
          {t(`已导入：新建 ${p.done.created} 个，修改 ${p.done.updated} 个。`, `Imported: ${p.done.created} created, ${p.done.updated} changed.`)}
        </p>
      ) : null}
      {summaryErrors.length ? (
        <ErrorSummary title={r?.errors.length ? t(`文件中有 ${r.errors.length} 处错误，请改正后重新检查`, `The file has ${r.errors.length} error(s): correct them and check again`) : t('出现问题', 'There is a problem')} errors={summaryErrors} />
      ) : null}

      {r && counts ? (
        <section aria-labelledby="check-heading">
          <h2 id="check-heading">{t('检查结果', 'Check result')}</h2>
          <p>
            {t(
              `新建 ${counts.create} 个，修改 ${counts.update} 个，不变 ${counts.unchanged} 个${r.errors.length ? `，错误 ${r.errors.length} 处` : ''}。`,
              `${counts.create} new, ${counts.update} changed, ${counts.unchanged} unchanged${r.errors.length ? `, ${r.errors.length} error(s)` : ''}.`,
            )}
          </p>
          {p.checked && r.errors.length === 0 && counts.create + counts.update > 0 ? (
            <form method="post" action="/app/admin/bulk" class="form">
              <input type="hidden" name="step" value="apply" />
              <input type="hidden" name="kind" value={p.kind} />
              <input type="hidden" name="csv" value={p.checked.encoded} />
              <input type="hidden" name="hash" value={p.checked.hash} />
              <p>{t('确认后将按上表一次性全部写入（全部成功或全部不写入）。', 'Confirming writes everything above at once (all or nothing).')}</p>
              <Button>{t('确认导入', 'Import')}</Button>
            </form>
          ) : r.errors.length === 0 ? (
            <p class="notice">{t('没有需要修改的内容。', 'Nothing to change.')}</p>
          ) : null}
          <ResultTable lang={p.lang} kind={p.kind} result={r} />
        </section>
      ) : null}

      <h2>{t('选择文件并检查', 'Choose a file and check it')}</h2>
      <p>
        {t(
          '每次导入一种内容：单位或人员。第 1 行为表头，列的顺序不限；文件中没有的单位和人员保持不变，批量导入不会停用任何单位或人员（停用请在单位、人员页面操作）。',
          'One kind per file: units or people. Line 1 is the header, columns in any order. Units and people not in the file are left alone; bulk set-up never deactivates anyone (do that on the units and people pages).',
        )}
      </p>
      <ul class="links">
        <li>
          {t('单位：', 'Units: ')}
          <code>{HEADERS.units}</code>
          {t('（单位代码,单位名称,上级单位代码；上级为空即顶级单位，上级可写在文件后面的行）', ' (a parent may be on a later line; empty for a root)')} · <a href="/app/admin/bulk/units-example.csv" download>{t('下载示例', 'example')}</a>
        </li>
        <li>
          {t('人员：', 'People: ')}
          <code>{HEADERS.people}</code>
          {t('（角色为 clerk 填报人、supervisor 审核人或 admin 管理员；多个单位用分号 ; 分隔，单位须已存在）', ' (role clerk, supervisor or admin; units separated by ";" must exist)')} ·{' '}
          <a href="/app/admin/bulk/people-example.csv" download>
            {t('下载示例', 'example')}
          </a>
        </li>
      </ul>
      <form method="post" action="/app/admin/bulk" enctype="multipart/form-data">
        <input type="hidden" name="step" value="check" />
        <Select
          id="kind"
          name="kind"
          label={t('文件内容', 'The file holds')}
          selected={p.kind}
          options={KINDS.map((k) => ({ value: k, text: k === 'units' ? t('单位', 'Units') : t('人员', 'People') }))}
        />
        <Field
          id="file"
          label={t('CSV 文件', 'CSV file')}
          hint={t('在 Excel 中另存为“CSV UTF-8（逗号分隔）”；WPS 另存为 CSV 时选择 UTF-8 编码。', 'Save as "CSV UTF-8" in Excel; choose UTF-8 when saving CSV in WPS.')}
          error={formError('file')}
        >
          <input id="file" name="file" type="file" accept=".csv,text/csv" {...controlAria('file', { hint: true, error: formError('file') })} />
        </Field>
        <Textarea id="csv-text" name="text" rows={6} label={t('或粘贴 CSV 文本', 'Or paste the CSV text')} hint={t('选择了文件时忽略此处。', 'Ignored when a file is chosen.')} value={p.pasted} />
        <Button>{t('检查', 'Check')}</Button>
      </form>
    </AdminPage>
  );
}

// ——— Routes ———

bulkPages.get('/', (c) => {
  const kind = isKind(c.req.query('kind')) ? (c.req.query('kind') as BulkKind) : 'units';
  const created = Number(c.req.query('created'));
  const updated = Number(c.req.query('updated'));
  const done = Number.isInteger(created) && Number.isInteger(updated) && c.req.query('done') === '1' ? { created, updated } : undefined;
  return c.html(<BulkPage lang={lang(c)} kind={kind} {...(done ? { done } : {})} />);
});

bulkPages.post('/', async (c) => {
  const language = lang(c);
  const t = translator(language);
  const { fields, file } = await readBulkForm(c);
  const kind: BulkKind = isKind(fields.kind) ? fields.kind : 'units';
  const pasted = fields.text ?? '';
  const refuse = (id: string, zh: string, en: string, status: 409 | 422 = 422) =>
    c.html(<BulkPage lang={language} kind={kind} pasted={pasted} formErrors={[{ id, text: t(zh, en) }]} />, status);

  if (fields.step === 'apply') {
    const bytes = fromBase64(fields.csv ?? '');
    const text = bytes && new TextDecoder().decode(bytes);
    if (text === undefined || (await sha256(text)) !== fields.hash) {
      return refuse('file', '导入的内容与检查过的不一致，请重新选择文件并检查。', 'What was sent is not what was checked: choose the file and check it again.', 409);
    }
    const result = await runBulk(c, kind, text, false);
    // Someone changed the units or people since the check: show the file against what is there now.
    if (result.errors.length > 0) return c.html(<BulkPage lang={language} kind={kind} result={result} />, 409);
    const created = result.changes.filter((ch) => ch.action === 'create').length;
    const updated = result.changes.filter((ch) => ch.action === 'update').length;
    return c.redirect(`/app/admin/bulk?kind=${kind}&done=1&created=${created}&updated=${updated}`, 303);
  }

  let text: string;
  try {
    text = file ? csvText(file) : pasted;
  } catch (error) {
    if (error instanceof ApiError) return refuse('file', error.zh, error.en);
    throw error;
  }
  if (text.trim() === '') return refuse('file', '请选择 CSV 文件或粘贴 CSV 文本', 'Choose a CSV file or paste the CSV text');
  const result = await runBulk(c, kind, text, true);
  const checked = { encoded: toBase64(text), hash: await sha256(text) };
  return c.html(<BulkPage lang={language} kind={kind} pasted={file ? '' : pasted} result={result} checked={checked} />, result.errors.length ? 422 : 200);
});

/** The example files: the exact headers, and rows under the administrator's own unit. */
async function example(c: Context<AppEnv>, kind: BulkKind) {
  const [own] = await unitsByIds(c.get('db'), c.get('viewer')!.adminUnitIds);
  const parent = own?.code ?? '';
  const rows =
    kind === 'units'
      ? [
          ['code', 'name', 'parent'],
          ['EXAMPLE-TOWN', '示例镇人民政府', parent],
          ['EXAMPLE-TOWN-01', '示例镇某某村', 'EXAMPLE-TOWN'],
        ]
      : [
          ['email', 'name', 'role', 'units'],
          ['clerk@example.gov.cn', '张三', 'clerk', parent || 'EXAMPLE-TOWN'],
          ['supervisor@example.gov.cn', '李四', 'supervisor', parent || 'EXAMPLE-TOWN'],
        ];
  return c.body(csvDocument(rows), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${kind}-example.csv"`,
  });
}

bulkPages.get('/units-example.csv', (c) => example(c, 'units'));
bulkPages.get('/people-example.csv', (c) => example(c, 'people'));
