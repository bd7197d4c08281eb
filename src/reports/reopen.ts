// Corrections (workflow.md "Report states"): an administrator reopens a published report with a
// reason. The report becomes a draft its clerks can edit; its published version stays current
// and public (report_versions is untouched) until the corrected revision is approved, which
// publishes the next version with this reason (review-decision.ts reads it from the audit event
// written here). One guarded batch: the audit event, the clerks' mail, the report.
import type { Viewer } from '../auth/scope';
import type { Db } from '../db/client';
import { enqueueWhere } from '../mail/guarded-enqueue';
import { reopenedMail } from './review-messages';
import { clerksOf } from './people';

export interface ReopenInput {
  reportId: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  year: number;
  reason: string;
  origin: string;
  now: number;
}

/** ?1 report id: still published. */
const GUARD = `r.id = ?1 AND r.status = 'published'`;

/** True when the report was published and is now a draft; false when it was not published. */
export async function reopenReport(db: Db, input: ReopenInput, viewer: Viewer): Promise<boolean> {
  const d1 = db.$client;
  const { now, reason } = input;
  const clerks = await clerksOf(db, input.unitId);
  const formUrl = `${input.origin}/app/reports/${input.unitCode}/${input.year}`;
  const mails = clerks.map((clerk) => ({
    dedupKey: `report-reopened:${input.reportId}:${now}:${clerk.id}`,
    kind: 'report-reopened',
    to: clerk.email,
    reportId: input.reportId,
    ...reopenedMail(clerk.name, input.unitName, input.year, reason, formUrl),
  }));
  const results = await d1.batch([
    d1
      .prepare(
        `INSERT INTO audit_events (at, actor_id, actor, action, report_id, unit_id, revision_id, from_status, to_status, comment, detail)
         SELECT ?2, ?3, ?4, 'report.reopen', r.id, r.unit_id, r.current_revision_id, r.status, 'draft', ?5,
           json_object('published_version', r.published_version)
         FROM reports r WHERE ${GUARD}`,
      )
      .bind(input.reportId, now, viewer.personId, viewer.actor, reason),
    ...enqueueWhere(d1, GUARD, [input.reportId], mails, now),
    // Last: it changes what the guard reads.
    d1.prepare(`UPDATE reports AS r SET status = 'draft', updated_at = ?2 WHERE ${GUARD}`).bind(input.reportId, now),
  ]);
  return results[results.length - 1]!.meta.changes === 1;
}
