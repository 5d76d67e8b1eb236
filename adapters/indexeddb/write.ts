/**
 * Atomic write batches: one readwrite transaction over every store involved. Version checks
 * read inside that transaction, and nothing but IndexedDB requests is awaited, so the
 * transaction cannot commit half-way. Requests are issued without awaiting each one: the
 * batch waits on its last read, then on the commit.
 *
 * @module
 */
import { ConflictError, ConstraintError, NotFoundError, StorageError } from '../../src/errors';
import type { Change, IndexSpec, StoredRecord, WriteOp } from '../../src/storage/adapter';
import { compareKeysIdb, indexKeysOf } from './keys';
import { committed, settled, storageFailure } from './requests';
import { CHANGES_STORE, INSERTS_STORE, META_STORE, SEQ_KEY } from './schema';
import type { InsertLogRow, MergedSchema } from './schema';

const opId = (op: WriteOp): string => (op.type === 'delete' ? op.id : op.record.id);
const slot = (collection: string, id: string): string => `${collection}\u0000${id}`;

function checkOp(op: WriteOp, schema: MergedSchema): void {
  if (schema.collections[op.collection] === undefined) {
    throw new StorageError(`collection ${op.collection} is not declared in the schema given to open()`, { collection: op.collection });
  }
  const id = opId(op);
  if (typeof id !== 'string' || id.length === 0) throw new StorageError(`a ${op.type} in ${op.collection} has no string id`, { collection: op.collection });
}

/**
 * Commit a batch and return its changes.
 * @throws {@link ConflictError}, {@link NotFoundError}, {@link ConstraintError} or
 * {@link StorageError}; on any of them nothing was written.
 */
export async function writeBatch(db: IDBDatabase, schema: MergedSchema, batch: readonly WriteOp[]): Promise<Change[]> {
  if (batch.length === 0) return [];
  for (const op of batch) checkOp(op, schema);
  const collections = [...new Set(batch.map((op) => op.collection))];
  const tx = db.transaction([...collections, CHANGES_STORE, INSERTS_STORE, META_STORE], 'readwrite');
  // Listen from the start, so an abort at any step is seen (and never reported as unhandled).
  let failedRequest: IDBRequest | undefined;
  const done = committed(tx, (r) => (failedRequest = r));
  done.catch(() => undefined);
  try {
    // Phase 1: read what the checks need. Inserts need no read: `add` refuses a taken id.
    const reads = new Map<string, IDBRequest>();
    for (const op of batch) {
      const key = slot(op.collection, opId(op));
      if (op.type !== 'insert' && !reads.has(key)) reads.set(key, tx.objectStore(op.collection).get(opId(op)));
    }
    const seqRequest = tx.objectStore(META_STORE).get(SEQ_KEY);
    await settled(tx, seqRequest);

    // Phase 2: check every operation against the state the batch has built so far.
    const state = new Map<string, StoredRecord | null>();
    const changes: Change[] = [];
    let seq = (seqRequest.result as number | undefined) ?? 0;
    for (const op of batch) {
      const id = opId(op);
      const key = slot(op.collection, id);
      const current = state.has(key) ? state.get(key) : (reads.get(key)?.result as StoredRecord | undefined);
      if (op.type === 'insert') {
        if (current) throw new ConflictError(op.collection, id, 0, current.version);
        state.set(key, op.record);
        changes.push({ seq: ++seq, collection: op.collection, id, type: 'put', version: op.record.version });
        continue;
      }
      if (!current) {
        if (op.expectedVersion !== undefined) throw new ConflictError(op.collection, id, op.expectedVersion, 0);
        throw new NotFoundError(op.collection, id);
      }
      if (op.expectedVersion !== undefined && op.expectedVersion !== current.version) {
        throw new ConflictError(op.collection, id, op.expectedVersion, current.version);
      }
      state.set(key, op.type === 'update' ? op.record : null);
      changes.push({ seq: ++seq, collection: op.collection, id, type: op.type === 'update' ? 'put' : 'delete', version: op.type === 'update' ? op.record.version : current.version });
    }

    // Phase 3: issue every write at once and wait for the commit. Inserts are logged together
    // in one row; updates and deletes replace their record's row in the compacted log.
    const writes: IDBRequest[] = [];
    const stores = new Map<string, IDBObjectStore>();
    let log: IDBObjectStore | undefined;
    const inserts: InsertLogRow = { last: 0, seqs: [], collections: [], ids: [], versions: [] };
    for (let i = 0; i < batch.length; i++) {
      const op = batch[i] as WriteOp;
      const change = changes[i] as Change;
      let store = stores.get(op.collection);
      if (store === undefined) stores.set(op.collection, (store = tx.objectStore(op.collection)));
      if (op.type === 'insert') {
        writes.push(store.add(op.record));
        inserts.seqs.push(change.seq);
        inserts.collections.push(change.collection);
        inserts.ids.push(change.id);
        inserts.versions.push(change.version);
        continue;
      }
      writes.push(op.type === 'update' ? store.put(op.record) : store.delete(op.id));
      (log ??= tx.objectStore(CHANGES_STORE)).put(change);
    }
    if (inserts.seqs.length > 0) {
      inserts.last = inserts.seqs[inserts.seqs.length - 1] as number;
      tx.objectStore(INSERTS_STORE).put(inserts);
    }
    tx.objectStore(META_STORE).put(seq, SEQ_KEY);
    try {
      await done;
    } catch (e) {
      const at = failedRequest === undefined ? -1 : writes.indexOf(failedRequest);
      const op = batch[at];
      throw op !== undefined && op.type !== 'delete' && e instanceof DOMException && e.name === 'ConstraintError'
        ? await explainConstraint(db, schema, batch, at, e)
        : e;
    }
    return changes;
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // Already finished (aborted by IndexedDB itself).
    }
    throw storageFailure('the write batch failed and nothing was written', e, undefined);
  }
}

