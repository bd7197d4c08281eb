// The outbox as administrators see it (/app/admin/mail): which messages wait, retry or failed and
// why (the provider's reason), how the transport is doing, and "send it again" for a failed one.
// Bodies are never read here: sign-in, invitation and review mail carry tokens, and the subject,
// kind and recipient say enough to answer "why did 白泉镇 not get its reminder?".
// An administrator of a subtree sees only mail to people of the units they manage (recipients
// are matched to people by address: the outbox keeps no unit of its own).
import { and, desc, eq, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditEvents, memberships, outbox, people } from '../db/schema';

/** 'all', or the ids of the units whose people's mail may be shown. */
export type MailScope = 'all' | number[];

/** What the status filter offers; 'unsent' (the default) is waiting, retrying and failed together. */
export const MAIL_FILTERS = ['unsent', 'waiting', 'retrying', 'failed', 'sent', 'all'] as const;
export type MailFilter = (typeof MAIL_FILTERS)[number];

/** How a message stands, as the page names it: never tried, tried and waiting to retry, given up, sent. */
export type MailState = 'waiting' | 'retrying' | 'failed' | 'sent';

export interface MailRow {
  id: number;
  kind: string;
  to: string;
  subject: string;
  state: MailState;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  sentAt: number | null;
  /** The provider's reason for the last failure. */
  lastError: string | null;
}

export interface MailHealth {
  lastSentAt: number | null;
  lastFailure: { at: number; error: string } | null;
  waiting: number;
  retrying: number;
  failed: number;
}

/** Position in the newest-first list: the last row shown's (created_at, id). */
export interface MailCursor {
  createdAt: number;
  id: number;
}

const PAGE_SIZE = 50;

/** The recipients within the scope: people with any membership of a managed unit. */
function inScope(scope: MailScope): SQL | undefined {
  if (scope === 'all') return undefined;
  return inArray(
    outbox.toAddress,
    sql`(SELECT ${people.email} FROM ${people} JOIN ${memberships} ON ${memberships.personId} = ${people.id}
         WHERE ${memberships.unitId} IN (SELECT value FROM json_each(${JSON.stringify(scope)})))`,
  );
}

const tried = sql`${outbox.attempts} > 0`;
const untried = sql`${outbox.attempts} = 0`;
const unsentStatuses = ['pending', 'sending'] as const;

function stateFilter(filter: MailFilter): SQL | undefined {
  switch (filter) {
    case 'unsent':
      return inArray(outbox.status, [...unsentStatuses, 'failed']);
    case 'waiting':
      return and(inArray(outbox.status, [...unsentStatuses]), untried);
    case 'retrying':
      return and(inArray(outbox.status, [...unsentStatuses]), tried);
    case 'failed':
      return eq(outbox.status, 'failed');
    case 'sent':
      return eq(outbox.status, 'sent');
    case 'all':
      return undefined;
  }
}

const stateOf = (status: string, attempts: number): MailState =>
  status === 'sent' ? 'sent' : status === 'failed' ? 'failed' : attempts > 0 ? 'retrying' : 'waiting';

/** One page of messages, newest first; `next` continues after the last one shown. */
/** The columns a mail row shows: never the bodies, which may carry sign-in or review links. */
const MAIL_ROW = {
  id: outbox.id,
  kind: outbox.kind,
  to: outbox.toAddress,
  subject: outbox.subject,
  status: outbox.status,
  attempts: outbox.attempts,
  createdAt: outbox.createdAt,
  nextAttemptAt: outbox.nextAttemptAt,
  lastAttemptAt: outbox.lastAttemptAt,
  sentAt: outbox.sentAt,
  lastError: outbox.lastError,
};

