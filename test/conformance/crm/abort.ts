/**
 * Cancellation: a call given an aborted `AbortSignal` rejects with the platform's AbortError
 * and changes nothing.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { Crm } from '../../../src/index';
import type { CrmContext } from './context';
import { recordEvents, rejection } from './context';

interface Ids {
  customer: string;
  lonely: string;
  planned: string;
}

const calls: [string, (crm: Crm, ids: Ids, signal: AbortSignal) => Promise<unknown>][] = [
  ['customers.create', (crm, _ids, signal) => crm.customers.create({ name: 'New' }, { signal })],
  ['customers.createMany', (crm, _ids, signal) => crm.customers.createMany([{ name: 'New' }], { signal })],
  ['customers.update', (crm, ids, signal) => crm.customers.update(ids.customer, { tier: 'vip' }, { signal })],
  ['customers.updateMany', (crm, ids, signal) => crm.customers.updateMany([{ id: ids.customer, patch: { tier: 'vip' } }], { signal })],
  ['customers.upsert', (crm, _ids, signal) => crm.customers.upsert({ externalId: 'e-1', name: 'New' }, { signal })],
  ['customers.archive', (crm, ids, signal) => crm.customers.archive(ids.customer, { signal })],
  ['customers.delete', (crm, ids, signal) => crm.customers.delete(ids.lonely, { signal })],
  ['customers.find', (crm, _ids, signal) => crm.customers.find({ signal })],
  ['customers.count', (crm, _ids, signal) => crm.customers.count(undefined, { signal })],
  ['interactions.create', (crm, ids, signal) => crm.interactions.create({ type: 'note', customerId: ids.customer }, { signal })],
  ['interactions.complete', (crm, ids, signal) => crm.interactions.complete(ids.planned, { signal })],
  ['interactions.cancel', (crm, ids, signal) => crm.interactions.cancel(ids.planned, { signal })],
];

/** The cancellation tests. */
export function abortTests(t: CrmContext): void {
  describe('abort', () => {
    it.each(calls)('%s rejects with AbortError and changes nothing', async (_name, call) => {
      const crm = await t.crm();
      const customer = await crm.customers.create({ name: 'Ada' });
      const lonely = await crm.customers.create({ name: 'Lonely' });
      const planned = await crm.interactions.plan({ type: 'task', customerId: customer.id, dueAt: t.iso(60_000) });
      const everything = async () => ({ customers: await crm.customers.find({ includeArchived: true }), interactions: await crm.interactions.find({ includeArchived: true }) });
      const before = await everything();
      const events = recordEvents(crm);
      const error = await rejection(call(crm, { customer: customer.id, lonely: lonely.id, planned: planned.id }, AbortSignal.abort()));
      expect(error).toMatchObject({ name: 'AbortError' });
      expect(events).toEqual([]);
      expect(await everything()).toEqual(before);
    });

    it('an AbortController aborted with no reason gives an AbortError too', async () => {
      const crm = await t.crm();
      const controller = new AbortController();
      controller.abort();
      const error = await rejection(crm.customers.find({ signal: controller.signal }));
      expect(error).toMatchObject({ name: 'AbortError' });
    });
  });
}
