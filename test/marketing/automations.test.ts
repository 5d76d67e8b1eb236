// Automation rules: checked when added, run once after the triggering write by the
// authority's job, failures stored and reported, writes audited as automation:<ruleId>.
import { describe, expect, it } from 'vitest';
import { PermissionError, QueryError, ValidationError } from '../../src/index';
import type { Stage } from '../../src/index';
import { DAY, HOUR, rejection, world } from './helpers';

const STAGES: Stage[] = [
  { id: 'open', name: 'Open', probability: 0.5, category: 'open' },
  { id: 'won', name: 'Won', probability: 1, category: 'won' },
  { id: 'lost', name: 'Lost', probability: 0, category: 'lost' },
];

describe('crm.automations.add', () => {
  it('refuses an unknown trigger with a ValidationError at on', async () => {
    const crm = await world('2024-05-01T09:00:00Z').crm();
    const error = await rejection(crm.automations.add({ name: 'x', on: 'deal.exploded', do: [{ action: 'tag', tags: ['x'] }] }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ collection: 'automations', issues: [{ path: ['on'], code: 'invalid_value' }] });
  });

  it('checks every action against the record it writes', async () => {
    const crm = await world('2024-05-01T09:00:00Z').crm();
    const error = await rejection(
      crm.automations.add({
        name: 'x',
        on: 'deal.won',
        do: [
          { action: 'tag', tags: ['x'] },
          { action: 'update', patch: { stageId: 'won', nickname: 'y' } },
          { action: 'update', target: 'customer', patch: { lifecycle: 'champion' } },
          { action: 'assign' },
        ],
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => [i.path, i.code])).toEqual([
      [['do', 0, 'tags'], 'invalid_value'],
      [['do', 1, 'patch', 'stageId'], 'read_only'],
      [['do', 1, 'patch', 'nickname'], 'unrecognized_keys'],
      [['do', 2, 'patch', 'lifecycle'], 'invalid_value'],
      [['do', 3], 'invalid_value'],
    ]);
    expect(await crm.automations.count()).toBe(0);
  });

  it('refuses a bad filter with a QueryError, and a malformed action with schema paths', async () => {
    const crm = await world('2024-05-01T09:00:00Z').crm();
    const bad = await rejection(crm.automations.add({ name: 'x', on: 'customer.created', where: { field: 'tier', op: 'near', value: 1 } as never, do: [{ action: 'tag', tags: ['x'] }] }));
    expect(bad).toBeInstanceOf(QueryError);
    expect((bad as QueryError).path[0]).toBe('where');
    const malformed = await rejection(crm.automations.add({ name: 'x', on: 'customer.created', do: [{ action: 'planInteraction', type: 'fax', subject: 'x', in: { days: 1 } } as never] }));
    expect(malformed).toBeInstanceOf(ValidationError);
    expect((malformed as ValidationError).issues[0]?.path.slice(0, 3)).toEqual(['do', 0, 'type']);
  });

  it('refuses a rule whose author could not make its writes on every record', async () => {
    const crm = await world('2024-05-01T09:00:00Z').crm();
    const editor = crm.as({ id: 'u-ed', roles: ['editor'] });
    // Editors update anything but may not assign.
    const error = await rejection(editor.automations.add({ name: 'x', on: 'ticket.opened', do: [{ action: 'assign', assigneeId: 'u-lead' }] }));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ actorId: 'u-ed', action: 'assign', collection: 'tickets' });
    await editor.automations.add({ name: 'ok', on: 'customer.created', do: [{ action: 'tag', tags: ['new'] }] });
    const contributor = crm.as({ id: 'u-co', roles: ['contributor'] });
    expect(await rejection(contributor.automations.add({ name: 'x', on: 'customer.created', do: [{ action: 'tag', tags: ['new'] }] }))).toBeInstanceOf(PermissionError);
  });
});

