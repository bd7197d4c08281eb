// The demo data `npm start` loads (scripts/seed.mjs), run against the migrated schema: it must
// load, load again without change, and hold the published 金塘镇 2018 report the way the
// workflow stores a publication (report → revision → version → published_cells).
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../scripts/canonical-json.mjs';
import { demoCycle } from '../../scripts/demo-data.mjs';
import { currentReportYear } from '../../src/core/schedule';
import jintang from '../fixtures/jintang-2018.json';

/** The demo's year on the day the tests run (vitest.config.ts seeds with Date.now()). */
const DEMO_YEAR = currentReportYear(Date.now());

const db = env.DB;
const seed = () => db.batch(env.TEST_DEMO_SEED.map((sql) => db.prepare(sql)));
const count = async (sql: string, ...params: unknown[]) =>
  (await db.prepare(sql).bind(...params).first<{ n: number }>())!.n;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('the demo data', () => {
  beforeAll(async () => {
    await seed();
    await seed(); // idempotent: the second run changes nothing
  });

  it('builds the unit tree under ZS-DH, walkable with a recursive CTE', async () => {
    const { results } = await db
      .prepare(
        `WITH RECURSIVE subtree(id) AS (
           SELECT id FROM units WHERE code = ?
           UNION ALL SELECT u.id FROM units u JOIN subtree s ON u.parent_id = s.id)
         SELECT u.code FROM units u JOIN subtree s ON s.id = u.id ORDER BY u.code`,
      )
      .bind('ZS-DH')
      .all<{ code: string }>();
    expect(results.map((r) => r.code)).toEqual(
      ['BQ-330902-102', 'GL-330902-103', 'JT-330903-101', 'ZS-DH', 'ZS-DH-JYJ', 'ZS-DH-WJJ'].sort(),
    );
  });

  it('has one person per role, with the clerk in 金塘镇 and the supervisor and the administrator at the root', async () => {
    const { results } = await db
      .prepare(
        `SELECT p.email, p.role, u.code FROM people p
         LEFT JOIN memberships m ON m.person_id = p.id LEFT JOIN units u ON u.id = m.unit_id
         ORDER BY p.email`,
      )
      .all();
    expect(results).toEqual([
      { email: 'admin@demo.nianbao.local', role: 'admin', code: 'ZS-DH' },
      { email: 'clerk@demo.nianbao.local', role: 'clerk', code: 'JT-330903-101' },
      { email: 'supervisor@demo.nianbao.local', role: 'supervisor', code: 'ZS-DH' },
    ]);
  });

  it("opens the cycle due next, with an empty draft for every unit below the root", async () => {
    const cycle = await db.prepare('SELECT * FROM cycles WHERE year = ?').bind(DEMO_YEAR).first();
    expect(cycle).toMatchObject({
      template: 'gov-2021',
      deadline: Date.parse(`${DEMO_YEAR + 1}-01-31T23:59:59+08:00`),
      reminder_days: '[30,14,7,3,1,0]',
      status: 'open',
    });
    expect(await count('SELECT count(*) AS n FROM cycles')).toBe(1);
    expect(
      await count(
        "SELECT count(*) AS n FROM reports WHERE year = ? AND status = 'draft' AND revision = 0 AND current_revision_id IS NULL",
        DEMO_YEAR,
      ),
    ).toBe(5);
  });

  it('is never overdue: the open cycle\'s deadline is still ahead today', async () => {
    const open = await db.prepare("SELECT deadline FROM cycles WHERE status = 'open'").all<{ deadline: number }>();
    expect(open.results.length).toBe(1);
    expect(open.results[0]!.deadline).toBeGreaterThan(Date.now());
  });

  it('stores 金塘镇 2018 as published version 1, imported, with its content hash', async () => {
    const row = await db
      .prepare(
        `SELECT r.status, r.template, r.imported, r.revision, r.published_version,
                rr.number, rr.content_hash, rr.sections, rr.cells, rr.explanations,
                v.version, v.is_current, v.imported AS version_imported, v.published_at, v.on_time
         FROM reports r JOIN units u ON u.id = r.unit_id
         JOIN report_revisions rr ON rr.id = r.current_revision_id
         JOIN report_versions v ON v.report_id = r.id AND v.revision_id = rr.id
         WHERE u.code = 'JT-330903-101' AND r.year = 2018`,
      )
      .first<Record<string, string | number | null>>();
    expect(row).toMatchObject({
      status: 'published',
      template: 'legacy-2014',
      imported: 1,
      revision: 1,
      published_version: 1,
      number: 1,
      version: 1,
      is_current: 1,
      version_imported: 1,
      published_at: Date.parse('2019-01-16T00:00:00+08:00'),
      on_time: null,
    });
    const content = {
      sections: JSON.parse(row!.sections as string),
      cells: JSON.parse(row!.cells as string),
      explanations: JSON.parse(row!.explanations as string),
    };
    expect(content).toEqual({ sections: jintang.sections, cells: jintang.cells, explanations: {} });
    // The same hash in workerd (Web Crypto) as the seed computed in Node (node:crypto).
    expect(row!.content_hash).toBe(await sha256Hex(canonicalJson(content)));
  });

  it('indexes every cell of the published version for the stats, blanks as NULL', async () => {
    expect(await count('SELECT count(*) AS n FROM published_cells WHERE year = 2018')).toBe(
      Object.keys(jintang.cells).length,
    );
    expect(await count('SELECT count(*) AS n FROM published_cells WHERE year = 2018 AND value IS NULL')).toBe(
      Object.values(jintang.cells).filter((v) => v === null).length,
    );
    const sum = await db
      .prepare(
        `SELECT sum(pc.value) AS total FROM published_cells pc
         JOIN report_versions v ON v.id = pc.version_id AND v.is_current = 1
         WHERE pc.year = ? AND pc.cell = ?`,
      )
      .bind(2018, 'stats.proactive_total.value')
      .first<{ total: number }>();
    expect(sum!.total).toBe(259);
  });

  it('records the import in the audit trail once', async () => {
    expect(await count("SELECT count(*) AS n FROM audit_events WHERE action = 'report.import'")).toBe(1);
  });
});

