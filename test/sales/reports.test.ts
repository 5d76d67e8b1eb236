// The sales reports on the memory adapter with a fake clock: time zones, permissions,
// hidden values, rounding and forecast categories, with literal figures.
import { describe, expect, it } from 'vitest';
import { PermissionError, QueryError, ValidationError, createCrm } from '../../src/index';
import type { Crm, CrmOptions } from '../../src/index';
import { STAGES, seedSales } from '../conformance/crm/sales';

const START = Date.parse('2024-05-01T09:00:00Z');
const usd = (amount: number) => ({ amount, currency: 'USD' });
const eur = (amount: number) => ({ amount, currency: 'EUR' });

async function make(options: CrmOptions = {}): Promise<Crm> {
  return (await createCrm({ clock: () => START, actor: { id: 'u-admin', roles: ['admin'] }, ...options })) as unknown as Crm;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('sales reports', () => {
  it('puts periods in the CRM time zone', async () => {
    const crm = await make({ timeZone: 'America/New_York' });
    const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
    // 2024-04-01T02:00Z is still March 31st in New York: Q1 there, Q2 in UTC.
    await crm.deals.create({ title: 'late March', pipelineId: p.id, stageId: 'won', value: usd(700), openedAt: '2024-03-01T12:00:00Z', closedAt: '2024-04-01T02:00:00Z' });
    const ny = await crm.reports.forecast({ period: '2024', unit: 'quarter' });
    expect(ny.timeZone).toBe('America/New_York');
    expect(ny.rows.map((r) => [r.period, r.start, r.wonCount])).toEqual([
      ['2024-Q1', '2024-01-01T05:00:00.000Z', 1],
      ['2024-Q2', '2024-04-01T04:00:00.000Z', 0],
      ['2024-Q3', '2024-07-01T04:00:00.000Z', 0],
      ['2024-Q4', '2024-10-01T04:00:00.000Z', 0],
    ]);
    expect((await crm.reports.winRate({ period: '2024-Q1' })).totals.won).toBe(1);
  });

  it('leaves omitted stages out of the forecast and weighs per stage and currency', async () => {
    const crm = await make();
    const p = await crm.pipelines.create({
      name: 'P',
      stages: [
        { id: 'a', name: 'A', probability: 0.15, category: 'open' },
        { id: 'parked', name: 'Parked', probability: 0.5, category: 'open', forecastCategory: 'omitted' },
        { id: 'w', name: 'W', probability: 1, category: 'won' },
        { id: 'l', name: 'L', probability: 0, category: 'lost' },
      ],
    });
    const due = '2024-06-01T00:00:00Z';
    await crm.deals.createMany([
      { title: '1', pipelineId: p.id, value: usd(333), expectedCloseAt: due },
      { title: '2', pipelineId: p.id, value: usd(334), expectedCloseAt: due },
      { title: '3', pipelineId: p.id, stageId: 'parked', value: usd(1000), expectedCloseAt: due },
    ]);
    const r = await crm.reports.forecast({ period: '2024-Q2', unit: 'quarter' });
    // 0.15 × (333 + 334) = 100.05 → 100; the parked deal is omitted.
    expect(r.rows).toEqual([expect.objectContaining({ period: '2024-Q2', openCount: 2, pipeline: [usd(667)], weighted: [usd(100)], commit: [], bestCase: [] })]);
    const summary = await crm.reports.pipelineSummary({ pipelineId: p.id });
    expect(summary.rows.map((row) => [row.stageId, row.weightedValue])).toEqual([
      ['a', [usd(100)]],
      ['parked', [usd(500)]],
      ['w', []],
      ['l', []],
    ]);
  });

  it('groups by any field, custom fields included', async () => {
    const crm = await make({ customFields: { deals: { segment: { type: 'select', options: ['smb', 'enterprise'] } } } });
    const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
    const closed = { openedAt: '2024-01-01T00:00:00Z', closedAt: '2024-02-01T00:00:00Z' };
    await crm.deals.createMany([
      { title: '1', pipelineId: p.id, stageId: 'won', value: eur(100), custom: { segment: 'smb' } as never, ...closed },
      { title: '2', pipelineId: p.id, stageId: 'lost', value: eur(300), custom: { segment: 'smb' } as never, ...closed },
      { title: '3', pipelineId: p.id, stageId: 'won', value: eur(500), custom: { segment: 'enterprise' } as never, ...closed },
    ]);
    const r = await crm.reports.winRate({ by: 'custom.segment' });
    expect(r.rows.map((row) => [row.key, row.rate, row.valueRate])).toEqual([
      ['enterprise', 1, [{ currency: 'EUR', rate: 1 }]],
      ['smb', 0.5, [{ currency: 'EUR', rate: 0.25 }]],
    ]);
    expect((await crm.reports.winRate({ where: { field: 'custom.segment', op: 'eq', value: 'smb' } })).totals).toMatchObject({ won: 1, lost: 1 });
    expect(await caught(crm.reports.winRate({ by: 'bad..path' }))).toBeInstanceOf(QueryError);
  });

  it('leaves money out for a caller who cannot read deal values, and refuses to group by a hidden field', async () => {
    const crm = await make({ roles: { analyst: { grants: { '*': { read: 'all' } }, hiddenFields: { deals: ['value', 'source'] } } } });
    await seedSales(crm);
    const analyst = crm.as({ id: 'u-an', roles: ['analyst'] });
    const r = await analyst.reports.winRate();
    expect(r.redacted).toEqual(['value']);
    expect(r.totals).toEqual({ won: 3, lost: 3, closed: 6, rate: 0.5, wonValue: [], lostValue: [], valueRate: [] });
    const summary = await analyst.reports.pipelineSummary();
    expect(summary.totals).toMatchObject({ count: 11, value: [], weightedValue: [] });
    const byHidden = await caught(analyst.reports.winRate({ by: 'source' }));
    expect(byHidden).toBeInstanceOf(PermissionError);
    expect(byHidden).toMatchObject({ actorId: 'u-an', action: 'read' });
    const filterHidden = await caught(analyst.reports.winRate({ where: { field: 'value.amount', op: 'gt', value: 0 } }));
    expect(filterHidden).toBeInstanceOf(PermissionError);
  });

  it('answers nothing to a caller who cannot read deals', async () => {
    const crm = await make({ roles: { support: { grants: { customers: { read: 'all' } } } } });
    await seedSales(crm);
    const support = crm.as({ id: 'u-s', roles: ['support'] });
    expect((await support.reports.winRate()).totals).toMatchObject({ won: 0, lost: 0, rate: null });
    expect((await support.reports.pipelineSummary()).totals.count).toBe(0);
  });

  it('counts only what a contributor owns when the role is scoped to own', async () => {
    const crm = await make({ roles: { rep: { grants: { '*': { read: 'own' } } } } });
    await seedSales(crm);
    const bob = crm.as({ id: 'u-bob', roles: ['rep'] });
    expect((await bob.reports.winRate()).totals).toMatchObject({ won: 1, lost: 1, wonValue: [eur(80000)] });
    expect((await bob.reports.leaderboard()).rows.map((r) => r.ownerId)).toEqual(['u-bob']);
    expect((await bob.reports.salesCycle()).totals.won).toEqual({ count: 1, meanDays: 20, medianDays: 20, minDays: 20, maxDays: 20 });
  });

  it('validates report options with typed errors', async () => {
    const crm = await make();
    const e1 = await caught(crm.reports.stageFunnel(undefined as never));
    expect(e1).toBeInstanceOf(ValidationError);
    expect(e1).toMatchObject({ issues: [{ path: ['pipelineId'] }] });
    const e2 = await caught(crm.reports.forecast({ unit: 'week' as never }));
    expect(e2).toMatchObject({ name: 'ValidationError', issues: [{ path: ['unit'] }] });
    const e3 = await caught(crm.reports.winRate({ from: '2024-05-01T00:00:00Z', to: '2024-04-01T00:00:00Z' }));
    expect(e3).toMatchObject({ name: 'ValidationError', issues: [{ path: ['to'] }] });
    const e4 = await caught(crm.reports.winRate({ currency: 'usd' }));
    expect(e4).toMatchObject({ name: 'ValidationError', issues: [{ path: ['currency'] }] });
    const e5 = await caught(crm.reports.leaderboard({ limit: 0 }));
    expect(e5).toMatchObject({ name: 'ValidationError', issues: [{ path: ['limit'] }] });
    const e6 = await caught(crm.reports.quotaAttainment({ targets: [{ ownerId: 'u', period: '2024', target: { amount: 1.5, currency: 'EUR' } }] }));
    expect(e6).toMatchObject({ name: 'ValidationError', issues: [{ path: ['targets', 0, 'target'] }] });
  });

  it('aggregates through the adapter\'s native aggregate, or the engine scan when it has none', async () => {
    const { memoryAdapter } = await import('../../adapters/memory/index');
    const native = memoryAdapter();
    let calls = 0;
    const counting = { ...native, aggregate: (c: string, a: never) => (calls++, native.aggregate!(c, a)) };
    const withNative = await make({ storage: counting });
    await seedSales(withNative);
    const a = await withNative.reports.winRate({ by: 'owner' });
    expect(calls).toBe(1);
    const plain = memoryAdapter();
    const { aggregate: _native, ...rest } = plain;
    const withoutNative = await make({ storage: { ...rest, capabilities: { ...plain.capabilities, aggregate: false } } });
    await seedSales(withoutNative);
    const b = await withoutNative.reports.winRate({ by: 'owner' });
    expect(b.rows).toEqual(a.rows);
    expect(b.totals).toEqual(a.totals);
  });
});
