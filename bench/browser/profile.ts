/**
 * Where the main thread's time goes while rapport creates customers on IndexedDB in Chromium,
 * beside Dexie `bulkAdd` of the same records: a CPU profile (CDP `Profiler`) around the timed
 * create only, summed by source file group and by function (self and inclusive share), plus the
 * IndexedDB requests each engine issues per record and the index entries each store ends with.
 *
 *   node --import tsx bench/browser/profile.ts --n 10000 [--engine rapport --engine dexie]
 *        [--save /tmp/rapport.cpuprofile] [--top 25]
 *   node --import tsx bench/browser/profile.ts --n 10000 --ablate --rounds 3
 *   node --import tsx bench/browser/profile.ts --n 10000 --page
 *   node --import tsx bench/browser/profile.ts --n 10000 --compare /path/to/old/adapters/indexeddb --rounds 5
 *
 * `--ablate` writes the rows rapport stored (records, audit entries, change-log rows) again with
 * raw IndexedDB into layouts from the bare store up to rapport's own, so each layer's share of
 * the storage's time shows with no engine or adapter code running; `--layouts 4,5,6` runs only
 * those (0-based, in the order of the table).
 *
 * `--page` runs the benchmark's page query (tier = gold, newest 50): the storage query the
 * engine sends, the adapter's plan for it, and its time beside Dexie's compound-index walk; then
 * the same query with a `[tier, createdAt]` index added to the customers store (what declaring
 * one in the customers entity would give).
 *
 * `--page --compare DIR` times the page query and the indexed count as the engine sends them to
 * the storage, on this adapter and on the one in DIR, both open on one database, alternately.
 *
 * `--adapter DIR` profiles (or, with `--page`, times) the adapter in DIR instead of this one.
 *
 * `--compare DIR` times instead of profiling: this adapter, the adapter in DIR (a saved copy of
 * an earlier version, next to a `src` it can import) and Dexie, alternately for `--rounds`
 * rounds in one page, so that load from other processes falls on all of them alike. The
 * `.cpuprofile` written by `--save` opens in Chromium's DevTools (Performance panel).
 *
 * Idle samples are the main thread waiting: for IndexedDB to commit (its backend runs in
 * another process) or for the next task.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { openPage } from './chromium';
import type { ProfileEngine, RequestCount } from './profile-page';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

interface Bundle {
  js: string;
  /** Generated line → segments `[column, source, original line]`, from the source map. */
  lines: [number, number, number][][];
  sources: string[];
}

