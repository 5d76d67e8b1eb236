/**
 * `rapport/indexeddb`: rapport's storage in the browser's IndexedDB.
 *
 * @example
 * ```ts
 * import { indexedDbAdapter } from 'rapport/indexeddb';
 * const storage = indexedDbAdapter({ name: 'crm' });
 * ```
 *
 * @module
 */
export { indexedDbAdapter } from './adapter';
export { deleteIndexedDbDatabase } from './connection';
export type { IndexedDbAdapterOptions, VersionChangeInfo } from './options';
