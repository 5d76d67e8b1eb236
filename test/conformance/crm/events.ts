/**
 * Events: names and payloads, fired after the write is stored, isolated from throwing
 * handlers, `*` for all, and unsubscribing.
 *
 * @module
 */
import { describe, expect, it, vi } from 'vitest';
import type { Customer } from '../../../src/index';
import type { CrmContext } from './context';
import { recordEvents } from './context';

/** The event tests. */
export function eventTests(t: CrmContext): void {
  describe('names and payloads', () => {
    it('emits customer.created with the record and the actor', async () => {
      const crm = await t.crm({ actor: { id: 'u-ann', roles: ['admin'] } });
      const seen: unknown[] = [];
      crm.on('customer.created', (e) => seen.push(e));
      const c = await crm.customers.create({ name: 'Ada' });
      expect(seen).toEqual([{ type: 'customer.created', actorId: 'u-ann', record: c }]);
    });

    it('emits customer.updated with field changes [before, after], null for absent', async () => {
      const crm = await t.crm({ customFields: { customers: { points: { type: 'number' } } } });
      const c = await crm.customers.create({ name: 'Ada', tags: ['a'], custom: { points: 1 } });
      const seen: unknown[] = [];
      crm.on('customer.updated', (e) => seen.push(e));
      const next = await crm.customers.update(c.id, { name: 'Ada L', tier: 'vip', tags: ['a', 'b'], custom: { points: 2 } });
      expect(seen).toEqual([
        {
          type: 'customer.updated',
          actorId: 'u-admin',
          record: next,
          changes: { name: ['Ada', 'Ada L'], tier: [null, 'vip'], tags: [['a'], ['a', 'b']], 'custom.points': [1, 2] },
        },
      ]);
      seen.length = 0;
      await crm.customers.update(c.id, { tier: null });
      expect(seen).toEqual([expect.objectContaining({ changes: { tier: ['vip', null] } })]);
    });

    it('emits customer.archived, customer.restored and customer.deleted', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const events = recordEvents(crm);
      const archived = await crm.customers.archive(c.id);
      const restored = await crm.customers.restore(c.id);
      await crm.customers.delete(c.id);
      expect(events.filter((e) => e.type !== 'customer.updated')).toEqual([
        { type: 'customer.archived', actorId: 'u-admin', record: archived },
        { type: 'customer.restored', actorId: 'u-admin', record: restored },
        { type: 'customer.deleted', actorId: 'u-admin', id: c.id, record: restored },
      ]);
    });

    it('emits interaction.logged, planned, completed and cancelled', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const events = recordEvents(crm);
      const logged = await crm.interactions.log({ type: 'call', customerId: c.id });
      const planned = await crm.interactions.plan({ type: 'meeting', customerId: c.id, dueAt: t.iso(3_600_000) });
      const other = await crm.interactions.plan({ type: 'task', customerId: c.id, dueAt: t.iso(7_200_000) });
      const completed = await crm.interactions.complete(planned.id, { outcome: 'successful' });
      const cancelled = await crm.interactions.cancel(other.id);
      expect(events.filter((e) => e.type !== 'interaction.updated')).toEqual([
        { type: 'interaction.logged', actorId: 'u-admin', record: logged },
        { type: 'interaction.planned', actorId: 'u-admin', record: planned },
        { type: 'interaction.planned', actorId: 'u-admin', record: other },
        { type: 'interaction.completed', actorId: 'u-admin', record: completed },
        { type: 'interaction.cancelled', actorId: 'u-admin', record: cancelled },
      ]);
    });
  });

  describe('delivery', () => {
    it('fires after the write is stored: inside the handler, get already returns the new version', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      let read: Promise<Customer> | undefined;
      crm.on('customer.updated', (e) => {
        read = crm.customers.get(e.record.id);
      });
      await crm.customers.update(c.id, { tier: 'vip' });
      expect(read).toBeDefined();
      expect(await read).toMatchObject({ tier: 'vip', version: 2 });
    });

    it('fires before the write’s promise resolves', async () => {
      const crm = await t.crm();
      const events = recordEvents(crm);
      await crm.customers.create({ name: 'Ada' });
      expect(events.map((e) => e.type)).toEqual(['customer.created']);
    });

    it('isolates a throwing handler: the write stands, other handlers run, the error reaches on("error")', async () => {
      const crm = await t.crm();
      const boom = new Error('handler broke');
      const errors: unknown[] = [];
      const after = vi.fn();
      crm.on('error', (e) => errors.push(e));
      crm.on('customer.created', () => {
        throw boom;
      });
      crm.on('customer.created', after);
      const c = await crm.customers.create({ name: 'Ada' });
      expect(await crm.customers.get(c.id)).toEqual(c);
      expect(after).toHaveBeenCalledTimes(1);
      expect(errors).toEqual([{ type: 'error', error: boom, event: 'customer.created' }]);
    });

    it('delivers every event to `*`, in order', async () => {
      const crm = await t.crm();
      const types: string[] = [];
      crm.on('*', (e) => types.push(e.type));
      const c = await crm.customers.create({ name: 'Ada' });
      await crm.interactions.log({ type: 'note', customerId: c.id });
      await crm.customers.archive(c.id);
      expect(types).toEqual(['customer.created', 'interaction.logged', 'customer.updated', 'customer.archived']);
    });

    it('stops delivering after unsubscribe, and unsubscribing twice is harmless', async () => {
      const crm = await t.crm();
      const one = vi.fn();
      const all = vi.fn();
      const offOne = crm.on('customer.created', one);
      const offAll = crm.on('*', all);
      await crm.customers.create({ name: 'A' });
      offOne();
      offAll();
      offOne();
      await crm.customers.create({ name: 'B' });
      expect(one).toHaveBeenCalledTimes(1);
      expect(all).toHaveBeenCalledTimes(1);
    });

    it('hands handlers a read-only record, so one handler cannot change what the next one sees', async () => {
      const crm = await t.crm();
      const errors: unknown[] = [];
      crm.on('error', (e) => errors.push(e.error));
      const seen: string[] = [];
      crm.on('customer.created', (e) => {
        e.record.name = 'Mutated';
      });
      crm.on('customer.created', (e) => seen.push(e.record.name));
      const c = await crm.customers.create({ name: 'Ada' });
      expect(seen).toEqual(['Ada']);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(TypeError);
      expect(await crm.customers.get(c.id)).toMatchObject({ name: 'Ada', tags: [] });
    });

    it('emits nothing for a refused write', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const events = recordEvents(crm);
      await crm.customers.update(c.id, { tier: 'x' }, { expectedVersion: 5 }).catch(() => undefined);
      await crm.customers.create({ name: '' }).catch(() => undefined);
      await crm.interactions.log({ type: 'call', customerId: 'ghost' }).catch(() => undefined);
      expect(events).toEqual([]);
    });
  });
}
