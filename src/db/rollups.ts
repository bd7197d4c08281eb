// Rollups: the statistics kept as sums per unit subtree (rollup_cells, rollup_counts in
// schema.ts), so GET /api/v1/stats/{year} and the statistics page read one row per cell for the
// unit asked about — or per root for the whole jurisdiction — however many reports lie below.
//
// They are never computed at request time and never by a job afterwards: every change that moves
// a number the statistics show adds its statements here to its own guarded batch, so a rollup is
// right exactly when the change is, and a batch that loses its race changes neither. Each builder
// returns statements for the caller's batch; every statement reads the caller's guard (a report
// condition over `reports r`, or an EXISTS), so it writes nothing when the batch's guard fails.
//
// What changes rollups, and how:
// - publishing a version (approval, import, correction: src/reports/publish.ts): add the new
//   version's cells, subtract the one it replaces, for the unit and every ancestor;
// - a report becoming expected or not (a cycle opened or edited, a unit created in a cycle or
//   (de)activated, a report imported): ±1 expected for the unit and every ancestor;
// - a unit moving (alone, or many in a bulk file): re-derive the ancestors it left and joined,
//   from the (unit, ancestor) pairs that the move takes away and adds.
//
// Sums keep `filled` (values that are not blank) and `present` (rows, blank or not) beside the
// total, so a sum over nothing but blanks reads null, as a SQL sum over published_cells does.
// Lives on the db floor because the directory (auth) moves units and the reports floor publishes.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { publishedCells, reports, reportVersions, rollupCells, rollupCounts, units } from './schema';

/** Add `excluded`'s numbers to the row already there. */
const ADD_CELLS = sql`ON CONFLICT (unit_id, year, template, cell) DO UPDATE SET
  total = ${rollupCells}.total + excluded.total,
  filled = ${rollupCells}.filled + excluded.filled,
  present = ${rollupCells}.present + excluded.present`;

/**
 * The rollups of publishing the version `where` selects (over `reports r`): call after the new
 * version and its published_cells are written and before the caller bumps `published_version`
 * (the version being replaced is still `r.published_version`). The unit and every ancestor get
 * the new version's cells minus the old one's; a first publication counts as published (and on
 * time when its version 1 is); the newest publication moves Last-Modified.
 */
export function publicationRollups(db: Db, where: SQL) {
  const prefix = sql`WITH RECURSIVE
    target AS (SELECT r.id, r.unit_id, r.year, r.template, r.published_version FROM ${reports} r WHERE ${where}),
    up(id) AS (SELECT unit_id FROM target UNION SELECT u.parent_id FROM ${units} u JOIN up ON u.id = up.id WHERE u.parent_id IS NOT NULL)`;
  return [
    db.run(sql`${prefix},
      delta(cell, value, sign) AS (
        SELECT pc.cell, pc.value, 1 FROM target t
          JOIN ${reportVersions} v ON v.report_id = t.id AND v.version = t.published_version + 1
          JOIN ${publishedCells} pc ON pc.version_id = v.id
        UNION ALL
        SELECT pc.cell, pc.value, -1 FROM target t
          JOIN ${reportVersions} v ON v.report_id = t.id AND v.version = t.published_version
          JOIN ${publishedCells} pc ON pc.version_id = v.id)
      INSERT INTO ${rollupCells} (unit_id, year, template, cell, total, filled, present)
      SELECT up.id, t.year, t.template, d.cell, sum(d.sign * coalesce(d.value, 0)), sum(d.sign * (d.value IS NOT NULL)), sum(d.sign)
      FROM target t, up, delta d WHERE true
      GROUP BY up.id, d.cell
      ${ADD_CELLS}`),
    db.run(sql`${prefix},
      fresh(first, on_time, published_at) AS (
        SELECT t.published_version = 0, v.on_time, v.published_at FROM target t
        JOIN ${reportVersions} v ON v.report_id = t.id AND v.version = t.published_version + 1)
      INSERT INTO ${rollupCounts} (unit_id, year, template, expected, published, on_time, last_published_at)
      SELECT up.id, t.year, t.template, 0, f.first, f.first AND coalesce(f.on_time = 1, 0), f.published_at
      FROM target t, fresh f, up WHERE true
      ON CONFLICT (unit_id, year, template) DO UPDATE SET
        published = ${rollupCounts}.published + excluded.published,
        on_time = ${rollupCounts}.on_time + excluded.on_time,
        last_published_at = max(coalesce(${rollupCounts}.last_published_at, excluded.last_published_at), excluded.last_published_at)`),
  ];
}

