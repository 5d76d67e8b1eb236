/**
 * Atomic writes: `createMany`, `updateMany` and `crm.batch` — all land or none, and events
 * fire only after the commit.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../src/index';
import type { CrmContext } from './context';
import { recordEvents, rejection, untyped } from './context';

/** The atomic-write tests. */
export function batchTests(t: CrmContext): void {
  describe('createMany and updateMany', () => {
    it('creates every record in order, one event each', async () => {
      const crm = await t.crm();
      const events = recordEvents(crm);
      const made = await crm.customers.createMany([{ name: 'A' }, { name: 'B' }, { name: 'C' }]);
      expect(made.map((c) => [c.name, c.version])).toEqual([['A', 1], ['B', 1], ['C', 1]]);
      expect(events.map((e) => e.type)).toEqual(['customer.created', 'customer.created', 'customer.created']);
      expect(await crm.customers.count()).toBe(3);
    });

    it('stores nothing when one record is invalid; issue paths start with its index', async () => {
      const crm = await t.crm();
      const events = recordEvents(crm);
      const error = await rejection(crm.customers.createMany(untyped([{ name: 'Good' }, { name: '' }, { name: 'Also good' }, { name: 'x', emails: [{ address: 'bad' }] }])));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({
        name: 'ValidationError',
        issues: expect.arrayContaining([expect.objectContaining({ path: [1, 'name'] }), expect.objectContaining({ path: [3, 'emails', 0, 'address'] })]),
      });
      expect((error as ValidationError).issues).toHaveLength(2);
      expect(await crm.customers.count()).toBe(0);
      expect(events).toEqual([]);
    });

    it('stores nothing when one id is already taken', async () => {
      const crm = await t.crm();
      await crm.customers.create({ id: 'taken', name: 'Holder' });
      const events = recordEvents(crm);
      const error = await rejection(crm.customers.createMany([{ name: 'New 1' }, { id: 'taken', name: 'Clash' }, { name: 'New 2' }]));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ recordId: 'taken', expectedVersion: 0, actualVersion: 1 });
      expect(await crm.customers.count()).toBe(1);
      expect(events).toEqual([]);
    });

    it('updateMany applies nothing when one expectedVersion is stale', async () => {
      const crm = await t.crm();
      const [a, b] = await crm.customers.createMany([{ name: 'A' }, { name: 'B' }]);
      await crm.customers.update(b!.id, { tier: 'gold' });
      const error = await rejection(crm.customers.updateMany([{ id: a!.id, patch: { tier: 'vip' } }, { id: b!.id, patch: { tier: 'vip' }, expectedVersion: 1 }]));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ recordId: b!.id, expectedVersion: 1, actualVersion: 2 });
      expect(await crm.customers.get(a!.id)).toMatchObject({ version: 1 });
      expect((await crm.customers.get(a!.id)).tier).toBeUndefined();
      const ok = await crm.customers.updateMany([{ id: a!.id, patch: { tier: 'vip' } }, { id: b!.id, patch: { tier: 'vip' }, expectedVersion: 2 }]);
      expect(ok.map((c) => [c.tier, c.version])).toEqual([['vip', 2], ['vip', 3]]);
    });
  });

  describe('crm.batch', () => {
    it('commits across customers and interactions at once; events fire after the commit', async () => {
      const crm = await t.crm();
      const events = recordEvents(crm);
      let seenInside = -1;
      const result = await crm.batch(async (tx) => {
        const acme = await tx.customers.create({ name: 'Acme', kind: 'organization' });
        const ada = await tx.customers.create({ name: 'Ada', organizationId: acme.id });
        await tx.interactions.log({ type: 'meeting', customerId: ada.id, subject: 'Kick-off' });
        seenInside = events.length;
        return { acme, ada };
      });
      expect(seenInside).toBe(0);
      expect(result.ada.organizationId).toBe(result.acme.id);
      expect(await crm.customers.count()).toBe(2);
      expect((await crm.customers.timeline(result.ada.id)).items.map((i) => i.subject)).toEqual(['Kick-off']);
      expect(events.map((e) => e.type)).toEqual(['customer.created', 'customer.created', 'interaction.logged']);
    });

    it('lets reads inside see the batch’s own pending writes', async () => {
      const crm = await t.crm();
      const stored = await crm.customers.create({ name: 'Stored', tags: ['vip'] });
      await crm.batch(async (tx) => {
        const ada = await tx.customers.create({ name: 'Ada', tags: ['vip'] });
        expect(await tx.customers.get(ada.id)).toMatchObject({ name: 'Ada', version: 1 });
        await tx.customers.update(stored.id, { tier: 'gold' });
        expect(await tx.customers.get(stored.id)).toMatchObject({ tier: 'gold', version: 2 });
        const found = await tx.customers.find({ where: { field: 'tags', op: 'has', value: 'vip' }, orderBy: [{ field: 'name' }] });
        expect(found.items.map((c) => c.name)).toEqual(['Ada', 'Stored']);
        expect(await tx.customers.count({ field: 'tags', op: 'has', value: 'vip' })).toBe(2);
        await tx.customers.delete(ada.id);
        expect(await tx.customers.getMany([ada.id, stored.id])).toEqual([undefined, expect.objectContaining({ id: stored.id })]);
        // Outside the batch nothing has happened yet.
        expect(await crm.customers.get(stored.id)).toMatchObject({ version: 1 });
      });
      expect(await crm.customers.get(stored.id)).toMatchObject({ tier: 'gold', version: 2 });
      expect(await crm.customers.count()).toBe(1);
    });

    it('stores nothing and emits nothing when the function throws, and rethrows its error', async () => {
      const crm = await t.crm();
      const existing = await crm.customers.create({ name: 'Existing' });
      const events = recordEvents(crm);
      const boom = new Error('boom');
      const error = await rejection(
        crm.batch(async (tx) => {
          const c = await tx.customers.create({ name: 'Doomed' });
          await tx.interactions.log({ type: 'note', customerId: c.id });
          await tx.customers.update(existing.id, { tier: 'vip' });
          throw boom;
        }),
      );
      expect(error).toBe(boom);
      expect(await crm.customers.count()).toBe(1);
      expect(await crm.interactions.count()).toBe(0);
      expect(await crm.customers.get(existing.id)).toEqual(existing);
      expect(events).toEqual([]);
    });

    it('stores nothing when a write inside is refused', async () => {
      const crm = await t.crm();
      const events = recordEvents(crm);
      const error = await rejection(
        crm.batch(async (tx) => {
          await tx.customers.create({ name: 'First' });
          await tx.customers.create(untyped({ name: '' }));
        }),
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect(await crm.customers.count()).toBe(0);
      expect(events).toEqual([]);
    });

    it('stores nothing when an explicit expectedVersion inside is stale at commit', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const error = await rejection(
        crm.batch(async (tx) => {
          await tx.customers.create({ name: 'Other' });
          await tx.customers.update(c.id, { tier: 'vip' }, { expectedVersion: 1 });
          // Someone else writes the record before the batch commits.
          await crm.customers.update(c.id, { notes: 'meanwhile' });
        }),
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ recordId: c.id, expectedVersion: 1, actualVersion: 2 });
      expect(await crm.customers.count()).toBe(1);
      expect(await crm.customers.get(c.id)).toMatchObject({ notes: 'meanwhile', version: 2 });
    });

    it('deletes a customer and its interactions together', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const [i1, i2] = await crm.interactions.createMany([{ type: 'call', customerId: c.id }, { type: 'note', customerId: c.id }]);
      await crm.batch(async (tx) => {
        await tx.interactions.delete(i1!.id);
        await tx.interactions.delete(i2!.id);
        await tx.customers.delete(c.id);
      });
      expect(await crm.customers.count(undefined, { includeArchived: true })).toBe(0);
      expect(await crm.interactions.count(undefined, { includeArchived: true })).toBe(0);
    });

    it('runs the function again when a record it read changed underneath, and emits only the stored attempt', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const events = recordEvents(crm);
      let runs = 0;
      await crm.batch(async (tx) => {
        runs++;
        await tx.customers.update(c.id, { tier: 'vip' });
        await tx.customers.create({ name: `made in run ${runs}` });
        if (runs === 1) await crm.customers.update(c.id, { notes: 'meanwhile' });
      });
      expect(runs).toBe(2);
      expect(await crm.customers.get(c.id)).toMatchObject({ tier: 'vip', notes: 'meanwhile', version: 3 });
      expect((await crm.customers.find({ orderBy: [{ field: 'name' }] })).items.map((x) => x.name)).toEqual(['Ada', 'made in run 2']);
      expect(events.map((e) => [e.type, (e['record'] as { name: string }).name])).toEqual([
        ['customer.updated', 'Ada'],
        ['customer.updated', 'Ada'],
        ['customer.created', 'made in run 2'],
      ]);
    });

    it('upserts inside a batch', async () => {
      const crm = await t.crm();
      await crm.batch(async (tx) => {
        const a = await tx.customers.upsert({ externalId: 'e-1', name: 'Ada' });
        const b = await tx.customers.upsert({ externalId: 'e-1', name: 'Ada L' });
        expect([a.created, b.created]).toEqual([true, false]);
        expect(b.record.id).toBe(a.record.id);
      });
      expect((await crm.customers.find()).items.map((c) => [c.name, c.externalId])).toEqual([['Ada L', 'e-1']]);
    });

    it('returns what the function returns', async () => {
      const crm = await t.crm();
      expect(await crm.batch(async () => 42)).toBe(42);
    });
  });
}
