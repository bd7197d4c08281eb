// A supervisor's decision on a submitted report: approve (publish exactly the reviewed revision)
// or return (back to the clerks with a comment). One conditional batch: every statement reads the
// same guard — the report is still `submitted`, with the same submitted revision and content
// hash, and (from an emailed link) the link is unused, not invalidated and unexpired — and the
// last statement changes the report, which falsifies the guard. Two supervisors pressing at
// once: the batches run one after the other, the second finds the guard false and writes
// nothing, and is told who decided.
import type { Db } from '../db/client';
import { enqueueWhere } from '../mail/guarded-enqueue';
import type { OutgoingMail } from '../mail/outbox';
import { reviewApprovedMail, reviewReturnedMail } from './review-messages';
import { latestEvent, type Decision } from './audit-trail';
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
 * The guard, over `reports r`: ?1 report, ?2 submitted revision, ?3 its content hash, ?4 the
 * link's nonce hash (or null), ?5 now.
 */
const GUARD = `r.id = ?1 AND r.status = 'submitted' AND r.submitted_revision_id = ?2
  AND EXISTS (SELECT 1 FROM report_revisions g WHERE g.id = ?2 AND g.content_hash = ?3)
  AND (?4 IS NULL OR EXISTS (SELECT 1 FROM review_links l WHERE l.nonce_hash = ?4 AND l.report_id = r.id AND l.revision_id = ?2
    AND l.content_hash = ?3 AND l.used_at IS NULL AND l.invalidated_at IS NULL AND l.expires_at > ?5))`;

/** The same decision, once this batch has spent the link (the report's final UPDATE). */
const GUARD_AFTER_LINK = `id = ?1 AND status = 'submitted' AND submitted_revision_id = ?2
  AND EXISTS (SELECT 1 FROM report_revisions g WHERE g.id = ?2 AND g.content_hash = ?3)
  AND (?4 IS NULL OR EXISTS (SELECT 1 FROM review_links l WHERE l.nonce_hash = ?4 AND l.report_id = ?1 AND l.used_at = ?5 AND l.decision = ?6))`;

export async function decide(db: Db, input: DecisionInput): Promise<DecisionResult> {
  const d1 = db.$client;
  const { now } = input;
  const params = [input.reportId, input.revisionId, input.contentHash, input.linkNonceHash, now];
  const guarded = `EXISTS (SELECT 1 FROM reports r WHERE ${GUARD})`;
  const approve = input.decision === 'approve';
  const mails = await clerkMails(db, input);
  const comment = input.comment.trim() || null;
  // A corrected version gives the reason its report was reopened for (reopen.ts keeps it there).
  const correctionReason = approve && input.publishedVersion > 0 ? ((await latestEvent(db, input.reportId, 'report.reopen', 0))?.comment ?? null) : null;

  const statements: D1PreparedStatement[] = [
    d1
      .prepare(
        `INSERT INTO audit_events (at, actor_id, actor, action, report_id, unit_id, revision_id, from_status, to_status, comment, detail)
         SELECT ?5, ?6, ?7, ?8, r.id, r.unit_id, r.submitted_revision_id, r.status, ?9, ?10,
           json_object('via', ?11, 'content_hash', ?3, 'version', CASE WHEN ?9 = 'published' THEN r.published_version + 1 END)
         FROM reports r WHERE ${GUARD}`,
      )
      .bind(
        ...params,
        input.actor.personId,
        input.actor.label,
        approve ? 'report.approve' : 'report.return',
        approve ? 'published' : 'returned',
        comment,
        input.linkNonceHash ? 'review-link' : 'signed-in',
      ),
    ...(approve
      ? publishStatements(d1, {
          where: GUARD,
          params,
          revision: 'r.submitted_revision_id',
          publishedAt: now,
          reason: correctionReason,
          approvedBy: input.actor.personId,
          imported: false,
        })
      : []),
    ...enqueueWhere(d1, GUARD, params, mails, now),
    // Every other open link of the report dies with the decision.
    d1
      .prepare(`UPDATE review_links SET invalidated_at = ?5 WHERE report_id = ?1 AND nonce_hash IS NOT ?4 AND used_at IS NULL AND invalidated_at IS NULL AND ${guarded}`)
      .bind(...params),
    // Spends the link used (falsifies the guard's link clause: only the final UPDATE follows).
    d1
      .prepare(`UPDATE review_links SET used_at = ?5, decision = ?6 WHERE nonce_hash = ?4 AND ${guarded}`)
      .bind(...params, input.decision),
    // Last: it changes what the guard reads.
    approve
      ? d1
          .prepare(
            `UPDATE reports SET status = 'published', published_version = published_version + 1, return_comment = NULL, updated_at = ?5
             WHERE ${GUARD_AFTER_LINK}`,
          )
          .bind(...params, input.decision)
      : d1
          .prepare(`UPDATE reports SET status = 'returned', return_comment = ?7, updated_at = ?5 WHERE ${GUARD_AFTER_LINK}`)
          .bind(...params, input.decision, comment),
  ];
  // The report row changed only if the whole guard held; GUARD_AFTER_LINK re-checks the link was
  // spent by this very batch, so every statement above took effect too.
  const results = await d1.batch(statements);
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
