/**
 * Running plans: walking an index in order with a cursor, or collecting candidates and
 * keeping the best page of them; counting and aggregating over the planner's candidates.
 *
 * @internal
 * @module
 */
import { encodeCursor } from '../../src/query/cursor';
import { compareKeys, matches, sortKey } from '../../src/query/evaluate';
import type { Filter, OrderBy } from '../../src/query/types';
import type { NormalizedQuery } from '../../src/query/validate';
import { Aggregator } from '../../src/storage/aggregate';
import type { AggregateRow, Aggregation, QueryPlan, StoredRecord } from '../../src/storage/adapter';
import { type Range, comparePositions } from './access';
import { cloneJson } from './clone';
import type { CollectionState } from './collection';
import { type CandidateSource, type WalkPlan, bestSource, isUnion, planQuery } from './planner';

/** A page and how it was found. */
export interface QueryOutcome {
  /** Copies of the page's records. */
  items: StoredRecord[];
  /** Present when at least one more row follows. */
  nextCursor?: string;
  /** The plan, as `explain` reports it. */
  plan: QueryPlan;
}

/** The `limit` best rows seen so far, in order: a bounded sorted insert beats sorting everything. */
class TopK {
  readonly keys: unknown[][] = [];
  readonly rows: StoredRecord[] = [];
  constructor(
    private readonly capacity: number,
    private readonly orderBy: readonly OrderBy[],
  ) {}

  offer(key: unknown[], row: StoredRecord): void {
    const n = this.keys.length;
    if (n === this.capacity && compareKeys(key, this.keys[n - 1] as unknown[], this.orderBy) >= 0) return;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid] as unknown[], key, this.orderBy) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.keys.splice(lo, 0, key);
    this.rows.splice(lo, 0, row);
    if (this.keys.length > this.capacity) {
      this.keys.pop();
      this.rows.pop();
    }
  }
}

/** Visit each candidate record of a source once (every record when the source is `undefined`). */
export function forEachCandidate(collection: CollectionState, source: CandidateSource, visit: (record: StoredRecord) => void): void {
  const records = collection.records;
  if (source === undefined) {
    for (const record of records.values()) visit(record);
    return;
  }
  const parts = isUnion(source) ? source.parts : [source];
  // Duplicates arise only from several parts or a multi-entry index (one entry per element).
  const seen = parts.length > 1 || parts.some((p) => p.index?.spec.multiEntry === true) ? new Set<string>() : undefined;
  const take = (id: string): void => {
    if (seen !== undefined) {
      if (seen.has(id)) return;
      seen.add(id);
    }
    const record = records.get(id);
    if (record !== undefined) visit(record);
  };
  for (const part of parts) {
    for (const r of part.ranges) part.tree.walk(r.from, r.to, false, take);
    if (part.index !== undefined) for (const id of part.index.outliers) take(id);
  }
}

/** Ranges of a walk narrowed to what lies strictly after the cursor in the walk's direction. */
function afterCursor(plan: WalkPlan, orderBy: readonly Required<OrderBy>[], after: readonly unknown[]): Range[] {
  const id = after[after.length - 1];
  if (typeof id !== 'string') return plan.ranges;
  const fields = plan.index?.spec.fields ?? [];
  const parts = fields.map((field, i) => {
    const at = orderBy.findIndex((o) => o.field === field);
    return at >= 0 ? after[at] : plan.eqPrefix[i];
  });
  const pos = plan.tree.seek(parts, id, !plan.reverse);
  const out: Range[] = [];
  for (const r of plan.ranges) {
    const from = !plan.reverse && comparePositions(pos, r.from) > 0 ? pos : r.from;
    const to = plan.reverse && comparePositions(pos, r.to) < 0 ? pos : r.to;
    if (comparePositions(from, to) < 0) out.push({ from, to });
  }
  return out;
}

