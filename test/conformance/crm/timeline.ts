/**
 * A customer's timeline: every interaction by `occurredAt ?? dueAt`, newest first, filtered
 * by type and time, paged.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError, QueryError } from '../../../src/index';
import type { Crm } from '../../../src/index';
import type { CrmContext } from './context';
import { findAll, rejection, untyped } from './context';

const HOUR = 3_600_000;

async function seed(crm: Crm, t: CrmContext): Promise<{ customerId: string; otherId: string }> {
  const c = await crm.customers.create({ name: 'Ada' });
  const other = await crm.customers.create({ name: 'Bob' });
  await crm.interactions.log({ type: 'call', customerId: c.id, subject: 'call -3h', occurredAt: t.iso(-3 * HOUR) });
  await crm.interactions.log({ type: 'email', customerId: c.id, subject: 'email -1h', occurredAt: t.iso(-1 * HOUR) });
  await crm.interactions.plan({ type: 'meeting', customerId: c.id, subject: 'meeting +2h', dueAt: t.iso(2 * HOUR) });
  await crm.interactions.log({ type: 'note', customerId: c.id, subject: 'note -2h', occurredAt: t.iso(-2 * HOUR) });
  await crm.interactions.plan({ type: 'task', customerId: c.id, subject: 'task +1h', dueAt: t.iso(1 * HOUR) });
  await crm.interactions.log({ type: 'call', customerId: other.id, subject: 'other customer', occurredAt: t.iso() });
  return { customerId: c.id, otherId: other.id };
}

/** The timeline tests. */
export function timelineTests(t: CrmContext): void {
  describe('timeline', () => {
    it('orders by occurredAt ?? dueAt, newest first, and holds only that customer’s interactions', async () => {
      const crm = await t.crm();
      const { customerId } = await seed(crm, t);
      const { items } = await crm.customers.timeline(customerId);
      expect(items.map((i) => i.subject)).toEqual(['meeting +2h', 'task +1h', 'email -1h', 'note -2h', 'call -3h']);
    });

    it('keeps the order after a planned interaction is completed (it moves to when it happened)', async () => {
      const crm = await t.crm();
      const { customerId } = await seed(crm, t);
      const meeting = (await crm.customers.timeline(customerId)).items[0]!;
      await crm.interactions.complete(meeting.id, { occurredAt: t.iso(-150 * 60_000) });
      const { items } = await crm.customers.timeline(customerId);
      expect(items.map((i) => i.subject)).toEqual(['task +1h', 'email -1h', 'note -2h', 'meeting +2h', 'call -3h']);
    });

    it('breaks ties newest-created first', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const at = t.iso();
      const made = await crm.interactions.createMany([1, 2, 3].map((n) => ({ type: 'note' as const, customerId: c.id, subject: `n${n}`, occurredAt: at })));
      const { items } = await crm.customers.timeline(c.id);
      expect(items.map((i) => i.id)).toEqual(made.map((i) => i.id).reverse());
    });

    it('filters by types', async () => {
      const crm = await t.crm();
      const { customerId } = await seed(crm, t);
      const { items } = await crm.customers.timeline(customerId, { types: ['call', 'meeting'] });
      expect(items.map((i) => i.subject)).toEqual(['meeting +2h', 'call -3h']);
    });

    it('filters by from and to, both inclusive', async () => {
      const crm = await t.crm();
      const { customerId } = await seed(crm, t);
      const { items } = await crm.customers.timeline(customerId, { from: t.iso(-2 * HOUR), to: t.iso(1 * HOUR) });
      expect(items.map((i) => i.subject)).toEqual(['task +1h', 'email -1h', 'note -2h']);
      const since = await crm.customers.timeline(customerId, { from: t.iso() });
      expect(since.items.map((i) => i.subject)).toEqual(['meeting +2h', 'task +1h']);
    });

    it('pages to the end without gaps or repeats', async () => {
      const crm = await t.crm();
      const { customerId } = await seed(crm, t);
      const all = await findAll((cursor) => crm.customers.timeline(customerId, { limit: 2, ...(cursor ? { cursor } : {}) }));
      expect(all.map((i) => i.subject)).toEqual(['meeting +2h', 'task +1h', 'email -1h', 'note -2h', 'call -3h']);
    });

    it('leaves archived interactions out unless includeArchived', async () => {
      const crm = await t.crm();
      const { customerId } = await seed(crm, t);
      const [first] = (await crm.customers.timeline(customerId)).items;
      await crm.interactions.archive(first!.id);
      expect((await crm.customers.timeline(customerId)).items).toHaveLength(4);
      expect((await crm.customers.timeline(customerId, { includeArchived: true })).items).toHaveLength(5);
    });

    it('throws NotFoundError for a customer that does not exist', async () => {
      const crm = await t.crm();
      const error = await rejection(crm.customers.timeline('ghost'));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ collection: 'customers', recordId: 'ghost' });
    });

    it('rejects an unknown type and a bad date with QueryError naming the option', async () => {
      const crm = await t.crm();
      const { customerId } = await seed(crm, t);
      const badType = await rejection(crm.customers.timeline(customerId, { types: ['call', untyped('fax')] }));
      expect(badType).toBeInstanceOf(QueryError);
      expect(badType).toMatchObject({ path: ['types', 1] });
      const badDate = await rejection(crm.customers.timeline(customerId, { from: 'last week' }));
      expect(badDate).toBeInstanceOf(QueryError);
      expect(badDate).toMatchObject({ path: ['from'] });
    });
  });
}
