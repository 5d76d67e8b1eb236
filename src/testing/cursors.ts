/**
 * Keyset cursors: every record exactly once, stable while records come and go, bound to
 * their query; page sizes.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import { QueryError } from '../errors';
import type { StorageQuery } from '../query/types';
import type { StorageAdapter, StoredRecord } from '../storage/adapter';
import type { OpenAdapter } from './context';
import { insertAll, queryAll, rec, rejectionOf } from './context';

function numbered(count: number, fields: (i: number) => Record<string, unknown> = () => ({})): StoredRecord[] {
  return Array.from({ length: count }, (_, i) => rec(`k${String(i).padStart(4, '0')}`, fields(i)));
}

const schema = {
  collections: {
    items: { indexes: [{ name: 'n', fields: ['n'] }, { name: 'group', fields: ['group'] }] },
    others: { indexes: [] },
  },
};

async function expectCursorError(s: StorageAdapter, collection: string, query: StorageQuery): Promise<void> {
  const error = await rejectionOf(s.query(collection, query));
  expect(error).toBeInstanceOf(QueryError);
  expect(error).toMatchObject({ name: 'QueryError', code: 'invalid_query', path: ['cursor'] });
}

/** The cursor tests. */
export function cursorTests(open: OpenAdapter): void {
  it('pages to the end, returning every record exactly once', async () => {
    const s = await open(schema);
    // Many equal sort values, so the id tie-break has to carry the cursor.
    await insertAll(s, 'items', numbered(53, (i) => ({ n: i % 7, group: i % 2 === 0 ? 'even' : 'odd' })));
    for (const query of [
      { orderBy: [{ field: 'n' }] },
      { orderBy: [{ field: 'n', direction: 'desc' as const }] },
      { where: { field: 'group', op: 'eq' as const, value: 'even' }, orderBy: [{ field: 'n' }] },
      {},
    ]) {
      const all = (await s.query('items', { ...query, limit: 1000 })).items.map((r) => r.id);
      for (const size of [1, 5, 27]) {
        const paged = (await queryAll(s, 'items', query, size)).map((r) => r.id);
        expect(paged).toEqual(all);
        expect(new Set(paged).size).toBe(paged.length);
      }
    }
  });

  it('gives no next cursor on the last page, and none on an empty result', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', numbered(4));
    const full = await s.query('items', { limit: 4 });
    expect(full.items).toHaveLength(4);
    // A page that happens to end exactly at the end may still carry a cursor; the page after it is empty.
    if (full.nextCursor !== undefined) {
      const after = await s.query('items', { limit: 4, cursor: full.nextCursor });
      expect(after.items).toEqual([]);
      expect(after.nextCursor).toBeUndefined();
    }
    const short = await s.query('items', { limit: 5 });
    expect(short.nextCursor).toBeUndefined();
    const none = await s.query('items', { where: { field: 'n', op: 'eq', value: 'nothing' } });
    expect(none).toEqual({ items: [] });
  });

  it('stays right while records before and after the cursor are inserted and deleted', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', numbered(10, (i) => ({ n: i * 10 })));
    const query = { orderBy: [{ field: 'n' }], limit: 3 };
    const first = await s.query('items', query);
    expect(first.items.map((r) => r['n'])).toEqual([0, 10, 20]);
    await s.write([
      { type: 'insert', collection: 'items', record: rec('before', { n: 5 }) },
      { type: 'delete', collection: 'items', id: 'k0000' },
      { type: 'delete', collection: 'items', id: 'k0002' }, // the row the cursor points at
      { type: 'insert', collection: 'items', record: rec('after', { n: 45 }) },
      { type: 'delete', collection: 'items', id: 'k0006' },
      { type: 'insert', collection: 'items', record: rec('tie', { n: 20 }) }, // same n, id sorts after 'k…'
    ]);
    const second = await s.query('items', { ...query, cursor: first.nextCursor });
    expect(second.items.map((r) => r['n'])).toEqual([20, 30, 40]);
    expect(second.items.map((r) => r.id)).toEqual(['tie', 'k0003', 'k0004']);
    await s.write([{ type: 'insert', collection: 'items', record: rec('late', { n: 1 }) }]);
    const third = await s.query('items', { ...query, cursor: second.nextCursor });
    expect(third.items.map((r) => r['n'])).toEqual([45, 50, 70]);
    const fourth = await s.query('items', { ...query, cursor: third.nextCursor });
    expect(fourth.items.map((r) => r['n'])).toEqual([80, 90]);
    expect(fourth.nextCursor).toBeUndefined();
  });

  it('rejects a cursor of another filter with QueryError at cursor', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', numbered(5, (i) => ({ n: i, group: 'g' })));
    const page = await s.query('items', { where: { field: 'group', op: 'eq', value: 'g' }, limit: 2 });
    await expectCursorError(s, 'items', { where: { field: 'group', op: 'eq', value: 'h' }, limit: 2, cursor: page.nextCursor });
    await expectCursorError(s, 'items', { limit: 2, cursor: page.nextCursor });
  });

  it('rejects a cursor of another order with QueryError at cursor', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', numbered(5, (i) => ({ n: i })));
    const page = await s.query('items', { orderBy: [{ field: 'n' }], limit: 2 });
    await expectCursorError(s, 'items', { orderBy: [{ field: 'n', direction: 'desc' }], limit: 2, cursor: page.nextCursor });
    await expectCursorError(s, 'items', { orderBy: [{ field: 'group' }], limit: 2, cursor: page.nextCursor });
  });

  it('rejects a cursor of another collection with QueryError at cursor', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', numbered(5));
    await insertAll(s, 'others', numbered(5));
    const page = await s.query('items', { limit: 2 });
    await expectCursorError(s, 'others', { limit: 2, cursor: page.nextCursor });
  });

  it('accepts a cursor with another page size', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', numbered(6, (i) => ({ n: i })));
    const page = await s.query('items', { orderBy: [{ field: 'n' }], limit: 2 });
    const next = await s.query('items', { orderBy: [{ field: 'n' }], limit: 3, cursor: page.nextCursor });
    expect(next.items.map((r) => r['n'])).toEqual([2, 3, 4]);
  });

  it('rejects a garbage cursor with QueryError at cursor', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', numbered(3));
    for (const cursor of ['not a cursor!', 'eyJ4IjoxfQ', '', 'A'.repeat(10_000), '\u0000😀']) {
      await expectCursorError(s, 'items', { cursor });
    }
  });
}
