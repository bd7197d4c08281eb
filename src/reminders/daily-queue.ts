// The daily run fanned out over the daily queue. The cron plans the run's work items
// (planDailyWork: the units not submitted in chunks, late-unit lists, summaries, digests), records
// them in daily_work and puts them on the queue; the consumer does one item per message: queues
// its messages in the outbox, puts their ids on the mail queue, marks the item done. 10,000
// units are 20 items, each well inside one invocation's 1,000 subrequests, done side by side.
//
// Nothing is queued twice: the outbox's de-duplication keys make a redelivered item, or a
// second run of the day, insert nothing new; the ids handed to the mail queue are those of the
// item's messages still pending, so an item that died after its insert still gets them sent.
// An item not done ten minutes after it was queued is queued again by the 10-minute cron.
import { and, count, eq, gte, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dailyWork, outbox } from '../db/schema';
import { insertMail } from '../mail/outbox';
import { sendMailIds } from '../mail/queue';
import { itemMail, itemName, planDailyWork, type DailyItem } from './daily';

/**
 * The body of a daily queue message: the run's time ("now" for its work), the public origin its
 * links are built on (decided once by the run: BASE_URL) and one item.
 */
export interface DailyQueueMessage {
  run: number;
  origin: string;
  item: DailyItem;
}

export const isDailyMessage = (body: unknown): body is DailyQueueMessage =>
  typeof body === 'object' && body !== null && Number.isSafeInteger((body as DailyQueueMessage).run) && typeof (body as DailyQueueMessage).origin === 'string' && typeof (body as DailyQueueMessage).item === 'object';

/** An item queued this long ago and not done is queued again (the consumer died, a send was lost). */
export const WORK_STALE_MS = 10 * 60_000;

/** Items are kept this long (what each day's run did), then forgotten by a later run. */
const WORK_KEPT_MS = 30 * 86_400_000;

/** Plans the run at `now`, records its items and puts them on the daily queue. Returns how many. */
export async function fanOutDailyRun(db: Db, queue: Queue, now: number, origin: string): Promise<number> {
  await db.delete(dailyWork).where(lt(dailyWork.runAt, now - WORK_KEPT_MS));
  const items = await planDailyWork(db, now);
  const bodies = items.map((item): DailyQueueMessage => ({ run: now, origin, item }));
  for (let i = 0; i < bodies.length; i += 50) {
    // One row per statement (6 parameters), 50 statements per batch. A second run at the same
    // time finds its items recorded and queues them again: doing an item twice queues nothing twice.
    const [first, ...rest] = bodies.slice(i, i + 50).map((body) =>
      db
        .insert(dailyWork)
        .values({ runAt: now, item: itemName(body.item), body: JSON.stringify(body), queuedAt: now })
        .onConflictDoUpdate({ target: [dailyWork.runAt, dailyWork.item], set: { queuedAt: now } }),
    );
    await db.batch([first!, ...rest]);
  }
  for (let i = 0; i < bodies.length; i += 100) await queue.sendBatch(bodies.slice(i, i + 100).map((body) => ({ body })));
  return bodies.length;
}

/**
 * The consumer's work for one item: its messages into the outbox, the ids of those still pending
 * onto the mail queue, the item marked done. Returns how many messages were new.
 */
export async function doDailyItem(db: Db, mailQueue: Queue, { run, origin, item }: DailyQueueMessage): Promise<number> {
  const mails = await itemMail(db, item, run, origin);
  const added = await insertMail(db, mails, run);
  const keys = mails.map((m) => m.dedupKey);
  const pending: number[] = [];
  // Selected by key rather than taken from the insert: a redelivered item's messages were inserted
  // by the delivery that died, and still need their ids handed over. 500 keys per statement.
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(sql`${outbox.dedupKey} IN (SELECT value FROM json_each(${JSON.stringify(keys.slice(i, i + 500))}))`, eq(outbox.status, 'pending')));
    pending.push(...rows.map((r) => r.id));
  }
  await sendMailIds(mailQueue, pending);
  await db
    .update(dailyWork)
    .set({ doneAt: Date.now() })
    .where(and(eq(dailyWork.runAt, run), eq(dailyWork.item, itemName(item))));
  return added.length;
}

/** The dead-letter consumer's share for work items: recorded as given up, never queued again. */
export async function failDeadLetteredWork(db: Db, messages: readonly Message<unknown>[]): Promise<void> {
  for (const message of messages) {
    if (!isDailyMessage(message.body)) continue;
    const { run, item } = message.body;
    await db
      .update(dailyWork)
      .set({ error: 'the daily queue gave up after its retries' })
      .where(and(eq(dailyWork.runAt, run), eq(dailyWork.item, itemName(item)), isNull(dailyWork.doneAt)));
    console.error(`daily run ${new Date(run).toISOString()}: work item ${itemName(item)} dead-lettered`);
    message.ack();
  }
}

/** The safety net: items of the last day queued more than WORK_STALE_MS ago and not done, queued again. */
export async function requeueStaleWork(db: Db, queue: Queue, now: number): Promise<number> {
  const stale = await db
    .update(dailyWork)
    .set({ queuedAt: now })
    .where(and(isNull(dailyWork.doneAt), isNull(dailyWork.error), lte(dailyWork.queuedAt, now - WORK_STALE_MS), gte(dailyWork.runAt, now - 86_400_000)))
    .returning({ body: dailyWork.body });
  for (let i = 0; i < stale.length; i += 100) await queue.sendBatch(stale.slice(i, i + 100).map((s) => ({ body: JSON.parse(s.body) as DailyQueueMessage })));
  return stale.length;
}

/**
 * Where the run at `run` stands: its items not yet done (nor given up), the outbox's messages not
 * yet sent or failed (any run's: an item hands over earlier messages still pending too), and how
 * many of the run's own were sent.
 */
export async function dailyRunProgress(db: Db, run: number): Promise<{ itemsLeft: number; mailLeft: number; sent: number }> {
  const [items] = await db.select({ n: count() }).from(dailyWork).where(and(eq(dailyWork.runAt, run), isNull(dailyWork.doneAt), isNull(dailyWork.error)));
  const [left] = await db.select({ n: count() }).from(outbox).where(inArray(outbox.status, ['pending', 'sending']));
  const [sent] = await db.select({ n: count() }).from(outbox).where(and(eq(outbox.status, 'sent'), eq(outbox.createdAt, run)));
  return { itemsLeft: items!.n, mailLeft: left!.n, sent: sent!.n };
}
