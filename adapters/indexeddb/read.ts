/**
 * Reading records through a plan: cursors over the planned key ranges, seeking past a keyset
 * cursor, stopping as soon as an ordered read has enough rows.
 *
 * @module
 */
import { compareKeys, sortKey } from '../../src/query/evaluate';
import type { OrderBy } from '../../src/query/types';
import type { IndexSpec, StoredRecord } from '../../src/storage/adapter';
import { compareKeysIdb, isEmptyRange, isKey, toKeyRange } from './keys';
import type { Key, RangeSpec } from './keys';
import type { Plan } from './planner';
import { settled, walk } from './requests';

/** Where a read happens. */
export interface ReadScope {
  /** An active transaction over the collection's store (and the meta store). */
  tx: IDBTransaction;
  /** The collection's store name. */
  store: string;
  /** The `IDBKeyRange` of the factory in use. */
  keyRange: typeof IDBKeyRange;
}

/** Called for each record read, in read order; returns `false` to stop reading. */
export type Visitor = (record: StoredRecord) => boolean;

/** Narrow a range to start at (or end at, reading backwards) a seek key. */
function narrow(range: RangeSpec, key: Key, direction: 'next' | 'prev', open: boolean): RangeSpec {
  if (direction === 'next') {
    const c = range.lower === undefined ? 1 : compareKeysIdb(key, range.lower);
    return c > 0 || (c === 0 && open) ? { ...range, lower: key, lowerOpen: open } : range;
  }
  const c = range.upper === undefined ? -1 : compareKeysIdb(key, range.upper);
  return c < 0 || (c === 0 && open) ? { ...range, upper: key, upperOpen: open } : range;
}

/** The index key of the last row of the previous page, when the plan can seek to it. */
function seekKey(plan: Extract<Plan, { kind: 'store' | 'index' }>, index: IndexSpec, after: readonly unknown[]): Key | undefined {
  if (plan.seek === undefined) return undefined;
  const parts: unknown[] = [...plan.seek.prefix, ...plan.seek.positions.map((p) => after[p])];
  if (!isKey(parts)) return undefined;
  return index.fields.length > 1 ? parts : parts[0];
}

/**
 * Read the records a plan names, handing each to `visit`. Ordered plans seek past `after`
 * (the previous page's last sort key) instead of reading the rows before it. Returns how many
 * records were read.
 */
export async function readPlan(scope: ReadScope, plan: Plan, after: readonly unknown[] | undefined, visit: Visitor): Promise<number> {
  const store = scope.tx.objectStore(scope.store);
  let read = 0;
  if (plan.kind === 'empty') return 0;
  if (plan.kind === 'ids') {
    const requests = plan.ids.map((id) => store.get(id));
    const last = requests[requests.length - 1];
    if (last !== undefined) await settled(scope.tx, last);
    for (const r of requests) {
      const record = r.result as StoredRecord | undefined;
      if (record === undefined) continue;
      read++;
      if (!visit(record)) break;
    }
    return read;
  }
  const source = plan.kind === 'index' && plan.index ? store.index(plan.index.name) : store;
  const afterId = after?.[after.length - 1];
  let seek: Key | undefined;
  if (plan.ordered && after !== undefined) seek = plan.kind === 'index' && plan.index ? seekKey(plan, plan.index, after) : typeof afterId === 'string' ? afterId : undefined;
  const seen = plan.dedupe ? new Set<IDBValidKey>() : undefined;
  let stopped = false;
  for (const planned of plan.ranges) {
    if (stopped) break;
    // A store read seeks exactly past the last id; an index read seeks to the last key and then
    // jumps to the last id among its equals with continuePrimaryKey.
    const range = seek === undefined ? planned : narrow(planned, seek, plan.direction, plan.kind === 'store');
    if (isEmptyRange(range)) continue;
    let first = true;
    await walk(scope.tx, source.openCursor(toKeyRange(scope.keyRange, range), plan.direction), (cursor) => {
      if (first && seek !== undefined && plan.kind === 'index' && typeof afterId === 'string') {
        first = false;
        const pk = cursor.primaryKey as string;
        const behind = plan.direction === 'next' ? pk < afterId : pk > afterId;
        if (compareKeysIdb(cursor.key as Key, seek) === 0 && behind) {
          cursor.continuePrimaryKey(seek, afterId);
          return 'moved';
        }
      }
      if (seen !== undefined) {
        if (seen.has(cursor.primaryKey)) return 'continue';
        seen.add(cursor.primaryKey);
      }
      read++;
      if (visit(cursor.value as StoredRecord)) return 'continue';
      stopped = true;
      return 'stop';
    });
  }
  return read;
}

/** Keeps the best `capacity` records of an unordered read, in query order, in bounded memory. */
export class TopK {
  private readonly rows: { key: unknown[]; record: StoredRecord }[] = [];

  /**
   * @param capacity - how many rows to keep (a page and one more, to know whether more exist).
   * @param orderBy - the query's total order.
   */
  constructor(
    private readonly capacity: number,
    private readonly orderBy: readonly Required<OrderBy>[],
  ) {}

  /** Offer a record. */
  add(record: StoredRecord, key: unknown[] = sortKey(record, this.orderBy)): void {
    const rows = this.rows;
    const last = rows[rows.length - 1];
    if (rows.length >= this.capacity && last !== undefined && compareKeys(key, last.key, this.orderBy) >= 0) return;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys((rows[mid] as { key: unknown[] }).key, key, this.orderBy) <= 0) lo = mid + 1;
      else hi = mid;
    }
    rows.splice(lo, 0, { key, record });
    if (rows.length > this.capacity) rows.pop();
  }

  /** The kept records, in order. */
  records(): StoredRecord[] {
    return this.rows.map((r) => r.record);
  }
}
