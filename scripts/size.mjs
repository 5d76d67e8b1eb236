// Gzipped size of each public entry point with its dependencies, bundled and minified as a
// host app's bundler would, checked against budgets. Run after `npm run build`.
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';

const KB = 1024;
/** Entry points beside the core, each with the most it may add to the core. */
const adapters = [
  { entry: 'rapport/memory', file: './dist/memory.js', budget: 6 * KB },
  { entry: 'rapport/indexeddb', file: './dist/indexeddb.js', budget: 6 * KB },
  { entry: 'rapport/http', file: './dist/http.js', budget: 6 * KB },
  { entry: 'rapport/http/server', file: './dist/http/server.js', budget: 6 * KB },
];
const CORE_WITH_MEMORY_BUDGET = 30 * KB;

async function gzippedSize(files) {
  const contents = files.map((f, i) => `export * as m${i} from ${JSON.stringify(f)};`).join('\n');
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external: ['node:*'],
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

const fmt = (n) => `${(n / KB).toFixed(1)} kB`;
const core = await gzippedSize(['./dist/index.js']);
const rows = [['rapport', fmt(core), '', '']];
let failed = false;
for (const a of adapters) {
  if (!existsSync(a.file)) continue;
  const total = await gzippedSize(['./dist/index.js', a.file]);
  const extra = total - core;
  const over = extra > a.budget;
  failed ||= over;
  rows.push([`rapport + ${a.entry}`, fmt(total), `+${fmt(extra)} (budget ${fmt(a.budget)})`, over ? 'OVER' : 'ok']);
  if (a.entry === 'rapport/memory') {
    const overTotal = total > CORE_WITH_MEMORY_BUDGET;
    failed ||= overTotal;
    rows.push(['  core + memory total', fmt(total), `budget ${fmt(CORE_WITH_MEMORY_BUDGET)}`, overTotal ? 'OVER' : 'ok']);
  }
}
for (const r of rows) console.log(r.map((c, i) => c.padEnd([34, 10, 32, 4][i])).join(' '));
if (failed) {
  console.error('size budget exceeded');
  process.exit(1);
}
