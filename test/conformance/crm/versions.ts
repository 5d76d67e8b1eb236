/**
 * Versions and conflicts (optimistic concurrency), and JSON Merge Patch semantics.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../src/index';
import type { CrmContext } from './context';
import { recordEvents, rejection } from './context';

/** The version and merge-patch tests. */
export function versionTests(t: CrmContext): void {
  describe('conflicts', () => {
    it('rejects a stale expectedVersion with ConflictError naming both versions, and changes nothing', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      await crm.customers.update(c.id, { tier: 'gold' });
      const events = recordEvents(crm);
      const error = await rejection(crm.customers.update(c.id, { tier: 'vip' }, { expectedVersion: 1 }));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ name: 'ConflictError', code: 'version_conflict', collection: 'customers', recordId: c.id, expectedVersion: 1, actualVersion: 2 });
      expect(await crm.customers.get(c.id)).toMatchObject({ tier: 'gold', version: 2 });
      expect(events).toEqual([]);
    });

    it('accepts the current expectedVersion', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      expect(await crm.customers.update(c.id, { tier: 'vip' }, { expectedVersion: 1 })).toMatchObject({ tier: 'vip', version: 2 });
    });

    it.each(['archive', 'delete'] as const)('rejects %s with a stale expectedVersion', async (verb) => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      await crm.customers.update(c.id, { tier: 'gold' });
      const error = await rejection(crm.customers[verb](c.id, { expectedVersion: 1 }));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ expectedVersion: 1, actualVersion: 2, recordId: c.id });
      const now = await crm.customers.get(c.id);
      expect(now.version).toBe(2);
      expect(now.archivedAt).toBeUndefined();
    });

    it('keeps both of two concurrent patches to different fields (no expectedVersion)', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      await Promise.all([crm.customers.update(c.id, { tier: 'vip' }), crm.customers.update(c.id, { notes: 'met at expo' })]);
      expect(await crm.customers.get(c.id)).toMatchObject({ name: 'Ada', tier: 'vip', notes: 'met at expo', version: 3 });
    });

    it('keeps all of many concurrent patches to different fields', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      await Promise.all([
        crm.customers.update(c.id, { tier: 'vip' }),
        crm.customers.update(c.id, { notes: 'n' }),
        crm.customers.update(c.id, { lifecycle: 'prospect' }),
        crm.customers.update(c.id, { kind: 'organization' }),
        crm.customers.update(c.id, { source: { channel: 'web' } }),
        crm.customers.update(c.id, { tags: ['t'] }),
      ]);
      expect(await crm.customers.get(c.id)).toMatchObject({ tier: 'vip', notes: 'n', lifecycle: 'prospect', kind: 'organization', source: { channel: 'web' }, tags: ['t'], version: 7 });
    });

    it('lets exactly one of two concurrent writers with the same expectedVersion win', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const results = await Promise.allSettled([
        crm.customers.update(c.id, { tier: 'a' }, { expectedVersion: 1 }),
        crm.customers.update(c.id, { tier: 'b' }, { expectedVersion: 1 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failed.reason).toBeInstanceOf(ConflictError);
      expect(failed.reason).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      expect((await crm.customers.get(c.id)).version).toBe(2);
    });

    it('rejects an update of a missing record with NotFoundError', async () => {
      const crm = await t.crm();
      const error = await rejection(crm.customers.update('missing', { tier: 'vip' }));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ collection: 'customers', recordId: 'missing' });
    });
  });

  describe('JSON merge patch', () => {
    it('merges nested objects: source and consent', async () => {
      const crm = await t.crm();
      const at = '2024-01-01T00:00:00.000Z';
      const c = await crm.customers.create({
        name: 'Ada',
        source: { channel: 'web', campaignId: 'camp-1' },
        consent: { email: { status: 'granted', at, source: 'form' } },
      });
      const patched = await crm.customers.update(c.id, {
        source: { detail: 'spring promo' },
        consent: { sms: { status: 'denied', at }, email: { status: 'denied' } },
      });
      expect(patched.source).toEqual({ channel: 'web', campaignId: 'camp-1', detail: 'spring promo' });
      expect(patched.consent).toEqual({ email: { status: 'denied', at, source: 'form' }, sms: { status: 'denied', at } });
    });

    it('replaces arrays', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada', tags: ['a', 'b'], emails: [{ address: 'a@example.com', label: 'work' }, { address: 'b@example.com' }] });
      const patched = await crm.customers.update(c.id, { tags: ['c'], emails: [{ address: 'c@example.com' }] });
      expect(patched.tags).toEqual(['c']);
      expect(patched.emails).toEqual([{ address: 'c@example.com' }]);
    });

    it('removes a field given null, at the top and nested', async () => {
      const crm = await t.crm();
      const at = '2024-01-01T00:00:00.000Z';
      const c = await crm.customers.create({ name: 'Ada', tier: 'vip', source: { channel: 'web', campaignId: 'c1' }, consent: { email: { status: 'granted', at }, sms: { status: 'granted', at } } });
      const patched = await crm.customers.update(c.id, { tier: null, source: { channel: null }, consent: { sms: null } });
      expect('tier' in patched).toBe(false);
      expect(patched.source).toEqual({ campaignId: 'c1' });
      expect(patched.consent).toEqual({ email: { status: 'granted', at } });
      expect(await crm.customers.get(c.id)).toEqual(patched);
    });

    it('leaves fields the patch does not name', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada', tier: 'vip', tags: ['x'], notes: 'n', addresses: [{ country: 'TR' }] });
      const patched = await crm.customers.update(c.id, { lifecycle: 'customer' });
      expect(patched).toMatchObject({ name: 'Ada', tier: 'vip', tags: ['x'], notes: 'n', addresses: [{ country: 'TR' }], lifecycle: 'customer' });
    });
  });
}
