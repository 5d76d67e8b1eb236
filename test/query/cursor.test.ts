import { describe, expect, it } from 'vitest';
import { QueryError } from '../../src/errors';
import { decodeCursor, encodeCursor, queryHash } from '../../src/query/cursor';
import { normalizeQuery } from '../../src/query/validate';

function decodeError(cursor: string, hash: string, length: number): unknown {
  try {
    decodeCursor(cursor, hash, length);
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected decodeCursor to throw');
}

describe('cursors', () => {
  it('round-trips a sort key, keeping missing apart from null', () => {
    const key = [undefined, null, false, 1.5, 'é😀\u0000', ['a', 1], { x: 1 }, 'id1'];
    const cursor = encodeCursor('h1', key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'h1', key.length)).toEqual(key);
    const decoded = decodeCursor(cursor, 'h1', key.length);
    expect(0 in decoded && decoded[0] === undefined).toBe(true);
    expect(decoded[1]).toBeNull();
  });

  it('rejects a cursor of another query with QueryError at cursor', () => {
    const cursor = encodeCursor('h1', ['a']);
    const error = decodeError(cursor, 'h2', 1);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ name: 'QueryError', path: ['cursor'], message: expect.stringContaining('another query') });
  });

  it('rejects a cursor whose key has another length', () => {
    expect(decodeError(encodeCursor('h1', ['a', 'b']), 'h1', 3)).toMatchObject({ name: 'QueryError', path: ['cursor'] });
  });

  const garbage: [string, string][] = [
    ['characters outside base64url', 'not a cursor!'],
    ['the empty string', ''],
    ['valid base64 of something that is not JSON', 'aGVsbG8'],
    ['JSON of another shape', Buffer.from('{"x":1}').toString('base64url')],
    ['a slot with two values', Buffer.from('{"h":"h1","k":[[1,2]]}').toString('base64url')],
    ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url')],
  ];
  for (const [what, cursor] of garbage) {
    it(`rejects ${what} as malformed`, () => {
      const error = decodeError(cursor, 'h1', 1);
      expect(error).toBeInstanceOf(QueryError);
      expect(error).toMatchObject({ path: ['cursor'], message: 'invalid query at cursor: cursor is malformed' });
    });
  }

  it('hashes the same query the same way whatever the key order of its filter', () => {
    const a = queryHash('c', { field: 'a', op: 'eq', value: { x: 1, y: 2 } }, [{ field: 'id', direction: 'asc' }]);
    const b = queryHash('c', { value: { y: 2, x: 1 }, op: 'eq', field: 'a' }, [{ field: 'id', direction: 'asc' }]);
    expect(a).toBe(b);
    expect(queryHash('d', { field: 'a', op: 'eq', value: { x: 1, y: 2 } }, [{ field: 'id', direction: 'asc' }])).not.toBe(a);
  });

  it('is decoded by normalizeQuery for the query it came from', () => {
    const first = normalizeQuery('notes', { orderBy: [{ field: 'n' }] });
    const cursor = encodeCursor(first.hash, [3, 'id3']);
    expect(normalizeQuery('notes', { orderBy: [{ field: 'n' }], cursor }).after).toEqual([3, 'id3']);
    expect(() => normalizeQuery('notes', { orderBy: [{ field: 'm' }], cursor })).toThrow(QueryError);
  });
});
