// Reading published report text into cells (src/core/text-import.ts). The reference text of
// 金塘镇 2018 must give exactly the 16 numbers of its table and its narrative; gov-2021 tables
// as web pages print them (a row per line, or a value per line, or HTML) must give back every
// number of a real report, and what cannot be placed must be listed, never guessed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cellKeys, getTemplate, type Cells, type Layout, type Template } from '../../src/core';
import { htmlToText, importText, normalizeLabel } from '../../src/core/text-import';

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

  it('the same table as HTML (rowspans, cells with paragraphs, entities)', () => {
    const rows = tablesAsText(gov2021, huaian.cells)
      .split('\n')
      .map((line) => `<tr>${line.split('\t').map((cell) => `<td><p>${cell.replace(/&/g, '&amp;')}</p></td>`).join('')}</tr>`);
    const html = `<html><head><title>x</title><style>td{}</style></head><body><table>${rows.join('\n')}</table></body></html>`;
    const result = importText(gov2021, htmlToText(html));
    expect(result.cells).toEqual({ ...Object.fromEntries(cellKeys(gov2021).map((k) => [k, null])), ...huaian.cells });
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

describe('htmlToText', () => {
  it('keeps a table row on one line, paragraphs on their own, and decodes entities', () => {
    expect(htmlToText('<p>一、总体情况</p><table><tr><th>规章</th><td>1</td><td><p>2</p></td></tr></table><p>A&amp;B&nbsp;&#x4E00;&#19968;</p>')).toBe(
      '一、总体情况\n\n规章\t1\t2\n\nA&B 一一',
    );
  });

  it('drops scripts, styles and comments', () => {
    expect(htmlToText('<script>var x = "<p>1</p>";</script><style>p{}</style><!-- 2 --><p>3</p>')).toBe('3');
  });
});

it('normalizeLabel folds full-width forms, spaces and quotes', () => {
  expect(normalizeLabel('（一） 予以公开')).toBe(normalizeLabel('(一)予以公开'));
  expect(normalizeLabel('3.危及“三安全一稳定”')).toBe('3.危及三安全一稳定');
});
