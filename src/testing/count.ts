/**
 * `count`, with and without filters, kept current by writes.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import type { OpenAdapter } from './context';
import { insertAll, rec } from './context';

const schema = { collections: { items: { indexes: [{ name: 'color', fields: ['color'] }] }, empty: { indexes: [] } } };

/** The count tests. */
export function countTests(open: OpenAdapter): void {
  it('counts every record without a filter, and zero in an empty collection', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', Array.from({ length: 75 }, (_, i) => rec(`i${i}`, { color: i % 3 === 0 ? 'red' : 'blue', size: i })));
    expect(await s.count('items')).toBe(75);
    expect(await s.count('items', undefined)).toBe(75);
    expect(await s.count('empty')).toBe(0);
  });

  it('counts the matches of indexed and unindexed filters, beyond one page', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', Array.from({ length: 1200 }, (_, i) => rec(`i${i}`, { color: i % 3 === 0 ? 'red' : 'blue', size: i })));
    expect(await s.count('items', { field: 'color', op: 'eq', value: 'red' })).toBe(400);
    expect(await s.count('items', { field: 'size', op: 'gte', value: 100 })).toBe(1100);
    expect(await s.count('items', { and: [{ field: 'color', op: 'eq', value: 'blue' }, { field: 'size', op: 'lt', value: 9 }] })).toBe(6);
    expect(await s.count('items', { field: 'color', op: 'eq', value: 'green' })).toBe(0);
  });

  it('follows inserts, updates and deletes', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', [rec('a', { color: 'red' }), rec('b', { color: 'red' }), rec('c', { color: 'blue' })]);
    await s.write([
      { type: 'update', collection: 'items', record: rec('a', { color: 'blue' }, 2) },
      { type: 'delete', collection: 'items', id: 'b' },
      { type: 'insert', collection: 'items', record: rec('d', { color: 'red' }) },
    ]);
    expect(await s.count('items', { field: 'color', op: 'eq', value: 'red' })).toBe(1);
    expect(await s.count('items', { field: 'color', op: 'eq', value: 'blue' })).toBe(2);
    expect(await s.count('items')).toBe(3);
  });
}
