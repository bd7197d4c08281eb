// Mail queued by a request goes out right after the response (waitUntil), so the request never
// waits for the provider. With the mail queue bound, the ids of the rows the request's batch
// wrote (or made due again: a resend) go on the queue: they are the pending rows due at the
// request's `now` (every insert of the batch used it as next_attempt_at; another request of the
// same millisecond only adds an id the consumer's claim sends once). Without the queue, they are delivered here. Either way the 10-minute cron
// catches what this misses.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { Env } from '../db/env';
import { outbox } from '../db/schema';
import { deliverDue } from './outbox';
import { sendMailIds } from './queue';
import { senderAddress, transportFor } from './transports';

/** `c`: the request's Hono context (any area's). `limit`: messages delivered here without a queue. */
export function deliverSoon(c: { env: Env; executionCtx: { waitUntil(p: Promise<unknown>): void }; get(key: 'db'): Db }, now: number, limit = 20): void {
  const db = c.get('db');
  const queue = c.env.MAIL_QUEUE;
  c.executionCtx.waitUntil(
    queue
      ? handOverNew(db, queue, now)
      : deliverDue(db, transportFor(c.env), senderAddress(c.env), { now, limit }),
  );
}

async function handOverNew(db: Db, queue: Queue, now: number): Promise<void> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    // The (status, next_attempt_at) index finds them.
    .where(and(eq(outbox.status, 'pending'), eq(outbox.nextAttemptAt, now)));
  await sendMailIds(queue, rows.map((r) => r.id));
}
