/**
 * Options of the storage conformance suite.
 *
 * @module
 */
import type { StorageAdapter } from '../storage/adapter';

/** The parts of the storage contract the suite checks, one `describe` block each. */
export type StorageConformanceArea =
  | 'crud'
  | 'versions'
  | 'batches'
  | 'operators'
  | 'ordering'
  | 'cursors'
  | 'limits'
  | 'unique'
  | 'unicode'
  | 'copies'
  | 'changes'
  | 'subscribe'
  | 'explain'
  | 'aggregate'
  | 'schema'
  | 'count';

/** Every area, in the order the suite runs them. */
export const STORAGE_CONFORMANCE_AREAS: readonly StorageConformanceArea[] = [
  'crud',
  'versions',
  'batches',
  'operators',
  'ordering',
  'cursors',
  'limits',
  'unique',
  'unicode',
  'copies',
  'changes',
  'subscribe',
  'explain',
  'aggregate',
  'schema',
  'count',
];

/**
 * Areas to leave out, e.g. `{ explain: true }` for an adapter that cannot report its plans yet.
 * A skipped area shows as skipped in the test report, so nothing passes silently.
 *
 * `aggregate` is skipped by itself when the adapter has no `aggregate` method (the engine's
 * scan stands in for it).
 */
export type StorageConformanceSkip = Partial<Record<StorageConformanceArea, boolean>>;

/**
 * How {@link runStorageConformance} makes the adapters it tests.
 *
 * @example
 * ```ts
 * runStorageConformance({ name: 'memory', create: () => memoryAdapter() });
 * ```
 */
export interface StorageConformanceOptions {
  /** Shown in the test report: `storage conformance: <name>`. */
  name: string;
  /**
   * Make a fresh, empty, unopened adapter. Called once or more per test; the suite opens it
   * with the schema the test needs and closes it after the test. A persistent adapter must
   * start from an empty database every time (e.g. a unique database name per call).
   */
  create: () => StorageAdapter | Promise<StorageAdapter>;
  /**
   * Areas to leave out.
   * @defaultValue `{}` (run everything)
   */
  skip?: StorageConformanceSkip | undefined;
}
