// Reads the text of a report published elsewhere (a government website's page, a PDF's text
// layer, or a table copied from a web page) into the template's cells and narrative sections.
// Pure: no I/O. Whatever cannot be placed is returned as `unmatched`, never guessed.
//
// The template's own official layout drives it: the row labels say which cells a line's
// numbers belong to, the header and heading texts are recognised furniture, and the section
// and part titles split the narrative from the tables. Handled shapes:
// - label, unit and value on separate lines, blanks simply missing (legacy-2014 pages, as in
//   the 金塘镇 2018 reference text), labels wrapped over two or three lines;
// - a row per line, label then its numbers separated by tabs or spaces (tables copied from a
//   web page or read by htmlToText), group headings in front of the first row of a group;
// - tables without a label per value row (四、行政复议、行政诉讼: 15 numbers under 3 header rows).
import type { CellKey, Cells, LayoutCell, Template } from './templates/types';
import { cellKeys } from './cells';

export interface TextImport {
  /** Every cell of the template: the number read, or null where nothing was read. */
  cells: Cells;
  /** Every narrative section of the template: paragraphs separated by a blank line. */
  sections: Record<string, string>;
  /** Lines that carry something (a number, a label) this reader could not place. */
  unmatched: string[];
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

/**
 * The form in which labels are compared: compatibility forms folded (full-width （）：、digits
 * become ASCII), no whitespace, no quotation marks (web pages vary in both).
 */
export const normalizeLabel = (s: string) => s.normalize('NFKC').replace(/[\s"'“”‘’「」]/g, '');

const NUMBER = /^[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-−]?\d+(?:\.\d+)?$/;
const toNumber = (token: string) => Number(token.replace(/,/g, '').replace('−', '-'));

/** Leading numbering of a label: 一、 （一） 1. — used to recognise a label with a typo. */
const NUMBERING = /^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])/;

/** Lines of a statistics table's letterhead: (2018年度), 填报单位(盖章):金塘镇, 统 计 指 标. */
const LETTERHEAD = [/^\(?\d{4}年度?\)?$/, /^填报(单位|机关|日期|人)/, /^(审核人|负责人|填表人|联系电话)[:：]/];

/** Title and date lines that head a published page before the report itself. */
const TITLE = /(报告|总结)$/;
const PUBLISHED = /^(?:发布|公开|成文)(?:时间|日期)[:：]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/;
const META = /^(?:来源|作者|浏览次数|索引号|信息来源|字号)[:：]/;

/** What the official layout prints: row targets, furniture (headers, headings) and units. */
function layoutVocabulary(template: Template) {
  const targets: Target[] = [];
  /** Furniture text → the parts it is printed in. */
  const furniture = new Map<string, Set<number>>();
  const units = new Set<string>(['——', '—', '-']);
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
      for (const cell of row) if (cell.kind === 'unit' && cell.text) units.add(normalizeLabel(cell.text));
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

/** Splits a line into its text and the numbers at its end (units between them are dropped). */
function splitLine(line: string, units: Set<string>) {
  const tokens = line.normalize('NFKC').trim().split(/\s+/).filter(Boolean);
  const numbers: number[] = [];
  let end = tokens.length;
  let sawUnit = false;
  while (end > 0) {
    const token = tokens[end - 1]!;
    if (NUMBER.test(token)) numbers.unshift(toNumber(token));
    else if (units.has(normalizeLabel(token))) sawUnit = true;
    else break;
    end--;
  }
  const textTokens = tokens.slice(0, end);
  return { text: normalizeLabel(textTokens.join('')), numbers, unitOnly: end === 0 && sawUnit && numbers.length === 0 };
}

export function importText(template: Template, input: string): TextImport {
  const { targets, furniture, units } = layoutVocabulary(template);
  const cells: Cells = Object.fromEntries(cellKeys(template).map((k) => [k, null]));
  const paragraphs: Record<string, string[]> = Object.fromEntries(template.sections.map((s) => [s.key, []]));
  const unmatched: string[] = [];
  let publishedDate: string | undefined;

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

  const filled = new Set<Target>();
  let cursor = 0;
  let current: { target: Target; next: number } | null = null;
  const firstPart = template.parts[0];
  // A narrative with no printed heading (legacy-2014's 正文) starts right after the page title.
  const unheadedFirst =
    firstPart?.type === 'section' && !/^[一二三四五六七八九十]+、/.test(template.sections.find((s) => s.key === firstPart.key)?.title ?? '');
  let region: Region = { kind: 'preamble' };

  const lines = input.replace(/\r\n?/g, '\n').split('\n');

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

  function assign(numbers: number[], raw: string) {
    let overflow = false;
    for (const n of numbers) {
      if (!current || current.next >= current.target.cells.length) {
        overflow = true;
        continue;
      }
      const key = current.target.cells[current.next++]!;
      cells[key] = n;
      if (current.next >= current.target.cells.length) filled.add(current.target);
    }
    if (overflow) unmatched.push(raw.trim());
  }

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (!raw.trim()) continue;
    const { text, numbers, unitOnly } = splitLine(raw, units);

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

    const heading = text && numbers.length === 0 ? headingOf(text) : undefined;
    if (heading) {
      region = heading;
      current = null;
      if (heading.kind === 'table') activateUnlabelled(heading.part);
      continue;
    }

    if (region.kind === 'section') {
      // A table pasted without its title: a row label with its numbers on the same line.
      const row = numbers.length && text ? findTarget([text]) : undefined;
      if (!row) {
        paragraphs[region.key]!.push(raw.trim());
        continue;
      }
      region = { kind: 'table', part: row.target.part };
    }

    // A table, or the start of a page that is only a table.
    if (unitOnly) continue;
    if (!text) {
      assign(numbers, raw);
      continue;
    }
    const texts = [text];
    for (let j = i + 1; j < lines.length && texts.length < 3 && numbers.length === 0; j++) {
      if (!lines[j]!.trim()) continue;
      const next = splitLine(lines[j]!, units);
      if (!next.text) break;
      texts.push(next.text);
    }
    const found = findTarget(texts);
    if (found) {
      // Numbers on the last line the label spans belong to it.
      let lineNumbers = numbers;
      let consumed = found.consumed;
      for (let j = i + 1; consumed > 1 && j < lines.length; j++) {
        if (!lines[j]!.trim()) continue;
        lineNumbers = splitLine(lines[j]!, units).numbers;
        consumed--;
        i = j;
      }
      current = { target: found.target, next: 0 };
      cursor = targets.indexOf(found.target) + 1;
      if (lineNumbers.length) assign(lineNumbers, raw);
      continue;
    }
    const parts = furnitureParts(text);
    if (parts) {
      // Header lines of a table without row labels keep it current; any other furniture (a
      // heading, a block name) ends the row before it.
      const staysCurrent = current?.target.label === null && parts.has(current.target.part);
      if (!staysCurrent) current = null;
      if (parts.size === 1) activateUnlabelled([...parts][0]!);
      if (numbers.length) assign(numbers, raw);
      continue;
    }
    if (region.kind === 'preamble' && numbers.length === 0) {
      // Text before any heading that is not a table row: the introduction of the first section.
      const first = template.sections[0];
      if (first) paragraphs[first.key]!.push(raw.trim());
      continue;
    }
    current = null;
    unmatched.push(raw.trim());
  }

  /** Tables printed without a label per value row (四) take the numbers under their headers. */
  function activateUnlabelled(part: number) {
    const target = targets.find((t) => t.part === part && t.label === null && !filled.has(t));
    if (target && current?.target !== target) current = { target, next: target.cells.findIndex((k) => cells[k] === null) };
    if (current && current.next < 0) current = null;
  }

  const sections = Object.fromEntries(Object.entries(paragraphs).map(([k, ps]) => [k, ps.join('\n\n')]));
  return { cells, sections, unmatched, ...(publishedDate ? { publishedDate } : {}) };
}

/**
 * The text of an HTML page or fragment, for importText: one line per table row with its cells
 * separated by tabs, one line per paragraph, entities decoded. Regular expressions, not a DOM:
 * the core runs where no DOM parser exists (Workers, Node); pasted report pages are simple.
 */
export function htmlToText(html: string): string {
  const inline = (s: string) => s.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(script|style|head|template|noscript)\b[\s\S]*?<\/\1\s*>/gi, '')
      // A table cell stays on its row's line whatever it contains (paragraphs, line breaks).
      .replace(/<(td|th)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi, (_m, _tag, inner: string) => `${inline(inner)}\t`)
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/?(tr|p|div|h[1-6]|li|ul|ol|table|thead|tbody|caption|section|article|blockquote|pre|title|header|footer)\b[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  )
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+$/g, '').replace(/^[ \u00a0]+/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', middot: '·', mdash: '—', ldquo: '“', rdquo: '”' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}
