// The audit trail of a report as people read it: every transition (created, submitted, approved,
// returned, reopened, imported) with who, when, from and to which state, the revision and the
// comment. Saves are not transitions: a report saved 200 times by autosave would drown the rest.
import type { Db } from '../db/client';

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

interface AuditRow {
  at: number;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  number: number | null;
  comment: string | null;
  version: number | null;
}

const SELECT_ENTRY = `SELECT a.at, coalesce(p.name, a.actor) AS actor, a.action, a.from_status, a.to_status, rr.number, a.comment,
    json_extract(a.detail, '$.version') AS version
  FROM audit_events a
  LEFT JOIN people p ON p.id = a.actor_id
  LEFT JOIN report_revisions rr ON rr.id = a.revision_id`;

const toEntry = (r: AuditRow): AuditEntry => ({
  at: r.at,
  actor: r.actor,
  action: r.action,
  fromStatus: r.from_status,
  toStatus: r.to_status,
  revision: r.number,
  comment: r.comment,
  version: typeof r.version === 'number' ? r.version : null,
});

/** Every transition of the report, oldest first. */
export async function auditTrail(db: Db, reportId: number): Promise<AuditEntry[]> {
  const { results } = await db.$client
    .prepare(`${SELECT_ENTRY} WHERE a.report_id = ?1 AND a.action <> 'report.save' ORDER BY a.at, a.id`)
    .bind(reportId)
    .all<AuditRow>();
  return results.map(toEntry);
}

/** The decision taken on a submission (its revision, at or after `since`), if any. */
export async function decisionOn(db: Db, reportId: number, revisionId: number, since: number): Promise<(AuditEntry & { decision: Decision }) | null> {
  const row = await db.$client
    .prepare(
      `${SELECT_ENTRY} WHERE a.report_id = ?1 AND a.revision_id = ?2 AND a.at >= ?3 AND a.action IN ('report.approve', 'report.return')
       ORDER BY a.at, a.id LIMIT 1`,
    )
    .bind(reportId, revisionId, since)
    .first<AuditRow>();
  if (!row) return null;
  return { ...toEntry(row), decision: row.action === 'report.approve' ? 'approve' : 'return' };
}

/** The latest event of this action on the report after `since` (e.g. a resubmission, a reopening). */
export async function latestEvent(db: Db, reportId: number, action: string, since: number): Promise<AuditEntry | null> {
  const row = await db.$client
    .prepare(`${SELECT_ENTRY} WHERE a.report_id = ?1 AND a.action = ?2 AND a.at >= ?3 ORDER BY a.at DESC, a.id DESC LIMIT 1`)
    .bind(reportId, action, since)
    .first<AuditRow>();
  return row ? toEntry(row) : null;
}
