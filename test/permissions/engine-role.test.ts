// The CRM's own jobs act under a reserved role with every grant, so a host app that redefines
// `admin` (or has no admin at all among its actors) changes nothing about what they may do.
import { afterEach, describe, expect, it } from 'vitest';
import { createCrm, ValidationError } from '../../src/index';
import type { Crm, RoleDefinition } from '../../src/index';

const AGENT: RoleDefinition = { grants: { '*': { read: 'all', create: 'all', update: 'all', assign: 'all' }, audit: { read: 'all' } } };
/** `admin` redefined as read-only: before the engine role, every job wrote as this. */
const READ_ONLY_ADMIN: RoleDefinition = { grants: { '*': { read: 'all' } } };

const open: Crm[] = [];
afterEach(async () => {
  for (const crm of open.splice(0)) await crm.close();
});

async function make(): Promise<{ crm: Crm; clock: { now: number } }> {
  const clock = { now: Date.parse('2024-05-06T09:00:00Z') };
  const crm = await createCrm({ clock: () => clock.now, roles: { admin: READ_ONLY_ADMIN, agent: AGENT }, actor: { id: 'u-agent', roles: ['agent'] } });
  open.push(crm);
  return { crm, clock };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('the engine role', () => {
  it('records a first response when admin is read-only', async () => {
    const { crm, clock } = await make();
    const customer = await crm.customers.create({ name: 'Ada' });
    const ticket = await crm.tickets.open({ subject: 'Down', customerId: customer.id });
    clock.now += 10 * 60_000;
    await crm.interactions.log({ type: 'call', customerId: customer.id, ticketId: ticket.id, direction: 'outbound' });
    expect((await crm.tickets.get(ticket.id)).firstRespondedAt).toBe('2024-05-06T09:10:00.000Z');
  });

  it('fires an SLA breach when admin is read-only', async () => {
    const { crm, clock } = await make();
    const breaches: { ticketId: string; target: string }[] = [];
    crm.on('ticket.slaBreached', (e) => breaches.push({ ticketId: e.ticketId, target: e.target }));
    await crm.as({ id: 'u-root', roles: ['agent'] }).tickets.setSlaPolicy({ priority: 'high', firstResponseMinutes: 30, resolutionMinutes: 60 });
    const customer = await crm.customers.create({ name: 'Ada' });
    const ticket = await crm.tickets.open({ subject: 'Down', customerId: customer.id, priority: 'high' });
    const workers = crm.startWorkers({ autoStart: false });
    clock.now += 31 * 60_000;
    await workers.tick();
    expect(breaches).toEqual([{ ticketId: ticket.id, target: 'firstResponse' }]);
  });

  it('runs an automation when admin is read-only, audited as the rule', async () => {
    const { crm } = await make();
    const rule = await crm.automations.add({ name: 'Welcome', on: 'customer.created', do: [{ action: 'tag', tags: ['new'] }] });
    const customer = await crm.customers.create({ name: 'Ada' });
    await crm.startWorkers({ autoStart: false }).tick();
    expect((await crm.customers.get(customer.id)).tags).toEqual(['new']);
    const entries = await crm.audit.find({ recordId: customer.id, actorId: `automation:${rule.id}` });
    expect(entries.items.map((e) => e.action)).toEqual(['update']);
  });

  it('cannot be defined by the host app', async () => {
    const error = await rejection(createCrm({ roles: { 'rapport-engine': READ_ONLY_ADMIN } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: ['roles', 'rapport-engine'], message: '"rapport-engine" is reserved for the CRM\'s own jobs', code: 'invalid_option' }]);
  });

  it('cannot be carried by an actor', async () => {
    const error = await rejection(createCrm({ actor: { id: 'u-x', roles: ['rapport-engine'] } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: ['actor', 'roles', 0], message: 'unknown role "rapport-engine"', code: 'invalid_value' }]);
    const { crm } = await make();
    expect(() => crm.as({ id: 'u-x', roles: ['agent', 'rapport-engine'] })).toThrow(ValidationError);
  });
});
