/**
 * Copies of records. Records are plain JSON, so a hand-written walk is several times faster
 * than `structuredClone`; anything that is not plain JSON falls back to it.
 *
 * @internal
 * @module
 */

/** A deep copy of a JSON-like value. */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i] as unknown);
    return out as T;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  // for-in with an own-property check is faster than Object.keys here: no key array per object.
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = cloneJson((value as Record<string, unknown>)[key]);
    // Assigning `__proto__` would set the prototype instead of copying an own field.
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out as T;
}
