/**
 * Runs `bench/browser/page.ts` in real Chromium: bundles it with esbuild, serves it from a tiny
 * node:http server on 127.0.0.1, opens it with playwright against Debian's chromium, and has
 * the page run the workload and post its rows back to the server.
 *
 *   node --import tsx bench/browser/run.ts --n 10000 --n 100000 [--out file.json] [--disk]
 *
 * By default the page runs in a fresh browser context, which keeps IndexedDB in memory: the
 * figures are the engines' own work. `--disk` runs it in a profile on disk, as a user's browser
 * has, where LevelDB's writes take most of the time.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright';
import type { Browser, BrowserContext, Page } from 'playwright';
import type { BrowserRow } from './page';

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function runInChromium(sizes: readonly number[], log: (line: string) => void = (l) => process.stderr.write(`${l}\n`), disk = false): Promise<{ rows: BrowserRow[]; chromium: string } | { skipped: string }> {
  if (!existsSync(CHROMIUM)) return { skipped: `no Chromium at ${CHROMIUM}; apt-get install chromium` };
  const bundle = await build({ entryPoints: [resolve(here, 'page.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, minify: false, logLevel: 'silent' });
  const js = bundle.outputFiles[0]?.text ?? '';
  const posted: BrowserRow[][] = [];
  const waiters: ((rows: BrowserRow[]) => void)[] = [];
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/results') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const rows = JSON.parse(body) as BrowserRow[];
        posted.push(rows);
        waiters.shift()?.(rows);
        res.writeHead(204).end();
      });
      return;
    }
    if (req.url === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><title>rapport bench</title><script type="module" src="/page.js"></script>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const profile = disk ? mkdtempSync(join(tmpdir(), 'rapport-bench-chromium-')) : undefined;
  let browser: Browser | BrowserContext;
  let page: Page;
  if (profile === undefined) {
    const b = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    browser = b;
    page = await b.newPage();
  } else {
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
    browser = context;
    page = context.pages()[0] ?? (await context.newPage());
  }
  try {
    page.on('console', (m) => log(`  [chromium] ${m.text()}`));
    page.on('pageerror', (e) => log(`  [chromium error] ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => typeof (globalThis as { runBrowser?: unknown }).runBrowser === 'function');
    const version = await page.evaluate(() => /Chrome\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? 'unknown');
    const rows: BrowserRow[] = [];
    for (const n of sizes) {
      const got = new Promise<BrowserRow[]>((r) => waiters.push(r));
      // The page runs the workload and posts its rows back; evaluate only starts it.
      await page.evaluate(
        async ([size, runs]) => {
          const run = (globalThis as unknown as { runBrowser: (n: number, runs: number, log: (l: string) => void) => Promise<unknown> }).runBrowser;
          const out = await run(size, runs, (l) => console.log(l));
          await fetch('/results', { method: 'POST', body: JSON.stringify(out) });
        },
        [n, n >= 100_000 ? 1 : 3] as const,
      );
      rows.push(...(await got));
    }
    return { rows, chromium: version };
  } finally {
    await browser.close();
    server.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { n: { type: 'string', multiple: true }, out: { type: 'string' }, disk: { type: 'boolean', default: false } } });
  const sizes = (values.n ?? ['10000']).map(Number);
  const result = await runInChromium(sizes, undefined, values.disk ?? false);
  const text = JSON.stringify(result, null, 1);
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(`${text}\n`);
}
