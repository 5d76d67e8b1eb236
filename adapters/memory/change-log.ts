/**
 * The change feed of the memory adapter: every committed change with its `seq`, compacted so
 * that only the latest change of each record (tombstones included) is kept. Memory then grows
 * with the number of records ever written, not with the number of writes.
 *
 * @internal
 * @module
 */
import type { Change } from '../../src/storage/adapter';

/** A change about to be logged. */
export type PendingChange = Omit<Change, 'seq'> & {
  /** The record did not exist before this change (it may have existed and been deleted earlier). */
  created: boolean;
};

/** The change feed. */
export interface ChangeLog {
  /** The seq of the last committed change (0 before any). */
  readonly head: number;
  /** Record changes (without `seq`) in commit order; returns them with their `seq`. */
  append(changes: readonly PendingChange[]): Change[];
  /** Up to `limit` changes with `seq > since`, oldest first. */
  since(since: number, limit: number): Change[];
}

/**
 * A new, empty change feed. Entries are kept as columns (seq, collection, id, kind, version)
 * rather than one object per change: the feed holds an entry for every record stored (each
 * create's audit entry too), so an object per entry was a tenth of the heap a customer costs.
 * Only records with an entry that a later one replaced are tracked by id (the seq of their
 * latest change): a record written once, which most are, costs its columns alone.
 */
export function createChangeLog(): ChangeLog {
  let seqs: number[] = [];
  let collections: string[] = [];
  let ids: string[] = [];
  let types: Change['type'][] = [];
  let versions: number[] = [];
  // Per collection, so ids are not concatenated into fresh key strings (the id strings are
  // shared with the stored records). An id absent here has exactly one entry in the feed.
  const latest = new Map<string, Map<string, number>>();
  let stale = 0;
  let head = 0;

  const isLatest = (i: number): boolean => {
    const seq = latest.get(collections[i] as string)?.get(ids[i] as string);
    return seq === undefined || seq === seqs[i];
  };
  const changeAt = (i: number): Change => ({ seq: seqs[i] as number, collection: collections[i] as string, id: ids[i] as string, type: types[i] as Change['type'], version: versions[i] as number });

  function compact(): void {
    const keep: number[] = [];
    for (let i = 0; i < seqs.length; i++) if (isLatest(i)) keep.push(i);
    seqs = keep.map((i) => seqs[i] as number);
    collections = keep.map((i) => collections[i] as string);
    ids = keep.map((i) => ids[i] as string);
    types = keep.map((i) => types[i] as Change['type']);
    versions = keep.map((i) => versions[i] as number);
    // Each record now has one entry. A deleted one stays tracked, so that creating it again
    // marks the tombstone as replaced; a stored one can only change next by an update or a
    // delete, which are never first entries.
    for (let i = 0; i < seqs.length; i++) if (types[i] === 'put') latest.get(collections[i] as string)?.delete(ids[i] as string);
    stale = 0;
  }

  return {
    get head() {
      return head;
    },
    append(changes) {
      const out: Change[] = [];
      for (const change of changes) {
        const seq = ++head;
        let byId = latest.get(change.collection);
        if (!change.created || byId?.has(change.id) === true) {
          // An earlier entry of this record (its last put, or its tombstone) is replaced.
          if (byId === undefined) {
            byId = new Map();
            latest.set(change.collection, byId);
          }
          byId.set(change.id, seq);
          stale++;
        }
        seqs.push(seq);
        collections.push(change.collection);
        ids.push(change.id);
        types.push(change.type);
        versions.push(change.version);
        out.push({ seq, collection: change.collection, id: change.id, type: change.type, version: change.version });
      }
      if (stale > 1024 && stale * 2 > seqs.length) compact();
      return out;
    },
    since(since, limit) {
      let lo = 0;
      let hi = seqs.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((seqs[mid] as number) <= since) lo = mid + 1;
        else hi = mid;
      }
      const out: Change[] = [];
      for (let i = lo; i < seqs.length && out.length < limit; i++) {
        if (isLatest(i)) out.push(changeAt(i));
      }
      return out;
    },
  };
}
