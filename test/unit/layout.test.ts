// The official printed layouts (template.parts): what the public page and print reproduce.
// Each layout is placed on a grid the way a browser places an HTML table (rowspan/colspan), so a
// wrong span shows up as a ragged row, an overlap or a hole, exactly as it would on the page.
import { describe, expect, it } from 'vitest';
import { cellKeys, getTemplate, TEMPLATES, type Layout, type LayoutCell, type Part, type Template } from '../../src/core';

interface Placed {
  cell: LayoutCell;
  row: number;
  col: number;
  rows: number;
  cols: number;
}

/**
 * Places rows of cells on a grid `columns` wide, as HTML tables do: each cell goes to the next
 * free slot of its row and covers rowspan × colspan slots. Throws on overlap, overflow past the
 * last column or row, or a hole (a row not exactly `columns` wide).
 */
function place(rows: LayoutCell[][], columns: number): { grid: Placed[][]; placed: Placed[] } {
  const grid: (Placed | undefined)[][] = rows.map(() => []);
  const placed: Placed[] = [];
  rows.forEach((cells, r) => {
    let c = 0;
    for (const cell of cells) {
      while (grid[r]![c]) c++;
      const p: Placed = { cell, row: r, col: c, rows: cell.rowspan ?? 1, cols: cell.colspan ?? 1 };
      if (!Number.isInteger(p.rows) || !Number.isInteger(p.cols) || p.rows < 1 || p.cols < 1) {
        throw new Error(`row ${r}: bad span ${p.rows}×${p.cols}`);
      }
      for (let i = r; i < r + p.rows; i++) {
        if (i >= rows.length) throw new Error(`row ${r} col ${c}: rowspan ${p.rows} runs past the last row`);
        for (let j = c; j < c + p.cols; j++) {
          if (j >= columns) throw new Error(`row ${r}: wider than ${columns} columns`);
          if (grid[i]![j]) throw new Error(`row ${i} col ${j}: overlap`);
          grid[i]![j] = p;
        }
      }
      placed.push(p);
      c += p.cols;
    }
  });
  grid.forEach((row, r) => {
    for (let j = 0; j < columns; j++) if (!row[j]) throw new Error(`row ${r} col ${j}: hole (row narrower than ${columns})`);
  });
  return { grid: grid as Placed[][], placed };
}

/** Head and body placed separately: a header cell's rowspan must not reach into the body. */
const placeLayout = (layout: Layout) => ({ head: place(layout.head, layout.columns), body: place(layout.body, layout.columns) });

const tablesPart = (t: Template, key: string) => {
  const part = t.parts.find((p): p is Extract<Part, { type: 'tables' }> => p.type === 'tables' && p.key === key);
  if (!part) throw new Error(`${t.id} has no tables part ${key}`);
  return part;
};

/** What is drawn at (row, col), with its span and whether the cell starts there. */
const at = (grid: Placed[][], row: number, col: number) => {
  const p = grid[row]![col]!;
  return { kind: p.cell.kind, text: p.cell.text, cell: p.cell.cell, rows: p.rows, cols: p.cols, starts: p.row === row && p.col === col };
};
const span = (kind: LayoutCell['kind'], text: string, rows = 1, cols = 1) => ({ kind, text, rows, cols, starts: true, cell: undefined });

const valueKeys = (rows: LayoutCell[][]) => rows.flatMap((r) => r.filter((c) => c.kind === 'value' && c.cell).map((c) => c.cell!));

describe('the grid helper', () => {
  it('places spans and rejects ragged, overlapping and overflowing rows', () => {
    const h = (text: string, rowspan?: number, colspan?: number): LayoutCell => ({ kind: 'head', text, rowspan, colspan });
    const { grid } = place([[h('a', 2), h('b', 1, 2)], [h('c'), h('d')]], 3);
    expect(grid.map((r) => r.map((p) => p.cell.text))).toEqual([['a', 'b', 'b'], ['a', 'c', 'd']]);
    expect(() => place([[h('a'), h('b')], [h('c')]], 2)).toThrow(/hole/);
    expect(() => place([[h('a', 1, 3)]], 2)).toThrow(/wider/);
    expect(() => place([[h('a', 3)], [h('b')]], 1)).toThrow(/past the last row/);
    expect(() => place([[h('a'), h('b', 2)], [h('c', 1, 2)]], 2)).toThrow(/overlap/);
  });
});

