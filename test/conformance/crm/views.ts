/**
 * Views: `crm.as(actor)` acts as someone else over the same storage and events (where the
 * mode allows it; in remote mode the server decides who acts, and `as` is a typed error).
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { ValidationError, isCrmError } from '../../../src/index';
import type { CrmContext } from './context';
import { recordEvents, thrown, untyped } from './context';

/** The view tests. */
export function viewTests(t: CrmContext): void {
  const canAs = t.fixture.capabilities?.as !== false;
  describe('views', () => {
    it('names its actor', async () => {
      const crm = await t.crm({ actor: { id: 'u-ann', roles: ['admin'], teamIds: ['emea'] } });
      expect(crm.actor).toEqual({ id: 'u-ann', roles: ['admin'], teamIds: ['emea'] });
    });

    it.runIf(canAs)('acts as another actor over the same storage and events', async () => {
      const crm = await t.crm();
      const events = recordEvents(crm);
      const bob = crm.as({ id: 'u-bob', roles: ['admin'] });
      expect(bob.actor).toEqual({ id: 'u-bob', roles: ['admin'] });
      const c = await bob.customers.create({ name: 'Ada' });
      expect(c.ownerId).toBe('u-bob');
      expect(await crm.customers.get(c.id)).toEqual(c);
      expect(events).toEqual([{ type: 'customer.created', actorId: 'u-bob', record: c }]);
    });

    it.runIf(canAs)('refuses a malformed actor with ValidationError', async () => {
      const crm = await t.crm();
      const error = await thrown(() => crm.as(untyped({ id: '', roles: 'admin' })));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: ['actor'] })]) });
    });

    it.runIf(!canAs)('refuses as() with a typed error', async () => {
      const crm = await t.crm();
      const error = await thrown(() => crm.as({ id: 'u-bob', roles: ['admin'] }));
      expect(isCrmError(error)).toBe(true);
    });
  });
}
