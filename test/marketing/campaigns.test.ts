// Campaigns and their reports: ROI and cost per acquisition against figures worked out here
// by hand, money kept per currency, and what each caller may see.
import { describe, expect, it } from 'vitest';
import { ConstraintError, ValidationError } from '../../src/index';
import type { Crm, Stage } from '../../src/index';
import { DAY, rejection, world } from './helpers';

const STAGES: Stage[] = [
  { id: 'open', name: 'Open', probability: 0.5, category: 'open' },
  { id: 'won', name: 'Won', probability: 1, category: 'won' },
  { id: 'lost', name: 'Lost', probability: 0, category: 'lost' },
];
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const usd = (amount: number) => ({ amount, currency: 'USD' });

/** Four campaigns, seven customers, six deals; the clock reads 2024-05-01T09:00:00Z. */
async function seed(crm: Crm, advance: (ms: number) => void) {
  const pipeline = await crm.pipelines.create({ name: 'Sales', stages: STAGES });
  const emea = { teamId: 'emea', ownerId: 'u-ann' };
  const apac = { teamId: 'apac', ownerId: 'u-cem' };
  const spring = await crm.campaigns.create({ name: 'Spring newsletter', channel: 'email', status: 'completed', cost: eur(100000), ...emea });
  const fair = await crm.campaigns.create({ name: 'Trade fair', channel: 'event', status: 'completed', cost: eur(500000), ...emea });
  const ads = await crm.campaigns.create({ name: 'Search ads', channel: 'ads', status: 'active', cost: usd(200000), ...emea });
  const referral = await crm.campaigns.create({ name: 'Referral programme', channel: 'referral', status: 'active', ...emea });
  const customer = (name: string, campaignId: string, channel: string, team: object, extra: object = {}) =>
    crm.customers.create({ name, source: { channel, campaignId }, ...team, ...extra });
  const s1 = await customer('S1', spring.id, 'email', emea, { lifecycle: 'customer' });
  await customer('S2', spring.id, 'email', emea);
  await customer('S3', spring.id, 'email', apac);
  const f1 = await customer('F1', fair.id, 'event', emea, { lifecycle: 'customer' });
  const a1 = await customer('A1', ads.id, 'ads', emea);
  await customer('R1', referral.id, 'referral', emea);
  const deal = (title: string, campaignId: string | undefined, customerId: string, value: { amount: number; currency: string }, team: object, extra: object = {}) =>
    crm.deals.create({ title, pipelineId: pipeline.id, customerId, value, ...(campaignId ? { campaignId } : {}), stageId: 'won', openedAt: '2024-04-01T00:00:00Z', closedAt: '2024-04-20T00:00:00Z', ...team, ...extra } as never);
  await deal('Spring 1', spring.id, s1.id, eur(250000), emea);
  await deal('Spring 2', spring.id, s1.id, eur(150000), apac);
  await deal('Spring open', spring.id, s1.id, eur(999900), emea, { stageId: 'open', closedAt: undefined });
  await deal('Spring lost', spring.id, s1.id, eur(50000), emea, { stageId: 'lost' });
  await deal('Fair 1', fair.id, f1.id, eur(400000), emea);
  await deal('Ads 1', ads.id, a1.id, eur(100000), emea);
  // Out of the range of period '2024-05'... for customers (created later) and for deals (closed earlier).
  await deal('Spring old', spring.id, s1.id, eur(70000), emea, { openedAt: '2023-01-01T00:00:00Z', closedAt: '2023-02-01T00:00:00Z' });
  advance(35 * DAY);
  await customer('F2', fair.id, 'event', emea);
  return { spring, fair, ads, referral };
}

