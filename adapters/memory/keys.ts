/**
 * Index keys: what a record contributes to an index, and how keys compare. Keys are strings
 * and numbers only (see `IndexSpec`), compared in the query language's value order.
 *
 * @internal
 * @module
 */
import { compareValues } from '../../src/query/order';
import { collectValues } from '../../src/query/path';
import type { IndexSpec } from '../../src/storage/adapter';

/** A string or a number: the only values an index holds. */
export function isKeyPart(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Compare two key parts in the value order. Bounds taken from cursors may hold any value,
 * hence the general fallback after the two fast paths.
 */
export function compareParts(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareValues(a, b);
}

/** What one record contributes to one index. */
export interface RecordKeys {
  /** Stored keys: one for a plain index, one per distinct element for a multi-entry index. */
  keys: unknown[];
  /**
   * The record is missing from the index although a condition on the index's leading field
   * could match it (its value sits in an array, or a later field of a compound key is
   * missing). Such records are few or none; the planner adds them to every candidate set.
   */
  outlier: boolean;
  /**
   * The index's leading field holds a value (so `exists: true` holds on it) although the
   * record has no key and is no outlier: `null`, a boolean, an object. Tracked so the records
   * holding the field are known exactly — the tree, the outliers and these — which lets a
   * count answer `exists: false` by subtracting them. Only for indexes that are not
   * multi-entry.
   */
  unkeyed?: boolean;
}

const NONE: RecordKeys = { keys: [], outlier: false };
const UNKEYED: RecordKeys = { keys: [], outlier: false, unkeyed: true };

/** Whether the values a path reaches (and the elements of array leaves) include a key part. */
function reachesKeyPart(leaves: readonly unknown[]): boolean {
  for (const leaf of leaves) {
    if (isKeyPart(leaf)) return true;
    if (Array.isArray(leaf) && leaf.some(isKeyPart)) return true;
  }
  return false;
}

/** The keys a record has in an index. */
export function recordKeys(spec: IndexSpec, record: unknown): RecordKeys {
  const fields = spec.fields;
  const first = fields[0];
  if (first === undefined) return NONE;
  // Most indexes name top-level fields: read them without building a list of leaves.
  if (spec.multiEntry !== true && fields.length === 1 && first.indexOf('.') < 0 && record !== null && typeof record === 'object') {
    const v = Object.prototype.hasOwnProperty.call(record, first) ? (record as Record<string, unknown>)[first] : undefined;
    if (isKeyPart(v)) return { keys: [v], outlier: false };
    if (v === undefined) return NONE;
    if (!Array.isArray(v)) return UNKEYED;
  }
  const leaves = collectValues(record, first);
  if (spec.multiEntry === true) {
    // Exactly the values the reference evaluator tests (each leaf, each element of an array
    // leaf), so every record an indexed condition can match is in the index.
    const keys: unknown[] = [];
    for (const leaf of leaves) {
      if (Array.isArray(leaf)) {
        for (const el of leaf) if (isKeyPart(el)) keys.push(el);
      } else if (isKeyPart(leaf)) {
        keys.push(leaf);
      }
    }
    return { keys: keys.length > 1 ? [...new Set(keys)] : keys, outlier: false };
  }
  const lead = leaves.length === 1 ? leaves[0] : undefined;
  if (!isKeyPart(lead)) return leaves.length === 0 ? NONE : reachesKeyPart(leaves) ? { keys: [], outlier: true } : UNKEYED;
  if (fields.length === 1) return { keys: [lead], outlier: false };
  // Sized exactly: the key is stored, and an array grown by push keeps room for 17 parts.
  const parts = new Array<unknown>(fields.length);
  parts[0] = lead;
  for (let i = 1; i < fields.length; i++) {
    const values = collectValues(record, fields[i] as string);
    const v = values.length === 1 ? values[0] : undefined;
    if (!isKeyPart(v)) return { keys: [], outlier: true };
    parts[i] = v;
  }
  return { keys: [parts], outlier: false };
}

/** Whether two key lists hold the same keys in the same order. */
export function sameKeys(a: RecordKeys, b: RecordKeys): boolean {
  if (a.outlier !== b.outlier || (a.unkeyed ?? false) !== (b.unkeyed ?? false) || a.keys.length !== b.keys.length) return false;
  for (let i = 0; i < a.keys.length; i++) {
    const x = a.keys[i];
    const y = b.keys[i];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length || x.some((v, j) => v !== y[j])) return false;
  }
  return true;
}

/** A string naming a key, for maps (numbers and strings stay distinct). */
export function keyText(key: unknown): string {
  return JSON.stringify(key);
}

/**
 * The smallest string greater than every string starting with `prefix`, or `undefined` when
 * there is none (the prefix is empty or all U+FFFF).
 */
export function prefixEnd(prefix: string): string | undefined {
  let end = prefix;
  while (end.length > 0) {
    const last = end.charCodeAt(end.length - 1);
    if (last < 0xffff) return end.slice(0, -1) + String.fromCharCode(last + 1);
    end = end.slice(0, -1);
  }
  return undefined;
}
