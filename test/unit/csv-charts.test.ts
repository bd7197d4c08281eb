// The pure helpers behind the public CSV and the charts (src/core/csv.ts, src/core/charts.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applicationHandling, trendPoints, trendValue } from '../../src/core/charts';
import { CSV_BOM, csvDocument, csvField } from '../../src/core/csv';
import { getTemplate, type Cells } from '../../src/core';

describe('csv (RFC 4180)', () => {
  it('quotes only what needs it, doubles quotes, leaves blanks empty', () => {
    expect(csvField('规章')).toBe('规章');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('说"明"')).toBe('"说""明"""');
    expect(csvField('两\r\n行')).toBe('"两\r\n行"');
    expect(csvField(' edge')).toBe('" edge"');
    expect(csvField(null)).toBe('');
    expect(csvField(0)).toBe('0');
    expect(csvField(4166.241619)).toBe('4166.241619');
  });

  it('neutralises text a spreadsheet would run as a formula (OWASP): a leading single quote', () => {
    expect(csvField('=HYPERLINK("http://x.example","y")')).toBe(`"'=HYPERLINK(""http://x.example"",""y"")"`);
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+86 580')).toBe("'+86 580");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    // Only a leading sign counts; numbers the app writes stay numbers, negative ones too.
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('定海区-金塘镇')).toBe('定海区-金塘镇');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvDocument([['=cmd|x', -12.5]])).toBe(`${CSV_BOM}'=cmd|x,-12.5\r\n`);
  });

  it('a document starts with the BOM and ends every line with CRLF', () => {
    expect(csvDocument([['a', 1], ['b', null]])).toBe(`${CSV_BOM}a,1\r\nb,\r\n`);
  });
});

describe('chart figures', () => {
  const gov2021 = getTemplate('gov-2021')!;
  const legacy = getTemplate('legacy-2014')!;
  const huaian = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/real/huaian-city-2024.json', import.meta.url)), 'utf8')) as { cells: Cells };
  const c = huaian.cells;
  const sum = (prefix: string) =>
    Object.entries(c)
      .filter(([k]) => k.startsWith(`applications.${prefix}`) && k.endsWith('.total'))
      .reduce((s, [, v]) => s + (v ?? 0), 0);

  it('how applications were handled: the （一）–（六） results of the 总计 column', () => {
    expect(applicationHandling(gov2021, c)).toEqual([
      { key: 'disclosed', label: '（一）予以公开', value: c['applications.disclosed.total'] },
      { key: 'partial', label: '（二）部分公开', value: c['applications.partial.total'] },
      { key: 'withheld', label: '（三）不予公开', value: sum('w_') },
      { key: 'unavailable', label: '（四）无法提供', value: sum('u_') },
      { key: 'not_processed', label: '（五）不予处理', value: sum('n_') },
      { key: 'other', label: '（六）其他处理', value: sum('o_') },
    ]);
    expect(applicationHandling(legacy, {})).toBeNull();
  });

  it('trends: the templates that have a figure give it, blanks stay null', () => {
    expect(trendValue(gov2021, c, 'appeals')).toBe(
      (c['appeals.review.total'] ?? 0) + (c['appeals.suit_direct.total'] ?? 0) + (c['appeals.suit_after_review.total'] ?? 0),
    );
    expect(trendValue(gov2021, {}, 'new_applications')).toBeNull();
    expect(trendValue(legacy, { 'stats.reviews.value': 1, 'stats.suits.value': 2 }, 'appeals')).toBe(3);
    expect(trendValue(legacy, {}, 'regulations_in_force')).toBeNull();
    expect(trendValue(getTemplate('gov-2019')!, c, 'regulations_in_force')).toBeNull();
    expect(trendPoints([{ year: 2024, template: gov2021, cells: c }, { year: 2018, template: legacy, cells: {} }]).map((p) => p.year)).toEqual([2018, 2024]);
  });
});
