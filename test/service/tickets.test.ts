import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError, TransitionError, ValidationError } from '../../src/index';
import type { Crm } from '../../src/index';
import { TICKET_STATUSES, TICKET_TRANSITIONS } from '../../src/entities/tickets';
import type { TicketStatus } from '../../src/entities/tickets';
import { WEEKDAYS_9_TO_17, fakeClock, setup } from './helpers';

const open: Crm[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

async function make(start = '2024-05-06T09:00:00Z', timeZone = 'UTC') {
  const clock = fakeClock(start);
  const s = await setup(clock, { timeZone });
  open.push(s.crm);
  return { ...s, clock };
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('opening a ticket', () => {
  it('opens as new with defaults, status history and ticket.opened', async () => {
    const { crm, customerId } = await make();
    const events: string[] = [];
    crm.on('*', (e) => events.push(e.type));
    const t = await crm.tickets.open({ subject: 'Invoice is wrong', customerId, channel: 'email', category: 'billing' });
    expect(t).toMatchObject({ status: 'new', priority: 'normal', kind: 'case', openedAt: '2024-05-06T09:00:00.000Z', reopenCount: 0, channel: 'email', category: 'billing' });
    expect(t.statusHistory).toEqual([{ from: null, to: 'new', at: '2024-05-06T09:00:00.000Z', by: 'u-admin' }]);
    expect(t.firstResponseDueAt).toBeUndefined();
    expect(events).toEqual(['ticket.opened']);
  });

  it('computes due dates from the policy of its priority, in business hours of the CRM time zone', async () => {
    // Friday 16:00 in New York; the clocks spring forward on Sunday.
    const { crm, customerId } = await make('2024-03-08T21:00:00Z', 'America/New_York');
    await crm.tickets.setSlaPolicy({ priority: 'high', firstResponseMinutes: 120, resolutionMinutes: 16 * 60, businessHours: WEEKDAYS_9_TO_17, holidays: ['2024-03-12'] });
    const t = await crm.tickets.open({ subject: 'Down', customerId, priority: 'high' });
    expect(t.firstResponseDueAt).toBe('2024-03-11T14:00:00.000Z'); // Monday 10:00 EDT
    // 1 h Friday, 8 h Monday, Tuesday a holiday, 7 h Wednesday → Wednesday 16:00 EDT
    expect(t.resolutionDueAt).toBe('2024-03-13T20:00:00.000Z');
  });

  it('refuses fields only the verbs set, and unknown priorities', async () => {
    const { crm, customerId } = await make();
    const e = (await caught(crm.tickets.open({ subject: 'x', customerId, status: 'resolved' } as never))) as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.issues).toEqual([{ path: ['status'], message: expect.stringContaining('ticket verbs'), code: 'read_only' }]);
    const p = (await caught(crm.tickets.open({ subject: 'x', customerId, priority: 'asap' } as never))) as ValidationError;
    expect(p).toBeInstanceOf(ValidationError);
    expect(p.issues.map((i) => i.path)).toEqual([['priority']]);
  });

  it('makes create an alias of open and keeps createMany atomic', async () => {
    const { crm, customerId } = await make();
    await crm.tickets.setSlaPolicy({ priority: 'normal', resolutionMinutes: 60 });
    const t = await crm.tickets.create({ subject: 'A', customerId });
    expect(t.resolutionDueAt).toBe('2024-05-06T10:00:00.000Z');
    const e = (await caught(crm.tickets.createMany([{ subject: 'B', customerId }, { subject: '', customerId }]))) as ValidationError;
    expect(e.issues.map((i) => i.path)).toEqual([[1, 'subject']]);
    expect(await crm.tickets.count()).toBe(1);
  });
});

describe('the state machine', () => {
  const paths: Record<TicketStatus, TicketStatus[]> = { new: [], open: ['open'], pending: ['pending'], resolved: ['resolved'], closed: ['resolved', 'closed'] };
  for (const from of TICKET_STATUSES) {
    for (const to of TICKET_STATUSES) {
      const allowed = TICKET_TRANSITIONS[from].includes(to);
      it(`${allowed ? 'allows' : 'refuses'} ${from} → ${to}`, async () => {
        const { crm, customerId } = await make();
        const t = await crm.tickets.open({ subject: 'x', customerId });
        for (const step of paths[from]) await crm.tickets.setStatus(t.id, step);
        if (allowed) {
          expect((await crm.tickets.setStatus(t.id, to)).status).toBe(to);
        } else {
          const e = (await caught(crm.tickets.setStatus(t.id, to))) as TransitionError;
          expect(e).toBeInstanceOf(TransitionError);
          expect([e.from, e.to, e.collection, e.recordId]).toEqual([from, to, 'tickets', t.id]);
          expect((await crm.tickets.get(t.id)).status).toBe(from);
        }
      });
    }
  }

  it('emits statusChanged with from and to, audits the verb, and keeps resolvedAt/closedAt in step', async () => {
    const { crm, customerId, clock } = await make();
    const t = await crm.tickets.open({ subject: 'x', customerId });
    const changes: [string, string, boolean][] = [];
    crm.on('ticket.statusChanged', (e) => changes.push([e.from, e.to, e.reopened === true]));
    await crm.tickets.start(t.id);
    clock.advance(30);
    const resolved = await crm.tickets.resolve(t.id, { resolution: 'Refunded' });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: '2024-05-06T09:30:00.000Z', resolution: 'Refunded' });
    clock.advance(30);
    expect((await crm.tickets.close(t.id)).closedAt).toBe('2024-05-06T10:00:00.000Z');
    const reopened = await crm.tickets.reopen(t.id);
    expect(reopened).toMatchObject({ status: 'open', reopenCount: 1 });
    expect(reopened.resolvedAt).toBeUndefined();
    expect(reopened.closedAt).toBeUndefined();
    expect(changes).toEqual([['new', 'open', false], ['open', 'resolved', false], ['resolved', 'closed', false], ['closed', 'open', true]]);
    const audit = await crm.audit.find({ recordId: t.id } as never);
    expect((audit as { items: { action: string }[] }).items.map((a) => a.action).sort()).toEqual(['close', 'open', 'reopen', 'resolve', 'start'].sort());
  });

  it('refuses to reopen a ticket that is not resolved or closed', async () => {
    const { crm, customerId } = await make();
    const t = await crm.tickets.open({ subject: 'x', customerId });
    const e = (await caught(crm.tickets.reopen(t.id))) as TransitionError;
    expect(e).toBeInstanceOf(TransitionError);
    expect([e.from, e.to]).toEqual(['new', 'open']);
  });

  it('refuses status and other verb fields in a plain update, and honours expectedVersion', async () => {
    const { crm, customerId } = await make();
    const t = await crm.tickets.open({ subject: 'x', customerId });
    const e = (await caught(crm.tickets.update(t.id, { status: 'closed', resolvedAt: '2024-01-01T00:00:00Z' } as never))) as ValidationError;
    expect(e.issues.map((i) => [i.path, i.code])).toEqual([[['status'], 'read_only'], [['resolvedAt'], 'read_only']]);
    expect((await crm.tickets.update(t.id, { category: 'billing' })).category).toBe('billing');
    const c = (await caught(crm.tickets.resolve(t.id, { expectedVersion: 1 }))) as ConflictError;
    expect(c).toBeInstanceOf(ConflictError);
    expect([c.expectedVersion, c.actualVersion]).toEqual([1, 2]);
  });
});

