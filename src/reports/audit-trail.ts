// The audit trail of a report: its events written inside the batches that change it (one way to
// write them, reportEvent), and read as people read them — every transition (created, submitted,
// approved, returned, reopened, imported) with who, when, from and to which state, the revision
// and the comment. Saves are not transitions: a report saved 200 times by autosave would drown
// the rest.
import { and, asc, desc, eq, gte, inArray, is, ne, sql, SQL, type AnyColumn } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditEvents, people, reportRevisions, reports } from '../db/schema';

export type Decision = 'approve' | 'return';

export interface AuditEntry {
  at: number;
  /** The person's name, or the label the event was recorded with ('admin-token', 'system'). */
  actor: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  /** Revision number, when the event names a revision. */
  revision: number | null;
  comment: string | null;
  /** Published version number, for approvals and imports. */
  version: number | null;
}

/** An event of the reports a batch changes, written only where the batch's guard holds. */
export interface ReportEvent {
  /** SQL condition over `reports r`: the report(s) the event is about, and the batch's guard. */
  where: SQL;
  at: number;
  actorId: number | null;
  /** How the trail names the actor: an email, 'admin-token', 'system'. */
  actor: string;
  action: string;
  /** SQL over `r`: the revision the event names. */
  revision: SQL;
  /** The state it leaves: a value, or SQL over `r` (default: the report's status before the batch changes it). */
  from?: SQL | string | null;
  to: string;
  comment?: string | null;
  /** A JSON object, or SQL over `r` that makes one. */
  detail: SQL | Record<string, unknown>;
}

/** INSERT … SELECT … FROM reports r WHERE the guard: one event per report it selects, none when the guard fails. */
export function reportEvent(db: Db, e: ReportEvent) {
  const from = e.from === undefined ? sql`r.status` : e.from;
  const detail = is(e.detail, SQL) ? e.detail : JSON.stringify(e.detail);
  return db.run(
    sql`INSERT INTO ${auditEvents} (at, actor_id, actor, action, report_id, unit_id, revision_id, from_status, to_status, comment, detail)
        SELECT ${e.at}, ${e.actorId}, ${e.actor}, ${e.action}, r.id, r.unit_id, ${e.revision}, ${from}, ${e.to}, ${e.comment ?? null}, ${detail}
        FROM ${reports} r WHERE ${e.where}`,
  );
}

/** SQL: who submitted the report (its latest 'report.submit' event): their name, or the event's label. */
export const submittedBy = (reportId: AnyColumn) =>
  sql<string | null>`(SELECT coalesce(p.name, a.actor) FROM ${auditEvents} a LEFT JOIN ${people} p ON p.id = a.actor_id
    WHERE a.report_id = ${reportId} AND a.action = 'report.submit' ORDER BY a.id DESC LIMIT 1)`;

const entries = (db: Db) =>
  db
    .select({
      at: auditEvents.at,
      actor: sql<string>`coalesce(${people.name}, ${auditEvents.actor})`,
      action: auditEvents.action,
      fromStatus: auditEvents.fromStatus,
      toStatus: auditEvents.toStatus,
      revision: reportRevisions.number,
      comment: auditEvents.comment,
      version: sql<unknown>`json_extract(${auditEvents.detail}, '$.version')`,
    })
    .from(auditEvents)
    .leftJoin(people, eq(people.id, auditEvents.actorId))
    .leftJoin(reportRevisions, eq(reportRevisions.id, auditEvents.revisionId));

type EntryRow = Awaited<ReturnType<typeof entries>>[number];

const toEntry = ({ version, ...row }: EntryRow): AuditEntry => ({ ...row, version: typeof version === 'number' ? version : null });

/** Every transition of the report, oldest first. */
export async function auditTrail(db: Db, reportId: number): Promise<AuditEntry[]> {
  const rows = await entries(db)
    .where(and(eq(auditEvents.reportId, reportId), ne(auditEvents.action, 'report.save')))
    .orderBy(asc(auditEvents.at), asc(auditEvents.id));
  return rows.map(toEntry);
}

/** The decision taken on a submission (its revision, at or after `since`), if any. */
export async function decisionOn(db: Db, reportId: number, revisionId: number, since: number): Promise<(AuditEntry & { decision: Decision }) | null> {
  const [row] = await entries(db)
    .where(
      and(
        eq(auditEvents.reportId, reportId),
        eq(auditEvents.revisionId, revisionId),
        gte(auditEvents.at, since),
        inArray(auditEvents.action, ['report.approve', 'report.return']),
      ),
    )
    .orderBy(asc(auditEvents.at), asc(auditEvents.id))
    .limit(1);
  if (!row) return null;
  return { ...toEntry(row), decision: row.action === 'report.approve' ? 'approve' : 'return' };
}

/** The latest event of this action on the report after `since` (e.g. a resubmission, a reopening). */
export async function latestEvent(db: Db, reportId: number, action: string, since: number): Promise<AuditEntry | null> {
  const [row] = await entries(db)
    .where(and(eq(auditEvents.reportId, reportId), eq(auditEvents.action, action), gte(auditEvents.at, since)))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(1);
  return row ? toEntry(row) : null;
}