/** Bundle the page as an IIFE under `globalName`, with its adapter taken from `adapterDir` when given. */
async function bundle(globalName: string, adapterDir?: string): Promise<Bundle> {
  const plugins: Plugin[] = [];
  if (adapterDir !== undefined) {
    const entry = resolve(adapterDir, 'index.ts');
    plugins.push({
      name: 'adapter-under-test',
      setup(b) {
        b.onResolve({ filter: /adapters\/indexeddb\/index$/ }, () => ({ path: entry }));
      },
    });
  }
  const out = await build({
    entryPoints: [resolve(here, 'profile-page.ts')],
    bundle: true,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: false,
    sourcemap: 'external',
    outfile: resolve(root, `.profile-${globalName}.js`),
    absWorkingDir: root,
    logLevel: 'silent',
    plugins,
  });
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const map = JSON.parse(out.outputFiles.find((f) => f.path.endsWith('.map'))?.text ?? '{}') as { sources: string[]; mappings: string };
  return { js, lines: decodeMappings(map.mappings), sources: map.sources.map((s) => resolve(dirname(resolve(root, '.x')), s)) };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decode a source map's `mappings` (base64 VLQ) into per-line `[column, source, line]` segments. */
function decodeMappings(mappings: string): [number, number, number][][] {
  const lines: [number, number, number][][] = [];
  let src = 0;
  let srcLine = 0;
  let srcCol = 0;
  let name = 0;
  for (const line of mappings.split(';')) {
    const segs: [number, number, number][] = [];
    let col = 0;
    for (const seg of line.split(',')) {
      if (seg === '') continue;
      const v: number[] = [];
      let shift = 0;
      let value = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          v.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += v[0] ?? 0;
      if (v.length >= 4) {
        src += v[1] ?? 0;
        srcLine += v[2] ?? 0;
        srcCol += v[3] ?? 0;
        if (v.length >= 5) name += v[4] ?? 0;
        segs.push([col, src, srcLine]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

/** Original file (relative to the repository) and 1-based line of a bundle position. */
function locate(b: Bundle, line: number, column: number): { file: string; line: number } | undefined {
  const segs = b.lines[line];
  if (segs === undefined || segs.length === 0) return undefined;
  let hit = segs[0] as [number, number, number];
  for (const s of segs) if (s[0] <= column) hit = s;
  const abs = b.sources[hit[1]] ?? '';
  const rel = abs.startsWith(`${root}/`) ? abs.slice(root.length + 1) : abs;
  return { file: rel, line: hit[2] + 1 };
}

/** The part of the code base a file belongs to, as the summary reports it. */
function groupOf(file: string): string {
  if (file.includes('adapters/indexeddb/')) return 'adapter: adapters/indexeddb';
  if (file === 'src/engine/audit.ts') return 'engine: audit entries (src/engine/audit.ts)';
  if (file.startsWith('src/search/') || file === 'src/engine/tokens.ts') return 'engine: search tokens (src/search)';
  if (file.startsWith('src/engine/')) return 'engine: src/engine (write path, records, ids)';
  if (file.includes('node_modules/zod/')) return 'engine: validation (zod)';
  if (file.startsWith('src/entities/')) return 'engine: entity modules (derived fields)';
  if (file.startsWith('src/permissions/')) return 'engine: permissions';
  if (file.startsWith('src/query/')) return 'engine: query language';
  if (file.startsWith('src/')) return `src: ${file.split('/').slice(0, 2).join('/')}`;
  if (file.includes('node_modules/dexie/')) return 'dexie';
  if (file.includes('node_modules/idb/')) return 'idb';
  if (file.startsWith('bench/')) return 'bench harness (data, clock)';
  if (file.includes('node_modules/')) return `node_modules/${file.split('node_modules/')[1]?.split('/')[0] ?? '?'}`;
  return file || '(unknown)';
}

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self and inclusive milliseconds by function and by file group, and the special nodes. */
interface Summary {
  totalMs: number;
  special: Map<string, number>;
  groups: Map<string, { self: number; incl: number }>;
  functions: Map<string, { self: number; incl: number }>;
}

function summarize(profile: CpuProfile, bundles: Bundle[], urls: string[]): Summary {
  const parent = new Map<number, number>();
  const byId = new Map<number, CpuNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  // Per node: its function key and group (natives: the group of their nearest JS caller).
  const info = new Map<number, { fn: string; group: string; special?: string }>();
  const infoOf = (id: number): { fn: string; group: string; special?: string } => {
    const known = info.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id) as CpuNode;
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    let out: { fn: string; group: string; special?: string };
    if (functionName.startsWith('(') && url === '') out = { fn: functionName, group: functionName, special: functionName };
    else {
      const b = bundles[urls.findIndex((u) => url.endsWith(u))];
      const where = b ? locate(b, lineNumber, columnNumber) : undefined;
      if (where) out = { fn: `${functionName || '(anonymous)'} ${where.file}:${where.line}`, group: groupOf(where.file) };
      else {
        const up = parent.get(id);
        const callerGroup = up === undefined ? '(native)' : infoOf(up).group;
        out = { fn: `${functionName || '(anonymous)'} [native]`, group: callerGroup.startsWith('(') ? '(native)' : callerGroup };
      }
    }
    info.set(id, out);
    return out;
  };
  const special = new Map<string, number>();
  const groups = new Map<string, { self: number; incl: number }>();
  const functions = new Map<string, { self: number; incl: number }>();
  const add = (m: Map<string, { self: number; incl: number }>, k: string, self: number, incl: number): void => {
    const e = m.get(k) ?? { self: 0, incl: 0 };
    e.self += self;
    e.incl += incl;
    m.set(k, e);
  };
  let totalMs = 0;
  // Each sample lasts until the next one: its delta is the next sample's timeDelta.
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (ms <= 0) continue;
    totalMs += ms;
    const id = profile.samples[i] as number;
    const leaf = infoOf(id);
    if (leaf.special !== undefined && leaf.special !== '(root)') {
      special.set(leaf.special, (special.get(leaf.special) ?? 0) + ms);
      continue;
    }
    special.set('JavaScript', (special.get('JavaScript') ?? 0) + ms);
    add(groups, leaf.group, ms, 0);
    add(functions, leaf.fn, ms, 0);
    const seenFn = new Set<string>();
    const seenGroup = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = infoOf(at);
      if (f.special !== undefined) continue;
      if (!seenFn.has(f.fn)) {
        seenFn.add(f.fn);
        add(functions, f.fn, 0, ms);
      }
      if (!seenGroup.has(f.group)) {
        seenGroup.add(f.group);
        add(groups, f.group, 0, ms);
      }
    }
  }
  return { totalMs, special, groups, functions };
}

const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

/**
 * CPU time (user + system, ms) used so far by a process and its descendants: Chromium's
 * renderer, its browser process (where IndexedDB's backend runs) and the rest. Less sensitive
 * than wall time to other work on a shared machine.
 */
function chromiumCpuMs(rootPid: number | undefined): number {
  if (rootPid === undefined) return Number.NaN;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended while we looked.
    }
  }
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  let ticks = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    ticks += stats.get(pid)?.ticks ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)}%`;
const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

function report(title: string, wallMs: number, s: Summary, top: number): string {
  const out: string[] = [`\n## ${title}: ${fmt(wallMs)} wall, ${fmt(s.totalMs)} profiled`, '', '| main thread | time | share |', '|---|---|---|'];
  for (const [k, v] of [...s.special].sort((a, b) => b[1] - a[1])) out.push(`| ${k === '(idle)' ? '(idle: waiting on IndexedDB or the next task)' : k} | ${fmt(v)} | ${pct(v, s.totalMs)} |`);
  out.push('', '| file group | self | self share | inclusive share |', '|---|---|---|---|');
  for (const [k, v] of [...s.groups].sort((a, b) => b[1].self - a[1].self)) {
    if (v.self / s.totalMs < 0.002 && v.incl / s.totalMs < 0.01) continue;
    out.push(`| ${k} | ${fmt(v.self)} | ${pct(v.self, s.totalMs)} | ${pct(v.incl, s.totalMs)} |`);
  }
  out.push('', `| function (top ${top} by self time) | self share | inclusive share |`, '|---|---|---|');
  for (const [k, v] of [...s.functions].sort((a, b) => b[1].self - a[1].self).slice(0, top)) out.push(`| \`${k}\` | ${pct(v.self, s.totalMs)} | ${pct(v.incl, s.totalMs)} |`);
  out.push('', `| function (top ${top} by inclusive time, rapport code) | self share | inclusive share |`, '|---|---|---|');
  const ours = [...s.functions].filter(([k]) => / (src|adapters)\//.test(k));
  for (const [k, v] of ours.sort((a, b) => b[1].incl - a[1].incl).slice(0, top)) out.push(`| \`${k}\` | ${pct(v.self, s.totalMs)} | ${pct(v.incl, s.totalMs)} |`);
  return out.join('\n');
}