describe('assigning', () => {
  it('assigns, emits ticket.assigned and keeps the assignment history', async () => {
    const { crm, customerId } = await make();
    const t = await crm.tickets.open({ subject: 'x', customerId });
    const seen: [string | null, string | null][] = [];
    crm.on('ticket.assigned', (e) => seen.push([e.from, e.to]));
    await crm.tickets.assign(t.id, 'u-ayse');
    const after = await crm.tickets.assign(t.id, null);
    expect(seen).toEqual([[null, 'u-ayse'], ['u-ayse', null]]);
    expect(after.assignmentHistory.map((a) => [a.from, a.to])).toEqual([[null, 'u-ayse'], ['u-ayse', null]]);
    expect(after.assigneeId).toBeUndefined();
  });

  it('lets an editor take a ticket but not give it to someone else; the assignee counts as own', async () => {
    const { crm, customerId } = await make();
    const t = await crm.tickets.open({ subject: 'x', customerId });
    const editor = crm.as({ id: 'u-ed', roles: ['editor'] });
    const e = (await caught(editor.tickets.assign(t.id, 'u-other'))) as PermissionError;
    expect(e).toBeInstanceOf(PermissionError);
    expect(e.action).toBe('assign');
    expect((await editor.tickets.assign(t.id, 'u-ed')).assigneeId).toBe('u-ed');
    const contributor = crm.as({ id: 'u-ed', roles: ['contributor'] });
    // Not its owner, but its assignee: `own` reaches it.
    expect((await contributor.tickets.start(t.id)).status).toBe('open');
    const stranger = crm.as({ id: 'u-x', roles: ['contributor'] });
    expect(await caught(stranger.tickets.pend(t.id))).toBeInstanceOf(PermissionError);
  });
});

