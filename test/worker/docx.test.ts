// The Word export through the real Worker: GET /reports/{unit}/{year}.docx (published versions
// only) and /app/reports/{unit}/{year}.docx (the clerk's report as it stands, signed in and in
// scope). Each file is unzipped here by a reader of our own (central directory, then each entry
// inflated with DecompressionStream) and its word/document.xml read: the title, every paragraph
// of the narrative, and every table cell by cell against the official layout grid — text,
// gridSpan across and vMerge down where the layout merges.
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTemplate, type Layout, type Template } from '../../src/core';
import { BASE, get, importReport, insertDraft, JINTANG, jintangBody, putUnit, send } from './publication-helpers';
import { publishReport, sessionCookie } from './report-helpers';

const UNIT = 'JT-330903-101';
const TITLE = '金塘镇2018年政府信息公开工作年度报告';
const LEGACY = getTemplate('legacy-2014')!;
const GOV = getTemplate('gov-2021')!;
/** A gov-2021 report whose every cell holds a different figure, so a cell in the wrong place shows. */
const GOV_YEAR = 2022;
const DRAFT_YEAR = 2023;
const govCells = Object.fromEntries(GOV.tables.flatMap((t) => t.rows.flatMap((r) => t.columns.map((c) => `${t.key}.${r.key}.${c.key}`))).map((k, i) => [k, 1000 + i]));

// ---------------------------------------------------------------------------------------------
// Reading a .docx: ZIP (APPNOTE 4.3) and the parts of WordprocessingML the tests look at
// ---------------------------------------------------------------------------------------------

async function unzip(bytes: Uint8Array): Promise<Map<string, string>> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  expect(view.getUint32(end, true), 'end of central directory').toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true), 'central directory record').toBe(0x02014b50);
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    expect(view.getUint32(local, true), `local header of ${name}`).toBe(0x04034b50);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const raw = bytes.slice(start, start + compressed);
    const data = method === 0 ? raw : new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer());
    expect(data.length, `size of ${name}`).toBe(size);
    files.set(name, new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data));
    at += 46 + nameLength + extra;
  }
  return files;
}

const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** Every element closed in order, attributes quoted, no stray & or <: well-formed enough to trust the rest. */
function expectWellFormed(xml: string, name: string) {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"'), `${name} declaration`).toBe(true);
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const token = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of body.matchAll(token)) {
    if (m[6]) throw new Error(`${name}: a stray < at ${m.index}: ${body.slice(m.index, m.index + 60)}`);
    if (m[5] !== undefined) {
      expect(/&(?!(amp|lt|gt|quot|apos);)/.test(m[5]), `${name}: a bare & in ${m[5].slice(0, 60)}`).toBe(false);
      continue;
    }
    if (m[1]) expect(stack.pop(), `${name}: </${m[2]}> closes`).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]!);
  }
  expect(stack, `${name}: unclosed elements`).toEqual([]);
}

interface DocCell {
  text: string;
  span: number;
  merge: 'restart' | 'continue' | null;
}

const textOf = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescapeXml(m[1]!)).join('');

/** The document's tables, row by row, cell by cell. */
function tables(documentXml: string): DocCell[][][] {
  return [...documentXml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) =>
    [...t[1]!.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((r) =>
      [...r[1]!.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => {
        const merge = /<w:vMerge( w:val="restart")?\/>/.exec(c[1]!);
        return { text: textOf(c[1]!), span: Number(/<w:gridSpan w:val="(\d+)"\/>/.exec(c[1]!)?.[1] ?? 1), merge: merge ? (merge[1] ? 'restart' : 'continue') : null };
      }),
    ),
  );
}

/** The paragraphs of the body outside tables, as text, with their style. */
function paragraphs(documentXml: string): { style: string; text: string }[] {
  const outside = documentXml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '');
  return [...outside.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map((p) => ({ style: /<w:pStyle w:val="(\w+)"\/>/.exec(p[1]!)?.[1] ?? '', text: textOf(p[1]!) }));
}

/**
 * The table is the layout: each Word row has the layout row's cells in order (text, gridSpan =
 * colspan, vMerge restart where rowspan > 1) plus a vMerge continuation wherever a cell from a
 * row above reaches down, and spans exactly the layout's columns.
 */