/**
 * Reports becoming expected (+1) or not (−1): `rows` is a SELECT of (unit_id, year, template,
 * delta), one row per report that changes; run it before the change when the change is what
 * `rows` reads (an UPDATE of `expected`), after it when `rows` reads the result (an INSERT).
 */
export function expectedRollups(db: Db, rows: SQL) {
  return db.run(sql`WITH RECURSIVE
    d(unit_id, year, template, delta) AS (${rows}),
    up(unit_id, id) AS (
      SELECT DISTINCT unit_id, unit_id FROM d
      UNION SELECT up.unit_id, u.parent_id FROM up JOIN ${units} u ON u.id = up.id WHERE u.parent_id IS NOT NULL)
    INSERT INTO ${rollupCounts} (unit_id, year, template, expected)
    SELECT up.id, d.year, d.template, sum(d.delta) FROM d JOIN up ON up.unit_id = d.unit_id WHERE true
    GROUP BY up.id, d.year, d.template
    ON CONFLICT (unit_id, year, template) DO UPDATE SET expected = ${rollupCounts}.expected + excluded.expected`);
}

/**
 * Counts a year's expected reports again, for every subtree: a cycle opened or edited changes
 * which units report (and, before anyone saved, the template), for any number of them at once.
 * Runs after the batch's changes to the year's reports.
 */
export function recountExpected(db: Db, year: number) {
  return [
    db.run(sql`UPDATE ${rollupCounts} SET expected = 0 WHERE year = ${year} AND expected <> 0`),
    db.run(sql`WITH RECURSIVE up(unit_id, id) AS (
        SELECT DISTINCT unit_id, unit_id FROM ${reports} WHERE year = ${year} AND expected = 1
        UNION SELECT up.unit_id, u.parent_id FROM up JOIN ${units} u ON u.id = up.id WHERE u.parent_id IS NOT NULL)
      INSERT INTO ${rollupCounts} (unit_id, year, template, expected)
      SELECT up.id, r.year, r.template, count(*) FROM ${reports} r JOIN up ON up.unit_id = r.unit_id
      WHERE r.year = ${year} AND r.expected = 1
      GROUP BY up.id, r.year, r.template
      ON CONFLICT (unit_id, year, template) DO UPDATE SET expected = excluded.expected`),
  ];
}

/**
 * The rollups of moving units: `moves` is a SELECT of (id, parent_id), each unit with its new
 * parent (null: a root); units not named keep theirs. Run BEFORE the UPDATE of units.parent_id,
 * with the caller's `guard`: the old tree is units as they are, the new one the same with
 * `moves` applied. Every unit with reports whose chain of ancestors may change (the moved units
 * and everything below them) is paired with its ancestors in both trees; a pair only the new tree
 * has adds the unit's own reports to that ancestor, a pair only the old one has subtracts them.
 * So a county moved to another city leaves the old city and province and joins the new ones,
 * and the ancestors it keeps see nothing. Nested moves in one file come out right because the
 * pairs are taken between the final trees, not move by move. Last-Modified (a maximum, which
 * cannot be subtracted) is derived again for the ancestors whose subtree changed, from their own
 * reports and the rollups of the children that did not change.
 */
