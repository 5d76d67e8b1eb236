/**
 * The query planner: picks how to find a query's candidates — through the most selective
 * index access, a union of accesses for an `or`, a walk of an index in the query's order
 * (so a page of 50 reads about 50 entries), or a full scan. What the access does not answer
 * without false matches is re-checked with the reference evaluator, so a plan only decides
 * speed, never results.
 *
 * @internal
 * @module
 */
import type { Condition, Filter, OrderBy } from '../../src/query/types';
import { type Access, type Range, conjunctsOf, indexAccess } from './access';
import type { CollectionState, IndexState } from './collection';
import type { SortedIndex } from './sorted-index';

/** Candidates from several accesses, one per branch of an `or`. */
export interface UnionAccess {
  /** One access per branch. */
  parts: Access[];
  /** Sum of the parts' estimates. */
  estimate: number;
  /** The `or` it answers, when every record the parts reach meets it (see {@link Access.covered}). */
  covered: Filter | undefined;
}

/** Where a filter's candidates come from: one access, a union, or `undefined` for everything. */
export type CandidateSource = Access | UnionAccess | undefined;

/** A walk of one index in the query's order, stopping once the page is full. */
export interface WalkPlan {
  /** Discriminant. */
  kind: 'walk';
  /** The index walked, `undefined` for the primary key. */
  index: IndexState | undefined;
  /** Its entries. */
  tree: SortedIndex;
  /** The parts walked, in index order. */
  ranges: Range[];
  /** Values of leading fields bound by `eq`, needed to place a cursor in the index. */
  eqPrefix: unknown[];
  /** Conditions every record walked meets. */
  covered: readonly Filter[];
  /** Walk backwards (a `desc` ordering). */
  reverse: boolean;
  /** For the query plan. */
  strategy: 'full-scan' | 'primary-key' | 'index-equality' | 'index-range' | 'index-order';
}

/** Candidates collected, then filtered and the best `limit` kept in order. */
export interface FetchPlan {
  /** Discriminant. */
  kind: 'fetch';
  /** Where candidates come from (`undefined`: every record). */
  source: CandidateSource;
}

/** How a query is answered. */
export type Plan = WalkPlan | FetchPlan;

/** What a source's candidates are known to meet: its covered conditions, or the `or` a union answers. */
export function coveredBy(source: CandidateSource): readonly Filter[] {
  if (source === undefined) return [];
  if (isUnion(source)) return source.covered === undefined ? [] : [source.covered];
  return source.covered;
}

/**
 * The part of a filter left to check on a source's candidates: its conjuncts but those the
 * source covers. `undefined` when nothing is left.
 */
export function residualFilter(where: Filter | undefined, covered: readonly Filter[]): Filter | undefined {
  if (where === undefined || covered.length === 0) return where;
  const rest = conjunctsOf(where).filter((c) => !covered.includes(c));
  return rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { and: rest };
}

/** Whether a source is a union of accesses. */
export function isUnion(source: CandidateSource): source is UnionAccess {
  return source !== undefined && 'parts' in source;
}

/** Every access the conjuncts allow: one per usable index, plus unions for `or`s whose branches all have one. */
function accessesFor(collection: CollectionState, conjuncts: readonly Filter[]): (Access | UnionAccess)[] {
  const out: (Access | UnionAccess)[] = [];
  const primary = indexAccess(collection, undefined, conjuncts);
  if (primary !== undefined) out.push(primary);
  for (const index of collection.indexes.values()) {
    const access = indexAccess(collection, index, conjuncts);
    if (access !== undefined) out.push(access);
  }
  for (const conjunct of conjuncts) {
    if (!('or' in conjunct)) continue;
    const parts: Access[] = [];
    let complete = true;
    let covers = true;
    for (const branch of conjunct.or) {
      // Every branch must contribute, or the union would miss that branch's matches.
      const best = bestSource(collection, branch);
      if (best === undefined) {
        complete = false;
        break;
      }
      parts.push(...(isUnion(best) ? best.parts : [best]));
      // The part stands for the whole branch when it covers each of the branch's conjuncts.
      const needed = conjunctsOf(branch);
      covers &&= isUnion(best) ? best.covered !== undefined && needed.length === 1 && needed[0] === best.covered : needed.every((c) => best.covered.includes(c as Condition));
    }
    if (complete && parts.length <= 64) out.push({ parts, estimate: parts.reduce((n, p) => n + p.estimate, 0), covered: covers ? conjunct : undefined });
  }
  return out;
}