function expectLayout(table: DocCell[][], layout: Layout, cells: Record<string, number | null>, at: string) {
  const rows = [...layout.head, ...layout.body];
  expect(table.length, `${at}: rows`).toBe(rows.length);
  const reaching = new Array<number>(rows.length).fill(0);
  const headRows = layout.head.length;
  rows.forEach((row, r) => {
    const word = table[r]!;
    const own = word.filter((c) => c.merge !== 'continue');
    const expected = row.map((cell) => ({
      text: cell.kind === 'value' ? (cell.cell ? String(cells[cell.cell] ?? '') : '') : (cell.text ?? ''),
      span: cell.colspan ?? 1,
      merge: (cell.rowspan ?? 1) > 1 ? 'restart' : null,
    }));
    expect(own, `${at}: row ${r + 1}`).toEqual(expected);
    expect(word.filter((c) => c.merge === 'continue').length, `${at}: row ${r + 1} continues the cells above`).toBe(reaching[r]);
    expect(word.reduce((n, c) => n + c.span, 0), `${at}: row ${r + 1} spans the grid`).toBe(layout.columns);
    // A tall cell reaches into the rows below it, within its own part (head or body).
    row.forEach((cell) => {
      const limit = r < headRows ? headRows : rows.length;
      for (let i = r + 1; i < Math.min(limit, r + (cell.rowspan ?? 1)); i++) reaching[i]!++;
    });
  });
}

function expectTablesOf(template: Template, documentXml: string, cells: Record<string, number | null>) {
  const parts = template.parts.filter((p) => p.type === 'tables');
  const found = tables(documentXml);
  expect(found).toHaveLength(parts.length);
  parts.forEach((part, i) => expectLayout(found[i]!, part.layout, cells, part.title));
}

async function docx(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  const files = await unzip(new Uint8Array(await res.arrayBuffer()));
  return { files, document: files.get('word/document.xml') ?? '' };
}

const filenameOf = (res: Response) => decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? '');

beforeAll(async () => {
  await putUnit('ZS-DH', '定海区人民政府');
  await putUnit(UNIT, '金塘镇', 'ZS-DH');
  await putUnit('BQ-330902-102', '白泉镇', 'ZS-DH');
  expect((await importReport(jintangBody())).status).toBe(201);
  await publishReport(UNIT, GOV_YEAR, govCells);
  await insertDraft(UNIT, DRAFT_YEAR);
}, 30_000);

