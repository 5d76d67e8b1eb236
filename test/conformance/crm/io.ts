/**
 * Import, export, duplicates and merge: the same on every way of storing. Merge, unmerge and
 * duplicate checks are `crm.customers` verbs (forwarded in remote mode); imports and exports
 * (`rapport/io`) run where the data is, so they are skipped on a remote Crm.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, ConstraintError } from '../../../src/index';
import { internalsOf } from '../../../src/internal/internals';
import { withIo } from '../../../src/io/index';
import type { CrmContext } from './context';
import { rejection } from './context';

/** The io cases. */
export function ioCases(t: CrmContext): void {
  describe('duplicates', () => {
    it('finds customers sharing a normalized email', async () => {
      const crm = await t.crm();
      const a = await crm.customers.create({ name: 'Ada', emails: [{ address: 'ada@example.com' }] });
      const b = await crm.customers.create({ name: 'Other', emails: [{ address: 'ADA@Example.com' }] });
      const { groups } = await crm.customers.findDuplicates({ by: ['email'] });
      expect(groups.map((g) => g.ids)).toEqual([[a.id, b.id].sort()]);
      expect(groups[0]?.reasons).toEqual([{ by: 'email', value: 'ada@example.com', ids: [a.id, b.id].sort() }]);
    });

    it('blocks a duplicate at create time with ConstraintError', async () => {
      const crm = await t.crm();
      const a = await crm.customers.create({ name: 'Ada', phones: [{ number: '+90 532 123 45 67' }] });
      const error = await rejection(crm.customers.create({ name: 'Ada Y', phones: [{ number: '0532 123 4567' }] }, { onDuplicate: 'block' }));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ constraint: 'duplicate', conflictingIds: [a.id] });
      expect(await crm.customers.count()).toBe(1);
    });
  });

  describe('merge', () => {
    it('moves the timeline to the primary and unmerge puts it back', async () => {
      const crm = await t.crm();
      const ada = await crm.customers.create({ name: 'Ada', tags: ['a'] });
      const dup = await crm.customers.create({ name: 'Ada L', tags: ['b'], tier: 'vip' });
      const call = await crm.interactions.log({ type: 'call', customerId: dup.id });
      const { mergeId, moved, primary } = await crm.customers.merge(ada.id, [dup.id]);
      expect(moved).toEqual({ interactions: 1 });
      expect(primary).toMatchObject({ name: 'Ada', tags: ['a', 'b'], tier: 'vip' });
      expect((await crm.interactions.get(call.id)).customerId).toBe(ada.id);
      expect(await crm.customers.count()).toBe(1);
      await crm.customers.unmerge(mergeId);
      expect((await crm.interactions.get(call.id)).customerId).toBe(dup.id);
      const { version: _a, updatedAt: _b, ...restored } = await crm.customers.get(ada.id);
      const { version: _c, updatedAt: _d, ...original } = ada;
      expect(restored).toEqual(original);
      expect(await crm.customers.count()).toBe(2);
      expect(await rejection(crm.customers.unmerge(mergeId))).toBeInstanceOf(ConflictError);
    });
  });

  describe('import and export', () => {
    it('imports CSV and exports it back as JSON (local Crms)', async (ctx) => {
      const crm = await t.crm({ customFields: { customers: { points: { type: 'number' } } } });
      if (!internalsOf(crm)) ctx.skip();
      const io = withIo(crm);
      const report = await io.import.csv('customers', 'Name,Email,Points\r\n"Ada, L",ada@example.com,"1,200"\r\nBob,bad,2\r\n', { mapping: { Name: 'name', Email: 'emails.0.address', Points: 'custom.points' } });
      expect(report).toMatchObject({ created: 1, failed: 1, committedRows: 1 });
      expect(report.errors).toEqual([expect.objectContaining({ row: 3, column: 'Email', field: 'emails.0.address' })]);
      const exported: unknown[] = [];
      let text = '';
      for await (const chunk of await io.export.json('customers', {}, { fields: ['name', 'emails', 'custom.points'] })) text += chunk;
      exported.push(...(JSON.parse(text) as unknown[]));
      expect(exported).toEqual([{ name: 'Ada, L', emails: [{ address: 'ada@example.com' }], custom: { points: 1200 } }]);
    });
  });
}
