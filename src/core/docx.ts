// A report as a Word document (.docx, Office Open XML) in the layout government documents use
// (GB/T 9704-2012, as units print, stamp and post their 年报): A4 portrait with its margins,
// the title centred in 小标宋 二号, headings 一、二、… in 黑体 and （一）… in 楷体, the body in
// 仿宋 三号 with a fixed 28 pt line, the statistics tables as the official layout grids (the
// same src/core/templates grids the HTML page draws: spans become gridSpan and vMerge) and the
// page number 「— 1 —」 in the footer. Text in, XML strings out; zip.ts packs them.
//
// Only what Word and WPS need to open it: [Content_Types].xml, the package and document
// relationships, document, styles, settings, fonts, footer and core properties. Every East Asian
// run names its font through w:eastAsia; fontTable.xml gives each GB 2312 font the name it has
// on machines without the GB fonts (仿宋_GB2312 → 仿宋), so the look survives either way.
import { placeCells, type PlacedCell } from './templates/layout';
import type { Cells, Layout, LayoutCell, Template } from './templates/types';
import { zip } from './zip';

export interface DocxReport {
  /** 金塘镇2018年政府信息公开工作年度报告 */
  title: string;
  template: Template;
  sections: Record<string, string>;
  cells: Cells;
  /** 落款: the unit and the date under the text, where the seal goes; date null leaves 「年 月 日」 to fill in. */
  signature: { unit: string; date: string | null };
}

export const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The .docx file of a report. */
export async function reportDocx(report: DocxReport): Promise<Uint8Array<ArrayBuffer>> {
  const utf8 = new TextEncoder();
  return zip(Object.entries(docxParts(report)).map(([name, xml]) => ({ name, data: utf8.encode(xml) })));
}

// ---------------------------------------------------------------------------------------------
// Page and type (twips: 1/20 pt; 1 mm ≈ 56.7 twips; half-points for sizes)
// ---------------------------------------------------------------------------------------------

/** A4; margins of GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (text block 156 × 225 mm). */
const PAGE = { width: 11906, height: 16838, top: 2098, bottom: 1984, left: 1588, right: 1474 };
const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;

const FONTS = { song: '宋体', fang: '仿宋_GB2312', hei: '黑体', kai: '楷体_GB2312', title: '方正小标宋简体' } as const;
/** What each font is called where the GB 2312 / Founder fonts are not installed. */
const FONT_FALLBACK: Record<string, string> = { [FONTS.fang]: '仿宋', [FONTS.kai]: '楷体', [FONTS.title]: '宋体' };

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Text as XML character data or attribute value; characters XML 1.0 forbids are dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const fonts = (font: string) => `<w:rFonts w:ascii="${font}" w:hAnsi="${font}" w:eastAsia="${font}" w:cs="${font}" w:hint="eastAsia"/>`;
const size = (halfPoints: number) => `<w:sz w:val="${halfPoints}"/><w:szCs w:val="${halfPoints}"/>`;