function requestTable(counts: Map<ProfileEngine, RequestCount>): string {
  const out: string[] = ['\n## IndexedDB requests and index entries per created record', ''];
  for (const [engine, c] of counts) {
    out.push(`### ${engine}: ${c.n} records, ${c.transactions} transactions`, '', '| request | count | per record |', '|---|---|---|');
    let writes = 0;
    for (const [k, v] of Object.entries(c.requests).sort((a, b) => b[1] - a[1])) {
      if (/:(add|put|delete)$/.test(k)) writes += v;
      out.push(`| ${k} | ${v} | ${(v / c.n).toFixed(2)} |`);
    }
    out.push(`| **writes (add/put/delete)** | ${writes} | ${(writes / c.n).toFixed(2)} |`, '', '| store | records | index entries | per created record |', '|---|---|---|---|');
    let rows = 0;
    let entries = 0;
    for (const [store, n] of Object.entries(c.records)) {
      const e = c.indexEntries[store] ?? 0;
      if (n === 0) continue;
      rows += n;
      entries += e;
      out.push(`| ${store} | ${n} | ${e} | ${((n + e) / c.n).toFixed(2)} rows (${(e / c.n).toFixed(2)} index) |`);
    }
    out.push(`| **all** | ${rows} | ${entries} | ${((rows + entries) / c.n).toFixed(2)} rows |`, '');
    const by = Object.entries(c.byIndex).flatMap(([store, m]) => Object.entries(m).map(([i, v]) => `${store}.${i} ${(v / c.n).toFixed(2)}`));
    out.push(`index entries per record: ${by.join(', ')}`, '');
  }
  return out.join('\n');
}

