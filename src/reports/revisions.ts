// Writing a revision: every change of a report's content is a new immutable report_revisions row
// holding the whole content, numbered 1, 2, … per report. A clerk's save and an import write it
// the same way, inside their guarded batch: the INSERT reads the report through the batch's guard
// (so it writes nothing when the guard fails), and the report's UPDATE points at it by number.
// Two writers of the same number collide on the (report_id, number) unique index, and the
// loser's whole batch writes nothing.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { reportRevisions, reports } from '../db/schema';
import type { RevisionContent } from './revision-content';

export interface NewRevision {
  number: number;
  contentHash: string;
  content: RevisionContent;
  authorId: number | null;
  at: number;
}

/** The revision of each report `where` (over `reports r`) selects: none when the guard fails. */
export function insertRevision(db: Db, where: SQL, revision: NewRevision) {
  const { sections, cells, explanations } = revision.content;
  // Each JSON document is one bound parameter, however many cells (D1 allows 100 per statement).
  return db.run(
    sql`INSERT INTO ${reportRevisions} (report_id, number, content_hash, sections, cells, explanations, author_id, created_at)
        SELECT r.id, ${revision.number}, ${revision.contentHash}, ${JSON.stringify(sections)}, ${JSON.stringify(cells)},
          ${JSON.stringify(explanations)}, ${revision.authorId}, ${revision.at}
        FROM ${reports} r WHERE ${where}`,
  );
}

/** SQL over `reports r`: the id of its revision numbered `number` (for current_revision_id). */
export const revisionNumbered = (number: number) =>
  sql`(SELECT rr.id FROM ${reportRevisions} rr WHERE rr.report_id = r.id AND rr.number = ${number})`;