describe('first response', () => {
  it('is set by an outbound interaction logged on the ticket, not an inbound one, in the same write', async () => {
    const { crm, customerId, clock } = await make();
    await crm.tickets.setSlaPolicy({ priority: 'normal', firstResponseMinutes: 60 });
    const t = await crm.tickets.open({ subject: 'x', customerId });
    clock.advance(10);
    await crm.interactions.log({ type: 'email', customerId, ticketId: t.id, direction: 'inbound' });
    expect((await crm.tickets.get(t.id)).firstRespondedAt).toBeUndefined();
    clock.advance(15);
    const events: string[] = [];
    crm.on('*', (e) => events.push(e.type));
    await crm.interactions.log({ type: 'call', customerId, ticketId: t.id, direction: 'outbound' });
    const after = await crm.tickets.get(t.id);
    expect(after.firstRespondedAt).toBe('2024-05-06T09:25:00.000Z');
    expect(events).toEqual(['interaction.logged', 'ticket.updated', 'ticket.responded']);
    clock.advance(15);
    await crm.interactions.log({ type: 'call', customerId, ticketId: t.id, direction: 'outbound' });
    expect((await crm.tickets.get(t.id)).firstRespondedAt).toBe('2024-05-06T09:25:00.000Z');
  });

  it('is set when a planned outbound call on the ticket is completed, and through create', async () => {
    const { crm, customerId, clock } = await make();
    const a = await crm.tickets.open({ subject: 'a', customerId });
    const b = await crm.tickets.open({ subject: 'b', customerId });
    const call = await crm.interactions.plan({ type: 'call', customerId, ticketId: a.id, direction: 'outbound', dueAt: '2024-05-06T12:00:00Z' });
    expect((await crm.tickets.get(a.id)).firstRespondedAt).toBeUndefined();
    clock.advance(40);
    await crm.interactions.complete(call.id);
    expect((await crm.tickets.get(a.id)).firstRespondedAt).toBe('2024-05-06T09:40:00.000Z');
    await crm.interactions.create({ type: 'email', customerId, ticketId: b.id, direction: 'outbound', occurredAt: '2024-05-06T09:35:00Z' });
    expect((await crm.tickets.get(b.id)).firstRespondedAt).toBe('2024-05-06T09:35:00.000Z');
  });

  it('refuses an interaction naming a ticket that does not exist, and a delete of a ticket with interactions', async () => {
    const { crm, customerId } = await make();
    const e = await caught(crm.interactions.log({ type: 'call', customerId, ticketId: 'nope', direction: 'outbound' }));
    expect((e as { name: string; constraint: string }).name).toBe('ConstraintError');
    expect((e as { constraint: string }).constraint).toBe('reference_missing');
    const t = await crm.tickets.open({ subject: 'x', customerId });
    await crm.interactions.log({ type: 'call', customerId, ticketId: t.id });
    expect(((await caught(crm.tickets.delete(t.id))) as { constraint: string }).constraint).toBe('referenced');
  });
});