describe.each(TEMPLATES.map((t) => [t.id, t] as const))('%s: every printed table', (_id, template) => {
  const parts = template.parts.filter((p): p is Extract<Part, { type: 'tables' }> => p.type === 'tables');

  it.each(parts.map((p) => [p.key, p] as const))('%s: every row exactly as wide as the table, no overlap, no hole', (_key, part) => {
    expect(() => placeLayout(part.layout)).not.toThrow();
    expect(part.layout.body.length).toBeGreaterThan(0);
  });

  it('every cell key appears exactly once among the value cells, in official order', () => {
    const keys = parts.flatMap((p) => valueKeys([...p.layout.head, ...p.layout.body]));
    expect(keys).toEqual(cellKeys(template));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('each part shows only cells of the tables it lists', () => {
    for (const part of parts) {
      const tables = new Set(valueKeys(part.layout.body).map((k) => k.split('.')[0]));
      expect([...tables]).toEqual(part.tables);
    }
  });

  it('headers and labels all have text', () => {
    for (const part of parts) {
      for (const cell of [...part.layout.head, ...part.layout.body].flat()) {
        if (cell.kind === 'head' || cell.kind === 'label' || cell.kind === 'unit') expect(cell.text).toBeTruthy();
      }
    }
  });
});

describe('document order', () => {
  it('gov templates: 一 narrative, 二 三 四 tables, 五 六 narrative', () => {
    for (const id of ['gov-2021', 'gov-2019']) {
      expect(getTemplate(id)!.parts.map((p) => `${p.type}:${p.key}`)).toEqual([
        'section:overview',
        'tables:proactive',
        'tables:applications',
        'tables:appeals',
        'section:problems',
        'section:other',
      ]);
    }
    expect(getTemplate('legacy-2014')!.parts.map((p) => `${p.type}:${p.key}`)).toEqual(['section:body', 'tables:stats']);
  });
});

const NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';
const APP_COLUMNS = ['natural', 'business', 'research', 'nonprofit', 'legal', 'other_org', 'total'];

describe.each(['gov-2021', 'gov-2019'] as const)('%s 三、收到和处理政府信息公开申请情况', (id) => {
  const part = tablesPart(getTemplate(id)!, 'applications');
  // Placed inside each test, so a bad span fails the tests that draw it, with the reason.
  const grids = () => placeLayout(part.layout);
  const others = id === 'gov-2021' ? ['o_no_correction', 'o_fee_unpaid', 'o_other'] : ['o_other'];
  const rows = [
    'new',
    'carried_in',
    'disclosed',
    'partial',
    'w_secret',
    'w_law',
    'w_security',
    'w_third_party',
    'w_internal',
    'w_process',
    'w_enforcement',
    'w_query',
    'u_not_held',
    'u_needs_making',
    'u_unclear',
    'n_petition',
    'n_repeat',
    'n_publication',
    'n_excessive',
    'n_confirm',
    ...others,
    'results_total',
    'carried_out',
  ];

  it('is 3 label columns + 7 value columns, a 3-row header', () => {
    expect(part.layout.columns).toBe(10);
    expect(part.layout.head).toHaveLength(3);
    expect(part.note).toBe(NOTE);
  });

  it('header row 1: the note 3 columns × 3 rows, then 申请人情况 over 7 columns', () => {
    expect(at(grids().head.grid, 0, 0)).toEqual(span('head', NOTE, 3, 3));
    expect(at(grids().head.grid, 2, 2).text).toBe(NOTE);
    expect(at(grids().head.grid, 0, 3)).toEqual(span('head', '申请人情况', 1, 7));
  });

  it('header row 2: 自然人 and 总计 2 rows high, 法人或其他组织 5 wide', () => {
    expect(at(grids().head.grid, 1, 3)).toEqual(span('head', '自然人', 2, 1));
    expect(at(grids().head.grid, 1, 4)).toEqual(span('head', '法人或其他组织', 1, 5));
    expect(at(grids().head.grid, 1, 9)).toEqual(span('head', '总计', 2, 1));
    expect(at(grids().head.grid, 2, 3).text).toBe('自然人');
    expect(at(grids().head.grid, 2, 9).text).toBe('总计');
  });

  it('header row 3: the five kinds of organisation', () => {
    expect([4, 5, 6, 7, 8].map((c) => at(grids().head.grid, 2, c))).toEqual(
      ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'].map((t) => span('head', t)),
    );
  });

  it(`body: ${rows.length} rows × 7 value cells, in the official row and column order`, () => {
    expect(part.layout.body).toHaveLength(rows.length);
    grids().body.grid.forEach((line, r) => {
      expect(line.slice(3).map((p) => p.cell.kind)).toEqual(Array(7).fill('value'));
      expect(line.slice(3).map((p) => p.cell.cell)).toEqual(APP_COLUMNS.map((c) => `applications.${rows[r]}.${c}`));
      expect(line.slice(0, 3).every((p) => p.cell.kind === 'label')).toBe(true);
    });
  });

  it('一、二、and 四、span the 3 label columns', () => {
    expect(at(grids().body.grid, 0, 0)).toEqual(span('label', '一、本年新收政府信息公开申请数量', 1, 3));
    expect(at(grids().body.grid, 1, 0)).toEqual(span('label', '二、上年结转政府信息公开申请数量', 1, 3));
    expect(at(grids().body.grid, rows.length - 1, 0)).toEqual(span('label', '四、结转下年度继续办理', 1, 3));
  });

  it(`三、本年度办理结果 is one cell ${rows.length - 3} rows high in the first column`, () => {
    expect(at(grids().body.grid, 2, 0)).toEqual(span('label', '三、本年度办理结果', rows.length - 3, 1));
    for (let r = 2; r < rows.length - 1; r++) expect(at(grids().body.grid, r, 0).text).toBe('三、本年度办理结果');
  });

  it('（一）（二）（七） span the other 2 label columns', () => {
    expect(at(grids().body.grid, 2, 1)).toEqual(span('label', '（一）予以公开', 1, 2));
    expect(at(grids().body.grid, 3, 1)).toEqual(span('label', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 1, 2));
    expect(at(grids().body.grid, rows.length - 2, 1)).toEqual(span('label', '（七）总计', 1, 2));
  });

  const groups: [string, number, string[]][] = [
    ['（三）不予公开', 4, ['1.属于国家秘密', '2.其他法律行政法规禁止公开', '3.危及“三安全一稳定”', '4.保护第三方合法权益', '5.属于三类内部事务信息', '6.属于四类过程性信息', '7.属于行政执法案卷', '8.属于行政查询事项']],
    ['（四）无法提供', 12, ['1.本机关不掌握相关政府信息', '2.没有现成信息需要另行制作', '3.补正后申请内容仍不明确']],
    ['（五）不予处理', 15, ['1.信访举报投诉类申请', '2.重复申请', '3.要求提供公开出版物', '4.无正当理由大量反复申请', '5.要求行政机关确认或重新出具已获取信息']],
  ];
  if (id === 'gov-2021') {
    groups.push([
      '（六）其他处理',
      20,
      ['1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '3.其他'],
    ]);
  }

  it.each(groups)('%s is one cell in the second column, as high as its numbered items in the third', (heading, first, items) => {
    expect(at(grids().body.grid, first, 1)).toEqual(span('label', heading, items.length, 1));
    expect(items.map((_, i) => at(grids().body.grid, first + i, 2))).toEqual(items.map((t) => span('label', t)));
  });

  it(id === 'gov-2021' ? '（三）（四）（五）（六） are 8, 3, 5 and 3 rows high' : '（六）其他处理 is a single row spanning 2 label columns', () => {
    if (id === 'gov-2021') {
      expect([4, 12, 15, 20].map((r) => at(grids().body.grid, r, 1).rows)).toEqual([8, 3, 5, 3]);
    } else {
      expect([4, 12, 15].map((r) => at(grids().body.grid, r, 1).rows)).toEqual([8, 3, 5]);
      expect(at(grids().body.grid, 20, 1)).toEqual(span('label', '（六）其他处理', 1, 2));
    }
  });
});

describe.each(['gov-2021', 'gov-2019'] as const)('%s 四、政府信息公开行政复议、行政诉讼情况', (id) => {
  const part = tablesPart(getTemplate(id)!, 'appeals');
  // Placed inside each test, so a bad span fails the tests that draw it, with the reason.
  const grids = () => placeLayout(part.layout);
  const RESULTS = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  const COLS = ['upheld', 'corrected', 'other', 'pending', 'total'];

  it('is one value row of 15 cells: review.*, suit_direct.*, suit_after_review.*', () => {
    expect(part.layout.columns).toBe(15);
    expect(part.layout.body).toHaveLength(1);
    expect(grids().body.grid[0]!.map((p) => [p.cell.kind, p.cell.cell])).toEqual(
      ['review', 'suit_direct', 'suit_after_review'].flatMap((r) => COLS.map((c) => ['value', `appeals.${r}.${c}`])),
    );
  });

  it('header row 1: 行政复议 over 5 columns, 行政诉讼 over 10', () => {
    expect(part.layout.head).toHaveLength(3);
    expect(part.layout.head[0]).toHaveLength(2);
    expect(at(grids().head.grid, 0, 0)).toEqual(span('head', '行政复议', 1, 5));
    expect(at(grids().head.grid, 0, 5)).toEqual(span('head', '行政诉讼', 1, 10));
  });

  it('header row 2: the five results under 行政复议, each 2 rows high; 未经复议直接起诉 and 复议后起诉 5 wide', () => {
    expect([0, 1, 2, 3, 4].map((c) => at(grids().head.grid, 1, c))).toEqual(RESULTS.map((t) => span('head', t, 2, 1)));
    expect(at(grids().head.grid, 1, 5)).toEqual(span('head', '未经复议直接起诉', 1, 5));
    expect(at(grids().head.grid, 1, 10)).toEqual(span('head', '复议后起诉', 1, 5));
  });

  it('header row 3: the five results under each 行政诉讼 group', () => {
    expect(part.layout.head[2]).toHaveLength(10);
    expect([5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((c) => at(grids().head.grid, 2, c))).toEqual(
      [...RESULTS, ...RESULTS].map((t) => span('head', t)),
    );
  });

  it('every value sits under its own result label', () => {
    for (let c = 0; c < 15; c++) {
      expect(at(grids().head.grid, 2, c).text).toBe(RESULTS[c % 5]);
    }
  });
});

describe('二、主动公开政府信息情况', () => {
  type Block = { name: string; headers: string[]; rows: [string, string[]][] };
  const check = (id: string, blocks: Block[]) => {
    const part = tablesPart(getTemplate(id)!, 'proactive');
    const { body } = placeLayout(part.layout);
    const width = part.layout.columns;
    expect(width).toBe(4);
    expect(part.layout.head).toEqual([]);
    let r = 0;
    for (const block of blocks) {
      // A full-width row naming the block…
      expect(at(body.grid, r, 0)).toEqual(span('head', block.name, 1, width));
      r++;
      // …then 信息内容 and the block's column headers, the last one spread over what is left.
      const headerSpans = block.headers.map((_, i) => (i === block.headers.length - 1 ? width - block.headers.length : 1));
      expect(part.layout.body[r]!.map((c) => [c.kind, c.text, c.colspan ?? 1])).toEqual([
        ['head', '信息内容', 1],
        ...block.headers.map((h, i) => ['head', h, headerSpans[i]]),
      ]);
      r++;
      for (const [label, keys] of block.rows) {
        expect(part.layout.body[r]!.map((c) => [c.kind, c.text ?? c.cell, c.colspan ?? 1])).toEqual([
          ['label', label, 1],
          ...keys.map((k, i) => ['value', k, headerSpans[i]]),
        ]);
        r++;
      }
    }
    expect(part.layout.body).toHaveLength(r);
  };

  it('gov-2021: four blocks, each a block row then 信息内容 header', () => {
    check('gov-2021', [
      {
        name: '第二十条第（一）项',
        headers: ['本年制发件数', '本年废止件数', '现行有效件数'],
        rows: [
          ['规章', ['regulations.rules.issued', 'regulations.rules.repealed', 'regulations.rules.in_force']],
          ['行政规范性文件', ['regulations.normative.issued', 'regulations.normative.repealed', 'regulations.normative.in_force']],
        ],
      },
      { name: '第二十条第（五）项', headers: ['本年处理决定数量'], rows: [['行政许可', ['licensing.licensing.decisions']]] },
      {
        name: '第二十条第（六）项',
        headers: ['本年处理决定数量'],
        rows: [
          ['行政处罚', ['enforcement.penalty.decisions']],
          ['行政强制', ['enforcement.coercion.decisions']],
        ],
      },
      { name: '第二十条第（八）项', headers: ['本年收费金额（单位：万元）'], rows: [['行政事业性收费', ['fees.fees.amount']]] },
    ]);
  });

  it('gov-2019: five blocks, 采购 included', () => {
    const items = ['上一年项目数量', '本年增/减'];
    const itemKeys = (t: string, r: string) => [`${t}.${r}.items_prev`, `${t}.${r}.items_change`, `${t}.${r}.decisions`];
    check('gov-2019', [
      {
        name: '第二十条第（一）项',
        headers: ['本年新制作数量', '本年新公开数量', '对外公开总数量'],
        rows: [
          ['规章', ['regulations.rules.made', 'regulations.rules.published', 'regulations.rules.total_public']],
          ['规范性文件', ['regulations.normative.made', 'regulations.normative.published', 'regulations.normative.total_public']],
        ],
      },
      {
        name: '第二十条第（五）项',
        headers: [...items, '处理决定数量'],
        rows: [
          ['行政许可', itemKeys('licensing', 'licensing')],
          ['其他对外管理服务事项', itemKeys('licensing', 'other_services')],
        ],
      },
      {
        name: '第二十条第（六）项',
        headers: [...items, '处理决定数量'],
        rows: [
          ['行政处罚', itemKeys('enforcement', 'penalty')],
          ['行政强制', itemKeys('enforcement', 'coercion')],
        ],
      },
      { name: '第二十条第（八）项', headers: items, rows: [['行政事业性收费', ['fees.fees.items_prev', 'fees.fees.items_change']]] },
      {
        name: '第二十条第（九）项',
        headers: ['采购项目数量', '采购总金额'],
        rows: [['政府集中采购', ['procurement.procurement.projects', 'procurement.procurement.amount']]],
      },
    ]);
  });
});

describe('legacy-2014 政府信息公开情况统计表', () => {
  const template = getTemplate('legacy-2014')!;
  const part = tablesPart(template, 'stats');
  const HEADINGS: Record<string, string> = {
    proactive_total: '一、主动公开情况',
    ch_gazette: '（二）通过不同渠道和方式公开政府信息的情况',
    responses: '二、回应解读情况',
    press: '（二）通过不同渠道和方式回应解读的情况',
    apps_received: '三、依申请公开情况',
    bodies: '八、机构建设和保障经费情况',
    meetings: '九、政府信息公开会议和培训情况',
  };

  it('has the header 统计指标 | 单位 | 统计数 over 3 columns', () => {
    expect(part.layout.columns).toBe(3);
    expect(part.layout.head).toEqual([[
      { kind: 'head', text: '统计指标' },
      { kind: 'head', text: '单位' },
      { kind: 'head', text: '统计数' },
    ]]);
  });

  it('prints each 统计指标 with its unit, a —— heading line (no number) before each group', () => {
    const rows = template.tables[0]!.rows;
    const expected: LayoutCell[][] = [];
    for (const row of rows) {
      if (HEADINGS[row.key]) {
        expected.push([{ kind: 'label', text: HEADINGS[row.key] }, { kind: 'unit', text: '——' }, { kind: 'value' }]);
      }
      expected.push([
        { kind: 'label', text: row.label },
        { kind: 'unit', text: row.measure!.unit },
        { kind: 'value', cell: `stats.${row.key}.value` },
      ]);
    }
    expect(part.layout.body).toEqual(expected);
    expect(part.layout.body).toHaveLength(rows.length + 7);
  });

  it('heading lines carry no cell, so nothing can be typed there', () => {
    const headingLines = part.layout.body.filter((r) => r[1]!.text === '——');
    expect(headingLines.map((r) => r[0]!.text)).toEqual(Object.values(HEADINGS));
    expect(headingLines.every((r) => r[2]!.kind === 'value' && r[2]!.cell === undefined)).toBe(true);
  });

  it.each([
    ['proactive_total', '（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）', '条'],
    ['interpretations', '3.政策解读稿件发布数', '篇'],
    ['fees_collected', '七、依申请公开信息收取的费用', '万元'],
    ['staff', '（三）从事政府信息公开工作人员数', '人'],
    ['trainees', '（三）接受培训人员数', '人次'],
  ])('stats.%s.value is printed as 「%s」 in %s', (key, label, unit) => {
    const line = part.layout.body.find((r) => r[2]!.cell === `stats.${key}.value`)!;
    expect([line[0]!.text, line[1]!.text]).toEqual([label, unit]);
  });
});
