/**
 * One command for every benchmark: `npx tsx bench/run.ts` (`npm run bench`).
 *
 *   --quick            N = 10k only (memory at 10k, browser at 10k, sales at 10k deals)
 *   --workload name    only these workloads (repeatable): create get eq-page range-page
 *                      range-next page-all search count-eq count-filter update watch scoped
 *                      memory browser sales
 *
 * Node workloads run in one child process per N (bench/node-suite.ts), heap per record in one
 * child per engine (bench/memory.ts, --expose-gc), the IndexedDB workload in Chromium
 * (bench/browser/run.ts), the sales reports through bench/sales/run.ts. Prints one table and
 * writes the same to bench/results/latest.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInChromium } from './browser/run';
import type { BrowserRow } from './browser/page';
import { WORKLOADS, WORKLOAD_TITLES } from './workloads';
import type { ResultRow, Workload } from './workloads';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, workload: { type: 'string', multiple: true } } });
const quick = values.quick ?? false;
const only = new Set(values.workload ?? []);
const wants = (w: string): boolean => only.size === 0 || only.has(w);
const nodeWorkloads = WORKLOADS.filter(wants);
const sizes = quick ? [10_000] : [1_000, 10_000, 100_000];
const started = Date.now();
const git = (args: string[]): string => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
const revision = `${git(['rev-parse', '--short', 'HEAD']) || 'unknown'}${git(['status', '--porcelain', '--', 'src', 'adapters']) ? ' + uncommitted changes in src/adapters' : ''}`;
const load0 = loadavg();
const log = (line: string): void => void process.stderr.write(`${line}\n`);

function child(args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}`);
  return r.stdout;
}

// ---------------------------------------------------------------- node workloads
const rows: ResultRow[] = [];
if (nodeWorkloads.length) {
  const tmp = join(tmpdir(), `rapport-bench-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  for (const n of sizes) {
    log(`node workloads at N = ${n.toLocaleString('en-US')}`);
    const out = join(tmp, `${n}.json`);
    child(['--max-old-space-size=8192', '--expose-gc', '--import', 'tsx', 'bench/node-suite.ts', '--n', String(n), '--out', out, ...nodeWorkloads.flatMap((w) => ['--workload', w])]);
    rows.push(...(JSON.parse(readFileSync(out, 'utf8')) as { rows: ResultRow[] }).rows);
    // Kept as it comes, so a later stage that fails loses nothing measured.
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', quick ? 'quick.partial.json' : 'latest.partial.json'), JSON.stringify({ rows }, null, 1));
  }
  rmSync(tmp, { recursive: true, force: true });
}

// ---------------------------------------------------------------- memory
interface MemoryRow {
  engine: string;
  n: number;
  bytesPerRecord: number;
  jsonBytesPerRecord: number;
}
const memory: MemoryRow[] = [];
if (wants('memory')) {
  const n = quick ? 10_000 : 100_000;
  for (const engine of ['rapport', 'map', 'loki', 'tinybase', 'minisearch']) {
    log(`memory: ${engine} at N = ${n.toLocaleString('en-US')}`);
    memory.push(JSON.parse(child(['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', 'bench/memory.ts', '--engine', engine, '--n', String(n)]).trim()) as MemoryRow);
  }
}

// ---------------------------------------------------------------- browser
let browser: { rows: BrowserRow[]; chromium: string } | { skipped: string } | undefined;
if (wants('browser')) {
  log('browser workload in Chromium');
  try {
    browser = await runInChromium(quick ? [10_000] : [10_000, 100_000], log);
  } catch (error) {
    browser = { skipped: `failed: ${String(error)}` };
  }
}

// ---------------------------------------------------------------- sales reports
let sales: unknown;
if (wants('sales')) {
  const script = join(here, 'sales', 'run.ts');
  if (existsSync(script)) {
    const deals = quick ? 10_000 : 100_000;
    log(`sales reports over ${deals.toLocaleString('en-US')} deals (bench/sales/run.ts)`);
    child(['--max-old-space-size=8192', '--import', 'tsx', script], { DEALS: String(deals) });
    const file = join(here, 'results', 'sales.json');
    if (existsSync(file)) sales = JSON.parse(readFileSync(file, 'utf8'));
  } else {
    sales = { skipped: 'bench/sales/run.ts not present' };
  }
}

// ---------------------------------------------------------------- tables
const PEERS = ['map', 'loki', 'tinybase', 'minisearch'] as const;
const fmt = (ms: number | null | undefined): string => (ms === undefined ? '–' : ms === null || !Number.isFinite(ms) ? 'failed' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(ms >= 100 ? 0 : 2)} ms` : `${(ms * 1000).toFixed(ms >= 0.01 ? 0 : 1)} µs`);
const ratio = (peer: number | null | undefined, rapport: number | null | undefined): string => (peer === undefined || rapport === undefined || peer === null || rapport === null || !Number.isFinite(peer) ? '' : ` (${(peer / rapport).toFixed(2)}×)`);
const find = (w: string, n: number, engine: string, variant = false): ResultRow | undefined => rows.filter((r) => r.workload === w && r.n === n && r.engine === engine)[variant ? 1 : 0];

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

const mainBody: string[][] = [];
for (const w of WORKLOADS) {
  for (const n of sizes.filter((s) => s >= 10_000)) {
    const r = find(w, n, 'rapport');
    if (!r) continue;
    const variant = find(w, n, 'rapport', true);
    const notes = [r.notes, ...PEERS.map((p) => (find(w, n, p)?.notes ? `${p}: ${find(w, n, p)?.notes}` : undefined))].filter(Boolean).join('; ');
    mainBody.push([WORKLOAD_TITLES[w], n.toLocaleString('en-US'), fmt(r.medianMs), ...PEERS.map((p) => `${fmt(find(w, n, p)?.medianMs)}${ratio(find(w, n, p)?.medianMs, r.medianMs)}`), notes]);
    if (variant) mainBody.push([`${WORKLOAD_TITLES[w]} (find page)`, n.toLocaleString('en-US'), fmt(variant.medianMs), '', '', '', `${fmt(find(w, n, 'minisearch')?.medianMs)}${ratio(find(w, n, 'minisearch')?.medianMs, variant.medianMs)}`, variant.notes ?? '']);
  }
}
const mainTable = table(['workload', 'N', 'rapport', 'map (peer/rapport)', 'loki', 'tinybase', 'minisearch', 'notes'], mainBody);

// µs per operation by N, rapport (and Loki beside it), so growth worse than log N shows.
const curveBody: string[][] = [];
for (const w of WORKLOADS) {
  const per = (engine: string, n: number): string => {
    const r = find(w, n, engine);
    return r ? ((r.medianMs * 1000) / (w === 'create' ? n : w === 'page-all' ? n : r.ops)).toFixed(2) : '–';
  };
  if (!sizes.some((n) => find(w, n, 'rapport'))) continue;
  curveBody.push([`${WORKLOAD_TITLES[w]}${w === 'create' || w === 'page-all' ? ' (per record)' : ''}`, ...sizes.map((n) => per('rapport', n)), ...sizes.map((n) => per('loki', n))]);
}
const curveTable = table(['µs per operation', ...sizes.map((n) => `rapport ${n / 1000}k`), ...sizes.map((n) => `loki ${n / 1000}k`)], curveBody);

const memoryTable = memory.length
  ? table(['engine', 'N', 'heap bytes per customer', 'JSON bytes per customer'], memory.map((m) => [m.engine, m.n.toLocaleString('en-US'), String(m.bytesPerRecord), String(m.jsonBytesPerRecord)]))
  : '';

const browserRows = browser && 'rows' in browser ? browser.rows : [];
const browserTable = browserRows.length
  ? table(
      ['browser workload', 'N', 'rapport-idb', 'idb (peer/rapport)', 'idb, no index', 'dexie', 'notes'],
      [...new Set(browserRows.map((r) => `${r.workload}|${r.n}`))].map((key) => {
        const [w, n] = key.split('|') as [string, string];
        const get = (e: string) => browserRows.find((r) => r.workload === w && String(r.n) === n && r.engine === e);
        const rr = get('rapport-idb');
        return [w, Number(n).toLocaleString('en-US'), fmt(rr?.medianMs), ...['idb', 'idb-noindex', 'dexie'].map((e) => `${fmt(get(e)?.medianMs)}${ratio(get(e)?.medianMs, rr?.medianMs)}`), [rr?.notes, get('idb')?.notes, get('dexie')?.notes].filter(Boolean).join('; ')];
      }),
    )
  : browser && 'skipped' in browser
    ? `browser workload skipped: ${browser.skipped}`
    : '';

// ---------------------------------------------------------------- goals
const G = quick ? 10_000 : 100_000;
const r = (w: Workload, e: string, v = false) => find(w, G, e, v)?.medianMs;
const mem = (e: string) => memory.find((m) => m.engine === e)?.bytesPerRecord;
const bro = (w: string, e: string) => browserRows.find((x) => x.workload === w && x.n === (quick ? 10_000 : 100_000) && x.engine === e)?.medianMs;
interface Goal {
  goal: string;
  measured: string;
  met: boolean | undefined;
}
const goal = (text: string, value: number | undefined, target: number, higherIsBetter: boolean, unit = '×'): Goal => ({
  goal: text,
  measured: value === undefined ? 'not run' : unit === '×' ? `${value.toFixed(2)}×` : `${Math.round(value)} ${unit}`,
  met: value === undefined ? undefined : higherIsBetter ? value >= target : value <= target,
});
const div = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : a / b);
const goals: Goal[] = [
  goal('indexed equality + count + first 50 by name ≥ 3× faster than LokiJS', div(r('eq-page', 'loki'), r('eq-page', 'rapport')), 3, true),
  goal('compound filter (tier + score range, newest 50) at least as fast as TinyBase', div(r('range-page', 'tinybase'), r('range-page', 'rapport')), 1, true),
  goal('prefix search ≥ 4× faster than MiniSearch (crm.search, ranked)', div(r('search', 'minisearch'), r('search', 'rapport')), 4, true),
  goal('  … same, find({ search }) first page', div(r('search', 'minisearch'), r('search', 'rapport', true)), 4, true),
  goal('count with a filter (tier ∧ lifecycle) at least as fast as TinyBase', div(r('count-filter', 'tinybase'), r('count-filter', 'rapport')), 1, true),
  goal('  … count tier = vip (one indexed equality) vs TinyBase', div(r('count-eq', 'tinybase'), r('count-eq', 'rapport')), 1, true),
  goal('bulk create with validation, tokens, audit within 2× LokiJS bare insert (rapport/loki ≤ 2)', div(r('create', 'rapport'), r('create', 'loki')), 2, false),
  goal('heap per stored customer ≤ 3 kB (bytes)', mem('rapport'), 3072, false, 'B'),
  goal('IndexedDB bulk create within 1.3× of Dexie (rapport/dexie ≤ 1.3)', div(bro('idb-create', 'rapport-idb'), bro('idb-create', 'dexie')), 1.3, false),
];
const goalTable = table(
  ['goal', `measured (N = ${G.toLocaleString('en-US')})`, 'met'],
  goals.map((g) => [g.goal, g.measured, g.met === undefined ? '–' : g.met ? 'yes' : 'NO']),
);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, rapport ${revision}${browser && 'chromium' in browser ? `, Chromium ${browser.chromium}` : ''}; load average ${load0.map((x) => x.toFixed(1)).join(' ')} at start, ${loadavg().map((x) => x.toFixed(1)).join(' ')} at end`;
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
const output = [
  `rapport benchmarks — ${quick ? 'quick (N = 10k)' : 'full'} run in ${minutes} min — ${machine}`,
  'Medians; (×) = peer time / rapport time: above 1 rapport is faster. 1M interactions on the memory adapter: skipped (bulk create runs at ~0.2–0.35 ms per record through the API and slows as indexes grow; 1M alone would take several minutes and GBs of heap).',
  '',
  mainTable,
  '',
  'Scaling: µs per operation (flat or log-like growth is fine; linear growth in N per operation flags a scan)',
  curveTable,
  ...(memoryTable ? ['', 'Memory', memoryTable] : []),
  ...(browserTable ? ['', 'IndexedDB in Chromium', browserTable] : []),
  ...(sales ? ['', 'Sales reports (bench/sales/run.ts)', JSON.stringify(sales)] : []),
  '',
  'Goals',
  goalTable,
].join('\n');
process.stdout.write(`${output}\n`);

const resultsDir = join(here, 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, quick ? 'quick.json' : 'latest.json');
writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), quick, machine, minutes: Number(minutes), rows, memory, browser, sales, goals, text: output }, null, 1)}\n`);
rmSync(join(resultsDir, quick ? 'quick.partial.json' : 'latest.partial.json'), { force: true });
log(`wrote ${file}`);
