// The browser script keeps a copy of the form reader's readNumber (src/client/read-number.ts):
// the number a clerk sees checked while typing must be the number the server stores.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readNumber as serverReadNumber } from '../../src/areas/clerk/form-input';
import { readNumber as clientReadNumber } from '../../src/client/read-number';

describe('readNumber in the browser script', () => {
  it('reads what a phone types exactly as the server does', () => {
    for (const typed of ['', ' ', '0', '12', '１２', '１２，３４５', '1,234', '1 234', '12.5', '１２．５', '-3', '－３', '−3', '3-', '1e3', 'abc', '0x10', '.5', '5.']) {
      expect(clientReadNumber(typed), typed).toBe(serverReadNumber(typed));
    }
  });

  it('agrees on any mix of digits, separators, signs and full-width forms', () => {
    const alphabet = [...'0123456789', ...'０１２３４５６７８９', ',', '，', ' ', '.', '．', '-', '－', '−', 'e', 'x'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }), (chars) => {
        const typed = chars.join('');
        expect(clientReadNumber(typed)).toBe(serverReadNumber(typed));
      }),
      { numRuns: 2000 },
    );
  });
});
