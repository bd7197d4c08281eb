// npm run bench:scale [-- --n 3000,30000]: does the cost of the public answers grow with the data?
// For each N, a fresh app (`wrangler dev` with a local D1 of its own, test/browser/server.ts) gets a
// province-shaped unit tree of N units — a root, 90 counties, and under each county departments
// and towns 50 : 20 (the real shape is 90 × (50 + 20); the county's share is scaled to make N) —
// and one published report per unit, loaded through POST /api/v1/admin/import/bulk (the app's own
// code, 1,000 reports a request). Then it times: the import rate; /api/v1/stats/{year} for the
// root and for one county, uncached (right after a correction changes every cache key, as in
// January) and cached; the feed; the bulk CSV (time, bytes, and the growth of workerd's resident
// memory while it streams); and one reminder day for every unit (each unit has a clerk): the
// daily trigger through Cloudflare Queues as production runs it (POST /dev/cron?via=queue answers once
// every work item is done and every mail delivered). Last, a table of the figures per N and the
// ratio of the largest N to the smallest: the point is that it stays flat, not ×10.
// Loopback only; prints figures, asserts nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTemplate, type Cells } from '../src/core';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../test/browser/server';

const root = new URL('..', import.meta.url).pathname;
const nArg = process.argv.indexOf('--n');
const SIZES = (nArg === -1 ? '3000,30000' : process.argv[nArg + 1]!).split(',').map(Number);
if (SIZES.some((n) => !Number.isInteger(n) || n < 100)) throw new Error('--n wants whole numbers of at least 100, e.g. --n 3000,30000');

const YEAR = 2024;
/** A cycle of its own for the reminder day, far from the demo's, every active unit expected. */
const REMINDER_YEAR = 2030;
/** Seven days before its default deadline (31 January 2031), 09:00 Beijing time: a reminder day. */
const REMINDER_DAY = '2031-01-24T09:00:00+08:00';
const DAILY_CRON = '0 1 * * *';
const COUNTIES = 90;
const IMPORT_LINES = 1_000;
const ROUNDS = 3;
const timeoutArg = process.argv.indexOf('--timeout');
/** How long one measured request may take (undici gives up at 300 s anyway). */
const TIMEOUT_MS = (timeoutArg === -1 ? 60 : Number(process.argv[timeoutArg + 1])) * 1000;

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
/** A JSON content type: the app refuses form-like posts without its own Origin (CSRF). */
const JSON_TYPE = { 'Content-Type': 'application/json' };

interface Unit {
  code: string;
  name: string;
  parent: string | null;
}

/** Root, 90 counties, then the counties' departments and towns (50 : 20) in turn until N units. */
function provinceTree(n: number): Unit[] {
  const units: Unit[] = [{ code: 'SC', name: '某省人民政府', parent: null }];
  for (let c = 1; c <= COUNTIES && units.length < n; c++) units.push({ code: `SC-C${c}`, name: `某省第${c}县人民政府`, parent: 'SC' });
  const perCounty = Math.ceil((n - units.length) / COUNTIES);
  for (let k = 1; units.length < n && k <= perCounty; k++) {
    const town = k % 7 >= 5; // five departments, then two towns, and so on: 50 : 20
    for (let c = 1; c <= COUNTIES && units.length < n; c++) {
      units.push({ code: `SC-C${c}-${town ? 'T' : 'D'}${k}`, name: `第${c}县${town ? '乡镇' : '部门'}${k}`, parent: `SC-C${c}` });
    }
  }
  return units;
}

function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

const sample = (JSON.parse(readFileSync(join(root, 'test/fixtures/real/huaian-city-2024.json'), 'utf8')) as { cells: Cells }).cells;
const template = getTemplate('gov-2021')!;
const sampleKeys = Object.keys(sample).filter((k) => template.tables.some((t) => k.startsWith(`${t.key}.`)));

/** One report as POST /api/v1/admin/import takes it: the sample's figures scaled, published in January. */
function importLine(unit: Unit, next: () => number, publishedDay = 1 + Math.floor(next() * 40)): string {
  const factor = 0.5 + next();
  const cells: Cells = Object.fromEntries(sampleKeys.map((k) => [k, sample[k] == null ? null : Math.round((sample[k] as number) * factor)]));
  const day = new Date(Date.UTC(YEAR + 1, 0, publishedDay));
  return JSON.stringify({ unit: unit.code, year: YEAR, template: 'gov-2021', sections: { overview: `${unit.name}${YEAR}年度总体情况。` }, cells, published_at: day.toISOString().slice(0, 10) });
}

