// Reporting cycles in D1 (workflow.md "A reporting cycle"): opening or editing one, and the
// draft reports it creates. Like store.ts for drafts, the only module that writes them.
//
// Thousands of units must work within D1's limits (100 bound parameters per statement, 2 MB
// per value): lists of unit ids travel as one JSON array parameter read with json_each(), and
// the pre-filled revisions in chunks of at most PREFILL_CHUNK_CHARS of JSON each. Everything a
// PUT changes is one batch, so a cycle is never half opened.
import { and, asc, count, eq, gt, isNotNull, ne, sql, type SQL } from 'drizzle-orm';
import { defaultDeadline, getTemplate, templateForYear, type Cells, type Template } from '../core';
import type { Viewer } from '../auth/scope';
import type { Db } from '../db/client';
import { expectedRollups, recountExpected } from '../db/rollups';
import { auditEvents, cycles, DEFAULT_REMINDER_DAYS, reportRevisions, reports, reportVersions, units } from '../db/schema';
import { reportEvent } from './audit-trail';
import { inJsonList } from './json-list';
import { withDerivedTotals } from '../core/derived-cells';
import { contentHash, normalContent } from './revision-content';
import { revisionNumbered } from './revisions';

/** The cycle row (its deadline an instant in ms), and how many reports of the year are expected. */
export type Cycle = Pick<typeof cycles.$inferSelect, 'year' | 'template' | 'deadline' | 'reminderDays' | 'status'> & {
  /** Reports of the year the units are expected to file. */
  unitsExpected: number;
};

/** What a PUT asks for; an absent field keeps the cycle's value (or takes the default for a new cycle). */
export interface CycleChanges {
  template?: Template;
  deadline?: number;
  reminderDays?: number[];
  /** The units expected to report; absent: every active unit below a root (someone reviews it). */
  unitIds?: number[];
}

export type PutCycleResult =
  | { ok: true; created: boolean; draftsCreated: number; cycle: Cycle }
  | { ok: false; reason: 'template_in_use' };

const PREFILL_CHUNK_CHARS = 500_000;
const TEMPLATE_IN_USE = 'abort: template_in_use';

export async function loadCycle(db: Db, year: number): Promise<Cycle | undefined> {
  const [[row], [expected]] = await Promise.all([
    db.select().from(cycles).where(eq(cycles.year, year)).limit(1),
    db
      .select({ n: count() })
      .from(reports)
      .where(and(eq(reports.year, year), eq(reports.expected, true))),
  ]);
  if (!row) return undefined;
  return {
    year,
    template: row.template,
    deadline: row.deadline,
    reminderDays: row.reminderDays,
    status: row.status,
    unitsExpected: expected?.n ?? 0,
  };
}

/** The years that have a cycle, newest first. */
export async function cycleYears(db: Db): Promise<number[]> {
  const rows = await db.query.cycles.findMany({ columns: { year: true }, orderBy: (cycle, { desc }) => [desc(cycle.year)] });
  return rows.map((r) => r.year);
}

/** Unit ids by code, for the codes that exist. */
export async function unitIdsByCode(db: Db, codes: string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: units.id, code: units.code })
    .from(units)
    .where(inJsonList(units.code, [...new Set(codes)]));
  return new Map(rows.map((r) => [r.code, r.id]));
}

/**
 * The default set of reporting units: every active unit with a parent. A root (the 区/县 government
 * at the top of the tree) has no parent unit whose supervisors could review its report; an
 * administrator who wants it in the cycle lists it in `units`.
 */
async function defaultUnitIds(db: Db): Promise<number[]> {
  const rows = await db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.active, true), isNotNull(units.parentId)))
    .orderBy(asc(units.id));
  return rows.map((r) => r.id);
}

/**
 * Every active unit, by code, with whether it reports this year: for an existing cycle, its
 * expected reports; for a new one the default — every unit below a root (someone reviews it).
 */
export async function unitChoices(db: Db, year: number, isNew: boolean): Promise<{ id: number; code: string; name: string; expected: boolean }[]> {
  const rows = await db
    .select({ id: units.id, code: units.code, name: units.name, parentId: units.parentId, expected: reports.expected })
    .from(units)
    .leftJoin(reports, and(eq(reports.unitId, units.id), eq(reports.year, year)))
    .where(eq(units.active, true))
    .orderBy(asc(units.code));
  return rows.map((u) => ({ id: u.id, code: u.code, name: u.name, expected: isNew ? u.parentId !== null : u.expected === true }));
}

