import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    memory: 'adapters/memory/index.ts',
    indexeddb: 'adapters/indexeddb/index.ts',
    io: 'src/io/index.ts',
    http: 'adapters/http/index.ts',
    'http/server': 'adapters/http/server.ts',
    'http/node': 'adapters/http/node.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // Shared code lives in chunks so `rapport` and `rapport/memory` see one copy of each
  // error class, in ESM and CJS alike.
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  treeshake: true,
  external: ['vitest'],
});
