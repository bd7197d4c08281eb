// /app/admin/import: bringing in a report published before, in the browser. Three steps, each
// a plain form that works without JavaScript:
// 1. choose the unit (only those the administrator manages), the year and the template (the
//    official format of that year unless chosen), then paste the page's text or HTML or upload
//    the saved .txt/.html/.htm file (UTF-8, or GBK/GB2312/GB18030 when its <meta charset> says so);
// 2. 「识别」 shows what was read in the official layout, every cell an input (anything can be
//    corrected by hand), with the rule check, the narrative sections, the rows the page did not
//    give, the other tables found and every line that could not be placed;
// 3. 「导入」 stores it through the same code as POST /api/v1/admin/import (importPublished):
//    rule failures are kept as issues, an already-published report becomes a correction (its
//    reason asked for), and the page lands on the published report with a confirmation.
// Nothing is stored before step 3; a refused import comes back with every typed value kept.
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { cellCatalog, cellKeys, currentReportYear, getTemplate, templateForYear, TEMPLATES, validate, type Cells, type Issue, type Template } from '../../core';
import { translator, type Lang } from '../../core/i18n';
import { importHtml, importText, type FoundTable, type MissingRow, type TextImport } from '../../core/text-import';
import { canManage } from '../../auth/scope';
import { unitsByIds } from '../../auth/directory';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../http/errors';
import { readForm } from '../../http/form';
import { publicationTime, REPORT_YEARS } from '../../http/input';
import { lang } from '../../http/lang';
import { findUnit, listUnits, loadPublished } from '../../publication/queries';
import { AdminPage } from '../../views/admin-page';
import { Button, ErrorSummary, Select, Textarea, TextInput } from '../../views/forms';
import { OfficialReport, OfficialTable } from '../../views/report-table';
import { htmlTokens } from './html-tokens';
import { ImportBody, importPublished } from './import';

export const importPages = new Hono<AppEnv>();

/** The largest upload read: a saved government page with its site is a few hundred KB. */
const UPLOAD_LIMIT = 6 * 1024 * 1024;
const FILE_TYPES = /\.(txt|html?)$/i;

interface Unit {
  code: string;
  name: string;
}

/** The units this administrator may import into, by code. */
async function managedUnits(c: Context<AppEnv>): Promise<Unit[]> {
  const viewer = c.get('viewer')!;
  if (viewer.manageUnitIds === null) return (await listUnits(c.get('db'), null)).filter((u) => u.active).map(({ code, name }) => ({ code, name }));
  return (await unitsByIds(c.get('db'), viewer.manageUnitIds)).map(({ code, name }) => ({ code, name }));
}

// ---------------------------------------------------------------------------------------------
// Step 1: choose and paste or upload
// ---------------------------------------------------------------------------------------------

interface ChooseForm {
  unit: string;
  year: string;
  template: string;
  source: string;
}

function ChoosePage(p: { lang: Lang; units: Unit[]; form: ChooseForm; errors: Record<string, string> }) {
  const t = translator(p.lang);
  const field = (name: keyof ChooseForm | 'file') => ({ id: `import-${name}`, name, error: p.errors[name] });
  return (
    <AdminPage lang={p.lang} title={t('导入旧报告', 'Import a report')} section="import">
      <Errors lang={p.lang} errors={p.errors} />
      <p>
        {t(
          '粘贴已发布报告的网页文字或 HTML，或上传保存的网页文件。识别后您可以逐格核对、修改，再导入；导入前不会保存任何内容。',
          'Paste the text or HTML of the published report, or upload the saved page. You check and correct every cell before importing; nothing is stored until then.',
        )}
      </p>
      <form method="post" action="/app/admin/import/read" enctype="multipart/form-data" class="form">
        <Select
          {...field('unit')}
          label={t('单位', 'Unit')}
          options={[{ value: '', text: t('请选择', 'Choose') }, ...p.units.map((u) => ({ value: u.code, text: `${u.name}（${u.code}）` }))]}
          selected={p.form.unit}
        />
        <TextInput {...field('year')} label={t('报告年度', 'Report year')} inputmode="numeric" autocomplete="off" value={p.form.year} class="field-short" />
        <Select
          {...field('template')}
          label={t('报告格式', 'Template')}
          hint={t('默认为该年度的正式格式', 'By default the official format of that year')}
          options={[{ value: '', text: t('按年度自动选择', 'The year’s format') }, ...TEMPLATES.map((tpl) => ({ value: tpl.id, text: `${tpl.id} · ${tpl.title}` }))]}
          selected={p.form.template}
        />
        <Textarea
          {...field('source')}
          label={t('报告的文字或 HTML', 'The report’s text or HTML')}
          hint={t('从网页或 PDF 复制全文粘贴到这里；也可以粘贴网页源代码。', 'Copy the whole page or PDF and paste it here, or paste the page’s HTML source.')}
          rows={10}
          value={p.form.source}
        />
        <div class={p.errors.file ? 'field field-error' : 'field'}>
          <label for="import-file">{t('或上传文件（.txt、.html、.htm）', 'Or upload a file (.txt, .html, .htm)')}</label>
          {p.errors.file ? (
            <p class="field-message" id="import-file-error">
              {p.errors.file}
            </p>
          ) : null}
          <input id="import-file" name="file" type="file" accept=".txt,.html,.htm,text/plain,text/html" aria-describedby={p.errors.file ? 'import-file-error' : undefined} />
        </div>
        <Button>{t('识别', 'Read it')}</Button>
      </form>
    </AdminPage>
  );
}