describe('the automation job', () => {
  async function setup() {
    const w = world('2024-05-01T09:00:00Z');
    const crm = await w.crm();
    const pipeline = await crm.pipelines.create({ name: 'Sales', stages: STAGES });
    const workers = crm.startWorkers({ autoStart: false });
    return { w, crm, pipeline, workers };
  }

  it('runs a deal.won rule whose filter matches, after the write, with the record owner as assignee', async () => {
    const { w, crm, pipeline, workers } = await setup();
    const rule = await crm.automations.add({
      name: 'Thank big buyers',
      on: 'deal.won',
      where: { field: 'value.amount', op: 'gte', value: 1_000_000 },
      do: [
        { action: 'planInteraction', type: 'call', subject: 'Thank-you call', in: { days: 2 }, remindBefore: { hours: 1 } },
        { action: 'tag', target: 'customer', tags: ['buyer'] },
      ],
    });
    const acme = await crm.customers.create({ name: 'Acme', tags: ['b2b'] });
    const big = await crm.deals.create({ title: 'Big', pipelineId: pipeline.id, customerId: acme.id, value: { amount: 2_000_000, currency: 'EUR' }, ownerId: 'u-ann' });
    const small = await crm.deals.create({ title: 'Small', pipelineId: pipeline.id, customerId: acme.id, value: { amount: 10_000, currency: 'EUR' }, ownerId: 'u-ann' });
    await crm.deals.win(big.id);
    await crm.deals.win(small.id);
    // Nothing runs until the authority's job reads the change feed.
    expect(w.of('automation.ran')).toEqual([]);
    w.advance(HOUR);
    await workers.tick();
    await workers.tick();
    expect(w.of('automation.ran')).toMatchObject([{ ruleId: rule.id, event: 'deal.won', collection: 'deals', recordId: big.id, writes: [{ collection: 'interactions', op: 'create' }, { collection: 'customers', id: acme.id, op: 'update' }] }]);
    const [call] = (await crm.interactions.find({ where: { field: 'dealId', op: 'eq', value: big.id } })).items;
    expect(call).toMatchObject({ customerId: acme.id, subject: 'Thank-you call', assigneeId: 'u-ann', dueAt: new Date(Date.parse('2024-05-01T09:00:00Z') + 2 * DAY).toISOString(), remindAt: new Date(Date.parse('2024-05-01T09:00:00Z') + 2 * DAY - HOUR).toISOString() });
    expect((await crm.customers.get(acme.id)).tags).toEqual(['b2b', 'buyer']);
    const entries = await crm.audit.find({ recordId: acme.id, actorId: `automation:${rule.id}` });
    expect(entries.items.map((e) => e.action)).toEqual(['update']);
  });

  it('assigns an opened complaint through the ticket verb, emitting ticket.assigned', async () => {
    const { w, crm, workers } = await setup();
    await crm.automations.add({ name: 'Route complaints', on: 'ticket.opened', where: { field: 'kind', op: 'eq', value: 'complaint' }, do: [{ action: 'assign', assigneeId: 'u-lead', teamId: 'care' }] });
    const c = await crm.customers.create({ name: 'Ada' });
    const complaint = await crm.tickets.open({ subject: 'Broken', customerId: c.id, kind: 'complaint' });
    await crm.tickets.open({ subject: 'Question', customerId: c.id });
    await workers.tick();
    expect(await crm.tickets.get(complaint.id)).toMatchObject({ assigneeId: 'u-lead', teamId: 'care' });
    expect(w.of('ticket.assigned').map((e) => [e['actorId'], (e['record'] as { id: string }).id])).toHaveLength(1);
    expect(w.of('automation.ran')).toHaveLength(1);
  });

  it('stores and reports a failing run once, writing nothing of it', async () => {
    const { w, crm, pipeline, workers } = await setup();
    const rule = await crm.automations.add({ name: 'Call', on: 'deal.created', do: [{ action: 'tag', target: 'customer', tags: ['prospect'] }] });
    const orphan = await crm.deals.create({ title: 'No customer yet', pipelineId: pipeline.id });
    await workers.tick();
    await workers.tick();
    expect(w.of('automation.ran')).toEqual([]);
    expect(w.of('automation.failed')).toEqual([
      expect.objectContaining({ type: 'automation.failed', ruleId: rule.id, ruleName: 'Call', event: 'deal.created', recordId: orphan.id, error: { name: 'ValidationError', code: 'validation_failed', message: expect.stringContaining('has no customer') } }),
    ]);
    const runs = await crm.automations.runs({ status: 'failed' });
    expect(runs.items).toMatchObject([{ ruleId: rule.id, recordId: orphan.id, status: 'failed', writes: [], error: { name: 'ValidationError' } }]);
  });

  it('does not trigger rules with its own writes, nor run a disabled rule', async () => {
    const { w, crm, workers } = await setup();
    const tagger = await crm.automations.add({ name: 'Tag on update', on: 'customer.updated', do: [{ action: 'tag', tags: ['seen'] }] });
    const c = await crm.customers.create({ name: 'Ada' });
    await crm.customers.update(c.id, { tier: 'vip' });
    await workers.tick();
    await workers.tick();
    expect(w.of('automation.ran')).toHaveLength(1);
    await crm.automations.disable(tagger.id);
    await crm.customers.update(c.id, { tier: 'gold' });
    await workers.tick();
    expect(w.of('automation.ran')).toHaveLength(1);
    expect((await crm.customers.get(c.id)).tags).toEqual(['seen']);
  });

  it('runs a rule added later only for changes stored after it', async () => {
    const { w, crm, workers } = await setup();
    await crm.customers.create({ name: 'Before' });
    await crm.automations.add({ name: 'New', on: 'customer.created', do: [{ action: 'tag', tags: ['new'] }] });
    const after = await crm.customers.create({ name: 'After' });
    await workers.tick();
    expect(w.of('automation.ran').map((e) => e['recordId'])).toEqual([after.id]);
  });
});