describe('pending pauses and reopening', () => {
  it('pushes the resolution target by the business time spent pending, and never breaches while paused', async () => {
    const { crm, customerId, clock } = await make('2024-05-06T09:00:00Z'); // a Monday
    await crm.tickets.setSlaPolicy({ priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 8 * 60, businessHours: WEEKDAYS_9_TO_17, pauseWhilePending: true });
    const t = await crm.tickets.open({ subject: 'x', customerId });
    expect([t.firstResponseDueAt, t.resolutionDueAt]).toEqual(['2024-05-06T10:00:00.000Z', '2024-05-06T17:00:00.000Z']);
    clock.advance(30);
    await crm.interactions.log({ type: 'email', customerId, ticketId: t.id, direction: 'outbound' });
    clock.set('2024-05-06T10:00:00Z');
    const pending = await crm.tickets.pend(t.id);
    expect(pending.pendingSince).toBe('2024-05-06T10:00:00.000Z');
    const breaches: unknown[] = [];
    crm.on('ticket.slaBreached', (e) => breaches.push(e));
    const workers = crm.startWorkers({ autoStart: false });
    clock.set('2024-05-06T18:00:00Z');
    await workers.tick();
    expect(breaches).toEqual([]);
    expect(await crm.tickets.atRisk({ within: 24 * 60 })).toEqual([]);
    // The customer answers on Tuesday 11:00: 7 h Monday + 2 h Tuesday of business time were paused.
    clock.set('2024-05-07T11:00:00Z');
    const back = await crm.tickets.start(t.id);
    expect(back.pendingSince).toBeUndefined();
    expect(back.resolutionDueAt).toBe('2024-05-08T10:00:00.000Z');
    expect(back.firstResponseDueAt).toBe('2024-05-06T10:00:00.000Z');
    expect(back.sla?.resolutionPausedMs).toBe(9 * 3_600_000);
    await workers.tick();
    expect(breaches).toEqual([]);
  });

  it('keeps counting while pending when the policy does not pause', async () => {
    const { crm, customerId, clock } = await make();
    await crm.tickets.setSlaPolicy({ priority: 'normal', resolutionMinutes: 60 });
    const t = await crm.tickets.open({ subject: 'x', customerId });
    await crm.tickets.pend(t.id);
    clock.advance(120);
    expect((await crm.tickets.start(t.id)).resolutionDueAt).toBe('2024-05-06T10:00:00.000Z');
  });

  it('resumes the resolution clock on reopen with the business time it had left', async () => {
    const { crm, customerId, clock } = await make('2024-05-06T09:00:00Z');
    await crm.tickets.setSlaPolicy({ priority: 'normal', resolutionMinutes: 8 * 60, businessHours: WEEKDAYS_9_TO_17 });
    const t = await crm.tickets.open({ subject: 'x', customerId });
    clock.set('2024-05-06T16:00:00Z'); // 1 h before the target
    await crm.tickets.resolve(t.id);
    clock.set('2024-05-07T09:30:00Z');
    const reopened = await crm.tickets.reopen(t.id);
    expect(reopened.resolutionDueAt).toBe('2024-05-07T10:30:00.000Z');
    expect(reopened.reopenCount).toBe(1);
  });

  it('keeps a missed target missed on reopen (no second breach for the same target)', async () => {
    const { crm, customerId, clock } = await make();
    await crm.tickets.setSlaPolicy({ priority: 'normal', resolutionMinutes: 60 });
    const t = await crm.tickets.open({ subject: 'x', customerId });
    clock.advance(90);
    await crm.tickets.resolve(t.id);
    clock.advance(60);
    expect((await crm.tickets.reopen(t.id)).resolutionDueAt).toBe('2024-05-06T10:00:00.000Z');
  });

  it('re-applies the policy when an unresolved ticket changes priority, keeping paused time', async () => {
    const { crm, customerId } = await make();
    await crm.tickets.setSlaPolicy({ priority: 'normal', resolutionMinutes: 480 });
    await crm.tickets.setSlaPolicy({ priority: 'urgent', firstResponseMinutes: 15, resolutionMinutes: 120 });
    const t = await crm.tickets.open({ subject: 'x', customerId });
    const up = await crm.tickets.update(t.id, { priority: 'urgent' });
    expect([up.firstResponseDueAt, up.resolutionDueAt, up.sla?.priority]).toEqual(['2024-05-06T09:15:00.000Z', '2024-05-06T11:00:00.000Z', 'urgent']);
    const down = await crm.tickets.update(t.id, { priority: 'low' });
    expect([down.firstResponseDueAt, down.resolutionDueAt]).toEqual([undefined, undefined]);
  });
});

