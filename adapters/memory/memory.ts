/**
 * The memory adapter: records in maps, secondary indexes in sorted chunked arrays, a planner
 * that answers through them, and a compacted change feed. The embedded default.
 *
 * @module
 */
import { StorageError } from '../../src/errors';
import { normalizeQuery, validateFilter } from '../../src/query/validate';
import type { Filter, StorageQuery } from '../../src/query/types';
import { aggregateInStoredOrder, validateAggregation } from '../../src/storage/aggregate';
import type { AggregateRow, Aggregation, Change, ChangesPage, QueryPlan, StorageAdapter, StorageSchema, StoredRecord, WriteResult } from '../../src/storage/adapter';
import { createChangeLog } from './change-log';
import { StringPool, cloneJson } from './clone';
import { type CollectionState, applyStates, buildIndex, createCollection, sameSpec } from './collection';
import { aggregateCollection, countMatching, runQuery } from './execute';
import { bestSource } from './planner';
import { prepareBatch } from './write';

/** Options of {@link memoryAdapter}. */
export interface MemoryAdapterOptions {
  /**
   * Called with the error when a `subscribe` listener throws. The write has committed by then
   * and the other listeners still run; this only decides where the error is reported.
   * @defaultValue reports it with `console.error`
   */
  onListenerError?: ((error: unknown) => void) | undefined;
}

const VALIDATION = { allowInternal: true } as const;

/**
 * `aggregate` reads every record in order rather than its index candidates once these are
 * more than 1 / SEQUENTIAL_SHARE of the collection (measured on 100k deals: an index walk
 * costs about four to eight sequential reads per candidate).
 */
const SEQUENTIAL_SHARE = 4;

/**
 * Make a storage adapter that keeps everything in memory: fast, with indexes and a change
 * feed, and gone when the process ends. Data lives as long as the adapter object, so several
 * Crm instances may share one adapter (each calls `open`, which only adds what is new).
 *
 * - Records handed out and records stored are copies.
 * - `write` is atomic and notifies subscribers synchronously after the commit, before its
 *   promise resolves; a listener that throws is reported through `onListenerError`.
 * - `changes(since)` keeps the latest change of each record (tombstones included); when no
 *   change follows `since`, `lastSeq` is `since` itself.
 * - `open` adds new collections and indexes (an index declared again with other fields is
 *   rebuilt) and never drops data. `open` and `close` are counted: the adapter closes when every `open` has been matched by
 *   a `close`, and may be opened again with its data intact.
 *
 * @param options - see {@link MemoryAdapterOptions}.
 * @example
 * ```ts
 * import { memoryAdapter } from 'rapport/memory';
 * const storage = memoryAdapter();
 * await storage.open({ collections: { notes: { indexes: [{ name: 'topic', fields: ['topic'] }] } } });
 * await storage.write([{ type: 'insert', collection: 'notes', record: { id: 'n1', version: 1, topic: 'crm' } }]);
 * const page = await storage.query('notes', { where: { field: 'topic', op: 'eq', value: 'crm' } });
 * ```
 */
