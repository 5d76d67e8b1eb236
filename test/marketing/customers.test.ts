// Customer base analysis and per-customer value figures, and the upcoming reminders list.
import { describe, expect, it } from 'vitest';
import { QueryError, ValidationError } from '../../src/index';
import type { Stage } from '../../src/index';
import { rejection, world } from './helpers';

const STAGES: Stage[] = [
  { id: 'open', name: 'Open', probability: 0.5, category: 'open' },
  { id: 'won', name: 'Won', probability: 1, category: 'won' },
  { id: 'lost', name: 'Lost', probability: 0, category: 'lost' },
];

describe('customerBase', () => {
  it('counts by lifecycle, tier, country and source, and new customers per month by creation or conversion', async () => {
    const w = world('2024-03-10T09:00:00Z');
    const crm = await w.crm();
    const ada = await crm.customers.create({ name: 'Ada', tier: 'vip', addresses: [{ country: 'TR' }, { country: 'DE' }], source: { channel: 'email' } });
    w.set('2024-04-10T09:00:00Z');
    await crm.customers.create({ name: 'Bob', tier: 'vip', addresses: [{ country: 'TR' }], source: { channel: 'ads' }, lifecycle: 'customer' });
    await crm.customers.create({ name: 'Cem', addresses: [{ country: 'TR' }], source: { channel: 'email' } });
    w.set('2024-05-01T09:00:00Z');
    await crm.customers.update(ada.id, { lifecycle: 'customer' });
    const base = await crm.reports.customerBase({ from: '2024-03-01T00:00:00Z', to: '2024-06-01T00:00:00Z' });
    expect(base.totals).toEqual({
      customers: 3,
      byLifecycle: [{ key: 'lead', count: 1 }, { key: 'customer', count: 2 }],
      byTier: [{ key: 'vip', count: 2 }, { key: null, count: 1 }],
      byCountry: [{ key: 'TR', count: 3 }, { key: 'DE', count: 1 }],
      bySource: [{ key: 'email', count: 2 }, { key: 'ads', count: 1 }],
      newCustomers: 3,
    });
    expect(base.rows.map((r) => [r.period, r.newCustomers])).toEqual([['2024-03', 1], ['2024-04', 2], ['2024-05', 0]]);
    const converted = await crm.reports.customerBase({ from: '2024-03-01T00:00:00Z', to: '2024-06-01T00:00:00Z', basis: 'converted' });
    // Bob became a customer in April (created as one), Ada in May; Cem never did.
    expect(converted.rows.map((r) => [r.period, r.newCustomers])).toEqual([['2024-03', 0], ['2024-04', 1], ['2024-05', 1]]);
    expect(await rejection(crm.reports.customerBase({ basis: 'first' as never }))).toBeInstanceOf(ValidationError);
  });
});

describe('customerValue', () => {
  it('gives each customer their last interaction, interactions in the range and won value, ordered and paged', async () => {
    const w = world('2024-05-01T09:00:00Z');
    const crm = await w.crm();
    const pipeline = await crm.pipelines.create({ name: 'Sales', stages: STAGES });
    const ada = await crm.customers.create({ name: 'Ada' });
    const bob = await crm.customers.create({ name: 'Bob' });
    const cem = await crm.customers.create({ name: 'Cem' });
    await crm.interactions.log({ type: 'call', customerId: ada.id, occurredAt: '2024-04-02T10:00:00Z' });
    await crm.interactions.log({ type: 'email', customerId: ada.id, occurredAt: '2024-04-20T10:00:00Z' });
    await crm.interactions.log({ type: 'call', customerId: bob.id, occurredAt: '2024-03-15T10:00:00Z' });
    await crm.interactions.plan({ type: 'call', customerId: cem.id, dueAt: '2024-05-20T10:00:00Z' });
    const won = (customerId: string, amount: number, currency = 'EUR') =>
      crm.deals.create({ title: 't', pipelineId: pipeline.id, customerId, stageId: 'won', value: { amount, currency }, openedAt: '2024-04-01T00:00:00Z', closedAt: '2024-04-10T00:00:00Z' });
    await won(bob.id, 50000);
    await won(bob.id, 25000);
    await won(ada.id, 30000);
    await won(ada.id, 99900, 'USD');
    const byValue = await crm.reports.customerValue({ period: '2024-04', orderBy: 'wonValue', currency: 'EUR', limit: 2 });
    expect(byValue.rows).toEqual([
      { customerId: bob.id, name: 'Bob', lastInteractionAt: '2024-03-15T10:00:00.000Z', interactions: 0, wonDeals: 2, wonValue: [{ amount: 75000, currency: 'EUR' }] },
      { customerId: ada.id, name: 'Ada', lastInteractionAt: '2024-04-20T10:00:00.000Z', interactions: 2, wonDeals: 2, wonValue: [{ amount: 30000, currency: 'EUR' }, { amount: 99900, currency: 'USD' }] },
    ]);
    expect(byValue.totals).toEqual({ customers: 3, interactions: 2, wonDeals: 4, wonValue: [{ amount: 105000, currency: 'EUR' }, { amount: 99900, currency: 'USD' }] });
    const rest = await crm.reports.customerValue({ period: '2024-04', orderBy: 'wonValue', currency: 'EUR', limit: 2, cursor: byValue.nextCursor as string });
    expect(rest.rows.map((r) => [r.name, r.lastInteractionAt])).toEqual([['Cem', null]]);
    expect(rest.nextCursor).toBeUndefined();
    const recent = await crm.reports.customerValue({ orderBy: 'lastInteractionAt' });
    expect(recent.rows.map((r) => r.name)).toEqual(['Ada', 'Bob', 'Cem']);
    const quiet = await crm.reports.customerValue({ orderBy: 'lastInteractionAt', direction: 'asc' });
    expect(quiet.rows.map((r) => r.name)).toEqual(['Cem', 'Bob', 'Ada']);
    const segment = await crm.segments.create({ name: 'B', collection: 'customers', where: { field: 'name', op: 'startsWith', value: 'B' } });
    expect((await crm.reports.customerValue({ segmentId: segment.id })).rows.map((r) => r.name)).toEqual(['Bob']);
    expect(await rejection(crm.reports.customerValue({ orderBy: 'wonValue' }))).toMatchObject({ name: 'ValidationError', issues: [{ path: ['currency'] }] });
    const other = await rejection(crm.reports.customerValue({ orderBy: 'name', cursor: byValue.nextCursor as string }));
    expect(other).toBeInstanceOf(QueryError);
    expect(other).toMatchObject({ path: ['cursor'] });
  });
});

