/**
 * Atomic writes: every operation of a batch is checked against the state the operations
 * before it leave (versions, taken ids, missing records), then unique indexes against the
 * batch's end state, and only then is anything applied — so a failed batch changes nothing.
 *
 * @internal
 * @module
 */
import { ConflictError, NotFoundError, StorageError } from '../../src/errors';
import type { StoredRecord, WriteOp } from '../../src/storage/adapter';
import type { PendingChange } from './change-log';
import type { StringPool } from './clone';
import { type CollectionState, uniqueViolation } from './collection';
import { keyText, recordKeys } from './keys';

/** A checked batch, ready to apply. */
export interface PreparedBatch {
  /** The end state of every record the batch touches (`null`: deleted), per collection. */
  states: Map<CollectionState, Map<string, StoredRecord | null>>;
  /** One change per operation, in order, without `seq`. */
  changes: PendingChange[];
}

function idOf(op: WriteOp): unknown {
  if (op.type === 'delete') return op.id;
  const record: unknown = op.record;
  return typeof record === 'object' && record !== null ? (record as { id?: unknown }).id : undefined;
}

/**
 * Check a batch without changing anything.
 * @throws {@link ConflictError}, {@link NotFoundError}, {@link ConstraintError} or {@link StorageError}.
 */
export function prepareBatch(collections: ReadonlyMap<string, CollectionState>, batch: readonly WriteOp[], pool: StringPool): PreparedBatch {
  if (!Array.isArray(batch)) throw new StorageError('write expects an array of operations');
  const states = new Map<CollectionState, Map<string, StoredRecord | null>>();
  const uniques = new Map<CollectionState, UniqueClaims[]>();
  const changes: PendingChange[] = [];
  let last: CollectionState | undefined;
  let state = new Map<string, StoredRecord | null>();
  let claims: UniqueClaims[] = [];
  const enter = (name: string): CollectionState => {
    const found = collections.get(name);
    if (found === undefined) throw new StorageError(`collection "${name}" was not declared when the storage was opened`, { collection: name });
    state = states.get(found) ?? new Map<string, StoredRecord | null>();
    states.set(found, state);
    claims = uniques.get(found) ?? uniqueClaimsOf(found);
    uniques.set(found, claims);
    last = found;
    return found;
  };
  for (const op of batch) {
    // Batches mostly run in one collection: look it up only when it changes.
    const collection = last !== undefined && last.name === op.collection ? last : enter(op.collection);
    const id = idOf(op);
    if (typeof id !== 'string' || id.length === 0) throw new StorageError(`a ${op.type} on ${op.collection} has no string id`, { collection: op.collection });
    const pending = state.get(id);
    const current = pending !== undefined ? pending : state.has(id) ? undefined : collection.records.get(id);
    if (op.type === 'insert') {
      if (current) throw new ConflictError(collection.name, id, 0, current.version);
    } else {
      const expected = op.expectedVersion;
      if (!current) {
        if (expected !== undefined) throw new ConflictError(collection.name, id, expected, 0);
        throw new NotFoundError(collection.name, id);
      }
      if (expected !== undefined && expected !== current.version) throw new ConflictError(collection.name, id, expected, current.version);
    }
    const record = op.type === 'delete' ? null : pool.cloneRecord(op.record);
    for (const claim of claims) claim.take(collection, state, id, pending ?? null, record);
    state.set(id, record);
    changes.push({ collection: collection.name, id, type: record === null ? 'delete' : 'put', version: record === null ? (current as StoredRecord).version : record.version, created: !current });
  }
  return { states, changes };
}

/** The keys of one unique index held by records the batch has written so far. */
interface UniqueClaims {
  /**
   * Check and record the keys of a record's new state, releasing those of its state earlier in
   * the batch. Checked operation by operation, as an IndexedDB transaction does, so a value
   * held at the moment of a write is refused even if a later operation would free it.
   */
  take(collection: CollectionState, state: ReadonlyMap<string, StoredRecord | null>, id: string, previous: StoredRecord | null, next: StoredRecord | null): void;
}

function uniqueClaimsOf(collection: CollectionState): UniqueClaims[] {
  const out: UniqueClaims[] = [];
  for (const index of collection.indexes.values()) {
    if (index.spec.unique !== true) continue;
    // Scalar keys are their own map keys (a Map tells 1 from '1'); compound keys need text.
    const mapKey = index.tree.width > 1 ? keyText : (key: unknown): unknown => key;
    const claimed = new Map<unknown, string>();
    out.push({
      take(c, state, id, previous, next) {
        if (previous !== null) {
          for (const key of recordKeys(index.spec, previous).keys) if (claimed.get(mapKey(key)) === id) claimed.delete(mapKey(key));
        }
        if (next === null) return;
        for (const key of recordKeys(index.spec, next).keys) {
          const other = claimed.get(mapKey(key));
          if (other !== undefined && other !== id) throw uniqueViolation(c.name, index.spec, id, key, other);
          if (index.tree.size > 0) {
            // A stored holder the batch has rewritten is judged by its claims instead.
            for (const holder of index.tree.idsWithKey(key)) {
              if (holder !== id && !state.has(holder)) throw uniqueViolation(c.name, index.spec, id, key, holder);
            }
          }
          claimed.set(mapKey(key), id);
        }
      },
    });
  }
  return out;
}
