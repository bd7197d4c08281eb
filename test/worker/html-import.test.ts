// HTML pages through the importer as the Worker reads them: Workers' HTMLRewriter (lol-html)
// gives the tokens (src/areas/admin/html-tokens.ts), the pure core builds the tree, finds the
// article and reads the tables (src/core/html-document.ts, text-import.ts). The real pages of
// 平潭综合实验区 (test/fixtures/real-html, copied from /work/shared/reference/real-html, with
// their verified cells): every verified cell must come out right; the site around the article
// must stay out of the narrative; a provincial table that is not the template's is reported.
import { describe, expect, it } from 'vitest';
import { cellKeys, getTemplate, type Cells, type Layout, type Template } from '../../src/core';
import { htmlToText, importHtml, importText } from '../../src/core/text-import';
import { htmlTokens } from '../../src/areas/admin/html-tokens';
import { send } from './publication-helpers';
import huaian from '../fixtures/real/huaian-city-2024.json';
import html2014 from '../fixtures/real-html/pingtan-2014.html?raw';
import verified2014 from '../fixtures/real-html/pingtan-2014.cells.json';
import html2023 from '../fixtures/real-html/pingtan-2023.html?raw';
import verified2023 from '../fixtures/real-html/pingtan-2023.cells.json';

const legacy = getTemplate('legacy-2014')!;
const gov2021 = getTemplate('gov-2021')!;
const blank = (template: Template): Cells => Object.fromEntries(cellKeys(template).map((k) => [k, null]));
const readPage = async (template: Template, html: string) => importHtml(template, await htmlTokens(html));
const textOf = async (html: string) => htmlToText(await htmlTokens(html));

interface VerifiedPage {
  template: string;
  cells: Cells;
  missing: string[];
  unmapped_published_rows?: { label: string; this_year: number; cumulative: number }[];
}
const PAGES = { 'pingtan-2014': { html: html2014, verified: verified2014 as VerifiedPage }, 'pingtan-2023': { html: html2023, verified: verified2023 as VerifiedPage } };
const page = (name: keyof typeof PAGES) => PAGES[name];
/** Site furniture that must never reach the narrative. */
const SITE = ['网站支持IPV6', '无障碍浏览', '长者模式', '当前位置', '历史搜索', '扫一扫', '闽政通APP', '微信\n', '0">', 'display'];

const read2023 = await readPage(gov2021, html2023);
const read2014 = await readPage(legacy, html2014);

describe('平潭综合实验区 2023 (gov-2021, a real Word-exported page with its whole site around it)', () => {
  const { verified } = page('pingtan-2023');
  const result = read2023;

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
  const { verified } = page('pingtan-2014');
  const result = read2014;
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

  it('joins a cell split over Word spans: 78</span><span>967 is 78967', async () => {
    const html = table('<tr><td><span>行政</span><span>规范性文件</span></td><td><span>78</span><span>967</span></td><td><span>1</span>\n<span>2</span></td><td>3</td></tr>');
    const result = await readPage(gov2021, html);
    expect([result.cells['regulations.normative.issued'], result.cells['regulations.normative.repealed'], result.cells['regulations.normative.in_force']]).toEqual([78967, 12, 3]);
    expect(result.unmatched).toEqual([]);
  });

  it('never leaks an attribute holding > into the narrative', async () => {
    const html = '<div class="nav" ms-visible="list.length>0"><a href="/x" data-x="a>0">首页</a></div><div id="article"><p>一、总体情况</p><p title="1>0"><span ms-visible="isShow&&list.length>0">今年</span><input value="a>0">做了很多。</p><p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p></div>';
    const result = await readPage(gov2021, html);
    expect(result.sections).toEqual({ overview: '今年做了很多。', problems: '无。', other: '无。' });
  });

  it('keeps columns aligned with colspan and rowspan, and reads a blank or a dash as blank', async () => {
    const html = table(
      '<tr><td colspan="2">信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>' +
        '<tr><td rowspan="2">第二十条第（一）项</td><td>规章</td><td>1,234</td><td>—</td><td>5</td></tr>' +
        '<tr><td>行政规范性文件</td><td></td><td>1，200</td><td>/</td></tr>',
    );
    const result = await readPage(gov2021, html);
    expect(['rules', 'normative'].flatMap((r) => ['issued', 'repealed', 'in_force'].map((c) => result.cells[`regulations.${r}.${c}`]))).toEqual([1234, null, 5, null, 1200, null]);
    expect(result.missing.map((m) => m.row)).not.toContain('regulations.rules');
    expect(result.missing.map((m) => m.row)).toContain('licensing.licensing');
  });
});


