// The browser script's bookkeeping (src/client/values.ts): what changed, what a save sends, and
// how unsaved input meets a colleague's newer revision. Pure functions, so tested in Node.
import { describe, expect, it } from 'vitest';
import { changedFields, patchOf, reconcile, sameValue, unreadableCells, valuesOfDraft } from '../../src/client/values';

describe('sameValue', () => {
  it('compares cells as the server reads them', () => {
    expect(sameValue('c.a.b.c', '１２', '12')).toBe(true);
    expect(sameValue('c.a.b.c', '1,234', '1234')).toBe(true);
    expect(sameValue('c.a.b.c', ' 0 ', '0')).toBe(true);
    expect(sameValue('c.a.b.c', '', '0')).toBe(false); // blank is not zero
    expect(sameValue('c.a.b.c', 'abc', 'abc')).toBe(true);
    expect(sameValue('c.a.b.c', 'abc', '')).toBe(false);
  });

  it('compares texts as typed, whatever the line breaks', () => {
    expect(sameValue('s.overview', 'a\r\nb', 'a\nb')).toBe(true);
    expect(sameValue('s.overview', 'a ', 'a')).toBe(false);
    expect(sameValue('s.overview', 'a', undefined)).toBe(false);
  });
});

describe('changedFields and patchOf', () => {
  it('sends only what changed, cells as numbers or null', () => {
    const base = { 'c.t.r.a': '1', 'c.t.r.b': '', 's.overview': 'x', 'x.carry_over': '' };
    const now = { 'c.t.r.a': '１', 'c.t.r.b': '5', 's.overview': 'y', 'x.carry_over': '' };
    const changed = changedFields(now, base);
    expect(changed).toEqual(['c.t.r.b', 's.overview']);
    expect(patchOf({ 'c.t.r.b': '5', 'c.t.r.c': '', 's.overview': 'y\r\nz', 'x.carry_over': 'why' })).toEqual({
      cells: { 't.r.b': 5, 't.r.c': null },
      sections: { overview: 'y\nz' },
      explanations: { carry_over: 'why' },
    });
    expect(patchOf({})).toEqual({});
  });

  it('every field counts as changed against an unknown base', () => {
    expect(changedFields({ 'c.t.r.a': '', 's.overview': '' }, {})).toEqual(['c.t.r.a', 's.overview']);
  });

  it('names the cells that are not numbers', () => {
    expect(unreadableCells({ 'c.t.r.a': '12a', 'c.t.r.b': '', 's.overview': 'words' })).toEqual(['c.t.r.a']);
  });
});

describe('valuesOfDraft', () => {
  it('gives the server’s draft as field texts', () => {
    const draft = { revision: 3, cells: { 't.r.a': 0, 't.r.b': null }, sections: { overview: 'x' }, explanations: {} };
    expect(valuesOfDraft(draft, ['c.t.r.a', 'c.t.r.b', 's.overview', 'x.carry_over'])).toEqual({
      'c.t.r.a': '0',
      'c.t.r.b': '',
      's.overview': 'x',
      'x.carry_over': '',
    });
  });
});

describe('reconcile', () => {
  it('keeps the clerk’s change where only they changed it', () => {
    expect(reconcile({ 'c.a': '5' }, { 'c.a': '' }, { 'c.a': '' })).toEqual({ conflicts: [], mine: ['c.a'], settled: [] });
  });

  it('settles a change the server already holds (a save whose answer was lost)', () => {
    expect(reconcile({ 'c.a': '5' }, { 'c.a': '' }, { 'c.a': '5' })).toEqual({ conflicts: [], mine: [], settled: ['c.a'] });
  });

  it('asks when a colleague changed the same field to something else', () => {
    expect(reconcile({ 'c.a': '5', 'c.b': '1' }, { 'c.a': '', 'c.b': '' }, { 'c.a': '7', 'c.b': '' })).toEqual({
      conflicts: ['c.a'],
      mine: ['c.b'],
      settled: [],
    });
  });
});
