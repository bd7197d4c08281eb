// The canonical JSON behind every content hash: same content → same string, whatever the key order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../scripts/canonical-json.mjs';

/** The same object with its keys inserted in reverse order, recursively. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  }
  return value;
}

const json = fc.jsonValue();

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves out whitespace', () => {
    expect(canonicalJson({ sections: { b: 'x', a: 'y' }, cells: { 'T.R.C': null, 'A.B.C': 1.5 }, explanations: {} })).toBe(
      '{"cells":{"A.B.C":1.5,"T.R.C":null},"explanations":{},"sections":{"a":"y","b":"x"}}',
    );
  });

  it('does not depend on the order keys were inserted', () => {
    fc.assert(fc.property(json, (value) => canonicalJson(value) === canonicalJson(reverseKeys(value))));
  });

  it('is valid JSON that parses back to the same value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('escapes Chinese text exactly as JSON.stringify does (no \\u escapes)', () => {
    expect(canonicalJson({ body: '金塘镇 "引号"' })).toBe('{"body":"金塘镇 \\"引号\\""}');
  });
});
