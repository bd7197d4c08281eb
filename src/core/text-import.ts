// Reads the text of a report published elsewhere (a government website's page, a PDF's text
// layer, or a table copied from a web page) into the template's cells and narrative sections.
// Pure: no I/O. Whatever cannot be placed is returned as `unmatched`, never guessed, and every
// row of the template that got no value is listed in `missing`: an import that read nothing says so.
//
// The template's own official layout drives it: the row labels say which cells a line's
// numbers belong to, the header and heading texts are recognised furniture, and the section
// and part titles split the narrative from the tables. Handled shapes:
// - label, unit and value on separate lines, blanks simply missing (legacy-2014 pages, as in
//   the 金塘镇 2018 reference text), labels wrapped over two or three lines;
// - a row per line, label then its numbers separated by tabs or spaces (tables copied from a
//   web page), group headings in front of the first row of a group;
// - HTML pages (importHtml): read through a real parser's tokens (html-document.ts), the site around the
//   article dropped, each table row read cell by cell (a blank cell or /, —, —— is a blank value);
// - a whole table flattened onto one line (archive tools, some copy operations): cut back into
//   rows at the labels it carries;
// - tables without a label per value row (四、行政复议、行政诉讼: 15 numbers under 3 header rows);
// - numbering written 1. 1． 1、 (1) （1）, thousands separators 1,234 and 1，234.
// A table that is not the template's (a provincial pre-2019 统计表) is recognised and reported in
// `tables` (other-tables.ts), with the rows that map onto the template's cells, never silently
// appended to the narrative.
import type { CellKey, Cells, LayoutCell, Template } from './templates/types';
import { cellCatalog, cellKeys } from './cells';
import { blocksToText, readHtml, type Block, type HtmlToken, type TableRow } from './html-document';
import { recogniseOtherTable, type OtherTableRow } from './other-tables';

export interface MissingRow {
  /** `TABLE.ROW` of the template. */
  row: string;
  label: string;
}

export interface FoundTable {
  /** The table's caption, or the heading printed just before it. */
  title: string;
  /** The template it was read as, or 'other' when it is not the chosen template's table. */
  recognised: string;
  /** For a known other table: what it is (福建省政府信息公开情况统计表 …) and which column was read. */
  name?: string;
  column?: string;
  /** Rows placed in the template's cells: the row's label as printed, the cells and the values. */
  rows_mapped: { label: string; cells: CellKey[]; values: (number | null)[] }[];
  /** Rows with numbers that were not placed in any cell. */
  rows_unmapped: { label: string; values: (number | null)[] }[];
}

export interface TextImport {
  /** Every cell of the template: the number read, or null where nothing was read. */
  cells: Cells;
  /** Every narrative section of the template: paragraphs separated by a blank line. */
  sections: Record<string, string>;
  /** Lines that carry something (a number, a label) this reader could not place. */
  unmatched: string[];
  /** The template's rows that got no value at all (not one cell read), in official order. */
  missing: MissingRow[];
  /** The tables of an HTML page, each with the rows read from it and those left over. */
  tables: FoundTable[];
  /** The publication date when the text gives one (发布时间：2019-01-16), as YYYY-MM-DD. */
  publishedDate?: string;
}

/** A printed row: its label (null when the layout has none) and the cells of its values, in order. */
interface Target {
  label: string | null;
  cells: CellKey[];
  part: number;
}

type Region = { kind: 'preamble' } | { kind: 'section'; key: string } | { kind: 'table'; part: number };

/** A line to read: its text, the values at its end (null: a blank or a dash), the table it comes from. */
interface Line {
  raw: string;
  text: string;
  numbers: (number | null)[];
  /** A line holding only a unit (条, 件) or a dash. */
  unitOnly: boolean;
  /** Index into `tables` for rows of an HTML table, and the row's label cells as printed. */
  table?: number;
  label?: string;
}

/**
 * The form in which labels are compared: compatibility forms folded (full-width （）：、digits
 * become ASCII), no whitespace, no quotation marks (web pages vary in both), and arabic
 * numbering written 1. 1、 (1) folded to 1.
 */
