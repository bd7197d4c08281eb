// The rollups stay equal to the direct sums whatever happens, in any order (fast-check): random
// sequences of publishing (a clerk submits, a supervisor approves by the mailed link), correcting
// (reopen, then approve the corrected revision), reopening alone (the published version stays
// current), importing (new reports and corrections, blank and fractional cells, on time or not),
// moving units (leaves and whole counties, between cities) and (de)activating them — every step
// through the real Worker and D1 — and after each step every rollup of the run's units is
// compared with a plain SQL sum over published_cells (rollups-helpers.ts). Each run builds a tree
// of its own (codes P<run>-…), so runs do not disturb each other's model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellKeys, getTemplate } from '../../src/core';
import { ADMIN_TOKEN, adminPut, sessionCookie } from './report-helpers';
import { call, fillAndSubmit, mailTo, postForm, reviewMails } from './review-helpers';
import { expectRollupsRight } from './rollups-helpers';

/** The open cycle's year (approvals, on time: its deadline is far ahead). */
const YEAR = 2080;
/** A cycle whose deadline has passed: imports are on time or late by their publication date. */
const LATE_YEAR = 2020;
const LATE_DEADLINE = Date.parse(`${LATE_YEAR + 1}-01-31T23:59:59+08:00`);
/** History without a cycle: imports only. */
const HISTORY_YEAR = 2019;

const KEYS = cellKeys(getTemplate('gov-2021')!);

/** The run's tree: two cities, three counties, five units; [code, parent]. */
const TREE: [string, string | null][] = [
  ['R1', null],
  ['R2', null],
  ['C1', 'R1'],
  ['C2', 'R1'],
  ['C3', 'R2'],
  ['U1', 'C1'],
  ['U2', 'C1'],
  ['U3', 'C2'],
  ['U4', 'C3'],
  ['U5', 'R2'],
];
const MOVABLE = TREE.filter(([, parent]) => parent !== null).map(([code]) => code);
const ALL = TREE.map(([code]) => code);

const cellValue = fc.oneof(fc.integer({ min: 0, max: 500 }), fc.constantFrom(null, 0.25, 12.5, 1000.75));
const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('approve' as const), unit: fc.constantFrom(...MOVABLE), n: fc.integer({ min: 0, max: 900 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), unit: fc.constantFrom(...MOVABLE) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      unit: fc.constantFrom(...ALL),
      year: fc.constantFrom(LATE_YEAR, HISTORY_YEAR),
      cells: fc.dictionary(fc.constantFrom(...KEYS), cellValue, { minKeys: 1, maxKeys: 6 }),
      days: fc.integer({ min: 0, max: 20 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('move' as const), unit: fc.constantFrom(...MOVABLE), parent: fc.constantFrom(...ALL) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('active' as const), unit: fc.constantFrom(...MOVABLE) }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

const post = (path: string, body: unknown) =>
  call(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...ADMIN_TOKEN }, body: JSON.stringify(body) });

let run = 0;

/** One run: a fresh tree, its clerk and supervisor, both cycles expecting it; then the steps. */
async function runSteps(ops: Op[]) {
  const prefix = `P${++run}-`;
  const code = (c: string) => `${prefix}${c}`;
  const parent = new Map<string, string | null>(TREE);
  const active = new Map(ALL.map((c) => [c, true]));
  const state = new Map<string, 'draft' | 'published' | 'reopened'>();
  const lastImport = new Map<string, number>();
  for (const [c, p] of TREE) expect((await adminPut(`/units/${code(c)}`, { name: `单位${code(c)}`, parent: p && code(p) })).status).toBe(201);
  const clerk = `clerk.${prefix.toLowerCase()}rollups@nianbao.test`;
  const supervisor = `supervisor.${prefix.toLowerCase()}rollups@nianbao.test`;
  expect((await adminPut(`/people/${clerk}`, { name: '填报人', role: 'clerk', units: ALL.map(code) })).status).toBe(201);
  expect((await adminPut(`/people/${supervisor}`, { name: '审核人', role: 'supervisor', units: ALL.map(code) })).status).toBe(201);
  const clerkCookie = await sessionCookie(clerk);
  // Every active unit with a parent is expected (the default), this run's included.
  for (const [year, deadline] of [
    [YEAR, `${YEAR + 1}-01-31T23:59:59+08:00`],
    [LATE_YEAR, `${LATE_YEAR + 1}-01-31T23:59:59+08:00`],
  ] as const) {
    const res = await adminPut(`/cycles/${year}`, { template: 'gov-2021', deadline, reminder_days: [0] });
    expect([200, 201], await res.clone().text()).toContain(res.status);
  }
  await expectRollupsRight(prefix, 'after setting up');

  const below = (unit: string): Set<string> => {
    const out = new Set([unit]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [c, p] of parent) if (p && out.has(p) && !out.has(c)) (out.add(c), (grew = true));
    }
    return out;
  };

  for (const [i, step] of ops.entries()) {
    const label = `${prefix} step ${i + 1} ${JSON.stringify(step)}`;
    const u = code(step.unit);
    if (step.kind === 'approve') {
      if (!active.get(step.unit)) continue;
      if (state.get(step.unit) === 'published') {
        expect((await post(`/api/v1/admin/reports/${u}/${YEAR}/reopen`, { reason: '更正数字' })).status, label).toBe(200);
      }
      await fillAndSubmit(clerkCookie, u, YEAR, { 'applications.new.natural': step.n, 'applications.disclosed.natural': step.n });
      const res = await postForm(mailTo(await reviewMails(u, YEAR), supervisor).path, { decision: 'approve', confirm: 'publish' });
      expect(res.status, label).toBe(200);
      state.set(step.unit, 'published');
    } else if (step.kind === 'reopen') {
      if (state.get(step.unit) !== 'published') continue;
      expect((await post(`/api/v1/admin/reports/${u}/${YEAR}/reopen`, { reason: '待更正' })).status, label).toBe(200);
      state.set(step.unit, 'reopened');
    } else if (step.kind === 'import') {
      const key = `${step.unit}/${step.year}`;
      // Around the late cycle's deadline, never before the version it corrects.
      const at = Math.max(LATE_DEADLINE - 10 * 86_400_000 + step.days * 86_400_000, (lastImport.get(key) ?? 0) + 3_600_000);
      lastImport.set(key, at);
      const res = await post('/api/v1/admin/import', { unit: u, year: step.year, template: 'gov-2021', sections: {}, cells: step.cells, published_at: new Date(at).toISOString() });
      expect([200, 201], `${label}: ${await res.clone().text()}`).toContain(res.status);
    } else if (step.kind === 'move') {
      if (below(step.unit).has(step.parent) || parent.get(step.unit) === step.parent) continue;
      const res = await adminPut(`/units/${u}`, { name: `单位${u}`, parent: code(step.parent), active: active.get(step.unit) });
      expect(res.status, `${label}: ${await res.clone().text()}`).toBe(200);
      parent.set(step.unit, step.parent);
    } else {
      const res = await adminPut(`/units/${u}`, { name: `单位${u}`, parent: code(parent.get(step.unit)!), active: !active.get(step.unit) });
      expect(res.status, `${label}: ${await res.clone().text()}`).toBe(200);
      active.set(step.unit, !active.get(step.unit));
    }
    await expectRollupsRight(prefix, label);
  }
}

describe('rollups under random sequences of changes', () => {
  it('equal the direct sums after every publish, correction, reopen, import, move and (de)activation', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        await runSteps(ops);
      }),
      { numRuns: 30 },
    );
  });
});
