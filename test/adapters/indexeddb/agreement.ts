/**
 * Shared by `agreement.test.ts` (fake-indexeddb) and `agreement.browser.test.ts` (Chromium).
 *
 * Whatever plan answers a query, it must agree with the reference evaluator: random records
 * (with missing, null, boolean, mixed-type and repeated values, so indexes leave some out),
 * random filters and orders, paged through with cursors at random page sizes.
 */
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { deleteIndexedDbDatabase, indexedDbAdapter } from '../../../adapters/indexeddb/index';
import { comparator, matches } from '../../../src/query/evaluate';
import { totalOrder } from '../../../src/query/validate';
import type { Filter, OrderBy } from '../../../src/query/types';
import type { StorageAdapter, StoredRecord } from '../../../src/storage/adapter';

const schema = {
  collections: {
    rows: {
      indexes: [
        { name: 'a', fields: ['a'] },
        { name: 'b', fields: ['b'] },
        { name: 'a_b', fields: ['a', 'b'] },
        { name: 'b_a_c', fields: ['b', 'a', 'c'] },
        { name: 'tags', fields: ['tags'], multiEntry: true },
      ],
    },
  },
};

// Few distinct values, so equal keys, multi-page results and cursor seeks are common.
const scalar = fc.oneof(fc.constantFrom('x', 'y', 'xa', ''), fc.integer({ min: -1, max: 2 }));
const odd = fc.constantFrom(null, true, false);
const fieldValue = fc.oneof({ weight: 12, arbitrary: scalar }, { weight: 1, arbitrary: odd });

/** A record; `dense` records hold a key in every indexed field, so every index holds them all. */
const recordArb = (id: string, dense: boolean): fc.Arbitrary<StoredRecord> =>
  fc
    .record({ a: dense ? scalar : fieldValue, b: dense ? scalar : fieldValue, c: dense ? scalar : fieldValue, tags: fc.oneof(fc.array(scalar, { maxLength: 3 }), scalar, odd) }, { requiredKeys: dense ? ['a', 'b', 'c'] : [] })
    .map((fields) => ({ ...fields, id, version: 1 }) as StoredRecord);

/** A collection of up to 40 records, dense (every index complete) or sparse (indexes leave records out). */
const recordsArb: fc.Arbitrary<StoredRecord[]> = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.boolean())
  .chain(([size, dense]) => fc.tuple(...Array.from({ length: size }, (_, i) => recordArb(`r${String(i).padStart(2, '0')}`, dense))));

const field = fc.constantFrom('a', 'b', 'c', 'tags', 'id');
const condition: fc.Arbitrary<Filter> = fc.oneof(
  fc.record({ field, op: fc.constantFrom('eq' as const, 'gt' as const, 'gte' as const, 'lt' as const, 'lte' as const, 'has' as const), value: scalar }),
  fc.record({ field, op: fc.constantFrom('eq' as const, 'ne' as const), value: odd }),
  fc.record({ field, op: fc.constantFrom('in' as const, 'hasAny' as const, 'hasAll' as const, 'nin' as const), value: fc.array(scalar, { maxLength: 3 }) }),
  fc.record({ field, op: fc.constant('startsWith' as const), value: fc.constantFrom('x', '', 'r') }),
  fc.record({ field, op: fc.constant('between' as const), value: fc.constantFrom<[number, number] | [string, string]>([-1, 2], ['x', 'y'], [3, -3]) }),
  fc.record({ field, op: fc.constant('exists' as const), value: fc.boolean() }),
);
// Conditions most records meet, so results span pages and cursors seek inside equal keys.
const common: fc.Arbitrary<Filter> = fc.record({ field: fc.constantFrom('a', 'b', 'tags'), op: fc.constantFrom('eq' as const, 'has' as const), value: fc.constantFrom('x', 1) });
const filter: fc.Arbitrary<Filter | undefined> = fc.oneof<fc.WeightedArbitrary<Filter | undefined>[]>(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: common },
  { weight: 2, arbitrary: fc.tuple(common, condition).map((and) => ({ and })) },
  { weight: 1, arbitrary: condition },
  // An equality prefix and a range on a compound index's next field.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('x', 1), fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const), scalar)
      .map(([v, op, w]): Filter => ({ and: [{ field: 'b', op: 'eq', value: v }, { field: 'a', op, value: w }] })),
  },
  { weight: 1, arbitrary: fc.array(condition, { minLength: 1, maxLength: 3 }).map((and) => ({ and })) },
  { weight: 1, arbitrary: fc.array(condition, { minLength: 1, maxLength: 2 }).map((or) => ({ or })) },
);
const orderBy: fc.Arbitrary<OrderBy[] | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.array(fc.record({ field: fc.constantFrom('a', 'b', 'c', 'id'), direction: fc.constantFrom('asc' as const, 'desc' as const) }), { minLength: 1, maxLength: 3 }),
);

/** Register the agreement property: `runs` random collections and queries, databases named `prefix-…`. */
export function agreementTests(prefix: string, runs: number): void {
  let n = 0;
  const opened: StorageAdapter[] = [];
  afterAll(async () => {
    for (const a of opened) await a.close();
  });
  it('returns exactly the matching records, in order, across pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        recordsArb,
        filter,
        orderBy,
        fc.integer({ min: 1, max: 4 }),
        async (records, where, order, limit) => {
          const name = `${prefix}-${Date.now().toString(36)}-${n++}`;
          const s = indexedDbAdapter({ name, broadcast: false });
          opened.push(s);
          await s.open(schema);
          if (records.length) await s.write(records.map((record) => ({ type: 'insert' as const, collection: 'rows', record })));
          const expected = records.filter((r) => matches(r, where)).sort(comparator(totalOrder(order)));
          const got: StoredRecord[] = [];
          let cursor: string | undefined;
          for (let i = 0; i < 100; i++) {
            const page = await s.query('rows', { where, orderBy: order, limit, cursor });
            expect(page.items.length).toBeLessThanOrEqual(limit);
            got.push(...page.items);
            if (page.nextCursor === undefined) break;
            expect(page.items).toHaveLength(limit);
            cursor = page.nextCursor;
          }
          expect(got.map((r) => r.id)).toEqual(expected.map((r) => r.id));
          expect(await s.count('rows', where)).toBe(expected.length);
          await s.close();
          await deleteIndexedDbDatabase(name);
        },
      ),
      { numRuns: runs },
    );
  });
}
