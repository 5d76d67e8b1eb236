/**
 * Serving bundled scripts to Debian's Chromium through playwright, for the browser benchmarks
 * that drive a page step by step (`profile.ts`). The page is served from 127.0.0.1 so it has an
 * origin of its own, and with it IndexedDB.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright';
import type { Browser, Page } from 'playwright';

/** Where Chromium is expected (Debian's package), unless `CHROMIUM_PATH` says otherwise. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Flags that keep Chromium from reaching for hosts this machine cannot reach. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A page with the scripts loaded, and how to close everything. */
export interface OpenPage {
  page: Page;
  browser: Browser;
  /** The browser process's id, to sum the CPU time of it and its children. */
  pid: number | undefined;
  close(): Promise<void>;
}

/**
 * Open a page that loads `scripts` (classic scripts, in order) from a local server.
 * @throws when Chromium is missing (the caller says how to install it).
 */
export async function openPage(scripts: readonly string[], log: (line: string) => void): Promise<OpenPage> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}; apt-get install chromium`);
  const server = createServer((req, res) => {
    const m = /^\/s(\d+)\.js$/.exec(req.url ?? '');
    if (m) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(scripts[Number(m[1])] ?? '');
      return;
    }
    const tags = scripts.map((_, i) => `<script src="/s${i}.js"></script>`).join('');
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><meta charset="utf-8"><title>rapport profile</title>${tags}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  // A marker on the command line finds the browser process among the machine's others.
  const marker = `--rapport-profile=${process.pid}-${port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, marker], headless: true });
  const pid = findPid(marker);
  const page = await browser.newPage();
  page.on('console', (m) => log(`  [chromium] ${m.text()}`));
  page.on('pageerror', (e) => log(`  [chromium error] ${e.message}`));
  await page.goto(`http://127.0.0.1:${port}/`);
  return {
    page,
    browser,
    pid,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

function findPid(marker: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(marker) && !args.some((a) => a.startsWith('--type='))) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}
