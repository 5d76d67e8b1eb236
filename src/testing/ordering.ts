/**
 * The one value order: missing < null < false < true < numbers < strings by UTF-16 code unit,
 * ascending and descending, several keys, and the `id` tie-break.
 *
 * @internal
 * @module
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { comparator } from '../query/evaluate';
import { totalOrder } from '../query/validate';
import type { OrderBy } from '../query/types';
import type { StorageAdapter, StoredRecord } from '../storage/adapter';
import type { OpenAdapter } from './context';
import { insertAll, queryAll, rec } from './context';
import { PEOPLE, PEOPLE_INDEXES } from './fixtures';

/** One value of every kind, ids shuffled against the value order. */
export const VALUES: readonly StoredRecord[] = [
  rec('o01', { v: '\uFB00' }), // ﬀ: one code unit 0xFB00, above the surrogates of 😀
  rec('o02', { v: 10 }),
  rec('o03', {}),
  rec('o04', { v: '中' }),
  rec('o05', { v: null }),
  rec('o06', { v: true }),
  rec('o07', { v: 'a' }),
  rec('o08', { v: -1.5 }),
  rec('o09', { v: false }),
  rec('o10', { v: '😀' }), // 0xD83D 0xDE00
  rec('o11', { v: 'Z' }),
  rec('o12', { v: 2 }),
  rec('o13', { v: 'é' }), // precomposed 0x00E9
  rec('o14', { v: 0 }),
  rec('o15', { v: '10' }),
  rec('o16', { v: '' }),
  rec('o17', { v: 2 }),
  rec('o18', { v: 'e\u0301' }), // decomposed: 0x0065 0x0301
];

/** {@link VALUES} in ascending value order, worked out by hand. */
const ASC = ['o03', 'o05', 'o09', 'o06', 'o08', 'o14', 'o12', 'o17', 'o02', 'o16', 'o15', 'o11', 'o07', 'o18', 'o13', 'o04', 'o10', 'o01'];

const TEAM: readonly StoredRecord[] = [
  rec('m1', { g: 'b', rank: 1 }),
  rec('m2', { g: 'a', rank: 2 }),
  rec('m3', { g: 'b', rank: 3 }),
  rec('m4', { g: 'a', rank: 2 }),
  rec('m5', { rank: 5 }),
  rec('m6', { g: 'a', rank: 9 }),
];

const cases: { what: string; collection: 'values' | 'team' | 'people'; orderBy: OrderBy[]; ids: string[] }[] = [
  { what: 'ascending in the value order', collection: 'values', orderBy: [{ field: 'v' }], ids: ASC },
  { what: 'descending in the value order, ties broken by id descending', collection: 'values', orderBy: [{ field: 'v', direction: 'desc' }], ids: [...ASC].reverse() },
  { what: 'by id when no order is given', collection: 'values', orderBy: [], ids: [...ASC].sort() },
  { what: 'by id descending', collection: 'values', orderBy: [{ field: 'id', direction: 'desc' }], ids: [...ASC].sort().reverse() },
  { what: 'by two keys, ascending then descending', collection: 'team', orderBy: [{ field: 'g' }, { field: 'rank', direction: 'desc' }], ids: ['m5', 'm6', 'm4', 'm2', 'm3', 'm1'] },
  { what: 'by two keys, descending then ascending', collection: 'team', orderBy: [{ field: 'g', direction: 'desc' }, { field: 'rank' }], ids: ['m1', 'm3', 'm2', 'm4', 'm6', 'm5'] },
  { what: 'by a dotted path, missing first', collection: 'people', orderBy: [{ field: 'address.city' }], ids: ['r04', 'r05', 'r08', 'r02', 'r09', 'r01', 'r06', 'r10', 'r07', 'r03'] },
  { what: 'by a field of mixed types', collection: 'people', orderBy: [{ field: 'score' }], ids: ['r04', 'r09', 'r03', 'r06', 'r02', 'r10', 'r01', 'r07', 'r08', 'r05'] },
  { what: 'by a field of mixed types, descending', collection: 'people', orderBy: [{ field: 'score', direction: 'desc' }], ids: ['r05', 'r08', 'r07', 'r01', 'r10', 'r02', 'r06', 'r03', 'r09', 'r04'] },
];

/** The ordering tests. */
export function orderingTests(open: OpenAdapter): void {
  for (const indexed of [true, false]) {
    describe(indexed ? 'with indexes' : 'without indexes', () => {
      let s: StorageAdapter;
      beforeEach(async () => {
        s = await open({
          collections: {
            values: { indexes: indexed ? [{ name: 'v', fields: ['v'] }] : [] },
            team: { indexes: indexed ? [{ name: 'g_rank', fields: ['g', 'rank'] }, { name: 'rank', fields: ['rank'] }] : [] },
            people: { indexes: indexed ? PEOPLE_INDEXES : [] },
          },
        });
        await insertAll(s, 'values', VALUES);
        await insertAll(s, 'team', TEAM);
        await insertAll(s, 'people', PEOPLE);
      });

      for (const c of cases) {
        it(`orders ${c.what}`, async () => {
          const source = c.collection === 'values' ? VALUES : c.collection === 'team' ? TEAM : PEOPLE;
          const reference = [...source].sort(comparator(totalOrder(c.orderBy))).map((r) => r.id);
          const whole = (await s.query(c.collection, { orderBy: c.orderBy, limit: 1000 })).items.map((r) => r.id);
          expect(whole).toEqual(c.ids);
          expect(whole).toEqual(reference);
          // The same order must hold across page boundaries.
          const paged = (await queryAll(s, c.collection, { orderBy: c.orderBy }, 4)).map((r) => r.id);
          expect(paged).toEqual(c.ids);
        });
      }

      it('orders the matches of a filter', async () => {
        const items = await queryAll(s, 'values', { where: { field: 'v', op: 'gte', value: 'a' }, orderBy: [{ field: 'v', direction: 'desc' }] }, 2);
        expect(items.map((r) => r.id)).toEqual(['o01', 'o10', 'o04', 'o13', 'o18', 'o07']);
      });

      it('orders strings by UTF-16 code unit, not by code point or locale', async () => {
        const items = await queryAll(s, 'values', { where: { field: 'v', op: 'in', value: ['😀', '\uFB00', 'Z', 'a', 'é', '中'] }, orderBy: [{ field: 'v' }] });
        expect(items.map((r) => r['v'])).toEqual(['Z', 'a', 'é', '中', '😀', '\uFB00']);
      });
    });
  }
}
