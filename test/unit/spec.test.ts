// Every label, unit, key and rule of the three templates against the product spec
// (../shared/spec/templates.md, copied to test/fixtures so a fresh clone can run this).
// Users compare our labels with the State Council's format character for character:
// a typo on either side must fail here.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cellCatalog, getTemplate, type Table, type Template } from '../../src/core';

const fixture = new URL('../fixtures/spec-templates.md', import.meta.url);
const shared = new URL('../../../shared/spec/templates.md', import.meta.url);
const spec = readFileSync(fixture, 'utf8');

/** `key` label pairs in order, as the spec writes them (labels never contain spaces). */
const pairs = (text: string) =>
  [...text.matchAll(/`([a-z_0-9]+)` ([^\s·`|(]+)/g)].map((m) => [m[1]!, m[2]!.replace(/[.;,]$/, '')]);

/** The spec's text between two markers. */
function between(from: string, to: string, within = spec): string {
  const start = within.indexOf(from);
  const end = within.indexOf(to, start + from.length);
  if (start < 0 || end < 0) throw new Error(`spec markers not found: ${from} … ${to}`);
  return within.slice(start + from.length, end);
}

const table = (t: Template, key: string): Table => t.tables.find((x) => x.key === key)!;
const labels = (items: { key: string; label: string }[]) => items.map((i) => [i.key, i.label]);

/** The body rows of the markdown table whose header starts with `header`: cells trimmed. */
function markdownTable(header: string, within = spec): string[][] {
  const start = within.indexOf(header);
  if (start < 0) throw new Error(`spec table not found: ${header}`);
  const lines = within.slice(start).split('\n');
  const body = lines.slice(2, lines.findIndex((l) => !l.startsWith('|')));
  return body.map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

describe('the spec fixture', () => {
  it.runIf(existsSync(shared))('is the product spec, unchanged', () => {
    expect(spec).toBe(readFileSync(shared, 'utf8'));
  });
});

describe('templates list', () => {
  it('has each template with its official basis', () => {
    const rows = markdownTable('| template id |');
    expect(rows.map((r) => r[0])).toEqual(['`gov-2021`', '`gov-2019`', '`legacy-2014`']);
    // The spec glosses legacy-2014's basis in English ("… with a free narrative").
    for (const [id, basis] of rows) expect(getTemplate(id!.replaceAll('`', ''))!.basis).toBe(basis!.replace(/ [a-z ]+$/, ''));
  });
});

