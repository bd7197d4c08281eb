// Narrative figures against the tables (issue 16): the figures a report's text states about what
// its tables count — 「收到政府信息公开申请75件」, 「现行有效行政规范性文件393件」 — found with the
// template's phrase table (templates/*-phrases.ts) and compared with their cells. Pure, like
// rules.ts; run by the Worker (validate route, save, check page, review) through report-issues.ts.
//
// Third-party assessments count a text that contradicts its table as a fault, but a false alarm
// teaches clerks to explain warnings away, so a figure is compared only where the wording says
// plainly what it counts: a breakdown (其中…, 占…%, 其他…), a comparison (较上年增加…), an
// approximation (约, 余) or a figure naming another measure is left alone, and where the wording
// allows two readings (收到申请75件: new, or new + carried over) either one agrees.
import { cellCatalog } from './cells';
import { plainNumber } from './numbers';
import { cellPath } from './plausibility';
import type { Issue } from './rules';
import { GOV_2019_PHRASES } from './templates/gov-2019-phrases';
import { GOV_2021_PHRASES } from './templates/gov-2021-phrases';
import { LEGACY_2014_PHRASES } from './templates/legacy-2014-phrases';
import type { FigurePhrase, Reading } from './templates/phrases';
import type { Cells, Template, Text } from './templates/types';

export const NARRATIVE_RULE = 'narrative_figures';

const PHRASES: Record<string, FigurePhrase[]> = {
  'gov-2021': GOV_2021_PHRASES,
  'gov-2019': GOV_2019_PHRASES,
  'legacy-2014': LEGACY_2014_PHRASES,
};

/** The phrase table of a template (none for a template without one). */
export const phrasesOf = (template: Template): readonly FigurePhrase[] => PHRASES[template.id] ?? [];

/** At most this many characters between the words naming what is counted and the figure. */
const GAP = 12;
/** Between the naming words and the figure: another figure, a list, a comparison or an approximation. */
const GAP_BREAKS = /\d|[、和及与或]|较|比|增|减|降|上升|同期|占|平均|率|约|近|超过|逾|不到|不足|分别/;
/**
 * Anywhere in the clause before the figure: it is not this year's total — another year, a part,
 * an average, or one body of several (各部门…, 区直…, 本级…) in a report that sums them.
 */
const CLAUSE_BREAKS = /上年|去年|前年|同期|同比|比上|较上|其中|其他|分别|包括|以外|平均|累计|历年|第$|各[^，,]{0,4}(部门|单位|乡镇|街道|镇|县|区)|本级|区直|市直|县直|省直/;
/** Just after the figure: a share of a whole (占66%) or an approximation (以上, 左右). */
const TAIL_BREAKS = /^\s*[)）]?\s*[，,]?\s*(约)?占|^\s*[%％]|^\s*(以上|左右|多|余)/;
/** A figure and its unit. Longer units first (万元 before 元). */
const FIGURE = /(\d+(?:\.\d+)?)\s*(万元|件|条|个|份|宗|起|项|次)/g;
/** Characters before a sentence searched for a phrase's `context` (a paragraph heading). */
const CONTEXT_BEFORE = 80;

export interface StatedFigure {
  section: string;
  /** The clause stating it, as written (full-width digits made ASCII). */
  sentence: string;
  phrase: FigurePhrase;
  value: number;
  unit: string;
}

/** Full-width digits (１２) as ASCII. */
const asciiDigits = (text: string) => text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/．/g, '.');

/** 1,234 → 1234 (thousands separators). */
const unGrouped = (text: string) => text.replace(/(\d)[,，](?=\d{3}(?!\d))/g, '$1');

