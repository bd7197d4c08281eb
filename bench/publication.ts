// npm run bench, public reads: requests per second for /feeds/reports.json and
// /api/v1/stats/{year} with 3,000 published gov-2021 reports in the local D1 of `wrangler dev`,
// each as a ratio to a trivial route (/healthz) of the same Worker measured in the same run.
// The reports are written as SQL to a file and loaded with `wrangler d1 execute --file` before
// the app starts (test/browser/server.ts startApp({ sqlFiles })). Loopback only, bounded loops;
// prints figures, asserts nothing.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../src/core/content';
import { cellKeys, getTemplate, type Cells } from '../src/core';
import { startApp } from '../test/browser/server';
import { rebuildRollupsStatements } from '../scripts/rebuild-rollups.mjs';

const REPORTS = 3_000;
const COUNTIES = 30;
const YEAR = 2024;
/** Ids far above the demo data's, so the generated rows never collide with it. */
const FIRST_ID = 100_000;
const CONCURRENCY = 8;
/** Routes take turns for ROUNDS rounds and each gets its median: the machine's load drifts. */
const ROUNDS = 3;
const DURATION_MS = 2_000;
const MAX_REQUESTS = 50_000;
const STATS_TARGET = 0.3;

const q = (text: string) => `'${text.replaceAll("'", "''")}'`;
const root = new URL('..', import.meta.url).pathname;

/** A deterministic pseudo-random source, so every run loads the same data. */
function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

/** 3,000 units under 30 counties, each with a published 2024 report, as SQL statements. */
function benchSql(): string {
  const template = getTemplate('gov-2021')!;
  const keys = cellKeys(template);
  const sample = (JSON.parse(readFileSync(join(root, 'test/fixtures/real/huaian-city-2024.json'), 'utf8')) as { cells: Cells }).cells;
  const next = random(42);
  const deadline = Date.parse(`${YEAR + 1}-01-31T23:59:59+08:00`);
  const out: string[] = [
    `INSERT INTO cycles (year, template, deadline) VALUES (${YEAR}, 'gov-2021', ${deadline}) ON CONFLICT (year) DO NOTHING;`,
    `INSERT INTO units (id, code, name, parent_id) VALUES (${FIRST_ID}, 'BENCH', '压测市', NULL);`,
  ];
  const counties = Array.from({ length: COUNTIES }, (_, i) => `(${FIRST_ID + 1 + i}, 'BENCH-C${i + 1}', '压测县${i + 1}', ${FIRST_ID})`);
  out.push(`INSERT INTO units (id, code, name, parent_id) VALUES ${counties.join(', ')};`);

  const unitId = (i: number) => FIRST_ID + 1_000 + i;
  const batch = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, b) => items.slice(b * size, b * size + size));
  const indexes = Array.from({ length: REPORTS }, (_, i) => i);

  for (const part of batch(indexes, 500)) {
    out.push(`INSERT INTO units (id, code, name, parent_id) VALUES ${part.map((i) => `(${unitId(i)}, 'BENCH-U${i + 1}', '压测单位${i + 1}', ${FIRST_ID + 1 + (i % COUNTIES)})`).join(', ')};`);
    out.push(
      `INSERT INTO reports (id, unit_id, year, template, status, expected, imported, revision, published_version) VALUES ${part
        .map((i) => `(${unitId(i)}, ${unitId(i)}, ${YEAR}, 'gov-2021', 'published', 1, 1, 1, 1)`)
        .join(', ')};`,
    );
  }
  // Revisions carry the content (≈ 7 KB of cells each): a few per statement keeps statements small.
  const published: { i: number; at: number }[] = [];
  for (const part of batch(indexes, 8)) {
    const rows = part.map((i) => {
      const factor = 0.5 + next();
      const cells: Cells = Object.fromEntries(keys.map((k) => [k, sample[k] == null ? null : Math.round((sample[k] as number) * factor)]));
      const sections = { overview: `压测单位${i + 1}总体情况。`, problems: '', other: '' };
      const hash = createHash('sha256').update(canonicalJson({ sections, cells, explanations: {} })).digest('hex');
      const at = Date.parse(`${YEAR + 1}-01-01T00:00:00+08:00`) + Math.floor(next() * 45 * 86_400_000);
      published.push({ i, at });
      return `(${unitId(i)}, ${unitId(i)}, 1, ${q(hash)}, ${q(JSON.stringify(sections))}, ${q(JSON.stringify(cells))}, '{}', ${at})`;
    });
    out.push(`INSERT INTO report_revisions (id, report_id, number, content_hash, sections, cells, explanations, created_at) VALUES ${rows.join(', ')};`);
  }
  out.push(`UPDATE reports SET current_revision_id = id WHERE id >= ${unitId(0)};`);
  for (const part of batch(published, 500)) {
    out.push(
      `INSERT INTO report_versions (id, report_id, version, revision_id, published_at, on_time, imported, is_current) VALUES ${part
        .map(({ i, at }) => `(${unitId(i)}, ${unitId(i)}, 1, ${unitId(i)}, ${at}, ${at <= deadline ? 1 : 0}, 1, 1)`)
        .join(', ')};`,
    );
  }
  // The statistics index, as publication fills it: one row per cell, straight from the JSON.
  for (let c = 0; c < COUNTIES; c++) {
    out.push(
      `INSERT INTO published_cells (version_id, year, unit_id, cell, value)
       SELECT v.id, r.year, r.unit_id, j.key, j.value FROM report_versions v
       JOIN reports r ON r.id = v.report_id JOIN report_revisions rr ON rr.id = v.revision_id, json_each(rr.cells) j
       WHERE v.id >= ${unitId(0)} AND (v.id - ${unitId(0)}) % ${COUNTIES} = ${c};`,
    );
  }
  // Written as SQL, not through the app: the statistics' rollups are derived once at the end.
  out.push(...rebuildRollupsStatements());
  return `${out.join('\n')}\n`;
}

