/**
 * `indexedDbAdapter()`: rapport's storage in the browser's IndexedDB, built on `idb`.
 *
 * @module
 */
import { wrap } from 'idb';
import { StorageError } from '../../src/errors';
import { normalizeQuery } from '../../src/query/validate';
import type { Filter, StorageQuery } from '../../src/query/types';
import type { Aggregation, StorageAdapter, StorageSchema, StoredRecord, WriteOp } from '../../src/storage/adapter';
import { openDatabase } from './connection';
import { DEFAULT_CHANGES_LIMIT, liveFeed, readChanges } from './feed';
import type { IndexedDbAdapterOptions, VersionChangeInfo } from './options';
import { runAggregate, runCount, runQuery } from './query';
import type { QueryScope } from './query';
import { storageFailure } from './requests';
import { META_STORE, mergeSchema, needsUpgrade } from './schema';
import type { MergedSchema } from './schema';
import { writeBatch } from './write';

/**
 * A storage adapter on IndexedDB: one object store per collection, declared indexes as native
 * indexes, atomic batches in one transaction, a compacted change log, and live changes across
 * tabs over a `BroadcastChannel`.
 *
 * @param options - the database name and how to handle other tabs.
 * @returns an adapter to pass as `createCrm({ storage })`; call `open(schema)` first.
 *
 * @example
 * ```ts
 * import { createCrm } from 'rapport';
 * import { indexedDbAdapter } from 'rapport/indexeddb';
 *
 * const crm = await createCrm({
 *   storage: indexedDbAdapter({
 *     name: 'crm',
 *     onVersionChange: () => location.reload(), // a newer tab upgraded the database
 *   }),
 * });
 * ```
 */
