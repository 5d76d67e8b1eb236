/**
 * End-to-end test of the browser CRM showcase (`examples/browser-crm`) in real Chromium:
 * starts Vite's dev server in-process on an ephemeral port, drives the app with Playwright,
 * and writes the screenshots in `docs/screenshots/`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import type { Browser, Page } from 'playwright';
import { createServer } from 'vite';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const appRoot = fileURLToPath(new URL('../../examples/browser-crm/', import.meta.url));
const shots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

describe.skipIf(!existsSync(executablePath))('browser CRM showcase in Chromium', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  let url: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await createServer({
      configFile: `${appRoot}vite.config.ts`,
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    });
    await server.listen();
    const { port } = server.httpServer!.address() as AddressInfo;
    url = `http://127.0.0.1:${port}/`;
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    mkdirSync(shots, { recursive: true });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const shot = (name: string) => page.screenshot({ path: `${shots}${name}.png`, fullPage: true });
  const go = async (hash: string, testId: string) => {
    await page.evaluate((h) => (location.hash = h), hash);
    await page.getByTestId(testId).waitFor();
  };
  const customer = (name: string) => page.getByTestId('customer-row').filter({ has: page.getByRole('link', { name, exact: true }) });

  it('searches, creates a customer, logs a call, wins a deal and refuses a viewer', async () => {
    // First load: the app opens IndexedDB and seeds the demo data.
    await page.goto(`${url}#/customers`);
    await page.locator('body[data-ready="true"]').waitFor();
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(15);
    await shot('customer-list');

    // Search is multilingual and folded: `YILMAZ` finds Yılmaz, `小明` finds 王小明.
    await page.getByTestId('customer-search').fill('YILMAZ');
    await customer('Mehmet Yılmaz').waitFor();
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(1);
    await page.getByTestId('customer-search').fill('小明');
    await customer('王小明').waitFor();
    await page.getByTestId('customer-search').fill('');
    await page.getByTestId('filter-country').selectOption('TR');
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(3);
    await page.getByTestId('filter-country').selectOption('');
    await page.getByTestId('filter-tier').selectOption('vip');
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(4);
    await page.getByTestId('filter-tier').selectOption('');

    // Create a customer, then log a call: it shows on the timeline.
    await page.getByTestId('new-customer-name').fill('Nguyễn Thị Mai');
    await page.getByTestId('new-customer-email').fill('mai.nguyen@example.vn');
    await page.getByTestId('new-customer-city').fill('Đà Nẵng');
    await page.getByTestId('new-customer-country').selectOption('VN');
    await page.getByTestId('new-customer-tier').selectOption('gold');
    await page.getByTestId('create-customer').click();
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe('Nguyễn Thị Mai');
    await page.getByTestId('interaction-type').selectOption('call');
    await page.getByTestId('interaction-subject').fill('Discovery call about Đà Nẵng depot');
    await page.getByTestId('save-interaction').click();
    await page.getByTestId('timeline-item').filter({ hasText: 'Discovery call about Đà Nẵng depot' }).waitFor();
    expect(await page.getByTestId('timeline-item').first().getAttribute('data-type')).toBe('call');

    // A seeded customer's page, with a fuller timeline, for the screenshot.
    await go('#/customers', 'customer-table');
    await customer('Mehmet Yılmaz').getByRole('link').click();
    await page.getByTestId('timeline-item').first().waitFor();
    await shot('customer-page');

    // The board: move a deal forward, then win one; the live query redraws the cards.
    await go('#/reports', 'winrate-total');
    const before = await page.getByTestId('winrate-total').textContent();
    expect(before).toContain('4 won / 4 lost');
    await go('#/pipeline', 'board');
    const kaya = page.getByTestId('deal-card').filter({ hasText: 'Kaya — starter pack' });
    await kaya.getByTestId('move-next').click();
    await page.getByTestId('stage-qualified').getByTestId('deal-card').filter({ hasText: 'Kaya — starter pack' }).waitFor();
    // Drag and drop works too: drop a lead onto the Proposal column.
    await page.getByTestId('deal-card').filter({ hasText: 'Bautista — cold chain' }).dragTo(page.getByTestId('stage-proposal'));
    await page.getByTestId('stage-proposal').getByTestId('deal-card').filter({ hasText: 'Bautista — cold chain' }).waitFor();
    const acme = page.getByTestId('deal-card').filter({ hasText: 'Acme — fleet tracking, 40 trucks' });
    await acme.getByTestId('win-deal').click();
    await page.getByTestId('stage-won').getByTestId('deal-card').filter({ hasText: 'Acme — fleet tracking, 40 trucks' }).waitFor();
    await expect.poll(() => page.getByTestId('board-winrate').textContent()).toContain('4 won / 3 lost');
    await shot('pipeline-board');

    // The win-rate chart changed.
    await go('#/reports', 'winrate-total');
    await expect.poll(() => page.getByTestId('winrate-total').textContent()).toContain('5 won / 4 lost');
    expect(await page.getByTestId('winrate-total').textContent()).not.toBe(before);
    await page.getByTestId('chart-roi').locator('svg rect').first().waitFor();
    await shot('charts');

    // Tickets: SLA due dates, overdue or breached targets, and what is at risk.
    await go('#/tickets', 'ticket-table');
    await expect.poll(() => page.getByTestId('ticket-row').count()).toBe(8);
    await expect.poll(() => page.locator('[data-testid^="sla-"][data-state="breached"], [data-testid^="sla-"][data-state="overdue"]').count()).toBeGreaterThan(0);
    await page.getByTestId('at-risk-item').first().waitFor();
    await shot('tickets');

    // View as viewer: phones, notes and the credit limit are masked; edits are disabled…
    await page.getByTestId('view-as').selectOption('viewer');
    await go('#/customers', 'customer-table');
    await page.getByTestId('masked-phone').first().waitFor();
    await customer('Mehmet Yılmaz').getByRole('link').click();
    await page.getByTestId('masked-notes').waitFor();
    await page.getByTestId('masked-creditLimit').waitFor();
    expect(await page.getByTestId('save-customer').isDisabled()).toBe(true);
    expect(await page.getByTestId('save-interaction').isDisabled()).toBe(true);
    await shot('viewer-masked');
    await go('#/pipeline', 'board');
    expect(await page.getByTestId('win-deal').first().isDisabled()).toBe(true);

    // …and with the UI hints off, the engine itself refuses the edit with a PermissionError.
    await page.getByTestId('ui-enforce').uncheck();
    await go('#/customers', 'customer-table');
    await customer('Mehmet Yılmaz').getByRole('link').click();
    await page.getByTestId('edit-tier').selectOption('vip');
    await page.getByTestId('save-customer').click();
    const refusal = page.getByTestId('permission-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^PermissionError: u-vera may not update customer /);
    await shot('viewer-refused');

    expect(pageErrors).toEqual([]);
  }, 60_000);
});
