// Properties of the rule engine over arbitrary consistent reports (fast-check).
//
// The generator knows the official formats on its own (rows, columns, what adds up to what), so
// it is independent of the engine: it never calls deriveTotals nor reads template.checks. A
// consistent report must pass; one changed cell must fail exactly the checks that involve it;
// a blank is not a zero; the form's derived totals are the report's totals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellKeys, deriveTotals, getTemplate, validate as validateAll, type Cells, type Template } from '../../src/core';

// These properties are about the consistency rules (勾稽关系); the generators draw counts far
// beyond a real unit's, so the magnitude rules (plausible, jump: plausibility.test.ts) are left out.
const MAGNITUDE_RULES = new Set(['plausible', 'jump']);
const validate = (...args: Parameters<typeof validateAll>) => validateAll(...args).filter((i) => !MAGNITUDE_RULES.has(i.rule));

const RUNS = { numRuns: 200 };

// --- The formats, written out independently of src/core ---------------------------------------

const APPLICANTS = ['natural', 'business', 'research', 'nonprofit', 'legal', 'other_org'] as const;
const WITHHELD = ['w_secret', 'w_law', 'w_security', 'w_third_party', 'w_internal', 'w_process', 'w_enforcement', 'w_query'];
const UNAVAILABLE = ['u_not_held', 'u_needs_making', 'u_unclear'];
const NOT_PROCESSED = ['n_petition', 'n_repeat', 'n_publication', 'n_excessive', 'n_confirm'];
const RESULT_ROWS = {
  'gov-2021': ['disclosed', 'partial', ...WITHHELD, ...UNAVAILABLE, ...NOT_PROCESSED, 'o_no_correction', 'o_fee_unpaid', 'o_other'],
  'gov-2019': ['disclosed', 'partial', ...WITHHELD, ...UNAVAILABLE, ...NOT_PROCESSED, 'o_other'],
};
const appRows = (id: Id) => ['new', 'carried_in', ...RESULT_ROWS[id], 'results_total', 'carried_out'];
const APPEAL_ROWS = ['review', 'suit_direct', 'suit_after_review'];
const APPEAL_PARTS = ['upheld', 'corrected', 'other', 'pending'];

type Id = 'gov-2021' | 'gov-2019';
type Kind = 'count' | 'signed' | 'decimal6' | 'decimal2';

const a = (row: string, col: string) => `applications.${row}.${col}`;

/** What a cell may hold, per templates.md. */
function kindOf(id: Id, key: string): Kind {
  if (id === 'gov-2021' && key === 'fees.fees.amount') return 'decimal6';
  if (id === 'gov-2019' && key === 'procurement.procurement.amount') return 'decimal2';
  if (id === 'gov-2019' && key.endsWith('.items_change')) return 'signed';
  return 'count';
}

/** The totals of the report: the cells the form derives from their items. */
function totalKeys(id: Id): string[] {
  return [
    ...appRows(id).map((r) => a(r, 'total')),
    ...APPLICANTS.map((c) => a('results_total', c)),
    ...APPEAL_ROWS.map((r) => `appeals.${r}.total`),
  ];
}

/** The rules a change to `key` must break, from templates.md (not from template.checks). */
function rulesInvolving(id: Id, key: string): string[] {
  const [table, row, col] = key.split('.') as [string, string, string];
  const rules: string[] = [];
  if (table === 'applications') {
    rules.push('app_row_total');
    if (row === 'results_total' || RESULT_ROWS[id].includes(row)) rules.push('app_results_total');
    if (['new', 'carried_in', 'results_total', 'carried_out'].includes(row)) rules.push('app_balance');
    if (row === 'carried_in') rules.push('carry_over');
  } else if (table === 'appeals') {
    rules.push('appeal_total');
  } else if (id === 'gov-2021' && table === 'regulations' && ['issued', 'repealed', 'in_force'].includes(col)) {
    rules.push('in_force_trend');
  }
  return rules.sort();
}

// --- Arbitrary consistent reports ---------------------------------------------------------------

