// Who has filed what for a cycle: the numbers behind the progress API and page (and what
// DHIS2 users know as reporting rate and reporting rate on time). The counts are one SQL
// aggregate over the scope's reports; the units listed are every expected one (the API) or a
// page of them (the page), and only the listed units' reminders are read.
import { and, asc, eq, gte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { daysLeft, type Status } from '../core';
import type { Db } from '../db/client';
import { selectReportsWithUnits } from '../db/joins';
import { outbox, reports, reportVersions, units } from '../db/schema';
import { loadCycle, type Cycle } from './cycles';
import { inJsonList } from './json-list';

export interface UnitProgress {
  unitId: number;
  unit: string;
  unitName: string;
  parent: string | null;
  status: Status;
  revision: number;
  submittedAt: number | null;
  publishedAt: number | null;
  onTime: boolean | null;
  /** Days before (+) or after (−) the deadline it was submitted; for an unsubmitted report past the deadline, −days late. */
  daysEarly: number | null;
  /** Distinct reminders (and the overdue notice) queued for the unit. */
  remindersSent: number;
}

export interface CycleProgress {
  cycle: Cycle;
  /** The units asked for (a page of them, when a page was asked for), by code. */
  units: UnitProgress[];
  /** Over the whole scope, whatever page or filter the units are. */
  counts: { expected: number; published: number; submitted: number; draft: number; notStarted: number; onTime: number };
  /** The code the next page starts from; null on the last page (or without paging). */
  nextFrom: string | null;
}

/** Which expected units to list: those in a state, or all. */
export const PROGRESS_FILTERS = ['all', 'not_started', 'draft', 'submitted', 'published'] as const;
export type ProgressFilter = (typeof PROGRESS_FILTERS)[number];

export interface ProgressPage {
  filter: ProgressFilter;
  /** List from this unit code on (inclusive): the first unit of the page. */
  from?: string | undefined;
  limit: number;
}

const NOT_SUBMITTED = sql`${reports.status} IN ('draft', 'returned')`;

const FILTER_SQL: Record<ProgressFilter, SQL | undefined> = {
  all: undefined,
  not_started: sql`${NOT_SUBMITTED} AND ${reports.revision} = 0`,
  draft: sql`${NOT_SUBMITTED} AND ${reports.revision} > 0`,
  submitted: sql`${reports.status} = 'submitted'`,
  published: sql`${reports.status} = 'published'`,
};

/**
 * A cycle's progress over `only` (unit ids; undefined = every unit). The counts are one aggregate
 * in SQL over the scope; the units are every expected one, or with `page` one page of them in
 * code order (a province is 10,000 units: the page and its reminder counts stay the same size).
 */
export async function cycleProgress(db: Db, year: number, now: number, only?: Set<number>, page?: ProgressPage): Promise<CycleProgress | undefined> {
  const cycle = await loadCycle(db, year);
  if (!cycle) return undefined;
  const parent = alias(units, 'p');
  const inScope = and(eq(reports.year, year), eq(reports.expected, true), only ? inJsonList(reports.unitId, [...only]) : undefined);
  const currentVersion = and(eq(reportVersions.reportId, reports.id), eq(reportVersions.isCurrent, true));
  const [[totals], rows] = await Promise.all([
    db
      .select({
        expected: sql<number>`count(*)`,
        published: sql<number>`coalesce(sum(${reports.status} = 'published'), 0)`,
        submitted: sql<number>`coalesce(sum(${reports.status} = 'submitted'), 0)`,
        draft: sql<number>`coalesce(sum(${NOT_SUBMITTED} AND ${reports.revision} > 0), 0)`,
        notStarted: sql<number>`coalesce(sum(${NOT_SUBMITTED} AND ${reports.revision} = 0), 0)`,
        onTime: sql<number>`coalesce(sum(${reportVersions.onTime} = 1), 0)`,
      })
      .from(reports)
      .leftJoin(reportVersions, currentVersion)
      .where(inScope),
    selectReportsWithUnits(db, {
      unitId: reports.unitId,
      code: units.code,
      name: units.name,
      parent: parent.code,
      status: reports.status,
      revision: reports.revision,
      submittedAt: reports.submittedAt,
      publishedAt: reportVersions.publishedAt,
      onTime: reportVersions.onTime,
    })
      .leftJoin(parent, eq(parent.id, units.parentId))
      .leftJoin(reportVersions, currentVersion)
      // The scope in SQL: a county's administrator reads the county's rows, not the province's.
      .where(and(inScope, page ? FILTER_SQL[page.filter] : undefined, page?.from ? gte(units.code, page.from) : undefined))
      .orderBy(asc(units.code))
      .limit(page ? page.limit + 1 : -1),
  ]);
  const listed = page ? rows.slice(0, page.limit) : rows;
  const sent = await remindersSent(db, year, listed.map((r) => r.code));

  const perUnit: UnitProgress[] = listed.map((r) => {
    const submitted = r.status === 'submitted' || r.status === 'published';
    const daysEarly = submitted && r.submittedAt !== null ? daysLeft(cycle.deadline, r.submittedAt) : now > cycle.deadline ? daysLeft(cycle.deadline, now) : null;
    return {
      unitId: r.unitId,
      unit: r.code,
      unitName: r.name,
      parent: r.parent,
      status: r.status,
      revision: r.revision,
      submittedAt: r.submittedAt,
      publishedAt: r.publishedAt,
      onTime: r.onTime,
      daysEarly,
      remindersSent: sent.get(r.code) ?? 0,
    };
  });
  const count = (n: number | null | undefined) => Number(n ?? 0);
  return {
    cycle,
    units: perUnit,
    counts: {
      expected: count(totals?.expected),
      published: count(totals?.published),
      submitted: count(totals?.submitted),
      draft: count(totals?.draft),
      notStarted: count(totals?.notStarted),
      onTime: count(totals?.onTime),
    },
    nextFrom: page && rows.length > page.limit ? rows[page.limit]!.code : null,
  };
}

/**
 * Distinct reminders (offsets, and the overdue notice) queued for each of `codes` in `year`.
 * Keys are reminder:<unit>:<year>:<offset>:<email> and overdue:<unit>:<year>:<email>: each unit's
 * are one range of the outbox's unique dedup_key index, so only the listed units' rows are read.
 */
async function remindersSent(db: Db, year: number, codes: string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db.all<{ dedupKey: string }>(
    sql`SELECT o.dedup_key AS dedupKey
        FROM json_each(${JSON.stringify(codes)}) j, (SELECT 'reminder' AS kind UNION ALL SELECT 'overdue') k
        JOIN ${outbox} o ON o.dedup_key >= k.kind || ':' || j.value || ':' || ${String(year)} || ':'
                        AND o.dedup_key < k.kind || ':' || j.value || ':' || ${String(year)} || ';'`,
  );
  const sent = new Map<string, Set<string>>();
  for (const { dedupKey } of rows) {
    const [kind, unit, , offset] = dedupKey.split(':');
    if (!unit) continue;
    sent.set(unit, (sent.get(unit) ?? new Set()).add(kind === 'overdue' ? 'overdue' : offset!));
  }
  return new Map([...sent].map(([unit, offsets]) => [unit, offsets.size]));
}