/**
 * The cells a new draft starts from: last year's `carried_out` row as this year's `carried_in`
 * (the applications still open at the turn of the year), when both years' templates have the
 * same applications table. Null when there is nothing to carry.
 */
function carriedOverCells(template: Template, lastYearTemplate: Template, lastYearCells: Cells): Cells | null {
  const table = template.tables.find((t) => t.key === 'applications');
  const lastYear = lastYearTemplate.tables.find((t) => t.key === 'applications');
  if (!table || !lastYear) return null;
  const columns = table.columns.map((c) => c.key);
  const sameColumns = columns.join() === lastYear.columns.map((c) => c.key).join();
  if (!sameColumns || !table.rows.some((r) => r.key === 'carried_in') || !lastYear.rows.some((r) => r.key === 'carried_out')) return null;
  const carried: Cells = {};
  for (const column of columns) carried[`applications.carried_in.${column}`] = lastYearCells[`applications.carried_out.${column}`] ?? null;
  if (Object.values(carried).every((v) => v === null)) return null;
  const blank = normalContent(template);
  return withDerivedTotals(template, { ...blank.cells, ...carried });
}

/** Last year's published carried_out cells of these units, as unit id → {template, cells}. */
async function lastYearCarriedOut(db: Db, year: number, unitIds: number[]) {
  const rows = await db.all<{ unitId: number; template: string; cell: string; value: number | null }>(
    sql`SELECT r.unit_id AS unitId, r.template AS template, j.key AS cell, j.value AS value
        FROM ${reportVersions} v
        JOIN ${reports} r ON r.id = v.report_id
        JOIN ${reportRevisions} rr ON rr.id = v.revision_id, json_each(rr.cells) j
        WHERE v.is_current = 1 AND r.year = ${year - 1} AND ${inJsonList(sql`r.unit_id`, unitIds)}
          AND j.key GLOB 'applications.carried_out.*'`,
  );
  const byUnit = new Map<number, { template: string; cells: Cells }>();
  for (const row of rows) {
    const entry = byUnit.get(row.unitId) ?? { template: row.template, cells: {} };
    entry.cells[row.cell] = typeof row.value === 'number' ? row.value : null;
    byUnit.set(row.unitId, entry);
  }
  return byUnit;
}

interface Prefill {
  unit: number;
  hash: string;
  sections: string;
  cells: string;
}

/** The revision 1 of each new draft that has something carried over from last year. */
async function prefills(db: Db, year: number, template: Template, unitIds: number[]): Promise<Prefill[]> {
  if (unitIds.length === 0) return [];
  const lastYear = await lastYearCarriedOut(db, year, unitIds);
  const out = [...lastYear].map(async ([unit, { template: lastTemplateId, cells: lastCells }]): Promise<Prefill | undefined> => {
    const lastTemplate = getTemplate(lastTemplateId);
    const cells = lastTemplate && carriedOverCells(template, lastTemplate, lastCells);
    if (!cells) return undefined;
    const content = { ...normalContent(template), cells };
    return { unit, hash: await contentHash(content), sections: JSON.stringify(content.sections), cells: JSON.stringify(cells) };
  });
  return (await Promise.all(out)).filter((p) => p !== undefined);
}