function Errors({ lang: language, errors }: { lang: Lang; errors: Record<string, string> }) {
  const t = translator(language);
  const entries = Object.entries(errors);
  if (!entries.length) return null;
  return <ErrorSummary title={t('请更正以下问题', 'There is a problem')} errors={entries.map(([name, text]) => ({ href: `#${fieldIdOf(name)}`, text }))} />;
}

/** The id of the control a field name is typed in (cells and sections have keys with dots). */
const fieldIdOf = (name: string) => `import-${name.replace(/\./g, '-')}`;

importPages.get('/', async (c) => {
  const units = await managedUnits(c);
  const year = String(currentReportYear(Date.now()) - 1);
  return c.html(ChoosePage({ lang: lang(c), units, form: { unit: units.length === 1 ? units[0]!.code : '', year, template: '', source: '' }, errors: {} }));
});

const unreadableForm = () => new ApiError(400, 'malformed_form', '无法读取提交的表单。', 'The submitted form could not be read.');

/** A form post with a file: its text fields, and the file's name and bytes (none when no file was chosen). */
async function readUpload(c: Context<AppEnv>): Promise<{ fields: Record<string, string>; file?: { name: string; bytes: Uint8Array } }> {
  const type = (c.req.header('Content-Type') ?? '').toLowerCase();
  if (!type.startsWith('multipart/form-data')) return { fields: await readForm(c) };
  if (Number(c.req.header('Content-Length') ?? 0) > UPLOAD_LIMIT) throw new ApiError(413, 'payload_too_large', '上传的内容过大。', 'The upload is too large.');
  const body = await c.req.arrayBuffer();
  if (body.byteLength > UPLOAD_LIMIT) throw new ApiError(413, 'payload_too_large', '上传的内容过大。', 'The upload is too large.');
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'Content-Type': c.req.header('Content-Type')! } }).formData();
  } catch {
    throw unreadableForm();
  }
  const fields: Record<string, string> = {};
  let file: { name: string; bytes: Uint8Array } | undefined;
  for (const [name, entry] of form.entries()) {
    // (Workers' types say string; a file part is a File.)
    const value = entry as unknown;
    if (typeof value === 'string') fields[name] = value;
    else if (name !== 'file') throw unreadableForm(); // a file where our form has text
    else if (value instanceof File && value.size > 0) file = { name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) };
  }
  // Without a file the whole body is our text fields: UTF-8, as readForm insists (no silent U+FFFD).
  // (With one, the file may be GBK: it is decoded on its own, decodeUpload.)
  if (!file) {
    try {
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
    } catch {
      throw unreadableForm();
    }
  }
  return { fields, ...(file ? { file } : {}) };
}

/** The encodings a Chinese government page is saved in, as a <meta charset> may name them. */
const CHARSETS: Record<string, string> = { 'utf-8': 'utf-8', utf8: 'utf-8', gbk: 'gbk', gb2312: 'gbk', 'x-gbk': 'gbk', gb18030: 'gb18030' };

/**
 * A file's text: UTF-8 (with or without BOM), or the GBK family when its <meta charset> says so.
 * Undefined when it is neither (the page then asks for UTF-8).
 */
