/**
 * The query planner: picks the index and key ranges that read the fewest records, and says
 * whether reading them in key order already yields the query's order. Pure: plans are plain
 * data, so they are tested without a database.
 *
 * @module
 */
import type { IndexSpec, QueryPlan } from '../../src/storage/adapter';
import type { Filter, OrderBy } from '../../src/query/types';
import { conjuncts, constraintOf, intersect, mostSelective } from './constraints';
import type { Constraint } from './constraints';
import { AFTER_SCALARS } from './keys';
import type { Key, RangeSpec } from './keys';

/** How to read a collection for one query. */
export type Plan =
  /** Nothing can match (e.g. `in []`, or `n = 1 and n = 2`): read nothing. */
  | { kind: 'empty'; strategy: QueryPlan['strategy'] }
  /** Read these ids from the store (an `id` equality or `in`). */
  | { kind: 'ids'; ids: string[]; strategy: 'primary-key' }
  | {
      kind: 'store' | 'index';
      /** The index read (`kind: 'index'`). */
      index?: IndexSpec;
      /** Disjoint ranges read one after the other. */
      ranges: RangeSpec[];
      /** Whether reading the (single) range in `direction` yields the query's order. */
      ordered: boolean;
      /** Cursor direction: `prev` walks the index backwards for a descending order. */
      direction: 'next' | 'prev';
      /** Whether one record may appear under several keys (a `multiEntry` index). */
      dedupe: boolean;
      /** Whether the plan is right only if every record is in the index (checked at run time). */
      needsComplete: boolean;
      /** Leading index fields fixed by equality, and the query order positions of the others: to seek to a cursor. */
      seek?: { prefix: Key[]; positions: number[] };
      /** Whether the ranges hold exactly the matching records (a count can be read off the index). */
      exact: boolean;
      /** What `explain` reports. */
      strategy: QueryPlan['strategy'];
    };

const UNBOUNDED: RangeSpec = { lowerOpen: false, upperOpen: false };

/** Key ranges of a compound index: a fixed prefix, then points or a range on the next field. */
function compoundRanges(prefix: Key[], next: Constraint | undefined, width: number): RangeSpec[] {
  if (next === undefined || 'empty' in next) {
    if (prefix.length === 0) return [UNBOUNDED];
    if (prefix.length === width) return [{ lower: prefix, upper: prefix, lowerOpen: false, upperOpen: false }];
    return [{ lower: prefix, upper: [...prefix, AFTER_SCALARS], lowerOpen: false, upperOpen: true }];
  }
  if ('points' in next) return next.points.flatMap((p) => compoundRanges([...prefix, p], undefined, width));
  const r = next.range;
  // A longer key sorts after its own prefix, so `[...prefix, v, []]` sits after every key
  // starting with `[...prefix, v]` and before the next value of that field.
  const out: RangeSpec = { lowerOpen: false, upperOpen: false };
  if (r.lower !== undefined) {
    out.lower = r.lowerOpen ? [...prefix, r.lower, AFTER_SCALARS] : [...prefix, r.lower];
    out.lowerOpen = r.lowerOpen;
  } else if (prefix.length > 0) out.lower = prefix;
  if (r.upper !== undefined) {
    out.upper = r.upperOpen ? [...prefix, r.upper] : [...prefix, r.upper, AFTER_SCALARS];
    out.upperOpen = r.upperOpen;
  } else if (prefix.length > 0) {
    out.upper = [...prefix, AFTER_SCALARS];
    out.upperOpen = true;
  }
  return [out];
}

function singleRanges(c: Constraint | undefined): RangeSpec[] {
  if (c === undefined || 'empty' in c) return [UNBOUNDED];
  if ('points' in c) return c.points.map((p) => ({ lower: p, upper: p, lowerOpen: false, upperOpen: false }));
  return [c.range];
}

interface Candidate {
  plan: Plan;
  score: number;
}

function sameDirection(orderBy: readonly Required<OrderBy>[]): boolean {
  return orderBy.every((o) => o.direction === orderBy[0]?.direction);
}

