// enqueue() for guarded batches: the mails are inserted only where the batch's guard holds
// (`where` over `reports r`, with its own ?1 … ?n), all of them in one statement through
// json_each, so however many recipients, a state change and its mail stay one atomic write.
import type { OutgoingMail } from './outbox';

export function enqueueWhere(d1: D1Database, where: string, params: unknown[], mails: OutgoingMail[], now: number): D1PreparedStatement[] {
  if (mails.length === 0) return [];
  const n = params.length;
  const rows = mails.map((m) => ({ key: m.dedupKey, kind: m.kind, to: m.to, subject: m.subject, text: m.text, html: m.html ?? null, report: m.reportId ?? null }));
  return [
    d1
      .prepare(
        `INSERT INTO outbox (dedup_key, kind, to_address, subject, text_body, html_body, status, next_attempt_at, created_at, report_id)
         SELECT m.value ->> '$.key', m.value ->> '$.kind', m.value ->> '$.to', m.value ->> '$.subject', m.value ->> '$.text',
           m.value ->> '$.html', 'pending', ?${n + 1}, ?${n + 1}, m.value ->> '$.report'
         FROM reports r, json_each(?${n + 2}) m
         WHERE ${where}
         ON CONFLICT (dedup_key) DO NOTHING`,
      )
      .bind(...params, now, JSON.stringify(rows)),
  ];
}