/**
 * The most selective candidate source for a filter, or `undefined` when a scan reads no more.
 * With `preferExact`, an access that answers the whole filter exactly wins regardless, since
 * counting it needs no record at all.
 */
export function bestSource(collection: CollectionState, where: Filter | undefined, preferExact = false): CandidateSource {
  let best: Access | UnionAccess | undefined;
  for (const a of accessesFor(collection, conjunctsOf(where))) {
    if (preferExact && !isUnion(a) && a.exact) return a;
    if (best === undefined || a.estimate < best.estimate) best = a;
  }
  return best !== undefined && best.estimate < collection.records.size ? best : undefined;
}

/**
 * The direction to walk an index in for an ordering, or `undefined` when its order is not the
 * ordering's. Fields bound by `eq` are constant over the walk and drop out of both sides.
 */
export function walkDirection(fields: readonly string[], eqCount: number, orderBy: readonly Required<OrderBy>[]): 'asc' | 'desc' | undefined {
  const bound = new Set(fields.slice(0, eqCount));
  const last = orderBy[orderBy.length - 1];
  if (last === undefined || last.field !== 'id') return undefined;
  const rest = orderBy.slice(0, -1).filter((o) => !bound.has(o.field));
  const walked = fields.slice(eqCount);
  if (rest.length !== walked.length || rest.some((o, i) => o.field !== walked[i])) return undefined;
  return [...rest, last].every((o) => o.direction === last.direction) ? last.direction : undefined;
}

/** Factor by which collecting and sorting candidates costs more than reading them in order. */
const SORT_COST = 1.5;

/** Choose how to answer a query. */
export function planQuery(collection: CollectionState, where: Filter | undefined, orderBy: readonly Required<OrderBy>[], limit: number): Plan {
  const n = collection.records.size;
  const accesses = accessesFor(collection, conjunctsOf(where));
  const matches = Math.max(1, Math.min(n, ...accesses.map((a) => a.estimate)));
  // Rows a walk reads before the page fills, if matches are spread evenly over the walk.
  const walkCost = (entries: number): number => Math.min(entries, Math.ceil(((limit + 1) * entries) / matches));

  let plan: Plan = { kind: 'fetch', source: undefined };
  let cost = n * SORT_COST + 1;
  const consider = (candidate: Plan, c: number): void => {
    if (c < cost) {
      plan = candidate;
      cost = c;
    }
  };

  const walkable = (index: IndexState | undefined, bounded: boolean): boolean =>
    index === undefined || (index.spec.multiEntry !== true && index.outliers.size === 0 && (bounded || index.tree.size === n));

  for (const a of accesses) {
    if (!isUnion(a) && walkable(a.index, true)) {
      const fields = a.index?.spec.fields ?? [];
      const direction = walkDirection(fields, a.eqPrefix.length, orderBy);
      if (direction !== undefined) {
        const walk: WalkPlan = { kind: 'walk', index: a.index, tree: a.tree, ranges: a.ranges, eqPrefix: a.eqPrefix, covered: a.covered, reverse: direction === 'desc', strategy: a.strategy };
        consider(walk, walkCost(a.estimate));
        continue;
      }
    }
    consider({ kind: 'fetch', source: a }, a.estimate * SORT_COST);
  }
  const full = (index: IndexState | undefined, tree: SortedIndex): void => {
    if (!walkable(index, false)) return;
    const direction = walkDirection(index?.spec.fields ?? [], 0, orderBy);
    if (direction === undefined) return;
    const strategy = index === undefined ? 'full-scan' : 'index-order';
    consider({ kind: 'walk', index, tree, ranges: [{ from: tree.start(), to: tree.end() }], eqPrefix: [], covered: [], reverse: direction === 'desc', strategy }, walkCost(n));
  };
  full(undefined, collection.primary);
  for (const index of collection.indexes.values()) full(index, index.tree);
  return plan;
}