/**
 * Say why an `add` or `put` broke a constraint: the id is taken (an insert), or a unique index
 * already holds the key — by a stored record, or by an earlier record of the same batch.
 */
async function explainConstraint(db: IDBDatabase, schema: MergedSchema, batch: readonly WriteOp[], at: number, cause: DOMException): Promise<Error> {
  const op = batch[at] as Exclude<WriteOp, { type: 'delete' }>;
  const { collection, record } = op;
  const unique = (schema.collections[collection]?.indexes ?? []).filter((i) => i.unique);
  const tx = db.transaction(collection, 'readonly');
  const store = tx.objectStore(collection);
  const existing = op.type === 'insert' ? store.get(record.id) : undefined;
  const holders = unique.map((spec) => ({ spec, requests: indexKeysOf(record, spec).map((k) => store.index(spec.name).getKey(k)) }));
  const last = [existing, ...holders.flatMap((h) => h.requests)].filter((r) => r !== undefined).pop();
  if (last !== undefined) await settled(tx, last);
  const stored = existing?.result as StoredRecord | undefined;
  // Was the id freed earlier in the batch? Then the stored record does not count.
  const freed = batch.slice(0, at).some((o) => o.type === 'delete' && o.collection === collection && o.id === record.id);
  if (stored !== undefined && !freed) return new ConflictError(collection, record.id, 0, stored.version, { cause });
  for (const { spec, requests } of holders) {
    for (const r of requests) {
      const holder = r.result as string | undefined;
      if (holder !== undefined && holder !== record.id && !touchedBefore(batch, at, collection, holder)) return uniqueError(collection, record.id, spec, holder, cause);
    }
    const inBatch = batchHolder(batch, at, collection, record, spec);
    if (inBatch !== undefined) return uniqueError(collection, record.id, spec, inBatch, cause);
  }
  return new StorageError(`writing ${collection} ${record.id} broke a constraint`, { collection, recordId: record.id, cause });
}

/** Whether an earlier operation of the batch rewrote or removed a record (so its stored keys are stale). */
function touchedBefore(batch: readonly WriteOp[], at: number, collection: string, id: string): boolean {
  return batch.slice(0, at).some((o) => o.collection === collection && opId(o) === id);
}

/** The record an earlier operation of the batch left holding the same unique key, if any. */
function batchHolder(batch: readonly WriteOp[], at: number, collection: string, record: StoredRecord, spec: IndexSpec): string | undefined {
  const keys = indexKeysOf(record, spec);
  const latest = new Map<string, StoredRecord | null>();
  for (const o of batch.slice(0, at)) if (o.collection === collection) latest.set(opId(o), o.type === 'delete' ? null : o.record);
  for (const [id, r] of latest) {
    if (id === record.id || r === null) continue;
    if (indexKeysOf(r, spec).some((k) => keys.some((m) => compareKeysIdb(k, m) === 0))) return id;
  }
  return undefined;
}

function uniqueError(collection: string, id: string, spec: IndexSpec, holder: string, cause: unknown): ConstraintError {
  return new ConstraintError(
    `${spec.fields.join(', ')} of ${collection} ${id} must be unique (index ${spec.name}), but ${holder} already holds the value`,
    { constraint: 'unique', index: spec.name, fields: [...spec.fields], conflictingIds: [holder] },
    { collection, recordId: id, cause },
  );
}