describe('notes, satisfaction and history', () => {
  it('keeps customer notes apart from internal ones and shows the customer only theirs', async () => {
    const { crm, customerId, clock } = await make();
    const t = await crm.tickets.open({ subject: 'x', customerId });
    clock.advance(5);
    await crm.tickets.addNote(t.id, { body: 'Customer is angry, escalate', visibility: 'internal' });
    clock.advance(5);
    const after = await crm.tickets.addNote(t.id, { body: 'We are looking into it.', visibility: 'customer' });
    expect(after.customerNotes.map((n) => n.body)).toEqual(['We are looking into it.']);
    expect(after.internalNotes.map((n) => n.body)).toEqual(['Customer is angry, escalate']);
    clock.advance(5);
    await crm.tickets.start(t.id);
    const forCustomer = await crm.tickets.history(t.id, { visibility: 'customer' });
    expect(forCustomer.map((e) => [e.kind, e.at])).toEqual([
      ['status', '2024-05-06T09:15:00.000Z'],
      ['note', '2024-05-06T09:10:00.000Z'],
      ['status', '2024-05-06T09:00:00.000Z'],
    ]);
    const e = (await caught(crm.tickets.addNote(t.id, { body: 'x', visibility: 'public' as never }))) as ValidationError;
    expect(e.issues[0]?.path).toEqual(['visibility']);
  });

  it('hides internal notes from a role that cannot read them', async () => {
    const clock = fakeClock('2024-05-06T09:00:00Z');
    const { createCrm } = await import('../../src/index');
    const crm = await createCrm({ clock: clock.clock, roles: { portal: { grants: { tickets: { read: 'all' } }, hiddenFields: { tickets: ['internalNotes'] } } } });
    open.push(crm);
    const c = await crm.customers.create({ name: 'A' });
    const t = await crm.tickets.open({ subject: 'x', customerId: c.id });
    await crm.tickets.addNote(t.id, { body: 'secret', visibility: 'internal' });
    const portal = crm.as({ id: 'p', roles: ['portal'] });
    expect((await portal.tickets.get(t.id)).internalNotes).toBeUndefined();
    expect((await portal.tickets.history(t.id)).filter((e) => e.kind === 'note')).toEqual([]);
  });

  it('gives the whole history newest first: interactions, notes, assignments and status changes', async () => {
    const { crm, customerId, clock } = await make();
    const t = await crm.tickets.open({ subject: 'x', customerId });
    clock.advance(1);
    await crm.tickets.assign(t.id, 'u-ayse');
    clock.advance(1);
    await crm.interactions.log({ type: 'call', customerId, ticketId: t.id, direction: 'outbound', subject: 'Called back' });
    clock.advance(1);
    await crm.tickets.addNote(t.id, { body: 'Needs a part', visibility: 'internal' });
    clock.advance(1);
    await crm.tickets.pend(t.id);
    const h = await crm.tickets.history(t.id);
    expect(h.map((e) => e.kind)).toEqual(['status', 'note', 'interaction', 'assignment', 'status']);
    expect(h[2]).toMatchObject({ kind: 'interaction', at: '2024-05-06T09:02:00.000Z', interaction: { subject: 'Called back' } });
    expect(await caught(crm.tickets.history('missing'))).toBeInstanceOf(NotFoundError);
  });

  it('takes a 1..5 score only once resolved or closed, and a reopen clears it', async () => {
    const { crm, customerId } = await make();
    const t = await crm.tickets.open({ subject: 'x', customerId });
    const early = (await caught(crm.tickets.rate(t.id, { score: 5 }))) as ValidationError;
    expect(early.issues).toEqual([{ path: ['status'], message: expect.stringContaining('new'), code: 'invalid_state' }]);
    await crm.tickets.resolve(t.id);
    const bad = (await caught(crm.tickets.rate(t.id, { score: 6 }))) as ValidationError;
    expect(bad.issues[0]?.path).toEqual(['score']);
    const rated = await crm.tickets.rate(t.id, { score: 4, comment: 'Fine' });
    expect(rated.satisfaction).toEqual({ score: 4, comment: 'Fine', at: '2024-05-06T09:00:00.000Z', by: 'u-admin' });
    expect((await crm.tickets.reopen(t.id)).satisfaction).toBeUndefined();
  });
});

