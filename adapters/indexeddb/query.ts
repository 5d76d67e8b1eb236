/**
 * Queries, counts and aggregations over one collection, answered through the planner.
 *
 * @module
 */
import { compareKeys, matches, sortKey } from '../../src/query/evaluate';
import { encodeCursor } from '../../src/query/cursor';
import type { NormalizedQuery } from '../../src/query/validate';
import type { Filter } from '../../src/query/types';
import { Aggregator } from '../../src/storage/aggregate';
import type { AggregateRow, Aggregation, IndexSpec, QueryPlan, StoredRecord } from '../../src/storage/adapter';
import { isEmptyRange, toKeyRange } from './keys';
import { planCandidates } from './planner';
import type { Plan } from './planner';
import { readPlan, TopK } from './read';
import type { ReadScope } from './read';
import { settled } from './requests';
import { META_STORE, SEQ_KEY } from './schema';

/** What a read needs besides its transaction. */
export interface QueryScope extends ReadScope {
  /** The collection's declared indexes. */
  indexes: readonly IndexSpec[];
  /** Counts (of the store, of each index) as of a change-feed `seq`; shared by the adapter's reads. */
  facts: Map<string, { seq: number; value: number }>;
  /** The change-feed `seq` as this transaction sees it, read once for all the facts a read checks. */
  seq?: Promise<number>;
}

/**
 * A fact about the collection that holds until the next write, cached by the change-feed
 * `seq` (bumped in every write transaction, by this connection or any other).
 */
async function cached(scope: QueryScope, name: string, compute: () => Promise<number>): Promise<number> {
  scope.seq ??= settled(scope.tx, scope.tx.objectStore(META_STORE).get(SEQ_KEY)).then((v) => (v as number | undefined) ?? 0);
  const seq = await scope.seq;
  const key = `${scope.store}\u0000${name}`;
  const hit = scope.facts.get(key);
  if (hit !== undefined && hit.seq === seq) return hit.value;
  const value = await compute();
  scope.facts.set(key, { seq, value });
  return value;
}

/** How many records the collection holds. */
function total(scope: QueryScope): Promise<number> {
  return cached(scope, '#count', () => settled(scope.tx, scope.tx.objectStore(scope.store).count()));
}

/** Whether every record of the collection is in an index (so reading it misses nothing). */
async function isComplete(scope: QueryScope, index: string): Promise<boolean> {
  const inIndex = await cached(scope, index, () => settled(scope.tx, scope.tx.objectStore(scope.store).index(index).count()));
  return inIndex === (await total(scope));
}

type RangePlan = Extract<Plan, { kind: 'store' | 'index' }>;
const isRangePlan = (p: Plan): p is RangePlan => p.kind === 'store' || p.kind === 'index';

/** How many entries a plan's ranges hold (an estimate of what it reads). */
async function entries(scope: QueryScope, plan: RangePlan): Promise<number> {
  const store = scope.tx.objectStore(scope.store);
  const source = plan.kind === 'index' && plan.index ? store.index(plan.index.name) : store;
  // An empty range (e.g. `< ''`) holds nothing, and IndexedDB refuses to build one.
  const requests = plan.ranges.filter((r) => !isEmptyRange(r)).map((r) => {
    const range = toKeyRange(scope.keyRange, r);
    return range === null ? source.count() : source.count(range);
  });
  const last = requests[requests.length - 1];
  if (last !== undefined) await settled(scope.tx, last);
  return requests.reduce((n, r) => n + r.result, 0);
}

/**
 * Pick the plan to run. The planner's first choice filters best; when it cannot read in the
 * query's order it must read all its candidates, while an ordered plan stops after a page.
 * With `candidates` matching rows spread over `total`, the ordered read takes about
 * `wanted × total / candidates` rows, so it wins when that is fewer than `candidates` (a small
 * page of a common value). Indexes that turn out not to hold every record are dropped where a
 * plan needs that. `expected` estimates the rows an ordered plan will read, so the first bulk
 * read brings about that many.
 */
