import { afterEach, describe, expect, it } from 'vitest';
import { createCrm } from '../../src/index';
import type { Crm, StorageAdapter } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { fakeClock } from './helpers';
import type { FakeClock } from './helpers';

const LEASE = 10_000;
const open: Crm[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

type Breach = { instance: string; ticketId: string; target: string; dueAt: string; breachedAt: string; status: string };

async function instance(storage: StorageAdapter, clock: FakeClock, name: string, seen: Breach[]): Promise<Crm> {
  const crm = await createCrm({ storage, clock: clock.clock });
  open.push(crm);
  crm.on('ticket.slaBreached', (e) => seen.push({ instance: name, ticketId: e.ticketId, target: e.target, dueAt: e.dueAt, breachedAt: e.breachedAt, status: e.record.status }));
  return crm;
}

describe('SLA breaches', () => {
  it('fires each breach exactly once across two Crm instances on one storage, through a failover', async () => {
    const clock = fakeClock('2024-05-06T09:00:00Z');
    const storage = memoryAdapter();
    const seen: Breach[] = [];
    const a = await instance(storage, clock, 'a', seen);
    const b = await instance(storage, clock, 'b', seen);
    await a.tickets.setSlaPolicy({ priority: 'high', firstResponseMinutes: 30, resolutionMinutes: 60 });
    const customer = await a.customers.create({ name: 'Ada' });
    const t = await b.tickets.open({ subject: 'Down', customerId: customer.id, priority: 'high' });
    const wa = a.startWorkers({ autoStart: false, leaseMs: LEASE });
    const wb = b.startWorkers({ autoStart: false, leaseMs: LEASE });
    await Promise.all([wa.tick(), wb.tick()]);
    expect(seen).toEqual([]);
    clock.set('2024-05-06T09:31:00Z');
    for (let i = 0; i < 3; i++) {
      await Promise.all([wa.tick(), wb.tick()]);
      clock.advance(LEASE / 4 / 60_000);
    }
    expect(seen.map(({ instance: _i, ...rest }) => rest)).toEqual([{ ticketId: t.id, target: 'firstResponse', dueAt: '2024-05-06T09:30:00.000Z', breachedAt: '2024-05-06T09:31:00.000Z', status: 'new' }]);
    // The authority goes silent; past its lease the other takes over and finds nothing new to fire.
    const [leader, follower] = wa.isAuthority() ? [wa, wb] : [wb, wa];
    clock.advance(LEASE / 60_000 + 1);
    await follower.tick();
    expect(follower.isAuthority()).toBe(true);
    expect(seen).toHaveLength(1);
    // The resolution target passes: fired once, by the new authority only.
    clock.set('2024-05-06T10:05:00Z');
    await Promise.all([leader.tick(), follower.tick(), follower.tick()]);
    await leader.tick();
    expect(seen.map((s) => [s.target, s.dueAt])).toEqual([['firstResponse', '2024-05-06T09:30:00.000Z'], ['resolution', '2024-05-06T10:00:00.000Z']]);
    const ticket = await a.tickets.get(t.id);
    expect([ticket.firstResponseBreachedAt, ticket.resolutionBreachedAt]).toEqual(['2024-05-06T09:31:00.000Z', '2024-05-06T10:05:00.000Z']);
    // What fired is stored, keyed by ticket, target and due time.
    const [fr, res] = await storage.get('system', [`sla-breach:${t.id}:firstResponse:2024-05-06T09:30:00.000Z`, `sla-breach:${t.id}:resolution:2024-05-06T10:00:00.000Z`]);
    expect(fr).toMatchObject({ kind: 'slaBreach', ticketId: t.id, target: 'firstResponse', firedAt: '2024-05-06T09:31:00.000Z' });
    expect(res).toMatchObject({ kind: 'slaBreach', ticketId: t.id, target: 'resolution', firedAt: '2024-05-06T10:05:00.000Z' });
  });

  it('does not fire again after a restart, and fires new breaches on the new instance', async () => {
    const clock = fakeClock('2024-05-06T09:00:00Z');
    const storage = memoryAdapter();
    const seen: Breach[] = [];
    const first = await instance(storage, clock, 'first', seen);
    await first.tickets.setSlaPolicy({ priority: 'normal', resolutionMinutes: 60 });
    const customer = await first.customers.create({ name: 'Ada' });
    const t1 = await first.tickets.open({ subject: 'one', customerId: customer.id });
    clock.set('2024-05-06T09:30:00Z');
    const t2 = await first.tickets.open({ subject: 'two', customerId: customer.id });
    const w1 = first.startWorkers({ autoStart: false, leaseMs: LEASE });
    clock.set('2024-05-06T10:01:00Z');
    await w1.tick();
    expect(seen.map((s) => [s.instance, s.ticketId])).toEqual([['first', t1.id]]);
    await first.close();
    open.splice(open.indexOf(first), 1);
    // A restart: a new Crm on the same storage.
    const second = await instance(storage, clock, 'second', seen);
    const w2 = second.startWorkers({ autoStart: false, leaseMs: LEASE });
    await w2.tick();
    expect(w2.isAuthority()).toBe(true);
    expect(seen).toHaveLength(1);
    clock.set('2024-05-06T10:31:00Z');
    await w2.tick();
    await w2.tick();
    expect(seen.map((s) => [s.instance, s.ticketId])).toEqual([['first', t1.id], ['second', t2.id]]);
  });

  it('fires once for a target missed while no worker ran (resolved late), and never for one met', async () => {
    const clock = fakeClock('2024-05-06T09:00:00Z');
    const seen: Breach[] = [];
    const crm = await instance(memoryAdapter(), clock, 'x', seen);
    await crm.tickets.setSlaPolicy({ priority: 'normal', firstResponseMinutes: 30, resolutionMinutes: 60 });
    const customer = await crm.customers.create({ name: 'Ada' });
    const late = await crm.tickets.open({ subject: 'late', customerId: customer.id });
    const met = await crm.tickets.open({ subject: 'met', customerId: customer.id });
    clock.advance(20);
    await crm.tickets.resolve(met.id);
    clock.advance(70);
    await crm.tickets.resolve(late.id);
    const w = crm.startWorkers({ autoStart: false });
    await w.tick();
    await w.tick();
    expect(seen.map((s) => [s.ticketId, s.target, s.status]).sort()).toEqual([[late.id, 'firstResponse', 'resolved'], [late.id, 'resolution', 'resolved']].sort());
  });

  it('runs only on the authority: a Crm without workers fires nothing', async () => {
    const clock = fakeClock('2024-05-06T09:00:00Z');
    const seen: Breach[] = [];
    const crm = await instance(memoryAdapter(), clock, 'x', seen);
    await crm.tickets.setSlaPolicy({ priority: 'normal', resolutionMinutes: 1 });
    const customer = await crm.customers.create({ name: 'Ada' });
    await crm.tickets.open({ subject: 'x', customerId: customer.id });
    clock.advance(10);
    expect(seen).toEqual([]);
    expect((await crm.tickets.find()).items[0]?.resolutionBreachedAt).toBeUndefined();
  });
});
