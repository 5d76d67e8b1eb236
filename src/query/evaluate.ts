/**
 * The reference filter evaluator: what every adapter's answer must agree with. Adapters use
 * it for whatever their indexes cannot answer.
 *
 * @module
 */
import { compareValues, typeRank, valuesEqual } from './order';
import { collectValues, sortValue } from './path';
import type { Condition, Filter, OrderBy } from './types';

/** The values a condition is tested against: each leaf, and each element of an array leaf. */
function candidates(leaves: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (const leaf of leaves) {
    if (Array.isArray(leaf)) {
      out ??= leaves.slice();
      for (const el of leaf) out.push(el);
    }
  }
  return out ?? leaves;
}

function inRange(value: unknown, op: 'gt' | 'gte' | 'lt' | 'lte', bound: unknown): boolean {
  // Ranges are type-bracketed: a number bound never matches a string and vice versa.
  const r = typeRank(value);
  if (r !== typeRank(bound) || (r !== 4 && r !== 5)) return false;
  const c = compareValues(value, bound);
  switch (op) {
    case 'gt':
      return c > 0;
    case 'gte':
      return c >= 0;
    case 'lt':
      return c < 0;
    case 'lte':
      return c <= 0;
  }
}

/** Whether one scalar (not an array, not missing) value matches a condition: the common case. */
function scalarMatches(v: unknown, cond: Condition): boolean {
  switch (cond.op) {
    case 'exists':
      return cond.value;
    case 'eq':
    case 'has':
      return valuesEqual(v, cond.value);
    case 'ne':
      return !valuesEqual(v, cond.value);
    case 'in':
    case 'hasAny':
      return cond.value.some((x) => valuesEqual(v, x));
    case 'nin':
      return !cond.value.some((x) => valuesEqual(v, x));
    case 'hasAll':
      return cond.value.every((x) => valuesEqual(v, x));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return inRange(v, cond.op, cond.value);
    case 'between':
      return inRange(v, 'gte', cond.value[0]) && inRange(v, 'lte', cond.value[1]);
    case 'contains':
      return typeof v === 'string' && typeof cond.value === 'string' && v.includes(cond.value);
    case 'startsWith':
      return typeof v === 'string' && typeof cond.value === 'string' && v.startsWith(cond.value);
  }
}

/** Whether a record matches one condition. */
export function matchesCondition(record: unknown, cond: Condition): boolean {
  // Fast path: a top-level field holding a scalar (or missing), without building leaf arrays.
  // (A dot test, not `splitPath`: this runs per record and condition, and the split is a map lookup.)
  if (record !== null && typeof record === 'object' && !Array.isArray(record) && cond.field.indexOf('.') < 0) {
    const v = Object.prototype.hasOwnProperty.call(record, cond.field) ? (record as Record<string, unknown>)[cond.field] : undefined;
    if (v === undefined) return missingMatches(cond);
    if (!Array.isArray(v)) return scalarMatches(v, cond);
  }
  const leaves = collectValues(record, cond.field);
  switch (cond.op) {
    case 'exists':
      return cond.value ? leaves.length > 0 : leaves.length === 0;
    case 'eq':
      return candidates(leaves).some((v) => valuesEqual(v, cond.value));
    case 'ne':
      return !candidates(leaves).some((v) => valuesEqual(v, cond.value));
    case 'in': {
      const cs = candidates(leaves);
      return cond.value.some((x) => cs.some((v) => valuesEqual(v, x)));
    }
    case 'nin': {
      const cs = candidates(leaves);
      return !cond.value.some((x) => cs.some((v) => valuesEqual(v, x)));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const op = cond.op;
      return candidates(leaves).some((v) => inRange(v, op, cond.value));
    }
    case 'between': {
      const [low, high] = cond.value;
      return candidates(leaves).some((v) => inRange(v, 'gte', low) && inRange(v, 'lte', high));
    }
    case 'contains':
      return (
        typeof cond.value === 'string' &&
        candidates(leaves).some((v) => typeof v === 'string' && v.includes(cond.value as string))
      );
    case 'startsWith':
      return (
        typeof cond.value === 'string' &&
        candidates(leaves).some((v) => typeof v === 'string' && v.startsWith(cond.value as string))
      );
    case 'has':
      return hasValue(leaves, cond.value);
    case 'hasAny':
      return cond.value.some((x) => hasValue(leaves, x));
    case 'hasAll':
      return cond.value.every((x) => hasValue(leaves, x));
  }
}

/** Whether a missing field matches a condition. */
function missingMatches(cond: Condition): boolean {
  switch (cond.op) {
    case 'exists':
      return !cond.value;
    case 'ne':
    case 'nin':
      return true;
    case 'hasAll':
      return cond.value.length === 0;
    default:
      return false;
  }
}

/** `has`: some element of an array leaf (or a scalar leaf reached through arrays) equals `x`. */
function hasValue(leaves: unknown[], x: unknown): boolean {
  for (const leaf of leaves) {
    if (Array.isArray(leaf)) {
      for (const el of leaf) if (valuesEqual(el, x)) return true;
    } else if (valuesEqual(leaf, x)) {
      return true;
    }
  }
  return false;
}

/**
 * Whether a record matches a filter (`undefined` matches everything).
 *
 * @example
 * ```ts
 * matches({ tier: 'vip', tags: ['a'] }, { and: [{ field: 'tier', op: 'eq', value: 'vip' },
 *   { field: 'tags', op: 'has', value: 'a' }] }); // true
 * ```
 */
export function matches(record: unknown, filter: Filter | undefined): boolean {
  if (filter === undefined) return true;
  // Loops rather than every/some: this runs per candidate record, without a closure per call.
  if ('and' in filter) {
    for (const f of filter.and) if (!matches(record, f)) return false;
    return true;
  }
  if ('or' in filter) {
    for (const f of filter.or) if (matches(record, f)) return true;
    return false;
  }
  if ('not' in filter) return !matches(record, filter.not);
  return matchesCondition(record, filter);
}

/**
 * The sort key of a record under an ordering (one value per key).
 *
 * @example
 * ```ts
 * sortKey({ id: 'c1', name: 'Ada', createdAt: '2024-01-02' }, [{ field: 'name' }, { field: 'createdAt', direction: 'desc' }]);
 * // ['Ada', '2024-01-02']
 * ```
 */
export function sortKey(record: unknown, orderBy: readonly OrderBy[]): unknown[] {
  return orderBy.map((o) => sortValue(record, o.field));
}

/**
 * Compare two sort keys under an ordering's directions.
 *
 * @example
 * ```ts
 * const orderBy: OrderBy[] = [{ field: 'name' }, { field: 'createdAt', direction: 'desc' }];
 * compareKeys(['Ada', '2024-01-02'], ['Ada', '2024-03-01'], orderBy); // positive: the later one comes first
 * ```
 */
export function compareKeys(a: readonly unknown[], b: readonly unknown[], orderBy: readonly OrderBy[]): number {
  for (let i = 0; i < orderBy.length; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return orderBy[i]?.direction === 'desc' ? -c : c;
  }
  return 0;
}

/**
 * A comparator for records under an ordering.
 *
 * @example
 * ```ts
 * records.sort(comparator([{ field: 'name' }, { field: 'id' }]));
 * ```
 */
export function comparator(orderBy: readonly OrderBy[]): (a: unknown, b: unknown) => number {
  return (a, b) => compareKeys(sortKey(a, orderBy), sortKey(b, orderBy), orderBy);
}
