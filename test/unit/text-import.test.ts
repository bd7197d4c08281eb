// Reading published report text into cells (src/core/text-import.ts). The reference text of
// 金塘镇 2018 must give exactly the 16 numbers of its table and its narrative; gov-2021 tables
// as web pages print them (a row per line, or a value per line) must give back every number of
// a real report, and what cannot be placed must be listed, never guessed. HTML pages go through
// Workers' HTMLRewriter: those tests (the real 平潭 pages) are test/worker/html-import.test.ts;
// here, the tree the core builds from a parser's tokens.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cellKeys, getTemplate, type Cells, type Layout, type Template } from '../../src/core';
import { readHtml, type HtmlToken } from '../../src/core/html-document';
import { importHtml, importText, normalizeLabel } from '../../src/core/text-import';

const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');

const legacy = getTemplate('legacy-2014')!;
const gov2021 = getTemplate('gov-2021')!;
const jintang = JSON.parse(read('../fixtures/jintang-2018.json')) as { sections: { body: string }; cells: Cells };
const referenceText = read('../fixtures/jintang-2018-annual-report.txt');

describe('the 金塘镇 2018 reference text (legacy-2014)', () => {
  const result = importText(legacy, referenceText);

  it('yields exactly the 16 numbers of its table and every other cell blank', () => {
    const numbers = Object.fromEntries(Object.entries(result.cells).filter(([, v]) => v !== null));
    expect(numbers).toEqual({
      'stats.proactive_total.value': 259,
      'stats.proactive_normative.value': 0,
      'stats.normative_issued.value': 0,
      'stats.ch_website.value': 259,
      'stats.responses.value': 15,
      'stats.interpretations.value': 0,
      'stats.apps_received.value': 0,
      'stats.apps_closed.value': 0,
      'stats.replies.value': 0,
      'stats.reviews.value': 0,
      'stats.suits.value': 0,
      'stats.complaints.value': 0,
      'stats.bodies.value': 1,
      'stats.staff.value': 2,
      'stats.staff_full.value': 1,
      'stats.staff_part.value': 1,
    });
    expect(Object.keys(result.cells)).toEqual(cellKeys(legacy));
    expect(result.cells).toEqual(jintang.cells);
  });

  it('yields the narrative body, without the page title and date, and the publication date', () => {
    expect(result.sections).toEqual({ body: jintang.sections.body });
    expect(result.publishedDate).toBe('2019-01-16');
  });

  it('places every line: nothing unmatched', () => {
    expect(result.unmatched).toEqual([]);
  });

  it('reads the same table with Windows line breaks and full-width punctuation', () => {
    const variant = referenceText.replace(/\n/g, '\r\n').replace(/\(/g, '（').replace(/\)/g, '）').replace(/:/g, '：');
    expect(importText(legacy, variant).cells).toEqual(jintang.cells);
  });
});

// ---------------------------------------------------------------------------------------------
// gov-2021: a real report's tables, printed from the official layout the way web pages do
// ---------------------------------------------------------------------------------------------

const huaian = JSON.parse(read('../fixtures/real/huaian-city-2024.json')) as { cells: Cells };
const hongze = JSON.parse(read('../fixtures/real/hongze-district-2023.json')) as { cells: Cells };

/** The tables as text: each part's title, then each layout row as tab-separated cells. */
function tablesAsText(template: Template, cells: Cells, valuesOnOwnLines = false): string {
  const lines: string[] = [];
  const show = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  for (const part of template.parts) {
    if (part.type === 'section') {
      lines.push(template.sections.find((s) => s.key === part.key)!.title, `${part.key} 的正文。`);
      continue;
    }
    lines.push(part.title);
    const layout: Layout = part.layout;
    for (const row of [...layout.head, ...layout.body]) {
      const texts = row.filter((c) => c.kind !== 'value').map((c) => c.text ?? '');
      const values = row.filter((c) => c.kind === 'value' && c.cell).map((c) => show(cells[c.cell!]));
      if (valuesOnOwnLines) lines.push(...texts, ...values);
      else lines.push([...texts, ...values].join('\t'));
    }
  }
  return lines.join('\n');
}

