// src/core/content.ts (bundled into the Worker and the browser) must produce exactly the string
// scripts/canonical-json.mjs produces (used by the seed), or the same content would get two hashes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson as scriptCanonicalJson } from '../../scripts/canonical-json.mjs';
import { canonicalJson } from '../../src/core';

const examples: unknown[] = [
  { sections: { overview: '金塘镇2025年政务公开工作', problems: '' }, cells: { 'applications.new.natural': 3, 'fees.fees.amount': 4166.241619, 'applications.new.total': null }, explanations: { carry_over: '上年报告有误，已更正。' } },
  { b: { d: [1, { z: '乙', a: '甲' }], c: null }, a: [] },
  { '\u00e9': 1, e: 2, E: 3, 金: 4, '10': 5, '9': 6 },
  { dropped: undefined, kept: 0, list: [undefined, 1] },
  '政府信息公开 "年报"\n第二行',
  [1.5, -0, 1e21, true, false, null],
  {},
];

describe('canonicalJson (src/core/content.ts)', () => {
  it('matches scripts/canonical-json.mjs on nested objects, Chinese text, undefined and numbers', () => {
    for (const value of examples) expect(canonicalJson(value)).toBe(scriptCanonicalJson(value));
  });

  it('sorts keys at every depth with no whitespace', () => {
    expect(canonicalJson({ sections: { b: '乙', a: '甲' }, cells: { 'T.R.C': null, 'A.B.C': 1 }, explanations: {} })).toBe(
      '{"cells":{"A.B.C":1,"T.R.C":null},"explanations":{},"sections":{"a":"甲","b":"乙"}}',
    );
  });

  it('matches the script on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => canonicalJson(value) === scriptCanonicalJson(value)));
  });
});