describe("the demo's cycle on a fixed day", () => {
  // [today in Beijing, the year it opens, its deadline]
  const days: [string, number, string][] = [
    ['2026-11-30T10:00:00+08:00', 2026, '2027-01-31T23:59:59+08:00'],
    ['2027-01-15T10:00:00+08:00', 2026, '2027-01-31T23:59:59+08:00'], // January: last year's is still due
    ['2027-01-31T23:59:59+08:00', 2026, '2027-01-31T23:59:59+08:00'], // its last second
    ['2027-02-01T00:00:00+08:00', 2027, '2028-01-31T23:59:59+08:00'], // February: this year's
  ];
  it.each(days)('on %s it opens %i, due %s — still ahead', (today, year, deadline) => {
    const now = Date.parse(today);
    const cycle = demoCycle(now);
    expect(cycle.year).toBe(year);
    expect(cycle.deadline).toBe(Date.parse(deadline));
    expect(cycle.deadline).toBeGreaterThanOrEqual(now);
  });
});

describe('the schema guards', () => {
  it('rejects unit codes other than letters, digits, - and _', async () => {
    await expect(db.prepare("INSERT INTO units (code, name) VALUES ('A B', 'x')").run()).rejects.toThrow(
      /CHECK constraint failed/,
    );
    await expect(db.prepare("INSERT INTO units (code, name) VALUES ('金塘', 'x')").run()).rejects.toThrow(
      /CHECK constraint failed/,
    );
  });

  it('rejects a second current version of the same report', async () => {
    await seed();
    const insertCurrent = db.prepare(
      `INSERT INTO report_versions (report_id, version, revision_id, published_at, is_current)
       SELECT report_id, 2, revision_id, 0, 1 FROM report_versions WHERE version = 1`,
    );
    await expect(insertCurrent.run()).rejects.toThrow(/UNIQUE constraint failed/);
  });

  it('rejects an unknown report status', async () => {
    await seed(); // the demo's drafts the UPDATE must find
    await expect(
      db.prepare("UPDATE reports SET status = 'approved' WHERE year = ?").bind(DEMO_YEAR).run(),
    ).rejects.toThrow(/CHECK constraint failed/);
  });
});
