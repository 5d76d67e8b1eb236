/**
 * Deep copies of plain JSON values, faster than `structuredClone` for the small records a
 * CRM holds.
 *
 * @module
 */

/** A deep copy of a JSON value. */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = cloneJson(v);
    }
  }
  return out as T;
}

/**
 * A deep copy of a stored record without its top-level `_` fields (search tokens, derived
 * index fields): what callers receive, made without copying the tokens first and deleting
 * them after (a delete also leaves the copy a slow dictionary-mode object).
 */
export function clonePublic<T>(record: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key) || key.charCodeAt(0) === 95) continue;
    const v = record[key];
    if (v !== undefined) out[key] = cloneJson(v);
  }
  return out as T;
}
