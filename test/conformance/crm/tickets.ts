/**
 * Tickets: the state machine, SLA due dates from stored policies, the first response from an
 * outbound interaction, notes and history, and exactly-once SLA breaches — through the
 * public API only, the same on every way of storing.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../../src/entities/tickets';
import type { CrmContext } from './context';
import { recordEvents, rejection } from './context';

/** The ticket cases. */
export function ticketCases(t: CrmContext): void {
  async function withCustomer() {
    const crm = await t.crm();
    const customer = await crm.customers.create({ name: 'Ayşe Yılmaz' });
    return { crm, customerId: customer.id };
  }

  describe('tickets', () => {
    it('opens a ticket with due dates from the stored SLA policy of its priority', async () => {
      const { crm, customerId } = await withCustomer();
      await crm.tickets.setSlaPolicy({ priority: 'urgent', firstResponseMinutes: 15, resolutionMinutes: 120 });
      const events = recordEvents(crm);
      const ticket = await crm.tickets.open({ subject: 'Checkout is down', customerId, priority: 'urgent', channel: 'chat', category: 'outage' });
      expect(ticket).toMatchObject({ status: 'new', priority: 'urgent', openedAt: t.iso(), firstResponseDueAt: t.iso(15 * 60_000), resolutionDueAt: t.iso(120 * 60_000) });
      expect(events.map((e) => e.type)).toEqual(['ticket.opened']);
      expect(await crm.tickets.get(ticket.id)).toEqual(ticket);
    });

    it('refuses a transition the state machine forbids with a TransitionError naming both states', async () => {
      const { crm, customerId } = await withCustomer();
      const ticket = await crm.tickets.open({ subject: 'x', customerId });
      const error = await rejection(crm.tickets.close(ticket.id));
      expect(error).toMatchObject({ name: 'TransitionError', from: 'new', to: 'closed', collection: 'tickets', recordId: ticket.id });
      expect((await crm.tickets.get(ticket.id)).status).toBe('new');
    });

    it('walks new → open → pending → resolved → closed → open, emitting statusChanged each time', async () => {
      const { crm, customerId } = await withCustomer();
      const ticket = await crm.tickets.open({ subject: 'x', customerId });
      const seen: [TicketStatus, TicketStatus][] = [];
      crm.on('ticket.statusChanged', (e) => seen.push([e.from, e.to]));
      await crm.tickets.start(ticket.id);
      await crm.tickets.pend(ticket.id);
      await crm.tickets.resolve(ticket.id);
      await crm.tickets.close(ticket.id);
      const reopened = await crm.tickets.reopen(ticket.id);
      expect(seen).toEqual([['new', 'open'], ['open', 'pending'], ['pending', 'resolved'], ['resolved', 'closed'], ['closed', 'open']]);
      expect(reopened).toMatchObject({ status: 'open', reopenCount: 1 });
      expect(reopened.statusHistory.map((s) => s.to)).toEqual(['new', 'open', 'pending', 'resolved', 'closed', 'open']);
    });

    it('sets firstRespondedAt when an outbound interaction is logged on the ticket', async () => {
      const { crm, customerId } = await withCustomer();
      const ticket = await crm.tickets.open({ subject: 'x', customerId });
      t.advance(20 * 60_000);
      await crm.interactions.log({ type: 'email', customerId, ticketId: ticket.id, direction: 'outbound', subject: 'Re: x' });
      expect((await crm.tickets.get(ticket.id)).firstRespondedAt).toBe(t.iso());
    });

    it('assigns with ticket.assigned, and keeps customer and internal notes apart in the history', async () => {
      const { crm, customerId } = await withCustomer();
      const ticket = await crm.tickets.open({ subject: 'x', customerId });
      const events = recordEvents(crm);
      await crm.tickets.assign(ticket.id, 'u-agent');
      await crm.tickets.addNote(ticket.id, { body: 'Refund approved', visibility: 'customer' });
      await crm.tickets.addNote(ticket.id, { body: 'Third complaint this month', visibility: 'internal' });
      expect(events.filter((e) => e.type === 'ticket.assigned').map((e) => [e['from'], e['to']])).toEqual([[null, 'u-agent']]);
      const told = await crm.tickets.history(ticket.id, { visibility: 'customer' });
      expect(told.filter((e) => e.kind === 'note').map((e) => (e.kind === 'note' ? e.body : ''))).toEqual(['Refund approved']);
      const all = await crm.tickets.history(ticket.id);
      expect(all.filter((e) => e.kind === 'note')).toHaveLength(2);
    });

    it('takes a satisfaction score only once resolved', async () => {
      const { crm, customerId } = await withCustomer();
      const ticket = await crm.tickets.open({ subject: 'x', customerId });
      expect(await rejection(crm.tickets.rate(ticket.id, { score: 5 }))).toMatchObject({ name: 'ValidationError', issues: [{ path: ['status'], code: 'invalid_state' }] });
      await crm.tickets.resolve(ticket.id);
      expect((await crm.tickets.rate(ticket.id, { score: 5 })).satisfaction).toMatchObject({ score: 5 });
    });

    it('reports resolution time and volume as plain tables', async () => {
      const { crm, customerId } = await withCustomer();
      const a = await crm.tickets.open({ subject: 'a', customerId, channel: 'email' });
      const b = await crm.tickets.open({ subject: 'b', customerId, channel: 'phone' });
      t.advance(30 * 60_000);
      await crm.tickets.resolve(a.id);
      t.advance(60 * 60_000);
      await crm.tickets.resolve(b.id);
      expect((await crm.reports.ticketResolutionTime()).totals).toEqual({ count: 2, meanMinutes: 60, medianMinutes: 60, p90Minutes: 84 });
      expect((await crm.reports.ticketVolume({ by: 'channel' })).rows).toEqual([{ channel: 'email', count: 1 }, { channel: 'phone', count: 1 }]);
    });

    it.runIf(t.hasSiblings && t.fixture.capabilities?.workers !== false)('emits ticket.slaBreached exactly once with two CRMs on one storage', async () => {
      const { crm, customerId } = await withCustomer();
      const sibling = await t.sibling();
      await crm.tickets.setSlaPolicy({ priority: 'normal', resolutionMinutes: 60 });
      const ticket = await crm.tickets.open({ subject: 'x', customerId });
      const fired: string[] = [];
      for (const c of [crm, sibling]) c.on('ticket.slaBreached', (e) => fired.push(`${e.ticketId}:${e.target}:${e.dueAt}`));
      const w1 = crm.startWorkers({ autoStart: false, leaseMs: 10_000 });
      const w2 = sibling.startWorkers({ autoStart: false, leaseMs: 10_000 });
      t.advance(61 * 60_000);
      for (let i = 0; i < 3; i++) await Promise.all([w1.tick(), w2.tick()]);
      t.advance(11_000);
      for (let i = 0; i < 3; i++) await Promise.all([w1.tick(), w2.tick()]);
      expect(fired).toEqual([`${ticket.id}:resolution:${ticket.resolutionDueAt}`]);
    });
  });
}
