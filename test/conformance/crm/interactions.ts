/**
 * Interactions: logging what happened, planning what is due, completing and cancelling.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, TransitionError, ValidationError } from '../../../src/index';
import type { CrmContext } from './context';
import { rejection, untyped } from './context';

/** The interaction tests. */
export function interactionTests(t: CrmContext): void {
  describe('log', () => {
    it('logs something that happened; occurredAt defaults to now', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const call = await crm.interactions.log({ type: 'call', customerId: c.id, direction: 'outbound', subject: 'Intro', outcome: 'successful' });
      expect(call).toMatchObject({ type: 'call', customerId: c.id, direction: 'outbound', subject: 'Intro', outcome: 'successful', status: 'done', occurredAt: t.iso(), version: 1, ownerId: 'u-admin', custom: {} });
      expect(call.dueAt).toBeUndefined();
      expect(await crm.interactions.get(call.id)).toEqual(call);
    });

    it('keeps a given occurredAt, normalized to UTC', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const note = await crm.interactions.log({ type: 'note', customerId: c.id, occurredAt: '2024-04-30T12:00:00+02:00' });
      expect(note.occurredAt).toBe('2024-04-30T10:00:00.000Z');
      expect(note.createdAt).toBe(t.iso());
    });
  });

  describe('plan', () => {
    it('plans something due: status planned, no occurredAt', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const due = t.iso(86_400_000);
      const task = await crm.interactions.plan({ type: 'task', customerId: c.id, dueAt: due, remindAt: t.iso(3_600_000), assigneeId: 'u-bob', subject: 'Send offer' });
      expect(task).toMatchObject({ status: 'planned', dueAt: due, remindAt: t.iso(3_600_000), assigneeId: 'u-bob' });
      expect(task.occurredAt).toBeUndefined();
      expect(task.closedAt).toBeUndefined();
    });

    it('requires dueAt', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const error = await rejection(crm.interactions.plan(untyped({ type: 'task', customerId: c.id })));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ collection: 'interactions', issues: expect.arrayContaining([expect.objectContaining({ path: ['dueAt'] })]) });
      expect(await crm.interactions.count()).toBe(0);
    });

    it('refuses a dueAt that is not a date-time', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const error = await rejection(crm.interactions.plan({ type: 'task', customerId: c.id, dueAt: 'tomorrow' }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: ['dueAt'] })]) });
    });
  });

  describe('complete and cancel', () => {
    it('completes a planned interaction: done, occurredAt and closedAt now, outcome kept', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const due = t.iso(3_600_000);
      const meeting = await crm.interactions.plan({ type: 'meeting', customerId: c.id, dueAt: due });
      t.advance(7_200_000);
      const done = await crm.interactions.complete(meeting.id, { outcome: 'unsuccessful', body: 'No show' });
      expect(done).toMatchObject({ status: 'done', occurredAt: t.iso(), closedAt: t.iso(), outcome: 'unsuccessful', body: 'No show', dueAt: due, version: 2 });
    });

    it('completes with a given occurredAt', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const call = await crm.interactions.plan({ type: 'call', customerId: c.id, dueAt: t.iso(60_000) });
      const done = await crm.interactions.complete(call.id, { occurredAt: '2024-05-01T09:30:00Z' });
      expect(done.occurredAt).toBe('2024-05-01T09:30:00.000Z');
    });

    it('cancels a planned interaction', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const task = await crm.interactions.plan({ type: 'task', customerId: c.id, dueAt: t.iso(60_000) });
      t.advance(1_000);
      const cancelled = await crm.interactions.cancel(task.id);
      expect(cancelled).toMatchObject({ status: 'cancelled', closedAt: t.iso(), version: 2 });
      expect(cancelled.occurredAt).toBeUndefined();
    });

    it.each<[string, 'complete' | 'cancel', 'complete' | 'cancel' | 'log', string, string]>([
      ['completing twice', 'complete', 'complete', 'done', 'done'],
      ['cancelling a completed one', 'complete', 'cancel', 'done', 'cancelled'],
      ['completing a cancelled one', 'cancel', 'complete', 'cancelled', 'done'],
      ['cancelling twice', 'cancel', 'cancel', 'cancelled', 'cancelled'],
    ])('refuses %s with TransitionError naming both states', async (_what, first, second, from, to) => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const task = await crm.interactions.plan({ type: 'task', customerId: c.id, dueAt: t.iso(60_000) });
      const after = await crm.interactions[first](task.id);
      const error = await rejection(second === 'complete' ? crm.interactions.complete(task.id) : crm.interactions.cancel(task.id));
      expect(error).toBeInstanceOf(TransitionError);
      expect(error).toMatchObject({ name: 'TransitionError', code: 'invalid_transition', from, to, collection: 'interactions', recordId: task.id });
      expect(await crm.interactions.get(task.id)).toEqual(after);
    });

    it('refuses to complete a logged interaction', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const call = await crm.interactions.log({ type: 'call', customerId: c.id });
      const error = await rejection(crm.interactions.complete(call.id));
      expect(error).toBeInstanceOf(TransitionError);
      expect(error).toMatchObject({ from: 'done', to: 'done' });
    });

    it('refuses a stale expectedVersion and a missing id', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const task = await crm.interactions.plan({ type: 'task', customerId: c.id, dueAt: t.iso(60_000) });
      await crm.interactions.update(task.id, { subject: 'changed' });
      const stale = await rejection(crm.interactions.complete(task.id, { expectedVersion: 1 }));
      expect(stale).toBeInstanceOf(ConflictError);
      expect(stale).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      const missing = await rejection(crm.interactions.cancel('ghost'));
      expect(missing).toBeInstanceOf(NotFoundError);
      expect(missing).toMatchObject({ collection: 'interactions', recordId: 'ghost' });
    });
  });
}
