import { describe, expect, it } from 'vitest';
import { comparator, compareKeys, matches, matchesCondition, sortKey } from '../../src/query/evaluate';
import { collectValues, sortValue, splitPath } from '../../src/query/path';
import type { Filter } from '../../src/query/types';

const person = {
  id: 'p1',
  name: 'Ada',
  score: 10,
  nothing: null,
  tags: ['a', 'b'],
  address: { city: 'Oslo', zip: null },
  contacts: [
    { kind: 'email', value: 'ada@x.io' },
    { kind: 'phone', value: '+47' },
  ],
  matrix: [[1, 2], [3]],
};

describe('paths', () => {
  it('splits dotted paths', () => {
    expect(splitPath('a.b.0')).toEqual(['a', 'b', '0']);
  });

  it('collects the leaves a path reaches, fanning out over arrays', () => {
    expect(collectValues(person, 'name')).toEqual(['Ada']);
    expect(collectValues(person, 'nothing')).toEqual([null]);
    expect(collectValues(person, 'missing')).toEqual([]);
    expect(collectValues(person, 'address.zip')).toEqual([null]);
    expect(collectValues(person, 'address.city.deeper')).toEqual([]);
    expect(collectValues(person, 'contacts.kind')).toEqual(['email', 'phone']);
    expect(collectValues(person, 'contacts.1.kind')).toEqual(['phone']);
    expect(collectValues(person, 'tags')).toEqual([['a', 'b']]);
    expect(collectValues({ toString: 1 }, 'constructor')).toEqual([]);
  });

  it('gives one sort value per path', () => {
    expect(sortValue(person, 'missing')).toBeUndefined();
    expect(sortValue(person, 'name')).toBe('Ada');
    expect(sortValue(person, 'contacts.kind')).toEqual(['email', 'phone']);
  });
});

describe('matchesCondition', () => {
  const cases: [string, Filter, boolean][] = [
    ['eq on a scalar', { field: 'name', op: 'eq', value: 'Ada' }, true],
    ['eq is type-strict', { field: 'score', op: 'eq', value: '10' }, false],
    ['eq on an element of an array', { field: 'tags', op: 'eq', value: 'b' }, true],
    ['eq on a whole array', { field: 'tags', op: 'eq', value: ['a', 'b'] }, true],
    ['eq null on null', { field: 'nothing', op: 'eq', value: null }, true],
    ['eq null on missing', { field: 'missing', op: 'eq', value: null }, false],
    ['ne on missing', { field: 'missing', op: 'ne', value: 'x' }, true],
    ['ne through an array needs every element to differ', { field: 'contacts.kind', op: 'ne', value: 'phone' }, false],
    ['in', { field: 'score', op: 'in', value: [1, 10] }, true],
    ['nin on missing', { field: 'missing', op: 'nin', value: [1] }, true],
    ['gt on a number', { field: 'score', op: 'gt', value: 9 }, true],
    ['gt across types never matches', { field: 'name', op: 'gt', value: 1 }, false],
    ['lte on a string', { field: 'name', op: 'lte', value: 'Ada' }, true],
    ['between is inclusive', { field: 'score', op: 'between', value: [10, 10] }, true],
    ['between does not reach into nested arrays', { field: 'matrix', op: 'between', value: [3, 3] }, false],
    ['exists on null', { field: 'nothing', op: 'exists', value: true }, true],
    ['exists false on missing', { field: 'missing', op: 'exists', value: false }, true],
    ['contains', { field: 'contacts.value', op: 'contains', value: '@x' }, true],
    ['contains is case-sensitive', { field: 'name', op: 'contains', value: 'ada' }, false],
    ['startsWith', { field: 'name', op: 'startsWith', value: 'Ad' }, true],
    ['has', { field: 'tags', op: 'has', value: 'a' }, true],
    ['has an inner array', { field: 'matrix', op: 'has', value: [3] }, true],
    ['has a scalar reached through an array', { field: 'contacts.kind', op: 'has', value: 'email' }, true],
    ['hasAny', { field: 'tags', op: 'hasAny', value: ['z', 'b'] }, true],
    ['hasAll', { field: 'tags', op: 'hasAll', value: ['a', 'z'] }, false],
    ['hasAll of nothing', { field: 'missing', op: 'hasAll', value: [] }, true],
  ];
  for (const [what, filter, expected] of cases) {
    it(`evaluates ${what} to ${String(expected)}`, () => {
      expect(matches(person, filter)).toBe(expected);
      if ('field' in filter) expect(matchesCondition(person, filter)).toBe(expected);
    });
  }

  it('combines with and, or and not', () => {
    const yes: Filter = { field: 'name', op: 'eq', value: 'Ada' };
    const no: Filter = { field: 'name', op: 'eq', value: 'Bob' };
    expect(matches(person, { and: [yes, yes] })).toBe(true);
    expect(matches(person, { and: [yes, no] })).toBe(false);
    expect(matches(person, { or: [no, yes] })).toBe(true);
    expect(matches(person, { or: [] })).toBe(false);
    expect(matches(person, { and: [] })).toBe(true);
    expect(matches(person, { not: no })).toBe(true);
    expect(matches(person, undefined)).toBe(true);
  });
});

describe('comparator', () => {
  it('sorts by several keys and directions', () => {
    const rows = [
      { id: 'a', g: 'x', n: 1 },
      { id: 'b', g: 'x', n: 2 },
      { id: 'c', n: 9 },
      { id: 'd', g: 'w', n: 2 },
    ];
    const order = [{ field: 'g' }, { field: 'n', direction: 'desc' as const }, { field: 'id', direction: 'desc' as const }];
    expect([...rows].sort(comparator(order)).map((r) => r.id)).toEqual(['c', 'd', 'b', 'a']);
    expect(sortKey(rows[2], order)).toEqual([undefined, 9, 'c']);
    expect(compareKeys(['x', 1], ['x', 2], [{ field: 'g' }, { field: 'n', direction: 'desc' }])).toBeGreaterThan(0);
  });
});