type PageApi = { pageWithCompoundIndex(runs: number): Promise<unknown>; readComparison(other: string, runs: number): Promise<unknown>; pageQuery(runs: number): Promise<unknown>; ablationPrepare(n: number): Promise<string[]>; ablationRun(k: number): Promise<number>; setup(n: number, e: ProfileEngine): Promise<void>; run(e: ProfileEngine): Promise<number>; countRequests(e: ProfileEngine): Promise<RequestCount>; teardown(): Promise<void> };

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    engine: { type: 'string', multiple: true },
    save: { type: 'string' },
    top: { type: 'string', default: '25' },
    compare: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    'no-count': { type: 'boolean', default: false },
    ablate: { type: 'boolean', default: false },
    page: { type: 'boolean', default: false },
    adapter: { type: 'string' },
    layouts: { type: 'string' },
  },
});
const n = Number(values.n);
const log = (l: string): void => void process.stderr.write(`${l}\n`);
const current = await bundle('profileCurrent', values.adapter === undefined ? undefined : resolve(values.adapter));
const bundles = [current];
if (values.compare !== undefined) bundles.push(await bundle('profileBaseline', resolve(values.compare)));
const opened = await openPage(bundles.map((b) => b.js), log);
const { page } = opened;
// Calls into the page by global name; the page functions are async, so evaluate awaits them.
const call = <T>(global: string, fn: keyof PageApi, ...args: unknown[]): Promise<T> =>
  page.evaluate(([g, f, a]) => ((globalThis as unknown as Record<string, Record<string, (...x: unknown[]) => Promise<unknown>>>)[g as string] as Record<string, (...x: unknown[]) => Promise<unknown>>)[f as string]?.(...(a as unknown[])), [global, fn, args] as const) as Promise<T>;

