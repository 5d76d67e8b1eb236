// Benchmark: CSV import of 100k generated rows into a memory CRM — rows/s and peak heap.
// Run: npx tsx bench/io/run.ts [rows]   (writes bench/results/io.json; not a timed test)
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createCrm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { withIo } from '../../src/io/index';
import { generatedCsv, generatedSize } from './rows';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

async function run(rows: number, options: { dedupe: boolean }) {
  const crm = withIo(await createCrm({ storage: memoryAdapter() }));
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  const report = await crm.import.csv('customers', generatedCsv({ rows, padding: 0 }), {
    mapping: { name: 'name', 'emails.0.address': 'emails.0.address', tier: 'tier' },
    ...(options.dedupe ? { dedupeBy: 'email' as const } : {}),
    onProgress: sample,
  });
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  const stored = await crm.customers.count();
  gc();
  const retained = process.memoryUsage().heapUsed - base;
  await crm.close();
  return {
    case: options.dedupe ? 'csv import, dedupe by email' : 'csv import',
    rows,
    created: report.created,
    stored,
    seconds: +(ms / 1000).toFixed(2),
    rowsPerSecond: Math.round(rows / (ms / 1000)),
    inputMB: +(generatedSize({ rows }) / 1e6).toFixed(1),
    peakHeapGrowthMB: +((peak - base) / 1e6).toFixed(1),
    retainedAfterMB: +(retained / 1e6).toFixed(1),
  };
}

const rows = Number(process.argv[2] ?? 100_000);
const results = [await run(rows, { dedupe: false }), await run(rows, { dedupe: true })];
console.table(results);
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'io.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, note: 'peak heap includes the records the memory adapter keeps (retainedAfterMB)', results }, null, 2)}\n`);
console.log(`wrote ${out}`);
