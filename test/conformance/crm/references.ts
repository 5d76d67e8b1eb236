/**
 * References between records: a delete is refused while others point to the record, and a
 * reference to a record that does not exist is refused.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { ConstraintError } from '../../../src/index';
import type { CrmContext } from './context';
import { recordEvents, rejection } from './context';

/** The reference tests. */
export function referenceTests(t: CrmContext): void {
  describe('deleting a referenced record', () => {
    it('refuses to delete a customer while interactions point to it', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const a = await crm.interactions.log({ type: 'call', customerId: c.id });
      const b = await crm.interactions.plan({ type: 'task', customerId: c.id, dueAt: t.iso(86_400_000) });
      await crm.interactions.archive(b.id);
      const events = recordEvents(crm);
      const error = await rejection(crm.customers.delete(c.id));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ name: 'ConstraintError', code: 'constraint_violated', constraint: 'referenced', collection: 'customers', recordId: c.id });
      expect([...(error as ConstraintError).conflictingIds].sort()).toEqual([a.id, b.id].sort());
      expect(await crm.customers.get(c.id)).toEqual(c);
      expect(events).toEqual([]);
    });

    it('refuses to delete an organization its people belong to', async () => {
      const crm = await t.crm();
      const acme = await crm.customers.create({ name: 'Acme', kind: 'organization' });
      const ada = await crm.customers.create({ name: 'Ada', organizationId: acme.id });
      const error = await rejection(crm.customers.delete(acme.id));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ constraint: 'referenced', conflictingIds: [ada.id] });
    });

    it('deletes once nothing points to it any more', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const i = await crm.interactions.log({ type: 'call', customerId: c.id });
      await crm.interactions.delete(i.id);
      await crm.customers.delete(c.id);
      expect(await crm.customers.count(undefined, { includeArchived: true })).toBe(0);
    });
  });

  describe('pointing to a missing record', () => {
    it('refuses an interaction for a customer that does not exist', async () => {
      const crm = await t.crm();
      const events = recordEvents(crm);
      const error = await rejection(crm.interactions.log({ type: 'call', customerId: 'ghost' }));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ constraint: 'reference_missing', collection: 'interactions', fields: ['customerId'], conflictingIds: ['ghost'] });
      expect(await crm.interactions.count()).toBe(0);
      expect(events).toEqual([]);
    });

    it('refuses a person in an organization that does not exist', async () => {
      const crm = await t.crm();
      const error = await rejection(crm.customers.create({ name: 'Ada', organizationId: 'ghost-org' }));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ constraint: 'reference_missing', fields: ['organizationId'], conflictingIds: ['ghost-org'] });
      expect(await crm.customers.count()).toBe(0);
    });

    it('refuses an update that points an interaction to a customer that does not exist', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const i = await crm.interactions.log({ type: 'call', customerId: c.id });
      const error = await rejection(crm.interactions.update(i.id, { customerId: 'ghost' }));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ constraint: 'reference_missing', fields: ['customerId'], conflictingIds: ['ghost'] });
      expect(await crm.interactions.get(i.id)).toEqual(i);
    });

    it('refuses an update that points a person to an organization that does not exist', async () => {
      const crm = await t.crm();
      const ada = await crm.customers.create({ name: 'Ada' });
      const error = await rejection(crm.customers.update(ada.id, { organizationId: 'ghost-org' }));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ constraint: 'reference_missing', conflictingIds: ['ghost-org'] });
      expect(await crm.customers.get(ada.id)).toEqual(ada);
    });
  });
}