describe('the public Word document of the reference report (金塘镇 2018)', () => {
  it('is a download named by its title, cached and revalidated like the page', async () => {
    const res = await get(`/reports/${UNIT}/2018.docx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename="JT-330903-101-2018\.docx"; filename\*=UTF-8''/);
    expect(filenameOf(res)).toBe(`${TITLE}.docx`);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(res.headers.get('Last-Modified')).toBeTruthy();
    const etag = res.headers.get('ETag');
    expect(etag).toBeTruthy();
    expect((await get(`/reports/${UNIT}/2018.docx`, { 'If-None-Match': etag! })).status).toBe(304);
  });

  it('is a complete WordprocessingML package: every part related, typed and well-formed', async () => {
    const { files } = await docx(await get(`/reports/${UNIT}/2018.docx`));
    expect([...files.keys()][0]).toBe('[Content_Types].xml');
    for (const part of ['_rels/.rels', 'word/document.xml', 'word/_rels/document.xml.rels', 'word/styles.xml', 'word/settings.xml', 'word/footer1.xml', 'word/fontTable.xml']) {
      expect(files.has(part), part).toBe(true);
    }
    for (const [name, xml] of files) expectWellFormed(xml, name);
    const types = files.get('[Content_Types].xml')!;
    for (const name of files.keys()) {
      if (name.endsWith('.rels') || name === '[Content_Types].xml') continue;
      expect(types, `${name} has a content type`).toContain(`PartName="/${name}"`);
    }
    const rels = files.get('word/_rels/document.xml.rels')!;
    for (const target of ['styles.xml', 'settings.xml', 'footer1.xml', 'fontTable.xml']) expect(rels).toContain(`Target="${target}"`);
    expect(files.get('_rels/.rels')).toContain('Target="word/document.xml"');
  });

  it('has the official page: A4 portrait, government margins, 「— PAGE —」 in the footer, East Asian fonts', async () => {
    const { files, document } = await docx(await get(`/reports/${UNIT}/2018.docx`));
    expect(document).toContain('<w:pgSz w:w="11906" w:h="16838"/>');
    expect(document).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588"/);
    expect(document).toContain('<w:footerReference w:type="default" r:id="rIdFooter"/>');
    const footer = files.get('word/footer1.xml')!;
    expect(footer).toContain('<w:instrText xml:space="preserve"> PAGE </w:instrText>');
    expect(textOf(footer)).toBe('— 1 —');
    const styles = files.get('word/styles.xml')!;
    expect(styles).toContain('w:eastAsia="仿宋_GB2312"');
    expect(styles).toContain('w:eastAsia="黑体"');
    expect(styles).toMatch(/w:styleId="Body">[\s\S]*?<w:sz w:val="32"\/>/); // 三号
  });

  it('holds the title, every paragraph of the narrative, and the statistics table cell by cell', async () => {
    const { document } = await docx(await get(`/reports/${UNIT}/2018.docx`));
    const shown = paragraphs(document);
    expect(shown[0]).toEqual({ style: 'Title', text: TITLE });
    const texts = shown.map((p) => p.text);
    for (const paragraph of JINTANG.sections.body.split(/\n+/).filter((p) => p.trim())) expect(texts).toContain(paragraph.trim());
    // Its own headings are headings (黑体), not body text.
    expect(shown.find((p) => p.text === '一、主要工作情况')?.style).toBe('Heading1');
    expect(shown.find((p) => p.text === '政府信息公开情况统计表')?.style).toBe('TableTitle');
    expectTablesOf(LEGACY, document, JINTANG.cells as Record<string, number | null>);
    // The 16 figures of the reference (templates.md), 259 among them, are in the table.
    const statistics = tables(document)[0]!;
    expect(statistics.find((row) => row[0]!.text === '其中：主动公开规范性文件数')?.[2]?.text).toBe('0');
    expect(statistics.flat().filter((c) => c.text === '259')).toHaveLength(2);
    // The 落款 where the seal goes: the unit and the day it was published.
    expect(texts.slice(-2)).toEqual(['金塘镇', '2019年1月16日']);
  });

  it('version 1 asked for is the same report; a version that does not exist is a 404', async () => {
    const res = await get(`/reports/${UNIT}/2018.docx?version=1`);
    expect(paragraphs((await docx(res)).document)[0]!.text).toBe(TITLE);
    expect((await get(`/reports/${UNIT}/2018.docx?version=2`)).status).toBe(404);
  });
});

describe('a gov-2021 report: the tables with their merged header cells', () => {
  it('draws 二, 三 and 四 as the official grids, every figure in its cell', async () => {
    const { document } = await docx(await get(`/reports/${UNIT}/${GOV_YEAR}.docx`));
    expectTablesOf(GOV, document, govCells);
    const [, applications, appeals] = tables(document);
    // 三: the note spans the three label columns and the three header rows; 申请人情况 spans the seven figures.
    expect(applications![0]!.slice(0, 2)).toEqual([
      { text: expect.stringContaining('勾稽关系'), span: 3, merge: 'restart' },
      { text: '申请人情况', span: 7, merge: null },
    ]);
    // 三、本年度办理结果 runs down the rows of the results: one restart, continued below.
    const results = applications!.findIndex((row) => row[0]!.text === '三、本年度办理结果');
    expect(applications![results]![0]!.merge).toBe('restart');
    expect(applications![results + 1]![0]).toEqual({ text: '', span: 1, merge: 'continue' });
    // 四: 行政复议 over five columns, 行政诉讼 over ten; one row of fifteen figures.
    expect(appeals![0]).toEqual([
      { text: '行政复议', span: 5, merge: null },
      { text: '行政诉讼', span: 10, merge: null },
    ]);
    expect(appeals!.at(-1)!.map((c) => c.text)).toEqual(Object.keys(govCells).filter((k) => k.startsWith('appeals.')).map((k) => String(govCells[k])));
    // Figures right-aligned, labels left, headings centred.
    expect(document).toMatch(/<w:jc w:val="right"\/><\/w:pPr><w:r><w:rPr>[^]*?<w:t xml:space="preserve">1000<\/w:t>/);
  });
});

describe('drafts', () => {
  it('are never public: the public .docx of a year only drafted is a 404', async () => {
    const res = await get(`/reports/${UNIT}/${DRAFT_YEAR}.docx`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('SECRET-DRAFT');
    expect((await get('/reports/NO-SUCH/2018.docx')).status).toBe(404);
    expect((await get(`/reports/${UNIT}/20x8.docx`)).status).toBe(404);
  });

  it('the clerk downloads the draft as it stands, not cached, named as a draft', async () => {
    const clerk = await sessionCookie(`clerk.${UNIT.toLowerCase()}@nianbao.test`);
    const res = await get(`/app/reports/${UNIT}/${DRAFT_YEAR}.docx`, { Cookie: clerk });
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(filenameOf(res)).toBe(`金塘镇${DRAFT_YEAR}年政府信息公开工作年度报告（草稿）.docx`);
    const { document } = await docx(res);
    expect(textOf(document)).toContain('SECRET-DRAFT');
    expect(tables(document)[1]!.flat().map((c) => c.text)).toContain('424242');
    // No date yet under a draft: the unit fills it in when it is published.
    expect(paragraphs(document).at(-1)!.text).toBe('年　　月　　日');
  });

  it('escapes what the clerk typed: & < > " stay text', async () => {
    const clerk = await sessionCookie(`clerk.${UNIT.toLowerCase()}@nianbao.test`);
    const api = `/api/v1/drafts/${UNIT}/${DRAFT_YEAR}`;
    const { revision } = (await (await get(api, { Cookie: clerk })).json()) as { revision: number };
    const typed = 'A&B <w:p> "引号" 3<5>2 \u0001';
    const put = await send('PUT', api, { revision, sections: { overview: typed } }, { Cookie: clerk });
    expect(put.status).toBe(200);
    const { files, document } = await docx(await get(`/app/reports/${UNIT}/${DRAFT_YEAR}.docx`, { Cookie: clerk }));
    expectWellFormed(files.get('word/document.xml')!, 'document.xml');
    expect(paragraphs(document).map((p) => p.text)).toContain('A&B <w:p> "引号" 3<5>2 ');
  });

  it('needs sign-in, and a unit in scope', async () => {
    const anonymous = await exports.default.fetch(new Request(`${BASE}/app/reports/${UNIT}/${DRAFT_YEAR}.docx`, { redirect: 'manual' }));
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('Location')).toBe(`/signin?next=${encodeURIComponent(`/app/reports/${UNIT}/${DRAFT_YEAR}.docx`)}`);
    const res = await send('PUT', '/api/v1/admin/people/clerk.bq@nianbao.test', { name: '别的填报人', role: 'clerk', units: ['BQ-330902-102'] });
    expect([200, 201]).toContain(res.status);
    const other = await get(`/app/reports/${UNIT}/${DRAFT_YEAR}.docx`, { Cookie: await sessionCookie('clerk.bq@nianbao.test') });
    expect(other.status).toBe(403);
    expect(await other.text()).not.toContain('SECRET-DRAFT');
    const clerk = await sessionCookie(`clerk.${UNIT.toLowerCase()}@nianbao.test`);
    expect((await get(`/app/reports/${UNIT}/1999.docx`, { Cookie: clerk })).status).toBe(404);
  });
});

describe('the links', () => {
  it('the public page, the clerk’s check page and the report page offer 下载 Word 文档', async () => {
    const page = await (await get(`/reports/${UNIT}/2018`)).text();
    expect(page).toContain(`href="/reports/${UNIT}/2018.docx"`);
    expect(page).toContain('下载 Word 文档');
    const clerk = await sessionCookie(`clerk.${UNIT.toLowerCase()}@nianbao.test`);
    // The draft's: from the check page (the whole report as it will be published), not the form,
    // which keeps to its 25 KB.
    const check = await (await get(`/app/reports/${UNIT}/${DRAFT_YEAR}/check`, { Cookie: clerk })).text();
    expect(check).toContain(`href="/app/reports/${UNIT}/${DRAFT_YEAR}.docx"`);
    const form = await (await get(`/app/reports/${UNIT}/${DRAFT_YEAR}`, { Cookie: clerk })).text();
    expect(form).not.toContain('.docx"');
    const published = await (await get(`/app/reports/${UNIT}/2018`, { Cookie: clerk })).text();
    expect(published).toContain(`href="/app/reports/${UNIT}/2018.docx"`);
  });
});
