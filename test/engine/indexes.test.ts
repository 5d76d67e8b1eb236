// Indexes a host app declares through createCrm: validated at start, kept by every storage,
// and used by the planner for "equality, then ordered by another field".
import { describe, expect, it } from 'vitest';
import { createCrm, ValidationError } from '../../src/index';
import type { StorageAdapter } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { indexedDbAdapter } from '../../adapters/indexeddb/index';

let n = 0;
const STORAGES: { name: string; make: () => StorageAdapter }[] = [
  { name: 'memory', make: () => memoryAdapter() },
  { name: 'indexeddb', make: () => indexedDbAdapter({ name: `rapport-indexes-${Date.now()}-${n++}` }) },
];

const TIERS = ['free', 'pro', 'vip'] as const;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe.each(STORAGES)('a declared compound index on $name', ({ make }) => {
  it('answers an equality ordered by its second field by walking it: a page reads one row more than it returns', async () => {
    const storage = make();
    let t = Date.parse('2025-01-01T00:00:00Z');
    const crm = await createCrm({ storage, clock: () => (t += 1000), indexes: { customers: [{ name: 'tier_createdAt', fields: ['tier', 'createdAt'] }] } });
    await crm.customers.createMany(Array.from({ length: 300 }, (_, i) => ({ name: `C${i}`, tier: TIERS[i % 3] as string })));
    const page = await crm.customers.find({ where: { field: 'tier', op: 'eq', value: 'vip' }, orderBy: [{ field: 'createdAt', direction: 'desc' }], limit: 10 });
    // vip is every third customer from C2; the newest is C299.
    expect(page.items.map((c) => c.name)).toEqual(Array.from({ length: 10 }, (_, i) => `C${299 - 3 * i}`));
    const plan = await storage.explain('customers', {
      where: { and: [{ field: 'tier', op: 'eq', value: 'vip' }, { field: 'archivedAt', op: 'exists', value: false }] },
      orderBy: [{ field: 'createdAt', direction: 'desc' }],
      limit: 10,
    });
    expect(plan).toMatchObject({ index: 'tier_createdAt', sorted: false, rowsReturned: 10 });
    expect(plan.rowsExamined).toBeLessThanOrEqual(11);
    await crm.close();
  });

  it('holds a unique key of the app’s own: a taken value is a ConstraintError and nothing is written', async () => {
    const crm = await createCrm({ storage: make(), customFields: { customers: { vatId: { type: 'text' } } }, indexes: { customers: [{ name: 'vatId', fields: ['custom.vatId'], unique: true }] } });
    await crm.customers.create({ name: 'Acme', custom: { vatId: 'DE123' } });
    const error = await rejection(crm.customers.create({ name: 'Acme again', custom: { vatId: 'DE123' } }));
    expect(error).toMatchObject({ name: 'ConstraintError', collection: 'customers' });
    expect(await crm.customers.count()).toBe(1);
    await crm.close();
  });
});

describe('declared indexes', () => {
  it('are refused at start with a ValidationError naming each problem', async () => {
    const error = await rejection(
      createCrm({
        indexes: {
          customers: [
            { name: 'createdAt', fields: ['tier'] },
            { name: 'by tier', fields: [] },
            { name: 'ok', fields: ['tier', 'nope', '_tokens'] },
            { name: 'many', fields: ['tags', 'tier'], multiEntry: true },
          ],
          planets: [],
        } as never,
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: ['indexes', 'planets'], message: 'unknown collection', code: 'invalid_option' },
      { path: ['indexes', 'customers', 0, 'name'], message: '"createdAt" is already an index of customers', code: 'invalid_option' },
      { path: ['indexes', 'customers', 1, 'name'], message: 'a letter, then up to 63 letters, digits or underscores', code: 'invalid_option' },
      { path: ['indexes', 'customers', 1, 'fields'], message: 'expected 1 to 4 field paths', code: 'invalid_option' },
      { path: ['indexes', 'customers', 2, 'fields', 1], message: 'customers has no field "nope"', code: 'invalid_option' },
      { path: ['indexes', 'customers', 2, 'fields', 2], message: 'field path "_tokens" names an internal field', code: 'invalid_option' },
      { path: ['indexes', 'customers', 3, 'multiEntry'], message: 'a multi-valued index has exactly one field', code: 'invalid_option' },
    ]);
  });

  it('refuse a custom field that is not defined', async () => {
    const error = await rejection(createCrm({ indexes: { customers: [{ name: 'region', fields: ['custom.region'] }] } }));
    expect((error as ValidationError).issues).toEqual([{ path: ['indexes', 'customers', 0, 'fields', 0], message: '"custom.region" is not a custom field of customers', code: 'invalid_option' }]);
  });

  it('are added to a persistent database that did not have them, over the records it holds', async () => {
    const name = `rapport-indexes-upgrade-${Date.now()}`;
    const before = await createCrm({ storage: indexedDbAdapter({ name }) });
    await before.customers.createMany([{ name: 'A', tier: 'vip' }, { name: 'B', tier: 'free' }, { name: 'C', tier: 'vip' }]);
    await before.close();
    const storage = indexedDbAdapter({ name });
    const after = await createCrm({ storage, indexes: { customers: [{ name: 'tier_name', fields: ['tier', 'name'] }] } });
    const page = await after.customers.find({ where: { field: 'tier', op: 'eq', value: 'vip' }, orderBy: [{ field: 'name', direction: 'asc' }] });
    expect(page.items.map((c) => c.name)).toEqual(['A', 'C']);
    const plan = await storage.explain('customers', { where: { field: 'tier', op: 'eq', value: 'vip' }, orderBy: [{ field: 'name', direction: 'asc' }], limit: 50 });
    expect(plan).toMatchObject({ index: 'tier_name', rowsReturned: 2, rowsExamined: 2 });
    await after.close();
  });
});
