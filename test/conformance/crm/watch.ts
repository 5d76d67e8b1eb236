/**
 * Live queries: a snapshot that loads, then follows creates, updates and deletes of matching
 * records — from this CRM or another one on the same storage.
 *
 * @module
 */
import { describe, expect, it, vi } from 'vitest';
import type { Customer, Snapshot } from '../../../src/index';
import type { CrmContext } from './context';

const names = (s: Snapshot<Customer>) => s.items.map((c) => c.name);

/** Let pending refreshes run; long enough for any mode to settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 10));
}

/** The live query tests. */
export function watchTests(t: CrmContext): void {
  describe('watch', () => {
    it('loads, then is ready with the matching records', async () => {
      const crm = await t.crm();
      await crm.customers.createMany([{ name: 'Ada', tags: ['vip'] }, { name: 'Bob' }]);
      const live = crm.customers.watch({ where: { field: 'tags', op: 'has', value: 'vip' } });
      try {
        expect(live.getSnapshot()).toEqual({ status: 'loading', items: [] });
        const ready = await live.ready;
        expect(ready.status).toBe('ready');
        expect(names(ready)).toEqual(['Ada']);
        expect(live.getSnapshot()).toBe(ready);
      } finally {
        live();
      }
    });

    it('follows creates, updates and deletes; a record leaving the filter disappears', async () => {
      const crm = await t.crm();
      const live = crm.customers.watch({ where: { field: 'tags', op: 'has', value: 'vip' }, orderBy: [{ field: 'name' }] });
      try {
        await live.ready;
        const ada = await crm.customers.create({ name: 'Ada', tags: ['vip'] });
        await vi.waitFor(() => expect(names(live.getSnapshot())).toEqual(['Ada']));
        const bob = await crm.customers.create({ name: 'Bob', tags: ['vip'] });
        await vi.waitFor(() => expect(names(live.getSnapshot())).toEqual(['Ada', 'Bob']));
        await crm.customers.update(ada.id, { name: 'Ada L' });
        await vi.waitFor(() => expect(names(live.getSnapshot())).toEqual(['Ada L', 'Bob']));
        expect(live.getSnapshot().items[0]).toMatchObject({ version: 2 });
        await crm.customers.update(bob.id, { tags: [] });
        await vi.waitFor(() => expect(names(live.getSnapshot())).toEqual(['Ada L']));
        await crm.customers.archive(ada.id);
        await vi.waitFor(() => expect(names(live.getSnapshot())).toEqual([]));
        await crm.customers.restore(ada.id);
        await vi.waitFor(() => expect(names(live.getSnapshot())).toEqual(['Ada L']));
        await crm.customers.delete(ada.id);
        await vi.waitFor(() => expect(names(live.getSnapshot())).toEqual([]));
        expect(live.getSnapshot().status).toBe('ready');
      } finally {
        live();
      }
    });

    it('keeps the same snapshot object until the result changes', async () => {
      const crm = await t.crm();
      await crm.customers.create({ name: 'Ada', tags: ['vip'] });
      const outsider = await crm.customers.create({ name: 'Bob' });
      const live = crm.customers.watch({ where: { field: 'tags', op: 'has', value: 'vip' } });
      try {
        const first = await live.ready;
        expect(live.getSnapshot()).toBe(live.getSnapshot());
        await crm.customers.update(outsider.id, { notes: 'not a vip' });
        await settle();
        expect(live.getSnapshot()).toBe(first);
        await crm.customers.create({ name: 'Cem', tags: ['vip'] });
        await vi.waitFor(() => expect(live.getSnapshot()).not.toBe(first));
        const second = live.getSnapshot();
        expect(names(second)).toEqual(['Ada', 'Cem']);
        expect(live.getSnapshot()).toBe(second);
      } finally {
        live();
      }
    });

    it('tells subscribers of each change; unsubscribing and stopping end it', async () => {
      const crm = await t.crm();
      const fromWatch: string[][] = [];
      const fromSubscribe: string[][] = [];
      const live = crm.customers.watch({}, (s) => fromWatch.push(names(s)));
      const off = live.subscribe((s) => fromSubscribe.push(names(s)));
      await live.ready;
      await crm.customers.create({ name: 'Ada' });
      await vi.waitFor(() => expect(fromSubscribe).toEqual([[], ['Ada']]));
      off();
      await crm.customers.create({ name: 'Bob' });
      await vi.waitFor(() => expect(fromWatch).toEqual([[], ['Ada'], ['Ada', 'Bob']]));
      expect(fromSubscribe).toEqual([[], ['Ada']]);
      const last = live.getSnapshot();
      live();
      await crm.customers.create({ name: 'Cem' });
      await settle();
      expect(fromWatch).toEqual([[], ['Ada'], ['Ada', 'Bob']]);
      expect(live.getSnapshot()).toBe(last);
    });

    it('keeps total and the page limit up to date', async () => {
      const crm = await t.crm();
      await crm.customers.createMany([{ name: 'A' }, { name: 'B' }, { name: 'C' }]);
      const live = crm.customers.watch({ orderBy: [{ field: 'name' }], limit: 2, total: true });
      try {
        const ready = await live.ready;
        expect(names(ready)).toEqual(['A', 'B']);
        expect(ready.total).toBe(3);
        expect(ready.nextCursor).toEqual(expect.any(String));
        await crm.customers.create({ name: 'AA' });
        await vi.waitFor(() => expect(live.getSnapshot()).toMatchObject({ total: 4 }));
        expect(names(live.getSnapshot())).toEqual(['A', 'AA']);
      } finally {
        live();
      }
    });

    it('watches interactions too', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const live = crm.interactions.watch({ where: { field: 'status', op: 'eq', value: 'planned' } });
      try {
        await live.ready;
        const task = await crm.interactions.plan({ type: 'task', customerId: c.id, dueAt: t.iso(60_000) });
        await vi.waitFor(() => expect(live.getSnapshot().items.map((i) => i.id)).toEqual([task.id]));
        await crm.interactions.complete(task.id);
        await vi.waitFor(() => expect(live.getSnapshot().items).toEqual([]));
      } finally {
        live();
      }
    });

    it('reports a bad query as an error snapshot', async () => {
      const crm = await t.crm();
      const live = crm.customers.watch({ where: { field: 'name', op: 'like' as never, value: 'x' } });
      try {
        const ready = await live.ready;
        expect(ready.status).toBe('error');
        expect(ready.error).toMatchObject({ name: 'QueryError', path: ['where', 'op'] });
      } finally {
        live();
      }
    });

    it.runIf(t.hasSiblings)('sees writes made through another CRM on the same storage', async () => {
      const crm = await t.crm();
      const sibling = await t.sibling();
      const live = crm.customers.watch({ orderBy: [{ field: 'name' }] });
      try {
        await live.ready;
        const ada = await sibling.customers.create({ name: 'Ada' });
        await vi.waitFor(() => expect(names(live.getSnapshot())).toEqual(['Ada']));
        await sibling.customers.update(ada.id, { name: 'Ada L' });
        await vi.waitFor(() => expect(names(live.getSnapshot())).toEqual(['Ada L']));
        await sibling.customers.delete(ada.id);
        await vi.waitFor(() => expect(names(live.getSnapshot())).toEqual([]));
      } finally {
        live();
      }
    });
  });
}
