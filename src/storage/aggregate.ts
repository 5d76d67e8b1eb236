/**
 * The reference implementation of `aggregate`: what every adapter's native aggregation must
 * agree with, and what stands in for adapters that have none.
 *
 * @module
 */
import { canonicalJson, compareValues } from '../query/order';
import { sortValue } from '../query/path';
import { matches } from '../query/evaluate';
import type { AggregateRow, Aggregation, Metric, StorageAdapter } from './adapter';

interface Accumulator {
  group: Record<string, unknown>;
  count: number;
  sums: Map<string, { sum: number; n: number; min: number; max: number; values: number[] | undefined }>;
}

/**
 * One group value as a key fragment. Each is tagged by type (and strings by length), so a
 * missing field, `null`, `1` and `'1'` stay distinct groups and no string can forge a boundary.
 */
function groupKeyPart(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'u|';
    case 'string':
      return `s${value.length}:${value}|`;
    case 'number':
      return `n${value}|`;
    case 'boolean':
      return value ? 't|' : 'f|';
    default:
      return value === null ? 'z|' : `j${canonicalJson(value)}|`;
  }
}

/**
 * Collects records into groups and computes metrics, one record at a time.
 *
 * @example
 * ```ts
 * const agg = new Aggregator({ groupBy: ['tier'], metrics: [{ name: 'n', op: 'count' }, { name: 'p90', op: 'percentile', field: 'points', p: 0.9 }] });
 * for (const r of [{ tier: 'vip', points: 10 }, { tier: 'vip', points: 30 }, { tier: 'gold', points: 5 }]) agg.add(r);
 * agg.rows(); // [{ group: { tier: 'gold' }, values: { n: 1, p90: 5 } }, { group: { tier: 'vip' }, values: { n: 2, p90: 28 } }]
 * ```
 */
export class Aggregator {
  private readonly groups = new Map<string, Accumulator>();
  private readonly numericFields: string[];
  private readonly percentileFields: Set<string>;

  /** @param aggregation - what to compute. */
  constructor(private readonly aggregation: Aggregation) {
    this.numericFields = [...new Set(aggregation.metrics.flatMap((m) => ('field' in m ? [m.field] : [])))];
    this.percentileFields = new Set(aggregation.metrics.flatMap((m) => (m.op === 'percentile' ? [m.field] : [])));
  }

  /** Add one record (the caller has already checked `where`). */
  add(record: unknown): void {
    const groupBy = this.aggregation.groupBy ?? [];
    const group: Record<string, unknown> = {};
    for (const f of groupBy) group[f] = sortValue(record, f);
    let key = '';
    for (const f of groupBy) key += groupKeyPart(group[f]);
    let acc = this.groups.get(key);
    if (!acc) {
      acc = { group, count: 0, sums: new Map() };
      this.groups.set(key, acc);
    }
    acc.count++;
    for (const field of this.numericFields) {
      const v = sortValue(record, field);
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      let s = acc.sums.get(field);
      if (!s) {
        s = { sum: 0, n: 0, min: v, max: v, values: this.percentileFields.has(field) ? [] : undefined };
        acc.sums.set(field, s);
      }
      s.sum += v;
      s.n++;
      if (v < s.min) s.min = v;
      if (v > s.max) s.max = v;
      s.values?.push(v);
    }
  }

  /** The rows, ordered by group values in the value order. */
  rows(): AggregateRow[] {
    const groupBy = this.aggregation.groupBy ?? [];
    const accs = [...this.groups.values()];
    if (accs.length === 0 && groupBy.length === 0) accs.push({ group: {}, count: 0, sums: new Map() });
    accs.sort((a, b) => {
      for (const f of groupBy) {
        const c = compareValues(a.group[f], b.group[f]);
        if (c !== 0) return c;
      }
      return 0;
    });
    return accs.map((acc) => ({ group: acc.group, values: Object.fromEntries(this.aggregation.metrics.map((m) => [m.name, metric(acc, m)])) }));
  }
}

function metric(acc: Accumulator, m: Metric): number | null {
  if (m.op === 'count') return acc.count;
  const s = acc.sums.get(m.field);
  if (!s || s.n === 0) return m.op === 'sum' ? 0 : null;
  switch (m.op) {
    case 'sum':
      return s.sum;
    case 'avg':
      return s.sum / s.n;
    case 'min':
      return s.min;
    case 'max':
      return s.max;
    case 'percentile':
      return percentile(s.values ?? [], m.p);
  }
}

/**
 * Percentile with linear interpolation between closest ranks (p in 0..1): p = 0.5 is the
 * median, with the mean of the two middle values for an even count.
 *
 * @example
 * ```ts
 * percentile([4, 1, 3, 2], 0.5); // 2.5
 * percentile([10, 20, 30], 0.9); // 28
 * percentile([], 0.5); // null
 * ```
 */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.min(Math.max(p, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

/**
 * Aggregate over an iterable of records (what an in-memory adapter does natively).
 *
 * @example
 * ```ts
 * aggregateRecords(deals, { groupBy: ['stageId'], metrics: [{ name: 'n', op: 'count' }] });
 * ```
 */
export function aggregateRecords(records: Iterable<unknown>, aggregation: Aggregation): AggregateRow[] {
  const agg = new Aggregator(aggregation);
  for (const r of records) if (matches(r, aggregation.where)) agg.add(r);
  return agg.rows();
}

/**
 * The engine's stand-in for adapters without native `aggregate`: pages through the matching
 * records (1,000 at a time, so memory stays bounded) and aggregates them.
 *
 * @example
 * ```ts
 * const aggregation: Aggregation = { groupBy: ['author'], metrics: [{ name: 'notes', op: 'count' }] };
 * const rows = storage.aggregate ? await storage.aggregate('notes', aggregation) : await aggregateByScan(storage, 'notes', aggregation);
 * ```
 */
export async function aggregateByScan(adapter: StorageAdapter, collection: string, aggregation: Aggregation): Promise<AggregateRow[]> {
  const agg = new Aggregator(aggregation);
  let cursor: string | undefined;
  do {
    const page = await adapter.query(collection, { where: aggregation.where, limit: 1000, cursor });
    for (const r of page.items) agg.add(r);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return agg.rows();
}

/**
 * Aggregate through the storage contract: the adapter's native `aggregate` where it has one (a
 * SQL adapter pushes it down to `GROUP BY`), the reference scan otherwise.
 *
 * @example
 * ```ts
 * const rows = await aggregateIn(storage, 'deals', { groupBy: ['stageId'], metrics: [{ name: 'n', op: 'count' }] });
 * ```
 */
export function aggregateIn(adapter: StorageAdapter, collection: string, aggregation: Aggregation): Promise<AggregateRow[]> {
  return adapter.aggregate ? adapter.aggregate(collection, aggregation) : aggregateByScan(adapter, collection, aggregation);
}
