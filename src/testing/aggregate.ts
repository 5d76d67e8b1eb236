/**
 * Native `aggregate`, where an adapter has it: equal to the reference `aggregateRecords` and
 * to figures worked out by hand — time buckets across DST changes and odd offsets included —
 * and refusing malformed aggregations with a `QueryError` naming the path. The reference
 * scan (`aggregateByScan`, what the engine runs for adapters without native `aggregate`) is
 * checked on every adapter.
 *
 * @internal
 * @module
 */
import { beforeEach, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import { aggregateByScan, aggregateRecords } from '../storage/aggregate';
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

/**
 * Instants around calendar edges. Europe/Istanbul is UTC+3 all year; America/New_York springs
 * forward on 2024-03-10 at 07:00Z (a 23-hour day) and falls back on 2024-11-03 at 06:00Z (a
 * 25-hour day, 01:30 happening twice); Asia/Kolkata is UTC+5:30. 2024-01-01 is a Monday.
 */
const DATED: readonly StoredRecord[] = [
  rec('e01', { kind: 'a', at: '2024-01-31T20:59:59.999Z' }), // Istanbul: Jan 31 23:59:59.999
  rec('e02', { kind: 'a', at: '2024-01-31T21:30:00.000Z' }), // Istanbul: Feb 1 00:30
  rec('e03', { kind: 'b', at: '2024-04-01T00:30:00+03:00' }), // not the stored format: 2024-03-31T21:30Z
  rec('e04', { kind: 'b', at: '2024-03-10T06:59:59.000Z' }), // New York: 01:59:59 EST, the last second before the jump
  rec('e05', { kind: 'a', at: '2024-03-10T07:00:00.000Z' }), // New York: 03:00 EDT
  rec('e06', { kind: 'a', at: '2024-03-11T03:59:59.999Z' }), // New York: Mar 10 23:59:59.999 EDT
  rec('e07', { kind: 'b', at: '2024-11-03T05:30:00.000Z' }), // New York: 01:30 EDT
  rec('e08', { kind: 'b', at: '2024-11-03T06:30:00.000Z' }), // New York: 01:30 EST, the same wall time again
  rec('e09', { kind: 'a' }),
  rec('e10', { kind: 'b', at: null }),
  rec('e11', { kind: 'a', at: 'soon' }),
  rec('e12', { kind: 'b', at: '2024-02-30T00:00:00.000Z' }), // the stored format, but no such day
  rec('e13', { kind: 'a', at: 12345 }),
];

const bucketCases: typeof cases = [
  {
    what: 'months of a time zone, the bucket start as the group value, no date as null',
    aggregation: { groupBy: [{ field: 'at', bucket: 'month', timeZone: 'Europe/Istanbul' }], metrics: [{ name: 'n', op: 'count' }] },
    rows: [
      { group: { at: null }, values: { n: 5 } },
      { group: { at: '2023-12-31T21:00:00.000Z' }, values: { n: 1 } },
      { group: { at: '2024-01-31T21:00:00.000Z' }, values: { n: 1 } },
      { group: { at: '2024-02-29T21:00:00.000Z' }, values: { n: 3 } },
      { group: { at: '2024-03-31T21:00:00.000Z' }, values: { n: 1 } },
      { group: { at: '2024-10-31T21:00:00.000Z' }, values: { n: 2 } },
    ],
  },
  {
    what: 'days of 23 and 25 hours under a filter, a named bucket beside a field',
    aggregation: {
      where: { field: 'at', op: 'gte', value: '2024-03-01T00:00:00.000Z' },
      groupBy: [{ field: 'at', bucket: 'day', timeZone: 'America/New_York', name: 'day' }, 'kind'],
      metrics: [{ name: 'n', op: 'count' }],
    },
    // 'soon' passes the string range but is no date.
    rows: [
      { group: { day: null, kind: 'a' }, values: { n: 1 } },
      { group: { day: '2024-03-10T05:00:00.000Z', kind: 'a' }, values: { n: 2 } },
      { group: { day: '2024-03-10T05:00:00.000Z', kind: 'b' }, values: { n: 1 } },
      { group: { day: '2024-03-31T04:00:00.000Z', kind: 'b' }, values: { n: 1 } },
      { group: { day: '2024-11-03T04:00:00.000Z', kind: 'b' }, values: { n: 2 } },
    ],
  },
  {
    what: 'ISO weeks in UTC and quarters at UTC+5:30 on one field',
    aggregation: {
      where: { field: 'kind', op: 'eq', value: 'a' },
      groupBy: [{ field: 'at', bucket: 'week', name: 'week' }, { field: 'at', bucket: 'quarter', timeZone: 'Asia/Kolkata', name: 'quarter' }],
      metrics: [{ name: 'n', op: 'count' }],
    },
    rows: [
      { group: { week: null, quarter: null }, values: { n: 3 } },
      { group: { week: '2024-01-29T00:00:00.000Z', quarter: '2023-12-31T18:30:00.000Z' }, values: { n: 2 } },
      { group: { week: '2024-03-04T00:00:00.000Z', quarter: '2023-12-31T18:30:00.000Z' }, values: { n: 1 } },
      { group: { week: '2024-03-11T00:00:00.000Z', quarter: '2023-12-31T18:30:00.000Z' }, values: { n: 1 } },
    ],
  },
  {
    what: 'years, UTC by default',
    aggregation: { groupBy: [{ field: 'at', bucket: 'year' }], metrics: [{ name: 'n', op: 'count' }] },
    rows: [
      { group: { at: null }, values: { n: 5 } },
      { group: { at: '2024-01-01T00:00:00.000Z' }, values: { n: 8 } },
    ],
  },
];

/** Aggregations every implementation must refuse, and the path its `QueryError` names. */
const malformed: { what: string; aggregation: unknown; path: (string | number)[] }[] = [
  { what: 'an unknown bucket unit', aggregation: { groupBy: [{ field: 'at', bucket: 'fortnight' }], metrics: [{ name: 'n', op: 'count' }] }, path: ['groupBy', 0, 'bucket'] },
  { what: 'an unknown time zone', aggregation: { groupBy: [{ field: 'at', bucket: 'day', timeZone: 'Mars/Olympus_Mons' }], metrics: [{ name: 'n', op: 'count' }] }, path: ['groupBy', 0, 'timeZone'] },
  { what: 'a bucket under a key another group key has', aggregation: { groupBy: ['kind', { field: 'at', bucket: 'day', name: 'kind' }], metrics: [{ name: 'n', op: 'count' }] }, path: ['groupBy', 1] },
  { what: 'a bucket of no field path', aggregation: { groupBy: [{ field: 'a..b', bucket: 'day' }], metrics: [{ name: 'n', op: 'count' }] }, path: ['groupBy', 0, 'field'] },
  { what: 'a percentile beyond 1', aggregation: { metrics: [{ name: 'p', op: 'percentile', field: 'amount', p: 2 }] }, path: ['metrics', 0, 'p'] },
  { what: 'two metrics of one name', aggregation: { metrics: [{ name: 'n', op: 'count' }, { name: 'n', op: 'sum', field: 'amount' }] }, path: ['metrics', 1, 'name'] },
  { what: 'an unknown metric', aggregation: { metrics: [{ name: 'n', op: 'median', field: 'amount' }] }, path: ['metrics', 0, 'op'] },
];

/** Drop `undefined` group values, which some adapters leave out and others keep. */
function comparable(rows: readonly { group: Record<string, unknown>; values: Record<string, number | null> }[]): unknown[] {
  return rows.map((r) => ({ group: Object.fromEntries(Object.entries(r.group).filter(([, v]) => v !== undefined)), values: r.values }));
}

/** The aggregation tests. */
export function aggregateTests(open: OpenAdapter): void {
  let s: StorageAdapter;
  beforeEach(async () => {
    s = await open({ collections: { deals: { indexes: [{ name: 'stage', fields: ['stage'] }, { name: 'owner', fields: ['owner'] }] }, dated: { indexes: [{ name: 'at', fields: ['at'] }] } } });
    await insertAll(s, 'deals', DEALS);
    // Out of id order, so an adapter reading in insertion order must notice.
    await insertAll(s, 'dated', [...DATED].reverse());
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

  for (const c of bucketCases) {
    it(`aggregates by time bucket: ${c.what}`, async (ctx) => {
      const aggregate = native(ctx);
      const rows = await aggregate('dated', c.aggregation);
      expect(comparable(rows)).toEqual(comparable(c.rows));
      expect(comparable(rows)).toEqual(comparable(aggregateRecords(DATED, c.aggregation)));
    });
    it(`aggregates by time bucket through the reference scan: ${c.what}`, async () => {
      expect(comparable(await aggregateByScan(s, 'dated', c.aggregation))).toEqual(comparable(c.rows));
    });
  }

  for (const m of malformed) {
    it(`refuses an aggregation with ${m.what}`, async (ctx) => {
      const expected = { name: 'QueryError', path: m.path };
      expect(() => aggregateRecords(DATED, m.aggregation as Aggregation)).toThrow(expect.objectContaining(expected));
      await expect(aggregateByScan(s, 'dated', m.aggregation as Aggregation)).rejects.toMatchObject(expected);
      const aggregate = native(ctx);
      await expect(aggregate('dated', m.aggregation as Aggregation)).rejects.toMatchObject(expected);
    });
  }

  it('aggregates records stored out of id order as the reference does, fractions included', async (ctx) => {
    const aggregate = native(ctx);
    // Sums of these fractions depend on the order of addition in their last bits.
    const parts = Array.from({ length: 40 }, (_, i) => rec(`f${String(i).padStart(2, '0')}`, { kind: i % 3 === 0 ? 'x' : 'y', amount: 0.1 * (i + 1) + 1 / (i + 3) }));
    await insertAll(s, 'dated', [...parts.filter((_, i) => i % 2 === 1), ...parts.filter((_, i) => i % 2 === 0)]);
    const aggregation: Aggregation = { where: { field: 'kind', op: 'in', value: ['x', 'y'] }, groupBy: ['kind'], metrics: [{ name: 'total', op: 'sum', field: 'amount' }, { name: 'mean', op: 'avg', field: 'amount' }] };
    const rows = await aggregate('dated', aggregation);
    const reference = aggregateRecords(parts, aggregation);
    expect(rows.map((r) => r.group)).toEqual(reference.map((r) => r.group));
    rows.forEach((r, i) => {
      expect(r.values['total']).toBeCloseTo(reference[i]?.values['total'] as number, 9);
      expect(r.values['mean']).toBeCloseTo(reference[i]?.values['mean'] as number, 9);
    });
  });

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