/** Counts: plenty of zeros (real reports are mostly zeros), small numbers, some large ones. */
const count = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.nat(30) },
  { weight: 1, arbitrary: fc.nat(500_000) },
);
const decimal6 = fc.oneof(fc.constant(0), fc.nat(1_000_000), fc.nat(1_000_000_000_000).map((k) => k / 1e6));
const decimal2 = fc.oneof(fc.constant(0), fc.nat(10_000_000), fc.nat(100_000_000_000).map((k) => k / 100));
const change = fc.oneof(fc.constant(0), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -100_000, max: 100_000 }));

interface Report {
  cells: Cells;
  /** Last year's report of the same unit: only the cells the cross-year checks read. */
  previous: Cells;
}

function applicationsArb(id: Id) {
  const n = RESULT_ROWS[id].length;
  const column = fc.record({
    results: fc.array(count, { minLength: n, maxLength: n }),
    carriedOut: count,
    carriedInSeed: fc.nat(),
  });
  return fc.array(column, { minLength: APPLICANTS.length, maxLength: APPLICANTS.length }).map((columns) => {
    const cells: Cells = {};
    const previous: Cells = {};
    columns.forEach(({ results, carriedOut, carriedInSeed }, i) => {
      const col = APPLICANTS[i]!;
      RESULT_ROWS[id].forEach((row, j) => (cells[a(row, col)] = results[j]!));
      const handled = results.reduce((s, v) => s + v, 0);
      // 一 + 二 = 三 + 四 with 一 ≥ 0: carried in at most what was handled or carried out.
      const carriedIn = carriedInSeed % (handled + carriedOut + 1);
      cells[a('results_total', col)] = handled;
      cells[a('carried_out', col)] = carriedOut;
      cells[a('carried_in', col)] = carriedIn;
      cells[a('new', col)] = handled + carriedOut - carriedIn;
      previous[a('carried_out', col)] = carriedIn;
    });
    for (const row of appRows(id)) cells[a(row, 'total')] = APPLICANTS.reduce((s, c) => s + cells[a(row, c)]!, 0);
    previous[a('carried_out', 'total')] = cells[a('carried_in', 'total')]!;
    return { cells, previous };
  });
}