describe('crm.reminders.upcoming', () => {
  it('lists planned interactions, tickets near an SLA target and yearly dates in a range, as the caller', async () => {
    const w = world('2024-12-30T09:00:00Z', { timeZone: 'Europe/Istanbul' });
    const crm = await w.crm();
    await crm.tickets.setSlaPolicy({ priority: 'urgent', firstResponseMinutes: 120, resolutionMinutes: 60 * 24 * 10 });
    const ada = await crm.customers.create({ name: 'Ada', ownerId: 'u-ann', emails: [{ address: 'ada@example.com' }], importantDates: [{ kind: 'birthday', date: '--01-01' }, { kind: 'signup', date: '2020-01-02', label: 'Customer since' }] });
    await crm.customers.create({ name: 'Quiet', emails: [{ address: 'q@example.com' }], consent: { email: { status: 'denied', at: '2024-01-01T00:00:00Z' } }, importantDates: [{ kind: 'birthday', date: '--12-31' }] });
    const call = await crm.interactions.plan({ type: 'call', customerId: ada.id, dueAt: '2024-12-31T10:00:00Z', remindAt: '2024-12-31T09:30:00Z', assigneeId: 'u-bob' });
    const cancelled = await crm.interactions.plan({ type: 'call', customerId: ada.id, dueAt: '2024-12-31T11:00:00Z' });
    await crm.interactions.cancel(cancelled.id);
    const ticket = await crm.tickets.open({ subject: 'Down', customerId: ada.id, priority: 'urgent' });
    const { items } = await crm.reminders.upcoming({ from: '2024-12-30T09:00:00Z', to: '2025-01-03T00:00:00Z' });
    expect(items.map((r) => [r.kind, r.recordId, r.at, r.dueAt])).toEqual([
      ['ticket', ticket.id, '2024-12-30T10:00:00.000Z', '2024-12-30T11:00:00.000Z'],
      ['interaction', call.id, '2024-12-31T09:30:00.000Z', '2024-12-31T10:00:00.000Z'],
      ['date', ada.id, '2024-12-31T21:00:00.000Z', '2024-12-31T21:00:00.000Z'],
      ['date', ada.id, '2025-01-01T21:00:00.000Z', '2025-01-01T21:00:00.000Z'],
    ]);
    expect(items[3]).toMatchObject({ years: 5, date: { kind: 'signup', label: 'Customer since' }, channels: ['email'], record: { name: 'Ada' } });
    expect(items[0]).toMatchObject({ target: 'firstResponse', record: { subject: 'Down' } });
    // A manager of another team sees none of it.
    const other = crm.as({ id: 'u-mia', roles: ['manager'], teamIds: ['apac'] });
    expect((await other.reminders.upcoming({ from: '2024-12-30T09:00:00Z', to: '2025-01-03T00:00:00Z' })).items).toEqual([]);
    const dates = await crm.reminders.upcoming({ kinds: ['date'], from: '2024-12-30T09:00:00Z', to: '2025-01-03T00:00:00Z', limit: 1 });
    expect(dates.items.map((r) => r.key)).toEqual([`reminder:date:${ada.id}:birthday:--01-01:2025-01-01`]);
    expect(await rejection(crm.reminders.upcoming({ from: '2025-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }))).toMatchObject({ name: 'ValidationError', issues: [{ path: ['to'] }] });
    expect(await rejection(crm.reminders.upcoming({ kinds: ['birthday' as never] }))).toMatchObject({ name: 'QueryError', path: ['kinds', 0] });
  });
});
