/**
 * The storage conformance suite: the contract every storage adapter keeps, as vitest tests.
 *
 * @module
 */
import { describe } from 'vitest';
import { aggregateTests } from './aggregate';
import { batchTests } from './batches';
import { changeTests } from './changes';
import type { OpenAdapter } from './context';
import { useAdapters } from './context';
import { copyTests } from './copies';
import { countTests } from './count';
import { crudTests } from './crud';
import { cursorTests } from './cursors';
import { explainTests } from './explain';
import { limitTests } from './limits';
import { operatorTests } from './operators';
import type { StorageConformanceArea, StorageConformanceOptions } from './options';
import { orderingTests } from './ordering';
import { schemaTests } from './schema';
import { subscribeTests } from './subscribe';
import { unicodeTests } from './unicode';
import { uniqueTests } from './unique';
import { versionTests } from './versions';

const AREAS: Record<StorageConformanceArea, { title: string; tests: (open: OpenAdapter) => void }> = {
  crud: { title: 'insert, get, update, delete', tests: crudTests },
  versions: { title: 'versions and conflicts', tests: versionTests },
  batches: { title: 'atomic batches', tests: batchTests },
  operators: { title: 'filter operators', tests: operatorTests },
  ordering: { title: 'value order', tests: orderingTests },
  cursors: { title: 'cursors', tests: cursorTests },
  limits: { title: 'page sizes and malformed queries', tests: limitTests },
  unique: { title: 'unique indexes', tests: uniqueTests },
  unicode: { title: 'unicode and hostile strings', tests: unicodeTests },
  copies: { title: 'copies, not references', tests: copyTests },
  changes: { title: 'change feed', tests: changeTests },
  subscribe: { title: 'subscribe', tests: subscribeTests },
  explain: { title: 'explain', tests: explainTests },
  aggregate: { title: 'aggregate', tests: aggregateTests },
  schema: { title: 'open and migrate', tests: schemaTests },
  count: { title: 'count', tests: countTests },
};

/**
 * Run the storage conformance suite against an adapter: every promise of the
 * `StorageAdapter` contract (atomic batches, versions, unique indexes, every query operator,
 * the value order, keyset cursors, the change feed, `explain`, `aggregate`…) as vitest tests.
 *
 * Call it at the top level of a test file. `create` must return a fresh, empty, unopened
 * adapter each time; the suite opens it with the schema each test needs and closes it after
 * the test. Needs `vitest` (an optional peer dependency of rapport).
 *
 * @param options - the adapter's name, its factory, and areas to skip.
 *
 * @example
 * ```ts
 * // test/my-adapter.test.ts
 * import { runStorageConformance } from 'rapport/testing';
 * import { myAdapter } from '../src/index';
 *
 * runStorageConformance({
 *   name: 'my-adapter',
 *   create: () => myAdapter({ database: `test-${crypto.randomUUID()}` }),
 *   skip: { explain: true }, // not implemented yet: shown as skipped
 * });
 * ```
 */
export function runStorageConformance(options: StorageConformanceOptions): void {
  describe(`storage conformance: ${options.name}`, () => {
    const open = useAdapters(options);
    for (const [area, { title, tests }] of Object.entries(AREAS) as [StorageConformanceArea, (typeof AREAS)[StorageConformanceArea]][]) {
      describe.skipIf(options.skip?.[area] === true)(title, () => tests(open));
    }
  });
}
