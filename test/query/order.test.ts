import { describe, expect, it } from 'vitest';
import { canonicalJson, compareValues, typeRank, valuesEqual } from '../../src/query/order';

describe('the value order', () => {
  it('ranks missing < null < false < true < numbers < strings < arrays < objects', () => {
    const values = [{ a: 1 }, ['a'], 'a', 1, true, false, null, undefined];
    expect(values.map(typeRank)).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
    // Array#sort moves undefined to the end without asking the comparator, so sort boxes.
    const sorted = values.map((v) => ({ v })).sort((a, b) => compareValues(a.v, b.v)).map((b) => b.v);
    expect(sorted).toEqual([undefined, null, false, true, 1, 'a', ['a'], { a: 1 }]);
  });

  it('orders numbers numerically, negatives and decimals included', () => {
    expect([10, -1.5, 2, 0, -20, 2.25].sort(compareValues)).toEqual([-20, -1.5, 0, 2, 2.25, 10]);
  });

  it('orders strings by UTF-16 code unit, not by code point or locale', () => {
    // 'ﬀ' is one unit 0xFB00; '😀' is 0xD83D 0xDE00, so it sorts below 'ﬀ' though its code point is higher.
    expect(['\uFB00', '😀', '中', 'é', 'a', 'Z', '', '10', '9'].sort(compareValues)).toEqual(['', '10', '9', 'Z', 'a', 'é', '中', '😀', '\uFB00']);
    expect(compareValues('e\u0301', '\u00E9')).toBeLessThan(0);
    expect(compareValues('a', 'a')).toBe(0);
  });

  it('orders arrays element by element, shorter first', () => {
    expect([[1, 2], [1], [], [0, 5], [1, 'a']].sort(compareValues)).toEqual([[], [0, 5], [1], [1, 2], [1, 'a']]);
  });

  it('orders objects by canonical JSON, whatever their key order', () => {
    expect(compareValues({ b: 1, a: 2 }, { a: 2, b: 1 })).toBe(0);
    expect(compareValues({ a: 1 }, { a: 2 })).toBeLessThan(0);
  });
});

describe('valuesEqual', () => {
  it('compares scalars strictly and containers deeply', () => {
    expect(valuesEqual(1, 1)).toBe(true);
    expect(valuesEqual(1, '1')).toBe(false);
    expect(valuesEqual(null, undefined)).toBe(false);
    expect(valuesEqual(false, 0)).toBe(false);
    expect(valuesEqual(['a', { x: [1] }], ['a', { x: [1] }])).toBe(true);
    expect(valuesEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(valuesEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(valuesEqual([1], { 0: 1 })).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys and leaves out undefined members', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: undefined, '': null })).toBe('{"":null,"b":[1,{"c":2,"d":1}]}');
    expect(canonicalJson(undefined)).toBe('undefined');
    expect(canonicalJson('é"')).toBe('"é\\""');
  });
});
