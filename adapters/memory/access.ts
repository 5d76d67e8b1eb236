/**
 * Index accesses: which ranges of one index (or of the primary key) a filter's conditions
 * narrow the candidates to, how many entries those ranges hold, and whether they answer the
 * conditions exactly.
 *
 * @internal
 * @module
 */
import type { Condition, Filter } from '../../src/query/types';
import type { CollectionState, IndexState } from './collection';
import { compareParts, isKeyPart, prefixEnd } from './keys';
import type { Position, SortedIndex } from './sorted-index';

/** A run of consecutive entries: `from` inclusive, `to` exclusive. */
export interface Range {
  /** First position. */
  from: Position;
  /** Position after the last. */
  to: Position;
}

/** Candidates from one index (or the primary key when `index` is undefined). */
export interface Access {
  /** The index, or `undefined` for the primary key. */
  index: IndexState | undefined;
  /** The entries walked. */
  tree: SortedIndex;
  /** Disjoint ranges in index order. */
  ranges: Range[];
  /** Values of the leading fields bound to a single key (by `eq`, or a one-value `in`/`has`). */
  eqPrefix: unknown[];
  /** Entries in the ranges plus outliers: an upper bound of the matches. */
  estimate: number;
  /** The ranges hold exactly the records matching `consumed`, each once. */
  exact: boolean;
  /** Conditions the access answers. */
  consumed: Condition[];
  /**
   * Conditions every record the ranges reach is known to meet (a record may be reached more
   * than once through a multi-entry index); outliers are not covered. A query re-checks only
   * the rest of its filter on these records.
   */
  covered: Condition[];
  /** How the index is used. */
  strategy: 'primary-key' | 'index-equality' | 'index-range';
}

/** Compare two positions of one tree. */
export function comparePositions(a: Position, b: Position): number {
  return a.chunk - b.chunk || a.offset - b.offset;
}

/** The conditions and sub-filters that must all hold (nested `and`s flattened). */
export function conjunctsOf(where: Filter | undefined): Filter[] {
  if (where === undefined) return [];
  if ('and' in where) return where.and.flatMap(conjunctsOf);
  return [where];
}

/** Whether a filter is a single condition. */
export function isCondition(filter: Filter): filter is Condition {
  return 'op' in filter;
}

type Bound = { value: string | number; inclusive: boolean } | undefined;

/** Ranges one condition selects on the field after `prefix`, or `undefined` when it cannot be answered from an index. */
interface Selection {
  ranges: Range[];
  exact: boolean;
  /** Every entry in the ranges belongs to a record meeting the condition (repeats allowed). */
  covers: boolean;
  points: boolean;
  /** The one value selected, when the condition binds the field to a single key. */
  single?: string | number;
}

function select(seek: (parts: unknown[], strict: boolean) => Position, prefix: readonly unknown[], cond: Condition, multiEntry: boolean): Selection | undefined {
  const at = (v: unknown, strict: boolean): Position => seek([...prefix, v], strict);
  const points = (values: readonly unknown[], exact: boolean): Selection | undefined => {
    if (!values.every(isKeyPart)) return undefined;
    const sorted = [...new Set(values)].sort(compareParts);
    const ranges = sorted.map((v) => ({ from: at(v, false), to: at(v, true) })).filter((r) => comparePositions(r.from, r.to) < 0);
    const sel: Selection = { ranges, exact: exact && (!multiEntry || sorted.length <= 1), covers: exact, points: true };
    if (sorted.length === 1) sel.single = sorted[0] as string | number;
    return sel;
  };
  const span = (low: Bound, high: Bound, type: 'number' | 'string'): Selection => {
    const from = low ? at(low.value, !low.inclusive) : type === 'number' ? seek([...prefix], false) : at('', false);
    const to = high ? at(high.value, high.inclusive) : type === 'number' ? at('', false) : seek([...prefix], true);
    return { ranges: comparePositions(from, to) < 0 ? [{ from, to }] : [], exact: !multiEntry, covers: true, points: false };
  };
  const typeOf = (v: unknown): 'number' | 'string' | undefined => (typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : undefined);
  switch (cond.op) {
    case 'eq':
    case 'has':
      return points([cond.value], true);
    case 'in':
    case 'hasAny':
      return points(cond.value, true);
    case 'hasAll': {
      const one = cond.value.find(isKeyPart);
      return one === undefined ? undefined : points([one], cond.value.length === 1);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const type = typeOf(cond.value);
      if (type === undefined) return undefined;
      const bound = { value: cond.value as string | number, inclusive: cond.op === 'gte' || cond.op === 'lte' };
      return cond.op === 'gt' || cond.op === 'gte' ? span(bound, undefined, type) : span(undefined, bound, type);
    }
    case 'between': {
      const [low, high] = cond.value;
      const type = typeOf(low);
      if (type === undefined || typeOf(high) !== type) return undefined;
      return span({ value: low as string | number, inclusive: true }, { value: high as string | number, inclusive: true }, type);
    }
    case 'startsWith': {
      if (typeof cond.value !== 'string') return undefined;
      const end = prefixEnd(cond.value);
      return span({ value: cond.value, inclusive: true }, end === undefined ? undefined : { value: end, inclusive: false }, 'string');
    }
    default:
      return undefined;
  }
}

