// enqueue() for guarded batches: the mails are inserted only where the batch's guard holds
// (`where` over `reports r`), all of them in one statement through json_each, so however many
// recipients, a state change and its mail stay one atomic write.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { outbox, reports } from '../db/schema';
import type { OutgoingMail } from './outbox';

export function enqueueWhere(db: Db, where: SQL, mails: OutgoingMail[], now: number) {
  if (mails.length === 0) return [];
  const rows = mails.map((m) => ({ key: m.dedupKey, kind: m.kind, to: m.to, subject: m.subject, text: m.text, html: m.html ?? null, report: m.reportId ?? null }));
  return [
    db.run(
      sql`INSERT INTO ${outbox} (dedup_key, kind, to_address, subject, text_body, html_body, status, next_attempt_at, created_at, report_id)
         SELECT m.value ->> '$.key', m.value ->> '$.kind', m.value ->> '$.to', m.value ->> '$.subject', m.value ->> '$.text',
           m.value ->> '$.html', 'pending', ${now}, ${now}, m.value ->> '$.report'
         FROM ${reports} r, json_each(${JSON.stringify(rows)}) m
         WHERE ${where}
         ON CONFLICT (dedup_key) DO NOTHING`,
    ),
  ];
}
