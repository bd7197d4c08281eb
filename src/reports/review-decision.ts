// A supervisor's decision on a submitted report: approve (publish exactly the reviewed revision)
// or return (back to the clerks with a comment). One conditional batch: every statement reads the
// same guard — the report is still `submitted`, with the same submitted revision and content
// hash, and (from an emailed link) the link is unused, not invalidated and unexpired — and the
// last statement changes the report, which falsifies the guard. Two supervisors pressing at
// once: the batches run one after the other, the second finds the guard false and writes
// nothing, and is told who decided.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { reportRevisions, reports, reviewLinks } from '../db/schema';
import { enqueueWhere } from '../mail/guarded-enqueue';
import type { OutgoingMail } from '../mail/outbox';
import { reviewApprovedMail, reviewReturnedMail } from './review-messages';
import { latestEvent, reportEvent, type Decision } from './audit-trail';
import { reportPath } from '../core/links';
import { publishStatements } from './publish';
import { clerksOf } from './people';

export interface DecisionInput {
  reportId: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  year: number;
  /** The submitted revision the supervisor saw, and its content hash. */
  revisionId: number;
  contentHash: string;
  decision: Decision;
  /** Required to return (the caller checks with the workflow guard); optional on approval. */
  comment: string;
  /** Who decides: the supervisor named by the link, or the signed-in person. */
  actor: { personId: number | null; label: string; name: string };
  /** The nonce hash of the emailed link used, or null when deciding signed in. */
  linkNonceHash: string | null;
  /** The report's latest published version before this decision (0 = never published). */
  publishedVersion: number;
  /** Where the clerks' mail links to. */
  origin: string;
  now: number;
}

export type DecisionResult = { ok: true; version: number | null } | { ok: false };

/**
 * The guard, over `reports r`: still submitted, with the revision and content hash the supervisor
 * saw, and (from an emailed link) the link unused, not invalidated and unexpired.
 */
function decisionGuard(input: DecisionInput) {
  const { reportId, revisionId, contentHash, linkNonceHash, now } = input;
  const submitted = sql`r.id = ${reportId} AND r.status = 'submitted' AND r.submitted_revision_id = ${revisionId}
    AND EXISTS (SELECT 1 FROM ${reportRevisions} g WHERE g.id = ${revisionId} AND g.content_hash = ${contentHash})`;
  if (linkNonceHash === null) return { guard: submitted, afterLink: submitted };
  return {
    guard: sql`${submitted} AND EXISTS (SELECT 1 FROM ${reviewLinks} l WHERE l.nonce_hash = ${linkNonceHash} AND l.report_id = r.id
      AND l.revision_id = ${revisionId} AND l.content_hash = ${contentHash} AND l.used_at IS NULL AND l.invalidated_at IS NULL AND l.expires_at > ${now})`,
    // The same decision, once this batch has spent the link (only the report's final UPDATE follows).
    afterLink: sql`${submitted} AND EXISTS (SELECT 1 FROM ${reviewLinks} l WHERE l.nonce_hash = ${linkNonceHash} AND l.report_id = r.id
      AND l.used_at = ${now} AND l.decision = ${input.decision})`,
  };
}

export async function decide(db: Db, input: DecisionInput): Promise<DecisionResult> {
  const { now } = input;
  const { guard, afterLink } = decisionGuard(input);
  const guarded = sql`EXISTS (SELECT 1 FROM ${reports} r WHERE ${guard})`;
  const approve = input.decision === 'approve';
  const mails = await clerkMails(db, input);
  const comment = input.comment.trim() || null;
  const via = input.linkNonceHash ? 'review-link' : 'signed-in';
  // A corrected version gives the reason its report was reopened for (reopen.ts keeps it there).
  const correctionReason = approve && input.publishedVersion > 0 ? ((await latestEvent(db, input.reportId, 'report.reopen', 0))?.comment ?? null) : null;

  const results = await db.batch([
    reportEvent(db, {
      where: guard,
      at: now,
      actorId: input.actor.personId,
      actor: input.actor.label,
      action: approve ? 'report.approve' : 'report.return',
      revision: sql`r.submitted_revision_id`,
      to: approve ? 'published' : 'returned',
      comment,
      detail: sql`json_object('via', ${via}, 'content_hash', ${input.contentHash}, 'version', ${approve ? sql`r.published_version + 1` : null})`,
    }),
    ...(approve
      ? publishStatements(db, {
          where: guard,
          revision: sql`r.submitted_revision_id`,
          publishedAt: now,
          reason: correctionReason,
          approvedBy: input.actor.personId,
          imported: false,
        })
      : []),
    ...enqueueWhere(db, guard, mails, now),
    // Every other open link of the report dies with the decision.
    db.run(
      sql`UPDATE ${reviewLinks} SET invalidated_at = ${now}
          WHERE report_id = ${input.reportId} AND nonce_hash IS NOT ${input.linkNonceHash} AND used_at IS NULL AND invalidated_at IS NULL AND ${guarded}`,
    ),
    // Spends the link used (falsifies the guard's link clause: only the final UPDATE follows).
    ...(input.linkNonceHash === null
      ? []
      : [db.run(sql`UPDATE ${reviewLinks} SET used_at = ${now}, decision = ${input.decision} WHERE nonce_hash = ${input.linkNonceHash} AND ${guarded}`)]),
    // Last: it changes what the guard reads.
    approve
      ? db.run(
          sql`UPDATE ${reports} AS r SET status = 'published', published_version = published_version + 1, return_comment = NULL, updated_at = ${now}
              WHERE ${afterLink}`,
        )
      : db.run(sql`UPDATE ${reports} AS r SET status = 'returned', return_comment = ${comment}, updated_at = ${now} WHERE ${afterLink}`),
  ]);
  // The report row changed only if the whole guard held; `afterLink` re-checks the link was
  // spent by this very batch, so every statement above took effect too.
  if (results[results.length - 1]!.meta.changes !== 1) return { ok: false };
  return { ok: true, version: approve ? input.publishedVersion + 1 : null };
}

/** The clerks' news of the decision: the comment and the form to correct, or the public page. */
async function clerkMails(db: Db, input: DecisionInput): Promise<OutgoingMail[]> {
  const clerks = await clerksOf(db, input.unitId);
  // One per clerk and submission: a decision is taken once per submitted revision and link set.
  const key = (clerk: number) => `review-${input.decision}:${input.reportId}:${input.revisionId}:${input.now}:${clerk}`;
  return clerks.map((clerk) => ({
    dedupKey: key(clerk.id),
    kind: input.decision === 'approve' ? 'review-approved' : 'review-returned',
    to: clerk.email,
    reportId: input.reportId,
    ...(input.decision === 'approve'
      ? reviewApprovedMail(clerk.name, input.unitName, input.year, input.actor.name, input.publishedVersion + 1, `${input.origin}${reportPath(input.unitCode, input.year)}`)
      : reviewReturnedMail(clerk.name, input.unitName, input.year, input.actor.name, input.comment.trim(), `${input.origin}/app/reports/${input.unitCode}/${input.year}`)),
  }));
}
