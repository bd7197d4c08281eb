// Corrections (workflow.md "Report states"): an administrator reopens a published report with a
// reason. The report becomes a draft its clerks can edit; its published version stays current
// and public (report_versions is untouched) until the corrected revision is approved, which
// publishes the next version with this reason (review-decision.ts reads it from the audit event
// written here). One guarded batch: the audit event, the clerks' mail, the report.
import { sql } from 'drizzle-orm';
import type { Viewer } from '../auth/scope';
import type { Db } from '../db/client';
import { reports } from '../db/schema';
import { enqueueWhere } from '../mail/guarded-enqueue';
import { reportEvent } from './audit-trail';
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

/** True when the report was published and is now a draft; false when it was not published. */
export async function reopenReport(db: Db, input: ReopenInput, viewer: Viewer): Promise<boolean> {
  const { now, reason } = input;
  // Over `reports r`: the report, still published.
  const guard = sql`r.id = ${input.reportId} AND r.status = 'published'`;
  const clerks = await clerksOf(db, input.unitId);
  const formUrl = `${input.origin}/app/reports/${input.unitCode}/${input.year}`;
  const mails = clerks.map((clerk) => ({
    dedupKey: `report-reopened:${input.reportId}:${now}:${clerk.id}`,
    kind: 'report-reopened',
    to: clerk.email,
    reportId: input.reportId,
    ...reopenedMail(clerk.name, input.unitName, input.year, reason, formUrl),
  }));
  const results = await db.batch([
    reportEvent(db, {
      where: guard,
      at: now,
      actorId: viewer.personId,
      actor: viewer.actor,
      action: 'report.reopen',
      revision: sql`r.current_revision_id`,
      to: 'draft',
      comment: reason,
      detail: sql`json_object('published_version', r.published_version)`,
    }),
    ...enqueueWhere(db, guard, mails, now),
    // Last: it changes what the guard reads.
    db.run(sql`UPDATE ${reports} AS r SET status = 'draft', updated_at = ${now} WHERE ${guard}`),
  ]);
  return results[results.length - 1]!.meta.changes === 1;
}
