/**
 * Vite config of the browser CRM showcase. It runs from the root package
 * (`npx vite examples/browser-crm`): `rapport` and `rapport/indexeddb` point at the sources,
 * so the showcase always runs the code in this repository, not a published build.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  resolve: {
    alias: [
      // Exact matches, so `rapport/indexeddb` is not caught by the `rapport` entry.
      { find: /^rapport$/, replacement: here('../../src/index.ts') },
      { find: /^rapport\/indexeddb$/, replacement: here('../../adapters/indexeddb/index.ts') },
    ],
  },
  // Bundle the sources' dependencies up front, so the first page load never triggers a
  // "new dependencies optimized" reload.
  optimizeDeps: { include: ['zod/mini', 'mitt', 'idb'] },
  server: {
    // The sources live two levels above the app's root.
    fs: { allow: [here('../..')] },
  },
  build: { outDir: here('dist'), emptyOutDir: true, target: 'es2022' },
});
