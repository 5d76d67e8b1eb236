/**
 * Sales: pipelines and their stage verbs, deals and their stage verbs, lead conversion, and
 * the sales reports — through the public API only, so it runs unchanged on memory,
 * IndexedDB and over HTTP. `seedSales` builds the small book of deals whose report figures
 * the tests (and `test/sales/*`) check literally.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, ConstraintError, NotFoundError, TransitionError, ValidationError } from '../../../src/index';
import type { Crm, Deal, Pipeline, Stage } from '../../../src/index';
import type { CrmContext } from './context';
import { recordEvents, rejection, untyped, useCrmContext } from './context';
import type { CrmFixture } from './fixture';

/** The stages of the pipeline every sales test uses. */
export const STAGES: Stage[] = [
  { id: 'lead', name: 'Lead', probability: 0.1, category: 'open' },
  { id: 'proposal', name: 'Proposal', probability: 0.5, category: 'open', forecastCategory: 'bestCase' },
  { id: 'negotiation', name: 'Negotiation', probability: 0.8, category: 'open', forecastCategory: 'commit' },
  { id: 'won', name: 'Won', probability: 1, category: 'won' },
  { id: 'lost', name: 'Lost', probability: 0, category: 'lost' },
];

/** What {@link seedSales} made. */
export interface SalesSeed {
  pipeline: Pipeline;
  deals: Record<string, Deal>;
  customerId: string;
}

const usd = (amount: number) => ({ amount, currency: 'USD' });
const eur = (amount: number) => ({ amount, currency: 'EUR' });

/**
 * A book of 11 deals (owners u-ann and u-bob in team emea, u-cem in apac), six of them
 * recorded in the past, and three interactions. The clock must read 2024-05-01T09:00:00Z.
 */
export async function seedSales(crm: Crm): Promise<SalesSeed> {
  const pipeline = await crm.pipelines.create({ name: 'New business', stages: STAGES });
  const acme = await crm.customers.create({ name: 'Acme', kind: 'organization' });
  const ann = { ownerId: 'u-ann', teamId: 'emea' };
  const bob = { ownerId: 'u-bob', teamId: 'emea' };
  const cem = { ownerId: 'u-cem', teamId: 'apac' };
  const p = pipeline.id;
  const deals: Record<string, Deal> = {};
  const add = async (name: string, input: Record<string, unknown>) => {
    deals[name] = await crm.deals.create({ title: name, pipelineId: p, ...input } as never);
  };
  await add('D1', { ...ann, customerId: acme.id, stageId: 'won', value: usd(100000), openedAt: '2024-01-10T00:00:00Z', closedAt: '2024-02-09T00:00:00Z', source: 'web' });
  await add('D2', { ...ann, stageId: 'won', value: usd(50000), openedAt: '2024-02-01T00:00:00Z', closedAt: '2024-04-11T00:00:00Z', source: 'referral' });
  await add('D3', { ...ann, stageId: 'lost', value: usd(30000), openedAt: '2024-01-15T00:00:00Z', closedAt: '2024-01-25T00:00:00Z', lostReason: 'price', source: 'web' });
  await add('D4', { ...bob, stageId: 'won', value: eur(80000), openedAt: '2024-03-01T00:00:00Z', closedAt: '2024-03-21T00:00:00Z', source: 'web' });
  await add('D5', { ...bob, stageId: 'lost', value: eur(20000), openedAt: '2024-03-05T00:00:00Z', closedAt: '2024-04-14T00:00:00Z' });
  await add('D6', { ...cem, stageId: 'lost', value: usd(40000), openedAt: '2024-02-01T00:00:00Z', closedAt: '2024-03-02T00:00:00Z', source: 'referral' });
  await add('D7', { ...ann, value: usd(10005), expectedCloseAt: '2024-06-15T00:00:00Z' });
  await add('D8', { ...bob, value: usd(20001), openedAt: '2024-04-21T09:00:00Z', expectedCloseAt: '2024-06-20T00:00:00Z' });
  deals['D8'] = await crm.deals.moveToStage((deals['D8'] as Deal).id, 'proposal');
  await add('D9', { ...cem, stageId: 'negotiation', value: eur(30000), openedAt: '2024-04-01T00:00:00Z', expectedCloseAt: '2024-08-10T00:00:00Z' });
  await add('D10', { ...cem, stageId: 'negotiation', value: usd(15000), openedAt: '2024-04-15T00:00:00Z', expectedCloseAt: '2024-05-20T00:00:00Z' });
  await add('D11', { ...ann });
  await crm.interactions.log({ type: 'call', customerId: acme.id, ownerId: 'u-ann', occurredAt: '2024-04-02T10:00:00Z' });
  await crm.interactions.log({ type: 'email', customerId: acme.id, ownerId: 'u-ann', occurredAt: '2024-04-03T10:00:00Z' });
  await crm.interactions.log({ type: 'meeting', customerId: acme.id, ownerId: 'u-ann', assigneeId: 'u-cem', occurredAt: '2024-04-04T10:00:00Z' });
  await crm.interactions.plan({ type: 'task', customerId: acme.id, ownerId: 'u-bob', dueAt: '2024-05-10T10:00:00Z' });
  return { pipeline, deals, customerId: acme.id };
}