describe('campaignPerformance', () => {
  it('computes customers acquired, deals won, revenue, cost per acquisition and ROI, ranked by ROI', async () => {
    const w = world('2024-05-01T09:00:00Z');
    const crm = await w.crm();
    const { spring, fair, ads, referral } = await seed(crm, w.advance);
    const report = await crm.reports.campaignPerformance({ from: '2024-04-01T00:00:00Z', to: '2024-06-01T00:00:00Z' });
    expect(report.rows.map((r) => [r.name, r.customersAcquired, r.dealsWon, r.revenue, r.costPerAcquisition, r.roi, r.roiReason])).toEqual([
      // (400000 − 100000) / 100000 = 3; 100000 / 3 = 33333.33… → 33333
      ['Spring newsletter', 3, 2, [eur(400000)], eur(33333), 3, undefined],
      // (400000 − 500000) / 500000 = −0.2; F2 was created in June, out of range
      ['Trade fair', 1, 1, [eur(400000)], eur(500000), -0.2, undefined],
      // campaigns without an ROI come last, by name
      ['Referral programme', 1, 0, [], null, null, 'no_cost'],
      // cost in USD, revenue in EUR: never converted
      ['Search ads', 1, 1, [eur(100000)], usd(200000), null, 'currency_mismatch'],
    ]);
    expect(report.rows.map((r) => r.campaignId)).toEqual([spring.id, fair.id, referral.id, ads.id]);
    expect(report.totals).toEqual({
      campaigns: 4,
      customersAcquired: 6,
      dealsWon: 4,
      cost: [eur(600000), usd(200000)],
      revenue: [eur(900000)],
      // EUR: (900000 − 600000) / 600000 = 0.5; USD: (0 − 200000) / 200000 = −1
      roi: [{ currency: 'EUR', roi: 0.5 }, { currency: 'USD', roi: -1 }],
    });
    expect(report).toMatchObject({ report: 'campaignPerformance', timeZone: 'UTC', generatedAt: w.iso(), redacted: [] });
  });

  it('takes the period in the CRM time zone and a filter on campaigns', async () => {
    const w = world('2024-05-01T09:00:00Z');
    const crm = await w.crm();
    await seed(crm, w.advance);
    const all = await crm.reports.campaignPerformance();
    expect(all.rows.find((r) => r.name === 'Spring newsletter')).toMatchObject({ dealsWon: 3, revenue: [eur(470000)], roi: 3.7 });
    expect(all.rows.find((r) => r.name === 'Trade fair')).toMatchObject({ customersAcquired: 2, costPerAcquisition: eur(250000) });
    const events = await crm.reports.campaignPerformance({ period: '2024-06', where: { field: 'channel', op: 'eq', value: 'event' } });
    expect(events.rows.map((r) => [r.name, r.customersAcquired, r.dealsWon, r.roi])).toEqual([['Trade fair', 1, 0, -1]]);
  });

  it('is permission-aware: a manager sees their team, and hidden deal values are redacted', async () => {
    const w = world('2024-05-01T09:00:00Z');
    const crm = await w.crm({ sensitiveFields: { deals: ['value'] } });
    await seed(crm, w.advance);
    const manager = crm.as({ id: 'u-mia', roles: ['manager'], teamIds: ['emea'] });
    const team = await manager.reports.campaignPerformance({ from: '2024-04-01T00:00:00Z', to: '2024-06-01T00:00:00Z' });
    // S3 and the second Spring deal belong to apac.
    expect(team.rows.find((r) => r.name === 'Spring newsletter')).toMatchObject({ customersAcquired: 2, dealsWon: 1, revenue: [eur(250000)], roi: 1.5 });
    const viewer = crm.as({ id: 'u-vic', roles: ['viewer'] });
    const seen = await viewer.reports.campaignPerformance();
    expect(seen.redacted).toEqual(['deals.value']);
    expect(seen.rows.every((r) => r.revenue.length === 0 && r.roi === null && r.roiReason === 'redacted')).toBe(true);
  });
});

describe('sourcePerformance', () => {
  it('counts customers, conversions and won deals by source channel', async () => {
    const w = world('2024-05-01T09:00:00Z');
    const crm = await w.crm();
    await seed(crm, w.advance);
    await crm.customers.create({ name: 'Walk-in' });
    const report = await crm.reports.sourcePerformance();
    expect(report.rows.map((r) => [r.channel, r.customersAcquired, r.converted, r.dealsWon, r.revenue])).toEqual([
      ['email', 3, 1, 3, [eur(470000)]],
      ['event', 2, 1, 1, [eur(400000)]],
      ['ads', 1, 0, 1, [eur(100000)]],
      ['referral', 1, 0, 0, []],
      [null, 1, 0, 0, []],
    ]);
    expect(report.totals).toEqual({ customersAcquired: 8, converted: 2, dealsWon: 5, revenue: [eur(970000)] });
  });
});

describe('crm.campaigns', () => {
  it('refuses an end before the start with a ValidationError at endsAt', async () => {
    const w = world('2024-05-01T09:00:00Z');
    const crm = await w.crm();
    const error = await rejection(crm.campaigns.create({ name: 'x', startsAt: '2024-05-10T00:00:00Z', endsAt: '2024-05-01T00:00:00Z' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ collection: 'campaigns', issues: [{ path: ['endsAt'], code: 'invalid_value' }] });
  });

  it('refuses to delete a campaign customers are attributed to with a ConstraintError, and deletes an unused one', async () => {
    const w = world('2024-05-01T09:00:00Z');
    const crm = await w.crm();
    const used = await crm.campaigns.create({ name: 'Used', status: 'active' });
    const unused = await crm.campaigns.create({ name: 'Unused' });
    const c = await crm.customers.create({ name: 'Ada', source: { campaignId: used.id } });
    const error = await rejection(crm.campaigns.delete(used.id));
    expect(error).toBeInstanceOf(ConstraintError);
    expect(error).toMatchObject({ constraint: 'referenced', collection: 'campaigns', recordId: used.id, conflictingIds: [c.id], fields: ['source.campaignId'] });
    await crm.campaigns.delete(unused.id);
    expect(await crm.campaigns.count()).toBe(1);
    expect(w.of('campaign.deleted').map((e) => e['id'])).toEqual([unused.id]);
  });
});