describe('gov-2021 tables copied from a web page', () => {
  it('a row per line, label then its numbers: every cell of 淮安市 2024', () => {
    const result = importText(gov2021, tablesAsText(gov2021, huaian.cells));
    expect(result.cells).toEqual({ ...Object.fromEntries(cellKeys(gov2021).map((k) => [k, null])), ...huaian.cells });
    expect(result.unmatched).toEqual([]);
    expect(result.sections).toEqual({ overview: 'overview 的正文。', problems: 'problems 的正文。', other: 'other 的正文。' });
  });

  it('a value per line (a PDF text layer): the same cells', () => {
    const result = importText(gov2021, tablesAsText(gov2021, huaian.cells, true));
    expect(result.cells).toEqual({ ...Object.fromEntries(cellKeys(gov2021).map((k) => [k, null])), ...huaian.cells });
    expect(result.unmatched).toEqual([]);
  });

  it('lists what it cannot place: 洪泽区 prints the 2019-style （六）其他处理 row and a label with a typo', () => {
    // 洪泽区's table as published: one （六）其他处理 row instead of three, and 2.其他法律行政止公开.
    const text = tablesAsText(gov2021, hongze.cells)
      .split('\n')
      .filter((line) => !/^(（六）其他处理\t)?(1\.申请人无正当理由|2\.申请人逾期未按|3\.其他)/.test(line))
      .map((line) => line.replace('2.其他法律行政法规禁止公开', '2.其他法律行政止公开'))
      .flatMap((line) => (line.startsWith('（七）总计') ? ['（六）其他处理\t0\t0\t0\t0\t0\t0\t0', line] : [line]));
    const result = importText(gov2021, text.join('\n'));
    const expected = { ...Object.fromEntries(cellKeys(gov2021).map((k) => [k, null])), ...hongze.cells };
    expect(result.cells).toEqual(expected);
    expect(result.unmatched).toEqual(['（六）其他处理\t0\t0\t0\t0\t0\t0\t0']);
  });

  it('never guesses: numbers with no row, and unknown lines, are unmatched', () => {
    const result = importText(gov2021, ['二、主动公开政府信息情况', '第二十条第（一）项', '规章\t1\t2\t3\t4', '本行不是表格的一部分 7'].join('\n'));
    expect(result.cells['regulations.rules.issued']).toBe(1);
    expect(result.cells['regulations.rules.in_force']).toBe(3);
    expect(result.unmatched).toEqual(['规章\t1\t2\t3\t4', '本行不是表格的一部分 7']);
  });
});

const blank = (template: Template): Cells => Object.fromEntries(cellKeys(template).map((k) => [k, null]));

describe('the tree built from a parser’s tokens (html-document.ts)', () => {
  const open = (tag: string, attrs: Record<string, string> = {}): HtmlToken => ({ open: tag, attrs });
  const close = (tag: string): HtmlToken => ({ close: tag });
  const text = (t: string): HtmlToken => ({ text: t });

  it('joins a cell’s pieces (Word’s spans) and closes cells and rows whose end tags are left out', () => {
    const tokens = [
      open('table'), open('tr'), open('td'), open('span'), text('78'), close('span'), open('span'), text('967'), close('span'),
      // no </td>, no </tr>: HTML implies them
      open('td'), text('1'), open('tr'), open('td', { colspan: '2' }), text('a&amp;b&nbsp;&#x4E00;'), close('table'),
    ];
    const [table] = readHtml(tokens).blocks;
    expect(table).toEqual({
      kind: 'table',
      rows: [
        { cells: [{ text: '78967', column: 0, colspan: 1, header: false }, { text: '1', column: 1, colspan: 1, header: false }] },
        { cells: [{ text: 'a&b 一', column: 0, colspan: 2, header: false }] },
      ],
    });
  });

  it('keeps rowspans’ columns, and reads no text from scripts, styles, hidden elements or attributes', () => {
    const tokens = [
      open('script'), text('var x = "<p>1</p>";'), close('script'), open('div', { style: 'display: none', 'ms-visible': 'list.length>0' }), text('0">'), close('div'),
      open('p', { title: 'a>0' }), text('正文'), close('p'),
      open('table'), open('tr'), open('td', { rowspan: '2' }), text('组'), close('td'), open('td'), text('甲'), close('td'), close('tr'),
      open('tr'), open('td'), text('乙'), close('td'), close('tr'), close('table'),
    ];
    const { blocks } = readHtml(tokens);
    expect(blocks[0]).toEqual({ kind: 'text', text: '正文' });
    expect(blocks[1]).toMatchObject({ rows: [{ cells: [{ text: '组', column: 0 }, { text: '甲', column: 1 }] }, { cells: [{ text: '乙', column: 1 }] }] });
  });

  it('reads a gov-2021 table from tokens into cells, a dash and a blank cell being blank', () => {
    const row = (...cells: string[]) => [open('tr'), ...cells.flatMap((c) => [open('td'), text(c), close('td')]), close('tr')];
    const tokens = [open('p'), text('二、主动公开政府信息情况'), close('p'), open('table'), ...row('规章', '1,234', '—', '5'), ...row('行政规范性文件', '', '1，200', '/'), close('table')];
    const result = importHtml(gov2021, tokens);
    expect(['rules', 'normative'].flatMap((r) => ['issued', 'repealed', 'in_force'].map((c) => result.cells[`regulations.${r}.${c}`]))).toEqual([1234, null, 5, null, 1200, null]);
    expect(result.cells).toEqual({ ...blank(gov2021), ...Object.fromEntries(Object.entries(result.cells).filter(([, v]) => v !== null)) });
    expect(result.missing.map((m) => m.row)).not.toContain('regulations.rules');
  });
});

