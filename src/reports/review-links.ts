// Approval links (workflow.md "Approval links"): a signed token naming the report, the content
// hash of the submitted revision, the supervisor and an expiry. The server keeps a review_links
// row keyed by the hash of the token's nonce, so a link can be spent once and invalidated, and a
// leaked database holds no usable link. Reading a link never changes anything: mail scanners
// open links before people do.
import { signLink, verifyLink } from '../auth/signed-link';
import { randomToken, sha256Hex } from '../auth/crypto';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { memberships, people, reports, reviewLinks, units, type ReviewLink } from '../db/schema';

const REVIEW_LINK_TTL_MS = 14 * 24 * 3_600_000;

interface ReviewLinkPayload {
  /** Report id. */
  report: number;
  /** Content hash of the submitted revision. */
  hash: string;
  /** The supervisor's person id. */
  person: number;
  nonce: string;
  exp: number;
  [field: string]: unknown;
}

/** Where links point and what signs them (env.LINK_SECRET, BASE_URL or the request's origin). */
export interface LinkSettings {
  secret: string;
  origin: string;
}

export interface IssuedLink {
  url: string;
  nonceHash: string;
  personId: number;
  expiresAt: number;
}

const reviewUrl = (origin: string, token: string) => `${origin}/review/${token}`;

export async function issueLink(settings: LinkSettings, report: number, hash: string, person: number, now: number): Promise<IssuedLink> {
  const nonce = randomToken();
  const expiresAt = now + REVIEW_LINK_TTL_MS;
  const token = await signLink(settings.secret, { report, hash, person, nonce, exp: expiresAt } satisfies ReviewLinkPayload);
  return { url: reviewUrl(settings.origin, token), nonceHash: await sha256Hex(nonce), personId: person, expiresAt };
}

/** The stored link, with its supervisor. */
export type StoredLink = ReviewLink & {
  personName: string;
  personEmail: string;
  /** Active, and still a supervisor of the report's parent unit: otherwise the link is dead. */
  stillReviewer: boolean;
};

/**
 * What a token is worth now:
 * - invalid: not ours (malformed, a wrong signature, a nonce we never issued, or a payload that
 *   does not match the stored link — tampering);
 * - expired, used, invalidated: a genuine link that can no longer decide;
 * - open: signed, stored, unexpired, unused and not invalidated (the report may still have moved
 *   on: the caller compares it with the report).
 */
export type OpenedLink =
  | { state: 'invalid' }
  | { state: 'expired' | 'used' | 'invalidated' | 'open'; link: StoredLink };

const MAX_TOKEN_LENGTH = 1_000;

export async function openLink(db: Db, secret: string, token: string, now: number): Promise<OpenedLink> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return { state: 'invalid' };
  const checked = await verifyLink<ReviewLinkPayload>(secret, token, now);
  if (!checked.ok && checked.reason !== 'expired') return { state: 'invalid' };
  const payload = checked.payload;
  if (!payload || typeof payload.nonce !== 'string') return { state: 'invalid' };
  const link = await storedLink(db, await sha256Hex(payload.nonce));
  if (!link || link.reportId !== payload.report || link.personId !== payload.person || link.contentHash !== payload.hash) {
    return { state: 'invalid' };
  }
  if (link.usedAt !== null) return { state: 'used', link };
  if (!checked.ok || link.expiresAt <= now) return { state: 'expired', link };
  if (link.invalidatedAt !== null || !link.stillReviewer) return { state: 'invalidated', link };
  return { state: 'open', link };
}

async function storedLink(db: Db, nonceHash: string): Promise<StoredLink | undefined> {
  const [link] = await db
    .select({
      ...getTableColumns(reviewLinks),
      personName: people.name,
      personEmail: people.email,
      stillReviewer: sql<boolean>`${people.active} = 1 AND EXISTS (SELECT 1 FROM ${reports} r JOIN ${units} u ON u.id = r.unit_id
          JOIN ${memberships} m ON m.unit_id = u.parent_id AND m.person_id = ${reviewLinks.personId} AND m.role = 'supervisor'
          WHERE r.id = ${reviewLinks.reportId})`.mapWith((v) => v === 1),
    })
    .from(reviewLinks)
    .innerJoin(people, eq(people.id, reviewLinks.personId))
    .where(eq(reviewLinks.nonceHash, nonceHash))
    .limit(1);
  return link;
}