/** The tables as text: each part's title, then each layout row as tab-separated cells. */
function tablesAsText(template: Template, cells: Cells): string {
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
      lines.push([...texts, ...values].join('\t'));
    }
  }
  return lines.join('\n');
}

describe('gov-2021 tables as a web page', () => {
  it('the same table as HTML (rowspans, cells with paragraphs, entities)', async () => {
    const rows = tablesAsText(gov2021, huaian.cells)
      .split('\n')
      .map((line) => `<tr>${line.split('\t').map((cell) => `<td><p>${cell.replace(/&/g, '&amp;')}</p></td>`).join('')}</tr>`);
    const html = `<html><head><title>x</title><style>td{}</style></head><body><table>${rows.join('\n')}</table></body></html>`;
    const result = importText(gov2021, await textOf(html));
    expect(result.cells).toEqual({ ...Object.fromEntries(cellKeys(gov2021).map((k) => [k, null])), ...huaian.cells });
  });

});

describe('htmlToText', () => {
  it('keeps a table row on one line, paragraphs on their own, and decodes entities', async () => {
    expect(await textOf('<p>一、总体情况</p><table><tr><th>规章</th><td>1</td><td><p>2</p></td></tr></table><p>A&amp;B&nbsp;&#x4E00;&#19968;</p>')).toBe(
      '一、总体情况\n\n规章\t1\t2\n\nA&B 一一',
    );
  });

  it('drops scripts, styles and comments', async () => {
    expect(await textOf('<script>var x = "<p>1</p>";</script><style>p{}</style><!-- 2 --><p>3</p>')).toBe('3');
  });
});


describe('POST /api/v1/admin/import/text with a real page', () => {
  type TextAnswer = {
    cells: Record<string, number | null>;
    sections: Record<string, string>;
    unmatched: string[];
    missing: { row: string; label: string }[];
    tables: { title: string; recognised: string; name?: string; column?: string; rows_mapped: { label: string; cells: string[]; values: (number | null)[] }[]; rows_unmapped: { label: string; values: (number | null)[] }[] }[];
    published_at?: string;
  };

  it('answers, besides cells and unmatched lines, the rows not found and the other table with its rows mapped and left over', async () => {
    // (30 s: the first request of the file starts the app in a fresh isolate.)
    const res = await send('POST', '/api/v1/admin/import/text', { template: 'legacy-2014', html: html2014 });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as TextAnswer;
    expect(answer.cells).toEqual({ ...blank(legacy), ...verified2014.cells });
    expect(answer.missing.map((m) => `stats.${m.row.split('.')[1]}.value`)).toEqual(verified2014.missing);
    expect(answer.tables).toHaveLength(1);
    expect(answer.tables[0]).toMatchObject({ recognised: 'other', column: '2014年度', title: '六、平潭综合实验区政府信息公开情况统计表' });
    expect(answer.tables[0]!.rows_mapped).toHaveLength(12);
    expect(answer.tables[0]!.rows_unmapped.map((r) => r.values)).toEqual([[1, 1], [0, 0], [0, 0], [0, 0]]);
    expect(answer.unmatched).toEqual([]);
    expect(answer.published_at).toBe('2015-01-02T00:00:00+08:00');
  }, 30_000);

  it('says plainly that a text without a table gave no row', async () => {
    const res = await send('POST', '/api/v1/admin/import/text', { template: 'gov-2021', text: '一、总体情况\n今年的工作。' });
    const answer = (await res.json()) as TextAnswer;
    expect(answer.missing).toHaveLength(gov2021.tables.reduce((n, t) => n + t.rows.length, 0));
    expect(answer.tables).toEqual([]);
  });
});