/** A timed request; one that takes longer than --timeout seconds counts as Infinity (printed as "> T s"). */
async function send(app: RunningApp, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const start = performance.now();
  try {
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    const res = await fetch(`${app.url}${path}`, { method, headers: { ...auth, ...headers }, signal, ...(body === undefined ? {} : { body }) });
    const bytes = (await res.arrayBuffer()).byteLength;
    return { status: res.status, ms: performance.now() - start, bytes };
  } catch (error) {
    if ((error as Error).name !== 'TimeoutError') throw error;
    console.log(`  ${method} ${path}: no answer within ${TIMEOUT_MS / 1000} s`);
    return { status: 200, ms: Infinity, bytes: 0 };
  }
}

async function must(app: RunningApp, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.url}${path}`, { method, headers: { ...auth, ...headers }, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 1000)}`);
  return text;
}

const chunks = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ---------------------------------------------------------------------------------------------
// workerd's resident memory: the processes below the app's `wrangler dev` (the one started with
// this run's --persist-to folder), found through /proc (Linux only; the figure is left out elsewhere).

function workerdPids(persistTo: string): number[] {
  try {
    const all = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number);
    const read = (pid: number, file: string) => {
      try {
        return readFileSync(`/proc/${pid}/${file}`, 'utf8');
      } catch {
        return '';
      }
    };
    const parent = new Map(all.map((pid) => [pid, Number(read(pid, 'stat').replace(/^.*\) /s, '').split(' ')[1])]));
    const wrangler = all.filter((pid) => read(pid, 'cmdline').includes(persistTo));
    const below = (pid: number): boolean => {
      for (let p = parent.get(pid); p; p = parent.get(p)) if (wrangler.includes(p)) return true;
      return false;
    };
    return all.filter((pid) => read(pid, 'cmdline').includes('workerd') && below(pid));
  } catch {
    return [];
  }
}

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

/** Runs `work` while sampling the resident memory of `pids`; the peak growth over the start, in MB. */
async function peakGrowth<T>(pids: number[], work: () => Promise<T>): Promise<{ result: T; mb: number | null }> {
  if (pids.length === 0) return { result: await work(), mb: null };
  const total = () => pids.reduce((sum, pid) => sum + rssKb(pid), 0);
  const base = total();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, total())), 10);
  try {
    const result = await work();
    peak = Math.max(peak, total());
    return { result, mb: (peak - base) / 1024 };
  } finally {
    clearInterval(timer);
  }
}

// ---------------------------------------------------------------------------------------------

interface Figures {
  n: number;
  setupS: number;
  importS: number;
  importRate: number;
  statsRootUncached: number;
  statsRootCached: number;
  statsCountyUncached: number;
  statsCountyCached: number;
  feedFirst: number;
  feedFifth: number;
  csvMs: number;
  csvMb: number;
  csvPeakMb: number | null;
  reminderQueued: number | null;
  reminderS: number | null;
  reminderItems: number | null;
}