function planIndex(spec: IndexSpec, byField: Map<string, Constraint[]>, orderBy: Required<OrderBy>[], single: boolean): Candidate | undefined {
  const direction = orderBy[orderBy.length - 1]?.direction === 'desc' ? 'prev' : 'next';
  if (spec.multiEntry) {
    const c = mostSelective(byField.get(spec.fields[0] ?? '') ?? []);
    if (c === undefined || 'empty' in c) return undefined;
    const ranges = singleRanges(c);
    const isPoints = 'points' in c;
    const strategy = ranges.length > 1 ? 'index-union' : isPoints ? 'index-equality' : 'index-range';
    const plan: Plan = { kind: 'index', index: spec, ranges, ordered: false, direction, dedupe: !isPoints || ranges.length > 1, needsComplete: false, exact: single && isPoints && ranges.length === 1, strategy };
    return { plan, score: isPoints ? (ranges.length === 1 ? 100 : 50) : 40 };
  }
  const merged = spec.fields.map((f) => intersect(byField.get(f) ?? []));
  // Conditions on one single-valued field that no value meets: nothing can match.
  if (merged.some((m) => m !== undefined && 'empty' in m)) return { plan: { kind: 'empty', strategy: 'full-scan' }, score: Infinity };
  let k = 0;
  const prefix: Key[] = [];
  for (const m of merged) {
    if (m === undefined || !('points' in m) || m.points.length !== 1) break;
    prefix.push(m.points[0] as Key);
    k++;
  }
  const next = merged[k];
  const bound = k + (next === undefined ? 0 : 1);
  // Order fields other than `id`, less the fields fixed by equality, must be the rest of the index.
  const rest = orderBy.slice(0, -1).filter((o) => !spec.fields.slice(0, k).includes(o.field));
  const restFields = spec.fields.slice(k);
  const multiPoints = next !== undefined && 'points' in next && next.points.length > 1;
  const ordered =
    !multiPoints && sameDirection([...rest, ...orderBy.slice(-1)]) && rest.length === restFields.length && rest.every((o, i) => o.field === restFields[i]);
  if (bound === 0 && !ordered) return undefined;
  // Every matching record holds keys in all the index's fields only if each field is constrained.
  const needsComplete = merged.some((m) => m === undefined);
  const ranges = spec.fields.length > 1 ? compoundRanges(prefix, next, spec.fields.length) : singleRanges(next ?? merged[0]);
  const strategy = bound === 0 ? 'index-order' : ranges.length > 1 ? 'index-union' : next !== undefined && 'range' in next ? 'index-range' : 'index-equality';
  const positions = restFields.map((f) => orderBy.findIndex((o) => o.field === f));
  const plan: Plan = {
    kind: 'index',
    index: spec,
    ranges,
    ordered,
    direction,
    dedupe: false,
    needsComplete,
    ...(ordered ? { seek: { prefix, positions } } : {}),
    exact: single && spec.fields.length === 1 && bound === 1,
    strategy,
  };
  const score = k * 100 + (multiPoints ? 50 : next !== undefined && 'range' in next ? 40 : 0) + (ordered ? 30 : 0) - (needsComplete ? 5 : 0);
  return { plan, score };
}

/**
 * Every useful way to read a collection for a query, best first. `exclude` names indexes found
 * not to hold every record (so they cannot stand in for a full scan). The first plan filters
 * best; a later ordered one may still read less for a small page of a common value, which only
 * the data can tell (see `choosePlan`).
 */
export function planCandidates(
  indexes: readonly IndexSpec[],
  where: Filter | undefined,
  orderBy: Required<OrderBy>[],
  exclude: ReadonlySet<string> = new Set(),
): Plan[] {
  const conds = conjuncts(where);
  // A count can be read off an index only when the filter is that one condition, fully.
  const single = where !== undefined && 'field' in where && where.op !== 'hasAll';
  const multiFields = new Set(indexes.filter((i) => i.multiEntry).flatMap((i) => i.fields));
  const byField = new Map<string, Constraint[]>();
  for (const cond of conds) {
    const c = constraintOf(cond, multiFields.has(cond.field));
    if (c === undefined) continue;
    if ('empty' in c) return [{ kind: 'empty', strategy: 'full-scan' }];
    const list = byField.get(cond.field) ?? [];
    list.push(c);
    byField.set(cond.field, list);
  }
  const direction = orderBy[orderBy.length - 1]?.direction === 'desc' ? 'prev' : 'next';
  const byId = intersect(byField.get('id') ?? []);
  if (byId !== undefined && 'empty' in byId) return [{ kind: 'empty', strategy: 'primary-key' }];
  if (byId !== undefined && 'points' in byId) {
    return [{ kind: 'ids', ids: byId.points.filter((p): p is string => typeof p === 'string'), strategy: 'primary-key' }];
  }
  const idOrdered = orderBy.length === 1;
  const candidates: Candidate[] = [
    {
      plan: {
        kind: 'store',
        ranges: [byId !== undefined && 'range' in byId ? byId.range : UNBOUNDED],
        ordered: idOrdered,
        direction,
        dedupe: false,
        needsComplete: false,
        exact: single && byId !== undefined,
        strategy: byId !== undefined ? 'primary-key' : 'full-scan',
      },
      score: (byId !== undefined ? 40 : 0) + (idOrdered ? 30 : 0),
    },
  ];
  for (const spec of indexes) {
    if (exclude.has(spec.name)) continue;
    const c = planIndex(spec, byField, orderBy, single);
    if (c !== undefined) candidates.push(c);
  }
  // Stable: among equal scores the store comes first, then indexes in declaration order.
  return candidates.sort((a, b) => b.score - a.score).map((c) => c.plan);
}

/**
 * The plan that filters best for a query over a collection with these indexes.
 *
 * @example
 * ```ts
 * planQuery([{ name: 'tier', fields: ['tier'] }], { field: 'tier', op: 'eq', value: 'vip' }, [{ field: 'id', direction: 'asc' }]);
 * // → { kind: 'index', strategy: 'index-equality', ordered: true, … }
 * ```
 */
export function planQuery(indexes: readonly IndexSpec[], where: Filter | undefined, orderBy: Required<OrderBy>[], exclude?: ReadonlySet<string>): Plan {
  return planCandidates(indexes, where, orderBy, exclude)[0] as Plan;
}
