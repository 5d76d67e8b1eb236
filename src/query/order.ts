/**
 * The one value order every adapter follows:
 * missing < `null` < `false` < `true` < numbers < strings (by UTF-16 code unit) < arrays
 * (element by element, shorter first) < objects (by their canonical JSON).
 * Dates are ISO 8601 UTC strings of one fixed format, so they order as strings.
 *
 * @module
 */

/**
 * Rank of a value's type in the value order. `undefined` stands for a missing field.
 *
 * @example
 * ```ts
 * [undefined, null, false, 3, 'a', [], {}].map(typeRank); // [0, 1, 2, 4, 5, 6, 7]
 * ```
 */
export function typeRank(value: unknown): number {
  if (value === undefined) return 0;
  if (value === null) return 1;
  if (value === false) return 2;
  if (value === true) return 3;
  if (typeof value === 'number') return 4;
  if (typeof value === 'string') return 5;
  if (Array.isArray(value)) return 6;
  return 7;
}

/**
 * Compare two values in the documented value order: negative, zero or positive.
 *
 * @example
 * ```ts
 * [3, 'a', null, true, false].sort(compareValues); // [null, false, true, 3, 'a']
 * // (Array#sort moves `undefined` to the end without calling the comparator.)
 * ```
 */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 4:
      return (a as number) - (b as number);
    case 5:
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case 6: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const n = Math.min(xa.length, xb.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c !== 0) return c;
      }
      return xa.length - xb.length;
    }
    case 7: {
      const ja = canonicalJson(a);
      const jb = canonicalJson(b);
      return ja === jb ? 0 : ja < jb ? -1 : 1;
    }
    default:
      return 0;
  }
}

/**
 * Deep equality in the value order's sense (`compareValues(a, b) === 0`).
 *
 * @example
 * ```ts
 * valuesEqual({ a: 1, b: [2] }, { b: [2], a: 1 }); // true
 * valuesEqual(1, '1'); // false
 * ```
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ra = typeRank(a);
  if (ra !== typeRank(b) || ra < 6) return false;
  return compareValues(a, b) === 0;
}

/**
 * JSON with object keys sorted, so equal values have equal text.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
