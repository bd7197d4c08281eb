// What the rollups must equal, computed the slow way: a plain SQL sum over the current published
// versions (published_cells, report_versions) of every unit in each unit's subtree, written here
// and not taken from the app, so a test compares the app's bookkeeping with the definition.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';

const db = env.DB;
const all = async <T>(sql: string, ...params: unknown[]) => (await db.prepare(sql).bind(...params).all<T>()).results;

/** Every unit whose code starts with `prefix`, each with itself and its ancestors. */
const SUBTREE_PAIRS = `WITH RECURSIVE up(unit_id, a) AS (
  SELECT id, id FROM units WHERE code LIKE ?1
  UNION ALL SELECT up.unit_id, u.parent_id FROM up JOIN units u ON u.id = up.a WHERE u.parent_id IS NOT NULL)`;

type CellRow = { unit: number; year: number; template: string; cell: string; total: number | null; filled: number; present: number };
type CountRow = { unit: number; year: number; template: string; expected: number; published: number; onTime: number; last: number | null };

/** The direct sums per (unit, year, template, cell) over each subtree, for units coded `prefix…`. */
export async function directCellSums(prefix: string): Promise<Map<string, CellRow>> {
  const rows = await all<CellRow>(
    `${SUBTREE_PAIRS}
     SELECT up.a AS unit, r.year, r.template, pc.cell, sum(pc.value) AS total, count(pc.value) AS filled, count(*) AS present
     FROM up JOIN reports r ON r.unit_id = up.unit_id
     JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
     JOIN published_cells pc ON pc.version_id = v.id
     WHERE up.a IN (SELECT id FROM units WHERE code LIKE ?1)
     GROUP BY up.a, r.year, r.template, pc.cell`,
    `${prefix}%`,
  );
  return new Map(rows.map((r) => [`${r.unit}|${r.year}|${r.template}|${r.cell}`, r]));
}

export async function directCounts(prefix: string): Promise<Map<string, CountRow>> {
  const rows = await all<CountRow>(
    `${SUBTREE_PAIRS}
     SELECT up.a AS unit, r.year, r.template, sum(r.expected = 1) AS expected, count(v.id) AS published,
       coalesce(sum(v1.on_time = 1), 0) AS onTime, max(v.published_at) AS last
     FROM up JOIN reports r ON r.unit_id = up.unit_id
     LEFT JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
     LEFT JOIN report_versions v1 ON v1.report_id = r.id AND v1.version = 1
     WHERE up.a IN (SELECT id FROM units WHERE code LIKE ?1)
     GROUP BY up.a, r.year, r.template`,
    `${prefix}%`,
  );
  return new Map(rows.filter((r) => r.expected || r.published || r.onTime || r.last !== null).map((r) => [`${r.unit}|${r.year}|${r.template}`, r]));
}

/** Asserts every rollup of the units coded `prefix…` equals the direct sum; `step` names the moment. */
export async function expectRollupsRight(prefix: string, step: string) {
  const [direct, rollups, counts, rollupCounts] = await Promise.all([
    directCellSums(prefix),
    all<CellRow>(
      `SELECT unit_id AS unit, year, template, cell, total, filled, present FROM rollup_cells WHERE unit_id IN (SELECT id FROM units WHERE code LIKE ?1)`,
      `${prefix}%`,
    ),
    directCounts(prefix),
    all<CountRow>(
      `SELECT unit_id AS unit, year, template, expected, published, on_time AS onTime, last_published_at AS last FROM rollup_counts
       WHERE unit_id IN (SELECT id FROM units WHERE code LIKE ?1)`,
      `${prefix}%`,
    ),
  ]);
  const kept = new Map<string, CellRow>();
  for (const r of rollups) {
    const key = `${r.unit}|${r.year}|${r.template}|${r.cell}`;
    // A row whose versions all went away (a move, a correction that dropped the cell) sums nothing.
    if (r.present === 0) {
      expect({ key, filled: r.filled, total: Math.abs(r.total ?? 0) < 1e-6 }, step).toEqual({ key, filled: 0, total: true });
      continue;
    }
    kept.set(key, r);
  }
  expect([...kept.keys()].sort(), `${step}: which cells have rollups`).toEqual([...direct.keys()].sort());
  for (const [key, d] of direct) {
    const r = kept.get(key)!;
    expect({ key, filled: r.filled, present: r.present }, step).toEqual({ key, filled: d.filled, present: d.present });
    if (d.filled > 0) expect(Math.abs(r.total! - d.total!), `${step}: ${key} ${r.total} vs ${d.total}`).toBeLessThan(1e-6);
  }
  const keptCounts = new Map(rollupCounts.filter((r) => r.expected || r.published || r.onTime || r.last !== null).map((r) => [`${r.unit}|${r.year}|${r.template}`, r]));
  expect([...keptCounts.entries()].sort(), `${step}: counts`).toEqual([...counts.entries()].sort());
}