function intersect(a: Range[], b: Range[]): Range[] {
  const x = a[0];
  const y = b[0];
  if (x === undefined || y === undefined) return [];
  const from = comparePositions(x.from, y.from) >= 0 ? x.from : y.from;
  const to = comparePositions(x.to, y.to) <= 0 ? x.to : y.to;
  return comparePositions(from, to) < 0 ? [{ from, to }] : [];
}

function count(tree: SortedIndex, ranges: readonly Range[]): number {
  let n = 0;
  for (const r of ranges) n += tree.countBetween(r.from, r.to);
  return n;
}

/**
 * The best access one index offers for a list of conjuncts: an `eq` on each leading field,
 * then the most selective condition (or the intersection of single ranges) on the next.
 */
export function indexAccess(collection: CollectionState, index: IndexState | undefined, conjuncts: readonly Filter[]): Access | undefined {
  const tree = index?.tree ?? collection.primary;
  const fields = index?.spec.fields ?? ['id'];
  const multiEntry = index?.spec.multiEntry === true;
  const seek =
    index === undefined
      ? (parts: unknown[], strict: boolean): Position => {
          // No part: the whole key space. Ids are strings, so a number bound sits before them all.
          if (parts.length === 0) return strict ? tree.end() : tree.start();
          const v = parts[parts.length - 1];
          return typeof v === 'string' ? tree.seek([], v, strict) : tree.start();
        }
      : (parts: unknown[], strict: boolean): Position => tree.seek(parts, undefined, strict);
  const conditions = conjuncts.filter(isCondition);
  const eqPrefix: unknown[] = [];
  const consumed: Condition[] = [];
  while (!multiEntry && eqPrefix.length < fields.length - 1) {
    const field = fields[eqPrefix.length];
    const eq = conditions.find((c) => c.field === field && c.op === 'eq' && isKeyPart(c.value));
    if (eq === undefined) break;
    eqPrefix.push(eq.value);
    consumed.push(eq);
  }
  const field = fields[eqPrefix.length];
  let best: { sel: Selection; conds: Condition[]; n: number } | undefined;
  let single: { ranges: Range[]; exact: boolean; covers: boolean; conds: Condition[] } | undefined;
  for (const cond of conditions) {
    if (cond.field !== field) continue;
    if (index === undefined && cond.op !== 'eq' && cond.op !== 'in' && cond.op !== 'gt' && cond.op !== 'gte' && cond.op !== 'lt' && cond.op !== 'lte' && cond.op !== 'between' && cond.op !== 'startsWith') continue;
    const sel = select(seek, eqPrefix, cond, multiEntry);
    if (sel === undefined) continue;
    // Intersecting is only sound when both conditions test the same single value: on a
    // multi-entry index, `gte` and `lte` may each be met by a different element.
    if (!multiEntry && (!sel.points || sel.ranges.length <= 1)) {
      single =
        single === undefined
          ? { ranges: sel.ranges, exact: sel.exact, covers: sel.covers, conds: [cond] }
          : { ranges: intersect(single.ranges, sel.ranges), exact: single.exact && sel.exact, covers: single.covers && sel.covers, conds: [...single.conds, cond] };
    }
    const n = count(tree, sel.ranges);
    if (best === undefined || n < best.n) best = { sel, conds: [cond], n };
  }
  if (single !== undefined && single.conds.length > 1) {
    const n = count(tree, single.ranges);
    if (best === undefined || n <= best.n) best = { sel: { ranges: single.ranges, exact: single.exact, covers: single.covers, points: false }, conds: single.conds, n };
  }
  let ranges: Range[];
  let exact: boolean;
  // The leading `eq`s select single keys: always met by what the ranges hold.
  const covered = consumed.slice();
  if (best !== undefined) {
    ranges = best.sel.ranges;
    exact = best.sel.exact;
    consumed.push(...best.conds);
    if (best.sel.covers) covered.push(...best.conds);
    // A field bound to one key is constant over the ranges, so it drops out of the ordering.
    if (best.sel.single !== undefined && !multiEntry && index !== undefined) eqPrefix.push(best.sel.single);
  } else if (eqPrefix.length > 0) {
    const from = tree.seek(eqPrefix, undefined, false);
    const to = tree.seek(eqPrefix, undefined, true);
    ranges = comparePositions(from, to) < 0 ? [{ from, to }] : [];
    exact = true;
  } else {
    return undefined;
  }
  const outliers = index?.outliers.size ?? 0;
  const strategy = index === undefined ? 'primary-key' : best === undefined || best.sel.points ? 'index-equality' : 'index-range';
  return {
    index,
    tree,
    ranges,
    eqPrefix,
    estimate: count(tree, ranges) + outliers,
    exact: exact && outliers === 0 && consumed.length === conjuncts.length,
    consumed,
    covered: outliers === 0 ? covered : [],
    strategy,
  };
}
