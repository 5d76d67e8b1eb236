/**
 * IndexedDB keys as plain data: which values are keys, how a record's index key is read, and
 * key ranges described without `IDBKeyRange` so the planner stays a pure, testable function.
 *
 * Records are JSON, so the only keys that occur are numbers, strings and arrays of keys. Their
 * IndexedDB order (numbers < strings < arrays, strings by code unit, arrays element-wise then
 * shorter first) is exactly {@link compareValues} restricted to those types.
 *
 * @module
 */
import { compareValues } from '../../src/query/order';
import type { IndexSpec } from '../../src/storage/adapter';

/** A key as it occurs in rapport's records. */
export type Key = number | string | Key[];

/** Whether IndexedDB accepts `value` as a key (for JSON values: finite-or-infinite numbers, strings, arrays of keys). */
export function isKey(value: unknown): value is Key {
  if (typeof value === 'number') return !Number.isNaN(value);
  if (typeof value === 'string') return true;
  if (Array.isArray(value)) return value.every(isKey);
  return false;
}

/** Whether `value` is a scalar key (what conditions can be answered from an index with). */
export function isScalarKey(value: unknown): value is number | string {
  return (typeof value === 'number' && !Number.isNaN(value)) || typeof value === 'string';
}

/** Compare two keys in IndexedDB's order. */
export function compareKeysIdb(a: Key, b: Key): number {
  return compareValues(a, b);
}

/**
 * Evaluate a key path the way IndexedDB does on a JSON record: step through own properties of
 * objects only (a path never passes through an array of a JSON record, except `length`, which
 * no index uses).
 */
export function evaluatePath(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The keys under which IndexedDB files `record` in an index: none when the record is left out
 * (a missing, `null`, boolean or object value), one for a plain index, the distinct valid
 * elements of the array for a `multiEntry` index.
 */
export function indexKeysOf(record: unknown, spec: IndexSpec): Key[] {
  if (spec.fields.length > 1) {
    const parts = spec.fields.map((f) => evaluatePath(record, f));
    return isKey(parts) ? [parts] : [];
  }
  const value = evaluatePath(record, spec.fields[0] ?? '');
  if (spec.multiEntry && Array.isArray(value)) {
    const out: Key[] = [];
    for (const el of value) if (isKey(el) && !out.some((k) => compareKeysIdb(k, el) === 0)) out.push(el);
    return out;
  }
  return isKey(value) ? [value] : [];
}

/** A key range as plain data: `undefined` bounds are open-ended. */
export interface RangeSpec {
  /** Lowest key, if bounded below. */
  lower?: Key | undefined;
  /** Highest key, if bounded above. */
  upper?: Key | undefined;
  /** Whether `lower` itself is excluded. */
  lowerOpen: boolean;
  /** Whether `upper` itself is excluded. */
  upperOpen: boolean;
}

/**
 * A value that sorts after every number and string and before every non-empty array: closing
 * a range with it keeps every longer compound key whose prefix matched, and stops before the
 * next prefix (an array key is larger than any scalar).
 */
export const AFTER_SCALARS: Key = [];

/** Whether a key lies inside a range. */
export function inRange(key: Key, range: RangeSpec): boolean {
  if (range.lower !== undefined) {
    const c = compareKeysIdb(key, range.lower);
    if (c < 0 || (c === 0 && range.lowerOpen)) return false;
  }
  if (range.upper !== undefined) {
    const c = compareKeysIdb(key, range.upper);
    if (c > 0 || (c === 0 && range.upperOpen)) return false;
  }
  return true;
}

/** Whether a range can hold no key at all. */
export function isEmptyRange(range: RangeSpec): boolean {
  if (range.lower === undefined || range.upper === undefined) return false;
  const c = compareKeysIdb(range.lower, range.upper);
  return c > 0 || (c === 0 && (range.lowerOpen || range.upperOpen));
}

/**
 * The smallest string greater than every string starting with `prefix`, or `undefined` when
 * there is none (the prefix is all U+FFFF code units): the exclusive upper bound of a
 * `startsWith` range.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  let end = prefix.length;
  while (end > 0 && prefix.charCodeAt(end - 1) === 0xffff) end--;
  if (end === 0) return undefined;
  return prefix.slice(0, end - 1) + String.fromCharCode(prefix.charCodeAt(end - 1) + 1);
}

/** Convert a range to the platform's `IDBKeyRange` (`null` for an unbounded one). */
export function toKeyRange(factory: typeof IDBKeyRange, range: RangeSpec): IDBKeyRange | null {
  const { lower, upper, lowerOpen, upperOpen } = range;
  if (lower !== undefined && upper !== undefined) {
    if (!lowerOpen && !upperOpen && compareKeysIdb(lower, upper) === 0) return factory.only(lower);
    return factory.bound(lower, upper, lowerOpen, upperOpen);
  }
  if (lower !== undefined) return factory.lowerBound(lower, lowerOpen);
  if (upper !== undefined) return factory.upperBound(upper, upperOpen);
  return null;
}