/** A run of text (tabs and line breaks inside a paragraph kept). */
function run(text: string, rPr = ''): string {
  const props = rPr ? `<w:rPr>${rPr}</w:rPr>` : '';
  return `<w:r>${props}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
}

function paragraph(style: string, runs: string, pPr = ''): string {
  return `<w:p><w:pPr><w:pStyle w:val="${style}"/>${pPr}</w:pPr>${runs}</w:p>`;
}

// ---------------------------------------------------------------------------------------------
// The narrative
// ---------------------------------------------------------------------------------------------

const NUMERAL = '[一二三四五六七八九十]+';
const PART_HEADING = new RegExp(`^${NUMERAL}、`);
const SUB_HEADING = new RegExp(`^[（(]${NUMERAL}[）)]`);
/** A line this short without a full stop is a heading, not a paragraph. */
const HEADING_LENGTH = 40;

/**
 * One paragraph of a unit's text: 「一、…」 alone on its line is a heading (黑体); 「（一）…。」
 * opening a paragraph is its run-in heading (楷体), the rest body text (仿宋).
 */
function narrativeParagraph(text: string): string {
  const line = text.trim();
  const short = line.length <= HEADING_LENGTH && !line.includes('。');
  if (PART_HEADING.test(line) && short) return paragraph('Heading1', run(line));
  if (SUB_HEADING.test(line)) {
    if (short) return paragraph('Heading2', run(line));
    const stop = line.indexOf('。');
    if (stop > 0 && stop < HEADING_LENGTH) return paragraph('Body', run(line.slice(0, stop + 1), fonts(FONTS.kai)) + run(line.slice(stop + 1)));
  }
  return paragraph('Body', run(line));
}

function sectionXml(title: string, text: string): string {
  // The official parts are numbered (一、总体情况); a free text's 「正文」 is the form's name for it, not a heading.
  const heading = PART_HEADING.test(title) ? paragraph('Heading1', run(title)) : '';
  const paragraphs = text
    .split(/\n+/)
    .filter((p) => p.trim())
    .map(narrativeParagraph);
  return heading + paragraphs.join('');
}

// ---------------------------------------------------------------------------------------------
// The tables: the official layout grid, spans as gridSpan (across) and vMerge (down)
// ---------------------------------------------------------------------------------------------

type Placed = PlacedCell;

/**
 * Each grid row as Word needs it: every grid column covered, left to right, by a cell that
 * starts there or by the continuation of a cell from a row above (which Word wants repeated,
 * with the same width, marked vMerge).
 */
export function gridRows(rows: LayoutCell[][], columns: number): { placed: Placed; continued: boolean }[][] {
  const owner: (Placed | undefined)[][] = rows.map(() => new Array<Placed | undefined>(columns));
  for (const placed of placeCells(rows)) {
    for (let i = placed.row; i < Math.min(rows.length, placed.row + placed.rows); i++) for (let j = placed.col; j < placed.col + placed.cols; j++) owner[i]![j] = placed;
  }
  return owner.map((slots, r) => {
    const out: { placed: Placed; continued: boolean }[] = [];
    for (let c = 0; c < columns; ) {
      // A row shorter than the grid is filled with an empty cell, as a browser draws it.
      const placed = slots[c] ?? { cell: { kind: 'label' as const }, row: r, col: c, rows: 1, cols: 1 };
      out.push({ placed, continued: placed.row !== r });
      c += placed.cols;
    }
    return out;
  });
}

/**
 * Column widths: a column is as wide as the longest text that stands in it alone (a label
 * spanning one column, up to 12 characters), at least four characters (a figure of 4–6 digits
 * beside its neighbours), and the widths share the text block.
 */
function columnWidths(layout: Layout): number[] {
  const weights = new Array<number>(layout.columns).fill(4);
  for (const rows of [layout.head, layout.body]) {
    for (const row of gridRows(rows, layout.columns)) {
      for (const { placed, continued } of row) {
        if (continued || placed.cols !== 1 || placed.cell.kind === 'value') continue;
        const length = [...(placed.cell.text ?? '')].length;
        weights[placed.col] = Math.max(weights[placed.col]!, Math.min(length, placed.cell.kind === 'label' ? 12 : 4));
      }
    }
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.floor((w / total) * TEXT_WIDTH));
  widths[widths.length - 1]! += TEXT_WIDTH - widths.reduce((a, b) => a + b, 0);
  return widths;
}

const CELL_ALIGN: Record<LayoutCell['kind'], string> = { head: 'center', label: 'left', unit: 'center', value: 'right' };

function tableXml(layout: Layout, cells: Cells): string {
  const widths = columnWidths(layout);
  // 五号 for most tables; the widest (四: 15 columns) in 小五 so its headings fit their columns.
  const textSize = layout.columns > 10 ? 18 : 21;
  const rowXml = (row: { placed: Placed; continued: boolean }[], header: boolean) => {
    const tcs = row.map(({ placed, continued }) => {
      const { cell } = placed;
      const width = widths.slice(placed.col, placed.col + placed.cols).reduce((a, b) => a + b, 0);
      const merge = placed.rows > 1 ? (continued ? '<w:vMerge/>' : '<w:vMerge w:val="restart"/>') : '';
      const span = placed.cols > 1 ? `<w:gridSpan w:val="${placed.cols}"/>` : '';
      const tcPr = `<w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${span}${merge}<w:vAlign w:val="center"/></w:tcPr>`;
      const text = continued ? '' : cell.kind === 'value' ? formatValue(cell.cell === undefined ? undefined : cells[cell.cell]) : (cell.text ?? '');
      const style = cell.kind === 'head' ? 'TableHead' : 'TableText';
      const body = text ? run(text, size(textSize)) : '';
      return `<w:tc>${tcPr}${paragraph(style, body, `<w:jc w:val="${CELL_ALIGN[cell.kind]}"/>`)}</w:tc>`;
    });
    // Header rows repeat at the top of each page the table runs onto; no row splits across pages.
    const trPr = `<w:trPr><w:cantSplit/>${header ? '<w:tblHeader/>' : ''}</w:trPr>`;
    return `<w:tr>${trPr}${tcs.join('')}</w:tr>`;
  };
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`;
  const tblPr =
    `<w:tblPr><w:tblW w:w="${TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>` +
    `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>` +
    `<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>`;
  const grid = `<w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`;
  const rows = [
    ...gridRows(layout.head, layout.columns).map((r) => rowXml(r, true)),
    ...gridRows(layout.body, layout.columns).map((r) => rowXml(r, false)),
  ];
  return `<w:tbl>${tblPr}${grid}${rows.join('')}</w:tbl>`;
}

