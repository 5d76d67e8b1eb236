// Gzipped size of each public entry point with its dependencies, bundled and minified as a
// host app's bundler would, checked against budgets. Run after `npm run build`.
//
// Two numbers per entry: the goal the project set itself, and the ceiling CI enforces. Where
// a goal is not met yet (see docs/performance.md), the ceiling holds today's size so the
// bundle cannot grow unnoticed while the work to reach the goal is done.
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';

const KB = 1024;
const CORE = { entry: 'rapport + rapport/memory', files: ['./dist/index.js', './dist/memory.js'], goal: 30 * KB, ceiling: 53.5 * KB };
/** The core with every chunk it loads on first use. */
const CORE_TOTAL = { entry: '  … with chunks loaded on use', goal: 30 * KB, ceiling: 84 * KB };
/** Entry points beside the core: what each adds to it. */
const ADAPTERS = [
  { entry: 'rapport/indexeddb', file: './dist/indexeddb.js', goal: 6 * KB, ceiling: 10 * KB },
  { entry: 'rapport/io', file: './dist/io.js', goal: 10 * KB, ceiling: 11 * KB },
  { entry: 'rapport/http', file: './dist/http.js', goal: 6 * KB, ceiling: 6 * KB },
  { entry: 'rapport/http/server', file: './dist/http/server.js', goal: 6 * KB, ceiling: 6.5 * KB },
];

/**
 * Bundle the files as one entry the way a host app's bundler would (code splitting on), and
 * gzip them. `initial` is the entry chunk with
 * everything it imports statically — what a page downloads before using the library; `total`
 * adds the chunks loaded on first use through dynamic `import()` (reports, jobs, most domain verbs).
 */
async function gzippedSize(files) {
  const contents = files.map((f, i) => `export * as m${i} from ${JSON.stringify(f)};`).join('\n');
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    outdir: 'size-out',
    write: false,
    metafile: true,
    external: ['node:*'],
    logLevel: 'silent',
  });
  const bytes = new Map(result.outputFiles.map((f) => [f.path.slice(f.path.indexOf('size-out/')), f.contents]));
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((k) => outputs[k].entryPoint === 'entry.js');
  const initial = new Set();
  const visit = (file) => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const i of outputs[file].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entry);
  // Shared chunks count as one file: a production bundler (Rollup, Vite) folds the code an
  // entry needs statically into that entry's chunk.
  const sum = (names) => gzipSync(Buffer.concat([...names].filter((n) => n.endsWith('.js')).map((f) => bytes.get(f))), { level: 9 }).length;
  return { initial: sum(initial), total: sum(Object.keys(outputs)) };
}

const fmt = (n) => `${(n / KB).toFixed(1)} kB`;
const rows = [];
let failed = false;
function check(name, size, goal, ceiling, prefix = '') {
  const over = size > ceiling;
  failed ||= over;
  const status = over ? 'OVER CEILING' : size > goal ? 'ok (goal not met)' : 'ok';
  rows.push([name, `${prefix}${fmt(size)}`, `goal ${fmt(goal)}`, `ceiling ${fmt(ceiling)}`, status]);
}
for (const f of CORE.files) if (!existsSync(f)) throw new Error(`${f} is missing: run npm run build first`);
const core = await gzippedSize(CORE.files);
check(CORE.entry, core.initial, CORE.goal, CORE.ceiling);
check(CORE_TOTAL.entry, core.total, CORE_TOTAL.goal, CORE_TOTAL.ceiling);
for (const a of ADAPTERS) {
  if (!existsSync(a.file)) throw new Error(`${a.file} is missing: run npm run build first`);
  const extra = (await gzippedSize([...CORE.files, a.file])).initial - core.initial;
  check(`  + ${a.entry}`, extra, a.goal, a.ceiling, '+');
}
for (const r of rows) console.log(r.map((c, i) => c.padEnd([30, 12, 14, 17, 0][i])).join(' '));
if (failed) {
  console.error('size ceiling exceeded');
  process.exit(1);
}
