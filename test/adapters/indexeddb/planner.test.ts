import { describe, expect, it } from 'vitest';
import { planCandidates, planQuery } from '../../../adapters/indexeddb/planner';
import type { Plan } from '../../../adapters/indexeddb/planner';
import { totalOrder } from '../../../src/query/validate';
import type { Filter, OrderBy } from '../../../src/query/types';
import type { IndexSpec } from '../../../src/storage/adapter';

const indexes: IndexSpec[] = [
  { name: 'tier', fields: ['tier'] },
  { name: 'n', fields: ['n'] },
  { name: 'tags', fields: ['tags'], multiEntry: true },
  { name: 'tier_createdAt', fields: ['tier', 'createdAt'] },
  { name: 'owner_stage_at', fields: ['ownerId', 'stage', 'at'] },
];

const plan = (where: Filter | undefined, orderBy?: OrderBy[]): Plan => planQuery(indexes, where, totalOrder(orderBy));
type RangePlan = Extract<Plan, { kind: 'index' | 'store' }>;
const ranged = (p: Plan): RangePlan => {
  if (p.kind !== 'index' && p.kind !== 'store') throw new Error(`expected a range plan, got ${p.kind}`);
  return p;
};

describe('planQuery', () => {
  it('answers an equality from its single-field index, ordered by id within it', () => {
    const p = ranged(plan({ field: 'tier', op: 'eq', value: 'vip' }));
    expect(p).toMatchObject({ kind: 'index', strategy: 'index-equality', ordered: true, direction: 'next', needsComplete: false, exact: true });
    expect(p.index?.name).toBe('tier');
    expect(p.ranges).toEqual([{ lower: 'vip', upper: 'vip', lowerOpen: false, upperOpen: false }]);
  });

  it('unions the points of an in list and leaves the order to a sort', () => {
    const p = ranged(plan({ field: 'n', op: 'in', value: [3, 1, 3] }));
    expect(p).toMatchObject({ strategy: 'index-union', ordered: false });
    expect(p.ranges.map((r) => r.lower)).toEqual([1, 3]);
  });

  it('keeps a range inside the type of its bound', () => {
    expect(ranged(plan({ field: 'n', op: 'gt', value: 5 })).ranges).toEqual([{ lower: 5, upper: Infinity, lowerOpen: true, upperOpen: false }]);
    expect(ranged(plan({ field: 'n', op: 'lt', value: 'm' })).ranges).toEqual([{ lower: '', upper: 'm', lowerOpen: false, upperOpen: true }]);
  });

  it('intersects several ranges on one field', () => {
    const p = ranged(plan({ and: [{ field: 'n', op: 'gte', value: 2 }, { field: 'n', op: 'lt', value: 9 }, { field: 'n', op: 'gt', value: 1 }] }));
    expect(p.ranges).toEqual([{ lower: 2, upper: 9, lowerOpen: false, upperOpen: true }]);
    expect(p.strategy).toBe('index-range');
  });

  it('turns startsWith into a string range', () => {
    expect(ranged(plan({ field: 'tier', op: 'startsWith', value: 'ab' })).ranges).toEqual([{ lower: 'ab', upper: 'ac', lowerOpen: false, upperOpen: true }]);
  });

  it('plans nothing to read for conditions that cannot match', () => {
    expect(plan({ field: 'n', op: 'in', value: [] }).kind).toBe('empty');
    expect(plan({ and: [{ field: 'n', op: 'eq', value: 1 }, { field: 'n', op: 'eq', value: 2 }] }).kind).toBe('empty');
    expect(plan({ and: [{ field: 'n', op: 'gt', value: 5 }, { field: 'n', op: 'lt', value: 'a' }] }).kind).toBe('empty');
  });

  it('answers has and hasAny from a multiEntry index, deduplicating where a record can repeat', () => {
    expect(ranged(plan({ field: 'tags', op: 'has', value: 'x' }))).toMatchObject({ strategy: 'index-equality', dedupe: false, ordered: false });
    expect(ranged(plan({ field: 'tags', op: 'hasAny', value: ['x', 'y'] }))).toMatchObject({ strategy: 'index-union', dedupe: true });
    expect(ranged(plan({ field: 'tags', op: 'gt', value: 'm' }))).toMatchObject({ strategy: 'index-range', dedupe: true });
  });

  it('never intersects two conditions on a multiEntry field (different elements may meet them)', () => {
    const p = ranged(plan({ and: [{ field: 'tags', op: 'has', value: 'a' }, { field: 'tags', op: 'has', value: 'b' }] }));
    expect(p.index?.name).toBe('tags');
    expect(p.ranges).toHaveLength(1);
  });

  it('does not answer has from a plain index', () => {
    expect(plan({ field: 'tier', op: 'has', value: 'vip' }).strategy).toBe('full-scan');
  });

  it('leaves conditions an index cannot hold to the evaluator', () => {
    for (const where of [
      { field: 'tier', op: 'eq', value: null },
      { field: 'tier', op: 'eq', value: true },
      { field: 'tier', op: 'in', value: ['a', null] },
      { field: 'tier', op: 'ne', value: 'a' },
      { field: 'tier', op: 'exists', value: true },
      { or: [{ field: 'tier', op: 'eq', value: 'a' }] },
      { not: { field: 'tier', op: 'eq', value: 'a' } },
    ] as Filter[]) {
      expect(plan(where).strategy).toBe('full-scan');
    }
  });

  it('uses a compound index for an equality prefix and a range on the next field', () => {
    const p = ranged(plan({ and: [{ field: 'tier', op: 'eq', value: 'vip' }, { field: 'createdAt', op: 'gte', value: '2024' }] }));
    expect(p.index?.name).toBe('tier_createdAt');
    expect(p.strategy).toBe('index-range');
    expect(p.ranges).toEqual([{ lower: ['vip', '2024'], upper: ['vip', []], lowerOpen: false, upperOpen: true }]);
    expect(p.needsComplete).toBe(false);
  });

  it('closes an inclusive upper bound of a compound prefix after every longer key', () => {
    const p = ranged(plan({ and: [{ field: 'ownerId', op: 'eq', value: 'u1' }, { field: 'stage', op: 'lte', value: 's3' }] }));
    expect(p.ranges).toEqual([{ lower: ['u1', ''], upper: ['u1', 's3', []], lowerOpen: false, upperOpen: false }]);
    expect(p.needsComplete).toBe(true); // `at` is unconstrained: a record may lack it
  });

  it('walks a compound index backwards for newest first within an equality', () => {
    const p = ranged(plan({ field: 'tier', op: 'eq', value: 'vip' }, [{ field: 'createdAt', direction: 'desc' }]));
    expect(p).toMatchObject({ strategy: 'index-equality', ordered: true, direction: 'prev', needsComplete: true });
    expect(p.index?.name).toBe('tier_createdAt');
    expect(p.ranges).toEqual([{ lower: ['vip'], upper: ['vip', []], lowerOpen: false, upperOpen: true }]);
    expect(p.seek).toEqual({ prefix: ['vip'], positions: [0] });
  });

  it('reads an unfiltered order from an index, if every record turns out to be in it', () => {
    const p = ranged(plan(undefined, [{ field: 'n', direction: 'desc' }]));
    expect(p).toMatchObject({ strategy: 'index-order', ordered: true, direction: 'prev', needsComplete: true });
  });

  it('does not read mixed directions or a partial order from an index', () => {
    expect(ranged(plan(undefined, [{ field: 'n' }, { field: 'id', direction: 'desc' }])).strategy).toBe('full-scan');
    const p = ranged(plan({ field: 'ownerId', op: 'eq', value: 'u' }, [{ field: 'stage' }]));
    expect(p.ordered).toBe(false); // the index goes on to `at`, the query to `id`
  });

  it('reads id order, ids and id ranges from the store itself', () => {
    expect(plan(undefined)).toMatchObject({ kind: 'store', strategy: 'full-scan', ordered: true });
    expect(plan({ field: 'id', op: 'in', value: ['b', 'a', 7] })).toEqual({ kind: 'ids', ids: ['a', 'b'], strategy: 'primary-key' });
    expect(ranged(plan({ field: 'id', op: 'startsWith', value: 'c_' }))).toMatchObject({ kind: 'store', strategy: 'primary-key', ordered: true });
  });

  it('skips excluded indexes and offers ordered alternatives after the best filter', () => {
    const where: Filter = { field: 'tier', op: 'eq', value: 'vip' };
    const order = totalOrder([{ field: 'n' }]);
    const all = planCandidates(indexes, where, order);
    expect(all.map((p) => (p.kind === 'index' ? p.index?.name : p.kind))).toEqual(['tier', 'tier_createdAt', 'n', 'store']);
    expect(planQuery(indexes, where, order, new Set(['tier'])).kind).toBe('index');
    expect(ranged(planQuery(indexes, where, order, new Set(['tier']))).index?.name).toBe('tier_createdAt');
  });
});
