// Report drafts in D1: the one module that reads and writes them (routes never write SQL).
//
// Every write is one D1 batch (one transaction) whose statements all carry the same guard —
// the report still has the revision the client based its change on, and may still be edited —
// and whose last statement is the UPDATE of `reports` that changes what the guard reads. So
// either every statement takes effect or none does, and of two saves on the same revision
// exactly one wins; the other finds the guard false, writes nothing and is told it is stale.
import { and, asc, desc, eq, gt, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import {
  TRANSITIONS,
  getTemplate,
  guard,
  isEditable,
  unexplainedWarnings,
  type Cells,
  type Issue,
  type Refusal,
  type Stage,
  type Status,
} from '../core';
import type { Viewer } from '../auth/scope';
import type { Db } from '../db/client';
import { selectReportsWithUnits } from '../db/joins';
import { cycles, reportRevisions, reports, reviewLinks, units } from '../db/schema';
import { isUniqueViolation } from '../db/unique';
import { enqueueWhere } from '../mail/guarded-enqueue';
import { reportEvent } from './audit-trail';
import { publishedCells } from './published-cells';
import { withDerivedTotals } from '../core/derived-cells';
import { validateReport } from '../core/narrative-issues';
import { contentHash, normalContent, type RevisionContent } from './revision-content';
import { insertRevision, revisionNumbered } from './revisions';
import type { LinkSettings } from './review-links';
import type { DraftState } from './draft-state';
import { reviewRequest, type ReviewRequest } from './review-requests';

/** What a save changes: only what changed. A null cell is a blank. */
export interface DraftPatch {
  sections?: Record<string, string>;
  cells?: Cells;
  explanations?: Record<string, string>;
}

export type SaveResult =
  | { ok: true; state: DraftState }
  | { ok: false; reason: 'stale' | 'not_editable'; current: DraftState };

export type SubmitResult =
  | { ok: true; state: DraftState }
  | { ok: false; reason: 'stale' | 'not_editable'; current: DraftState }
  | { ok: false; reason: 'blocked'; refusal: Refusal; issues: Issue[] };

/** `'draft', 'returned'`: the states a clerk may save or submit in (core/workflow.ts; our own constants). */
const EDITABLE_SQL = sql.raw(TRANSITIONS.save.from.map((s) => `'${s}'`).join(', '));

/** The guard of every draft write, over `reports r`: the same report, revision and template, still editable. */
const draftGuard = (state: DraftState, baseRevision: number) =>
  sql`r.id = ${state.reportId} AND r.revision = ${baseRevision} AND r.template = ${state.template.id} AND r.status IN (${EDITABLE_SQL})`;

/** The unit's report of `year` with its current content, or undefined when there is none. */
export async function loadDraft(db: Db, unitId: number, year: number): Promise<DraftState | undefined> {
  const [rows, previous] = await Promise.all([
    selectReportsWithUnits(db, {
      reportId: reports.id,
      unitCode: units.code,
      unitName: units.name,
      template: reports.template,
      status: reports.status,
      revision: reports.revision,
      returnComment: reports.returnComment,
      submittedAt: reports.submittedAt,
      deadline: cycles.deadline,
      sections: reportRevisions.sections,
      cells: reportRevisions.cells,
      explanations: reportRevisions.explanations,
      contentHash: reportRevisions.contentHash,
    })
      .leftJoin(reportRevisions, eq(reportRevisions.id, reports.currentRevisionId))
      .leftJoin(cycles, eq(cycles.year, reports.year))
      .where(and(eq(reports.unitId, unitId), eq(reports.year, year)))
      .limit(1),
    publishedCells(db, unitId, year - 1),
  ]);
  const row = rows[0];
  if (!row) return undefined;
  const template = getTemplate(row.template);
  if (!template) throw new Error(`Report ${row.reportId} names an unknown template ${row.template}`);
  const content = normalContent(template, row);
  return {
    reportId: row.reportId,
    unitId,
    unitCode: row.unitCode,
    unitName: row.unitName,
    year,
    template,
    status: row.status,
    revision: row.revision,
    ...content,
    comment: row.returnComment,
    deadline: row.deadline,
    previous,
    submittedAt: row.submittedAt,
    contentHash: row.contentHash,
  };
}

/** Every error and warning of the draft, its text included; `submit` also flags blank cells. */
export function draftIssues(state: DraftState, stage: Stage): Issue[] {
  return validateReport(state.template, state, { stage, previous: state.previous, year: state.year });
}

/** The patch merged onto the draft, keys the template does not know dropped, totals recomputed. */
function mergedContent(state: DraftState, patch: DraftPatch): RevisionContent {
  const content = normalContent(state.template, {
    sections: { ...state.sections, ...patch.sections },
    cells: { ...state.cells, ...patch.cells },
    explanations: { ...state.explanations, ...patch.explanations },
  });
  return { ...content, cells: withDerivedTotals(state.template, content.cells) };
}

/** Why a guarded write wrote nothing, told from the report as it is now. */
async function refusedBecause(db: Db, state: DraftState): Promise<{ reason: 'stale' | 'not_editable'; current: DraftState }> {
  const current = (await loadDraft(db, state.unitId, state.year)) ?? state;
  return { reason: isEditable(current.status) ? 'stale' : 'not_editable', current };
}

/**
 * Saves the patch as revision `baseRevision + 1`: a new immutable revision row, the report
 * pointing at it (a returned report becomes a draft again, its return comment kept so the clerk
 * still sees it) and a 'report.save' audit event, atomically. Rule errors never block a save.
 * A save that leaves the content as it is writes nothing and answers with the current revision,
 * even when based on an older one: an autosave that repeats itself, or retries a save that went
 * through, does not pile up identical revisions or get a needless conflict. (A returned report
 * stays 'returned' then: nothing was saved.)
 */
export async function saveDraft(
  db: Db,
  state: DraftState,
  baseRevision: number,
  patch: DraftPatch,
  viewer: Viewer,
  now: number,
): Promise<SaveResult> {
  if (!isEditable(state.status)) return { ok: false, reason: 'not_editable', current: state };
  const content = mergedContent(state, patch);
  const hash = await contentHash(content);
  // Nothing to change — also when a stale save's changes are all in the current revision already
  // (a phone retrying a save whose answer it never got): nothing of the clerk's is lost.
  if (hash === (await contentHash(state))) return { ok: true, state };
  if (baseRevision !== state.revision) return { ok: false, reason: 'stale', current: state };

  const number = state.revision + 1;
  const guard = draftGuard(state, baseRevision);
  let results;
  try {
    results = await db.batch([
      insertRevision(db, guard, { number, contentHash: hash, content, authorId: viewer.personId, at: now }),
      reportEvent(db, {
        where: guard,
        at: now,
        actorId: viewer.personId,
        actor: viewer.actor,
        action: 'report.save',
        revision: revisionNumbered(number),
        to: 'draft',
        detail: { revision: number, content_hash: hash },
      }),
      // Last: it changes what the guard reads.
      db.run(
        sql`UPDATE ${reports} AS r SET revision = ${number}, status = 'draft', updated_at = ${now}, current_revision_id = ${revisionNumbered(number)}
            WHERE ${guard}`,
      ),
    ]);
  } catch (error) {
    // A revision with this number exists already: someone else's save won.
    if (isUniqueViolation(error)) return { ok: false, ...(await refusedBecause(db, state)) };
    throw error;
  }
  if (results[2]!.meta.changes !== 1) return { ok: false, ...(await refusedBecause(db, state)) };
  return { ok: true, state: { ...state, ...content, status: 'draft', revision: number, contentHash: hash } };
}

/** The issues that block submission, for the refusal's details. */
function blockingIssues(refusal: Refusal, issues: Issue[], explanations: Record<string, string>): Issue[] {
  if (refusal.code === 'rule_errors') return issues.filter((i) => i.severity === 'error');
  const unexplained = new Set(unexplainedWarnings(issues, explanations));
  return issues.filter((i) => i.severity === 'warning' && unexplained.has(i.rule));
}

/**
 * Submits the current revision for review: only when no error rule fails and every warning is
 * explained (core guard). The report becomes 'submitted', the revision is frozen as the one a
 * supervisor approves, the return comment is cleared and a 'report.submit' event appended —
 * atomically, and only if nobody saved in between. Submitting the already submitted revision
 * again answers ok and writes nothing. The same batch issues the approval links and their mail
 * (`links`: how they are signed and where they point).
 */
export async function submitDraft(
  db: Db,
  state: DraftState,
  baseRevision: number,
  viewer: Viewer,
  now: number,
  links: LinkSettings,
): Promise<SubmitResult> {
  // Submitting the revision that is already submitted (a retry whose answer was lost) is done.
  if (state.status === 'submitted' && baseRevision === state.revision) return { ok: true, state };
  if (!isEditable(state.status)) return { ok: false, reason: 'not_editable', current: state };
  if (baseRevision !== state.revision) return { ok: false, reason: 'stale', current: state };
  const issues = draftIssues(state, 'submit');
  const verdict = guard('submit', { status: state.status, issues, explanations: state.explanations });
  if (!verdict.ok) return { ok: false, reason: 'blocked', refusal: verdict.refusal, issues: blockingIssues(verdict.refusal, issues, state.explanations) };

  const submittable = sql`${draftGuard(state, baseRevision)} AND r.current_revision_id IS NOT NULL`;
  const request = await reviewRequest(db, state, viewer, links, now);
  const results = await db.batch([
    reportEvent(db, {
      where: submittable,
      at: now,
      actorId: viewer.personId,
      actor: viewer.actor,
      action: 'report.submit',
      revision: sql`r.current_revision_id`,
      to: 'submitted',
      detail: { revision: state.revision, content_hash: state.contentHash },
    }),
    ...approvalRequestStatements(db, submittable, state, request, now),
    // Last: it changes what the guard reads.
    db.run(
      sql`UPDATE ${reports} AS r SET status = 'submitted', submitted_revision_id = r.current_revision_id, submitted_at = ${now},
            return_comment = NULL, updated_at = ${now}
          WHERE ${submittable}`,
    ),
  ]);
  if (results[results.length - 1]!.meta.changes !== 1) return { ok: false, ...(await refusedBecause(db, state)) };
  return { ok: true, state: { ...state, status: 'submitted', submittedAt: now, comment: null } };
}

/**
 * What a submission sends out (workflow.md "Approval links"), inside its batch and under its
 * guard (`where` over `reports r`), before its final UPDATE: older links that are still open die
 * (a resubmission), a link per supervisor of the parent unit is stored (only the hash of its
 * nonce; bound to the revision and its content hash) and each supervisor's mail is queued. So no
 * link or mail exists for a submission that did not happen.
 */
function approvalRequestStatements(db: Db, where: SQL, state: DraftState, request: ReviewRequest, now: number) {
  return [
    db.run(
      sql`UPDATE ${reviewLinks} SET invalidated_at = ${now}
          WHERE report_id = ${state.reportId} AND used_at IS NULL AND invalidated_at IS NULL AND EXISTS (SELECT 1 FROM ${reports} r WHERE ${where})`,
    ),
    ...(request.links.length === 0
      ? []
      : [
          db.run(
            sql`INSERT INTO ${reviewLinks} (nonce_hash, report_id, revision_id, content_hash, person_id, created_at, expires_at)
                SELECT l.value ->> '$.nonce_hash', r.id, r.current_revision_id, rr.content_hash, l.value ->> '$.person', ${now}, l.value ->> '$.expires_at'
                FROM ${reports} r JOIN ${reportRevisions} rr ON rr.id = r.current_revision_id AND rr.content_hash = ${state.contentHash},
                  json_each(${JSON.stringify(request.links)}) l
                WHERE ${where}`,
          ),
        ]),
    ...enqueueWhere(db, where, request.mails, now),
  ];
}

export interface UnitReport {
  unitCode: string;
  unitName: string;
  year: number;
  status: Status;
  revision: number;
  deadline: number | null;
  comment: string | null;
  submittedAt: number | null;
}

/** D1 allows 100 bound parameters per statement; the few others leave room. */
const IN_CHUNK = 90;

/**
 * The reports of these units, newest year first (then by unit code), for the clerk's home page:
 * those the units are expected to file, and any that already has content or left draft.
 */
export async function reportsOfUnits(db: Db, unitIds: number[]): Promise<UnitReport[]> {
  const ids = [...new Set(unitIds)];
  const chunks: number[][] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) chunks.push(ids.slice(i, i + IN_CHUNK));
  const found = await Promise.all(
    chunks.map((chunk) =>
      selectReportsWithUnits(db, {
        unitCode: units.code,
        unitName: units.name,
        year: reports.year,
        status: reports.status,
        revision: reports.revision,
        deadline: cycles.deadline,
        comment: reports.returnComment,
        submittedAt: reports.submittedAt,
      })
        .leftJoin(cycles, eq(cycles.year, reports.year))
        .where(
          and(
            inArray(reports.unitId, chunk),
            or(eq(reports.expected, true), gt(reports.revision, 0), ne(reports.status, 'draft')),
          ),
        )
        .orderBy(desc(reports.year), asc(units.code)),
    ),
  );
  return found.flat().sort((a, b) => b.year - a.year || (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0));
}