export function moveRollups(db: Db, moves: SQL, guard: SQL) {
  const prefix = sql`WITH RECURSIVE
    moved(id, parent_id) AS (${moves}),
    touched(id) AS (SELECT id FROM moved UNION SELECT u.id FROM ${units} u JOIN touched t ON u.parent_id = t.id),
    -- Only units with reports move numbers: a file of 2,000 new, empty units pairs nothing.
    reporting(id) AS (SELECT id FROM touched WHERE EXISTS (SELECT 1 FROM ${reports} r WHERE r.unit_id = touched.id)),
    old_up(u, a) AS (
      SELECT id, id FROM reporting
      UNION ALL SELECT o.u, x.parent_id FROM old_up o JOIN ${units} x ON x.id = o.a WHERE x.parent_id IS NOT NULL),
    new_up(u, a) AS (
      SELECT id, id FROM reporting
      UNION ALL SELECT o.u, iif(m.id IS NULL, x.parent_id, m.parent_id) FROM new_up o JOIN ${units} x ON x.id = o.a LEFT JOIN moved m ON m.id = x.id
        WHERE iif(m.id IS NULL, x.parent_id, m.parent_id) IS NOT NULL),
    pairs(u, a, sign) AS (
      SELECT u, a, 1 FROM (SELECT u, a FROM new_up EXCEPT SELECT u, a FROM old_up)
      UNION ALL SELECT u, a, -1 FROM (SELECT u, a FROM old_up EXCEPT SELECT u, a FROM new_up))`;
  return [
    db.run(sql`${prefix}
      INSERT INTO ${rollupCells} (unit_id, year, template, cell, total, filled, present)
      SELECT p.a, r.year, r.template, pc.cell, sum(p.sign * coalesce(pc.value, 0)), sum(p.sign * (pc.value IS NOT NULL)), sum(p.sign)
      FROM pairs p
      JOIN ${reports} r ON r.unit_id = p.u
      JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
      JOIN ${publishedCells} pc ON pc.version_id = v.id
      WHERE ${guard}
      GROUP BY p.a, r.year, r.template, pc.cell
      ${ADD_CELLS}`),
    db.run(sql`${prefix}
      INSERT INTO ${rollupCounts} (unit_id, year, template, expected, published, on_time)
      SELECT p.a, r.year, r.template, sum(p.sign * (r.expected = 1)), sum(p.sign * (v.id IS NOT NULL)), sum(p.sign * coalesce(v1.on_time = 1, 0))
      FROM pairs p
      JOIN ${reports} r ON r.unit_id = p.u
      LEFT JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
      LEFT JOIN ${reportVersions} v1 ON v1.report_id = r.id AND v1.version = 1
      WHERE ${guard}
      GROUP BY p.a, r.year, r.template
      ON CONFLICT (unit_id, year, template) DO UPDATE SET
        expected = ${rollupCounts}.expected + excluded.expected,
        published = ${rollupCounts}.published + excluded.published,
        on_time = ${rollupCounts}.on_time + excluded.on_time`),
    // Walk down the new tree from each changed ancestor through changed units only; below an
    // unchanged child its own rollup already holds the answer.
    db.run(sql`${prefix},
      affected(id) AS (SELECT DISTINCT a FROM pairs),
      region(a, x) AS (
        SELECT id, id FROM affected
        UNION SELECT g.a, c.id FROM region g JOIN ${units} c ON c.parent_id = g.x
          WHERE c.id NOT IN (SELECT id FROM moved) AND c.id IN (SELECT id FROM affected)
        UNION SELECT g.a, m.id FROM region g JOIN moved m ON m.parent_id = g.x WHERE m.id IN (SELECT id FROM affected)),
      frontier(a, c) AS (
        SELECT g.a, c.id FROM region g JOIN ${units} c ON c.parent_id = g.x
          WHERE c.id NOT IN (SELECT id FROM moved) AND c.id NOT IN (SELECT id FROM affected)
        UNION ALL SELECT g.a, m.id FROM region g JOIN moved m ON m.parent_id = g.x WHERE m.id NOT IN (SELECT id FROM affected)),
      stamps(a, year, template, at) AS (
        SELECT g.a, r.year, r.template, v.published_at FROM region g
          JOIN ${reports} r ON r.unit_id = g.x JOIN ${reportVersions} v ON v.report_id = r.id AND v.is_current = 1
        UNION ALL SELECT f.a, rc.year, rc.template, rc.last_published_at FROM frontier f
          JOIN ${rollupCounts} rc ON rc.unit_id = f.c WHERE rc.last_published_at IS NOT NULL)
      UPDATE ${rollupCounts} SET last_published_at = (
        SELECT max(s.at) FROM stamps s WHERE s.a = ${rollupCounts}.unit_id AND s.year = ${rollupCounts}.year AND s.template = ${rollupCounts}.template)
      WHERE unit_id IN (SELECT id FROM affected) AND ${guard}`),
  ];
}
