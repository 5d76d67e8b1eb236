/**
 * Every operator of the query language, with and without indexes, against hand-written
 * expectations and the reference evaluator.
 *
 * @internal
 * @module
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { matches } from '../query/evaluate';
import type { StorageAdapter } from '../storage/adapter';
import type { OpenAdapter } from './context';
import { insertAll, queryAll } from './context';
import { FILTER_CASES, PEOPLE, PEOPLE_INDEXES } from './fixtures';

/** The operator tests. */
export function operatorTests(open: OpenAdapter): void {
  let s: StorageAdapter;
  beforeEach(async () => {
    s = await open({ collections: { indexed: { indexes: PEOPLE_INDEXES }, plain: { indexes: [] } } });
    await insertAll(s, 'indexed', PEOPLE);
    await insertAll(s, 'plain', PEOPLE);
  });

  for (const collection of ['indexed', 'plain'] as const) {
    describe(collection === 'indexed' ? 'with indexes' : 'without indexes', () => {
      for (const c of FILTER_CASES) {
        it(`answers ${c.what}`, async () => {
          const reference = PEOPLE.filter((r) => matches(r, c.where)).map((r) => r.id);
          const items = await queryAll(s, collection, { where: c.where, orderBy: [{ field: 'id' }] });
          const ids = items.map((r) => r.id);
          expect(ids).toEqual(c.ids);
          expect(ids).toEqual(reference);
          expect(await s.count(collection, c.where)).toBe(c.ids.length);
        });
      }
    });
  }

  it('returns whole records from a filtered query', async () => {
    const { items } = await s.query('indexed', { where: { field: 'address.city', op: 'eq', value: 'İstanbul' } });
    expect(items).toEqual([PEOPLE[2]]);
  });
}
