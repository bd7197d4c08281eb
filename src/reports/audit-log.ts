// The audit log as administrators read it (/app/admin/audit): every event newest first, a page
// at a time by keyset on (at, id) — the audit_events_at_idx / audit_events_unit_at_idx indexes —
// filtered by unit subtree, actor, action and time. What an administrator of a subtree sees: the
// events of the units they manage, and their own. Events without a unit (a person's change, a
// cycle, a mail resent) are otherwise for administrators of the whole jurisdiction only: a
// person's memberships change over time, and matching an event to them would show a subtree's
// administrator the other units of people they share.
import { and, desc, eq, gte, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditEvents, people, reports, units } from '../db/schema';

export interface AuditFilter {
  /** Unit ids (a unit's subtree), or none. */
  unitIds?: number[];
  /** Part of the actor's label (an email, 'admin-token', …) or name. */
  actor?: string;
  /** One action; none = every action but report.save. */
  action?: string;
  /** [from, to) in epoch ms. */
  from?: number;
  to?: number;
}

export interface AuditCursor {
  at: number;
  id: number;
}

export interface AuditLogEntry {
  id: number;
  at: number;
  actor: string;
  actorName: string | null;
  action: string;
  unitCode: string | null;
  unitName: string | null;
  reportYear: number | null;
  fromStatus: string | null;
  toStatus: string | null;
  comment: string | null;
  detail: Record<string, unknown> | null;
}

/** Who reads: 'all' units, or these unit ids plus the events this person made. */
export type AuditScope = 'all' | { unitIds: number[]; personId: number | null };

const PAGE_SIZE = 50;

const inJson = (ids: number[]) => sql`(SELECT value FROM json_each(${JSON.stringify(ids)}))`;

function scopeCondition(scope: AuditScope): SQL | undefined {
  if (scope === 'all') return undefined;
  const units = sql`${auditEvents.unitId} IN ${inJson(scope.unitIds)}`;
  return scope.personId === null ? units : or(units, eq(auditEvents.actorId, scope.personId));
}

export async function auditLog(db: Db, scope: AuditScope, filter: AuditFilter, after?: AuditCursor): Promise<{ rows: AuditLogEntry[]; next: AuditCursor | null }> {
  const actor = filter.actor?.trim().toLowerCase();
  const rows = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      actor: auditEvents.actor,
      actorName: people.name,
      action: auditEvents.action,
      unitCode: units.code,
      unitName: units.name,
      reportYear: reports.year,
      fromStatus: auditEvents.fromStatus,
      toStatus: auditEvents.toStatus,
      comment: auditEvents.comment,
      detail: auditEvents.detail,
    })
    .from(auditEvents)
    .leftJoin(people, eq(people.id, auditEvents.actorId))
    .leftJoin(units, eq(units.id, auditEvents.unitId))
    .leftJoin(reports, eq(reports.id, auditEvents.reportId))
    .where(
      and(
        scopeCondition(scope),
        filter.unitIds ? sql`${auditEvents.unitId} IN ${inJson(filter.unitIds)}` : undefined,
        actor ? sql`(instr(lower(${auditEvents.actor}), ${actor}) > 0 OR instr(lower(coalesce(${people.name}, '')), ${actor}) > 0)` : undefined,
        // Saves (autosave writes one every few seconds) only when asked for: they would drown the rest.
        filter.action ? eq(auditEvents.action, filter.action) : ne(auditEvents.action, 'report.save'),
        filter.from !== undefined ? gte(auditEvents.at, filter.from) : undefined,
        filter.to !== undefined ? lt(auditEvents.at, filter.to) : undefined,
        after ? or(lt(auditEvents.at, after.at), and(eq(auditEvents.at, after.at), lt(auditEvents.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(PAGE_SIZE + 1);
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > PAGE_SIZE && last ? { at: last.at, id: last.id } : null };
}
