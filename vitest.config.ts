import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromium);

const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: {
      name: 'node',
      environment: 'node',
      include: ['test/**/*.test.ts'],
      exclude: ['test/**/*.browser.test.ts', 'test/**/*.e2e.test.ts'],
      setupFiles: ['test/setup.node.ts'],
      typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    },
  },
];

if (hasChromium) {
  // The showcase app driven end to end by playwright in Debian's Chromium.
  projects.push({
    extends: true,
    test: { name: 'e2e', environment: 'node', include: ['test/e2e/**/*.e2e.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
  });
  projects.push({
    extends: true,
    test: {
      name: 'browser',
      include: ['test/**/*.browser.test.ts'],
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        instances: [{ browser: 'chromium' }],
        provider: playwright({
          launchOptions: {
            executablePath: chromium,
            args: [
              '--headless',
              '--no-sandbox',
              '--disable-gpu',
              '--disable-quic',
              '--no-first-run',
              '--disable-background-networking',
              '--disable-component-update',
              '--disable-sync',
            ],
          },
        }),
      },
    },
  });
} else {
  console.warn(`browser tests skipped: no Chromium at ${chromium}; apt-get install chromium`);
}

export default defineConfig({
  test: {
    projects,
    testTimeout: 30_000,
  },
});
