/**
 * JSON Merge Patch (RFC 7386): objects merge, arrays and scalars replace, `null` removes.
 *
 * @module
 */
import { ValidationError } from '../errors';

const POISONED = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reject keys that could pollute prototypes anywhere in a JSON value.
 * @throws {@link ValidationError} naming the path of the offending key.
 */
export function assertSafeKeys(value: unknown, path: (string | number)[] = [], collection?: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertSafeKeys(v, [...path, i], collection));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const key of Object.keys(value)) {
    if (POISONED.has(key)) {
      throw new ValidationError([{ path: [...path, key], message: `"${key}" is not allowed as a field name`, code: 'forbidden_key' }], { collection });
    }
    assertSafeKeys(value[key], [...path, key], collection);
  }
}

/**
 * Apply a merge patch to a value, returning a new value (the target is not mutated).
 *
 * @example
 * ```ts
 * applyMergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { c: null, e: 4 } }); // { a: 1, b: { d: 3, e: 4 } }
 * ```
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