try {
  if (values.page && values.compare !== undefined) {
    await call('profileCurrent', 'setup', n, 'rapport');
    await call('profileCurrent', 'run', 'rapport');
    const got = await call<{ what: string; thisMs: number; otherMs: number; examined?: number }[]>('profileCurrent', 'readComparison', 'profileBaseline', Number(values.rounds) * 10);
    await call('profileCurrent', 'teardown');
    process.stdout.write(`\n## reads at ${n}, this adapter and the one in --compare on the same database, interleaved\n\n| storage call | this adapter | adapter in --compare | rows examined |\n|---|---|---|---|\n`);
    for (const g of got) process.stdout.write(`| \`${g.what}\` | ${g.thisMs.toFixed(2)} ms | ${g.otherMs.toFixed(2)} ms | ${g.examined ?? ''} |\n`);
  } else if (values.page) {
    await call('profileCurrent', 'setup', n, 'rapport');
    await call('profileCurrent', 'run', 'rapport');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const got = await call<{ storageQuery: unknown; plan: unknown; findMs: number; adapterMs: number; dexieMs: number }>('profileCurrent', 'pageQuery', Number(values.rounds) * 10);
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    if (values.save !== undefined) writeFileSync(values.save.replace(/(\.cpuprofile)?$/, '-page.cpuprofile'), JSON.stringify(profile));
    process.stdout.write(report('page queries (find, adapter, Dexie, and Dexie\'s bulkAdd before them)', 0, summarize(profile, [current], ['/s0.js']), Number(values.top)));
    const compound = await call<{ ms: number; plan: unknown }>('profileCurrent', 'pageWithCompoundIndex', Number(values.rounds) * 10);
    await call('profileCurrent', 'teardown');
    process.stdout.write(
      `\n## tier = gold, newest 50, at ${n}\n\nstorage query: ${JSON.stringify(got.storageQuery)}\nplan: ${JSON.stringify(got.plan)}\n\n| | median |\n|---|---|\n| crm.customers.find | ${got.findMs.toFixed(2)} ms |\n| adapter query alone | ${got.adapterMs.toFixed(2)} ms |\n| dexie [tier+createdAt] reverse limit 50 | ${got.dexieMs.toFixed(2)} ms |\n| adapter query alone, customers with a [tier, createdAt] index added | ${compound.ms.toFixed(2)} ms |\n\nplan with that index: ${JSON.stringify(compound.plan)}\n`,
    );
  } else if (values.ablate) {
    const rounds = Number(values.rounds);
    const every = await call<string[]>('profileCurrent', 'ablationPrepare', n);
    const picked = values.layouts === undefined ? every.map((_, i) => i) : values.layouts.split(',').map(Number);
    const names = picked.map((i) => every[i] as string);
    const wall = new Map<string, number[]>(names.map((l) => [l, []]));
    const cpu = new Map<string, number[]>(names.map((l) => [l, []]));
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < names.length; k++) {
        const at = (k + r) % names.length;
        const c0 = chromiumCpuMs(opened.pid);
        const ms = await call<number>('profileCurrent', 'ablationRun', picked[at]);
        const cms = chromiumCpuMs(opened.pid) - c0;
        wall.get(names[at] as string)?.push(ms);
        cpu.get(names[at] as string)?.push(cms);
        log(`  round ${r + 1} ${names[at]}: ${fmt(ms)} wall, ${fmt(cms)} Chromium CPU`);
      }
    }
    const floor = med(wall.get(names[0] as string) as number[]);
    const floorCpu = med(cpu.get(names[0] as string) as number[]);
    process.stdout.write(`\n## rapport's rows for ${n} customers written with raw IndexedDB, ${rounds} rounds interleaved\n\n| layout | wall median | / floor | Chromium CPU median (all processes) | / floor |\n|---|---|---|---|---|\n`);
    for (const l of names) {
      const w = med(wall.get(l) as number[]);
      const c = med(cpu.get(l) as number[]);
      process.stdout.write(`| ${l} | ${fmt(w)} | ${(w / floor).toFixed(2)}× | ${fmt(c)} | ${(c / floorCpu).toFixed(2)}× |\n`);
    }
  } else if (values.compare !== undefined) {
    const rounds = Number(values.rounds);
    const series: [string, string, ProfileEngine][] = [
      ['rapport (this adapter)', 'profileCurrent', 'rapport'],
      ['rapport (adapter in --compare)', 'profileBaseline', 'rapport'],
      ['dexie bulkAdd', 'profileCurrent', 'dexie'],
    ];
    const times = new Map<string, number[]>(series.map(([label]) => [label, []]));
    const cpu = new Map<string, number[]>(series.map(([label]) => [label, []]));
    for (let r = 0; r < rounds; r++) {
      // Rotate the order each round so no series always runs first (warm caches) or last.
      for (let k = 0; k < series.length; k++) {
        const [label, global, engine] = series[(k + r) % series.length] as [string, string, ProfileEngine];
        await call(global, 'setup', n, engine);
        const c0 = chromiumCpuMs(opened.pid);
        const ms = await call<number>(global, 'run', engine);
        const cms = chromiumCpuMs(opened.pid) - c0;
        await call(global, 'teardown');
        times.get(label)?.push(ms);
        cpu.get(label)?.push(cms);
        log(`  round ${r + 1} ${label}: ${fmt(ms)} wall, ${fmt(cms)} Chromium CPU`);
      }
    }
    const dexie = med(times.get('dexie bulkAdd') as number[]);
    const dexieCpu = med(cpu.get('dexie bulkAdd') as number[]);
    process.stdout.write(`\n## create ${n} customers, ${rounds} rounds interleaved\n\n| engine | wall median | wall min | / dexie | Chromium CPU median | / dexie |\n|---|---|---|---|---|---|\n`);
    for (const [label, xs] of times) {
      const c = med(cpu.get(label) as number[]);
      process.stdout.write(`| ${label} | ${fmt(med(xs))} | ${fmt(Math.min(...xs))} | ${(med(xs) / dexie).toFixed(2)}× | ${fmt(c)} | ${(c / dexieCpu).toFixed(2)}× |\n`);
    }
  } else {
    const engines = (values.engine ?? ['rapport', 'dexie']) as ProfileEngine[];
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    let text = `# create ${n} customers in Chromium ${opened.browser.version()}`;
    for (const engine of engines) {
      // A warm-up run first, so the profile shows steady-state code, not the JIT warming up.
      await call('profileCurrent', 'setup', Math.min(n, 2000), engine);
      await call('profileCurrent', 'run', engine);
      await call('profileCurrent', 'setup', n, engine);
      await cdp.send('Profiler.start');
      const wall = await call<number>('profileCurrent', 'run', engine);
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      if (values.save !== undefined) writeFileSync(values.save.replace(/(\.cpuprofile)?$/, `-${engine}.cpuprofile`), JSON.stringify(profile));
      text += report(engine, wall, summarize(profile, [current], ['/s0.js']), Number(values.top));
    }
    await cdp.send('Profiler.disable');
    if (!values['no-count']) {
      const counts = new Map<ProfileEngine, RequestCount>();
      for (const engine of engines) {
        await call('profileCurrent', 'setup', n, engine);
        counts.set(engine, await call<RequestCount>('profileCurrent', 'countRequests', engine));
      }
      text += requestTable(counts);
    }
    await call('profileCurrent', 'teardown');
    process.stdout.write(`${text}\n`);
  }
} finally {
  await opened.close();
}
