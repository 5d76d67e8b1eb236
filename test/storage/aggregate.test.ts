import { describe, expect, it } from 'vitest';
import { aggregateRecords, percentile } from '../../src/storage/aggregate';

describe('percentile', () => {
  it('interpolates linearly between closest ranks', () => {
    const values = [20, 5, 300, 50, 100, 200]; // sorted: 5 20 50 100 200 300
    expect(percentile(values, 0)).toBe(5);
    expect(percentile(values, 1)).toBe(300);
    expect(percentile(values, 0.5)).toBe(75); // rank 2.5: 50 + 0.5 × 50
    expect(percentile(values, 0.9)).toBe(250); // rank 4.5
    expect(percentile(values, 0.2)).toBe(20); // rank 1
    expect(percentile(values, 0.25)).toBe(27.5); // rank 1.25: 20 + 0.25 × 30
  });

  it('gives the middle value of an odd count and null for no values', () => {
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
    expect(percentile([7], 0.37)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('clamps p to 0..1 and leaves its input unsorted', () => {
    const values = [3, 1, 2];
    expect(percentile(values, -1)).toBe(1);
    expect(percentile(values, 2)).toBe(3);
    expect(values).toEqual([3, 1, 2]);
  });
});

const deals = [
  { id: 'd1', stage: 'won', owner: 'ann', amount: 100 },
  { id: 'd2', stage: 'won', owner: 'bob', amount: 300 },
  { id: 'd3', stage: 'lost', owner: 'ann', amount: 50 },
  { id: 'd4', stage: 'open', owner: 'ann', amount: 20 },
  { id: 'd5', stage: 'open', owner: 'bob', amount: null },
  { id: 'd6', stage: 'open', owner: 'cem', amount: '70' },
  { id: 'd7', stage: 'won', owner: 'ann', amount: 200 },
  { id: 'd8', owner: 'bob', amount: 5 },
];

describe('aggregateRecords', () => {
  it('computes every metric over all records, counting records but adding only numbers', () => {
    const rows = aggregateRecords(deals, {
      metrics: [
        { name: 'n', op: 'count' },
        { name: 'total', op: 'sum', field: 'amount' },
        { name: 'mean', op: 'avg', field: 'amount' },
        { name: 'low', op: 'min', field: 'amount' },
        { name: 'high', op: 'max', field: 'amount' },
        { name: 'median', op: 'percentile', field: 'amount', p: 0.5 },
      ],
    });
    expect(rows).toEqual([{ group: {}, values: { n: 8, total: 675, mean: 112.5, low: 5, high: 300, median: 75 } }]);
  });

  it('groups in the value order, missing first', () => {
    const rows = aggregateRecords(deals, { groupBy: ['stage'], metrics: [{ name: 'n', op: 'count' }, { name: 'total', op: 'sum', field: 'amount' }] });
    expect(rows).toEqual([
      { group: { stage: undefined }, values: { n: 1, total: 5 } },
      { group: { stage: 'lost' }, values: { n: 1, total: 50 } },
      { group: { stage: 'open' }, values: { n: 3, total: 20 } },
      { group: { stage: 'won' }, values: { n: 3, total: 600 } },
    ]);
  });

  it('filters with where and groups by several fields', () => {
    const rows = aggregateRecords(deals, {
      where: { field: 'amount', op: 'gte', value: 50 },
      groupBy: ['owner', 'stage'],
      metrics: [{ name: 'n', op: 'count' }, { name: 'mean', op: 'avg', field: 'amount' }],
    });
    expect(rows).toEqual([
      { group: { owner: 'ann', stage: 'lost' }, values: { n: 1, mean: 50 } },
      { group: { owner: 'ann', stage: 'won' }, values: { n: 2, mean: 150 } },
      { group: { owner: 'bob', stage: 'won' }, values: { n: 1, mean: 300 } },
    ]);
  });

  it('gives null for a metric with no numbers in its group, and 0 for its sum', () => {
    const rows = aggregateRecords(deals, {
      where: { field: 'owner', op: 'eq', value: 'cem' },
      metrics: [{ name: 'total', op: 'sum', field: 'amount' }, { name: 'mean', op: 'avg', field: 'amount' }, { name: 'p', op: 'percentile', field: 'amount', p: 0.5 }],
    });
    expect(rows).toEqual([{ group: {}, values: { total: 0, mean: null, p: null } }]);
  });

  it('gives one row of zero count when nothing matches and no group is asked, and no rows with groups', () => {
    const none = { field: 'stage', op: 'eq' as const, value: 'none' };
    expect(aggregateRecords(deals, { where: none, metrics: [{ name: 'n', op: 'count' }] })).toEqual([{ group: {}, values: { n: 0 } }]);
    expect(aggregateRecords(deals, { where: none, groupBy: ['stage'], metrics: [{ name: 'n', op: 'count' }] })).toEqual([]);
  });

  it('groups by a dotted path and aggregates a nested number', () => {
    const rows = aggregateRecords(
      [
        { id: 'a', region: { code: 'TR' }, value: { amount: 10 } },
        { id: 'b', region: { code: 'TR' }, value: { amount: 30 } },
        { id: 'c', region: { code: 'IR' }, value: { amount: 5 } },
      ],
      { groupBy: ['region.code'], metrics: [{ name: 'total', op: 'sum', field: 'value.amount' }] },
    );
    expect(rows).toEqual([
      { group: { 'region.code': 'IR' }, values: { total: 5 } },
      { group: { 'region.code': 'TR' }, values: { total: 40 } },
    ]);
  });

  // Known bug in src/storage/aggregate.ts (reported): the group key maps `null` and a missing
  // value alike to `{ $missing: true }`, so null and missing share one group. When fixed, this
  // test fails: turn `it.fails` into `it`.
  it('keeps null and missing in separate groups', () => {
    const rows = aggregateRecords([{ s: null }, {}, { s: null }], { groupBy: ['s'], metrics: [{ name: 'n', op: 'count' }] });
    expect(rows).toEqual([
      { group: { s: undefined }, values: { n: 1 } },
      { group: { s: null }, values: { n: 2 } },
    ]);
  });
});
