/**
 * `open`: opening again with another index keeps the data and makes the index work.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import type { OpenAdapter } from './context';
import { insertAll, queryAll, rec } from './context';

/** The schema tests. */
export function schemaTests(open: OpenAdapter): void {
  it('keeps the data and builds a new index when opened again with it', async () => {
    const s = await open({ collections: { people: { indexes: [{ name: 'name', fields: ['name'] }] } } });
    const people = Array.from({ length: 300 }, (_, i) => rec(`p${String(i).padStart(3, '0')}`, { name: `n${i}`, city: i % 30 === 0 ? 'Oslo' : 'Bergen' }));
    await insertAll(s, 'people', people);
    await s.open({
      collections: {
        people: { indexes: [{ name: 'name', fields: ['name'] }, { name: 'city', fields: ['city'] }] },
        places: { indexes: [] },
      },
    });
    expect(await s.count('people')).toBe(300);
    expect(await s.get('people', ['p000', 'p299'])).toEqual([people[0], people[299]]);
    const where = { field: 'city', op: 'eq' as const, value: 'Oslo' };
    const found = await queryAll(s, 'people', { where });
    expect(found.map((r) => r.id)).toEqual(['p000', 'p030', 'p060', 'p090', 'p120', 'p150', 'p180', 'p210', 'p240', 'p270']);
    const plan = await s.explain('people', { where });
    expect(plan).toMatchObject({ index: 'city', rowsReturned: 10 });
    expect(plan.rowsExamined).toBeLessThanOrEqual(11);
    await s.write([{ type: 'insert', collection: 'places', record: rec('x') }]);
    expect(await s.count('places')).toBe(1);
  });

  it('keeps the new index current with later writes', async () => {
    const s = await open({ collections: { people: { indexes: [] } } });
    await insertAll(s, 'people', [rec('a', { city: 'Oslo' }), rec('b', { city: 'Oslo' })]);
    await s.open({ collections: { people: { indexes: [{ name: 'city', fields: ['city'] }] } } });
    await s.write([
      { type: 'update', collection: 'people', record: rec('a', { city: 'Bergen' }, 2) },
      { type: 'insert', collection: 'people', record: rec('c', { city: 'Oslo' }) },
    ]);
    const found = await queryAll(s, 'people', { where: { field: 'city', op: 'eq', value: 'Oslo' } });
    expect(found.map((r) => r.id)).toEqual(['b', 'c']);
  });
}
