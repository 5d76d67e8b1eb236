import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionError, QueryError, createCrm } from '../../src/index';
import type { Crm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { fakeClock } from './helpers';

// Four tickets, SLA normal = first response 60 min, resolution 240 min, around the clock;
// the CRM runs in Istanbul (UTC+3), so 2024-05-06T22:30Z is already 7 May there.
//   T1 email/billing  opened 05-06 09:00Z, answered 09:30, resolved 11:00 → both met (30 / 120 min)
//   T2 email/billing  opened 05-06 09:00Z, answered 10:30, resolved 15:00 → both missed (90 / 360 min)
//   T3 phone/tech     opened 05-06 10:00Z, answered 10:30, resolved 12:00, reopened 13:00, resolved 13:30 → met (30 / 210 min)
//   T4 phone/tech     opened 05-06 22:30Z (05-07 Istanbul), team emea, unanswered, unresolved
const clock = fakeClock('2024-05-06T09:00:00Z');
let crm: Crm;
let ids: string[] = [];

beforeAll(async () => {
  crm = await createCrm({ storage: memoryAdapter(), clock: clock.clock, timeZone: 'Europe/Istanbul', actor: { id: 'u-admin', roles: ['admin'] } });
  await crm.tickets.setSlaPolicy({ priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 240 });
  const c = await crm.customers.create({ name: 'Ada' });
  const customerId = c.id;
  const at = (iso: string) => clock.set(iso);
  const t1 = await crm.tickets.open({ subject: 'T1', customerId, channel: 'email', category: 'billing' });
  const t2 = await crm.tickets.open({ subject: 'T2', customerId, channel: 'email', category: 'billing', assigneeId: 'u-ayse' });
  at('2024-05-06T09:30:00Z');
  await crm.interactions.log({ type: 'email', customerId, ticketId: t1.id, direction: 'outbound' });
  at('2024-05-06T10:00:00Z');
  const t3 = await crm.tickets.open({ subject: 'T3', customerId, channel: 'phone', category: 'tech', assigneeId: 'u-ayse' });
  at('2024-05-06T10:30:00Z');
  await crm.interactions.log({ type: 'email', customerId, ticketId: t2.id, direction: 'outbound' });
  await crm.interactions.log({ type: 'call', customerId, ticketId: t3.id, direction: 'outbound' });
  at('2024-05-06T11:00:00Z');
  await crm.tickets.resolve(t1.id);
  at('2024-05-06T12:00:00Z');
  await crm.tickets.resolve(t3.id);
  at('2024-05-06T13:00:00Z');
  await crm.tickets.reopen(t3.id);
  at('2024-05-06T13:30:00Z');
  await crm.tickets.resolve(t3.id);
  at('2024-05-06T15:00:00Z');
  await crm.tickets.resolve(t2.id);
  at('2024-05-06T22:30:00Z');
  const t4 = await crm.tickets.open({ subject: 'T4', customerId, channel: 'phone', category: 'tech', teamId: 'emea' });
  at('2024-05-06T22:40:00Z');
  ids = [t1.id, t2.id, t3.id, t4.id];
});
afterAll(() => crm.close());

describe('service reports', () => {
  it('measures resolution time: mean, median and p90 from the aggregate percentile', async () => {
    const r = await crm.reports.ticketResolutionTime();
    expect(r.totals).toEqual({ count: 3, meanMinutes: 230, medianMinutes: 210, p90Minutes: 330 });
    expect(r.rows).toEqual([{ count: 3, meanMinutes: 230, medianMinutes: 210, p90Minutes: 330 }]);
    const byChannel = await crm.reports.ticketResolutionTime({ by: 'channel' });
    expect(byChannel.rows).toEqual([
      { channel: 'email', count: 2, meanMinutes: 240, medianMinutes: 240, p90Minutes: 336 },
      { channel: 'phone', count: 1, meanMinutes: 210, medianMinutes: 210, p90Minutes: 210 },
    ]);
    expect(byChannel.columns.map((c) => c.key)).toEqual(['channel', 'count', 'meanMinutes', 'medianMinutes', 'p90Minutes']);
    expect(byChannel.report).toBe('ticketResolutionTime');
    expect(byChannel.timeZone).toBe('Europe/Istanbul');
  });

  it('measures first-response time', async () => {
    const r = await crm.reports.ticketFirstResponseTime({ by: 'assigneeId' });
    expect(r.totals).toEqual({ count: 3, meanMinutes: 50, medianMinutes: 30, p90Minutes: 78 });
    expect(r.rows).toEqual([
      { assigneeId: null, count: 1, meanMinutes: 30, medianMinutes: 30, p90Minutes: 30 },
      { assigneeId: 'u-ayse', count: 2, meanMinutes: 60, medianMinutes: 60, p90Minutes: 84 },
    ]);
  });

  it('gives SLA compliance as shares of decided targets met', async () => {
    const r = await crm.reports.ticketSlaCompliance();
    expect(r.totals).toEqual({ count: 4, firstResponseMet: 2 / 3, resolutionMet: 2 / 3, met: 2 / 3, breached: 1 });
    const byCategory = await crm.reports.ticketSlaCompliance({ by: 'category' });
    expect(byCategory.rows).toEqual([
      { category: 'billing', count: 2, firstResponseMet: 0.5, resolutionMet: 0.5, met: 0.5, breached: 1 },
      { category: 'tech', count: 2, firstResponseMet: 1, resolutionMet: 1, met: 1, breached: 0 },
    ]);
  });

  it('gives the reopen rate among tickets ever resolved', async () => {
    expect((await crm.reports.ticketReopenRate()).totals).toEqual({ resolved: 3, reopened: 1, rate: 1 / 3 });
  });

  it('counts volume per day in the CRM time zone, with empty days', async () => {
    const r = await crm.reports.ticketVolume({ period: 'day', from: '2024-05-05T21:00:00Z', to: '2024-05-08T21:00:00Z' });
    expect(r.rows).toEqual([
      { period: '2024-05-06', count: 3 },
      { period: '2024-05-07', count: 1 },
      { period: '2024-05-08', count: 0 },
    ]);
    expect(r.totals).toEqual({ count: 4 });
    const weekly = await crm.reports.ticketVolume({ period: 'week', by: 'priority', from: '2024-05-01T00:00:00Z', to: '2024-05-10T00:00:00Z' });
    expect(weekly.rows).toEqual([{ period: '2024-W19', priority: 'normal', count: 4 }]);
    const monthly = await crm.reports.ticketVolume({ period: 'month', by: 'channel', from: '2024-05-01T00:00:00Z', to: '2024-06-01T00:00:00Z' });
    expect(monthly.rows).toEqual([{ period: '2024-05', channel: 'email', count: 2 }, { period: '2024-05', channel: 'phone', count: 2 }]);
  });

  it('gives the backlog now and at the end of each period', async () => {
    expect((await crm.reports.ticketBacklog({ by: 'channel' })).rows).toEqual([{ channel: 'phone', count: 1, breached: 0 }]);
    const daily = await crm.reports.ticketBacklog({ period: 'day', from: '2024-05-05T21:00:00Z', to: '2024-05-07T21:00:00Z' });
    expect(daily.rows).toEqual([{ period: '2024-05-06', count: 0, breached: 0 }, { period: '2024-05-07', count: 1, breached: 0 }]);
    expect(daily.totals).toEqual({ count: 1, breached: 0 });
  });

  it('ANDs the actor scope into every figure', async () => {
    const manager = crm.as({ id: 'u-m', roles: ['manager'], teamIds: ['emea'] });
    expect((await manager.reports.ticketVolume()).totals).toEqual({ count: 1 });
    expect((await manager.reports.ticketResolutionTime()).totals).toEqual({ count: 0, meanMinutes: null, medianMinutes: null, p90Minutes: null });
    const assignee = crm.as({ id: 'u-ayse', roles: ['manager'] });
    expect((await assignee.reports.ticketVolume()).totals).toEqual({ count: 2 });
    expect(ids).toHaveLength(4);
  });

  it('refuses an actor who cannot read tickets, and bad options with QueryError paths', async () => {
    const crm2 = await createCrm({ storage: memoryAdapter(), roles: { nobody: { grants: { customers: { read: 'all' } } } } });
    await expect(crm2.as({ id: 'n', roles: ['nobody'] }).reports.ticketVolume()).rejects.toBeInstanceOf(PermissionError);
    await crm2.close();
    await expect(crm.reports.ticketVolume({ by: 'color' as never })).rejects.toMatchObject({ name: 'QueryError', path: ['by'] });
    await expect(crm.reports.ticketVolume({ period: 'day' })).rejects.toMatchObject({ name: 'QueryError', path: ['from'] });
    await expect(crm.reports.ticketVolume({ where: { field: 'x', op: 'zz' } as never })).rejects.toBeInstanceOf(QueryError);
  });
});
