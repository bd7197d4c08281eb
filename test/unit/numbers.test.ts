// Numbers as clerks type them on a phone.
import { describe, expect, it } from 'vitest';
import { CELL_VALUE_LIMIT, readNumber } from '../../src/core';

describe('readNumber', () => {
  it('reads full-width digits, separators and spaces', () => {
    expect(readNumber('１２，３４５')).toBe(12345);
    expect(readNumber(' 1,234 ')).toBe(1234);
    expect(readNumber('４１６６．２４１６１９')).toBe(4166.241619);
    expect(readNumber('−3')).toBe(-3);
    expect(readNumber('－3')).toBe(-3);
  });
  it('blank is blank, not zero; words are not numbers', () => {
    expect(readNumber('')).toBeNull();
    expect(readNumber('   ')).toBeNull();
    for (const bad of ['十二', '1e3', '1.2.3', 'abc', '--1', '.5']) expect(readNumber(bad)).toBeUndefined();
  });
  it('refuses what no cell can hold, as every JSON API does: beyond 10^15 in absolute value', () => {
    expect(readNumber('1000000000000000')).toBe(CELL_VALUE_LIMIT);
    expect(readNumber('-1,000,000,000,000,000')).toBe(-CELL_VALUE_LIMIT);
    for (const big of ['10000000000000000', '-10000000000000000', '１００００００００００００００００', '100000000000000000000']) {
      expect(readNumber(big), big).toBeUndefined();
    }
  });
});