describe('atRisk', () => {
  it('lists unbreached targets due within the window, soonest first, in the actor scope', async () => {
    const { crm, customerId, clock } = await make();
    await crm.tickets.setSlaPolicy({ priority: 'high', firstResponseMinutes: 30, resolutionMinutes: 240 });
    await crm.tickets.setSlaPolicy({ priority: 'normal', firstResponseMinutes: 120 });
    const a = await crm.tickets.open({ subject: 'a', customerId, priority: 'high' });
    const b = await crm.tickets.open({ subject: 'b', customerId, priority: 'normal', ownerId: 'u-bob' });
    clock.advance(10);
    const soon = await crm.tickets.atRisk({ within: 120 });
    expect(soon.map((r) => [r.ticket.id, r.target, r.dueAt, r.minutesLeft])).toEqual([
      [a.id, 'firstResponse', '2024-05-06T09:30:00.000Z', 20],
      [b.id, 'firstResponse', '2024-05-06T11:00:00.000Z', 110],
    ]);
    const bob = crm.as({ id: 'u-bob', roles: ['contributor'] });
    expect((await bob.tickets.atRisk({ within: 120 })).length).toBe(2); // contributors read all
    const scoped = crm.as({ id: 'u-bob', roles: ['manager'] });
    expect((await scoped.tickets.atRisk({ within: 120 })).map((r) => r.ticket.id)).toEqual([b.id]);
    await expect(crm.tickets.atRisk({ within: -1 })).rejects.toMatchObject({ name: 'QueryError', path: ['within'] });
  });
});

describe('SLA policies', () => {
  it('stores policies for every Crm on the storage, validates them, and needs update on every ticket', async () => {
    const { crm } = await make();
    const e = (await caught(crm.tickets.setSlaPolicy({ priority: 'high', firstResponseMinutes: -5, businessHours: { days: ['mon'], start: '17:00', end: '09:00' } }))) as ValidationError;
    expect(e.issues.map((i) => i.path)).toEqual([['firstResponseMinutes'], ['businessHours', 'end']]);
    await crm.tickets.setSlaPolicy({ priority: 'high', firstResponseMinutes: 30, holidays: ['2024-12-25', '2024-01-01'] });
    expect(await crm.tickets.slaPolicies()).toEqual([{ priority: 'high', firstResponseMinutes: 30, holidays: ['2024-01-01', '2024-12-25'], updatedAt: '2024-05-06T09:00:00.000Z', updatedBy: 'u-admin' }]);
    const editor = crm.as({ id: 'u-m', roles: ['manager'] });
    expect(await caught(editor.tickets.setSlaPolicy({ priority: 'low', resolutionMinutes: 10 }))).toBeInstanceOf(PermissionError);
    await crm.tickets.removeSlaPolicy('high');
    expect(await crm.tickets.slaPolicies()).toEqual([]);
  });
});
