/**
 * Page sizes: 50 by default, at most 1,000, whole numbers only.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import { QueryError } from '../errors';
import type { OpenAdapter } from './context';
import { insertAll, rec, rejectionOf } from './context';

const schema = { collections: { items: { indexes: [{ name: 'n', fields: ['n'] }] } } };

/** The page size tests. */
export function limitTests(open: OpenAdapter): void {
  it('returns 50 records by default', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', Array.from({ length: 60 }, (_, i) => rec(`i${String(i).padStart(3, '0')}`, { n: i })));
    const page = await s.query('items', {});
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('returns up to 1,000 records per page', async () => {
    const s = await open(schema);
    await insertAll(s, 'items', Array.from({ length: 1001 }, (_, i) => rec(`i${String(i).padStart(4, '0')}`, { n: i })));
    const page = await s.query('items', { limit: 1000, orderBy: [{ field: 'n' }] });
    expect(page.items).toHaveLength(1000);
    expect(page.items[999]?.id).toBe('i0999');
    const rest = await s.query('items', { limit: 1000, orderBy: [{ field: 'n' }], cursor: page.nextCursor });
    expect(rest.items.map((r) => r.id)).toEqual(['i1000']);
  });

  for (const limit of [0, -1, 1001, 1.5, Number.NaN]) {
    it(`rejects a limit of ${String(limit)} with QueryError at limit`, async () => {
      const s = await open(schema);
      const error = await rejectionOf(s.query('items', { limit }));
      expect(error).toBeInstanceOf(QueryError);
      expect(error).toMatchObject({ name: 'QueryError', code: 'invalid_query', path: ['limit'] });
    });
  }

  it('rejects a malformed filter with QueryError naming its path', async () => {
    const s = await open(schema);
    const where = { and: [{ field: 'n', op: 'eq', value: 1 }, { field: 'n', op: 'like', value: 'x' }] } as never;
    const error = await rejectionOf(s.query('items', { where }));
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ name: 'QueryError', path: ['where', 'and', 1, 'op'] });
  });
}
