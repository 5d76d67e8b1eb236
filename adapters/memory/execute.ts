/**
 * Running plans: walking an index in order with a cursor, or collecting candidates and
 * keeping the best page of them; counting and aggregating over the planner's candidates.
 *
 * @internal
 * @module
 */
import { encodeCursor } from '../../src/query/cursor';
import { compareKeys, matches, sortKey } from '../../src/query/evaluate';
import { sortValue } from '../../src/query/path';
import type { Filter, OrderBy } from '../../src/query/types';
import type { NormalizedQuery } from '../../src/query/validate';
import { Aggregator } from '../../src/storage/aggregate';
import type { AggregateRow, Aggregation, QueryPlan, StoredRecord } from '../../src/storage/adapter';
import { type Range, comparePositions, conjunctsOf, isCondition } from './access';
import { cloneFields, cloneJson, clonePublic } from './clone';
import { compareParts } from './keys';
import type { CollectionState, IndexState } from './collection';
import { type CandidateSource, type WalkPlan, bestSource, coveredBy, isUnion, planQuery, residualFilter } from './planner';

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
  private readonly first: string;
  private readonly firstTopLevel: boolean;
  private readonly firstDesc: boolean;
  constructor(
    private readonly capacity: number,
    private readonly orderBy: readonly OrderBy[],
  ) {
    this.first = (orderBy[0] as OrderBy).field;
    this.firstTopLevel = this.first.indexOf('.') < 0;
    this.firstDesc = orderBy[0]?.direction === 'desc';
  }

  /**
   * Offer a row. Once full, most rows lose on their first sort value alone: they are turned
   * away before a whole key is built for them (the key array and the id lookup would be most
   * of the cost of a page of 50 out of 1,000 matches).
   */
  offer(row: StoredRecord, after: readonly unknown[] | undefined): void {
    const n = this.keys.length;
    if (n === this.capacity) {
      const f = this.first;
      const v = this.firstTopLevel ? (Object.prototype.hasOwnProperty.call(row, f) ? row[f] : undefined) : sortValue(row, f);
      const c = compareParts(v, (this.keys[n - 1] as unknown[])[0]);
      if ((this.firstDesc ? -c : c) > 0) return;
    }
    const key = sortKey(row, this.orderBy);
    if (after !== undefined && compareKeys(key, after, this.orderBy) <= 0) return;
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

/** How the records of a page are copied out (see `StorageQuery.omitInternal` and `select`). */
export interface CopyOptions {
  /** Leave `_` fields out. */
  omitInternal?: boolean | undefined;
  /** Copy only `id`, `version` and these top-level fields. */
  select?: readonly string[] | undefined;
}

/** Answer one page of a normalized query, copying its records as `copy` asks. */
export function runQuery(collection: CollectionState, q: NormalizedQuery, copy: CopyOptions = {}): QueryOutcome {
  const plan = planQuery(collection, q.where, q.orderBy, q.limit);
  const take = q.limit + 1;
  const { where, orderBy, after } = q;
  let examined = 0;
  let rows: StoredRecord[];
  let report: Pick<QueryPlan, 'index' | 'strategy' | 'sorted'>;
  if (plan.kind === 'walk') {
    const found: StoredRecord[] = [];
    rows = found;
    const ranges = after === undefined ? plan.ranges : afterCursor(plan, orderBy, after);
    const rest = residualFilter(where, plan.covered);
    const visit = (id: string): boolean => {
      const record = collection.records.get(id) as StoredRecord;
      examined++;
      // The cursor check is a guard: the seek above already started past the cursor.
      if (matches(record, rest) && (after === undefined || compareKeys(sortKey(record, orderBy), after, orderBy) > 0)) found.push(record);
      return found.length < take;
    };
    const ordered = plan.reverse ? [...ranges].reverse() : ranges;
    for (const r of ordered) {
      if (found.length >= take) break;
      plan.tree.walk(r.from, r.to, plan.reverse, visit);
    }
    report = { index: plan.index?.spec.name ?? null, strategy: plan.strategy, sorted: false };
  } else {
    const top = new TopK(take, orderBy);
    // What the index already answered is not checked again on each candidate.
    const rest = residualFilter(where, coveredBy(plan.source));
    forEachCandidate(collection, plan.source, (record) => {
      examined++;
      if (matches(record, rest)) top.offer(record, after);
    });
    rows = top.rows;
    report = { ...describeSource(plan.source), sorted: true };
  }
  const page = rows.slice(0, q.limit);
  const { select } = copy;
  const items = select !== undefined ? page.map((r) => cloneFields(r, select)) : copy.omitInternal === true ? page.map((r) => clonePublic(r)) : page.map((r) => cloneJson(r));
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

/**
 * How many records match a filter, from index counts alone when an access answers it exactly,
 * or when it does so but for `exists: false` conditions (see {@link countFromIndexes}).
 */
export function countMatching(collection: CollectionState, where: Filter | undefined): number {
  if (where === undefined) return collection.records.size;
  const source = bestSource(collection, where, true);
  if (source !== undefined && !isUnion(source) && source.exact) return source.estimate;
  // Reading the candidates costs about their number: the index route must read fewer.
  const budget = (source === undefined ? collection.records.size : source.estimate) - 1;
  const counted = countFromIndexes(collection, conjunctsOf(where), budget, true);
  if (counted !== undefined) return counted;
  let n = 0;
  const rest = residualFilter(where, coveredBy(source));
  forEachCandidate(collection, source, (record) => {
    if (matches(record, rest)) n++;
  });
  return n;
}

/** An index that knows every record holding a value at `field`, or `undefined`. */
function presenceIndex(collection: CollectionState, field: string): IndexState | undefined {
  let best: IndexState | undefined;
  for (const index of collection.indexes.values()) {
    // A multi-entry index has no entry for an empty array, so it cannot tell what is missing.
    if (index.spec.multiEntry === true || index.spec.fields[0] !== field) continue;
    if (best === undefined || index.spec.fields.length < best.spec.fields.length) best = index;
  }
  return best;
}

/** How many records hold a value at an index's leading field. */
function presentCount(index: IndexState): number {
  // Not multi-entry: one entry per record in the tree, and the three sets are disjoint.
  return index.tree.size + index.outliers.size + index.unkeyed.size;
}

/**
 * Count the records matching every conjunct with at most `budget` record reads, or
 * `undefined` when that cannot be done. `exists: false` on a field whose presence an index
 * knows is the complement of the records holding the field: the count without the condition
 * (from an exact index access, recursively) minus those holders that match the rest. The engine
 * adds `archivedAt exists: false` to every query, and few records are archived, so counts of
 * indexed equalities stay index-only instead of reading every match. `notExact`: the caller
 * already knows no single access answers all the conjuncts exactly.
 */
function countFromIndexes(collection: CollectionState, conjuncts: readonly Filter[], budget: number, notExact = false): number | undefined {
  if (conjuncts.length === 0) return collection.records.size;
  if (!notExact) {
    const source = bestSource(collection, conjuncts.length === 1 ? conjuncts[0] : { and: [...conjuncts] }, true);
    if (source !== undefined && !isUnion(source) && source.exact) return source.estimate;
  }
  for (let i = 0; i < conjuncts.length; i++) {
    const c = conjuncts[i] as Filter;
    if (!isCondition(c) || c.op !== 'exists' || c.value !== false) continue;
    const index = presenceIndex(collection, c.field);
    if (index === undefined) continue;
    const holders = presentCount(index);
    if (holders > budget) continue;
    const rest = conjuncts.filter((_, j) => j !== i);
    const base = countFromIndexes(collection, rest, budget - holders);
    if (base === undefined) continue;
    const restWhere: Filter | undefined = rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { and: rest };
    let n = base;
    forEachHolder(collection, index, (record) => {
      if (matches(record, restWhere)) n--;
    });
    return n;
  }
  return undefined;
}

/** Visit each record holding a value at an index's leading field. */
function forEachHolder(collection: CollectionState, index: IndexState, visit: (record: StoredRecord) => void): void {
  const records = collection.records;
  const take = (id: string): void => {
    const record = records.get(id);
    if (record !== undefined) visit(record);
  };
  index.tree.walk(index.tree.start(), index.tree.end(), false, take);
  for (const id of index.outliers) take(id);
  for (const id of index.unkeyed) take(id);
}

/**
 * Aggregate the records matching `aggregation.where`. Candidates are fed in id order so
 * floating-point sums come out the same as a scan in id order.
 */
export function aggregateCollection(collection: CollectionState, aggregation: Aggregation): AggregateRow[] {
  const source = bestSource(collection, aggregation.where);
  const agg = new Aggregator(aggregation);
  const rest = residualFilter(aggregation.where, coveredBy(source));
  const add = (record: StoredRecord): void => {
    if (matches(record, rest)) agg.add(record);
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