async function benchSize(n: number): Promise<Figures> {
  const t0 = performance.now();
  const app = await startApp();
  try {
    const units = provinceTree(n);
    // The tree, parents before children (each file's parents exist or are in it).
    for (const part of chunks(units, 5_000)) {
      const csv = ['code,name,parent', ...part.map((u) => `${u.code},${u.name},${u.parent ?? ''}`)].join('\n');
      await must(app, 'POST', '/api/v1/admin/bulk/units', csv, { 'Content-Type': 'text/csv' });
    }
    // A clerk for every unit, for the reminder day.
    for (const part of chunks(units, 4_000)) {
      const csv = ['email,name,role,units', ...part.map((u) => `clerk.${u.code.toLowerCase()}@bench.example.cn,填报人,clerk,${u.code}`)].join('\n');
      await must(app, 'POST', '/api/v1/admin/bulk/people', csv, { 'Content-Type': 'text/csv' });
    }
    const setupS = (performance.now() - t0) / 1000;
    console.log(`  N=${n}: ${units.length} units and their clerks set up in ${setupS.toFixed(1)} s (wrangler dev, migrations, demo data included)`);

    // The reports, through the bulk import.
    const next = random(n);
    const importStart = performance.now();
    let done = 0;
    for (const part of chunks(units, IMPORT_LINES)) {
      const body = part.map((u) => importLine(u, next)).join('\n') + '\n';
      const text = await must(app, 'POST', '/api/v1/admin/import/bulk', body, { 'Content-Type': 'application/x-ndjson' });
      done += (JSON.parse(text) as { imported: number }).imported;
      process.stdout.write(`\r  importing: ${done}/${n}`);
    }
    const importS = (performance.now() - importStart) / 1000;
    console.log(`\r  imported ${done} reports in ${importS.toFixed(1)} s (${(done / importS).toFixed(0)} reports/s)`);

    // Statistics: uncached right after a correction (a new version changes every cache key), then cached.
    const county = 'SC-C1';
    const stats = { rootU: [] as number[], rootC: [] as number[], countyU: [] as number[], countyC: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const corrected = importLine(units[units.length - 1 - round]!, next, 45 + round);
      await must(app, 'POST', '/api/v1/admin/import', corrected, { 'Content-Type': 'application/json' });
      const rootU = await send(app, 'GET', `/api/v1/stats/${YEAR}`);
      const countyU = await send(app, 'GET', `/api/v1/stats/${YEAR}?within=${county}`);
      const rootC = await send(app, 'GET', `/api/v1/stats/${YEAR}`);
      const countyC = await send(app, 'GET', `/api/v1/stats/${YEAR}?within=${county}`);
      for (const r of [rootU, countyU, rootC, countyC]) if (r.status !== 200) throw new Error(`stats answered ${r.status}`);
      stats.rootU.push(rootU.ms);
      stats.countyU.push(countyU.ms);
      stats.rootC.push(rootC.ms);
      stats.countyC.push(countyC.ms);
      // An answer that never came filled no cache either; more rounds would only wait as long again.
      if (rootU.ms === Infinity || countyU.ms === Infinity) break;
    }

    const msText = (xs: number[]) => (Number.isFinite(median(xs)) ? `${median(xs).toFixed(0)} ms` : `> ${TIMEOUT_MS / 1000} s`);
    console.log(`  stats: root ${msText(stats.rootU)} uncached, ${msText(stats.rootC)} cached; ${county} ${msText(stats.countyU)} uncached, ${msText(stats.countyC)} cached`);

    // The feed: its first page, and the fifth reached by following next_url (uncached: a fresh key).
    await must(app, 'POST', '/api/v1/admin/import', importLine(units[0]!, next, 50), { 'Content-Type': 'application/json' });
    const first = await send(app, 'GET', `/feeds/reports.json?year=${YEAR}`);
    let url = `/feeds/reports.json?year=${YEAR}`;
    for (let page = 1; page < 5; page++) {
      const feed = JSON.parse(await must(app, 'GET', url)) as { next_url?: string };
      if (!feed.next_url) break;
      url = new URL(feed.next_url).pathname + new URL(feed.next_url).search;
    }
    const fifth = await send(app, 'GET', url);

    // The bulk CSV of the year, with workerd's memory watched.
    const pids = workerdPids(app.persistTo);
    const csv = await peakGrowth(pids, () => send(app, 'GET', `/api/v1/reports.csv?year=${YEAR}`));
    if (csv.result.status !== 200) throw new Error(`reports.csv answered ${csv.result.status}`);
    console.log(`  feed ${first.ms.toFixed(0)} ms, fifth page ${fifth.ms.toFixed(0)} ms; bulk CSV ${(csv.result.bytes / 1048576).toFixed(1)} MB in ${csv.result.ms.toFixed(0)} ms, workerd RSS +${csv.mb?.toFixed(1) ?? 'n/a'} MB`);

    // One reminder day for every unit, as production runs it: the daily trigger plans work items
    // (500 units each) onto the daily queue, their consumers queue the reminders, the mail queue's
    // consumer delivers them (capture transport). POST /dev/cron?via=queue answers once every work
    // item is done and nothing in the outbox is pending or sending (src/cron.ts runDayThroughQueues).
    // A slow request above (timed out here, still running in workerd) may have made it restart:
    // the reminder figures are then left out, the others kept.
    let reminder = { queued: null as number | null, seconds: null as number | null, items: null as number | null };
    try {
      await must(app, 'PUT', `/api/v1/admin/cycles/${REMINDER_YEAR}`, JSON.stringify({ template: 'gov-2021' }), { 'Content-Type': 'application/json' });
      const reminderStart = performance.now();
      const day = JSON.parse(
        await must(app, 'POST', `/dev/cron?cron=${encodeURIComponent(DAILY_CRON)}&time=${encodeURIComponent(REMINDER_DAY)}&via=queue`, '{}', JSON_TYPE),
      ) as { work_items: number; sent: number; planned_ms: number; total_ms: number };
      const reminderS = (performance.now() - reminderStart) / 1000;
      console.log(`  reminder day: ${day.work_items} work items planned in ${day.planned_ms} ms, ${day.sent} mails sent, all done in ${reminderS.toFixed(1)} s`);
      reminder = { queued: day.sent, seconds: reminderS, items: day.work_items };
    } catch (error) {
      console.log(`  reminder day not measured: ${(error as Error).message.slice(0, 200)}`);
    }

    return {
      n,
      setupS,
      importS,
      importRate: done / importS,
      statsRootUncached: median(stats.rootU),
      statsRootCached: median(stats.rootC),
      statsCountyUncached: median(stats.countyU),
      statsCountyCached: median(stats.countyC),
      feedFirst: first.ms,
      feedFifth: fifth.ms,
      csvMs: csv.result.ms,
      csvMb: csv.result.bytes / 1024 / 1024,
      csvPeakMb: csv.mb,
      reminderQueued: reminder.queued,
      reminderS: reminder.seconds,
      reminderItems: reminder.items,
    };
  } finally {
    await app.stop();
  }
}

