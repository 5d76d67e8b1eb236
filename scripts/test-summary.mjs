// Prints vitest's result as the plain closing line CI reads (`vitest: N passed, N failed`)
// and fails when anything failed, when nothing ran, or when the browser project should
// have run and did not.
import { existsSync, readFileSync } from 'node:fs';

const file = '.vitest-results.json';
if (!existsSync(file)) {
  console.log('vitest: 0 passed, 1 failed');
  console.error(`no ${file}: vitest did not finish`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
let passed = 0;
let failed = 0;
let skipped = 0;
let browserPassed = 0;
for (const suite of report.testResults ?? []) {
  const isBrowser = /\.browser\.test\.ts$/.test(suite.name ?? '');
  for (const t of suite.assertionResults ?? []) {
    if (t.status === 'passed') {
      passed++;
      if (isBrowser) browserPassed++;
    } else if (t.status === 'failed') failed++;
    else skipped++;
  }
  // A file that failed to load has no assertions but must count as a failure.
  if ((suite.assertionResults ?? []).length === 0 && suite.status === 'failed') failed++;
}
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserExpected = process.env.CI === 'true' || existsSync(chromium);
let problem = '';
if (passed + failed === 0) problem = 'no test ran';
else if (browserExpected && browserPassed === 0) problem = 'the browser project ran no test';
if (problem) {
  console.error(problem);
  failed = Math.max(failed, 1);
}
console.log(`vitest: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
