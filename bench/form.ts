// npm run bench, the clerk's form on a phone: the bytes the form page costs over the wire (with
// its service worker, counted once, against the 25 KB budget), the time an autosave (PUT of one
// changed cell) takes, and how many actions a report needs. Measured
// against a running `wrangler dev` with its own D1 and the demo data (test/browser/server.ts).
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { cellCatalog, currentReportYear, deriveTotals, getTemplate, validate, type Cells, type Template } from '../src/core';
import { startApp } from '../test/browser/server';
import { sessionCookie } from '../test/browser/session';

// The demo's open cycle (scripts/demo-data.mjs): the report year due next.
const UNIT_YEAR = `JT-330903-101/${currentReportYear(Date.now())}`;
const FORM = `/app/reports/${UNIT_YEAR}`;
const API = `/api/v1/drafts/${UNIT_YEAR}`;
const PAGE_TARGET_KB = 25;
const PUTS = 200;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Typed cells: every cell but the totals the form computes. */
function typedCells(template: Template): string[] {
  const totals = new Set(template.checks.filter((c) => c.derived).map((c) => c.left[0]!.cell));
  return [...cellCatalog(template).keys()].filter((key) => !totals.has(key));
}

async function get(base: string, path: string, cookie: string): Promise<Buffer> {
  const response = await fetch(`${base}${path}`, { headers: { Cookie: cookie } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The service worker the form installs (src/client/sw.ts): downloaded once, counted once. */
const SERVICE_WORKER = '/static/sw.js';

/** The page, every stylesheet and script it loads and its service worker, each gzipped as a server would send it. */
async function pageWeight(base: string, cookie: string, label: string): Promise<void> {
  const html = await get(base, FORM, cookie);
  const text = html.toString('utf8');
  const assets = [
    ...[...text.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => m[1]!),
    ...[...text.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!),
    SERVICE_WORKER,
  ];
  const files: [string, Buffer][] = [[FORM, html], ...(await Promise.all(assets.map(async (path) => [path, await get(base, path, cookie)] as [string, Buffer])))];
  console.log(`form page, ${label}: what a phone downloads (gzip level 6, as served compressed)`);
  let total = 0;
  for (const [path, body] of files) {
    const gzipped = gzipSync(body).length;
    total += gzipped;
    console.log(`  ${path.padEnd(34)} ${kb(body.length).padStart(9)} raw  ${kb(gzipped).padStart(8)} gzipped`);
  }
  const verdict = total <= PAGE_TARGET_KB * 1024 ? 'within' : 'OVER';
  console.log(`  ${'total'.padEnd(34)} ${''.padStart(13)} ${kb(total).padStart(8)} gzipped   (${total} of ${PAGE_TARGET_KB * 1024} bytes: ${verdict} the ${PAGE_TARGET_KB} KB budget)`);
}

async function put(base: string, cookie: string, body: object): Promise<{ status: number; revision?: number }> {
  const response = await fetch(`${base}${API}`, {
    method: 'PUT',
    headers: { Cookie: cookie, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { revision?: number };
  return { status: response.status, revision: json.revision };
}

/** The whole report saved at once (what 「其余空白填0」 sends): every typed cell 0. */
async function fillWithZeros(base: string, cookie: string, template: Template): Promise<number> {
  const draft = JSON.parse((await get(base, API, cookie)).toString('utf8')) as { revision: number };
  const cells = Object.fromEntries(typedCells(template).map((key) => [key, 0]));
  const saved = await put(base, cookie, { revision: draft.revision, cells });
  if (saved.status !== 200 || saved.revision === undefined) throw new Error(`PUT all cells: ${saved.status}`);
  return saved.revision;
}

/** One changed cell per PUT, each on the revision the previous one returned (an autosave). */
async function putTimings(base: string, cookie: string, start: number): Promise<void> {
  let revision = start;
  const times: number[] = [];
  for (let i = 1; i <= PUTS + 10; i++) {
    const began = performance.now();
    const saved = await put(base, cookie, { revision, cells: { 'licensing.licensing.decisions': i } });
    const took = performance.now() - began;
    if (saved.status !== 200 || saved.revision === undefined) throw new Error(`PUT one cell: ${saved.status}`);
    revision = saved.revision;
    if (i > 10) times.push(took); // the first ten warm up workerd and SQLite
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`autosave: PUT ${API} with one changed cell, through wrangler dev (local D1), ${PUTS} in a row`);
  console.log(`  median ${quantile(times, 0.5).toFixed(1)} ms  p99 ${quantile(times, 0.99).toFixed(1)} ms  mean ${mean.toFixed(1)} ms`);
}

/**
 * 金塘镇-like: a town that received no applications and had no appeals; it only has decisions to
 * count (行政许可, 行政处罚, 行政强制). The clerk types those, presses 「其余空白填0」 once, writes the
 * three sections. For comparison, the published gov-2021 reports in test/fixtures/real.
 */
function actionsNeeded(template: Template): void {
  const typed = typedCells(template);
  const all = cellCatalog(template).size;
  const town: Cells = { 'licensing.licensing.decisions': 126, 'enforcement.penalty.decisions': 35, 'enforcement.coercion.decisions': 2 };
  const reports: [string, Cells][] = [['金塘镇-like town (no applications)', town]];
  const real = new URL('../test/fixtures/real/', import.meta.url);
  for (const file of readdirSync(real)) {
    const report = JSON.parse(readFileSync(new URL(file, real), 'utf8')) as { template: string; cells: Cells };
    if (report.template === template.id) reports.push([file.replace(/\.json$/, ''), report.cells]);
  }
  console.log(`actions to fill a ${template.id} report: ${all} cells in the tables, ${typed.length} typed (${all - typed.length} computed)`);
  for (const [name, cells] of reports) {
    const numbers = typed.filter((key) => cells[key] !== null && cells[key] !== undefined && cells[key] !== 0);
    // What the form ends with: the numbers typed, 0 everywhere else, totals computed.
    const filled: Cells = Object.fromEntries(typed.map((key) => [key, cells[key] ?? 0]));
    const complete = { ...filled, ...deriveTotals(template, filled) };
    const errors = validate(template, complete, { stage: 'submit' }).filter((i) => i.severity === 'error').length;
    const actions = numbers.length + 1;
    console.log(
      `  ${name.padEnd(36)} ${String(numbers.length).padStart(3)} numbers typed + 1 「其余空白填0」 = ${String(actions).padStart(3)} cell actions ` +
        `instead of ${typed.length} (${Math.round((100 * actions) / typed.length)} %), + ${template.sections.length} sections; ${errors} errors at submit`,
    );
  }
}

export async function benchForm(): Promise<void> {
  const template = getTemplate('gov-2021')!;
  const app = await startApp();
  try {
    const cookie = await sessionCookie(app.url, 'clerk@demo.nianbao.local');
    await pageWeight(app.url, cookie, 'the empty demo draft');
    console.log();
    const revision = await fillWithZeros(app.url, cookie, template);
    await pageWeight(app.url, cookie, 'every cell filled');
    console.log();
    await putTimings(app.url, cookie, revision);
  } finally {
    await app.stop();
  }
  console.log();
  actionsNeeded(template);
}
