/**
 * What one condition says about the keys an index may hold for a matching record, as points
 * or a range. Only conditions that can match nothing but strings and numbers are turned into
 * constraints (see `IndexSpec`): a record holding anything else is not in an index, so an
 * index can answer only for values it holds.
 *
 * @module
 */
import type { Condition, Filter } from '../../src/query/types';
import { AFTER_SCALARS, compareKeysIdb, inRange, isEmptyRange, isScalarKey, prefixUpperBound } from './keys';
import type { Key, RangeSpec } from './keys';

/** Keys a matching record's field must hold: one of some points, inside a range, or nothing at all. */
export type Constraint = { points: Key[] } | { range: RangeSpec } | { empty: true };

/** The conditions of the top-level conjunction: only those may narrow a read. */
export function conjuncts(filter: Filter | undefined, out: Condition[] = []): Condition[] {
  if (filter === undefined) return out;
  if ('and' in filter) for (const f of filter.and) conjuncts(f, out);
  else if ('field' in filter) out.push(filter);
  return out;
}

function uniquePoints(values: readonly unknown[]): Key[] | undefined {
  const out: Key[] = [];
  for (const v of values) {
    if (!isScalarKey(v)) return undefined;
    if (!out.some((k) => compareKeysIdb(k, v) === 0)) out.push(v);
  }
  return out.sort(compareKeysIdb);
}

/** The bottom and top of a value's type, so a range never strays into the other type. */
function bracket(sample: number | string): RangeSpec {
  return typeof sample === 'number'
    ? { lower: -Infinity, upper: Infinity, lowerOpen: false, upperOpen: false }
    : { lower: '', upper: AFTER_SCALARS, lowerOpen: false, upperOpen: true };
}

/**
 * The constraint a condition puts on the keys of its field, or `undefined` when an index
 * cannot help (or could miss matching records). `multiEntry` says whether the field's index
 * files each element of an array: `has`, `hasAny` and `hasAll` need that.
 */
export function constraintOf(cond: Condition, multiEntry: boolean): Constraint | undefined {
  switch (cond.op) {
    case 'eq': {
      const points = uniquePoints([cond.value]);
      return points && { points };
    }
    case 'in': {
      const points = uniquePoints(cond.value);
      return points && (points.length === 0 ? { empty: true } : { points });
    }
    case 'has': {
      if (!multiEntry) return undefined;
      const points = uniquePoints([cond.value]);
      return points && { points };
    }
    case 'hasAny': {
      if (!multiEntry) return undefined;
      if (cond.value.length === 0) return { empty: true };
      const points = uniquePoints(cond.value);
      return points && { points };
    }
    case 'hasAll': {
      // A record holding all values holds any one of them: one point is a superset.
      const first = cond.value.find(isScalarKey);
      return multiEntry && first !== undefined ? { points: [first] } : undefined;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const v = cond.value;
      if (!isScalarKey(v)) return undefined;
      const range = bracket(v);
      if (cond.op === 'gt' || cond.op === 'gte') {
        range.lower = v;
        range.lowerOpen = cond.op === 'gt';
      } else {
        range.upper = v;
        range.upperOpen = cond.op === 'lt';
      }
      return { range };
    }
    case 'between': {
      const [low, high] = cond.value;
      if (!isScalarKey(low) || !isScalarKey(high) || typeof low !== typeof high) return undefined;
      const range: RangeSpec = { lower: low, upper: high, lowerOpen: false, upperOpen: false };
      return isEmptyRange(range) ? { empty: true } : { range };
    }
    case 'startsWith': {
      if (typeof cond.value !== 'string') return undefined;
      const upper = prefixUpperBound(cond.value);
      return { range: { lower: cond.value, upper: upper ?? AFTER_SCALARS, lowerOpen: false, upperOpen: true } };
    }
    default:
      return undefined;
  }
}

function tighterLower(a: RangeSpec, b: RangeSpec): Pick<RangeSpec, 'lower' | 'lowerOpen'> {
  if (a.lower === undefined) return { lower: b.lower, lowerOpen: b.lowerOpen };
  if (b.lower === undefined) return { lower: a.lower, lowerOpen: a.lowerOpen };
  const c = compareKeysIdb(a.lower, b.lower);
  if (c !== 0) return c > 0 ? { lower: a.lower, lowerOpen: a.lowerOpen } : { lower: b.lower, lowerOpen: b.lowerOpen };
  return { lower: a.lower, lowerOpen: a.lowerOpen || b.lowerOpen };
}

function tighterUpper(a: RangeSpec, b: RangeSpec): Pick<RangeSpec, 'upper' | 'upperOpen'> {
  if (a.upper === undefined) return { upper: b.upper, upperOpen: b.upperOpen };
  if (b.upper === undefined) return { upper: a.upper, upperOpen: a.upperOpen };
  const c = compareKeysIdb(a.upper, b.upper);
  if (c !== 0) return c < 0 ? { upper: a.upper, upperOpen: a.upperOpen } : { upper: b.upper, upperOpen: b.upperOpen };
  return { upper: a.upper, upperOpen: a.upperOpen || b.upperOpen };
}

/**
 * Combine what several conditions on one single-valued field say: a value that must meet
 * all of them meets their intersection. (Never used for a `multiEntry` field, where each
 * condition may be met by a different element.)
 */
export function intersect(constraints: readonly Constraint[]): Constraint | undefined {
  let acc: Constraint | undefined;
  for (const c of constraints) {
    if ('empty' in c) return c;
    if (acc === undefined || 'empty' in acc) {
      acc = c;
    } else if ('points' in acc && 'points' in c) {
      const other = c.points;
      acc = { points: acc.points.filter((p) => other.some((q) => compareKeysIdb(p, q) === 0)) };
    } else if ('points' in acc && 'range' in c) {
      const r = c.range;
      acc = { points: acc.points.filter((p) => inRange(p, r)) };
    } else if ('range' in acc && 'points' in c) {
      const r = acc.range;
      acc = { points: c.points.filter((p) => inRange(p, r)) };
    } else if ('range' in acc && 'range' in c) {
      acc = { range: { ...tighterLower(acc.range, c.range), ...tighterUpper(acc.range, c.range) } };
    }
    if (acc && 'points' in acc && acc.points.length === 0) return { empty: true };
    if (acc && 'range' in acc && isEmptyRange(acc.range)) return { empty: true };
  }
  return acc;
}

/** For a `multiEntry` field: the one condition that narrows most (fewest points, else a range). */
export function mostSelective(constraints: readonly Constraint[]): Constraint | undefined {
  let best: Constraint | undefined;
  const rank = (c: Constraint): number => ('empty' in c ? -1 : 'points' in c ? c.points.length : 1e9);
  for (const c of constraints) if (best === undefined || rank(c) < rank(best)) best = c;
  return best;
}
