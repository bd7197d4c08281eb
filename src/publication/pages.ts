// Big public answers a page at a time, with keyset pagination: each page starts after the last
// row of the one before (a cursor naming that row's sort key), never at an OFFSET — an OFFSET
// makes D1 read and throw away every row before it, so page 600 of a 30,000-report feed would
// cost 600 pages. The bulk CSV reads its year this way too, page by page into a stream, so its
// memory stays a page's worth however many reports there are (a Worker has 128 MB).
//
// A cursor is opaque to clients: the sort key of the last row, as base64url JSON. One that does
// not decode is refused (the route names the `cursor` parameter), never guessed at.
import { sql } from 'drizzle-orm';
import type { Cells } from '../core';
import { base64url, fromBase64url, utf8 } from '../auth/crypto';
import type { Db } from '../db/client';
import { reportRevisions, reports, reportVersions } from '../db/schema';
import { andIf, scopeCte, toVersion, VERSION_COLUMNS, VERSION_JOINS, type PublishedVersion, type ReportFilter, type VersionRow } from './queries';

/** A cursor's text, or undefined when it is not base64url of UTF-8 (crypto.ts does the base64url). */
function cursorText(cursor: string): string | undefined {
  const bytes = fromBase64url(cursor);
  try {
    return bytes && new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Encodes a sort key as a cursor. */
export const encodeCursor = (key: readonly (string | number)[]) => base64url(utf8(JSON.stringify(key)));

/** The sort key a cursor names, if it is one of `shape` (e.g. ['number', 'number', 'string']); else undefined. */
export function decodeCursor(cursor: string, shape: readonly ('number' | 'string')[]): (string | number)[] | undefined {
  const text = cursorText(cursor);
  if (text === undefined) return undefined;
  try {
    const key = JSON.parse(text) as unknown;
    if (!Array.isArray(key) || key.length !== shape.length) return undefined;
    return key.every((part, i) => typeof part === shape[i] && (typeof part !== 'number' || Number.isSafeInteger(part))) ? key : undefined;
  } catch {
    return undefined;
  }
}

export interface Page<T> {
  rows: T[];
  /** The cursor of the next page; undefined on the last. */
  next: string | undefined;
}

/** The list's sort key: newest publication first, then newest year, then unit code. */
export const REPORTS_CURSOR = ['number', 'number', 'string'] as const;

/**
 * A page of the current published versions (GET /api/v1/reports), in the order listPublished
 * gives them: published_at DESC, year DESC, unit code.
 */
export async function publishedPage(db: Db, filter: ReportFilter, limit: number, after?: (string | number)[]): Promise<Page<PublishedVersion>> {
  const [at, year, code] = after ?? [];
  const rows = await db.all<VersionRow>(
    sql`${scopeCte(filter.within ?? null)}
        SELECT ${VERSION_COLUMNS} ${VERSION_JOINS}
        WHERE v.is_current = 1 AND r.unit_id IN (SELECT id FROM scope)
          ${andIf(filter.year, (y) => sql`r.year = ${y}`)} ${andIf(filter.unit, (u) => sql`u.code = ${u}`)}
          ${after ? sql`AND (v.published_at < ${at} OR (v.published_at = ${at} AND (r.year < ${year} OR (r.year = ${year} AND u.code > ${code}))))` : sql``}
        ORDER BY v.published_at DESC, r.year DESC, u.code
        LIMIT ${limit + 1}`,
  );
  const page = rows.slice(0, limit).map(toVersion);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? encodeCursor([last.publishedAt, last.year, last.unitCode]) : undefined };
}

/** The feed's sort key: newest publication first, then the newest version row. */
export const VERSIONS_CURSOR = ['number', 'number'] as const;

/** A page of every published version, newest first (the feed), with the revision's cells as JSON text. */
export async function versionsPage(
  db: Db,
  filter: ReportFilter,
  limit: number,
  after?: (string | number)[],
): Promise<Page<PublishedVersion & { cells: string }>> {
  const [at, id] = after ?? [];
  // The page's version ids first, sorted on narrow rows; only then their cells (a few KB each):
  // sorting every version with its cells would grow with the data (the feed of a province).
  const rows = await db.all<VersionRow & { cells: string; versionId: number }>(
    sql`${scopeCte(filter.within ?? null)},
        page(id) AS (
          SELECT v.id FROM ${reportVersions} v JOIN ${reports} r ON r.id = v.report_id
          WHERE ${filter.within ? sql`r.unit_id IN (SELECT id FROM scope)` : sql`1 = 1`} ${andIf(filter.year, (y) => sql`r.year = ${y}`)}
            ${after ? sql`AND (v.published_at < ${at} OR (v.published_at = ${at} AND v.id < ${id}))` : sql``}
          ORDER BY v.published_at DESC, v.id DESC
          LIMIT ${limit + 1})
        SELECT ${VERSION_COLUMNS}, v.id AS versionId, rr.cells ${VERSION_JOINS}
        JOIN ${reportRevisions} rr ON rr.id = v.revision_id
        WHERE v.id IN (SELECT id FROM page)
        ORDER BY v.published_at DESC, v.id DESC`,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({ ...toVersion(r), cells: r.cells })),
    next: rows.length > limit && last ? encodeCursor([last.publishedAt, last.versionId]) : undefined,
  };
}

/** How many reports the bulk CSV reads at a time: a few MB of cells at most. */
export const CSV_PAGE_SIZE = 500;

/** A page of a year's current published reports of one template, with their cells, by unit code after `afterCode`. */
export async function yearReportsPage(
  db: Db,
  year: number,
  within: string | null,
  template: string,
  afterCode: string | null,
  limit = CSV_PAGE_SIZE,
): Promise<(PublishedVersion & { cells: Cells })[]> {
  const rows = await db.all<VersionRow & { cells: string }>(
    sql`${scopeCte(within)}
        SELECT ${VERSION_COLUMNS}, rr.cells ${VERSION_JOINS}
        JOIN ${reportRevisions} rr ON rr.id = v.revision_id
        WHERE v.is_current = 1 AND r.year = ${year} AND r.template = ${template} AND r.unit_id IN (SELECT id FROM scope)
          ${andIf(afterCode, (code) => sql`u.code > ${code}`)}
        ORDER BY u.code
        LIMIT ${limit}`,
  );
  return rows.map((r) => ({ ...toVersion(r), cells: JSON.parse(r.cells) as Cells }));
}

/** The newest publication among a year's current reports of one template (Last-Modified of the bulk CSV). */
export async function lastPublication(db: Db, year: number, within: string | null, template: string): Promise<number | null> {
  const row = await db.get<{ last: number | null }>(
    sql`${scopeCte(within)}
        SELECT max(v.published_at) AS last ${VERSION_JOINS}
        WHERE v.is_current = 1 AND r.year = ${year} AND r.template = ${template} AND r.unit_id IN (SELECT id FROM scope)`,
  );
  return row?.last ?? null;
}
