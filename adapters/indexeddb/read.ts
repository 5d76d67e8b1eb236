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

/** A row of `getAllRecords` (not yet in TypeScript's DOM types). */
interface IdbRecord {
  key: IDBValidKey;
  primaryKey: IDBValidKey;
  value: unknown;
}
type RecordsSource = { getAllRecords?: (options: { query?: IDBKeyRange | null; count?: number; direction?: IDBCursorDirection }) => IDBRequest<IdbRecord[]> };

/** The most rows one `getAllRecords` request may bring, so no read holds more than this at once. */
export const MAX_CHUNK = 1000;

/**
 * Read the records a plan names, handing each to `visit`. Ordered plans seek past `after`
 * (the previous page's last sort key) instead of reading the rows before it. Returns how many
 * records were read (handed to `visit` or skipped as a duplicate).
 *
 * `expected` is how many rows the caller thinks it will read. Where the platform has
 * `getAllRecords` (Chromium 141+, fake-indexeddb), the first `expected` rows of a range (at most
 * {@link MAX_CHUNK}) come in one request instead of a cursor step and a success event per row:
 * in Chromium an indexed count that reads its 100 matches took a third of the time. Only when a
 * range holds more does the cursor take over, from the last row read; where the platform lacks
 * `getAllRecords`, the cursor reads it all.
 */
export async function readPlan(scope: ReadScope, plan: Plan, after: readonly unknown[] | undefined, visit: Visitor, expected = MAX_CHUNK): Promise<number> {
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
  const isIndex = plan.kind === 'index' && plan.index !== undefined;
  const source = isIndex && plan.index ? store.index(plan.index.name) : store;
  const afterId = after?.[after.length - 1];
  let seek: Key | undefined;
  if (plan.ordered && after !== undefined) seek = isIndex && plan.index ? seekKey(plan, plan.index, after) : typeof afterId === 'string' ? afterId : undefined;
  const seen = plan.dedupe ? new Set<IDBValidKey>() : undefined;
  const chunk = Math.max(1, Math.min(MAX_CHUNK, Math.ceil(expected)));
  let stopped = false;
  /** Offer one row; false once the visitor has enough. */
  const offer = (primaryKey: IDBValidKey, value: unknown): boolean => {
    if (seen !== undefined) {
      if (seen.has(primaryKey)) return true;
      seen.add(primaryKey);
    }
    read++;
    if (visit(value as StoredRecord)) return true;
    stopped = true;
    return false;
  };
  for (const planned of plan.ranges) {
    if (stopped) break;
    // A store read seeks exactly past the last id; an index read seeks to the last key and then
    // jumps to the last id among its equals with continuePrimaryKey.
    let range = seek === undefined ? planned : narrow(planned, seek, plan.direction, plan.kind === 'store');
    if (isEmptyRange(range)) continue;
    // Where the cursor starts among rows of equal index key: after this primary key.
    let resume: { key: Key; primaryKey: string; inclusive: boolean } | undefined =
      seek !== undefined && isIndex && typeof afterId === 'string' ? { key: seek, primaryKey: afterId, inclusive: true } : undefined;
    const bulk = (source as unknown as RecordsSource).getAllRecords;
    if (resume === undefined && typeof bulk === 'function') {
      const rows = await settled(scope.tx, bulk.call(source, { query: toKeyRange(scope.keyRange, range), count: chunk, direction: plan.direction }));
      for (const row of rows) if (!offer(row.primaryKey, row.value)) break;
      const last = rows[rows.length - 1];
      if (stopped || rows.length < chunk || last === undefined) continue;
      // More rows than expected: the cursor goes on from the last row read.
      if (isIndex) {
        resume = { key: last.key as Key, primaryKey: last.primaryKey as string, inclusive: false };
        range = narrow(planned, last.key as Key, plan.direction, false);
      } else range = narrow(planned, last.primaryKey as Key, plan.direction, true);
      if (isEmptyRange(range)) continue;
    }
    let first = true;
    await walk(scope.tx, source.openCursor(toKeyRange(scope.keyRange, range), plan.direction), (cursor) => {
      if (first && resume !== undefined) {
        first = false;
        const pk = cursor.primaryKey as string;
        if (compareKeysIdb(cursor.key as Key, resume.key) === 0) {
          const behind = plan.direction === 'next' ? pk < resume.primaryKey : pk > resume.primaryKey;
          if (behind) {
            cursor.continuePrimaryKey(resume.key, resume.primaryKey);
            // The row it lands on was read already when resuming after a bulk read.
            if (!resume.inclusive) first = true;
            return 'moved';
          }
          if (!resume.inclusive && pk === resume.primaryKey) return 'continue';
        }
      }
      first = false;
      return offer(cursor.primaryKey, cursor.value) ? 'continue' : 'stop';
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
