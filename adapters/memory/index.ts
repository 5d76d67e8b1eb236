/**
 * `rapport/memory`: the in-memory storage adapter, the embedded default.
 * @module
 */
export { memoryAdapter } from './memory';
export type { MemoryAdapterOptions } from './memory';
