/**
 * `rapport/testing`: the storage conformance suite, for authors of storage adapters.
 *
 * @example
 * ```ts
 * import { runStorageConformance } from 'rapport/testing';
 * import { memoryAdapter } from 'rapport/memory';
 *
 * runStorageConformance({ name: 'memory', create: () => memoryAdapter() });
 * ```
 *
 * @module
 */
export { runStorageConformance } from './suite';
export { STORAGE_CONFORMANCE_AREAS } from './options';
export type { StorageConformanceArea, StorageConformanceOptions, StorageConformanceSkip } from './options';
