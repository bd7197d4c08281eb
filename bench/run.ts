// npm run bench: prints figures; asserts nothing. Targets from the issues are printed beside them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { deriveTotals, getTemplate, validate, type Cells } from '../src/core';
import { benchBulk } from './bulk';
import { benchForm } from './form';
import { benchPublication } from './publication';

const root = new URL('..', import.meta.url).pathname;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Times `fn` in batches (a single call is below the clock's resolution) and reports per call. */
function time(fn: () => void, batches = 400, perBatch = 50): { median: number; p99: number } {
  for (let i = 0; i < 2000; i++) fn(); // warm up the JIT
  const perCall: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    for (let i = 0; i < perBatch; i++) fn();
    perCall.push((performance.now() - start) / perBatch);
  }
  perCall.sort((a, b) => a - b);
  return { median: quantile(perCall, 0.5), p99: quantile(perCall, 0.99) };
}

const ms = (n: number) => `${n.toFixed(4)} ms`;

function benchValidate(): void {
  const report = JSON.parse(readFileSync(join(root, 'test/fixtures/real/huaian-city-2024.json'), 'utf8')) as { cells: Cells };
  const template = getTemplate('gov-2021')!;
  const previous: Cells = { ...report.cells };
  const cells = Object.keys(report.cells).length;
  const submit = time(() => validate(template, report.cells, { stage: 'submit', previous }));
  const totals = time(() => deriveTotals(template, report.cells));
  console.log(`validate: one full gov-2021 report (${cells} cells, every rule, stage submit, with last year)`);
  console.log(`  median ${ms(submit.median)}  p99 ${ms(submit.p99)}   (target: median under 0.2 ms)`);
  console.log(`deriveTotals: the same report`);
  console.log(`  median ${ms(totals.median)}  p99 ${ms(totals.p99)}`);
}

function benchBundle(): void {
  const out = mkdtempSync(join(tmpdir(), 'nianbao-bundle-'));
  try {
    execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out], {
      cwd: root,
      stdio: 'pipe',
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    });
    const files = readdirSync(out).filter((f) => f.endsWith('.js'));
    let raw = 0;
    let gzipped = 0;
    for (const f of files) {
      const bytes = readFileSync(join(out, f));
      raw += statSync(join(out, f)).size;
      gzipped += gzipSync(bytes, { level: 9 }).length;
    }
    console.log(`Worker bundle (wrangler deploy --dry-run): ${files.length} file(s)`);
    console.log(`  ${(raw / 1024).toFixed(1)} KB raw, ${(gzipped / 1024).toFixed(1)} KB gzipped   (target: under 150 KB gzipped)`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

console.log(`Nianbao benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
benchValidate();
console.log();
benchBulk();
console.log();
benchBundle();
console.log();
await benchForm();
console.log();
await benchPublication();
