// A report's published versions, oldest first, as an administrator reviews a correction's
// history: when each was published, why (the correction's reason; none for the first), who
// approved it (or that it was imported), and which one is public now.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { people, reportVersions } from '../db/schema';

export interface VersionEntry {
  version: number;
  publishedAt: number;
  reason: string | null;
  imported: boolean;
  current: boolean;
  /** The approving person's name; null when imported or approved by the script token. */
  approvedBy: string | null;
}

export function versionHistory(db: Db, reportId: number): Promise<VersionEntry[]> {
  return db
    .select({
      version: reportVersions.version,
      publishedAt: reportVersions.publishedAt,
      reason: reportVersions.reason,
      imported: reportVersions.imported,
      current: reportVersions.isCurrent,
      approvedBy: people.name,
    })
    .from(reportVersions)
    .leftJoin(people, eq(people.id, reportVersions.approvedBy))
    .where(eq(reportVersions.reportId, reportId))
    .orderBy(asc(reportVersions.version));
}
