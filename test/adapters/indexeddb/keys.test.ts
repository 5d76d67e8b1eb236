import { describe, expect, it } from 'vitest';
import { indexKeysOf, inRange, isKey, prefixUpperBound, toKeyRange } from '../../../adapters/indexeddb/keys';
import { intersect } from '../../../adapters/indexeddb/constraints';

describe('keys', () => {
  it('accepts what IndexedDB accepts as a key in a JSON record', () => {
    expect([1, -0, 'a', '', [1, 'a'], [], [[1]]].every(isKey)).toBe(true);
    expect([null, true, false, undefined, {}, [null], Number.NaN].some(isKey)).toBe(false);
  });

  it('reads index keys as IndexedDB files them, leaving out what it cannot index', () => {
    const spec = { name: 'x', fields: ['a.b'] };
    expect(indexKeysOf({ a: { b: 'v' } }, spec)).toEqual(['v']);
    expect(indexKeysOf({ a: { b: null } }, spec)).toEqual([]);
    expect(indexKeysOf({ a: [{ b: 'v' }] }, spec)).toEqual([]);
    expect(indexKeysOf({ a: 1, b: true }, { name: 'ab', fields: ['a', 'b'] })).toEqual([]);
    expect(indexKeysOf({ a: 1, b: 'x' }, { name: 'ab', fields: ['a', 'b'] })).toEqual([[1, 'x']]);
    expect(indexKeysOf({ t: ['a', null, 'a', 2, true] }, { name: 't', fields: ['t'], multiEntry: true })).toEqual(['a', 2]);
  });

  it('bounds a prefix by incrementing its last code unit, carrying past U+FFFF', () => {
    expect(prefixUpperBound('ab')).toBe('ac');
    expect(prefixUpperBound('a\uFFFF')).toBe('b');
    expect(prefixUpperBound('\uFFFF')).toBeUndefined();
    expect(prefixUpperBound('')).toBeUndefined();
  });

  it('keeps compound keys with a longer tail inside a prefix range', () => {
    const range = { lower: ['vip'], upper: ['vip', []], lowerOpen: false, upperOpen: true };
    expect(inRange(['vip', '2024', 3], range)).toBe(true);
    expect(inRange(['vip'], range)).toBe(true);
    expect(inRange(['vipx', 'a'], range)).toBe(false);
  });

  it('converts ranges to IDBKeyRange, with only() for a single key', () => {
    expect(toKeyRange(IDBKeyRange, { lowerOpen: false, upperOpen: false })).toBeNull();
    const only = toKeyRange(IDBKeyRange, { lower: 'a', upper: 'a', lowerOpen: false, upperOpen: false });
    expect([only?.lower, only?.upper, only?.includes('a'), only?.includes('b')]).toEqual(['a', 'a', true, false]);
    expect(toKeyRange(IDBKeyRange, { lower: 1, lowerOpen: true, upperOpen: false })?.includes(1)).toBe(false);
  });

  it('intersects constraints on one field', () => {
    expect(intersect([{ points: ['a', 'b'] }, { points: ['b', 'c'] }])).toEqual({ points: ['b'] });
    expect(intersect([{ points: [1, 5] }, { range: { lower: 2, upper: 9, lowerOpen: false, upperOpen: false } }])).toEqual({ points: [5] });
    expect(intersect([{ range: { lower: 1, upper: 3, lowerOpen: true, upperOpen: false } }, { range: { lower: 3, upper: 3, lowerOpen: false, upperOpen: false } }])).toEqual({
      range: { lower: 3, upper: 3, lowerOpen: false, upperOpen: false },
    });
    expect(intersect([{ points: ['a'] }, { points: ['b'] }])).toEqual({ empty: true });
  });
});
