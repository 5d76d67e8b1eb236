import { describe, expect, it } from 'vitest';
import { QueryError } from '../../src/errors';
import { fieldPathProblem, normalizeQuery, totalOrder, validateFilter } from '../../src/query/validate';
import type { StorageQuery } from '../../src/query/types';

function queryErrorOf(run: () => unknown): QueryError {
  try {
    run();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(QueryError);
    return error as QueryError;
  }
  throw new Error('expected a QueryError');
}

describe('validateFilter', () => {
  const bad: [string, unknown, (string | number)[]][] = [
    ['an unknown operator', { field: 'a', op: 'like', value: 1 }, ['where', 'op']],
    ['a list operator without a list', { field: 'a', op: 'in', value: 1 }, ['where', 'value']],
    ['a condition without a value', { field: 'a', op: 'eq' }, ['where', 'value']],
    ['an unknown key in a condition', { field: 'a', op: 'eq', value: 1, extra: 1 }, ['where']],
    ['a field that is not a string', { field: 1, op: 'eq', value: 1 }, ['where', 'field']],
    ['between with one bound', { field: 'a', op: 'between', value: [1] }, ['where', 'value']],
    ['between with bounds of two types', { field: 'a', op: 'between', value: [1, 'b'] }, ['where', 'value']],
    ['exists with a string', { field: 'a', op: 'exists', value: 'yes' }, ['where', 'value']],
    ['a range over null', { field: 'a', op: 'gt', value: null }, ['where', 'value']],
    ['a range over a boolean', { field: 'a', op: 'lte', value: true }, ['where', 'value']],
    ['contains with a number', { field: 'a', op: 'contains', value: 1 }, ['where', 'value']],
    ['startsWith with an array', { field: 'a', op: 'startsWith', value: ['a'] }, ['where', 'value']],
    ['a value that is not JSON', { field: 'a', op: 'in', value: [1, () => 1] }, ['where', 'value', 1]],
    ['a __proto__ field', { field: '__proto__', op: 'eq', value: 1 }, ['where', 'field']],
    ['a __proto__ segment', { field: 'a.__proto__.b', op: 'eq', value: 1 }, ['where', 'field']],
    ['a constructor segment', { field: 'constructor.name', op: 'eq', value: 1 }, ['where', 'field']],
    ['an internal field', { field: '_tokens', op: 'has', value: 'x' }, ['where', 'field']],
    ['an internal nested field', { field: 'custom._secret', op: 'eq', value: 'x' }, ['where', 'field']],
    ['an empty segment', { field: 'a..b', op: 'eq', value: 1 }, ['where', 'field']],
    ['an empty field', { field: '', op: 'eq', value: 1 }, ['where', 'field']],
    ['a field with spaces', { field: 'first name', op: 'eq', value: 1 }, ['where', 'field']],
    ['a nested problem', { and: [{ field: 'a', op: 'eq', value: 1 }, { or: [{ field: 'b', op: 'nope', value: 1 }] }] }, ['where', 'and', 1, 'or', 0, 'op']],
    ['and without a list', { and: 'x' }, ['where', 'and']],
    ['not of null', { not: null }, ['where', 'not']],
    ['an unknown shape', { foo: 1 }, ['where']],
    ['an array', [], ['where']],
    ['null', null, ['where']],
  ];
  for (const [what, filter, path] of bad) {
    it(`rejects ${what} with QueryError at ${path.join('.')}`, () => {
      const error = queryErrorOf(() => validateFilter(filter));
      expect(error).toMatchObject({ name: 'QueryError', code: 'invalid_query', path });
      expect(error.message).toContain(`invalid query at ${path.join('.')}`);
    });
  }

  it('accepts every operator with a well-typed value', () => {
    const good: unknown[] = [
      { field: 'a', op: 'eq', value: { x: [1, null] } },
      { field: 'a', op: 'ne', value: null },
      { field: 'a', op: 'in', value: [1, 'x', null, true] },
      { field: 'a', op: 'nin', value: [] },
      { field: 'a', op: 'gt', value: 1 },
      { field: 'a', op: 'gte', value: 'x' },
      { field: 'a', op: 'lt', value: -1.5 },
      { field: 'a', op: 'lte', value: '' },
      { field: 'a', op: 'between', value: ['a', 'b'] },
      { field: 'a', op: 'exists', value: false },
      { field: 'a', op: 'contains', value: '' },
      { field: 'a.b.c', op: 'startsWith', value: 'x' },
      { field: 'tags', op: 'has', value: 'x' },
      { field: 'tags', op: 'hasAny', value: ['x'] },
      { field: 'tags', op: 'hasAll', value: ['x', 'y'] },
      { field: 'contacts.0.kind', op: 'eq', value: 'x' },
      { field: '$ref-id', op: 'eq', value: 'x' },
      { and: [{ or: [] }, { not: { field: 'a', op: 'exists', value: true } }] },
    ];
    for (const filter of good) expect(() => validateFilter(filter)).not.toThrow();
  });

  it('accepts internal fields when the engine allows them', () => {
    expect(() => validateFilter({ field: '_tokens', op: 'has', value: 'x' }, { allowInternal: true })).not.toThrow();
  });

  it('refuses filters nested deeper than 32 levels, and accepts 32', () => {
    const nest = (levels: number): unknown => {
      let f: unknown = { field: 'a', op: 'eq', value: 1 };
      for (let i = 0; i < levels; i++) f = { not: f };
      return f;
    };
    expect(() => validateFilter(nest(32))).not.toThrow();
    const error = queryErrorOf(() => validateFilter(nest(33)));
    expect(error.path).toEqual(['where', ...Array<string>(33).fill('not')]);
    expect(error.message).toContain('deeper than 32');
  });
});