export const normalizeLabel = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\s"'“”‘’「」]/g, '')
    .replace(/\((\d{1,2})\)/g, '$1.')
    .replace(/(^|[^\d.])(\d{1,2})、/g, '$1$2.');

const NUMBER = /^[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-−]?\d+(?:\.\d+)?$/;
/** How a blank is printed: a dash or a slash (“—”, “——”, “-”, “/”). */
const NONE = /^(?:[-—–―−/／]{1,3}|无)$/;
const toNumber = (token: string) => Number(token.replace(/,/g, '').replace('−', '-'));

/** Leading numbering of a label: 一、 （一） 1. — used to recognise a label with a typo. */
const NUMBERING = /^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])/;

/** Lines of a statistics table's letterhead: (2018年度), 填报单位(盖章):金塘镇, 统 计 指 标. */
const LETTERHEAD = [/^\(?\d{4}年度?\)?$/, /^填报(单位|机关|日期|人)/, /^(审核人|负责人|填表人|联系电话)[:：]/];

/** Title and date lines that head a published page before the report itself. */
const TITLE = /(报告|总结)$/;
const PUBLISHED = /^(?:发布|公开|成文)(?:时间|日期)[:：]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/;
/** A site's date line above an article: 来源：… 时间：2015-01-02 00:00. */
const PAGE_DATE = /(?:发布|公开|成文)?(?:时间|日期)[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/;
const META = /^(?:来源|作者|浏览次数|索引号|信息来源|字号)[:：]/;

/** What the official layout prints: row targets, furniture (headers, headings) and units. */
function layoutVocabulary(template: Template) {
  const targets: Target[] = [];
  /** Furniture text → the parts it is printed in. */
  const furniture = new Map<string, Set<number>>();
  const units = new Set<string>();
  const addFurniture = (text: string | undefined, part: number) => {
    if (!text) return;
    const key = normalizeLabel(text);
    if (!key) return;
    if (!furniture.has(key)) furniture.set(key, new Set());
    furniture.get(key)!.add(part);
  };

  template.parts.forEach((part, index) => {
    if (part.type !== 'tables') return;
    addFurniture(part.note, index);
    for (const row of part.layout.head) for (const cell of row) addFurniture(cell.text, index);
    for (const row of part.layout.body) {
      const valueCells = row.filter((c): c is LayoutCell & { cell: string } => c.kind === 'value' && !!c.cell);
      const labels = row.filter((c) => c.kind === 'label' || c.kind === 'head');
      for (const cell of row) if (cell.kind === 'unit' && cell.text && !NONE.test(cell.text)) units.add(normalizeLabel(cell.text));
      if (valueCells.length === 0) {
        labels.forEach((c) => addFurniture(c.text, index)); // block names, column headers, headings
        continue;
      }
      const own = labels[labels.length - 1];
      labels.slice(0, -1).forEach((c) => addFurniture(c.text, index)); // group headings
      targets.push({ label: own?.text ? normalizeLabel(own.text) : null, cells: valueCells.map((c) => c.cell), part: index });
    }
  });
  for (const u of units) furniture.delete(u);
  return { targets, furniture, units };
}

/** Splits a line into its text and the values at its end (units between them are dropped). */
function splitLine(line: string, units: Set<string>): Omit<Line, 'raw'> {
  const tokens = line.normalize('NFKC').trim().split(/\s+/).filter(Boolean);
  const numbers: (number | null)[] = [];
  let end = tokens.length;
  let sawUnit = false;
  while (end > 0) {
    const token = tokens[end - 1]!;
    if (NUMBER.test(token)) numbers.unshift(toNumber(token));
    else if (NONE.test(token)) numbers.unshift(null);
    else if (units.has(normalizeLabel(token))) sawUnit = true;
    else break;
    end--;
  }
  const textTokens = tokens.slice(0, end);
  const noValue = numbers.every((n) => n === null);
  return { text: normalizeLabel(textTokens.join('')), numbers, unitOnly: end === 0 && noValue && (sawUnit || numbers.length > 0) };
}

/** A table row read cell by cell: a cell's text is one value (78 967 in one cell is 78967). */
function splitRow(row: TableRow, units: Set<string>): Omit<Line, 'raw'> & { label: string } {
  const texts = row.cells.map((c) => c.text.normalize('NFKC').trim());
  let startAt = 0;
  while (startAt < texts.length && texts[startAt] === '') startAt++; // empty corner cells carry nothing
  const numbers: (number | null)[] = [];
  let end = texts.length;
  let sawUnit = false;
  while (end > startAt) {
    const compact = texts[end - 1]!.replace(/\s+/g, '');
    if (compact === '' || NONE.test(compact)) numbers.unshift(null);
    else if (NUMBER.test(compact)) numbers.unshift(toNumber(compact));
    else if (units.has(normalizeLabel(compact))) sawUnit = true;
    else break;
    end--;
  }
  const text = normalizeLabel(texts.slice(startAt, end).join(''));
  const noValue = numbers.every((n) => n === null);
  return { text, label: texts.slice(startAt, end).join(' '), numbers: text && noValue ? [] : numbers, unitOnly: !text && noValue && sawUnit };
}

/** The template's rows a printed row holds (四 prints three in one): `TABLE.ROW` and a label a person recognises. */
function rowsOf(template: Template, target: Target): MissingRow[] {
  const rows = new Map<string, MissingRow>();
  for (const key of target.cells) {
    const info = cellCatalog(template).get(key)!;
    const row = `${info.table.key}.${info.row.key}`;
    if (!rows.has(row)) rows.set(row, { row, label: [...(info.row.groups ?? []), info.row.label].join(' ') });
  }
  return [...rows.values()];
}

/**
 * A line holding a whole table (flattened by an archive tool or a copy): the text and value
 * runs cut into one line per row, when at least three of them end with a row label.
 */
function unflatten(raw: string, labels: string[], headings: string[]): string[] {
  const tokens = raw.normalize('NFKC').trim().split(/\s+/).filter(Boolean);
  if (tokens.filter((t) => NUMBER.test(t)).length < 6) return [raw];
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let inValues = false;
  for (const token of tokens) {
    const value = NUMBER.test(token) || NONE.test(token);
    if (!value && inValues) {
      chunks.push(chunk);
      chunk = [];
    }
    inValues = value;
    chunk.push(token);
  }
  if (chunk.length) chunks.push(chunk);
  const rows = chunks.filter((c) => {
    const text = normalizeLabel(c.filter((t) => !NUMBER.test(t) && !NONE.test(t)).join(''));
    return text && labels.some((label) => text.endsWith(label));
  });
  if (rows.length < 3) return [raw];
  // The part headings inside a chunk (二、主动公开政府信息情况) start lines of their own.
  const out: string[] = [];
  for (const c of chunks) {
    let start = 0;
    for (let k = 0; k < c.length; k++) {
      const rest = normalizeLabel(c.slice(k).join(''));
      const heading = headings.find((h) => rest.startsWith(h));
      if (!heading) continue;
      let end = k + 1;
      while (end < c.length && normalizeLabel(c.slice(k, end).join('')).length < heading.length) end++;
      if (normalizeLabel(c.slice(k, end).join('')) !== heading) continue;
      if (k > start) out.push(c.slice(start, k).join(' '));
      out.push(c.slice(k, end).join(' '));
      start = end;
      k = end - 1;
    }
    if (start < c.length) out.push(c.slice(start).join(' '));
  }
  return out;
}

/** The text of a report (pasted, or a PDF's text layer). */
export function importText(template: Template, input: string): TextImport {
  return importBlocks(template, [{ kind: 'text', text: input }], []);
}

/** A report's web page, as the tokens of an HTML parser (html-document.ts): the article found, its tables read cell by cell. */
export function importHtml(template: Template, tokens: Iterable<HtmlToken>): TextImport {
  const document = readHtml(tokens);
  // The page's own title over the article (平潭综合实验区 / 2014年度…年度报告): not narrative.
  const blocks = [...document.blocks];
  const titleAt = blocks.slice(0, 4).findIndex((b) => b.kind === 'text' && TITLE.test(normalizeLabel(b.text)) && b.text.length <= 60);
  if (titleAt >= 0 && blocks.slice(0, titleAt + 1).every((b) => b.kind === 'text' && b.text.length <= 60 && !/[。；]/.test(b.text))) {
    blocks.splice(0, titleAt + 1);
  }
  return importBlocks(template, blocks, document.before);
}

function importBlocks(template: Template, blocks: Block[], before: string[]): TextImport {
  const { targets, furniture, units } = layoutVocabulary(template);
  const cells: Cells = Object.fromEntries(cellKeys(template).map((k) => [k, null]));
  const paragraphs: Record<string, string[]> = Object.fromEntries(template.sections.map((s) => [s.key, []]));
  const unmatched: string[] = [];
  const tables: FoundTable[] = [];
  let publishedDate: string | undefined;
  for (const line of before) {
    const date = line.normalize('NFKC').match(PAGE_DATE);
    if (date) publishedDate = `${date[1]}-${date[2]!.padStart(2, '0')}-${date[3]!.padStart(2, '0')}`;
  }

  // Headings that switch between narrative sections and table parts.
  const headings: { text: string; region: Region }[] = [];
  template.parts.forEach((part, index) => {
    if (part.type === 'section') {
      const title = template.sections.find((s) => s.key === part.key)?.title;
      if (title) headings.push({ text: normalizeLabel(title), region: { kind: 'section', key: part.key } });
    } else {
      headings.push({ text: normalizeLabel(part.title), region: { kind: 'table', part: index } });
    }
  });
  const headingOf = (text: string) =>
    headings.find((h) => text === h.text || (text.startsWith(h.text) && text.length <= h.text.length + 12))?.region;

  /** Furniture only: the text is one or more printed header texts run together. */
  const furnitureParts = (text: string): Set<number> | undefined => {
    if (LETTERHEAD.some((re) => re.test(text))) return new Set();
    const found = new Set<number>();
    let rest = text;
    while (rest) {
      const match = [...furniture.keys()].filter((f) => rest.startsWith(f)).sort((a, b) => b.length - a.length)[0];
      if (!match) return undefined;
      furniture.get(match)!.forEach((p) => found.add(p));
      rest = rest.slice(match.length);
    }
    return found;
  };
  const stripFurniturePrefix = (text: string, label: string) => {
    if (!text.endsWith(label)) return false;
    const prefix = text.slice(0, text.length - label.length);
    return prefix === '' || furnitureParts(prefix) !== undefined;
  };
  const labels = targets.flatMap((t) => (t.label ? [t.label] : []));
  const headingTexts = headings.map((h) => h.text);
  const isTemplateRow = (text: string) => labels.some((label) => text === label || stripFurniturePrefix(text, label));

  // Everything to read, one line at a time. Tables that are not the template's are set aside.
  const lines: Line[] = [];
  let lastText = '';
  for (const block of blocks) {
    if (block.kind === 'text') {
      for (const raw of block.text.replace(/\r\n?/g, '\n').split('\n')) {
        for (const piece of unflatten(raw, labels, headingTexts)) lines.push({ raw: piece, ...splitLine(piece, units) });
        if (raw.trim()) lastText = raw.trim();
      }
      continue;
    }
    const rows = block.rows.map((row) => ({ row, raw: row.cells.map((c) => c.text).join('\t'), ...splitRow(row, units) }));
    const title = (block.caption ?? lastText).slice(0, 80);
    const valueRows = rows.filter((r) => r.text && r.numbers.some((n) => n !== null));
    const ours = valueRows.filter((r) => isTemplateRow(r.text)).length;
    if (valueRows.length >= 2 && ours * 2 < valueRows.length) {
      const other = recogniseOtherTable(template, block.rows);
      const found: FoundTable = { title, recognised: 'other', rows_mapped: [], rows_unmapped: [], ...(other ? { name: other.name, column: other.column } : {}) };
      const otherRows: OtherTableRow[] = other?.rows ?? valueRows.map((r) => ({ label: r.label, cell: null, values: r.numbers }));
      // Its heading belongs to the table, not to the narrative before it.
      const previous = lines[lines.length - 1];
      if (previous && previous.table === undefined && previous.raw.trim() === lastText && !previous.numbers.length) lines.pop();
      for (const r of otherRows) {
        if (r.cell && cells[r.cell] === null && r.values[0] !== undefined) {
          cells[r.cell] = r.values[0];
          found.rows_mapped.push({ label: r.label, cells: [r.cell], values: r.values.slice(0, 1) });
        } else {
          found.rows_unmapped.push({ label: r.label, values: r.values });
        }
      }
      tables.push(found);
      continue;
    }
    const index = tables.push({ title, recognised: template.id, rows_mapped: [], rows_unmapped: [] }) - 1;
    for (const { raw, text, numbers, unitOnly, label } of rows) lines.push({ raw, text, numbers, unitOnly, label, table: index });
  }

  const seen = new Set<Target>();
  const filled = new Set<Target>();
  let cursor = 0;
  let current: { target: Target; next: number } | null = null;
  const firstPart = template.parts[0];
  // A narrative with no printed heading (legacy-2014's 正文) starts right after the page title.
  const unheadedFirst =
    firstPart?.type === 'section' && !/^[一二三四五六七八九十]+、/.test(template.sections.find((s) => s.key === firstPart.key)?.title ?? '');
  let region: Region = { kind: 'preamble' };

  /** The row a text names: the next in order first, then any (a table may be pasted out of order). */
  function findTarget(texts: string[]): { target: Target; consumed: number } | undefined {
    const order = [...targets.slice(cursor), ...targets.slice(0, cursor)];
    for (let consumed = 1; consumed <= texts.length; consumed++) {
      const joined = texts.slice(0, consumed).join('');
      const hit = order.find((t) => t.label && !filled.has(t) && (joined === t.label || stripFurniturePrefix(joined, t.label)));
      if (hit) return { target: hit, consumed };
      // Stop joining once the text can no longer grow into any label.
      if (!order.some((t) => t.label && t.label.length > joined.length && t.label.includes(joined))) break;
    }
    // A label with a typo (洪泽区 2023 prints 2.其他法律行政止公开): the expected next row, when
    // its numbering and first two characters agree and the lengths are close.
    const expected = targets[cursor];
    const text = texts[0]!;
    if (expected?.label && !filled.has(expected)) {
      const a = text.match(NUMBERING)?.[0];
      const b = expected.label.match(NUMBERING)?.[0];
      if (a && a === b && text.slice(a.length, a.length + 2) === expected.label.slice(b.length, b.length + 2) && Math.abs(text.length - expected.label.length) <= 4) {
        return { target: expected, consumed: 1 };
      }
    }
    return undefined;
  }

  const unplaced = (line: Line) => {
    unmatched.push(line.raw.trim());
    if (line.table !== undefined) tables[line.table]!.rows_unmapped.push({ label: line.label ?? line.raw.trim(), values: line.numbers });
  };

  function assign(values: (number | null)[], line: Line) {
    let overflow = false;
    let list = values;
    // Blanks in front of more values than the row has are the unit column's dash, not values.
    const room = current ? current.target.cells.length - current.next : 0;
    while (list.length > room && list[0] === null) list = list.slice(1);
    if (current && current.target.label === null && line.table !== undefined && list.length) {
      const taken = current.target.cells.slice(current.next, current.next + list.length);
      tables[line.table]!.rows_mapped.push({ label: line.label ?? '', cells: taken, values: list.slice(0, taken.length) });
    }
    for (const n of list) {
      if (!current || current.next >= current.target.cells.length) {
        if (n !== null) overflow = true;
        continue;
      }
      const key = current.target.cells[current.next++]!;
      cells[key] = n;
      seen.add(current.target);
      if (current.next >= current.target.cells.length) filled.add(current.target);
    }
    if (overflow) unplaced(line);
  }

  const hasNumber = (line: Line) => line.numbers.some((n) => n !== null);

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const { raw, text, numbers, unitOnly } = line;
    if (!raw.trim()) continue;

    if (region.kind === 'preamble') {
      const published = raw.normalize('NFKC').trim().match(PUBLISHED);
      if (published) {
        const [, y, m, d] = published;
        publishedDate = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
        continue;
      }
      if (META.test(text)) continue;
      if (TITLE.test(text) && text.length <= 60 && !/[。；]/.test(text) && !headingOf(text)) continue;
      if (unheadedFirst && firstPart?.type === 'section' && !headingOf(text)) region = { kind: 'section', key: firstPart.key };
    }

    const heading = text && !hasNumber(line) ? headingOf(text) : undefined;
    if (heading) {
      region = heading;
      current = null;
      if (heading.kind === 'table') activateUnlabelled(heading.part);
      continue;
    }

    if (region.kind === 'section') {
      // A table pasted without its title: a row label with its numbers on the same line.
      const row = hasNumber(line) && text ? findTarget([text]) : undefined;
      if (!row) {
        paragraphs[region.key]!.push(raw.trim());
        continue;
      }
      region = { kind: 'table', part: row.target.part };
    }

    // A table, or the start of a page that is only a table.
    if (unitOnly) continue;
    if (!text) {
      assign(numbers, line);
      continue;
    }
    const texts = [text];
    for (let j = i + 1; j < lines.length && texts.length < 3 && numbers.length === 0 && line.table === undefined; j++) {
      if (!lines[j]!.raw.trim()) continue;
      const next = lines[j]!;
      if (!next.text || next.table !== undefined) break;
      texts.push(next.text);
    }
    const found = findTarget(texts);
    if (found) {
      // Numbers on the last line the label spans belong to it.
      let lineNumbers = numbers;
      let consumed = found.consumed;
      for (let j = i + 1; consumed > 1 && j < lines.length; j++) {
        if (!lines[j]!.raw.trim()) continue;
        lineNumbers = lines[j]!.numbers;
        consumed--;
        i = j;
      }
      current = { target: found.target, next: 0 };
      seen.add(found.target);
      cursor = targets.indexOf(found.target) + 1;
      if (line.table !== undefined) tables[line.table]!.rows_mapped.push({ label: line.label ?? text, cells: found.target.cells, values: lineNumbers });
      if (lineNumbers.length) assign(lineNumbers, line);
      continue;
    }
    const parts = furnitureParts(text);
    if (parts) {
      // Header lines of a table without row labels keep it current; any other furniture (a
      // heading, a block name) ends the row before it.
      const staysCurrent = current?.target.label === null && parts.has(current.target.part);
      if (!staysCurrent) current = null;
      if (parts.size === 1) activateUnlabelled([...parts][0]!);
      if (hasNumber(line)) assign(numbers, line);
      continue;
    }
    if (region.kind === 'preamble' && !hasNumber(line)) {
      // Text before any heading that is not a table row: the introduction of the first section.
      const first = template.sections[0];
      if (first) paragraphs[first.key]!.push(raw.trim());
      continue;
    }
    current = null;
    unplaced(line);
  }

  /** Tables printed without a label per value row (四) take the numbers under their headers. */
  function activateUnlabelled(part: number) {
    const target = targets.find((t) => t.part === part && t.label === null && !filled.has(t));
    if (target && current?.target !== target) current = { target, next: target.cells.findIndex((k) => cells[k] === null) };
    if (current && current.next < 0) current = null;
  }

  // A row printed blank got no value either: it is listed, so that nothing read is silence.
  const missing = targets.flatMap((t) => rowsOf(template, t)).filter((r) => cellKeys(template).filter((k) => k.startsWith(`${r.row}.`)).every((k) => cells[k] === null));
  const sections = Object.fromEntries(Object.entries(paragraphs).map(([k, ps]) => [k, ps.join('\n\n')]));
  return { cells, sections, unmatched, missing, tables, ...(publishedDate ? { publishedDate } : {}) };
}

/**
 * The text of an HTML page or fragment (its parser's tokens), for importText: the article's
 * paragraphs one per line, each table row on one line with its cells separated by tabs.
 */
export function htmlToText(tokens: Iterable<HtmlToken>): string {
  return blocksToText(readHtml(tokens).blocks);
}
