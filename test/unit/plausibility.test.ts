// Plausibility (issue 14): a number no real unit has is an error naming the row in words, a jump
// of more than 10× from last year a warning, and no number is ever shown in scientific notation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellCatalog, cellKeys, getTemplate, plainNumber, validate, type Cells, type Template } from '../../src/core';
import { withDerivedTotals as withDerivedTotalsFor } from '../../src/core/derived-cells';
import { COUNT_LIMIT, DECISIONS_LIMIT, WAN_YUAN_LIMIT, cellPath, isPlausible, plausibleLimit } from '../../src/core/plausibility';

const gov2021 = getTemplate('gov-2021')!;
const gov2019 = getTemplate('gov-2019')!;
const legacy = getTemplate('legacy-2014')!;
const zeros = (t: Template): Cells => Object.fromEntries(cellKeys(t).map((k) => [k, 0]));
const info = (t: Template, key: string) => cellCatalog(t).get(key)!;

describe('the limits per cell', () => {
  it('counts, mass decisions and amounts have their own bounds', () => {
    expect(plausibleLimit(info(gov2021, 'applications.new.natural'))).toBe(COUNT_LIMIT);
    expect(plausibleLimit(info(gov2021, 'regulations.rules.in_force'))).toBe(COUNT_LIMIT);
    expect(plausibleLimit(info(gov2021, 'enforcement.coercion.decisions'))).toBe(DECISIONS_LIMIT);
    expect(plausibleLimit(info(gov2021, 'fees.fees.amount'))).toBe(WAN_YUAN_LIMIT);
    expect(plausibleLimit(info(gov2019, 'procurement.procurement.amount'))).toBe(WAN_YUAN_LIMIT * 10_000);
    expect(plausibleLimit(info(legacy, 'stats.apps_received.value'))).toBe(COUNT_LIMIT);
  });

  it('行政强制 = 99999999999999 is an error naming the row, in Chinese and English', () => {
    const issues = validate(gov2021, { ...zeros(gov2021), 'enforcement.coercion.decisions': 99999999999999 }, { stage: 'draft' });
    expect(issues.map((i) => [i.rule, i.severity, i.cells])).toEqual([['plausible', 'error', ['enforcement.coercion.decisions']]]);
    expect(issues[0]!.message.zh).toBe(
      '第二项 第二十条第（六）项 → 行政强制·本年处理决定数量：99999999999999 超出合理范围（一个单位一年不会超过 100,000,000 件），请核对',
    );
    expect(issues[0]!.message.en).toBe(
      '第二项 第二十条第（六）项 → 行政强制·本年处理决定数量: 99999999999999 is not plausible (no unit has more than 100,000,000 件 in a year); check the number',
    );
  });

  it('names a numbered row with its headings', () => {
    expect(cellPath(info(gov2021, 'applications.w_security.natural'))).toBe(
      '第三项 → 三、本年度办理结果 → （三）不予公开 → 3.危及“三安全一稳定”·自然人',
    );
  });

  it('the limit itself passes, one more fails; totals are never judged (only the items a clerk types)', () => {
    const at = { ...zeros(gov2021), 'applications.new.natural': COUNT_LIMIT, 'applications.new.business': COUNT_LIMIT };
    const withTotals = withDerivedTotalsFor(gov2021, at);
    expect(withTotals['applications.new.total']).toBe(2 * COUNT_LIMIT);
    expect(validate(gov2021, withTotals).filter((i) => i.rule === 'plausible')).toEqual([]);
    const over = validate(gov2021, withDerivedTotalsFor(gov2021, { ...at, 'applications.new.natural': COUNT_LIMIT + 1 }));
    expect(over.filter((i) => i.rule === 'plausible').map((i) => i.cells)).toEqual([['applications.new.natural']]);
  });

  it('in legacy reports (history as filed) it is a warning', () => {
    const issues = validate(legacy, { 'stats.apps_received.value': 5_000_000 });
    expect(issues.filter((i) => i.rule === 'plausible').map((i) => i.severity)).toEqual(['warning']);
  });

  it('property: a typed count is plausible exactly when it is at most its limit', () => {
    const keys = cellKeys(gov2021).filter((k) => cellCatalog(gov2021).get(k)!.measure.unit === '件');
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.integer({ min: 0, max: 2 * DECISIONS_LIMIT }), (key, value) => {
        expect(isPlausible(info(gov2021, key), value)).toBe(value <= plausibleLimit(info(gov2021, key)));
      }),
    );
  });
});

describe('a jump of more than 10× from last year', () => {
  const previous = { 'licensing.licensing.decisions': 120, 'applications.new.natural': 3 };

  it('is a warning naming the row, with last year’s value', () => {
    const cells = { ...zeros(gov2021), 'licensing.licensing.decisions': 1300 };
    const issues = validate(gov2021, cells, { stage: 'draft', previous });
    expect(issues.map((i) => [i.rule, i.severity, i.cells, i.message.zh])).toEqual([
      [
        'jump',
        'warning',
        ['licensing.licensing.decisions'],
        '第二项 第二十条第（五）项 → 行政许可·本年处理决定数量：本年 1300，是上年 120 的 10 倍以上，请核对；如无误请说明原因',
      ],
    ]);
    expect(issues[0]!.message.en).toContain('more than 10 times last year’s 120');
  });

  it('not at 10× exactly, not from 0, not below the floor of 100, not without last year', () => {
    const at = (value: number, prev: Cells | null) =>
      validate(gov2021, { ...zeros(gov2021), 'licensing.licensing.decisions': value }, { previous: prev }).filter((i) => i.rule === 'jump');
    expect(at(1200, previous)).toEqual([]);
    expect(at(5000, { 'licensing.licensing.decisions': 0 })).toEqual([]);
    expect(at(99, { 'licensing.licensing.decisions': 1 })).toEqual([]);
    expect(at(5000, null)).toEqual([]);
    expect(at(1201, previous)).toHaveLength(1);
  });
});

describe('a new draft', () => {
  it('opens without a cross-year warning about a blank cell', () => {
    const previous = { 'applications.carried_out.natural': 4, 'regulations.rules.in_force': 9 };
    expect(validate(gov2021, {}, { stage: 'draft', previous })).toEqual([]);
    // Once typed, the difference is a warning; at submit a blank is `filled`'s error.
    const typed = validate(gov2021, { 'applications.carried_in.natural': 0 }, { stage: 'draft', previous });
    expect(typed.map((i) => i.rule)).toEqual(['carry_over']);
  });
});

describe('no scientific notation', () => {
  it.each([
    [1e23, '100000000000000000000000'],
    [1e21, '1000000000000000000000'],
    [1e-7, '0.0000001'],
    [0.000001, '0.000001'],
    [96171.6, '96171.6'],
    [-5, '-5'],
  ])('plainNumber(%s) is %s', (n, text) => {
    expect(plainNumber(n)).toBe(text);
  });

  it('property: plainNumber never writes an exponent and reads back as the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }), (n) => {
        const text = plainNumber(n);
        expect(text).not.toMatch(/e/i);
        if (Math.abs(n) >= 1e-6 && Math.abs(n) < 1e15) expect(Number(text)).toBe(n);
      }),
    );
  });
});