const appealsArb = fc
  .array(fc.array(count, { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 3 })
  .map((rows) => {
    const cells: Cells = {};
    rows.forEach((values, i) => {
      APPEAL_PARTS.forEach((p, j) => (cells[`appeals.${APPEAL_ROWS[i]}.${p}`] = values[j]!));
      cells[`appeals.${APPEAL_ROWS[i]}.total`] = values.reduce((s, v) => s + v, 0);
    });
    return cells;
  });

/** gov-2021 二: regulations with last year's in-force count, decisions, fees in 万元. */
const proactive2021 = fc
  .record({
    regulations: fc.array(fc.record({ prevInForce: count, issued: count, repealedSeed: fc.nat() }), { minLength: 2, maxLength: 2 }),
    licensing: count,
    penalty: count,
    coercion: count,
    fees: decimal6,
  })
  .map(({ regulations, licensing, penalty, coercion, fees }) => {
    const cells: Cells = {};
    const previous: Cells = {};
    regulations.forEach(({ prevInForce, issued, repealedSeed }, i) => {
      const row = ['rules', 'normative'][i]!;
      // Only what was in force or issued can be repealed, so in force stays ≥ 0.
      const repealed = repealedSeed % (prevInForce + issued + 1);
      cells[`regulations.${row}.issued`] = issued;
      cells[`regulations.${row}.repealed`] = repealed;
      cells[`regulations.${row}.in_force`] = prevInForce + issued - repealed;
      previous[`regulations.${row}.in_force`] = prevInForce;
    });
    cells['licensing.licensing.decisions'] = licensing;
    cells['enforcement.penalty.decisions'] = penalty;
    cells['enforcement.coercion.decisions'] = coercion;
    cells['fees.fees.amount'] = fees;
    return { cells, previous };
  });

/** gov-2019 二: made/published/total, items with their (signed) change, procurement in 元. */
const items = fc.record({ prev: count, change, decisions: count });
const proactive2019 = fc
  .record({
    regulations: fc.array(fc.array(count, { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 2 }),
    licensing: items,
    services: items,
    penalty: items,
    coercion: items,
    fees: fc.record({ prev: count, change }),
    projects: count,
    amount: decimal2,
  })
  .map((g) => {
    const cells: Cells = {};
    g.regulations.forEach(([made, published, total], i) => {
      const row = ['rules', 'normative'][i]!;
      Object.assign(cells, {
        [`regulations.${row}.made`]: made!,
        [`regulations.${row}.published`]: published!,
        [`regulations.${row}.total_public`]: total!,
      });
    });
    const put = (table: string, row: string, v: { prev: number; change: number; decisions?: number }) => {
      cells[`${table}.${row}.items_prev`] = v.prev;
      cells[`${table}.${row}.items_change`] = v.change;
      if (v.decisions !== undefined) cells[`${table}.${row}.decisions`] = v.decisions;
    };
    put('licensing', 'licensing', g.licensing);
    put('licensing', 'other_services', g.services);
    put('enforcement', 'penalty', g.penalty);
    put('enforcement', 'coercion', g.coercion);
    put('fees', 'fees', g.fees);
    cells['procurement.procurement.projects'] = g.projects;
    cells['procurement.procurement.amount'] = g.amount;
    return { cells, previous: {} as Cells };
  });

function reportArb(id: Id): fc.Arbitrary<Report> {
  return fc
    .tuple(id === 'gov-2021' ? proactive2021 : proactive2019, applicationsArb(id), appealsArb)
    .map(([p, apps, appeals]) => ({
      cells: { ...p.cells, ...apps.cells, ...appeals },
      previous: { ...p.previous, ...apps.previous },
    }));
}

/** A different valid value for the cell. */
function otherValue(kind: Kind, old: number, seed: number, signedSeed: number): number {
  switch (kind) {
    case 'count':
      return seed % 1000 === old ? old + 1 : seed % 1000;
    case 'signed':
      return signedSeed === old ? old + 1 : signedSeed;
    case 'decimal6': {
      const k = seed % 1_000_000_000_000;
      return k / 1e6 === old ? (k + 1) / 1e6 : k / 1e6;
    }
    case 'decimal2': {
      const k = seed % 100_000_000_000;
      return k / 100 === old ? (k + 1) / 100 : k / 100;
    }
  }
}

const issueKey = (i: { rule: string; cells: string[] }) => JSON.stringify([i.rule, i.cells]);

// --- Properties ----------------------------------------------------------------------------------

describe.each(['gov-2021', 'gov-2019'] as const)('%s rule properties', (id) => {
  const template: Template = getTemplate(id)!;
  const keys = cellKeys(template);

  it('the generator fills every cell of the template and nothing else', () => {
    for (const report of fc.sample(reportArb(id), 20)) {
      expect(Object.keys(report.cells).sort()).toEqual([...keys].sort());
      expect(Object.values(report.cells).every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    }
  });

  it('(i) a consistent complete report, with a matching last year, has no issue at submit', () => {
    fc.assert(
      fc.property(reportArb(id), ({ cells, previous }) => {
        expect(validate(template, cells, { stage: 'submit', previous })).toEqual([]);
        expect(validate(template, cells, { stage: 'draft' })).toEqual([]);
      }),
      RUNS,
    );
  });

  it('(ii) changing any one cell fails exactly the checks that involve it', () => {
    fc.assert(
      fc.property(
        reportArb(id),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: -1000, max: 1000 }),
        ({ cells, previous }, index, seed, signedSeed) => {
          const key = keys[index % keys.length]!;
          const value = otherValue(kindOf(id, key), cells[key]!, seed, signedSeed);
          expect(value).not.toBe(cells[key]);
          const issues = validate(template, { ...cells, [key]: value }, { stage: 'submit', previous });

          // Every issue involves the changed cell; no format or blank issue for a valid value.
          for (const issue of issues) expect(issue.cells).toContain(key);
          // The rules the spec says involve this cell, one issue per concrete check.
          const expectedChecks = template.checks
            .filter((c) => [...c.left, ...c.right].some((t) => !t.previous && t.cell === key))
            .map((c) => ({ rule: c.rule, cells: [...c.left, ...c.right].filter((t) => !t.previous).map((t) => t.cell) }));
          expect(issues.map(issueKey).sort()).toEqual(expectedChecks.map(issueKey).sort());
          expect(issues.map((i) => i.rule).sort()).toEqual(rulesInvolving(id, key));
          // Severities per templates.md.
          for (const issue of issues) {
            expect(issue.severity).toBe(['carry_over', 'in_force_trend'].includes(issue.rule) ? 'warning' : 'error');
          }
        },
      ),
      RUNS,
    );
  });

  it('(ii) …and without last year’s report the cross-year checks stay silent', () => {
    fc.assert(
      fc.property(reportArb(id), fc.nat(), fc.nat(), ({ cells }, index, seed) => {
        const cross = keys.filter((k) => /^applications\.carried_in\.|^regulations\..*\.(issued|repealed|in_force)$/.test(k));
        const key = cross[index % cross.length]!;
        const value = otherValue(kindOf(id, key), cells[key]!, seed, 0);
        const changed = { ...cells, [key]: value };
        for (const previous of [undefined, null, {}]) {
          const rules = validate(template, changed, { stage: 'submit', previous }).map((i) => i.rule);
          expect(rules.filter((r) => r === 'carry_over' || r === 'in_force_trend')).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('(iii) blank is not zero: a 0 left blank passes at draft and fails only `filled` at submit', () => {
    fc.assert(
      fc.property(reportArb(id), fc.nat(), fc.boolean(), ({ cells, previous }, index, absent) => {
        const zeros = keys.filter((k) => cells[k] === 0);
        fc.pre(zeros.length > 0);
        const key = zeros[index % zeros.length]!;
        const blanked: Cells = { ...cells, [key]: null };
        // A cell never typed in is absent from the map: the same as null.
        if (absent) delete blanked[key];
        expect(validate(template, blanked, { stage: 'draft', previous })).toEqual([]);
        const submit = validate(template, blanked, { stage: 'submit', previous });
        expect(submit.map((i) => [i.rule, i.severity, i.cells, i.actual])).toEqual([['filled', 'error', [key], null]]);
      }),
      RUNS,
    );
  });

  it('(iii) a blank counts as 0 in every sum: blanking a number fails the checks zeroing it fails', () => {
    fc.assert(
      fc.property(reportArb(id), fc.nat(), ({ cells, previous }, index) => {
        const key = keys[index % keys.length]!;
        const asBlank = validate(template, { ...cells, [key]: null }, { stage: 'draft', previous });
        const asZero = validate(template, { ...cells, [key]: 0 }, { stage: 'draft', previous });
        // Except a cross-year check of the blanked cell itself: it waits until the cell is typed
        // (a new draft's blank 上年结转 is no difference from last year; `filled` asks at submit).
        const crossYear = new Set(template.rules.filter((r) => r.crossYear).map((r) => r.id));
        const waiting = (i: { rule: string; cells: string[] }) => crossYear.has(i.rule) && i.cells[0] === key;
        expect(asBlank.map(issueKey)).toEqual(asZero.filter((i) => !waiting(i)).map(issueKey));
        const submit = validate(template, { ...cells, [key]: null }, { stage: 'submit', previous });
        expect(submit.filter((i) => i.rule === 'filled').map((i) => i.cells)).toEqual([[key]]);
      }),
      RUNS,
    );
  });

  it('(iv) deriveTotals on the report with every total blank gives back exactly its totals', () => {
    const totals = totalKeys(id);
    fc.assert(
      fc.property(reportArb(id), ({ cells, previous }) => {
        const blanked: Cells = { ...cells };
        for (const k of totals) blanked[k] = null;
        const derived = deriveTotals(template, blanked);
        expect(derived).toEqual(Object.fromEntries(totals.map((k) => [k, cells[k]])));
        // The clerk accepts them: the report is whole again.
        expect(validate(template, { ...blanked, ...derived }, { stage: 'submit', previous })).toEqual([]);
        // On the complete report the totals are already right.
        expect(deriveTotals(template, cells)).toEqual(Object.fromEntries(totals.map((k) => [k, cells[k]])));
      }),
      RUNS,
    );
  });
});
