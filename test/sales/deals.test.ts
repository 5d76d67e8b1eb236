// Deals on the memory adapter with a fake clock: stage history under any sequence of verbs,
// corrections, batches, pipeline moves.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TransitionError, ValidationError, createCrm } from '../../src/index';
import type { Crm, Deal } from '../../src/index';
import { STAGES } from '../conformance/crm/sales';

async function setup(): Promise<{ crm: Crm; pipelineId: string; advance: (ms: number) => void; iso: () => string }> {
  let now = Date.parse('2024-05-01T09:00:00Z');
  const crm = (await createCrm({ clock: () => now, actor: { id: 'u-admin', roles: ['admin'] } })) as unknown as Crm;
  const p = await crm.pipelines.create({ name: 'P', stages: STAGES });
  return { crm, pipelineId: p.id, advance: (ms) => (now += ms), iso: () => new Date(now).toISOString() };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function consistent(deal: Deal): void {
  const h = deal.stageHistory;
  expect(h.length).toBeGreaterThan(0);
  expect(h[0]?.enteredAt).toBe(deal.openedAt);
  for (let i = 0; i < h.length - 1; i++) expect(h[i]?.leftAt).toBe(h[i + 1]?.enteredAt);
  expect(h[h.length - 1]?.leftAt).toBeUndefined();
  expect(h[h.length - 1]?.stageId).toBe(deal.stageId);
  const category = STAGES.find((s) => s.id === deal.stageId)?.category;
  expect(deal.status).toBe(category);
  if (deal.status === 'open') expect(deal.closedAt).toBeUndefined();
  else expect(deal.closedAt).toBe(h[h.length - 1]?.enteredAt);
}

describe('deals', () => {
  it('keeps a consistent stage history under any sequence of verbs', async () => {
    const verbs = fc.array(fc.oneof(fc.constant('win'), fc.constant('lose'), fc.constant('reopen'), fc.constantFrom('lead', 'proposal', 'negotiation', 'won', 'lost')), { maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(verbs, fc.array(fc.integer({ min: 0, max: 5 * 86_400_000 }), { minLength: 12, maxLength: 12 }), async (steps, gaps) => {
        const { crm, pipelineId, advance } = await setup();
        let deal = await crm.deals.create({ title: 'x', pipelineId });
        for (const [i, step] of steps.entries()) {
          advance(gaps[i] as number);
          try {
            if (step === 'win') deal = await crm.deals.win(deal.id);
            else if (step === 'lose') deal = await crm.deals.lose(deal.id, { reason: 'r' });
            else if (step === 'reopen') deal = await crm.deals.reopen(deal.id);
            else deal = await crm.deals.moveToStage(deal.id, step);
          } catch (error) {
            // Refused transitions must be TransitionErrors and change nothing.
            expect(error).toBeInstanceOf(TransitionError);
            expect(await crm.deals.get(deal.id)).toEqual(deal);
          }
          consistent(deal);
        }
        await crm.close();
      }),
      { numRuns: 40 },
    );
  });

  it('moves a corrected openedAt into the first stay, and refuses one after the deal left it', async () => {
    const { crm, pipelineId, advance } = await setup();
    const d = await crm.deals.create({ title: 'x', pipelineId, openedAt: '2024-04-01T00:00:00Z' });
    const fixed = await crm.deals.update(d.id, { openedAt: '2024-03-15T00:00:00Z' });
    expect(fixed.stageHistory[0]?.enteredAt).toBe('2024-03-15T00:00:00.000Z');
    advance(1000);
    await crm.deals.moveToStage(d.id, 'proposal');
    const error = await caught(crm.deals.update(d.id, { openedAt: '2024-06-01T00:00:00Z' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ issues: [{ path: ['openedAt'], code: 'invalid_value' }] });
  });

  it('refuses a win dated before the deal entered its stage', async () => {
    const { crm, pipelineId } = await setup();
    const d = await crm.deals.create({ title: 'x', pipelineId, openedAt: '2024-04-01T00:00:00Z' });
    const error = await caught(crm.deals.win(d.id, { closedAt: '2024-03-01T00:00:00Z' }));
    expect(error).toMatchObject({ name: 'ValidationError', issues: [{ path: ['closedAt'] }] });
    const won = await crm.deals.win(d.id, { closedAt: '2024-04-20T00:00:00Z' });
    expect(won).toMatchObject({ closedAt: '2024-04-20T00:00:00.000Z', openedAt: '2024-04-01T00:00:00.000Z' });
  });

  it('reopens into the last open stage it was in, or the one asked', async () => {
    const { crm, pipelineId } = await setup();
    const d = await crm.deals.create({ title: 'x', pipelineId, stageId: 'negotiation' });
    await crm.deals.lose(d.id, { reason: 'budget' });
    expect((await crm.deals.reopen(d.id)).stageId).toBe('negotiation');
    await crm.deals.win(d.id);
    expect((await crm.deals.reopen(d.id, { stageId: 'proposal' })).stageId).toBe('proposal');
    await crm.deals.win(d.id);
    const error = await caught(crm.deals.reopen(d.id, { stageId: 'won' }));
    expect(error).toMatchObject({ name: 'ValidationError', issues: [{ path: ['stageId'], message: 'stage "won" is won, not open' }] });
  });

  it('moves a deal into another pipeline', async () => {
    const { crm, pipelineId } = await setup();
    const other = await crm.pipelines.create({ name: 'Renewals', stages: [{ id: 'due', name: 'Due', probability: 0.7, category: 'open' }, { id: 'renewed', name: 'Renewed', probability: 1, category: 'won' }, { id: 'churned', name: 'Churned', probability: 0, category: 'lost' }] });
    const d = await crm.deals.create({ title: 'x', pipelineId });
    const events: unknown[] = [];
    crm.on('deal.stageChanged', (e) => events.push(e));
    const moved = await crm.deals.moveToStage(d.id, 'due', { pipelineId: other.id });
    expect(moved).toMatchObject({ pipelineId: other.id, stageId: 'due', status: 'open' });
    expect(events).toEqual([expect.objectContaining({ from: 'lead', to: 'due', fromPipelineId: pipelineId, toPipelineId: other.id })]);
    expect((await crm.deals.win(d.id)).stageId).toBe('renewed');
  });

  it('writes deals and a conversion atomically inside a batch', async () => {
    const { crm, pipelineId } = await setup();
    const lead = await crm.customers.create({ name: 'Ada' });
    await expect(
      crm.batch(async (tx) => {
        await tx.customers.convert(lead.id, { deal: { title: 'First', pipelineId } });
        await tx.deals.create({ title: 'Second', pipelineId, customerId: lead.id });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await crm.customers.get(lead.id)).lifecycle).toBe('lead');
    expect(await crm.deals.count()).toBe(0);
    const result = await crm.batch(async (tx) => {
      const converted = await tx.customers.convert(lead.id, { deal: { title: 'First', pipelineId } });
      return tx.deals.win(converted.deal!.id);
    });
    expect(result.status).toBe('won');
    expect(await crm.deals.count({ field: 'status', op: 'eq', value: 'won' })).toBe(1);
  });

  it('refuses pointing a deal at a blocked customer through update', async () => {
    const { crm, pipelineId } = await setup();
    const blocked = await crm.customers.create({ name: 'B', blocked: { reason: 'fraud' } });
    const d = await crm.deals.create({ title: 'x', pipelineId });
    const error = await caught(crm.deals.update(d.id, { customerId: blocked.id }));
    expect(error).toMatchObject({ name: 'ConstraintError', constraint: 'blocked', conflictingIds: [blocked.id] });
    expect((await crm.deals.update(d.id, { customerId: blocked.id }, { allowBlocked: true })).customerId).toBe(blocked.id);
  });

  it('upserts deals by externalId without touching their stage', async () => {
    const { crm, pipelineId } = await setup();
    const first = await crm.deals.upsert({ title: 'x', pipelineId, externalId: 'opp-1', stageId: 'proposal' });
    expect(first).toMatchObject({ created: true, record: { stageId: 'proposal' } });
    const again = await crm.deals.upsert({ title: 'y', pipelineId, externalId: 'opp-1', stageId: 'won' });
    expect(again).toMatchObject({ created: false, record: { title: 'y', stageId: 'proposal', version: 2 } });
  });
});