async function choosePlan(scope: QueryScope, where: Filter | undefined, orderBy: NormalizedQuery['orderBy'], wanted?: number): Promise<{ plan: Plan; expected?: number }> {
  const excluded = new Set<string>();
  const usable = async (p: RangePlan): Promise<boolean> => {
    if (!p.needsComplete || p.index === undefined || (await isComplete(scope, p.index.name))) return true;
    excluded.add(p.index.name);
    return false;
  };
  for (;;) {
    const candidates = planCandidates(scope.indexes, where, orderBy, excluded);
    const best = candidates[0] as Plan;
    if (!isRangePlan(best)) return { plan: best };
    if (!(await usable(best))) continue;
    const alternative = candidates.find((p): p is RangePlan => isRangePlan(p) && p.ordered);
    // An ordered read stops after a page; most rows of its range usually match.
    if (wanted !== undefined && best.ordered) return { plan: best, expected: wanted };
    if (wanted === undefined || alternative === undefined) return { plan: best };
    // Counting a range walks it in IndexedDB's backend (as slow per row as reading it, in
    // Chromium): repeated queries reuse the count until the next write.
    // The key only has to tell ranges apart well enough for an estimate (±Infinity kept apart).
    const ranges = JSON.stringify(best.ranges, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `\u0000${v}` : v));
    const read = await cached(scope, `#entries\u0000${best.index?.name ?? ''}\u0000${ranges}`, () => entries(scope, best));
    const all = await total(scope);
    if (wanted * all < read * read && (await usable(alternative))) return { plan: alternative, expected: read === 0 ? wanted : (wanted * all) / read + wanted };
    return { plan: best };
  }
}

/** One page of a query and how it was read. */
export interface QueryOutcome {
  /** The page. */
  items: StoredRecord[];
  /** The next page's cursor, when at least one more row exists. */
  nextCursor?: string;
  /** How it was answered. */
  plan: QueryPlan;
}

/** Run a normalized query: a page of at most `limit` rows strictly after `after`. */
export async function runQuery(scope: QueryScope, q: NormalizedQuery): Promise<QueryOutcome> {
  const { plan, expected } = await choosePlan(scope, q.where, q.orderBy, q.limit + 1);
  const ordered = plan.kind !== 'empty' && plan.kind !== 'ids' && plan.ordered;
  const wanted = q.limit + 1;
  const after = q.after;
  const accept = (record: StoredRecord): unknown[] | undefined => {
    if (!matches(record, q.where)) return undefined;
    const key = sortKey(record, q.orderBy);
    if (after !== undefined && compareKeys(key, after, q.orderBy) <= 0) return undefined;
    return key;
  };
  let rows: StoredRecord[];
  let examined: number;
  if (ordered) {
    rows = [];
    examined = await readPlan(
      scope,
      plan,
      after,
      (record) => {
        if (accept(record) !== undefined) rows.push(record);
        return rows.length < wanted;
      },
      expected,
    );
  } else {
    const top = new TopK(wanted, q.orderBy);
    examined = await readPlan(scope, plan, after, (record) => {
      const key = accept(record);
      if (key !== undefined) top.add(record, key);
      return true;
    });
    rows = top.records();
  }
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  const out: QueryOutcome = {
    items,
    plan: {
      index: plan.kind === 'index' && plan.index ? plan.index.name : null,
      strategy: plan.strategy,
      rowsExamined: examined,
      rowsReturned: items.length,
      sorted: !ordered && plan.kind !== 'empty',
    },
  };
  if (rows.length > q.limit && last !== undefined) out.nextCursor = encodeCursor(q.hash, sortKey(last, q.orderBy));
  return out;
}

const BY_ID = [{ field: 'id', direction: 'asc' as const }];

/** Count the records matching a filter, from index counts where the filter is one indexed condition. */
export async function runCount(scope: QueryScope, where: Filter | undefined): Promise<number> {
  const store = scope.tx.objectStore(scope.store);
  if (where === undefined) return settled(scope.tx, store.count());
  const { plan } = await choosePlan(scope, where, BY_ID);
  if ((plan.kind === 'store' || plan.kind === 'index') && plan.exact && !plan.dedupe) {
    return entries(scope, plan);
  }
  let n = 0;
  await readPlan(scope, plan, undefined, (record) => {
    if (matches(record, where)) n++;
    return true;
  });
  return n;
}

/** Aggregate the matching records in one pass over the planned ranges. */
export async function runAggregate(scope: QueryScope, aggregation: Aggregation): Promise<AggregateRow[]> {
  const { plan } = await choosePlan(scope, aggregation.where, BY_ID);
  const agg = new Aggregator(aggregation);
  await readPlan(scope, plan, undefined, (record) => {
    if (matches(record, aggregation.where)) agg.add(record);
    return true;
  });
  return agg.rows();
}