export function memoryAdapter(options: MemoryAdapterOptions = {}): StorageAdapter {
  const collections = new Map<string, CollectionState>();
  const log = createChangeLog();
  // Short strings repeated across stored records are kept once (see StringPool).
  const pool = new StringPool();
  const listeners = new Set<(changes: readonly Change[]) => void>();
  const onListenerError = options.onListenerError ?? ((error: unknown) => console.error('rapport memory adapter: a change listener threw', error));
  let opens = 0;

  function collectionOf(name: string): CollectionState {
    if (opens === 0) throw new StorageError('the memory storage is not open: call open(schema) first', { collection: name });
    const collection = collections.get(name);
    if (collection === undefined) throw new StorageError(`collection "${name}" was not declared when the storage was opened`, { collection: name });
    return collection;
  }

  function ensureOpen(): void {
    if (opens === 0) throw new StorageError('the memory storage is not open: call open(schema) first');
  }

  function checkFilter(where: Filter | undefined): void {
    if (where !== undefined) validateFilter(where, VALIDATION);
  }

  function notify(changes: readonly Change[]): void {
    if (changes.length === 0 || listeners.size === 0) return;
    const delivered = Object.freeze(changes.map((c) => Object.freeze({ ...c })));
    // A snapshot, so listeners that unsubscribe (or subscribe) while notified do not skew the loop.
    for (const listener of [...listeners]) {
      try {
        listener(delivered);
      } catch (error: unknown) {
        onListenerError(error);
      }
    }
  }

  return {
    name: 'memory',
    capabilities: { persistent: false, liveChanges: true, aggregate: true },

    async open(schema: StorageSchema): Promise<void> {
      if (typeof schema !== 'object' || schema === null || typeof schema.collections !== 'object' || schema.collections === null) {
        throw new StorageError('open expects a schema with collections');
      }
      // Build every new index first, so a unique index that the data breaks leaves nothing half-declared.
      const created = new Map<string, CollectionState>();
      const built: [CollectionState, ReturnType<typeof buildIndex>][] = [];
      for (const [name, spec] of Object.entries(schema.collections)) {
        let collection = collections.get(name);
        if (collection === undefined) {
          collection = createCollection(name);
          created.set(name, collection);
        }
        const names = new Set<string>();
        for (const index of spec.indexes) {
          if (names.has(index.name)) throw new StorageError(`collection "${name}" declares index "${index.name}" twice`, { collection: name });
          names.add(index.name);
          if (index.fields.length === 0) throw new StorageError(`index "${index.name}" of ${name} has no fields`, { collection: name });
          if (index.multiEntry === true && index.fields.length !== 1) throw new StorageError(`multi-entry index "${index.name}" of ${name} must have exactly one field`, { collection: name });
          const existing = collection.indexes.get(index.name);
          if (existing !== undefined && sameSpec(existing.spec, index)) continue;
          built.push([collection, buildIndex(collection, index)]);
        }
      }
      for (const [name, collection] of created) collections.set(name, collection);
      for (const [collection, index] of built) collection.indexes.set(index.spec.name, index);
      opens++;
    },

    async get(collection: string, ids: readonly string[]): Promise<(StoredRecord | undefined)[]> {
      const c = collectionOf(collection);
      return ids.map((id) => {
        const record = c.records.get(id);
        return record === undefined ? undefined : cloneJson(record);
      });
    },

    async query(collection: string, query: StorageQuery): Promise<{ items: StoredRecord[]; nextCursor?: string }> {
      const c = collectionOf(collection);
      if (query.select !== undefined && (!Array.isArray(query.select) || !query.select.every((f) => typeof f === 'string'))) throw new StorageError('select is a list of field names', { collection });
      const { items, nextCursor } = runQuery(c, normalizeQuery(collection, query, VALIDATION), query);
      return nextCursor === undefined ? { items } : { items, nextCursor };
    },

    async explain(collection: string, query: StorageQuery): Promise<QueryPlan> {
      const c = collectionOf(collection);
      return runQuery(c, normalizeQuery(collection, query, VALIDATION)).plan;
    },

    async count(collection: string, where?: Filter): Promise<number> {
      const c = collectionOf(collection);
      checkFilter(where);
      return countMatching(c, where);
    },

    async aggregate(collection: string, aggregation: Aggregation): Promise<AggregateRow[]> {
      const c = collectionOf(collection);
      validateAggregation(aggregation);
      // Reading records in map order is several times cheaper per record than looking each
      // id up from an index walk (the lookups miss the CPU caches), so an aggregate whose
      // candidates are a large share of the collection reads them all in that order. Where
      // the order could show in the result and map order is not id order, the ordered walk
      // below answers instead.
      const source = bestSource(c, aggregation.where);
      if (source === undefined || source.estimate * SEQUENTIAL_SHARE >= c.records.size) {
        const rows = aggregateInStoredOrder(c.records, aggregation);
        // Group values may be objects read from stored records: hand out copies.
        if (rows !== undefined) return cloneJson(rows);
      }
      return aggregateCollection(c, aggregation);
    },

    async write(batch): Promise<WriteResult> {
      ensureOpen();
      const prepared = prepareBatch(collections, batch, pool);
      for (const [collection, states] of prepared.states) applyStates(collection, states);
      const changes = log.append(prepared.changes);
      notify(changes);
      return { changes };
    },

    async changes(sinceSeq: number, limit = 1000): Promise<ChangesPage> {
      ensureOpen();
      if (!Number.isFinite(sinceSeq) || !Number.isInteger(limit) || limit < 1) {
        throw new StorageError(`changes expects a checkpoint number and a positive whole limit, got ${String(sinceSeq)} and ${String(limit)}`);
      }
      const changes = log.since(sinceSeq, limit);
      const last = changes[changes.length - 1];
      return { changes, lastSeq: last === undefined ? sinceSeq : last.seq };
    },

    subscribe(listener: (changes: readonly Change[]) => void): () => void {
      // Distinct wrappers, so the same function subscribed twice is called twice and unsubscribed once each.
      const entry = (changes: readonly Change[]): void => listener(changes);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },

    async close(): Promise<void> {
      if (opens === 0) return;
      opens--;
      if (opens === 0) listeners.clear();
    },
  };
}