function isContext(x: CrmContext | CrmFixture): x is CrmContext {
  return typeof (x as CrmContext).crm === 'function';
}

/**
 * The sales cases. Pass the suite's context (or a fixture: a context is made for it).
 * @param t - the per-test context of the CRM suite, or a fixture.
 */
export function salesCases(t: CrmContext | CrmFixture): void {
  const ctx = isContext(t) ? t : useCrmContext(t);
  const asActor = async (crm: Crm, actor: { id: string; roles: string[]; teamIds?: string[] }): Promise<Crm> =>
    ctx.fixture.capabilities?.as === false ? ((await ctx.sibling({ actor })) as unknown as Crm) : crm.as(actor);

  describe('pipelines', () => {
    it('creates a pipeline with ordered stages', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'New business', stages: STAGES });
      expect(p).toMatchObject({ name: 'New business', stages: STAGES, version: 1, createdAt: ctx.iso() });
      expect(await crm.pipelines.get(p.id)).toEqual(p);
    });

    it('refuses stages without a won or lost stage, with duplicate ids or probabilities outside 0..1', async () => {
      const crm = await ctx.crm();
      const error = await rejection(
        crm.pipelines.create({
          name: 'Bad',
          stages: [
            { id: 'a', name: 'A', probability: 1.5, category: 'open' },
            { id: 'a', name: 'A again', probability: 0.2, category: 'open' },
          ],
        }),
      );
      expect(error).toBeInstanceOf(ValidationError);
      const issues = (error as ValidationError).issues.map((i) => [i.path.join('.'), i.message]);
      expect(issues).toEqual(
        expect.arrayContaining([
          ['stages.0.probability', expect.any(String)],
          ['stages.1.id', 'duplicate stage id "a" (also stage 0)'],
          ['stages', 'a pipeline needs at least one won stage'],
          ['stages', 'a pipeline needs at least one lost stage'],
        ]),
      );
      expect(await crm.pipelines.count()).toBe(0);
    });

    it('adds, renames, reorders and removes stages', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const added = await crm.pipelines.addStage(p.id, { id: 'demo', name: 'Demo', probability: 0.3, category: 'open' });
      expect(added.stages.map((s) => s.id)).toEqual(['lead', 'proposal', 'negotiation', 'demo', 'won', 'lost']);
      const renamed = await crm.pipelines.updateStage(p.id, 'demo', { name: 'Product demo', probability: 0.35 });
      expect(renamed.stages[3]).toEqual({ id: 'demo', name: 'Product demo', probability: 0.35, category: 'open' });
      const moved = await crm.pipelines.moveStage(p.id, 'demo', 1);
      expect(moved.stages.map((s) => s.id)).toEqual(['lead', 'demo', 'proposal', 'negotiation', 'won', 'lost']);
      const removed = await crm.pipelines.removeStage(p.id, 'demo');
      expect(removed.stages).toEqual(STAGES);
      expect(removed.version).toBe(5);
    });

    it('refuses a duplicate stage id from addStage', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const error = await rejection(crm.pipelines.addStage(p.id, { id: 'lead', name: 'Again', probability: 0.1, category: 'open' }));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]).toMatchObject({ path: ['stages', 3, 'id'], message: 'duplicate stage id "lead" (also stage 0)' });
    });

    it('refuses to remove a stage that holds deals until they are moved', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const d = await crm.deals.create({ title: 'x', pipelineId: p.id, stageId: 'proposal' });
      const error = await rejection(crm.pipelines.removeStage(p.id, 'proposal'));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ constraint: 'referenced', conflictingIds: [d.id], collection: 'pipelines', recordId: p.id });
      const viaUpdate = await rejection(crm.pipelines.update(p.id, { stages: STAGES.filter((s) => s.id !== 'proposal') }));
      expect(viaUpdate).toMatchObject({ name: 'ConstraintError', constraint: 'referenced', conflictingIds: [d.id] });
      expect((await crm.pipelines.get(p.id)).stages).toEqual(STAGES);
      await crm.deals.moveToStage(d.id, 'lead');
      expect((await crm.pipelines.removeStage(p.id, 'proposal')).stages.map((s) => s.id)).toEqual(['lead', 'negotiation', 'won', 'lost']);
    });

    it('refuses to change the category of a stage that holds deals', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const d = await crm.deals.create({ title: 'x', pipelineId: p.id, stageId: 'proposal' });
      const error = await rejection(crm.pipelines.updateStage(p.id, 'proposal', { category: 'won' }));
      expect(error).toMatchObject({ name: 'ConstraintError', constraint: 'referenced', conflictingIds: [d.id] });
      expect((await crm.pipelines.updateStage(p.id, 'proposal', { name: 'Offer' })).stages[1]?.name).toBe('Offer');
    });

    it('refuses to delete a pipeline that deals point to', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const d = await crm.deals.create({ title: 'x', pipelineId: p.id });
      const error = await rejection(crm.pipelines.delete(p.id));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ constraint: 'referenced', conflictingIds: [d.id] });
    });
  });

  describe('deals', () => {
    it('creates a deal in the first open stage, opened now, with its stage history', async () => {
      const crm = await ctx.crm();
      const events = recordEvents(crm);
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const d = await crm.deals.create({ title: 'Acme — 40 seats', pipelineId: p.id, value: { amount: 4_800_000, currency: 'EUR' } });
      expect(d).toMatchObject({
        title: 'Acme — 40 seats',
        stageId: 'lead',
        status: 'open',
        openedAt: ctx.iso(),
        createdAt: ctx.iso(),
        value: { amount: 4_800_000, currency: 'EUR' },
        stageHistory: [{ stageId: 'lead', enteredAt: ctx.iso(), by: 'u-admin' }],
        ownerId: 'u-admin',
      });
      expect(d.closedAt).toBeUndefined();
      expect(events.filter((e) => e.type.startsWith('deal.')).map((e) => e.type)).toEqual(['deal.created']);
    });

    it('derives a consistent history when recording the past; createdAt stays now', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const d = await crm.deals.create({ title: 'old', pipelineId: p.id, stageId: 'won', openedAt: '2023-01-10T00:00:00Z', closedAt: '2023-03-01T12:00:00+02:00' });
      expect(d).toMatchObject({
        status: 'won',
        openedAt: '2023-01-10T00:00:00.000Z',
        closedAt: '2023-03-01T10:00:00.000Z',
        createdAt: ctx.iso(),
        stageHistory: [
          { stageId: 'lead', enteredAt: '2023-01-10T00:00:00.000Z', leftAt: '2023-03-01T10:00:00.000Z', by: 'u-admin' },
          { stageId: 'won', enteredAt: '2023-03-01T10:00:00.000Z', by: 'u-admin' },
        ],
      });
    });

    it('refuses closedAt before openedAt, closedAt on an open deal and an unknown stage', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const before = await rejection(crm.deals.create({ title: 'x', pipelineId: p.id, stageId: 'lost', openedAt: '2024-02-01T00:00:00Z', closedAt: '2024-01-01T00:00:00Z' }));
      expect(before).toBeInstanceOf(ValidationError);
      expect((before as ValidationError).issues[0]).toMatchObject({ path: ['closedAt'] });
      const open = await rejection(crm.deals.create({ title: 'x', pipelineId: p.id, closedAt: '2024-01-01T00:00:00Z' }));
      expect((open as ValidationError).issues[0]).toMatchObject({ path: ['closedAt'], message: 'only a won or lost deal has closedAt' });
      const unknown = await rejection(crm.deals.create({ title: 'x', pipelineId: p.id, stageId: 'nope' }));
      expect(unknown).toBeInstanceOf(ValidationError);
      expect((unknown as ValidationError).issues[0]).toMatchObject({ path: ['stageId'] });
      const noPipeline = await rejection(crm.deals.create({ title: 'x', pipelineId: 'ghost' }));
      expect(noPipeline).toMatchObject({ name: 'ConstraintError', constraint: 'reference_missing', fields: ['pipelineId'] });
      expect(await crm.deals.count()).toBe(0);
    });

    it('refuses a caller writing stageHistory or status, on create and on update', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const onCreate = await rejection(crm.deals.create(untyped({ title: 'x', pipelineId: p.id, stageHistory: [] })));
      expect(onCreate).toBeInstanceOf(ValidationError);
      expect((onCreate as ValidationError).issues).toEqual([expect.objectContaining({ path: ['stageHistory'], code: 'read_only' })]);
      const d = await crm.deals.create({ title: 'x', pipelineId: p.id });
      for (const field of ['stageHistory', 'status', 'stageId', 'closedAt', 'pipelineId']) {
        const error = await rejection(crm.deals.update(d.id, untyped({ [field]: field === 'stageHistory' ? [] : 'won' })));
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]).toMatchObject({ path: [field], code: 'read_only' });
      }
      expect((await crm.deals.get(d.id)).version).toBe(1);
    });

    it('moves a deal between stages, keeping the history and emitting deal.stageChanged', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const d = await crm.deals.create({ title: 'x', pipelineId: p.id });
      const events = recordEvents(crm);
      ctx.advance(86_400_000);
      const moved = await crm.deals.moveToStage(d.id, 'proposal');
      expect(moved).toMatchObject({
        stageId: 'proposal',
        status: 'open',
        version: 2,
        stageHistory: [
          { stageId: 'lead', enteredAt: ctx.iso(-86_400_000), leftAt: ctx.iso(), by: 'u-admin' },
          { stageId: 'proposal', enteredAt: ctx.iso(), by: 'u-admin' },
        ],
      });
      expect(events.find((e) => e.type === 'deal.stageChanged')).toMatchObject({ from: 'lead', to: 'proposal', record: { id: d.id, stageId: 'proposal' } });
      const { items } = await crm.audit.find({ recordId: d.id });
      expect(items.map((e) => e.action).sort()).toEqual(['create', 'moveToStage']);
    });

    it('wins, loses and reopens, audited as their own actions', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const a = await crm.deals.create({ title: 'a', pipelineId: p.id });
      const b = await crm.deals.create({ title: 'b', pipelineId: p.id });
      const events = recordEvents(crm);
      ctx.advance(3_600_000);
      const won = await crm.deals.win(a.id);
      expect(won).toMatchObject({ stageId: 'won', status: 'won', closedAt: ctx.iso() });
      const lost = await crm.deals.lose(b.id, { reason: 'price' });
      expect(lost).toMatchObject({ stageId: 'lost', status: 'lost', closedAt: ctx.iso(), lostReason: 'price' });
      ctx.advance(3_600_000);
      const reopened = await crm.deals.reopen(b.id);
      expect(reopened).toMatchObject({ stageId: 'lead', status: 'open' });
      expect(reopened.closedAt).toBeUndefined();
      expect(reopened.lostReason).toBeUndefined();
      expect(reopened.stageHistory.map((h) => h.stageId)).toEqual(['lead', 'lost', 'lead']);
      expect(events.filter((e) => e.type !== 'deal.updated' && e.type.startsWith('deal.')).map((e) => e.type)).toEqual([
        'deal.stageChanged',
        'deal.won',
        'deal.stageChanged',
        'deal.lost',
        'deal.stageChanged',
        'deal.reopened',
      ]);
      expect(events.find((e) => e.type === 'deal.lost')).toMatchObject({ reason: 'price' });
      const actions = async (id: string) => (await crm.audit.find({ recordId: id })).items.map((e) => e.action).sort();
      expect(await actions(a.id)).toEqual(['create', 'win']);
      expect(await actions(b.id)).toEqual(['create', 'lose', 'reopen']);
    });

    it.each<[string, 'win' | 'lose', 'win' | 'lose' | 'move' | 'reopen-open', string, string]>([
      ['winning a lost deal', 'lose', 'win', 'lost', 'won'],
      ['losing a won deal', 'win', 'lose', 'won', 'lost'],
      ['winning a won deal', 'win', 'win', 'won', 'won'],
      ['moving a won deal without reopening it', 'win', 'move', 'won', 'open'],
    ])('refuses %s with TransitionError naming both states', async (_what, first, second, from, to) => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const d = await crm.deals.create({ title: 'x', pipelineId: p.id });
      const after = first === 'win' ? await crm.deals.win(d.id) : await crm.deals.lose(d.id);
      const error = await rejection(second === 'win' ? crm.deals.win(d.id) : second === 'lose' ? crm.deals.lose(d.id) : crm.deals.moveToStage(d.id, 'proposal'));
      expect(error).toBeInstanceOf(TransitionError);
      expect(error).toMatchObject({ name: 'TransitionError', from, to, collection: 'deals', recordId: d.id });
      expect(await crm.deals.get(d.id)).toEqual(after);
    });

    it('refuses to reopen an open deal', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const d = await crm.deals.create({ title: 'x', pipelineId: p.id });
      const error = await rejection(crm.deals.reopen(d.id));
      expect(error).toBeInstanceOf(TransitionError);
      expect(error).toMatchObject({ from: 'open', to: 'open' });
    });

    it('refuses a stale expectedVersion and a missing deal', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const d = await crm.deals.create({ title: 'x', pipelineId: p.id });
      await crm.deals.update(d.id, { title: 'y' });
      const stale = await rejection(crm.deals.win(d.id, { expectedVersion: 1 }));
      expect(stale).toBeInstanceOf(ConflictError);
      expect(stale).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      const missing = await rejection(crm.deals.moveToStage('ghost', 'lead'));
      expect(missing).toBeInstanceOf(NotFoundError);
      expect(missing).toMatchObject({ collection: 'deals', recordId: 'ghost' });
    });

    it('refuses a deal on a blocked customer unless allowBlocked', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const c = await crm.customers.create({ name: 'Spammy Ltd', blocked: { reason: 'fraud' } });
      const error = await rejection(crm.deals.create({ title: 'x', pipelineId: p.id, customerId: c.id }));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ constraint: 'blocked', fields: ['customerId'], conflictingIds: [c.id] });
      expect(await crm.deals.count()).toBe(0);
      const d = await crm.deals.create({ title: 'x', pipelineId: p.id, customerId: c.id }, { allowBlocked: true });
      expect(d.customerId).toBe(c.id);
    });
  });

  describe('lead conversion', () => {
    it('converts a lead and opens a deal that inherits its campaign, atomically', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const lead = await crm.customers.create({ name: 'Ada', source: { channel: 'webinar', campaignId: 'cmp-1' } });
      const events = recordEvents(crm);
      const { customer, deal } = await crm.customers.convert(lead.id, { deal: { title: 'First order', pipelineId: p.id, value: { amount: 99_00, currency: 'EUR' } } });
      expect(customer).toMatchObject({ id: lead.id, lifecycle: 'customer', source: { channel: 'webinar', campaignId: 'cmp-1' }, version: 2 });
      expect(deal).toMatchObject({ customerId: lead.id, campaignId: 'cmp-1', source: 'webinar', stageId: 'lead', status: 'open' });
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['customer.updated', 'customer.converted', 'deal.created']));
      expect(events.find((e) => e.type === 'customer.converted')).toMatchObject({ from: 'lead', to: 'customer', dealId: deal?.id });
      const { items } = await crm.audit.find({ recordId: lead.id, action: 'convert' });
      expect(items).toHaveLength(1);
    });

    it('converts to a prospect without a deal', async () => {
      const crm = await ctx.crm();
      const lead = await crm.customers.create({ name: 'Ada' });
      const result = await crm.customers.convert(lead.id, { lifecycle: 'prospect' });
      expect(result.customer.lifecycle).toBe('prospect');
      expect(result.deal).toBeUndefined();
    });

    it('stores nothing when the deal is invalid', async () => {
      const crm = await ctx.crm();
      const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
      const lead = await crm.customers.create({ name: 'Ada' });
      const error = await rejection(crm.customers.convert(lead.id, { deal: { title: '', pipelineId: p.id } }));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]).toMatchObject({ path: ['deal', 'title'] });
      expect((await crm.customers.get(lead.id)).lifecycle).toBe('lead');
      expect(await crm.deals.count()).toBe(0);
    });

    it('refuses a customer that is not a lead with TransitionError', async () => {
      const crm = await ctx.crm();
      const c = await crm.customers.create({ name: 'Ada', lifecycle: 'customer' });
      const error = await rejection(crm.customers.convert(c.id, { lifecycle: 'prospect' }));
      expect(error).toBeInstanceOf(TransitionError);
      expect(error).toMatchObject({ from: 'customer', to: 'prospect', collection: 'customers', recordId: c.id });
    });
  });

  describe('sales reports', () => {
    it('pipelineSummary: count, value and weighted value per stage and currency', async () => {
      const crm = await ctx.crm();
      const { pipeline } = await seedSales(crm);
      const r = await crm.reports.pipelineSummary({ pipelineId: pipeline.id });
      expect(r.report).toBe('pipelineSummary');
      expect(r.rows.map((row) => [row.stageId, row.count, row.value, row.weightedValue])).toEqual([
        ['lead', 2, [usd(10005)], [usd(1001)]],
        ['proposal', 1, [usd(20001)], [usd(10001)]],
        ['negotiation', 2, [eur(30000), usd(15000)], [eur(24000), usd(12000)]],
        ['won', 3, [eur(80000), usd(150000)], [eur(80000), usd(150000)]],
        ['lost', 3, [eur(20000), usd(70000)], [eur(0), usd(0)]],
      ]);
      expect(r.totals).toEqual({
        count: 11,
        value: [eur(130000), usd(265006)],
        weightedValue: [eur(104000), usd(173002)],
        open: { count: 5, value: [eur(30000), usd(45006)], weightedValue: [eur(24000), usd(23002)] },
      });
    });

    it('forecast: won, pipeline, weighted, commit and best case per quarter', async () => {
      const crm = await ctx.crm();
      await seedSales(crm);
      const r = await crm.reports.forecast({ period: '2024', unit: 'quarter' });
      expect(r.rows.map((row) => row.period)).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
      expect(r.rows[0]).toMatchObject({ start: '2024-01-01T00:00:00.000Z', end: '2024-04-01T00:00:00.000Z', wonCount: 2, won: [eur(80000), usd(100000)], openCount: 0, commit: [eur(80000), usd(100000)] });
      expect(r.rows[1]).toMatchObject({ wonCount: 1, won: [usd(50000)], openCount: 3, pipeline: [usd(45006)], weighted: [usd(23002)], commit: [usd(65000)], bestCase: [usd(85001)] });
      expect(r.rows[2]).toMatchObject({ wonCount: 0, won: [], openCount: 1, pipeline: [eur(30000)], weighted: [eur(24000)], commit: [eur(30000)], bestCase: [eur(30000)] });
      expect(r.rows[3]).toMatchObject({ wonCount: 0, openCount: 0, won: [], pipeline: [] });
      expect(r.totals).toEqual({
        wonCount: 3,
        won: [eur(80000), usd(150000)],
        openCount: 4,
        pipeline: [eur(30000), usd(45006)],
        weighted: [eur(24000), usd(23002)],
        commit: [eur(110000), usd(165000)],
        bestCase: [eur(110000), usd(185001)],
      });
    });

    it('winRate: by count and by value, overall and per owner and team', async () => {
      const crm = await ctx.crm();
      await seedSales(crm);
      const overall = await crm.reports.winRate();
      expect(overall.totals).toEqual({ won: 3, lost: 3, closed: 6, rate: 0.5, wonValue: [eur(80000), usd(150000)], lostValue: [eur(20000), usd(70000)], valueRate: [{ currency: 'EUR', rate: 0.8 }, { currency: 'USD', rate: 150000 / 220000 }] });
      const byOwner = await crm.reports.winRate({ by: 'owner' });
      expect(byOwner.rows.map((r) => [r.key, r.won, r.lost, r.rate, r.valueRate])).toEqual([
        ['u-ann', 2, 1, 2 / 3, [{ currency: 'USD', rate: 150000 / 180000 }]],
        ['u-bob', 1, 1, 0.5, [{ currency: 'EUR', rate: 0.8 }]],
        ['u-cem', 0, 1, 0, [{ currency: 'USD', rate: 0 }]],
      ]);
      const byTeam = await crm.reports.winRate({ by: 'team' });
      expect(byTeam.rows.map((r) => [r.key, r.won, r.lost, r.rate])).toEqual([
        ['apac', 0, 1, 0],
        ['emea', 3, 2, 0.6],
      ]);
      const q1 = await crm.reports.winRate({ period: '2024-Q1' });
      expect(q1.totals).toMatchObject({ won: 2, lost: 2, rate: 0.5 });
    });

    it('salesCycle: mean and median days, won and lost', async () => {
      const crm = await ctx.crm();
      await seedSales(crm);
      const r = await crm.reports.salesCycle();
      expect(r.totals.won).toEqual({ count: 3, meanDays: 40, medianDays: 30, minDays: 20, maxDays: 70 });
      expect(r.totals.lost).toMatchObject({ count: 3, medianDays: 30, minDays: 10, maxDays: 40 });
      expect(r.totals.lost.meanDays).toBeCloseTo(80 / 3, 10);
      const byOwner = await crm.reports.salesCycle({ by: 'owner' });
      expect(byOwner.rows.map((row) => [row.key, row.won.meanDays, row.lost.meanDays])).toEqual([
        ['u-ann', 50, 10],
        ['u-bob', 20, 40],
        ['u-cem', null, 30],
      ]);
    });

    it('stageFunnel: reached, conversion to the next stage and days in stage', async () => {
      const crm = await ctx.crm();
      const { pipeline } = await seedSales(crm);
      const r = await crm.reports.stageFunnel({ pipelineId: pipeline.id });
      expect(r.rows.map((row) => [row.stageId, row.reached, row.entered, row.current, row.conversionToNext, row.avgDaysInStage])).toEqual([
        ['lead', 11, 9, 2, 6 / 11, 30],
        ['proposal', 6, 1, 1, 5 / 6, null],
        ['negotiation', 5, 2, 2, 3 / 5, null],
        ['won', 3, 3, 3, null, null],
        ['lost', 3, 3, 3, null, null],
      ]);
      expect(r.totals).toEqual({ deals: 11, open: 5, won: 3, lost: 3, conversion: 3 / 11 });
    });

    it('leaderboard: won value, deals won and activities per owner', async () => {
      const crm = await ctx.crm();
      await seedSales(crm);
      const r = await crm.reports.leaderboard();
      expect(r.rankCurrency).toBe('USD');
      expect(r.rows).toEqual([
        { rank: 1, ownerId: 'u-ann', wonValue: [usd(150000)], rankValue: usd(150000), dealsWon: 2, activities: 2 },
        { rank: 2, ownerId: 'u-bob', wonValue: [eur(80000)], rankValue: usd(0), dealsWon: 1, activities: 0 },
        { rank: 3, ownerId: 'u-cem', wonValue: [], rankValue: usd(0), dealsWon: 0, activities: 1 },
      ]);
      expect(r.totals).toEqual({ people: 3, wonValue: [eur(80000), usd(150000)], dealsWon: 3, activities: 3 });
    });

    it('quotaAttainment: won against targets per owner and period', async () => {
      const crm = await ctx.crm();
      await seedSales(crm);
      const r = await crm.reports.quotaAttainment({
        targets: [
          { ownerId: 'u-ann', period: '2024-Q1', target: usd(200000) },
          { ownerId: 'u-bob', period: '2024-Q1', target: eur(100000) },
          { ownerId: 'u-ann', period: '2024-Q2', target: usd(40000) },
          { ownerId: 'u-cem', period: '2024-Q2', target: usd(10000) },
        ],
      });
      expect(r.rows.map((row) => [row.ownerId, row.period, row.won, row.attainment, row.remaining])).toEqual([
        ['u-ann', '2024-Q1', usd(100000), 0.5, usd(100000)],
        ['u-bob', '2024-Q1', eur(80000), 0.8, eur(20000)],
        ['u-ann', '2024-Q2', usd(50000), 1.25, usd(0)],
        ['u-cem', '2024-Q2', usd(0), 0, usd(10000)],
      ]);
      expect(r.totals).toEqual({ target: [eur(100000), usd(250000)], won: [eur(80000), usd(150000)], attainment: [{ currency: 'EUR', rate: 0.8 }, { currency: 'USD', rate: 0.6 }] });
      const bad = await rejection(crm.reports.quotaAttainment({ targets: [{ ownerId: 'u-ann', period: 'Q1', target: usd(1) }] }));
      expect(bad).toBeInstanceOf(ValidationError);
      expect((bad as ValidationError).issues[0]).toMatchObject({ path: ['targets', 0, 'period'] });
    });

    it('filters by owner, team, currency and custom where', async () => {
      const crm = await ctx.crm();
      const { pipeline } = await seedSales(crm);
      expect((await crm.reports.winRate({ ownerIds: ['u-bob'] })).totals).toMatchObject({ won: 1, lost: 1 });
      expect((await crm.reports.winRate({ teamIds: ['emea'], currency: 'USD' })).totals).toMatchObject({ won: 2, lost: 1 });
      expect((await crm.reports.winRate({ where: { field: 'source', op: 'eq', value: 'web' } })).totals).toMatchObject({ won: 2, lost: 1 });
      expect((await crm.reports.pipelineSummary({ pipelineId: pipeline.id, status: 'open' })).totals.count).toBe(5);
    });

    it('respects the caller\'s read scope', async () => {
      const crm = await ctx.crm();
      const { pipeline } = await seedSales(crm);
      const apac = await asActor(crm, { id: 'u-mgr', roles: ['manager'], teamIds: ['apac'] });
      expect((await apac.reports.winRate()).totals).toMatchObject({ won: 0, lost: 1, closed: 1 });
      expect((await apac.reports.pipelineSummary({ pipelineId: pipeline.id })).totals.count).toBe(3);
      expect((await apac.reports.leaderboard()).rows).toEqual([]);
      const emea = await asActor(crm, { id: 'u-mgr2', roles: ['manager'], teamIds: ['emea'] });
      expect((await emea.reports.winRate()).totals).toMatchObject({ won: 3, lost: 2, closed: 5 });
      expect((await emea.reports.pipelineSummary({ pipelineId: pipeline.id })).totals.count).toBe(8);
      // The interactions carry no team, so they are outside this manager's scope: no activities.
      expect((await emea.reports.leaderboard()).rows.map((r) => [r.ownerId, r.dealsWon, r.activities])).toEqual([
        ['u-ann', 2, 0],
        ['u-bob', 1, 0],
      ]);
    });
  });
}