const formatValue = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

function documentXml({ title, template, sections, cells, signature }: DocxReport): string {
  const body: string[] = [paragraph('Title', run(title))];
  for (const part of template.parts) {
    if (part.type === 'section') {
      const section = template.sections.find((s) => s.key === part.key)!;
      body.push(sectionXml(section.title, sections[part.key] ?? ''));
    } else {
      body.push(PART_HEADING.test(part.title) ? paragraph('Heading1', run(part.title)) : paragraph('TableTitle', run(part.title)));
      body.push(tableXml(part.layout, cells));
      // Word needs a paragraph between two tables, and one after the last before the section's end.
      body.push(paragraph('TableText', ''));
    }
  }
  body.push(paragraph('Signature', run(signature.unit), '<w:spacing w:before="560"/>'));
  body.push(paragraph('Signature', run(signature.date ?? '年　　月　　日')));
  const sectPr =
    `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/>` +
    `<w:pgSz w:w="${PAGE.width}" w:h="${PAGE.height}"/>` +
    `<w:pgMar w:top="${PAGE.top}" w:right="${PAGE.right}" w:bottom="${PAGE.bottom}" w:left="${PAGE.left}" w:header="851" w:footer="1134" w:gutter="0"/>` +
    `</w:sectPr>`;
  return `${XML_HEAD}<w:document xmlns:w="${W}" xmlns:r="${R}"><w:body>${body.join('')}${sectPr}</w:body></w:document>`;
}