/** Consecutive groups whose JSON stays under `limit` characters: one bound parameter each. */
function chunkByJsonSize<T>(items: T[], limit: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 2;
  for (const item of items) {
    const itemSize = JSON.stringify(item).length + 1;
    if (current.length > 0 && size + itemSize > limit) {
      chunks.push(current);
      current = [];
      size = 2;
    }
    current.push(item);
    size += itemSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

const sameDays = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Opens the cycle of `year`, or edits it: creates an empty draft (pre-filled from last year where
 * the template allows) for every expected unit that has no report that year, marks the others
 * expected or not (never deleting a report), and audits it all — in one batch. Running it again
 * with the same input writes nothing. The template can change only while no report of the year
 * has content: afterwards the cells would no longer fit it.
 */
export async function putCycle(db: Db, year: number, changes: CycleChanges, viewer: Viewer, now: number): Promise<PutCycleResult> {
  const before = await loadCycle(db, year);
  const template = changes.template ?? getTemplate(before?.template ?? '') ?? templateForYear(year);
  const deadline = changes.deadline ?? before?.deadline ?? defaultDeadline(year);
  const reminderDays = changes.reminderDays ?? before?.reminderDays ?? DEFAULT_REMINDER_DAYS;
  const expectedIds = [...new Set(changes.unitIds ?? (await defaultUnitIds(db)))];
  const templateChanged = before !== undefined && before.template !== template.id;
  const ofYear = eq(reports.year, year);

  if (templateChanged) {
    const [used] = await db.select({ id: reports.id }).from(reports).where(and(ofYear, gt(reports.revision, 0))).limit(1);
    if (used) return { ok: false, reason: 'template_in_use' };
  }

  const existing = await db.select({ unitId: reports.unitId, expected: reports.expected }).from(reports).where(ofYear);
  const expectedNow = new Map(existing.map((r) => [r.unitId, r.expected]));
  const wanted = new Set(expectedIds);
  const toCreate = expectedIds.filter((id) => !expectedNow.has(id));
  const toExpect = expectedIds.filter((id) => expectedNow.get(id) === false);
  const toRelease = [...expectedNow].filter(([id, expected]) => expected && !wanted.has(id)).map(([id]) => id);
  const cycleChanged = !before || templateChanged || before.deadline !== deadline || !sameDays(before.reminderDays, reminderDays);
  if (!cycleChanged && toCreate.length === 0 && toExpect.length === 0 && toRelease.length === 0) {
    return { ok: true, created: false, draftsCreated: 0, cycle: before };
  }

  const prefilled = await prefills(db, year, template, toCreate);
  const after = { year, template: template.id, deadline, reminder_days: reminderDays };
  const createDrafts = db.run(
    // WHERE true: SQLite needs it to tell the upsert clause from a join constraint.
    sql`INSERT INTO ${reports} (unit_id, year, template, status, expected, revision, created_at, updated_at)
        SELECT value, ${year}, ${template.id}, 'draft', 1, 0, ${now}, ${now} FROM json_each(${JSON.stringify(toCreate)}) WHERE true
        ON CONFLICT (unit_id, year) DO NOTHING`,
  );
  const statements = [
    ...(templateChanged
      ? [
          // A clerk may have saved since the check above: then this aborts the whole batch.
          db.run(sql`SELECT CASE WHEN EXISTS (SELECT 1 FROM ${reports} WHERE year = ${year} AND revision > 0) THEN json_extract('{}', ${TEMPLATE_IN_USE}) END`),
          db
            .update(reports)
            .set({ template: template.id, updatedAt: now })
            .where(and(ofYear, eq(reports.revision, 0), ne(reports.template, template.id))),
        ]
      : []),
    db
      .insert(cycles)
      .values({ year, template: template.id, deadline, reminderDays, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: cycles.year,
        set: {
          template: sql`excluded.template`,
          deadline: sql`excluded.deadline`,
          reminderDays: sql`excluded.reminder_days`,
          updatedAt: sql`excluded.updated_at`,
        },
      }),
    createDrafts,
    // CROSS JOIN keeps json_each the outer loop: as the inner one SQLite would parse the whole
    // chunk again for every report row (20 s instead of 0.5 s for 1,500 units).
    ...chunkByJsonSize(prefilled, PREFILL_CHUNK_CHARS).map((chunk) =>
      db.run(
        sql`INSERT INTO ${reportRevisions} (report_id, number, content_hash, sections, cells, explanations, author_id, created_at)
            SELECT r.id, 1, json_extract(p.value, '$.hash'), json_extract(p.value, '$.sections'), json_extract(p.value, '$.cells'), '{}', ${viewer.personId}, ${now}
            FROM json_each(${JSON.stringify(chunk)}) p CROSS JOIN ${reports} r
            WHERE r.unit_id = json_extract(p.value, '$.unit') AND r.year = ${year} AND r.revision = 0
            ON CONFLICT (report_id, number) DO NOTHING`,
      ),
    ),
    ...(prefilled.length === 0
      ? []
      : [
          db.run(
            sql`UPDATE ${reports} AS r SET revision = 1, updated_at = ${now}, current_revision_id = ${revisionNumbered(1)}
                WHERE r.year = ${year} AND r.revision = 0 AND EXISTS (SELECT 1 FROM ${reportRevisions} rr WHERE rr.report_id = r.id AND rr.number = 1)`,
          ),
        ]),
    ...(toCreate.length === 0
      ? []
      : [
          reportEvent(db, {
            where: sql`r.year = ${year} AND ${inJsonList(sql`r.unit_id`, toCreate)}
              AND NOT EXISTS (SELECT 1 FROM ${auditEvents} a WHERE a.report_id = r.id AND a.action = 'report.create')`,
            at: now,
            actorId: viewer.personId,
            actor: viewer.actor,
            action: 'report.create',
            revision: sql`r.current_revision_id`,
            from: null,
            to: 'draft',
            detail: sql`json_object('year', r.year, 'template', r.template, 'carried_in_from_last_year', json(CASE WHEN r.revision > 0 THEN 'true' ELSE 'false' END))`,
          }),
        ]),
    ...([[true, toExpect], [false, toRelease]] as const)
      .filter(([, ids]) => ids.length > 0)
      .map(([expected, ids]) =>
        db
          .update(reports)
          .set({ expected, updatedAt: now })
          .where(and(ofYear, ne(reports.expected, expected), inJsonList(reports.unitId, ids))),
      ),
    // Which units report (and the template of the untouched drafts) may have changed for many.
    ...recountExpected(db, year),
    db.insert(auditEvents).values({
      at: now,
      actorId: viewer.personId,
      actor: viewer.actor,
      action: before ? 'cycle.update' : 'cycle.create',
      detail: {
        year,
        before: before ? { template: before.template, deadline: before.deadline, reminder_days: before.reminderDays } : null,
        after,
        drafts_created: toCreate.length,
        prefilled: prefilled.length,
        units_added: toExpect.length,
        units_released: toRelease.length,
      },
    }),
  ];

  let results;
  try {
    results = await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  } catch (error) {
    if (error instanceof Error && `${error.message} ${String(error.cause ?? '')}`.includes(TEMPLATE_IN_USE)) {
      return { ok: false, reason: 'template_in_use' };
    }
    throw error;
  }
  const draftsCreated = (results[statements.indexOf(createDrafts)] as D1Result).meta.changes;
  return { ok: true, created: !before, draftsCreated, cycle: (await loadCycle(db, year))! };
}

/**
 * The cycle a new unit joins and whose reports the unit pages show: the latest open cycle, else
 * the latest cycle of all; undefined when there is none yet.
 */
export async function currentCycle(db: Db): Promise<{ year: number; template: string; status: 'open' | 'closed' } | undefined> {
  const [row] = await db
    .select({ year: cycles.year, template: cycles.template, status: cycles.status })
    .from(cycles)
    .orderBy(sql`${cycles.status} = 'open' DESC`, sql`${cycles.year} DESC`)
    .limit(1);
  return row;
}

/**
 * Statements for the batch that creates a unit while the cycle of `year` is open: its empty
 * draft (expected, in the cycle's template) and the draft's 'report.create' event. `unitId` is SQL
 * for the new unit's id (the unit exists only once the batch's insert has run).
 */
export function draftForNewUnit(db: Db, unitId: SQL, cycle: { year: number; template: string }, viewer: Viewer, now: number) {
  return [
    db.run(
      sql`INSERT INTO ${reports} (unit_id, year, template, status, expected, revision, created_at, updated_at)
          VALUES (${unitId}, ${cycle.year}, ${cycle.template}, 'draft', 1, 0, ${now}, ${now})
          ON CONFLICT (unit_id, year) DO NOTHING`,
    ),
    expectedRollups(db, sql`SELECT r.unit_id, r.year, r.template, 1 FROM ${reports} r WHERE r.unit_id = ${unitId} AND r.year = ${cycle.year} AND r.created_at = ${now} AND r.expected = 1`),
    reportEvent(db, {
      where: sql`r.unit_id = ${unitId} AND r.year = ${cycle.year} AND r.created_at = ${now}`,
      at: now,
      actorId: viewer.personId,
      actor: viewer.actor,
      action: 'report.create',
      revision: sql`r.current_revision_id`,
      from: null,
      to: 'draft',
      detail: { year: cycle.year, template: cycle.template, new_unit: true },
    }),
  ];
}