/** Answer one page of a normalized query. */
export function runQuery(collection: CollectionState, q: NormalizedQuery): QueryOutcome {
  const plan = planQuery(collection, q.where, q.orderBy, q.limit);
  const take = q.limit + 1;
  const { where, orderBy, after } = q;
  let examined = 0;
  let rows: StoredRecord[];
  let report: Pick<QueryPlan, 'index' | 'strategy' | 'sorted'>;
  if (plan.kind === 'walk') {
    rows = [];
    const ranges = after === undefined ? plan.ranges : afterCursor(plan, orderBy, after);
    const visit = (id: string): boolean => {
      const record = collection.records.get(id) as StoredRecord;
      examined++;
      // The cursor check is a guard: the seek above already started past the cursor.
      if (matches(record, where) && (after === undefined || compareKeys(sortKey(record, orderBy), after, orderBy) > 0)) rows.push(record);
      return rows.length < take;
    };
    const ordered = plan.reverse ? [...ranges].reverse() : ranges;
    for (const r of ordered) {
      if (rows.length >= take) break;
      plan.tree.walk(r.from, r.to, plan.reverse, visit);
    }
    report = { index: plan.index?.spec.name ?? null, strategy: plan.strategy, sorted: false };
  } else {
    const top = new TopK(take, orderBy);
    forEachCandidate(collection, plan.source, (record) => {
      examined++;
      if (!matches(record, where)) return;
      const key = sortKey(record, orderBy);
      if (after === undefined || compareKeys(key, after, orderBy) > 0) top.offer(key, record);
    });
    rows = top.rows;
    report = { ...describeSource(plan.source), sorted: true };
  }
  const page = rows.slice(0, q.limit);
  const items = page.map((r) => cloneJson(r));
  const last = page[page.length - 1];
  const outcome: QueryOutcome = { items, plan: { ...report, rowsExamined: examined, rowsReturned: items.length } };
  if (rows.length > q.limit && last !== undefined) outcome.nextCursor = encodeCursor(q.hash, sortKey(last, orderBy));
  return outcome;
}

function describeSource(source: CandidateSource): Pick<QueryPlan, 'index' | 'strategy'> {
  if (source === undefined) return { index: null, strategy: 'full-scan' };
  if (isUnion(source)) {
    const names = [...new Set(source.parts.map((p) => p.index?.spec.name ?? 'id'))];
    return { index: names.join(','), strategy: 'index-union' };
  }
  return { index: source.index?.spec.name ?? null, strategy: source.strategy };
}

/** How many records match a filter, from index counts alone when an access answers it exactly. */
export function countMatching(collection: CollectionState, where: Filter | undefined): number {
  if (where === undefined) return collection.records.size;
  const source = bestSource(collection, where, true);
  if (source !== undefined && !isUnion(source) && source.exact) return source.estimate;
  let n = 0;
  forEachCandidate(collection, source, (record) => {
    if (matches(record, where)) n++;
  });
  return n;
}

/**
 * Aggregate the records matching `aggregation.where`. Candidates are fed in id order so
 * floating-point sums come out the same as a scan in id order.
 */
export function aggregateCollection(collection: CollectionState, aggregation: Aggregation): AggregateRow[] {
  const source = bestSource(collection, aggregation.where);
  const agg = new Aggregator(aggregation);
  const add = (record: StoredRecord): void => {
    if (matches(record, aggregation.where)) agg.add(record);
  };
  if (source === undefined) {
    const tree = collection.primary;
    tree.walk(tree.start(), tree.end(), false, (id) => add(collection.records.get(id) as StoredRecord));
  } else {
    // Candidates come in index order, not id order: counts, integer sums, min, max and
    // percentiles do not depend on it; sums of fractions may differ in their last bits, as they
    // do between any two databases.
    forEachCandidate(collection, source, add);
  }
  // Group values may be objects read from stored records: hand out copies.
  return cloneJson(agg.rows());
}
