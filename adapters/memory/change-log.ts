/**
 * The change feed of the memory adapter: every committed change with its `seq`, compacted so
 * that only the latest change of each record (tombstones included) is kept. Memory then grows
 * with the number of records ever written, not with the number of writes.
 *
 * @internal
 * @module
 */
import type { Change } from '../../src/storage/adapter';

/** The change feed. */
export interface ChangeLog {
  /** The seq of the last committed change (0 before any). */
  readonly head: number;
  /** Record changes (without `seq`) in commit order; returns them with their `seq`. */
  append(changes: readonly Omit<Change, 'seq'>[]): Change[];
  /** Up to `limit` changes with `seq > since`, oldest first. */
  since(since: number, limit: number): Change[];
}

/** A new, empty change feed. */
export function createChangeLog(): ChangeLog {
  let entries: Change[] = [];
  // The latest change of every record, per collection, so ids are not concatenated into
  // fresh key strings (the id strings are shared with the stored records).
  const latest = new Map<string, Map<string, Change>>();
  let stale = 0;
  let head = 0;

  const isLatest = (c: Change): boolean => latest.get(c.collection)?.get(c.id) === c;

  function compact(): void {
    entries = entries.filter(isLatest);
    stale = 0;
  }

  return {
    get head() {
      return head;
    },
    append(changes) {
      const out: Change[] = [];
      for (const change of changes) {
        const entry: Change = { seq: ++head, collection: change.collection, id: change.id, type: change.type, version: change.version };
        let byId = latest.get(entry.collection);
        if (byId === undefined) {
          byId = new Map();
          latest.set(entry.collection, byId);
        }
        if (byId.has(entry.id)) stale++;
        byId.set(entry.id, entry);
        entries.push(entry);
        out.push({ ...entry });
      }
      if (stale > 1024 && stale * 2 > entries.length) compact();
      return out;
    },
    since(since, limit) {
      let lo = 0;
      let hi = entries.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((entries[mid] as Change).seq <= since) lo = mid + 1;
        else hi = mid;
      }
      const out: Change[] = [];
      for (let i = lo; i < entries.length && out.length < limit; i++) {
        const entry = entries[i] as Change;
        if (isLatest(entry)) out.push({ ...entry });
      }
      return out;
    },
  };
}
