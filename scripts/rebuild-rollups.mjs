// The statistics' rollups (src/db/rollups.ts) derived again from scratch, as SQL statements, for
// data written straight into D1 rather than through the app (the demo seed, the bench's
// generated reports): the app keeps rollups right in the batch of every change it makes, but a
// row inserted by hand is not a change the app saw. The same derivation as the backfill of
// migrations/0003_rollups.sql; safe to run at any time (it replaces every rollup).
const closure = `WITH RECURSIVE up(unit_id, ancestor) AS (
  SELECT id, id FROM units
  UNION ALL SELECT up.unit_id, u.parent_id FROM up JOIN units u ON u.id = up.ancestor WHERE u.parent_id IS NOT NULL)`;

export const rebuildRollupsStatements = () => [
  'DELETE FROM rollup_cells;',
  'DELETE FROM rollup_counts;',
  `${closure}
INSERT INTO rollup_cells (unit_id, year, template, cell, total, filled, present)
SELECT up.ancestor, r.year, r.template, pc.cell, coalesce(sum(pc.value), 0), count(pc.value), count(*)
FROM report_versions v JOIN reports r ON r.id = v.report_id JOIN published_cells pc ON pc.version_id = v.id JOIN up ON up.unit_id = r.unit_id
WHERE v.is_current = 1 GROUP BY up.ancestor, r.year, r.template, pc.cell;`.replaceAll('\n', ' '),
  `${closure}
INSERT INTO rollup_counts (unit_id, year, template, expected, published, on_time, last_published_at)
SELECT up.ancestor, r.year, r.template, coalesce(sum(r.expected = 1), 0), count(v.id), coalesce(sum(v1.on_time = 1), 0), max(v.published_at)
FROM reports r JOIN up ON up.unit_id = r.unit_id
LEFT JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
LEFT JOIN report_versions v1 ON v1.report_id = r.id AND v1.version = 1
GROUP BY up.ancestor, r.year, r.template;`.replaceAll('\n', ' '),
];