function style(id: string, name: string, font: string, halfPoints: number, pPr: string, extra = ''): string {
  return (
    `<w:style w:type="paragraph" w:customStyle="1" w:styleId="${id}"><w:name w:val="${name}"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
    `<w:pPr>${pPr}</w:pPr><w:rPr>${fonts(font)}${extra}${size(halfPoints)}</w:rPr></w:style>`
  );
}

/** 三号 (16 pt) text on a fixed 28 pt line; tables single-spaced in 五号. */
function stylesXml(): string {
  const exact = (twips: number) => `<w:spacing w:before="0" w:after="0" w:line="${twips}" w:lineRule="exact"/>`;
  const single = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>';
  return (
    `${XML_HEAD}<w:styles xmlns:w="${W}">` +
    `<w:docDefaults><w:rPrDefault><w:rPr>${fonts(FONTS.fang)}${size(32)}<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
    `<w:pPrDefault><w:pPr>${exact(560)}<w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
    style('Title', 'Title', FONTS.title, 44, `<w:spacing w:before="0" w:after="560" w:line="700" w:lineRule="exact"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/>`) +
    style('Heading1', 'heading 1', FONTS.hei, 32, `<w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="1"/>`) +
    style('Heading2', 'heading 2', FONTS.kai, 32, `<w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="2"/>`) +
    style('Body', 'Body Text', FONTS.fang, 32, `<w:ind w:firstLineChars="200" w:firstLine="640"/>`) +
    style('TableTitle', 'Table Title', FONTS.hei, 32, `<w:keepNext/><w:spacing w:before="280" w:after="280"/><w:jc w:val="center"/>`) +
    style('TableHead', 'Table Heading', FONTS.hei, 21, single) +
    style('TableText', 'Table Text', FONTS.fang, 21, single) +
    style('Signature', 'Signature', FONTS.fang, 32, `<w:ind w:right="640"/><w:jc w:val="right"/>`) +
    style('Footer', 'footer', FONTS.song, 28, `${single}<w:jc w:val="center"/>`) +
    `</w:styles>`
  );
}

function fontTableXml(): string {
  const font = (name: string) =>
    `<w:font w:name="${name}">${FONT_FALLBACK[name] ? `<w:altName w:val="${FONT_FALLBACK[name]}"/>` : ''}<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>`;
  return `${XML_HEAD}<w:fonts xmlns:w="${W}">${Object.values(FONTS).map(font).join('')}</w:fonts>`;
}

/** 「— 1 —」: the PAGE field between two dashes, 四号 宋体, centred. */
function footerXml(): string {
  const field = (type: string) => `<w:r><w:fldChar w:fldCharType="${type}"/></w:r>`;
  return (
    `${XML_HEAD}<w:ftr xmlns:w="${W}" xmlns:r="${R}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` +
    `${run('— ')}${field('begin')}<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>${field('separate')}${run('1')}${field('end')}${run(' —')}` +
    `</w:p></w:ftr>`
  );
}

function settingsXml(): string {
  return (
    `${XML_HEAD}<w:settings xmlns:w="${W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>` +
    `<w:characterSpacingControl w:val="compressPunctuation"/>` +
    `<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
    `</w:settings>`
  );
}

function corePropertiesXml(title: string): string {
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
    `<dc:title>${escapeXml(title)}</dc:title><dc:language>zh-CN</dc:language></cp:coreProperties>`
  );
}

const PACKAGE_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE_RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const relationship = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`;
const WORD = 'application/vnd.openxmlformats-officedocument.wordprocessingml';

/** Every part of the package, by its path: [Content_Types].xml first, as Office writes it. */
export function docxParts(report: DocxReport): Record<string, string> {
  return {
    '[Content_Types].xml':
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
      `<Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/word/document.xml" ContentType="${WORD}.document.main+xml"/>` +
      `<Override PartName="/word/styles.xml" ContentType="${WORD}.styles+xml"/>` +
      `<Override PartName="/word/settings.xml" ContentType="${WORD}.settings+xml"/>` +
      `<Override PartName="/word/fontTable.xml" ContentType="${WORD}.fontTable+xml"/>` +
      `<Override PartName="/word/footer1.xml" ContentType="${WORD}.footer+xml"/>` +
      `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
      `</Types>`,
    '_rels/.rels':
      `${XML_HEAD}<Relationships xmlns="${PACKAGE_RELS}">` +
      relationship('rId1', `${OFFICE_RELS}/officeDocument`, 'word/document.xml') +
      relationship('rId2', 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', 'docProps/core.xml') +
      `</Relationships>`,
    'word/_rels/document.xml.rels':
      `${XML_HEAD}<Relationships xmlns="${PACKAGE_RELS}">` +
      relationship('rIdStyles', `${OFFICE_RELS}/styles`, 'styles.xml') +
      relationship('rIdSettings', `${OFFICE_RELS}/settings`, 'settings.xml') +
      relationship('rIdFonts', `${OFFICE_RELS}/fontTable`, 'fontTable.xml') +
      relationship('rIdFooter', `${OFFICE_RELS}/footer`, 'footer1.xml') +
      `</Relationships>`,
    'word/document.xml': documentXml(report),
    'word/styles.xml': stylesXml(),
    'word/settings.xml': settingsXml(),
    'word/fontTable.xml': fontTableXml(),
    'word/footer1.xml': footerXml(),
    'docProps/core.xml': corePropertiesXml(report.title),
  };
}