export async function listMail(
  db: Db,
  scope: MailScope,
  { filter = 'unsent', to, after }: { filter?: MailFilter; to?: string; after?: MailCursor },
): Promise<{ rows: MailRow[]; next: MailCursor | null }> {
  const recipient = to?.trim().toLowerCase();
  const rows = await db
    .select(MAIL_ROW)
    .from(outbox)
    .where(
      and(
        inScope(scope),
        stateFilter(filter),
        recipient ? sql`instr(lower(${outbox.toAddress}), ${recipient}) > 0` : undefined,
        after ? or(lt(outbox.createdAt, after.createdAt), and(eq(outbox.createdAt, after.createdAt), lt(outbox.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(PAGE_SIZE + 1);
  const page = rows.slice(0, PAGE_SIZE).map(({ status, ...r }) => ({ ...r, state: stateOf(status, r.attempts) }));
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > PAGE_SIZE && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/** The transport as the scope sees it: its last success and last failure, and what is left to send. */
export async function mailHealth(db: Db, scope: MailScope): Promise<MailHealth> {
  const where = inScope(scope);
  const [counts, lastFailure] = await Promise.all([
    db
      .select({
        lastSentAt: sql<number | null>`max(${outbox.sentAt})`,
        waiting: sql<number>`coalesce(sum(${outbox.status} IN ('pending', 'sending') AND ${outbox.attempts} = 0), 0)`,
        retrying: sql<number>`coalesce(sum(${outbox.status} IN ('pending', 'sending') AND ${outbox.attempts} > 0), 0)`,
        failed: sql<number>`coalesce(sum(${outbox.status} = 'failed'), 0)`,
      })
      .from(outbox)
      .where(where),
    db
      .select({ at: outbox.lastAttemptAt, error: outbox.lastError })
      .from(outbox)
      .where(and(where, isNotNull(outbox.lastError), isNotNull(outbox.lastAttemptAt)))
      .orderBy(desc(outbox.lastAttemptAt), desc(outbox.id))
      .limit(1),
  ]);
  const c = counts[0]!;
  const failure = lastFailure[0];
  return {
    lastSentAt: c.lastSentAt,
    lastFailure: failure?.at != null && failure.error != null ? { at: failure.at, error: failure.error } : null,
    waiting: Number(c.waiting),
    retrying: Number(c.retrying),
    failed: Number(c.failed),
  };
}

/** One message within the scope, or undefined (none, or someone else's). */
export async function findMail(db: Db, scope: MailScope, id: number): Promise<MailRow | undefined> {
  const [row] = await db
    .select(MAIL_ROW)
    .from(outbox)
    .where(and(eq(outbox.id, id), inScope(scope)));
  if (!row) return undefined;
  const { status, ...rest } = row;
  return { ...rest, state: stateOf(status, rest.attempts) };
}

/**
 * A failed message back to pending, due now: the page hands it to the mail queue (deliverSoon,
 * which finds it by its next_attempt_at = now), or the next delivery run tries it again. Its attempts are kept, so the page still says how often it failed.
 * One guarded batch: the audit event (before → after) only where it is still failed, then the
 * UPDATE that guard reads. False when it was no longer failed.
 */
export async function resendFailed(db: Db, id: number, actor: { personId: number | null; actor: string }, now: number): Promise<boolean> {
  const guard = sql`o.id = ${id} AND o.status = 'failed'`;
  const results = await db.batch([
    db.run(
      sql`INSERT INTO ${auditEvents} (at, actor_id, actor, action, detail)
          SELECT ${now}, ${actor.personId}, ${actor.actor}, 'mail.resend',
            json_object('message', o.id, 'kind', o.kind, 'to', o.to_address, 'subject', o.subject,
              'before', json_object('status', o.status, 'attempts', o.attempts, 'last_error', o.last_error),
              'after', json_object('status', 'pending', 'attempts', o.attempts, 'last_error', o.last_error))
          FROM ${outbox} o WHERE ${guard}`,
    ),
    // Last: it changes what the guard reads.
    db.run(sql`UPDATE ${outbox} AS o SET status = 'pending', next_attempt_at = ${now} WHERE ${guard}`),
  ]);
  return results[results.length - 1]!.meta.changes === 1;
}