export function decodeUpload(bytes: Uint8Array): string | undefined {
  // The charset declaration is ASCII near the top of the file, whatever the encoding (as browsers prescan).
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const declared = /<meta[^>]*charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  const label = (declared && CHARSETS[declared]) || 'utf-8';
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

const looksLikeHtml = (s: string) => /<\s*(?:html|body|table|tr|td|p|div|span|br)\b/i.test(s);

importPages.post('/read', async (c) => {
  const language = lang(c);
  const t = translator(language);
  const { fields, file } = await readUpload(c);
  const units = await managedUnits(c);
  const form: ChooseForm = { unit: fields.unit ?? '', year: fields.year ?? '', template: fields.template ?? '', source: fields.source ?? '' };
  const errors: Record<string, string> = {};
  const unit = await unitInScope(c, form.unit, errors);
  const year = Number(form.year.normalize('NFKC').trim());
  if (!/^\d{4}$/.test(form.year.normalize('NFKC').trim()) || year < REPORT_YEARS.first || year > REPORT_YEARS.last)
    errors.year = t(`请输入报告年度，例如 ${currentReportYear(Date.now()) - 1}`, `Enter the report’s year, e.g. ${currentReportYear(Date.now()) - 1}`);
  const template = form.template ? getTemplate(form.template) : errors.year ? undefined : templateForYear(year);
  if (form.template && !template) errors.template = t('请选择报告格式', 'Choose a template');
  let source = form.source;
  if (file) {
    const text = FILE_TYPES.test(file.name) ? decodeUpload(file.bytes) : undefined;
    if (!FILE_TYPES.test(file.name)) errors.file = t('只能上传 .txt、.html 或 .htm 文件', 'Upload a .txt, .html or .htm file');
    else if (text === undefined) errors.file = t('无法读取文件：请另存为 UTF-8，或在网页的 <meta charset> 中注明 GBK 编码', 'The file could not be read: save it as UTF-8, or declare GBK in its <meta charset>');
    else source = text;
  }
  if (!errors.file && !source.trim()) errors.source = t('请粘贴报告的文字或 HTML，或上传文件', 'Paste the report’s text or HTML, or upload a file');
  if (Object.keys(errors).length || !unit || !template) {
    return c.html(ChoosePage({ lang: language, units, form, errors }), errors.unit === OUT_OF_SCOPE(language) ? 403 : 422);
  }
  const read = looksLikeHtml(source) ? importHtml(template, await htmlTokens(source)) : importText(template, source);
  const published = await loadPublished(c.get('db'), unit.code, year);
  const state: ReviewState = {
    unit,
    year,
    template,
    cells: Object.fromEntries(cellKeys(template).map((k) => [k, show(read.cells[k])])),
    sections: read.sections,
    publishedAt: read.publishedDate ?? '',
    reason: '',
    correction: !!published,
    read: { missing: read.missing, tables: read.tables, unmatched: read.unmatched },
  };
  return c.html(ReviewPage({ lang: language, state, errors: {} }));
});

const OUT_OF_SCOPE = (language: Lang) => translator(language)('该单位不在您管理的范围内', 'That unit is outside the units you manage');

/** The unit of the form, if it exists and this administrator manages it; otherwise the error on `unit`. */
async function unitInScope(c: Context<AppEnv>, code: string, errors: Record<string, string>): Promise<Unit | undefined> {
  const t = translator(lang(c));
  if (!code) {
    errors.unit = t('请选择单位', 'Choose a unit');
    return undefined;
  }
  const unit = await findUnit(c.get('db'), code);
  if (!unit) {
    errors.unit = t(`没有代码为“${code}”的单位`, `There is no unit with code "${code}"`);
    return undefined;
  }
  if (!canManage(c.get('viewer'), unit.id)) {
    errors.unit = OUT_OF_SCOPE(lang(c));
    return undefined;
  }
  return { code: unit.code, name: unit.name };
}

// ---------------------------------------------------------------------------------------------
// Step 2: what was read, every cell correctable
// ---------------------------------------------------------------------------------------------

/** What the reading found besides cells and sections: carried through the form to survive a refusal. */
const ReadReport = v.object({
  missing: v.array(v.object({ row: v.string(), label: v.string() })),
  tables: v.array(
    v.object({
      title: v.string(),
      recognised: v.string(),
      name: v.optional(v.string()),
      column: v.optional(v.string()),
      rows_mapped: v.array(v.object({ label: v.string(), cells: v.array(v.string()), values: v.array(v.nullable(v.number())) })),
      rows_unmapped: v.array(v.object({ label: v.string(), values: v.array(v.nullable(v.number())) })),
    }),
  ),
  unmatched: v.array(v.string()),
});
type ReadReportData = Pick<TextImport, 'missing' | 'tables' | 'unmatched'>;

interface ReviewState {
  unit: Unit;
  year: number;
  template: Template;
  /** Each cell as typed (a number's text, or '' for blank). */
  cells: Record<string, string>;
  sections: Record<string, string>;
  /** YYYY-MM-DD (or an RFC 3339 time), as read or typed. */
  publishedAt: string;
  reason: string;
  /** The report is published already: importing it is a correction, with a reason. */
  correction: boolean;
  read: ReadReportData;
}

const show = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
const cellField = (key: string) => `cell.${key}`;
const sectionField = (key: string) => `section.${key}`;

function ReviewPage(p: { lang: Lang; state: ReviewState; errors: Record<string, string> }) {
  const t = translator(p.lang);
  const { state } = p;
  const template = state.template;
  const catalog = cellCatalog(template);
  const parsed = parseCells(template, state.cells);
  const issues = validate(template, parsed.cells);
  const values = (list: (number | null)[]) => list.map((n) => (n === null ? '—' : String(n))).join(' / ');
  const cellInput = (key: string) => {
    const name = cellField(key);
    const id = fieldIdOf(name);
    const error = p.errors[name];
    const wrong = error !== undefined || issues.some((i) => i.severity === 'error' && i.cells[0] === key);
    return (
      <input
        id={id}
        name={name}
        type="text"
        inputmode={catalog.get(key)!.measure.decimals > 0 ? 'decimal' : 'numeric'}
        autocomplete="off"
        value={state.cells[key] ?? ''}
        aria-label={catalog.get(key)!.name}
        aria-invalid={wrong ? 'true' : undefined}
      />
    );
  };
  return (
    <AdminPage lang={p.lang} title={t(`核对并导入：${state.unit.name} ${state.year} 年度`, `Check and import: ${state.unit.name}, ${state.year}`)} section="import">
      <Errors lang={p.lang} errors={p.errors} />
      <form method="post" action="/app/admin/import" class="form import-review">
        <input type="hidden" name="unit" value={state.unit.code} />
        <input type="hidden" name="year" value={String(state.year)} />
        <input type="hidden" name="template" value={template.id} />
        <input type="hidden" name="read" value={JSON.stringify(state.read)} />
        {state.correction ? <input type="hidden" name="correction" value="1" /> : null}
        <p>
          {t(`报告格式：${template.id} · ${template.title}。`, `Template: ${template.id} · ${template.title}.`)} <a href="/app/admin/import">{t('重新选择', 'Start again')}</a>
        </p>

        <section>
          <h2>{t('规则检查', 'Rule check')}</h2>
          {issues.length === 0 ? (
            <p>{t('没有发现问题。', 'No problems found.')}</p>
          ) : (
            <>
              <p>{t('导入时照原样保存，问题会随报告保留。', 'The report is stored as published; these stay with it as issues.')}</p>
              <ul class="messages" data-issues="">
                {issues.map((i) => (
                  <li class={i.severity}>
                    {i.severity === 'error' ? t('错误：', 'Error: ') : t('提示：', 'Warning: ')}
                    {t(i.message)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <MissingRows lang={p.lang} missing={state.read.missing} />
        <OtherTables lang={p.lang} tables={state.read.tables.filter((tb) => tb.recognised === 'other')} values={values} />
        {state.read.unmatched.length ? (
          <section>
            <h2>{t(`未能对应的行（${state.read.unmatched.length}）`, `Lines not placed (${state.read.unmatched.length})`)}</h2>
            <ul class="unmatched" data-unmatched="">
              {state.read.unmatched.map((line) => (
                <li>
                  <code>{line}</code>
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        {template.parts.map((part) => {
          if (part.type === 'section') {
            const section = template.sections.find((s) => s.key === part.key)!;
            const name = sectionField(part.key);
            return <Textarea id={fieldIdOf(name)} name={name} label={section.title} rows={8} value={state.sections[part.key] ?? ''} error={p.errors[name]} />;
          }
          return (
            <section class="report-section">
              <h2>{part.title}</h2>
              <OfficialTable layout={part.layout} cells={parsed.cells} label={part.title} renderValue={cellInput} />
            </section>
          );
        })}

        <TextInput
          id={fieldIdOf('published_at')}
          name="published_at"
          label={t('原发布日期', 'Date it was published')}
          hint={t('例如 2019-01-16（北京时间）', 'e.g. 2019-01-16 (Beijing time)')}
          value={state.publishedAt}
          error={p.errors.published_at}
          autocomplete="off"
        />
        {state.correction ? (
          <Textarea
            id={fieldIdOf('reason')}
            name="reason"
            label={t('更正原因', 'Reason for the correction')}
            hint={t('该报告已经发布，导入将生成新版本（更正），原因会公开显示。', 'This report is published already: importing makes a new version (a correction); the reason is shown publicly.')}
            rows={3}
            value={state.reason}
            error={p.errors.reason}
          />
        ) : null}
        <Button>{state.correction ? t('导入并更正', 'Import as a correction') : t('导入', 'Import')}</Button>
      </form>
    </AdminPage>
  );
}

function MissingRows({ lang: language, missing }: { lang: Lang; missing: MissingRow[] }) {
  const t = translator(language);
  if (!missing.length) return null;
  return (
    <section>
      <h2>{t(`没有读到的行（${missing.length}）`, `Rows not found (${missing.length})`)}</h2>
      <p>{t('原文中没有找到这些行的数值，请核对后在表中填写，或保留空白。', 'No value was found for these rows: fill them in the table below, or leave them blank.')}</p>
      <ul class="missing" data-missing="">
        {missing.map((m) => (
          <li data-row={m.row}>{m.label}</li>
        ))}
      </ul>
    </section>
  );
}

function OtherTables({ lang: language, tables, values }: { lang: Lang; tables: FoundTable[]; values: (list: (number | null)[]) => string }) {
  const t = translator(language);
  if (!tables.length) return null;
  return (
    <section>
      <h2>{t('不属于该格式的表格', 'Tables not in this format')}</h2>
      {tables.map((table) => (
        <div class="other-table" data-other-table="">
          <h3>{table.name ? `${table.title}（${table.name}）` : table.title}</h3>
          {table.rows_mapped.length ? (
            <>
              <p>{t(`以下各行（${table.column ?? ''}列）已填入对应单元格：`, `These rows (column ${table.column ?? ''}) were put into the matching cells:`)}</p>
              <ul>
                {table.rows_mapped.map((r) => (
                  <li>
                    {r.label} → <code>{r.cells.join('、')}</code>：{values(r.values)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {table.rows_unmapped.length ? (
            <>
              <p>{t('以下各行在该格式中没有对应的单元格，未导入：', 'These rows have no cell in this format and are not imported:')}</p>
              <ul>
                {table.rows_unmapped.map((r) => (
                  <li>
                    {r.label}：{values(r.values)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ))}
    </section>
  );
}

/** Typed cells to numbers: blank, / or a dash is blank; 1,234 and full-width digits are read; anything else is an error on that cell. */
function parseCells(template: Template, typed: Record<string, string>): { cells: Cells; errors: Record<string, string> } {
  const cells: Cells = {};
  const errors: Record<string, string> = {};
  const catalog = cellCatalog(template);
  for (const key of cellKeys(template)) {
    const text = (typed[key] ?? '').normalize('NFKC').replace(/\s+/g, '');
    if (text === '' || /^[-—–/]{1,3}$/.test(text)) {
      cells[key] = null;
      continue;
    }
    const compact = text.replace(/,(?=\d{3}(?:\D|$))/g, '');
    const n = /^-?\d+(?:\.\d+)?$/.test(compact) ? Number(compact) : NaN;
    if (Number.isFinite(n)) cells[key] = n;
    else {
      cells[key] = null;
      errors[cellField(key)] = `${catalog.get(key)!.name}：${text}`;
    }
  }
  return { cells, errors };
}

// ---------------------------------------------------------------------------------------------
// Step 3: import
// ---------------------------------------------------------------------------------------------

importPages.post('/', async (c) => {
  const language = lang(c);
  const t = translator(language);
  const fields = await readForm(c);
  const errors: Record<string, string> = {};
  const unit = await unitInScope(c, fields.unit ?? '', errors);
  if (!unit) {
    // Nothing to show a report for: back to the first step, with the reason.
    return c.html(ChoosePage({ lang: language, units: await managedUnits(c), form: { unit: '', year: fields.year ?? '', template: '', source: '' }, errors }), errors.unit === OUT_OF_SCOPE(language) ? 403 : 422);
  }
  const template = getTemplate(fields.template ?? '');
  const year = Number(fields.year);
  if (!template || !Number.isInteger(year)) throw unreadableForm();
  let read: ReadReportData = { missing: [], tables: [], unmatched: [] };
  try {
    const parsedRead = v.safeParse(ReadReport, JSON.parse(fields.read ?? '{}'));
    if (parsedRead.success) read = parsedRead.output;
  } catch {
    // A missing or damaged summary of the reading only loses the lists shown beside the form.
  }
  const published = await loadPublished(c.get('db'), unit.code, year);
  const state: ReviewState = {
    unit,
    year,
    template,
    cells: Object.fromEntries(cellKeys(template).map((k) => [k, fields[cellField(k)] ?? ''])),
    sections: Object.fromEntries(template.sections.map((s) => [s.key, fields[sectionField(s.key)] ?? ''])),
    publishedAt: (fields.published_at ?? '').trim(),
    reason: (fields.reason ?? '').trim(),
    correction: !!published,
    read,
  };
  const parsed = parseCells(template, state.cells);
  for (const [name, text] of Object.entries(parsed.errors)) errors[name] = t(`不是数字：${text}`, `Not a number: ${text}`);
  if (!v.is(publicationTime, state.publishedAt)) errors.published_at = t('请输入原发布日期，例如 2019-01-16', 'Enter the date it was published, e.g. 2019-01-16');
  if (state.correction && !state.reason) errors.reason = t('该报告已发布：请说明更正原因', 'The report is published: give the reason for the correction');

  if (!Object.keys(errors).length) {
    const body = v.safeParse(ImportBody, {
      unit: unit.code,
      year,
      template: template.id,
      sections: state.sections,
      cells: parsed.cells,
      published_at: state.publishedAt,
      ...(state.reason ? { reason: state.reason } : {}),
    });
    if (!body.success) {
      for (const issue of body.issues) {
        const name = (issue.path ?? []).map((p) => String(p.key)).join('.') || 'published_at';
        const [zh, en] = issue.message.split('|');
        errors[name.startsWith('sections.') ? `section.${name.slice(9)}` : name] = language === 'en' ? (en ?? zh!) : zh!;
      }
    } else {
      try {
        const result = await importPublished(c, body.output);
        return c.redirect(`/app/admin/import/done?unit=${encodeURIComponent(unit.code)}&year=${year}&result=${result.result}`, 303);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        const message = language === 'en' ? error.en : error.zh;
        if (!error.details.length) errors.unit = message;
        for (const d of error.details) {
          const name = d.field ?? 'unit';
          errors[name.startsWith('sections.') ? `section.${name.slice(9)}` : name] = d.message;
        }
      }
    }
  }
  return c.html(ReviewPage({ lang: language, state, errors }), 422);
});

importPages.get('/done', async (c) => {
  const language = lang(c);
  const t = translator(language);
  const code = c.req.query('unit') ?? '';
  const year = Number(c.req.query('year'));
  const unit = await findUnit(c.get('db'), code);
  if (!unit || !canManage(c.get('viewer'), unit.id) || !Number.isInteger(year)) throw new ApiError(404, 'not_found', '找不到该资源。', 'Not found.');
  const report = await loadPublished(c.get('db'), code, year);
  if (!report) throw new ApiError(404, 'not_found', '找不到该资源。', 'Not found.');
  const result = c.req.query('result');
  const issues: Issue[] = validate(report.template, report.content.cells);
  const heading =
    result === 'unchanged'
      ? t('内容与已发布的版本相同，未写入新版本', 'Identical to the published version: nothing was written')
      : result === 'corrected'
        ? t(`已导入并发布为第 ${report.shown.version} 版（更正）`, `Imported and published as version ${report.shown.version} (a correction)`)
        : t('已导入并发布', 'Imported and published');
  return c.html(
    <AdminPage lang={language} title={t(`${report.unitName} ${year} 年度报告`, `${report.unitName}, ${year}`)} section="import">
      <div class="confirmation" role="status">
        <h2>{heading}</h2>
        <p>
          <a href={`/reports/${encodeURIComponent(code)}/${year}`}>{t('查看公开页面', 'See the public page')}</a> ·{' '}
          <a href="/app/admin/import">{t('再导入一份', 'Import another')}</a>
        </p>
      </div>
      {issues.length ? (
        <section>
          <h2>{t('随报告保留的问题', 'Issues kept with the report')}</h2>
          <ul class="messages" data-issues="">
            {issues.map((i) => (
              <li class={i.severity}>{t(i.message)}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <OfficialReport template={report.template} sections={report.content.sections} cells={report.content.cells} />
    </AdminPage>,
  );
});
