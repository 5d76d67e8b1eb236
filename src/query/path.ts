/**
 * Dotted paths into records.
 *
 * @module
 */

const cache = new Map<string, readonly string[]>();

/** Split a dotted path into its segments (memoized: paths repeat). */
export function splitPath(path: string): readonly string[] {
  let parts = cache.get(path);
  if (parts === undefined) {
    parts = path.split('.');
    if (cache.size > 10_000) cache.clear();
    cache.set(path, parts);
  }
  return parts;
}

/**
 * The leaf values a path reaches. Passing through an array fans out over its elements, so
 * `addresses.country` on two addresses yields two values; a leaf that is itself an array is
 * returned as one value. Missing steps yield nothing.
 *
 * @example
 * ```ts
 * collectValues({ addresses: [{ country: 'TR' }, { country: 'DE' }] }, 'addresses.country'); // ['TR', 'DE']
 * collectValues({ name: 'Ada' }, 'phone'); // []
 * ```
 */
export function collectValues(record: unknown, path: string): unknown[] {
  const parts = splitPath(path);
  // Fast path: a top-level field, the most common case.
  if (parts.length === 1 && record !== null && typeof record === 'object' && !Array.isArray(record)) {
    if (!Object.prototype.hasOwnProperty.call(record, path)) return [];
    const v = (record as Record<string, unknown>)[path];
    return v === undefined ? [] : [v];
  }
  let current: unknown[] = [record];
  for (const part of parts) {
    const next: unknown[] = [];
    for (const value of current) step(value, part, next);
    if (next.length === 0) return next;
    current = next;
  }
  return current;
}

function step(value: unknown, part: string, out: unknown[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part)) {
      const v = value[Number(part)];
      if (v !== undefined) out.push(v);
      return;
    }
    for (const el of value) step(el, part, out);
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(value, part)) return;
  const v = (value as Record<string, unknown>)[part];
  if (v !== undefined) out.push(v);
}

/**
 * The single value a path names, for ordering and index keys: missing → `undefined`, one
 * leaf → that leaf, several (through arrays) → the array of them.
 *
 * @example
 * ```ts
 * sortValue({ address: { country: 'TR' } }, 'address.country'); // 'TR'
 * sortValue({ addresses: [{ country: 'TR' }, { country: 'DE' }] }, 'addresses.country'); // ['TR', 'DE']
 * sortValue({ name: 'Ada' }, 'phone'); // undefined
 * ```
 */
export function sortValue(record: unknown, path: string): unknown {
  // Fast path: a path through plain objects only (the common case) needs no leaf arrays.
  let current: unknown = record;
  for (const part of splitPath(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) return slowSortValue(record, path);
    if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function slowSortValue(record: unknown, path: string): unknown {
  const values = collectValues(record, path);
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0];
  return values;
}
