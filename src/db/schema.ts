/**
 * The D1 schema for the whole workflow (docs: ../shared/spec/workflow.md).
 *
 * Conventions: snake_case columns, integer ids, times as integer milliseconds since the
 * epoch (UTC), booleans as 0/1 integers, JSON as text. Rows that record what happened
 * (revisions, published versions, audit events) are never updated or deleted.
 * Migrations are generated from this file: `npm run db:generate`.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';

/** The cells map, `TABLE.ROW.COLUMN` → number, or null for a blank cell. */
export type CellValues = Record<string, number | null>;
/** Narrative sections or warning explanations: key → plain text. */
export type Texts = Record<string, string>;

export const PERSON_ROLES = ['clerk', 'supervisor', 'admin'] as const;
export const MEMBERSHIP_ROLES = ['clerk', 'supervisor', 'admin'] as const;
export const CYCLE_STATUSES = ['open', 'closed'] as const;
export const REPORT_STATUSES = ['draft', 'returned', 'submitted', 'published'] as const;
export const REVIEW_DECISIONS = ['approve', 'return'] as const;
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export const DEFAULT_REMINDER_DAYS = [30, 14, 7, 3, 1, 0];

export type PersonRole = (typeof PERSON_ROLES)[number];
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** SQL default for created_at and friends, so raw SQL inserts (seeds, batches) get it too. */
const nowMs = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
const createdAt = () => integer('created_at').notNull().default(nowMs);
const updatedAt = () => integer('updated_at').notNull().default(nowMs);

/**
 * A bare column name for CHECK constraints: drizzle would qualify it with the table name,
 * which breaks when drizzle-kit later rebuilds the table under a temporary name.
 */
const col = (column: AnySQLiteColumn) => sql.identifier(column.name);

