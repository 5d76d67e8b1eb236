/**
 * Marketing and automation: campaigns and their ROI, segments evaluated as the caller,
 * upcoming reminders, automation rules checked when added — and, where this mode runs
 * workers, reminders and rules firing exactly once across two CRMs on one storage. Public
 * API only, so it runs unchanged on memory, IndexedDB and over HTTP.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { Crm, Stage } from '../../../src/index';
import type { CrmContext } from './context';
import { recordEvents, rejection } from './context';

const STAGES: Stage[] = [
  { id: 'open', name: 'Open', probability: 0.5, category: 'open' },
  { id: 'won', name: 'Won', probability: 1, category: 'won' },
  { id: 'lost', name: 'Lost', probability: 0, category: 'lost' },
];
const eur = (amount: number) => ({ amount, currency: 'EUR' });

async function wonDeal(crm: Crm, pipelineId: string, customerId: string, campaignId: string, amount: number) {
  return crm.deals.create({ title: 'd', pipelineId, customerId, campaignId, stageId: 'won', value: eur(amount), openedAt: '2024-04-01T00:00:00Z', closedAt: '2024-04-15T00:00:00Z' });
}

/** The marketing cases. */
export function marketingCases(t: CrmContext): void {
  const workers = t.fixture.capabilities?.workers !== false;

  describe('campaigns', () => {
    it('reports customers acquired, revenue, cost per acquisition and ROI per campaign, ranked by ROI', async () => {
      const crm = await t.crm();
      const pipeline = await crm.pipelines.create({ name: 'Sales', stages: STAGES });
      const mail = await crm.campaigns.create({ name: 'Mail', channel: 'email', cost: eur(20000), status: 'completed' });
      const fair = await crm.campaigns.create({ name: 'Fair', channel: 'event', cost: eur(100000), status: 'completed' });
      const a = await crm.customers.create({ name: 'A', source: { channel: 'email', campaignId: mail.id } });
      await crm.customers.create({ name: 'B', source: { channel: 'email', campaignId: mail.id } });
      const c = await crm.customers.create({ name: 'C', source: { channel: 'event', campaignId: fair.id } });
      await wonDeal(crm, pipeline.id, a.id, mail.id, 70000);
      await wonDeal(crm, pipeline.id, c.id, fair.id, 50000);
      const { rows } = await crm.reports.campaignPerformance({ period: '2024' });
      expect(rows.map((r) => [r.name, r.customersAcquired, r.dealsWon, r.revenue, r.costPerAcquisition, r.roi])).toEqual([
        // (70000 − 20000) / 20000 = 2.5; 20000 / 2 = 10000
        ['Mail', 2, 1, [eur(70000)], eur(10000), 2.5],
        // (50000 − 100000) / 100000 = −0.5
        ['Fair', 1, 1, [eur(50000)], eur(100000), -0.5],
      ]);
    });

    it('refuses an end before the start with a ValidationError', async () => {
      const crm = await t.crm();
      const error = await rejection(crm.campaigns.create({ name: 'x', startsAt: '2024-05-02T00:00:00Z', endsAt: '2024-05-01T00:00:00Z' }));
      expect(error).toMatchObject({ name: 'ValidationError', issues: [{ path: ['endsAt'] }] });
    });
  });

  describe('segments', () => {
    it('evaluates members on demand and counts them', async () => {
      const crm = await t.crm();
      await crm.customers.create({ name: 'Ada', tier: 'vip' });
      await crm.customers.create({ name: 'Bob' });
      const vips = await crm.segments.create({ name: 'VIPs', collection: 'customers', where: { field: 'tier', op: 'eq', value: 'vip' } });
      expect((await crm.segments.members(vips.id)).items.map((c) => c['name'])).toEqual(['Ada']);
      await crm.customers.create({ name: 'Cem', tier: 'vip' });
      expect(await crm.segments.count(vips.id)).toBe(2);
    });

    it('refuses a bad filter with a QueryError naming its path under where', async () => {
      const crm = await t.crm();
      const error = await rejection(crm.segments.create({ name: 'x', collection: 'customers', where: { field: 'tier', op: 'like', value: 'v' } as never }));
      expect(error).toMatchObject({ name: 'QueryError' });
      expect((error as { path: unknown[] }).path[0]).toBe('where');
    });
  });

  describe('reminders', () => {
    it('lists planned interactions and yearly dates coming due, soonest first', async () => {
      const crm = await t.crm();
      const ada = await crm.customers.create({ name: 'Ada', emails: [{ address: 'ada@example.com' }], importantDates: [{ kind: 'birthday', date: '--05-03' }] });
      const call = await crm.interactions.plan({ type: 'call', customerId: ada.id, dueAt: t.iso(60 * 60_000) });
      const { items } = await crm.reminders.upcoming({ from: t.iso(), to: t.iso(7 * 86_400_000) });
      expect(items.map((r) => [r.kind, r.recordId, r.at])).toEqual([
        ['interaction', call.id, t.iso(60 * 60_000)],
        ['date', ada.id, '2024-05-03T00:00:00.000Z'],
      ]);
    });
  });

  describe('automations', () => {
    it('refuses an unknown trigger with a ValidationError at on', async () => {
      const crm = await t.crm();
      const error = await rejection(crm.automations.add({ name: 'x', on: 'deal.exploded', do: [{ action: 'tag', tags: ['x'] }] }));
      expect(error).toMatchObject({ name: 'ValidationError', issues: [{ path: ['on'] }] });
    });

    it.runIf(workers && t.hasSiblings)('runs a rule and fires a reminder exactly once with two CRMs on one storage', async () => {
      const first = await t.crm();
      const second = await t.sibling();
      const events = [...[first, second].map((c) => recordEvents(c))];
      const rule = await first.automations.add({ name: 'Welcome', on: 'customer.created', do: [{ action: 'planInteraction', type: 'call', subject: 'Welcome', in: { hours: 1 } }] });
      const ada = await first.customers.create({ name: 'Ada' });
      const w1 = first.startWorkers({ autoStart: false, leaseMs: 60_000 });
      const w2 = second.startWorkers({ autoStart: false, leaseMs: 60_000 });
      for (let i = 0; i < 4; i++) {
        await Promise.all([w1.tick(), w2.tick()]);
        t.advance(30 * 60_000);
      }
      const all = events.flat();
      expect(all.filter((e) => e.type === 'automation.ran').map((e) => [e['ruleId'], e['recordId']])).toEqual([[rule.id, ada.id]]);
      const fired = all.filter((e) => e.type === 'reminder.due');
      expect(fired).toHaveLength(1);
      expect(fired[0]).toMatchObject({ kind: 'interaction', customerId: ada.id });
      expect((await first.automations.runs()).items.map((r) => r.status)).toEqual(['ran']);
    });
  });
}