/** Every figure the text states that a phrase of the template names, in text order. */
export function statedFigures(template: Template, section: string, text: string): StatedFigure[] {
  const phrases = phrasesOf(template);
  if (!phrases.length || !text.trim()) return [];
  const plain = unGrouped(asciiDigits(text));
  const found: StatedFigure[] = [];
  for (const sentence of spans(plain, /[。！？!?\n]/)) {
    const breakdownAt = sentence.text.search(/其中/);
    const context = plain.slice(Math.max(0, sentence.start - CONTEXT_BEFORE), sentence.start + sentence.text.length);
    const before = new Set<FigurePhrase>();
    for (const clause of spans(sentence.text, /[，,；;：:]/)) {
      const clauseAt = clause.start;
      for (const m of clause.text.matchAll(FIGURE)) {
        const at = m.index!;
        const after = breakdownAt >= 0 && breakdownAt < clauseAt + at;
        const lead = clause.text.slice(0, at);
        const tail = sentence.text.slice(clauseAt + at + m[0].length);
        if (CLAUSE_BREAKS.test(lead) || TAIL_BREAKS.test(tail)) continue;
        const unit = m[2]!;
        const phrase = phrases.find((p) => p.units.includes(unit) && names(p, lead, context));
        if (!phrase) continue;
        // A breakdown (其中…) is not a total: after it, a figure of what the sentence counted
        // before it is a part; with no figure before it (其中 opens the sentence), every one is.
        if (after && (!before.size || before.has(phrase))) continue;
        if (!after) before.add(phrase);
        found.push({ section, sentence: clause.text.trim(), phrase, value: Number(m[1]), unit });
      }
    }
  }
  return found;
}

/** Whether the clause before a figure names what the phrase counts, close enough to the figure. */
function names(phrase: FigurePhrase, lead: string, context: string): boolean {
  if (phrase.needs && !phrase.needs.test(lead)) return false;
  if (phrase.unless?.test(lead)) return false;
  if (phrase.context && !phrase.context.test(context)) return false;
  const global = new RegExp(phrase.anchor.source, 'g');
  let end = -1;
  for (const m of lead.matchAll(global)) end = Math.max(end, m.index! + m[0].length);
  if (end < 0) return false;
  const gap = lead.slice(end);
  return gap.length <= GAP && !GAP_BREAKS.test(gap);
}

/** The pieces of `text` between separators, with where each starts. */
function spans(text: string, separator: RegExp): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || separator.test(text[i]!)) {
      if (i > start) out.push({ text: text.slice(start, i), start });
      start = i + 1;
    }
  }
  return out;
}

/** The sum of a reading's cells, or undefined while any of them is blank (nothing to compare yet). */
function readingValue(reading: Reading, cells: Cells): number | undefined {
  let total = 0;
  for (const key of reading.cells) {
    const value = cells[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    total += value;
  }
  return Math.round(total * 1e6) / 1e6;
}

/** Equal as written: 5949.09万元 states 5949.088667 to the fen it prints. */
function agrees(stated: number, value: number, written: string): boolean {
  const decimals = written.includes('.') ? written.split('.')[1]!.length : 0;
  return Math.abs(stated - value) <= 0.5 * 10 ** -decimals + 1e-9;
}

/**
 * The warnings for figures the narrative states that agree with no reading of their cells. Each
 * names the part and the clause, what it counts, and the cells with what they hold.
 */
export function narrativeIssues(template: Template, sections: Record<string, string>, cells: Cells): Issue[] {
  const rule = template.rules.find((r) => r.id === NARRATIVE_RULE);
  if (!rule) return [];
  const catalog = cellCatalog(template);
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const section of template.sections) {
    for (const figure of statedFigures(template, section.key, sections[section.key] ?? '')) {
      const known = figure.phrase.readings
        .map((reading) => ({ reading, value: readingValue(reading, cells) }))
        .filter((r): r is { reading: Reading; value: number } => r.value !== undefined);
      if (!known.length) continue;
      const written = String(figure.value);
      if (known.some((r) => agrees(figure.value, r.value, written))) continue;
      const key = `${section.key}|${figure.sentence}|${figure.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const where = known.map(({ reading, value }) => {
        const path = reading.cells.map((c) => (catalog.get(c) ? cellPath(catalog.get(c)!) : c)).join(' ＋ ');
        return { zh: `${path} 为 ${plainNumber(value)}`, en: `${path} is ${plainNumber(value)}` };
      });
      const stated = `${plainNumber(figure.value)} ${figure.unit}`;
      const what: Text = figure.phrase.what;
      issues.push({
        rule: NARRATIVE_RULE,
        severity: rule.severity,
        cells: [...new Set(known.flatMap((r) => r.reading.cells))],
        section: section.key,
        sentence: figure.sentence,
        message: {
          zh: `${section.title}「${figure.sentence}」：${what.zh} ${stated}，而表格中${where.map((w) => w.zh).join('，')}，请核对；如无误请说明`,
          en: `${section.title} 「${figure.sentence}」: ${what.en} ${stated}, but in the tables ${where.map((w) => w.en).join(', and ')}; check it, and if it is right explain`,
        },
        actual: figure.value,
      });
    }
  }
  return issues;
}