function printTable(results: Figures[]) {
const rows: [string, (f: Figures) => number | null, string][] = [
  ['import rate (bulk, 1,000 per request)', (f) => f.importRate, 'reports/s'],
  ['stats root, uncached', (f) => f.statsRootUncached, 'ms'],
  ['stats root, cached', (f) => f.statsRootCached, 'ms'],
  ['stats one county, uncached', (f) => f.statsCountyUncached, 'ms'],
  ['stats one county, cached', (f) => f.statsCountyCached, 'ms'],
  ['feed, first page (uncached)', (f) => f.feedFirst, 'ms'],
  ['feed, fifth page via next_url', (f) => f.feedFifth, 'ms'],
  ['bulk CSV of the year', (f) => f.csvMs, 'ms'],
  ['bulk CSV size', (f) => f.csvMb, 'MB'],
  ['bulk CSV: workerd RSS growth (peak)', (f) => f.csvPeakMb, 'MB'],
  ['reminder day: messages sent', (f) => f.reminderQueued, ''],
  ['reminder day: plan, queue and deliver (Queues)', (f) => f.reminderS, 's'],
  ['reminder day: daily work items (500 units each)', (f) => f.reminderItems, ''],
];
const fmt = (x: number | null) => (x === null ? 'n/a' : x === Infinity ? `> ${TIMEOUT_MS / 1000} s` : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const header = ['', ...results.map((r) => `N=${r.n}`), ...(results.length > 1 ? [`×(${results.at(-1)!.n}/${results[0]!.n})`] : [])];
const table = rows.map(([label, get, unit]) => {
  const values = results.map(get);
  const last = values.at(-1);
  const ratio = results.length > 1 && values[0] && Number.isFinite(values[0]) && last != null && Number.isFinite(last) ? `×${(last / values[0]).toFixed(2)}` : '';
  return [`${label}${unit ? ` (${unit})` : ''}`, ...values.map(fmt), ...(results.length > 1 ? [ratio] : [])];
});
const widths = header.map((_, i) => Math.max(...[header, ...table].map((r) => r[i]!.length)));
for (const row of [header, ...table]) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

console.log(`Nianbao scale benchmark — node ${process.version}, ${new Date().toISOString()}, N = ${SIZES.join(', ')}\n`);
const results: Figures[] = [];
for (const n of SIZES) {
  const start = performance.now();
  results.push(await benchSize(n));
  console.log(`  N=${n} done in ${((performance.now() - start) / 1000).toFixed(0)} s\n`);
  if (SIZES.length > 1) printTable([results.at(-1)!]);
}
printTable(results);
console.log('\nTargets (issue 15): uncached stats at the largest N within 1.5× of the smallest and under 50 ms; a reminder day for 10,000 units in under 10 minutes.');
