// What a submission sends out (workflow.md "Approval links"): one signed link per active
// supervisor of the parent unit, and a mail to each with the summary to decide on. Computed
// before the submission's batch (signing and hashing are async); store.ts writes them inside
// it, guarded like the rest, so no link or mail exists for a submission that did not happen.
import type { Viewer } from '../auth/scope';
import type { Db } from '../db/client';
import type { OutgoingMail } from '../mail/outbox';
import { reviewRequestMail } from './review-messages';
import { issueLink, type LinkSettings } from './review-links';
import { previousVersion, summarize } from './review-subject';
import { reviewersOf } from './people';
import type { DraftState } from './draft-state';

export interface ReviewRequest {
  links: { nonce_hash: string; person: number; expires_at: number }[];
  mails: OutgoingMail[];
}

export async function reviewRequest(db: Db, state: DraftState, submitter: Viewer, settings: LinkSettings, now: number): Promise<ReviewRequest> {
  const reviewers = await reviewersOf(db, state.unitId);
  if (reviewers.length === 0 || state.contentHash === null) return { links: [], mails: [] };
  const summary = summarize({
    unitCode: state.unitCode,
    unitName: state.unitName,
    year: state.year,
    template: state.template,
    content: state,
    deadline: state.deadline,
    submittedAt: now,
    submittedBy: submitter.name,
    previous: await previousVersion(db, state.template, state.reportId, now),
    lastYear: state.previous,
  });
  const request: ReviewRequest = { links: [], mails: [] };
  for (const reviewer of reviewers) {
    const link = await issueLink(settings, state.reportId, state.contentHash, reviewer.id, now);
    request.links.push({ nonce_hash: link.nonceHash, person: reviewer.id, expires_at: link.expiresAt });
    request.mails.push({
      dedupKey: `review-request:${link.nonceHash}`,
      kind: 'review-request',
      to: reviewer.email,
      reportId: state.reportId,
      ...reviewRequestMail(summary, reviewer.name, link.url, link.expiresAt),
    });
  }
  return request;
}
