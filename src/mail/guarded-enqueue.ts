// enqueue() for guarded batches: the mails are inserted only where the batch's guard holds
// (`where`, a condition over `reports r`), all of them in one statement through json_each, so
// however many recipients, a state change and its mail stay one atomic write within D1's 100
// bound parameters.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { outbox, reports } from '../db/schema';
import type { OutgoingMail } from './outbox';

/** The mails as one JSON parameter, read back with json_each. */
const asJson = (mails: OutgoingMail[]) =>
  JSON.stringify(mails.map((m) => ({ key: m.dedupKey, kind: m.kind, to: m.to, subject: m.subject, text: m.text, html: m.html ?? null, report: m.reportId ?? null })));

/** [] without mails, else the one INSERT … SELECT for the caller's db.batch([...]). */
export function enqueueWhere(db: Db, where: SQL, mails: OutgoingMail[], now: number): ReturnType<Db['run']>[];
/**
 * The same for batches still written against D1 directly, `where` with its own ?1 … ?n:
 * only until src/reports is drizzle throughout (the db-reports branch), then removed.
 */
export function enqueueWhere(d1: D1Database, where: string, params: unknown[], mails: OutgoingMail[], now: number): D1PreparedStatement[];
export function enqueueWhere(
  client: Db | D1Database,
  where: SQL | string,
  ...rest: [OutgoingMail[], number] | [unknown[], OutgoingMail[], number]
): ReturnType<Db['run']>[] | D1PreparedStatement[] {
  if (typeof where === 'string') {
    const [params, mails, now] = rest as [unknown[], OutgoingMail[], number];
    if (mails.length === 0) return [];
    const n = params.length;
    return [
      (client as D1Database)
        .prepare(
          `INSERT INTO outbox (dedup_key, kind, to_address, subject, text_body, html_body, status, next_attempt_at, created_at, report_id)
           SELECT m.value ->> '$.key', m.value ->> '$.kind', m.value ->> '$.to', m.value ->> '$.subject', m.value ->> '$.text',
             m.value ->> '$.html', 'pending', ?${n + 1}, ?${n + 1}, m.value ->> '$.report'
           FROM reports r, json_each(?${n + 2}) m
           WHERE ${where}
           ON CONFLICT (dedup_key) DO NOTHING`,
        )
        .bind(...params, now, asJson(mails)),
    ];
  }
  const [mails, now] = rest as [OutgoingMail[], number];
  if (mails.length === 0) return [];
  return [
    (client as Db).run(sql`
      INSERT INTO ${outbox} (dedup_key, kind, to_address, subject, text_body, html_body, status, next_attempt_at, created_at, report_id)
      SELECT m.value ->> '$.key', m.value ->> '$.kind', m.value ->> '$.to', m.value ->> '$.subject', m.value ->> '$.text',
        m.value ->> '$.html', 'pending', ${now}, ${now}, m.value ->> '$.report'
      FROM ${reports} r, json_each(${asJson(mails)}) m
      WHERE ${where}
      ON CONFLICT (dedup_key) DO NOTHING`),
  ];
}