describe('fieldPathProblem', () => {
  it('accepts plain, dotted and numeric segments', () => {
    expect(fieldPathProblem('name')).toBeUndefined();
    expect(fieldPathProblem('custom.loyaltyPoints')).toBeUndefined();
    expect(fieldPathProblem('emails.0.address')).toBeUndefined();
  });

  it('names what is wrong', () => {
    expect(fieldPathProblem('')).toBe('field path is empty');
    expect(fieldPathProblem('a.prototype')).toBe('field path "a.prototype" names "prototype"');
    expect(fieldPathProblem('_x')).toBe('field path "_x" names an internal field');
    expect(fieldPathProblem('_x', true)).toBeUndefined();
    expect(fieldPathProblem('a.')).toBe('field path "a." has an invalid segment ""');
  });
});

describe('totalOrder', () => {
  it('appends id in the direction of the last key', () => {
    expect(totalOrder(undefined)).toEqual([{ field: 'id', direction: 'asc' }]);
    expect(totalOrder([{ field: 'a' }, { field: 'b', direction: 'desc' }])).toEqual([
      { field: 'a', direction: 'asc' },
      { field: 'b', direction: 'desc' },
      { field: 'id', direction: 'desc' },
    ]);
  });

  it('drops keys after an explicit id', () => {
    expect(totalOrder([{ field: 'id', direction: 'desc' }, { field: 'a' }])).toEqual([{ field: 'id', direction: 'desc' }]);
  });
});

describe('normalizeQuery', () => {
  it('fills in the defaults', () => {
    const q = normalizeQuery('notes', {});
    expect(q).toMatchObject({ where: undefined, orderBy: [{ field: 'id', direction: 'asc' }], limit: 50, after: undefined });
    expect(q.hash).toEqual(expect.any(String));
  });

  for (const limit of [0, -1, 1001, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`rejects a limit of ${String(limit)} with QueryError at limit`, () => {
      expect(queryErrorOf(() => normalizeQuery('notes', { limit }))).toMatchObject({ path: ['limit'] });
    });
  }

  it('accepts limits 1 and 1000', () => {
    expect(normalizeQuery('notes', { limit: 1 }).limit).toBe(1);
    expect(normalizeQuery('notes', { limit: 1000 }).limit).toBe(1000);
  });

  const bad: [string, unknown, (string | number)[]][] = [
    ['a bad direction', { orderBy: [{ field: 'a', direction: 'up' }] }, ['orderBy', 0, 'direction']],
    ['an internal order field', { orderBy: [{ field: 'b' }, { field: '_x' }] }, ['orderBy', 1, 'field']],
    ['an order key without a field', { orderBy: [{ fld: 'a' }] }, ['orderBy', 0, 'field']],
    ['more than 8 order keys', { orderBy: Array.from({ length: 9 }, () => ({ field: 'a' })) }, ['orderBy']],
    ['a cursor that is not a string', { cursor: 5 }, ['cursor']],
    ['a cursor over 8 KiB', { cursor: 'A'.repeat(8193) }, ['cursor']],
    ['a bad filter', { where: { field: 'a', op: 'eq' } }, ['where', 'value']],
  ];
  for (const [what, query, path] of bad) {
    it(`rejects ${what} with QueryError at ${path.join('.')}`, () => {
      expect(queryErrorOf(() => normalizeQuery('notes', query as StorageQuery))).toMatchObject({ name: 'QueryError', path });
    });
  }

  it('rejects a query that is not an object', () => {
    expect(queryErrorOf(() => normalizeQuery('notes', null as unknown as StorageQuery))).toMatchObject({ path: [] });
  });

  it('binds the hash to collection, filter and order, not to limit', () => {
    const base = normalizeQuery('notes', { where: { field: 'a', op: 'eq', value: 1 }, orderBy: [{ field: 'b' }] }).hash;
    expect(normalizeQuery('notes', { where: { field: 'a', op: 'eq', value: 1 }, orderBy: [{ field: 'b' }], limit: 7 }).hash).toBe(base);
    expect(normalizeQuery('tasks', { where: { field: 'a', op: 'eq', value: 1 }, orderBy: [{ field: 'b' }] }).hash).not.toBe(base);
    expect(normalizeQuery('notes', { where: { field: 'a', op: 'eq', value: 2 }, orderBy: [{ field: 'b' }] }).hash).not.toBe(base);
    expect(normalizeQuery('notes', { where: { field: 'a', op: 'eq', value: 1 }, orderBy: [{ field: 'b', direction: 'desc' }] }).hash).not.toBe(base);
    // An explicit 'asc' is the default, so it is the same query.
    expect(normalizeQuery('notes', { where: { field: 'a', op: 'eq', value: 1 }, orderBy: [{ field: 'b', direction: 'asc' }] }).hash).toBe(base);
  });
});
