import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index';
import type { StorageAdapter, StoredRecord } from '../../../src/index';

const TIERS = ['vip', 'std', 'std', 'std', 'gold'];

function customer(n: number, extra: Record<string, unknown> = {}): StoredRecord {
  return {
    id: `c${String(n).padStart(6, '0')}`,
    version: 1,
    name: `name${String((n * 7919) % 10_000).padStart(5, '0')}`,
    tier: TIERS[n % TIERS.length],
    score: n % 100,
    tags: n % 10 === 0 ? ['wholesale', 'eu'] : ['eu'],
    ...extra,
  };
}

async function openWith(n: number, extra: (i: number) => Record<string, unknown> = () => ({})): Promise<StorageAdapter> {
  const s = memoryAdapter();
  await s.open({
    collections: {
      customers: {
        indexes: [
          { name: 'tier', fields: ['tier'] },
          { name: 'name', fields: ['name'] },
          { name: 'tags', fields: ['tags'], multiEntry: true },
          { name: 'tier_score', fields: ['tier', 'score'] },
        ],
      },
    },
  });
  await s.write(Array.from({ length: n }, (_, i) => ({ type: 'insert' as const, collection: 'customers', record: customer(i, extra(i)) })));
  return s;
}

describe('memory adapter explain', () => {
  it('answers an indexed equality through its index, reading no more than the matches', async () => {
    const s = await openWith(1000);
    const plan = await s.explain('customers', { where: { field: 'tier', op: 'eq', value: 'gold' }, limit: 1000 });
    expect(plan).toEqual({ index: 'tier', strategy: 'index-equality', rowsExamined: 200, rowsReturned: 200, sorted: false });
    const page = await s.explain('customers', { where: { field: 'tier', op: 'eq', value: 'gold' }, limit: 10 });
    expect(page).toMatchObject({ index: 'tier', rowsExamined: 11, rowsReturned: 10, sorted: false });
  });

  it('reads about a page when ordering through a complete index, in both directions', async () => {
    const s = await openWith(10_000);
    for (const direction of ['asc', 'desc'] as const) {
      const plan = await s.explain('customers', { orderBy: [{ field: 'name', direction }], limit: 50 });
      expect(plan).toEqual({ index: 'name', strategy: 'index-order', rowsExamined: 51, rowsReturned: 50, sorted: false });
    }
    const first = await s.query('customers', { orderBy: [{ field: 'name', direction: 'desc' }], limit: 3 });
    expect(first.items.map((r) => r['name'])).toEqual(['name09999', 'name09998', 'name09997']);
  });

  it('does not order through an index that lacks some records, unless the filter bounds the field', async () => {
    const s = await openWith(1000, (i) => (i % 100 === 0 ? { name: null } : {}));
    const unbounded = await s.explain('customers', { orderBy: [{ field: 'name' }], limit: 5 });
    expect(unbounded).toMatchObject({ sorted: true, rowsReturned: 5 });
    const page = await s.query('customers', { orderBy: [{ field: 'name' }], limit: 2 });
    expect(page.items.map((r) => r['name'])).toEqual([null, null]);
    const bounded = await s.explain('customers', { where: { field: 'name', op: 'startsWith', value: 'name0' }, orderBy: [{ field: 'name' }], limit: 5 });
    expect(bounded).toEqual({ index: 'name', strategy: 'index-range', rowsExamined: 6, rowsReturned: 5, sorted: false });
  });

  it('uses an equality prefix and a range on a compound index, walking it backwards', async () => {
    const s = await openWith(5000);
    const plan = await s.explain('customers', {
      where: { and: [{ field: 'tier', op: 'eq', value: 'vip' }, { field: 'score', op: 'gte', value: 50 }] },
      orderBy: [{ field: 'score', direction: 'desc' }],
      limit: 20,
    });
    expect(plan).toEqual({ index: 'tier_score', strategy: 'index-range', rowsExamined: 21, rowsReturned: 20, sorted: false });
  });

  it('picks the most selective condition of an and', async () => {
    const s = await openWith(2000);
    const plan = await s.explain('customers', {
      where: { and: [{ field: 'tier', op: 'eq', value: 'std' }, { field: 'name', op: 'eq', value: 'name07919' }] },
    });
    expect(plan).toMatchObject({ index: 'name', strategy: 'index-equality', rowsExamined: 1, rowsReturned: 1 });
  });

  it('answers has on a multi-entry index, an or by a union, and ids by the primary key', async () => {
    const s = await openWith(1000);
    expect(await s.explain('customers', { where: { field: 'tags', op: 'has', value: 'wholesale' }, limit: 1000 })).toEqual({
      index: 'tags', strategy: 'index-equality', rowsExamined: 100, rowsReturned: 100, sorted: true,
    });
    const union = await s.explain('customers', {
      where: { or: [{ field: 'tags', op: 'has', value: 'wholesale' }, { field: 'tier', op: 'eq', value: 'vip' }] },
      limit: 1000,
    });
    expect(union).toEqual({ index: 'tags,tier', strategy: 'index-union', rowsExamined: 200, rowsReturned: 200, sorted: true });
    expect(await s.explain('customers', { where: { field: 'id', op: 'in', value: ['c000003', 'c000001', 'nope'] } })).toEqual({
      index: null, strategy: 'primary-key', rowsExamined: 2, rowsReturned: 2, sorted: false,
    });
  });

  it('scans when no index applies, and reads a page in id order when no order is asked', async () => {
    const s = await openWith(1000);
    expect(await s.explain('customers', { where: { field: 'name', op: 'contains', value: '99' }, orderBy: [{ field: 'score' }] })).toMatchObject({
      index: null, strategy: 'full-scan', rowsExamined: 1000, sorted: true,
    });
    expect(await s.explain('customers', { limit: 10 })).toEqual({ index: null, strategy: 'full-scan', rowsExamined: 11, rowsReturned: 10, sorted: false });
  });

  it('still finds records whose indexed field holds an array (not in the index)', async () => {
    const s = await openWith(100, (i) => (i === 7 ? { tier: ['gold', 'vip'] } : {}));
    const page = await s.query('customers', { where: { field: 'tier', op: 'eq', value: 'vip' }, limit: 100 });
    expect(page.items.map((r) => r.id)).toContain('c000007');
    expect(await s.count('customers', { field: 'tier', op: 'eq', value: 'vip' })).toBe(21);
    expect(await s.explain('customers', { where: { field: 'tier', op: 'eq', value: 'vip' }, orderBy: [{ field: 'tier' }] })).toMatchObject({ sorted: true });
  });

  it('counts from the index, and without a filter from the collection size', async () => {
    const s = await openWith(3000);
    expect(await s.count('customers')).toBe(3000);
    expect(await s.count('customers', { field: 'tier', op: 'in', value: ['vip', 'gold'] })).toBe(1200);
    expect(await s.count('customers', { and: [{ field: 'tier', op: 'eq', value: 'vip' }, { field: 'score', op: 'between', value: [10, 19] }] })).toBe(60);
    expect(await s.count('customers', { field: 'tags', op: 'hasAny', value: ['wholesale', 'eu'] })).toBe(3000);
  });

  it('orders an equality match by another indexed field by collecting and sorting only its candidates', async () => {
    // Every candidate sorts last by name: walking the name order would pass every other entry.
    const s = await openWith(20_000, (i) => (i % 100 === 0 ? { owner: 'late', name: `zz${String(i).padStart(6, '0')}` } : { owner: `u${i % 50}` }));
    await s.open({ collections: { customers: { indexes: [{ name: 'owner', fields: ['owner'] }] } } });
    const where = { field: 'owner', op: 'eq' as const, value: 'late' };
    const { items } = await s.query('customers', { where, orderBy: [{ field: 'name' }], limit: 5 });
    expect(items.map((r) => r['name'])).toEqual(['zz000000', 'zz000100', 'zz000200', 'zz000300', 'zz000400']);
    const plan = await s.explain('customers', { where, orderBy: [{ field: 'name' }], limit: 5 });
    expect(plan.sorted).toBe(true);
    expect(plan.rowsExamined).toBeLessThanOrEqual(200);
  });
});