interface Rate {
  rps: number;
  requests: number;
  p50: number;
  p99: number;
}

/** Requests per second with CONCURRENCY requests in flight, for DURATION_MS (at most MAX_REQUESTS). */
async function measure(url: string): Promise<Rate> {
  for (let i = 0; i < 20; i++) await (await fetch(url)).arrayBuffer(); // warm up (and fill the cache)
  const latencies: number[] = [];
  const start = performance.now();
  const stopAt = start + DURATION_MS;
  let sent = 0;
  const worker = async () => {
    while (performance.now() < stopAt && sent < MAX_REQUESTS) {
      sent++;
      const t = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { rps: latencies.length / seconds, requests: latencies.length, p50: at(0.5), p99: at(0.99) };
}

async function timeOnce(url: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t;
}

export async function benchPublication(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
  const file = join(dir, 'reports.sql');
  let t = performance.now();
  writeFileSync(file, benchSql());
  const generated = performance.now() - t;
  t = performance.now();
  const app = await startApp({ sqlFiles: [file] });
  const loaded = performance.now() - t;
  try {
    const stats = `${app.url}/api/v1/stats/${YEAR}`;
    const feed = `${app.url}/feeds/reports.json`;
    console.log(`public reads: ${REPORTS} published gov-2021 reports (${YEAR}) in local D1 under wrangler dev`);
    console.log(`  data: SQL generated in ${(generated / 1000).toFixed(1)} s; migrate + demo data + load + start in ${(loaded / 1000).toFixed(1)} s`);
    // The first read after a publication computes (then the answer is cached until the data changes).
    console.log(
      `  first read (computed): stats ${(await timeOnce(stats)).toFixed(0)} ms, stats ?within=BENCH-C1 ${(await timeOnce(`${stats}?within=BENCH-C1`)).toFixed(0)} ms, feed ${(await timeOnce(feed)).toFixed(0)} ms`,
    );
    // Computed again for every question (a URL the cache has not seen: an extra parameter, or another
    // county), so one cold start or one busy moment does not make the figure.
    const uncached = async (urls: string[]) => {
      const times: number[] = [];
      for (const url of urls) times.push(await timeOnce(url));
      return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    };
    const SAMPLES = 15;
    console.log(
      `  uncached, median of ${SAMPLES}: stats ${(await uncached(Array.from({ length: SAMPLES }, (_, i) => `${stats}?sample=${i}`))).toFixed(1)} ms, stats ?within=<county> ${(await uncached(Array.from({ length: SAMPLES }, (_, i) => `${stats}?within=BENCH-C${i + 1}`))).toFixed(1)} ms`,
    );
    const rounds: Rate[][] = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push([await measure(`${app.url}/healthz`), await measure(feed), await measure(stats)]);
    const median = (i: number) => rounds.map((r) => r[i]!).sort((a, b) => a.rps - b.rps)[Math.floor(ROUNDS / 2)]!;
    const [trivial, feedRate, statsRate] = [median(0), median(1), median(2)];
    console.log(`  ${CONCURRENCY} requests in flight, ${ROUNDS} rounds of ${DURATION_MS / 1000} s per route, median round:`);
    const line = (name: string, r: Rate, ratio?: string) =>
      console.log(
        `  ${name.padEnd(26)} ${r.rps.toFixed(0).padStart(6)} req/s  (${r.requests} requests, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms)${ratio ?? ''}`,
      );
    line('/healthz (trivial)', trivial);
    line('/feeds/reports.json', feedRate, `  ratio ${(feedRate.rps / trivial.rps).toFixed(2)}`);
    line(`/api/v1/stats/${YEAR}`, statsRate, `  ratio ${(statsRate.rps / trivial.rps).toFixed(2)}   (target: at least ${STATS_TARGET})`);
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