for (const id of ['gov-2021', 'gov-2019'] as const) {
  describe(`${id} labels`, () => {
    const t = getTemplate(id)!;
    const part = id === 'gov-2021' ? between('## `gov-2021`', '## `gov-2019`') : between('## `gov-2019`', '## `legacy-2014`');
    const part2021 = between('## `gov-2021`', '## `gov-2019`');

    it('has the narrative sections', () => {
      const text = between('Narrative sections', '\n\n', part2021);
      expect(labels(t.sections.map((s) => ({ key: s.key, label: s.title })))).toEqual(pairs(text));
    });

    it('has the 二、主动公开 blocks: block names, rows, columns and units', () => {
      const rows = markdownTable('| table | block |', part);
      const expectedTables = rows.map((r) => r[0]!.replaceAll('`', ''));
      const proactive = t.parts.find((p) => p.type === 'tables' && p.key === 'proactive');
      expect(proactive && proactive.type === 'tables' ? proactive.tables : []).toEqual(expectedTables);
      let previousColumns: string[][] = [];
      for (const r of rows) {
        const tbl = table(t, r[0]!.replaceAll('`', ''));
        expect(tbl.block).toBe(r[1]);
        expect(labels(tbl.rows)).toEqual(pairs(r[2]!));
        // gov-2019 writes "`items_prev` · `items_change` · `decisions` (labels as above)".
        const columns = r[3]!.includes('labels as above')
          ? [...r[3]!.matchAll(/`([a-z_]+)`/g)].map((m) => previousColumns.find((c) => c[0] === m[1])!)
          : pairs(r[3]!);
        expect(labels(tbl.columns)).toEqual(columns);
        previousColumns = columns;
        if (r[4]) expect(tbl.measure.unit).toBe(r[4]);
      }
    });

    it('prints the part titles', () => {
      const titles = [...part2021.matchAll(/^### (\S+) —/gm)].map((m) => m[1]);
      const printed = t.parts.filter((p) => p.type === 'tables').map((p) => (p.type === 'tables' ? p.title : ''));
      expect(printed).toEqual(titles);
    });

    it('has the 三 table: columns, rows in order, their headings, and the note', () => {
      const apps = table(t, 'applications');
      expect(labels(apps.columns)).toEqual(pairs(between('Columns, under 申请人情况:', '\n\n', part2021)));
      const list = between('Rows, in order', '25 rows', part2021);
      let expected = pairs(list);
      // Headings (三、本年度办理结果, （三）不予公开 …) are layout: compare them separately.
      const headingOf = new Map<string, string[]>();
      let outer: string | undefined;
      let groups: string[] = [];
      for (const line of list.split('\n')) {
        const bullet = line.match(/^(\s*)- /);
        // A continuation line (no bullet) stays under the headings of the bullet above it.
        if (bullet) {
          const heading = line.match(/^(\s*)- (\S+) \(heading\)/);
          if (heading && heading[1] === '') outer = heading[2];
          groups = heading ? (heading[1] === '' ? [heading[2]!] : [outer!, heading[2]!]) : bullet[1] ? [outer!] : [];
        }
        for (const [key] of pairs(line)) headingOf.set(key!, groups);
      }
      if (id === 'gov-2019') {
        // "（六）其他处理 is the single row `o_other` 其他处理 (no sub-items)": printed with its number.
        const single = pairs(between('except that', 'same `appeals`', part))[0]!;
        expect(single).toEqual(['o_other', '其他处理']);
        expected = expected.filter(([k]) => !k!.startsWith('o_'));
        expected.splice(expected.findIndex(([k]) => k === 'results_total'), 0, ['o_other', `（六）${single[1]}`]);
        headingOf.set('o_other', [headingOf.get('disclosed')![0]!]);
      }
      expect(labels(apps.rows)).toEqual(expected);
      for (const row of apps.rows) expect([row.key, row.groups ?? []]).toEqual([row.key, headingOf.get(row.key)]);
      expect(apps.measure.unit).toBe('件');
      const note = between('The official top-left note reads 「', '」', part2021);
      const layout = t.parts.find((p) => p.type === 'tables' && p.key === 'applications');
      expect(layout && layout.type === 'tables' ? layout.note : '').toBe(note);
      expect(apps.rows.length).toBe(id === 'gov-2021' ? 25 : 23);
    });

    it('has the 四 table', () => {
      const data = pairs(between('Data: rows', 'The public page', part2021));
      const appeals = table(t, 'appeals');
      expect(labels(appeals.rows)).toEqual(data.slice(0, 3));
      expect(labels(appeals.columns)).toEqual(data.slice(3));
      const groups = between('header groups ', '.\n', part2021).split(' | ');
      expect(groups[0]).toBe(appeals.rows[0]!.label);
      expect(groups.slice(1)).toEqual(appeals.rows.slice(1).map((r) => `行政诉讼：${r.label}`));
    });

    it('has the rules with their severities', () => {
      const rows = markdownTable('| rule | severity |');
      const expected = rows
        .map((r) => [r[0]!.replaceAll('`', ''), r[1]!.startsWith('error') ? 'error' : 'warning'])
        // gov-2019's regulations block has no 现行有效件数, so no in_force_trend.
        .filter(([rule]) => id === 'gov-2021' || rule !== 'in_force_trend');
      // Issue 14 added two rules beyond templates.md: implausible magnitudes (error) and a jump of
      // more than 10× from last year (a cross-year warning), in src/core/plausibility.ts.
      const beyondSpec = new Set(['plausible', 'jump']);
      // Issue 16 added the checks on the text (narrative_*, completeness_*; src/core/templates/text-rules.ts).
      const onText = (id: string) => id.startsWith('narrative_') || id.startsWith('completeness_');
      expect(t.rules.filter((r) => !beyondSpec.has(r.id) && !onText(r.id)).map((r) => [r.id, r.severity])).toEqual(expected);
      expect(t.rules.filter((r) => onText(r.id)).every((r) => r.severity === 'warning')).toBe(true);
      expect(t.rules.filter((r) => beyondSpec.has(r.id)).map((r) => [r.id, r.severity])).toEqual([
        ['plausible', 'error'],
        ['jump', 'warning'],
      ]);
      expect(t.rules.find((r) => r.id === 'filled')!.submitOnly).toBe(true);
    });
  });
}

describe('gov-2021 units and decimals', () => {
  const t = getTemplate('gov-2021')!;
  it('counts whole 件, fees in 万元 to 6 decimals', () => {
    for (const info of cellCatalog(t).values()) {
      expect([info.key, info.measure]).toEqual(
        info.key === 'fees.fees.amount' ? [info.key, { unit: '万元', decimals: 6 }] : [info.key, { unit: '件', decimals: 0 }],
      );
    }
  });
  it('has 175 cells in 三 and 200 in all', () => {
    expect([...cellCatalog(t).keys()].filter((k) => k.startsWith('applications.')).length).toBe(175);
    expect(cellCatalog(t).size).toBe(200);
  });
});

describe('gov-2019 units', () => {
  const t = getTemplate('gov-2019')!;
  it('lets 本年增/减 be negative and gives 采购总金额 in 元 to 2 decimals', () => {
    const catalog = cellCatalog(t);
    expect(catalog.get('licensing.licensing.items_change')!.measure.signed).toBe(true);
    expect(catalog.get('fees.fees.items_change')!.measure.signed).toBe(true);
    expect(catalog.get('procurement.procurement.amount')!.measure).toEqual({ unit: '元', decimals: 2 });
    expect(catalog.get('licensing.licensing.items_prev')!.measure.signed).toBeFalsy();
  });
});

describe('legacy-2014', () => {
  const t = getTemplate('legacy-2014')!;
  const rows = markdownTable('| key | 统计指标 | 单位 |');

  it('has every 统计指标 in order, with its unit and the —— headings before it', () => {
    const stats = table(t, 'stats');
    const expected: { key: string; label: string; unit: string; heading?: string }[] = [];
    let heading: string | undefined;
    for (const [key, label, unit] of rows) {
      if (!key) {
        expect(unit).toBe('——');
        heading = label;
        continue;
      }
      expected.push({ key: key.replaceAll('`', ''), label: label!, unit: unit!, ...(heading ? { heading } : {}) });
      heading = undefined;
    }
    expect(stats.rows.map((r) => ({ key: r.key, label: r.label, unit: r.measure!.unit, ...(r.heading ? { heading: r.heading } : {}) }))).toEqual(expected);
    expect(labels(stats.columns)).toEqual([['value', '统计数']]);
  });

  it('has the legacy rules, all warnings', () => {
    const text = between('Rules (all **warnings**', 'The reference report');
    const ids = [...new Set([...text.matchAll(/`(legacy_[a-z]+)`/g)].map((m) => m[1]))];
    expect(t.rules.filter((r) => r.id.startsWith('legacy_')).map((r) => r.id)).toEqual(ids);
    expect(t.rules.every((r) => r.severity === 'warning')).toBe(true);
    expect(new Set(t.checks.map((c) => c.rule))).toEqual(new Set(ids));
  });
});
