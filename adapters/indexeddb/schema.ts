/**
 * The database layout: one object store per collection (keyPath `id`) with the declared
 * indexes as native indexes, a meta store (schema version, change counter) and the change
 * log. Also: comparing a schema with what a database holds, and migrating it in `upgrade`.
 *
 * @module
 */
import { StorageError } from '../../src/errors';
import type { CollectionSpec, IndexSpec, StorageSchema } from '../../src/storage/adapter';

/** Store of small values by key: the schema version and the change counter. */
export const META_STORE = '__rapport_meta';
/**
 * The change log of updates and deletes, one row per record (keyPath `[collection, id]`), so
 * writing a record's new change replaces its older one: the log compacts itself with no extra
 * read. The unique `seq` index serves `changes(since)` in commit order.
 */
export const CHANGES_STORE = '__rapport_changes';
/**
 * The change log of inserts: one row per committed batch that inserted records, keyed by the
 * `seq` of its last insert, holding every insert of the batch as parallel arrays
 * ({@link InsertLogRow}). An insert has no older change to replace, so it needs no row of its
 * own: a bulk create writes one log row per batch instead of a row and a `seq` index entry per
 * record, which halves the requests of creating a customer with its audit entry (4 → 2) and
 * cut Chromium's CPU time for the benchmark's create by about a fifth. An insert later
 * superseded by an update or delete stays here, so the feed may return it before the newer
 * change (the contract allows it); the log grows with the records ever inserted, as the
 * per-record log did.
 */
export const INSERTS_STORE = '__rapport_inserts';

/** A row of {@link INSERTS_STORE}: the inserts of one batch, in `seq` order. */
export interface InsertLogRow {
  /** The `seq` of the batch's last insert (the row's key). */
  last: number;
  /** Each insert's `seq`. */
  seqs: number[];
  /** Each insert's collection. */
  collections: string[];
  /** Each inserted record's id. */
  ids: string[];
  /** Each inserted record's version. */
  versions: number[];
}
/** The change log's index by `seq`. */
export const SEQ_INDEX = 'seq';
/** Meta key of the last assigned `seq`. */
export const SEQ_KEY = 'seq';
/** Meta key of the schema version that last wrote the database. */
export const SCHEMA_VERSION_KEY = 'schemaVersion';

/** A schema with every collection known to one adapter (several `open` calls merge here). */
export interface MergedSchema {
  /** The highest schema version declared. */
  version: number;
  /** Collections by name. */
  collections: Record<string, CollectionSpec>;
}

function checkCollection(name: string, spec: CollectionSpec): void {
  if (name.startsWith('__rapport')) throw new StorageError(`collection name "${name}" is reserved by the IndexedDB adapter`, { collection: name });
  const seen = new Set<string>();
  for (const index of spec.indexes) {
    if (seen.has(index.name)) throw new StorageError(`index "${index.name}" is declared twice on ${name}`, { collection: name });
    seen.add(index.name);
    if (index.fields.length === 0) throw new StorageError(`index "${index.name}" of ${name} names no field`, { collection: name });
    if (index.multiEntry && index.fields.length !== 1) {
      throw new StorageError(`index "${index.name}" of ${name} is multiEntry, so it takes exactly one field`, { collection: name });
    }
  }
}

/**
 * Merge a schema into what an adapter already serves. Engines sharing an adapter each declare
 * what they need, so a collection keeps the union of the indexes declared for it; an index
 * declared again under the same name with other fields takes the newer definition (a schema
 * evolving between two `open` calls).
 * @throws {@link StorageError} for a reserved collection name or a malformed index.
 */
export function mergeSchema(current: MergedSchema | undefined, next: StorageSchema): MergedSchema {
  const out: MergedSchema = { version: Math.max(current?.version ?? 1, next.version ?? 1), collections: { ...current?.collections } };
  for (const [name, spec] of Object.entries(next.collections)) {
    checkCollection(name, spec);
    const declared = spec.indexes.map((i) => ({ ...i, fields: [...i.fields] }));
    const kept = (out.collections[name]?.indexes ?? []).filter((i) => !declared.some((j) => j.name === i.name));
    out.collections[name] = { indexes: [...kept, ...declared] };
  }
  return out;
}

function keyPathOf(index: IndexSpec): string | string[] {
  return index.fields.length === 1 ? (index.fields[0] as string) : index.fields;
}

function matchesNative(native: IDBIndex, spec: IndexSpec): boolean {
  const path = native.keyPath;
  const fields = Array.isArray(path) ? path : [path];
  return fields.join('\u0000') === spec.fields.join('\u0000') && Array.isArray(path) === spec.fields.length > 1 && native.unique === !!spec.unique && native.multiEntry === !!spec.multiEntry;
}

/** Whether the database lacks a store or index of the schema, or holds a declared index defined otherwise. */
export function needsUpgrade(db: IDBDatabase, schema: MergedSchema): boolean {
  const names = [META_STORE, CHANGES_STORE, INSERTS_STORE, ...Object.keys(schema.collections)];
  if (names.some((n) => !db.objectStoreNames.contains(n))) return true;
  const tx = db.transaction(Object.keys(schema.collections).length ? Object.keys(schema.collections) : [META_STORE], 'readonly');
  for (const [name, spec] of Object.entries(schema.collections)) {
    const store = tx.objectStore(name);
    if (store.indexNames.length !== spec.indexes.length) return true;
    for (const index of spec.indexes) {
      if (!store.indexNames.contains(index.name) || !matchesNative(store.index(index.name), index)) return true;
    }
  }
  return false;
}

/**
 * Bring the database to the schema inside a `versionchange` transaction. Declared
 * collections get exactly the declared indexes (IndexedDB fills a new index from the records
 * already stored); collections the schema does not name are left as they are, records and all.
 */
export function applySchema(db: IDBDatabase, tx: IDBTransaction, schema: MergedSchema): void {
  if (!db.objectStoreNames.contains(META_STORE)) db.createObjectStore(META_STORE);
  if (!db.objectStoreNames.contains(CHANGES_STORE)) {
    db.createObjectStore(CHANGES_STORE, { keyPath: ['collection', 'id'] }).createIndex(SEQ_INDEX, 'seq', { unique: true });
  }
  // Databases written before the insert log had every change in CHANGES_STORE; those rows are
  // still read, so nothing is migrated.
  if (!db.objectStoreNames.contains(INSERTS_STORE)) db.createObjectStore(INSERTS_STORE, { keyPath: 'last' });
  for (const [name, spec] of Object.entries(schema.collections)) {
    const store = db.objectStoreNames.contains(name) ? tx.objectStore(name) : db.createObjectStore(name, { keyPath: 'id' });
    for (const existing of Array.from(store.indexNames)) {
      const declared = spec.indexes.find((i) => i.name === existing);
      if (declared === undefined || !matchesNative(store.index(existing), declared)) store.deleteIndex(existing);
    }
    for (const index of spec.indexes) {
      if (!store.indexNames.contains(index.name)) {
        store.createIndex(index.name, keyPathOf(index), { unique: !!index.unique, multiEntry: !!index.multiEntry });
      }
    }
  }
}
