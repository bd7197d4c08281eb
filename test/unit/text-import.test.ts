// Reading published report text into cells (src/core/text-import.ts). The reference text of
// 金塘镇 2018 must give exactly the 16 numbers of its table and its narrative; gov-2021 tables
// as web pages print them (a row per line, or a value per line, or HTML) must give back every
// number of a real report, and what cannot be placed must be listed, never guessed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cellKeys, getTemplate, type Cells, type Layout, type Template } from '../../src/core';
import { htmlToText, importHtml, importText, normalizeLabel } from '../../src/core/text-import';

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

// ---------------------------------------------------------------------------------------------
// Real web pages as their site served them (test/fixtures/real-html, copied from
// /work/shared/reference/real-html): the site around the article, Word-exported tables.
// ---------------------------------------------------------------------------------------------

interface VerifiedPage {
  template: string;
  cells: Cells;
  missing: string[];
  unmapped_published_rows?: { label: string; this_year: number; cumulative: number }[];
}
const page = (name: string) => ({
  html: read(`../fixtures/real-html/${name}.html`),
  verified: JSON.parse(read(`../fixtures/real-html/${name}.cells.json`)) as VerifiedPage,
});
const blank = (template: Template): Cells => Object.fromEntries(cellKeys(template).map((k) => [k, null]));
/** Site furniture that must never reach the narrative. */
const SITE = ['网站支持IPV6', '无障碍浏览', '长者模式', '当前位置', '历史搜索', '扫一扫', '闽政通APP', '微信\n', '0">', 'display'];

describe('平潭综合实验区 2023 (gov-2021, a real Word-exported page with its whole site around it)', () => {
  const { html, verified } = page('pingtan-2023');
  const result = importHtml(gov2021, html);

  it('gives every verified cell (all 200 of them) exactly', () => {
    expect(verified.template).toBe('gov-2021');
    expect(result.cells).toEqual({ ...blank(gov2021), ...verified.cells });
    expect(result.missing).toEqual([]);
    expect(result.unmatched).toEqual([]);
  });

  it('reads the article only: the narrative starts with the report and holds none of the site', () => {
    expect(result.sections.overview!.startsWith('本报告根据《中华人民共和国政府信息公开条例》')).toBe(true);
    expect(result.sections.other).toBe('2023年，无收取信息处理费情况。');
    for (const text of Object.values(result.sections)) for (const furniture of SITE) expect(text).not.toContain(furniture);
  });

  it('takes the publication date from the page, and names its three tables as the template’s', () => {
    expect(result.publishedDate).toBe('2024-03-08');
    expect(result.tables.map((t) => [t.title, t.recognised, t.rows_unmapped.length])).toEqual([
      ['二、主动公开政府信息情况', 'gov-2021', 0],
      ['三、收到和处理政府信息公开申请情况', 'gov-2021', 0],
      ['四、政府信息公开行政复议、行政诉讼情况', 'gov-2021', 0],
    ]);
  });
});

describe('平潭综合实验区 2014 (a provincial pre-2019 table, not legacy-2014’s)', () => {
  const { html, verified } = page('pingtan-2014');
  const result = importHtml(legacy, html);
  const table = result.tables[0]!;

  it('reports the table as another table, with the column it read', () => {
    expect(result.tables).toHaveLength(1);
    expect(table.recognised).toBe('other');
    expect(table.name).toContain('福建省');
    expect(table.column).toBe('2014年度');
    expect(table.title).toBe('六、平潭综合实验区政府信息公开情况统计表');
  });

  it('gives every verified cell: the 12 rows that are the same measure, 本年度 only (78967 is 历年累计, never split)', () => {
    expect(result.cells).toEqual({ ...blank(legacy), ...verified.cells });
    expect(table.rows_mapped.map((r) => [r.cells[0], r.values[0]]).sort()).toEqual(
      Object.entries(verified.cells)
        .filter(([, v]) => v !== null)
        .sort(),
    );
    expect(table.rows_mapped[0]).toEqual({ label: '主动公开文件数', cells: ['stats.proactive_total.value'], values: [2543] });
  });

  it('lists the 4 rows that have no cell, with both their values', () => {
    expect(table.rows_unmapped.map((r) => [r.label.replace(/^\d、/, ''), r.values])).toEqual(
      verified.unmapped_published_rows!.map((r) => [r.label, [r.this_year, r.cumulative]]),
    );
  });

  it('keeps the table and the site out of the narrative, and lists every legacy-2014 row it did not give', () => {
    expect(result.sections.body!.startsWith('根据《中华人民共和国政府信息公开条例》')).toBe(true);
    expect(result.sections.body!.endsWith('进一步提高我区政府信息公开水平。')).toBe(true);
    for (const text of ['指标名称', '历年累计', '统计表\n', ...SITE]) expect(result.sections.body).not.toContain(text);
    expect(result.missing.map((m) => `stats.${m.row.split('.')[1]}.value`)).toEqual(verified.missing);
    expect(result.missing).toContainEqual({ row: 'stats.responses', label: '（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）' });
    expect(result.unmatched).toEqual([]);
    expect(result.publishedDate).toBe('2015-01-02');
  });
});

describe('HTML read with a parser', () => {
  const table = (rows: string) => `<p>二、主动公开政府信息情况</p><table>${rows}</table>`;

  it('joins a cell split over Word spans: 78</span><span>967 is 78967', () => {
    const html = table('<tr><td><span>行政</span><span>规范性文件</span></td><td><span>78</span><span>967</span></td><td><span>1</span>\n<span>2</span></td><td>3</td></tr>');
    const result = importHtml(gov2021, html);
    expect([result.cells['regulations.normative.issued'], result.cells['regulations.normative.repealed'], result.cells['regulations.normative.in_force']]).toEqual([78967, 12, 3]);
    expect(result.unmatched).toEqual([]);
  });

  it('never leaks an attribute holding > into the narrative', () => {
    const html = '<div class="nav" ms-visible="list.length>0"><a href="/x" data-x="a>0">首页</a></div><div id="article"><p>一、总体情况</p><p title="1>0"><span ms-visible="isShow&&list.length>0">今年</span><input value="a>0">做了很多。</p><p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p></div>';
    const result = importHtml(gov2021, html);
    expect(result.sections).toEqual({ overview: '今年做了很多。', problems: '无。', other: '无。' });
  });

  it('keeps columns aligned with colspan and rowspan, and reads a blank or a dash as blank', () => {
    const html = table(
      '<tr><td colspan="2">信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>' +
        '<tr><td rowspan="2">第二十条第（一）项</td><td>规章</td><td>1,234</td><td>—</td><td>5</td></tr>' +
        '<tr><td>行政规范性文件</td><td></td><td>1，200</td><td>/</td></tr>',
    );
    const result = importHtml(gov2021, html);
    expect(['rules', 'normative'].flatMap((r) => ['issued', 'repealed', 'in_force'].map((c) => result.cells[`regulations.${r}.${c}`]))).toEqual([1234, null, 5, null, 1200, null]);
    expect(result.missing.map((m) => m.row)).not.toContain('regulations.rules');
    expect(result.missing.map((m) => m.row)).toContain('licensing.licensing');
  });
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
