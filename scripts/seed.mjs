// Loads the demo data (scripts/demo-data.mjs) into the LOCAL database:
//   npm run db:seed:local        (tsx scripts/seed.mjs; npm start runs it for you)
// Safe to rerun: every insert skips rows that already exist, so edits made while trying the
// app survive a restart. To start over, delete .wrangler/state and run npm start again.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { canonicalJson } from './canonical-json.mjs';
import { demoCycle, jintang2018, people, units } from './demo-data.mjs';
import { rebuildRollupsStatements } from './rebuild-rollups.mjs';
import { runWrangler } from './wrangler.mjs';

/** Hex SHA-256 of the canonical JSON of a revision's content. */
export function contentHash({ sections, cells, explanations }) {
  return createHash('sha256').update(canonicalJson({ sections, cells, explanations }), 'utf8').digest('hex');
}

/** A SQL string literal. */
const q = (text) => `'${String(text).replaceAll("'", "''")}'`;

const unitId = (code) => `(SELECT id FROM units WHERE code = ${q(code)})`;

/**
 * The demo data as SQL statements, each idempotent (ON CONFLICT DO NOTHING, or guarded).
 * Rows refer to each other by natural keys (unit code, email, year), never by guessed ids.
 * The cycle is the one due on the day `now` (demoCycle): a start in February opens the new
 * year's cycle beside last year's.
 */
export function demoSeedStatements(now = Date.now()) {
  const statements = [];
  const cycle = demoCycle(now);

  for (const unit of units) {
    statements.push(
      `INSERT INTO units (code, name, parent_id) VALUES (${q(unit.code)}, ${q(unit.name)}, ${
        unit.parent ? unitId(unit.parent) : 'NULL'
      }) ON CONFLICT (code) DO NOTHING;`,
    );
  }

  for (const person of people) {
    statements.push(
      `INSERT INTO people (email, name, role) VALUES (${q(person.email)}, ${q(person.name)}, ${q(person.role)}) ON CONFLICT (email) DO NOTHING;`,
    );
    for (const code of person.units) {
      statements.push(
        `INSERT INTO memberships (person_id, unit_id, role) SELECT p.id, u.id, ${q(person.role)} FROM people p, units u WHERE p.email = ${q(person.email)} AND u.code = ${q(code)} ON CONFLICT DO NOTHING;`,
      );
    }
  }

  statements.push(
    `INSERT INTO cycles (year, template, deadline, reminder_days, status) VALUES (${cycle.year}, ${q(cycle.template)}, ${cycle.deadline}, ${q(JSON.stringify(cycle.reminderDays))}, 'open') ON CONFLICT (year) DO NOTHING;`,
    // One empty draft (revision 0) for every active unit below the root.
    `INSERT INTO reports (unit_id, year, template, status, expected) SELECT id, ${cycle.year}, ${q(cycle.template)}, 'draft', 1 FROM units WHERE active = 1 AND parent_id IS NOT NULL ON CONFLICT (unit_id, year) DO NOTHING;`,
  );

  statements.push(...publishedImportStatements(jintang2018));
  // Rows written here bypass the batches that keep the statistics' rollups: derive them again.
  statements.push(...rebuildRollupsStatements());
  return statements;
}

/** A historical report stored as published version 1, marked imported, with its cells indexed. */
function publishedImportStatements(report) {
  const publishedAt = Date.parse(report.published_at);
  const content = { sections: report.sections, cells: report.cells, explanations: {} };
  const thisReport = `SELECT r.id FROM reports r WHERE r.unit_id = ${unitId(report.unit)} AND r.year = ${report.year}`;
  return [
    `INSERT INTO reports (unit_id, year, template, status, expected, imported, revision, published_version, created_at, updated_at) VALUES (${unitId(report.unit)}, ${report.year}, ${q(report.template)}, 'published', 1, 1, 1, 1, ${publishedAt}, ${publishedAt}) ON CONFLICT (unit_id, year) DO NOTHING;`,
    `INSERT INTO report_revisions (report_id, number, content_hash, sections, cells, explanations, created_at) VALUES ((${thisReport}), 1, ${q(contentHash(content))}, ${q(JSON.stringify(content.sections))}, ${q(JSON.stringify(content.cells))}, '{}', ${publishedAt}) ON CONFLICT (report_id, number) DO NOTHING;`,
    `UPDATE reports SET current_revision_id = (SELECT id FROM report_revisions WHERE report_id = reports.id AND number = 1) WHERE id = (${thisReport}) AND current_revision_id IS NULL;`,
    `INSERT INTO report_versions (report_id, version, revision_id, published_at, imported, is_current, created_at) SELECT r.id, 1, r.current_revision_id, ${publishedAt}, 1, 1, ${publishedAt} FROM reports r WHERE r.id = (${thisReport}) ON CONFLICT DO NOTHING;`,
    // One statement per version fills the stats index from the stored cells.
    `INSERT INTO published_cells (version_id, year, unit_id, cell, value) SELECT v.id, r.year, r.unit_id, j.key, j.value FROM report_versions v JOIN reports r ON r.id = v.report_id JOIN report_revisions rr ON rr.id = v.revision_id, json_each(rr.cells) j WHERE r.id = (${thisReport}) AND v.version = 1 ON CONFLICT DO NOTHING;`,
    `INSERT INTO audit_events (at, actor, action, report_id, unit_id, revision_id, to_status, detail) SELECT ${publishedAt}, 'system', 'report.import', r.id, r.unit_id, r.current_revision_id, 'published', ${q(JSON.stringify({ source: 'demo data', version: 1 }))} FROM reports r WHERE r.id = (${thisReport}) AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.report_id = r.id AND a.action = 'report.import');`,
  ];
}

/**
 * Writes the statements to .wrangler/tmp and executes them against the local D1 — the default
 * one, or the one under `persistTo` (the browser tests keep a database of their own).
 */
export function seedLocalDatabase({ persistTo } = {}) {
  const dir = fileURLToPath(new URL('../.wrangler/tmp/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}demo-seed-${process.pid}.sql`;
  writeFileSync(file, `${demoSeedStatements().join('\n')}\n`);
  const where = persistTo ? ['--persist-to', persistTo] : [];
  runWrangler(['d1', 'execute', 'DB', '--local', ...where, '--file', file], { quiet: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  seedLocalDatabase();
}
