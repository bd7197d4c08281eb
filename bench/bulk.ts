// The pure half of bulk set-up (src/core/bulk.ts): reading and planning a CSV of 2,000 units
// against 2,000 existing ones, in rows per second. The write half (one batch through D1) is timed
// by test/worker/bulk.test.ts, which prints its own figure.
import { planUnits, type FieldRule } from '../src/core/bulk';

const accept: FieldRule = (text) => ({ ok: true, value: text.trim() });

export function benchBulk(): void {
  const existing = Array.from({ length: 2_000 }, (_, i) => ({ id: i + 1, code: `OLD-${i}`, name: `现有单位${i}`, parent: i === 0 ? null : 'OLD-0' }));
  const rows = ['code,name,parent'];
  for (let t = 0; t < 40; t++) {
    for (let v = 0; v < 49; v++) rows.push(`BK-${t}-${v},"第${t}镇, 第${v}村",BK-${t}`);
    rows.push(`BK-${t},第${t}镇,OLD-0`);
  }
  const text = rows.join('\r\n');
  const scope = { manages: () => true, everything: true };
  for (let i = 0; i < 20; i++) planUnits(text, existing, scope, { code: accept, name: accept }); // warm up
  const runs = 20;
  const start = performance.now();
  for (let i = 0; i < runs; i++) planUnits(text, existing, scope, { code: accept, name: accept });
  const perRun = (performance.now() - start) / runs;
  console.log('bulk set-up: read and plan a CSV of 2,000 units against 2,000 existing (dry run, pure part)');
  console.log(`  ${perRun.toFixed(1)} ms per file, ${Math.round((2_000 / perRun) * 1000).toLocaleString('en')} rows/s`);
}