/** `column IN ('a', 'b')` for a CHECK constraint; the values are our own constants. */
const oneOf = (column: AnySQLiteColumn, values: readonly string[]) =>
  sql`${col(column)} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;

/** Reporting units (填报单位) form a tree; subtree queries walk parent_id with a recursive CTE. */
export const units = sqliteTable(
  'units',
  {
    id: integer('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    parentId: integer('parent_id').references((): AnySQLiteColumn => units.id),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('units_code_unique').on(t.code),
    index('units_parent_idx').on(t.parentId),
    // Letters, digits, '-' and '_' only: codes appear in public URLs.
    check('units_code_format', sql`${col(t.code)} <> '' and ${col(t.code)} not glob '*[^A-Za-z0-9_-]*'`),
  ],
);

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey(),
    /** Always stored lowercased, so lookups by address are exact. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: PERSON_ROLES }).notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('people_email_unique').on(t.email),
    check('people_email_lowercase', sql`${col(t.email)} = lower(${col(t.email)})`),
    check('people_role_valid', oneOf(t.role, PERSON_ROLES)),
  ],
);

/**
 * Clerks belong to the units they report for; supervisors to the parent unit they review for;
 * administrators to the units they administer (and so manage everything below them).
 */
export const memberships = sqliteTable(
  'memberships',
  {
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    role: text('role', { enum: MEMBERSHIP_ROLES }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.unitId, t.role] }),
    index('memberships_unit_idx').on(t.unitId),
    check('memberships_role_valid', oneOf(t.role, MEMBERSHIP_ROLES)),
  ],
);

/** One reporting cycle per report year. */
export const cycles = sqliteTable(
  'cycles',
  {
    year: integer('year').primaryKey(),
    /** A template id such as 'gov-2021' (src/core/templates). */
    template: text('template').notNull(),
    /** The UTC instant of the deadline, e.g. 2026-01-31T23:59:59+08:00. */
    deadline: integer('deadline').notNull(),
    reminderDays: text('reminder_days', { mode: 'json' })
      .$type<number[]>()
      .notNull()
      .default(DEFAULT_REMINDER_DAYS),
    status: text('status', { enum: CYCLE_STATUSES }).notNull().default('open'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('cycles_status_valid', oneOf(t.status, CYCLE_STATUSES))],
);

/**
 * One report per unit and year. It points at its latest revision; `revision` is the number
 * a save must be based on (optimistic concurrency: a stale save gets 409).
 */
export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    /** No foreign key to cycles: imported historical reports have no cycle. */
    year: integer('year').notNull(),
    template: text('template').notNull(),
    status: text('status', { enum: REPORT_STATUSES }).notNull().default('draft'),
    /** The unit is expected to report in this year's cycle. */
    expected: integer('expected', { mode: 'boolean' }).notNull().default(true),
    /** Published elsewhere first and imported (POST /api/v1/admin/import). */
    imported: integer('imported', { mode: 'boolean' }).notNull().default(false),
    /** Current revision number; 0 = nothing saved yet. */
    revision: integer('revision').notNull().default(0),
    currentRevisionId: integer('current_revision_id').references(
      (): AnySQLiteColumn => reportRevisions.id,
    ),
    /** The frozen revision a supervisor is asked to approve. */
    submittedRevisionId: integer('submitted_revision_id').references(
      (): AnySQLiteColumn => reportRevisions.id,
    ),
    submittedAt: integer('submitted_at'),
    returnComment: text('return_comment'),
    /** Latest published version number; 0 = never published. */
    publishedVersion: integer('published_version').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('reports_unit_year_unique').on(t.unitId, t.year),
    index('reports_year_status_idx').on(t.year, t.status),
    check('reports_status_valid', oneOf(t.status, REPORT_STATUSES)),
    check('reports_revision_nonneg', sql`${col(t.revision)} >= 0`),
  ],
);

/** Every save is a new immutable revision holding the whole content. */
export const reportRevisions = sqliteTable(
  'report_revisions',
  {
    id: integer('id').primaryKey(),
    reportId: integer('report_id')
      .notNull()
      .references((): AnySQLiteColumn => reports.id),
    number: integer('number').notNull(),
    /** Hex SHA-256 of the canonical JSON of {sections, cells, explanations}. */
    contentHash: text('content_hash').notNull(),
    sections: text('sections', { mode: 'json' }).$type<Texts>().notNull(),
    cells: text('cells', { mode: 'json' }).$type<CellValues>().notNull(),
    explanations: text('explanations', { mode: 'json' }).$type<Texts>().notNull(),
    authorId: integer('author_id').references(() => people.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('report_revisions_report_number_unique').on(t.reportId, t.number)],
);

/** Published versions (1, 2, … after corrections); all stay public in the version history. */
export const reportVersions = sqliteTable(
  'report_versions',
  {
    id: integer('id').primaryKey(),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id),
    version: integer('version').notNull(),
    revisionId: integer('revision_id')
      .notNull()
      .references(() => reportRevisions.id),
    publishedAt: integer('published_at').notNull(),
    submittedAt: integer('submitted_at'),
    /** Null when there was no deadline (e.g. imported history). */
    onTime: integer('on_time', { mode: 'boolean' }),
    /** Why a correction was made (reopen reason); null for version 1. */
    reason: text('reason'),
    imported: integer('imported', { mode: 'boolean' }).notNull().default(false),
    /** The latest published version of its report: exactly one per published report. */
    isCurrent: integer('is_current', { mode: 'boolean' }).notNull().default(true),
    approvedBy: integer('approved_by').references(() => people.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('report_versions_report_version_unique').on(t.reportId, t.version),
    index('report_versions_current_idx').on(t.isCurrent),
    // At most one current version per report; publishing clears the old flag first.
    uniqueIndex('report_versions_one_current')
      .on(t.reportId)
      .where(sql`${col(t.isCurrent)} = 1`),
  ],
);

/**
 * The cells of every published version as rows: what the rollups below add and subtract when a
 * version is published or replaced. Filled with one INSERT … SELECT … FROM json_each(?) per version.
 */
export const publishedCells = sqliteTable(
  'published_cells',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => reportVersions.id),
    year: integer('year').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    cell: text('cell').notNull(),
    /** Null = blank (not zero). */
    value: real('value'),
  },
  (t) => [
    primaryKey({ columns: [t.versionId, t.cell] }),
    index('published_cells_year_cell_idx').on(t.year, t.cell),
  ],
);

/**
 * Rollups: for each unit, year and template, the sums over the unit's whole subtree (the unit and
 * every unit below it) of the current published versions' cells, so the statistics read one row
 * per cell however many reports lie below. Kept right in the batch of every change that moves
 * them (src/reports/rollups.ts): a publication adds its version and subtracts the one it replaces
 * for the unit and each ancestor; a move re-derives the ancestors left and joined.
 */
export const rollupCells = sqliteTable(
  'rollup_cells',
  {
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    year: integer('year').notNull(),
    template: text('template').notNull(),
    cell: text('cell').notNull(),
    /** The sum of the non-blank values (0 when all are blank: `filled` tells). */
    total: real('total').notNull().default(0),
    /** How many current versions have a number in the cell: 0 = all blank, the sum is null. */
    filled: integer('filled').notNull().default(0),
    /** How many current versions have the cell at all, blank or not. */
    present: integer('present').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.year, t.template, t.cell] })],
);

/** Counts per unit subtree, year and template: reports expected, published, on time (version 1). */
export const rollupCounts = sqliteTable(
  'rollup_counts',
  {
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    year: integer('year').notNull(),
    template: text('template').notNull(),
    expected: integer('expected').notNull().default(0),
    published: integer('published').notNull().default(0),
    onTime: integer('on_time').notNull().default(0),
    /** The newest publication of a current version below (Last-Modified); null when none. */
    lastPublishedAt: integer('last_published_at'),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.year, t.template] })],
);

/** Who did what, when, to which report: one row per transition or administrative change. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey(),
    at: integer('at').notNull().default(nowMs),
    actorId: integer('actor_id').references(() => people.id),
    /** A readable label: an email, 'system', 'admin-token', 'review-link'. */
    actor: text('actor').notNull(),
    /** E.g. 'report.submit', 'report.approve', 'unit.update'. */
    action: text('action').notNull(),
    reportId: integer('report_id').references(() => reports.id),
    unitId: integer('unit_id').references(() => units.id),
    revisionId: integer('revision_id').references(() => reportRevisions.id),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    comment: text('comment'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_events_report_at_idx').on(t.reportId, t.at),
    // The audit page lists newest first, filtered by unit or by nothing.
    index('audit_events_at_idx').on(t.at),
    index('audit_events_unit_at_idx').on(t.unitId, t.at),
  ],
);

/** Mail is queued here first and delivered by the cron, so a failing provider loses nothing. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey(),
    /** E.g. 'reminder:JT-330903-101:2025:7:2026-01-24': a second cron run inserts nothing. */
    dedupKey: text('dedup_key').notNull(),
    kind: text('kind').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull().default(nowMs),
    lastError: text('last_error'),
    /** When the transport was last tried with it: the mail page's "last failure" and order. */
    lastAttemptAt: integer('last_attempt_at'),
    createdAt: createdAt(),
    sentAt: integer('sent_at'),
    reportId: integer('report_id').references(() => reports.id),
  },
  (t) => [
    uniqueIndex('outbox_dedup_key_unique').on(t.dedupKey),
    index('outbox_status_next_idx').on(t.status, t.nextAttemptAt),
    check('outbox_status_valid', oneOf(t.status, OUTBOX_STATUSES)),
  ],
);

/** Emailed sign-in links: only the hash of the token is stored; single use, short-lived. */
export const loginTokens = sqliteTable(
  'login_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    ip: text('ip'),
  },
  (t) => [index('login_tokens_person_idx').on(t.personId)],
);

/** Sessions behind the cookie; only the hash of the session id is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull().default(nowMs),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('sessions_person_idx').on(t.personId)],
);

/**
 * Signed approval links emailed to supervisors. The link names the submitted revision's
 * content hash; it dies when used, when it expires, or when the report leaves `submitted`.
 */
export const reviewLinks = sqliteTable(
  'review_links',
  {
    nonceHash: text('nonce_hash').primaryKey(),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id),
    revisionId: integer('revision_id')
      .notNull()
      .references(() => reportRevisions.id),
    contentHash: text('content_hash').notNull(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    decision: text('decision', { enum: REVIEW_DECISIONS }),
    invalidatedAt: integer('invalidated_at'),
  },
  (t) => [
    index('review_links_report_idx').on(t.reportId),
    check('review_links_decision_valid', sql`${col(t.decision)} is null or ${oneOf(t.decision, REVIEW_DECISIONS)}`),
  ],
);

/** Fixed-window counters, e.g. sign-in link requests per address or IP. */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull().default(0),
});

/**
 * The daily run's work items (src/reminders/daily.ts): the cron plans them and puts them on the
 * daily queue; the consumer marks each done in the batch that queues its mail. What is not done
 * after ten minutes is queued again by the 10-minute cron, and "a day is done" (the bench, the
 * tests) is: no item left undone, no mail left pending.
 */
export const dailyWork = sqliteTable(
  'daily_work',
  {
    /** The run's scheduled time: its "now". */
    runAt: integer('run_at').notNull(),
    /** E.g. 'units:2026:3' (the fourth chunk of units of cycle 2026), 'digests'. */
    item: text('item').notNull(),
    /** The queue message (JSON), so the item can be queued again as it was. */
    body: text('body').notNull(),
    queuedAt: integer('queued_at').notNull(),
    doneAt: integer('done_at'),
    /** Set when the queue gave up on the item (dead letter): not queued again. */
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.runAt, t.item] }), index('daily_work_open_idx').on(t.doneAt, t.queuedAt)],
);

export type Unit = typeof units.$inferSelect;
export type Person = typeof people.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Cycle = typeof cycles.$inferSelect;
export type Report = typeof reports.$inferSelect;
export type ReportRevision = typeof reportRevisions.$inferSelect;
export type ReportVersion = typeof reportVersions.$inferSelect;
export type PublishedCell = typeof publishedCells.$inferSelect;
export type RollupCell = typeof rollupCells.$inferSelect;
export type RollupCount = typeof rollupCounts.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type OutboxMessage = typeof outbox.$inferSelect;
export type LoginToken = typeof loginTokens.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type ReviewLink = typeof reviewLinks.$inferSelect;
export type RateLimit = typeof rateLimits.$inferSelect;
export type DailyWork = typeof dailyWork.$inferSelect;
