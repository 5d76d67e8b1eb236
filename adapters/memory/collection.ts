/**
 * One collection of the memory adapter: its records by id, the primary order by id, and its
 * secondary indexes, kept in step with every write.
 *
 * @internal
 * @module
 */
import { ConstraintError } from '../../src/errors';
import type { IndexSpec, StoredRecord } from '../../src/storage/adapter';
import { type RecordKeys, keyText, recordKeys, sameKeys } from './keys';
import { SortedIndex } from './sorted-index';

/** A secondary index and what the planner needs to know about it. */
export interface IndexState {
  /** The declaration. */
  readonly spec: IndexSpec;
  /** Entries `(key, id)`. */
  readonly tree: SortedIndex;
  /** Ids of records an indexed condition could match that are not in the tree (see {@link RecordKeys.outlier}). */
  readonly outliers: Set<string>;
  /** Ids of records whose leading field holds a value that is no key (see {@link RecordKeys.unkeyed}). */
  readonly unkeyed: Set<string>;
}

/** A collection's data and indexes. */
export interface CollectionState {
  /** The collection's name. */
  readonly name: string;
  /** The one stored copy of each record. */
  readonly records: Map<string, StoredRecord>;
  /** Every id, in id order. */
  readonly primary: SortedIndex;
  /** Secondary indexes by name. */
  readonly indexes: Map<string, IndexState>;
}

/** An empty collection. */
export function createCollection(name: string): CollectionState {
  return { name, records: new Map(), primary: new SortedIndex(0), indexes: new Map() };
}

/** Whether two declarations describe the same index. */
export function sameSpec(a: IndexSpec, b: IndexSpec): boolean {
  return (
    a.fields.length === b.fields.length &&
    a.fields.every((f, i) => f === b.fields[i]) &&
    (a.unique ?? false) === (b.unique ?? false) &&
    (a.multiEntry ?? false) === (b.multiEntry ?? false)
  );
}

/**
 * Build an index over the collection's current records.
 * @throws {@link ConstraintError} when a unique index finds a key held twice.
 */
export function buildIndex(collection: CollectionState, spec: IndexSpec): IndexState {
  const index: IndexState = { spec: { ...spec, fields: [...spec.fields] }, tree: new SortedIndex(spec.multiEntry === true ? 1 : spec.fields.length), outliers: new Set(), unkeyed: new Set() };
  const keys: unknown[] = [];
  const ids: string[] = [];
  for (const record of collection.records.values()) {
    const rk = recordKeys(index.spec, record);
    if (rk.outlier) index.outliers.add(record.id);
    if (rk.unkeyed === true) index.unkeyed.add(record.id);
    for (const k of rk.keys) {
      keys.push(k);
      ids.push(record.id);
    }
  }
  index.tree.insertMany(keys, ids);
  if (spec.unique === true) {
    let previous: { key: string; id: string } | undefined;
    index.tree.entries((id, key) => {
      const text = keyText(key);
      if (previous !== undefined && previous.key === text && previous.id !== id) {
        throw uniqueViolation(collection.name, index.spec, id, key, previous.id);
      }
      previous = { key: text, id };
    });
  }
  return index;
}

/** The error for a unique key already held by another record. */
export function uniqueViolation(collection: string, spec: IndexSpec, id: string, key: unknown, holder: string): ConstraintError {
  return new ConstraintError(
    `${collection} ${id}: ${spec.fields.join(', ')} ${keyText(key)} is already taken by ${holder} (unique index "${spec.name}")`,
    { constraint: 'unique', index: spec.name, fields: [...spec.fields], conflictingIds: [holder] },
    { collection, recordId: id },
  );
}

/** Index changes gathered over a batch, applied per index in one go. */
interface IndexDelta {
  index: IndexState;
  removeKeys: unknown[];
  removeIds: string[];
  addKeys: unknown[];
  addIds: string[];
  outliersOut: string[];
  outliersIn: string[];
  unkeyedOut: string[];
  unkeyedIn: string[];
}

const NO_KEYS: RecordKeys = { keys: [], outlier: false };

/**
 * Replace records' states: `after` is the new record (stored as given, already copied) or
 * `null` to delete. Indexes are updated per index, in bulk, after all records are in place.
 */
export function applyStates(collection: CollectionState, states: ReadonlyMap<string, StoredRecord | null>): void {
  const deltas: IndexDelta[] = [];
  for (const index of collection.indexes.values()) {
    deltas.push({ index, removeKeys: [], removeIds: [], addKeys: [], addIds: [], outliersOut: [], outliersIn: [], unkeyedOut: [], unkeyedIn: [] });
  }
  const newIds: string[] = [];
  for (const [id, after] of states) {
    const before = collection.records.get(id);
    if (before === undefined && after === null) continue;
    for (let d = 0; d < deltas.length; d++) {
      const delta = deltas[d] as IndexDelta;
      const spec = delta.index.spec;
      const old = before === undefined ? NO_KEYS : recordKeys(spec, before);
      const now = after === null ? NO_KEYS : recordKeys(spec, after);
      if (sameKeys(old, now)) continue;
      for (const k of old.keys) {
        delta.removeKeys.push(k);
        delta.removeIds.push(id);
      }
      for (const k of now.keys) {
        delta.addKeys.push(k);
        delta.addIds.push(id);
      }
      if (old.outlier) delta.outliersOut.push(id);
      if (now.outlier) delta.outliersIn.push(id);
      if (old.unkeyed === true) delta.unkeyedOut.push(id);
      if (now.unkeyed === true) delta.unkeyedIn.push(id);
    }
    if (after === null) {
      collection.records.delete(id);
      collection.primary.delete(undefined, id);
    } else {
      if (before === undefined) newIds.push(id);
      collection.records.set(id, after);
    }
  }
  collection.primary.insertMany(new Array<unknown>(newIds.length), newIds);
  for (const { index, removeKeys, removeIds, addKeys, addIds, outliersOut, outliersIn, unkeyedOut, unkeyedIn } of deltas) {
    for (let i = 0; i < removeIds.length; i++) index.tree.delete(removeKeys[i], removeIds[i] as string);
    index.tree.insertMany(addKeys, addIds);
    for (const id of outliersOut) index.outliers.delete(id);
    for (const id of outliersIn) index.outliers.add(id);
    for (const id of unkeyedOut) index.unkeyed.delete(id);
    for (const id of unkeyedIn) index.unkeyed.add(id);
  }
}