export function indexedDbAdapter(options: IndexedDbAdapterOptions): StorageAdapter {
  const { name } = options;
  const feed = liveFeed(options.onListenerError ?? ((error) => console.error('rapport indexeddb adapter: a change listener threw', error)));
  const facts: QueryScope['facts'] = new Map();
  let schema: MergedSchema | undefined;
  let db: IDBDatabase | undefined;
  let closedBecause: string | undefined;
  let opening: Promise<void> = Promise.resolve();
  // Engines sharing the adapter each open and close it: the last close releases it.
  let opens = 0;

  const lost = (reason: string, info: VersionChangeInfo | undefined): void => {
    db?.close();
    db = undefined;
    closedBecause = reason;
    opens = 0; // whoever reconnects opens afresh
    feed.disconnect();
    try {
      if (info !== undefined) options.onVersionChange?.(info);
      options.onClose?.(reason);
    } catch (error) {
      console.error('rapport indexeddb adapter: onVersionChange/onClose threw', error);
    }
  };

  const attach = (connection: IDBDatabase): void => {
    db = connection;
    closedBecause = undefined;
    connection.onversionchange = (event) => {
      lost(`another connection is upgrading IndexedDB database "${name}" (a newer version of the app in another tab?); reopen to continue`, {
        oldVersion: event.oldVersion,
        newVersion: event.newVersion,
      });
    };
    connection.onclose = () => lost(`the browser closed IndexedDB database "${name}" (storage cleared or the disk failed)`, undefined);
  };

  /** The open connection, once any open() in progress has finished (so a second engine's open never fails the first one's calls). */
  const connection = async (): Promise<{ db: IDBDatabase; schema: MergedSchema }> => {
    await opening;
    if (db === undefined || schema === undefined) {
      throw new StorageError(closedBecause ?? `IndexedDB database "${name}" is not open; call open(schema) first`);
    }
    return { db, schema };
  };

  const keyRange = (): typeof IDBKeyRange => {
    const range = options.IDBKeyRange ?? globalThis.IDBKeyRange;
    if (range === undefined) throw new StorageError('IndexedDB is not available here; pass indexedDB and IDBKeyRange options');
    return range;
  };

  /** Run a read in a fresh readonly transaction over a collection, mapping platform failures. */
  const read = async <T>(collection: string, run: (scope: QueryScope) => Promise<T>): Promise<T> => {
    const { db: current, schema: s } = await connection();
    const spec = s.collections[collection];
    if (spec === undefined) throw new StorageError(`collection ${collection} is not declared in the schema given to open()`, { collection });
    try {
      const tx = current.transaction([collection, META_STORE], 'readonly');
      return await run({ tx, store: collection, keyRange: keyRange(), indexes: spec.indexes, facts });
    } catch (e) {
      throw storageFailure(`reading ${collection} from IndexedDB failed`, e, collection);
    }
  };

  const adapter: StorageAdapter = {
    name: 'indexeddb',
    capabilities: { persistent: true, liveChanges: options.broadcast !== false, aggregate: true },

    open(next: StorageSchema): Promise<void> {
      // Opens are chained: engines sharing the adapter may call open() concurrently.
      const run = opening.then(async () => {
        const factory = options.indexedDB ?? globalThis.indexedDB;
        if (factory === undefined) throw new StorageError('IndexedDB is not available here; pass the indexedDB option');
        const merged = mergeSchema(schema, next);
        if (db !== undefined && schema !== undefined && merged.version === schema.version && !needsUpgrade(db, merged)) {
          schema = merged; // another engine declaring what is already there
          opens++;
          return;
        }
        // This adapter's own connection would block its upgrade: release it first (closing it
        // ourselves fires no versionchange, so the host is not told of a change of its own).
        const previous = db !== undefined ? schema : undefined;
        db?.close();
        db = undefined;
        const request = { factory, name, blockedTimeoutMs: options.blockedTimeoutMs ?? 10_000 };
        let opened: IDBDatabase;
        try {
          opened = await openDatabase(request, merged);
        } catch (error) {
          // A failed upgrade must not take the engines already using the adapter down with it.
          if (previous !== undefined) attach(await openDatabase(request, previous).catch(() => Promise.reject(error)));
          throw error;
        }
        schema = merged;
        facts.clear();
        attach(opened);
        feed.connect(name, options.broadcast !== false);
        opens++;
      });
      opening = run.catch(() => undefined);
      return run;
    },

    async get(collection: string, ids: readonly string[]): Promise<(StoredRecord | undefined)[]> {
      const { db: current, schema: s } = await connection();
      if (s.collections[collection] === undefined) throw new StorageError(`collection ${collection} is not declared in the schema given to open()`, { collection });
      if (ids.length === 0) return [];
      try {
        const tx = wrap(current).transaction(collection, 'readonly');
        return (await Promise.all(ids.map((id) => tx.store.get(id)))) as (StoredRecord | undefined)[];
      } catch (e) {
        throw storageFailure(`reading ${collection} from IndexedDB failed`, e, collection);
      }
    },

    async query(collection: string, query: StorageQuery) {
      const q = normalizeQuery(collection, query, { allowInternal: true });
      const { items, nextCursor } = await read(collection, (scope) => runQuery(scope, q));
      return nextCursor === undefined ? { items } : { items, nextCursor };
    },

    async explain(collection: string, query: StorageQuery) {
      const q = normalizeQuery(collection, query, { allowInternal: true });
      return (await read(collection, (scope) => runQuery(scope, q))).plan;
    },

    async count(collection: string, where?: Filter): Promise<number> {
      if (where !== undefined) normalizeQuery(collection, { where, limit: 1 }, { allowInternal: true });
      return read(collection, (scope) => runCount(scope, where));
    },

    async aggregate(collection: string, aggregation: Aggregation) {
      if (aggregation.where !== undefined) normalizeQuery(collection, { where: aggregation.where, limit: 1 }, { allowInternal: true });
      return read(collection, (scope) => runAggregate(scope, aggregation));
    },

    async write(batch: readonly WriteOp[]) {
      const { db: current, schema: s } = await connection();
      let changes;
      try {
        changes = await writeBatch(current, s, batch);
      } catch (e) {
        throw storageFailure('writing to IndexedDB failed; nothing was written', e);
      }
      feed.publish(changes);
      return { changes };
    },

    async changes(sinceSeq: number, limit = DEFAULT_CHANGES_LIMIT) {
      const { db: current } = await connection();
      try {
        return await readChanges(current, keyRange(), sinceSeq, limit);
      } catch (e) {
        throw storageFailure('reading the change feed from IndexedDB failed', e);
      }
    },

    subscribe: (listener) => feed.subscribe(listener),

    async close(): Promise<void> {
      await opening;
      if (opens > 1) {
        opens--;
        return;
      }
      opens = 0;
      feed.disconnect();
      db?.close();
      db = undefined;
      closedBecause = `IndexedDB database "${name}" was closed`;
    },
  };
  return adapter;
}
