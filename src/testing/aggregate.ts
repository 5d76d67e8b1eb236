/**
 * Native `aggregate`, where an adapter has it: equal to the reference `aggregateRecords` and
 * to figures worked out by hand.
 *
 * @internal
 * @module
 */
import { beforeEach, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import { aggregateRecords } from '../storage/aggregate';
import type { Aggregation, StorageAdapter, StoredRecord } from '../storage/adapter';
import type { OpenAdapter } from './context';
import { insertAll, rec } from './context';

const DEALS: readonly StoredRecord[] = [
  rec('d1', { stage: 'won', owner: 'ann', amount: 100, region: { code: 'TR' } }),
  rec('d2', { stage: 'won', owner: 'bob', amount: 300, region: { code: 'IR' } }),
  rec('d3', { stage: 'lost', owner: 'ann', amount: 50 }),
  rec('d4', { stage: 'open', owner: 'ann', amount: 20, region: { code: 'TR' } }),
  rec('d5', { stage: 'open', owner: 'bob', amount: null, region: { code: 'TR' } }),
  rec('d6', { stage: 'open', owner: 'cem', amount: '70' }),
  rec('d7', { stage: 'won', owner: 'ann', amount: 200, region: { code: 'TR' } }),
  rec('d8', { owner: 'bob', amount: 5 }),
];

const cases: { what: string; aggregation: Aggregation; rows: { group: Record<string, unknown>; values: Record<string, number | null> }[] }[] = [
  {
    what: 'count, sum, avg, min, max and the median over everything',
    aggregation: {
      metrics: [
        { name: 'n', op: 'count' },
        { name: 'total', op: 'sum', field: 'amount' },
        { name: 'mean', op: 'avg', field: 'amount' },
        { name: 'low', op: 'min', field: 'amount' },
        { name: 'high', op: 'max', field: 'amount' },
        { name: 'median', op: 'percentile', field: 'amount', p: 0.5 },
        { name: 'p90', op: 'percentile', field: 'amount', p: 0.9 },
      ],
    },
    // numbers: 100 300 50 20 200 5 → sorted 5 20 50 100 200 300
    rows: [{ group: {}, values: { n: 8, total: 675, mean: 112.5, low: 5, high: 300, median: 75, p90: 250 } }],
  },
  {
    what: 'groups in the value order, missing first',
    aggregation: { groupBy: ['stage'], metrics: [{ name: 'n', op: 'count' }, { name: 'total', op: 'sum', field: 'amount' }, { name: 'mean', op: 'avg', field: 'amount' }] },
    rows: [
      { group: { stage: undefined }, values: { n: 1, total: 5, mean: 5 } },
      { group: { stage: 'lost' }, values: { n: 1, total: 50, mean: 50 } },
      { group: { stage: 'open' }, values: { n: 3, total: 20, mean: 20 } },
      { group: { stage: 'won' }, values: { n: 3, total: 600, mean: 200 } },
    ],
  },
  {
    what: 'a filter and two group fields, one dotted',
    aggregation: {
      where: { field: 'owner', op: 'in', value: ['ann', 'bob'] },
      groupBy: ['owner', 'region.code'],
      metrics: [{ name: 'n', op: 'count' }, { name: 'high', op: 'max', field: 'amount' }],
    },
    rows: [
      { group: { owner: 'ann', 'region.code': undefined }, values: { n: 1, high: 50 } },
      { group: { owner: 'ann', 'region.code': 'TR' }, values: { n: 3, high: 200 } },
      { group: { owner: 'bob', 'region.code': undefined }, values: { n: 1, high: 5 } },
      { group: { owner: 'bob', 'region.code': 'IR' }, values: { n: 1, high: 300 } },
      { group: { owner: 'bob', 'region.code': 'TR' }, values: { n: 1, high: null } },
    ],
  },
  {
    what: 'one row of zeros and nulls when nothing matches',
    aggregation: { where: { field: 'stage', op: 'eq', value: 'none' }, metrics: [{ name: 'n', op: 'count' }, { name: 'total', op: 'sum', field: 'amount' }, { name: 'mean', op: 'avg', field: 'amount' }] },
    rows: [{ group: {}, values: { n: 0, total: 0, mean: null } }],
  },
];

/** Drop `undefined` group values, which some adapters leave out and others keep. */
function comparable(rows: readonly { group: Record<string, unknown>; values: Record<string, number | null> }[]): unknown[] {
  return rows.map((r) => ({ group: Object.fromEntries(Object.entries(r.group).filter(([, v]) => v !== undefined)), values: r.values }));
}

/** The aggregation tests. */
export function aggregateTests(open: OpenAdapter): void {
  let s: StorageAdapter;
  beforeEach(async () => {
    s = await open({ collections: { deals: { indexes: [{ name: 'stage', fields: ['stage'] }, { name: 'owner', fields: ['owner'] }] } } });
    await insertAll(s, 'deals', DEALS);
  });

  function native(ctx: TestContext): NonNullable<StorageAdapter['aggregate']> {
    const aggregate = s.aggregate?.bind(s);
    if (aggregate === undefined) ctx.skip('the adapter has no native aggregate');
    return aggregate as NonNullable<StorageAdapter['aggregate']>;
  }

  for (const c of cases) {
    it(`aggregates ${c.what}`, async (ctx) => {
      const aggregate = native(ctx);
      const rows = await aggregate('deals', c.aggregation);
      expect(comparable(rows)).toEqual(comparable(c.rows));
      expect(comparable(rows)).toEqual(comparable(aggregateRecords(DEALS, c.aggregation)));
    });
  }

  it('aggregates what is stored now, after updates and deletes', async (ctx) => {
    const aggregate = native(ctx);
    await s.write([
      { type: 'update', collection: 'deals', record: rec('d1', { stage: 'won', owner: 'ann', amount: 1000 }, 2) },
      { type: 'delete', collection: 'deals', id: 'd2' },
    ]);
    const rows = await aggregate('deals', { where: { field: 'stage', op: 'eq', value: 'won' }, metrics: [{ name: 'total', op: 'sum', field: 'amount' }, { name: 'n', op: 'count' }] });
    expect(comparable(rows)).toEqual([{ group: {}, values: { total: 1200, n: 2 } }]);
  });
}
