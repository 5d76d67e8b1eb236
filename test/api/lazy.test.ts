import { describe, expect, it } from 'vitest';
import { createCrm } from 'rapport';
import { internalsOf } from '../../src/internal/internals';
import { directSession } from '../../src/engine/session';
import { makeRepository } from '../../src/api/repository';
import type { View } from '../../src/api/repository';
import {
  AUTOMATION_VERBS,
  DEAL_VERBS,
  INTERACTION_VERBS,
  PIPELINE_VERBS,
  REMINDER_VERBS,
  SEGMENT_VERBS,
  TICKET_VERBS,
  makeAutomations,
  makeDeals,
  makeInteractions,
  makePipelines,
  makeReminders,
  makeSearch,
  makeSegments,
  makeTickets,
} from '../../src/api/lazy';
import { makeAutomations as realAutomations } from '../../src/api/automations';
import { makeDeals as realDeals } from '../../src/api/deals';
import { makeInteractions as realInteractions } from '../../src/api/interactions';
import { makePipelines as realPipelines } from '../../src/api/pipelines';
import { makeReminders as realReminders } from '../../src/api/reminders';
import { makeSearch as realSearch } from '../../src/api/search';
import { makeSegments as realSegments } from '../../src/api/segments';
import { makeTickets as realTickets } from '../../src/api/tickets';

const CASES = [
  { collection: 'tickets', names: TICKET_VERBS, lazy: makeTickets, real: realTickets },
  { collection: 'deals', names: DEAL_VERBS, lazy: makeDeals, real: realDeals },
  { collection: 'pipelines', names: PIPELINE_VERBS, lazy: makePipelines, real: realPipelines },
  { collection: 'interactions', names: INTERACTION_VERBS, lazy: makeInteractions, real: realInteractions },
  { collection: 'segments', names: SEGMENT_VERBS, lazy: makeSegments, real: realSegments },
  { collection: 'automations', names: AUTOMATION_VERBS, lazy: makeAutomations, real: realAutomations },
] as const;

async function view(): Promise<View> {
  const crm = await createCrm();
  const internals = internalsOf(crm);
  if (!internals) throw new Error('no internals');
  return { engine: internals.engine, actor: internals.actor, session: directSession(internals.engine.storage) };
}

describe.each(CASES)('crm.$collection loaded on first use', ({ collection, names, lazy, real }) => {
  it('lists exactly the verbs its module adds to or overrides in the generic repository', async () => {
    const ctx = await view();
    const full = real(ctx) as unknown as Record<string, unknown>;
    const generic = makeRepository(ctx, ctx.engine.entity(collection)) as unknown as Record<string, unknown>;
    // A verb spread from the generic repository has the generic one's source; an own verb does not.
    const own = Object.keys(full).filter((k) => String(full[k]) !== String(generic[k]));
    expect([...names].sort()).toEqual(own.sort());
  });

  it('has every key of the full API object before anything is loaded', async () => {
    const ctx = await view();
    expect(Object.keys(lazy(ctx)).sort()).toEqual(Object.keys(real(ctx)).sort());
  });
});

describe('crm.reminders loaded on first use', () => {
  it('lists exactly the verbs of its module', async () => {
    const ctx = await view();
    expect([...REMINDER_VERBS].sort()).toEqual(Object.keys(realReminders(ctx)).sort());
    expect(Object.keys(makeReminders(ctx)).sort()).toEqual([...REMINDER_VERBS].sort());
  });
});

describe('crm.search loaded on first use', () => {
  it('answers and rejects as the search it loads', async () => {
    const crm = await createCrm();
    await crm.customers.create({ name: 'Ada Lovelace' });
    const internals = internalsOf(crm);
    if (!internals) throw new Error('no internals');
    const ctx: View = { engine: internals.engine, actor: internals.actor, session: directSession(internals.engine.storage) };
    expect(await makeSearch(ctx)('ada')).toEqual(await realSearch(ctx)('ada'));
    const error = await makeSearch(ctx)(42 as never).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ name: 'QueryError', path: ['text'] });
  });
});

describe('a lazily loaded verb', () => {
  it('passes arguments and results through, and rejects with the verb’s own error', async () => {
    const ctx = await view();
    const pipelines = makePipelines(ctx);
    const created = await pipelines.create({
      name: 'Sales',
      stages: [
        { id: 'open', name: 'Open', probability: 0.2, category: 'open' },
        { id: 'won', name: 'Won', probability: 1, category: 'won' },
        { id: 'lost', name: 'Lost', probability: 0, category: 'lost' },
      ],
    });
    const updated = await pipelines.addStage(created.id, { id: 'demo', name: 'Demo', probability: 0.5, category: 'open' }, { index: 1 });
    expect(updated.stages.map((s) => s.id)).toEqual(['open', 'demo', 'won', 'lost']);
    const deals = makeDeals(ctx);
    const error = await deals.moveToStage('missing', 'won').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'NotFoundError', collection: 'deals', recordId: 'missing' });
  });
});