it('normalizeLabel folds full-width forms, spaces and quotes', () => {
  expect(normalizeLabel('（一） 予以公开')).toBe(normalizeLabel('(一)予以公开'));
  expect(normalizeLabel('3.危及“三安全一稳定”')).toBe('3.危及三安全一稳定');
});

describe('numbering, separators and blanks in text', () => {
  const rows = (numbering: (n: string) => string) =>
    [
      '三、收到和处理政府信息公开申请情况',
      `（三）不予公开 ${numbering('1')}属于国家秘密\t1\t2\t3\t4\t5\t6\t21`,
      `${numbering('2')}其他法律行政法规禁止公开\t1,001\t—\t/\t0\t0\t0\t1，001`,
    ].join('\n');

  for (const [name, numbering] of [
    ['1.', (n: string) => `${n}.`],
    ['1．', (n: string) => `${n}．`],
    ['1、', (n: string) => `${n}、`],
    ['(1)', (n: string) => `(${n})`],
    ['（1）', (n: string) => `（${n}）`],
  ] as const) {
    it(`reads rows numbered ${name}`, () => {
      const result = importText(gov2021, rows(numbering));
      expect(result.cells['applications.w_secret.total']).toBe(21);
      expect(result.cells['applications.w_law.natural']).toBe(1001);
      expect(result.cells['applications.w_law.business']).toBeNull();
      expect(result.cells['applications.w_law.research']).toBeNull();
      expect(result.cells['applications.w_law.total']).toBe(1001);
      expect(result.unmatched).toEqual([]);
    });
  }

  it('reads a label split over two lines with its numbers on the second', () => {
    const result = importText(gov2021, ['三、收到和处理政府信息公开申请情况', '一、本年新收政府信息公开', '申请数量 5 0 0 0 0 0 5'].join('\n'));
    expect(result.cells['applications.new.natural']).toBe(5);
    expect(result.cells['applications.new.total']).toBe(5);
  });
});

describe('saying what was not found', () => {
  it('a narrative without any table: every row of the template is missing, by label, in order', () => {
    const result = importText(gov2021, '一、总体情况\n今年主动公开信息 13561 条。');
    const rows = gov2021.tables.flatMap((t) => t.rows.map((r) => `${t.key}.${r.key}`));
    expect(result.missing.map((m) => m.row)).toEqual(rows);
    expect(result.missing[0]).toEqual({ row: 'regulations.rules', label: '规章' });
    expect(result.sections.overview).toBe('今年主动公开信息 13561 条。');
  });

  it('the 金塘镇 reference text: the legacy-2014 rows its table does not have', () => {
    const result = importText(legacy, referenceText);
    expect(result.missing).toHaveLength(legacy.tables[0]!.rows.length - 16);
    expect(result.missing.map((m) => m.row)).not.toContain('stats.proactive_total');
    expect(result.missing).toContainEqual({ row: 'stats.ch_gazette', label: '1.政府公报公开政府信息数' });
  });

  it('a whole table flattened onto one line is read row by row', () => {
    const flat = tablesAsText(gov2021, huaian.cells).replace(/[\t\n]+/g, ' ');
    const result = importText(gov2021, flat);
    const expected = { ...blank(gov2021), ...huaian.cells };
    const wrong = Object.keys(expected).filter((k) => result.cells[k] !== expected[k]);
    // What the flattened line cannot give back is listed as missing, never guessed.
    const missingCells = new Set(result.missing.flatMap((m) => cellKeys(gov2021).filter((k) => k.startsWith(`${m.row}.`))));
    expect(wrong.filter((k) => !missingCells.has(k))).toEqual([]);
    expect(wrong).toEqual([]);
    expect(result.unmatched).toEqual([]);
  });

  it('a one-line table it cannot read at all is not silence: every row is missing', () => {
    const result = importText(gov2021, '附表 甲 1 2 3 乙 4 5 6 丙 7 8 9');
    expect(result.missing).toHaveLength(gov2021.tables.reduce((n, t) => n + t.rows.length, 0));
  });
});

describe('the other real reports (test/fixtures/real) as web page text', () => {
  for (const name of ['huaian-city-2024', 'pingtan-2022']) {
    it(`${name}: every cell, nothing missing, nothing unmatched`, () => {
      const fixture = JSON.parse(read(`../fixtures/real/${name}.json`)) as { cells: Cells };
      const result = importText(gov2021, tablesAsText(gov2021, fixture.cells));
      expect(result.cells).toEqual({ ...blank(gov2021), ...fixture.cells });
      expect(result.missing).toEqual([]);
      expect(result.unmatched).toEqual([]);
    });
  }
});
