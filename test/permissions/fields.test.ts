/**
 * Field-level security: sensitive fields (built-in ones through `sensitiveFields`, custom ones
 * with `sensitive: true`) and a custom role's `hiddenFields` / `readOnlyFields`, wherever a
 * record reaches a caller — get, find, watch, events — and in filters, ordering and search.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QueryError } from '../../src/index';
import type { Actor, Crm, CrmOptions, Customer } from '../../src/index';
import { ADMIN, allAudit, eventually, expectPermissionError, fakeClock, makeCrm, rejection, versions } from './helpers';

const VIEWER: Actor = { id: 'u-viewer', roles: ['viewer'] };
const CONTRIBUTOR: Actor = { id: 'u-contrib', roles: ['contributor'] };
const EDITOR: Actor = { id: 'u-editor', roles: ['editor'] };
const MANAGER: Actor = { id: 'u-manager', roles: ['manager'], teamIds: ['team-a'] };
const AUDITOR: Actor = { id: 'u-auditor', roles: ['auditor'] };
const CLERK: Actor = { id: 'u-clerk', roles: ['clerk'] };

const CUSTOM_FIELDS = {
  customers: {
    creditLimit: { type: 'number', sensitive: true },
    segment: { type: 'select', options: ['smb', 'enterprise'] },
  },
  interactions: { score: { type: 'number', sensitive: true } },
} as const;

const ROLES: NonNullable<CrmOptions['roles']> = {
  auditor: { grants: { '*': { read: 'all' } }, hiddenFields: { customers: ['tier', 'custom.segment'] } },
  clerk: { grants: { '*': { read: 'all', create: 'all', update: 'all' } }, readOnlyFields: { customers: ['tier', 'custom.creditLimit'] } },
};

type C = typeof CUSTOM_FIELDS;
const open: Crm<C>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function setUp(): Promise<{ crm: Crm<C>; ada: Customer<{ creditLimit?: number; segment?: 'smb' | 'enterprise' }>; callId: string }> {
  const { clock } = fakeClock();
  const crm = await makeCrm({
    clock,
    customFields: CUSTOM_FIELDS,
    roles: ROLES,
    sensitiveFields: { customers: ['notes', 'phones'], interactions: ['body'] },
  });
  open.push(crm);
  const ada = await crm.customers.create({
    name: 'Ada Lovelace',
    tier: 'gold',
    notes: 'Met her in Zanzibar last spring',
    phones: [{ number: '+44 20 7946 0018' }],
    emails: [{ address: 'ada@example.com' }],
    teamId: 'team-a',
    custom: { creditLimit: 5000, segment: 'enterprise' },
  });
  const call = await crm.interactions.log({ type: 'call', customerId: ada.id, subject: 'Quarterly review', body: 'Discussed the Kilimanjaro expansion', custom: { score: 7 } });
  return { crm, ada, callId: call.id };
}

const SENSITIVE_CUSTOMER = ['notes', 'phones'];

function expectMaskedCustomer(record: Record<string, unknown>): void {
  for (const f of SENSITIVE_CUSTOMER) expect(record).not.toHaveProperty(f);
  expect(record['custom']).not.toHaveProperty('creditLimit');
  expect(record).toMatchObject({ name: 'Ada Lovelace', tier: 'gold', custom: { segment: 'enterprise' } });
}

function expectFullCustomer(record: Record<string, unknown>): void {
  expect(record).toMatchObject({ notes: 'Met her in Zanzibar last spring', phones: [{ number: '+44 20 7946 0018' }], custom: { creditLimit: 5000, segment: 'enterprise' } });
}

describe('sensitive fields', () => {
  it.each([VIEWER, CONTRIBUTOR])('are hidden from a $roles.0 in get, getMany and find', async (actor) => {
    const { crm, ada, callId } = await setUp();
    const view = crm.as(actor);
    expectMaskedCustomer((await view.customers.get(ada.id)) as never);
    expectMaskedCustomer((await view.customers.getMany([ada.id]))[0] as never);
    const page = await view.customers.find({});
    expect(page.items).toHaveLength(1);
    expectMaskedCustomer(page.items[0] as never);
    const call = (await view.interactions.get(callId)) as unknown as Record<string, unknown>;
    expect(call).not.toHaveProperty('body');
    expect(call['custom']).not.toHaveProperty('score');
    expect(call).toMatchObject({ subject: 'Quarterly review' });
    const timeline = await view.customers.timeline(ada.id);
    expect(timeline.items[0]).not.toHaveProperty('body');
  });

  it.each([EDITOR, MANAGER, ADMIN])('are visible to a $roles.0', async (actor) => {
    const { crm, ada } = await setUp();
    expectFullCustomer((await crm.as(actor).customers.get(ada.id)) as never);
    expectFullCustomer((await crm.as(actor).customers.find({})).items[0] as never);
  });

  it('are visible to an actor holding viewer and editor: roles grant, never take away', async () => {
    const { crm, ada } = await setUp();
    const both = crm.as({ id: 'u-both', roles: ['viewer', 'editor'] });
    expectFullCustomer((await both.customers.get(ada.id)) as never);
    expect(both.readableFields('customers')).toEqual(expect.arrayContaining(['notes', 'phones', 'custom.creditLimit']));
  });

  it('are masked on a copy: what a viewer reads leaves the stored record whole', async () => {
    const { crm, ada } = await setUp();
    await crm.as(VIEWER).customers.get(ada.id);
    await crm.as(VIEWER).customers.find({});
    expectFullCustomer((await crm.customers.get(ada.id)) as never);
    expect((await crm.customers.find({ search: 'zanzibar' })).items).toHaveLength(1);
  });

  it('are hidden from a viewer in a watch snapshot, also after an update', async () => {
    const { crm, ada } = await setUp();
    const live = crm.as(VIEWER).customers.watch({});
    try {
      const first = await live.ready;
      expect(first.status).toBe('ready');
      expectMaskedCustomer(first.items[0] as never);
      await crm.customers.update(ada.id, { notes: 'Now in Lisbon', custom: { creditLimit: 9000 } });
      await eventually(() => expect(live.getSnapshot().items[0]?.version).toBe(2));
      const item = live.getSnapshot().items[0] as unknown as Record<string, unknown>;
      expect(item).not.toHaveProperty('notes');
      expect(item['custom']).not.toHaveProperty('creditLimit');
    } finally {
      live();
    }
  });

  it('are masked in events a viewer listens to, including changes of *.updated and the * stream', async () => {
    const { crm, ada } = await setUp();
    const viewerEvents: Record<string, unknown>[] = [];
    const viewerAll: Record<string, unknown>[] = [];
    const adminEvents: Record<string, unknown>[] = [];
    crm.as(VIEWER).on('customer.updated', (e) => viewerEvents.push(e as never));
    crm.as(VIEWER).on('*', (e) => viewerAll.push(e as never));
    crm.on('customer.updated', (e) => adminEvents.push(e as never));
    await crm.customers.update(ada.id, { notes: 'Moved to Lisbon', tier: 'platinum', phones: [{ number: '+351 21 000 0000' }], custom: { creditLimit: 7000 } });
    expect(viewerEvents).toHaveLength(1);
    const e = viewerEvents[0]!;
    expect(e['changes']).toEqual({ tier: ['gold', 'platinum'] });
    expect(e['record']).not.toHaveProperty('notes');
    expect(e['record']).not.toHaveProperty('phones');
    expect((e['record'] as Record<string, unknown>)['custom']).not.toHaveProperty('creditLimit');
    const star = viewerAll.find((x) => x['type'] === 'customer.updated')!;
    expect(star['changes']).toEqual({ tier: ['gold', 'platinum'] });
    expect(star['record']).not.toHaveProperty('notes');
    expect(adminEvents[0]!['changes']).toEqual({
      notes: ['Met her in Zanzibar last spring', 'Moved to Lisbon'],
      tier: ['gold', 'platinum'],
      phones: [[{ number: '+44 20 7946 0018' }], [{ number: '+351 21 000 0000' }]],
      'custom.creditLimit': [5000, 7000],
    });
    expect((adminEvents[0]!['record'] as Record<string, unknown>)['notes']).toBe('Moved to Lisbon');
  });

  it('are masked in created and deleted events a contributor listens to', async () => {
    const { crm } = await setUp();
    const seen: Record<string, unknown>[] = [];
    crm.as(CONTRIBUTOR).on('customer.created', (e) => seen.push(e as never));
    crm.as(CONTRIBUTOR).on('customer.deleted', (e) => seen.push(e as never));
    const bob = await crm.customers.create({ name: 'Bob', notes: 'secret', custom: { creditLimit: 1 } });
    await crm.customers.delete(bob.id);
    expect(seen.map((e) => e['type'])).toEqual(['customer.created', 'customer.deleted']);
    for (const e of seen) {
      expect(e['record']).not.toHaveProperty('notes');
      expect((e['record'] as Record<string, unknown>)['custom']).not.toHaveProperty('creditLimit');
    }
  });

  it.each([
    ['a sensitive built-in field', { field: 'notes', op: 'contains', value: 'Zanzibar' }],
    ['a path inside a sensitive field', { field: 'phones.number', op: 'eq', value: '+44 20 7946 0018' }],
    ['a sensitive custom field', { field: 'custom.creditLimit', op: 'gt', value: 100 }],
    ['a sensitive field nested in or/not', { or: [{ field: 'name', op: 'eq', value: 'x' }, { not: { field: 'notes', op: 'exists', value: true } }] }],
  ] as const)('refuse a viewer filtering on %s with PermissionError', async (_label, where) => {
    const { crm } = await setUp();
    const view = crm.as(VIEWER);
    await expectPermissionError(view.customers.find({ where: where as never }), { actorId: 'u-viewer', action: 'read', collection: 'customers', recordId: undefined });
    await expectPermissionError(view.customers.count(where as never), { actorId: 'u-viewer', action: 'read', collection: 'customers', recordId: undefined });
    // An admin may filter on it.
    expect((await crm.customers.find({ where: where as never })).items.length).toBeGreaterThanOrEqual(0);
  });

  it('refuses a viewer ordering by a sensitive field with PermissionError', async () => {
    const { crm } = await setUp();
    await expectPermissionError(crm.as(VIEWER).customers.find({ orderBy: [{ field: 'custom.creditLimit', direction: 'desc' }] }), {
      actorId: 'u-viewer',
      action: 'read',
      collection: 'customers',
      recordId: undefined,
    });
    await expectPermissionError(crm.as(CONTRIBUTOR).customers.find({ orderBy: [{ field: 'notes' }] }), { actorId: 'u-contrib', action: 'read', collection: 'customers', recordId: undefined });
    await expect(crm.customers.find({ orderBy: [{ field: 'custom.creditLimit', direction: 'desc' }] })).resolves.toMatchObject({ items: [{ name: 'Ada Lovelace' }] });
  });

  it('refuses a watch filtering on a sensitive field (snapshot status error, PermissionError)', async () => {
    const { crm } = await setUp();
    const live = crm.as(VIEWER).customers.watch({ where: { field: 'notes', op: 'exists', value: true } });
    try {
      const snap = await live.ready;
      expect(snap.status).toBe('error');
      expect(snap.items).toEqual([]);
      expect((snap.error as Error).name).toBe('PermissionError');
    } finally {
      live();
    }
  });

  it('cannot be reached through the internal search tokens: filtering on _tokens is a QueryError', async () => {
    const { crm } = await setUp();
    const error = await rejection(crm.as(VIEWER).customers.find({ where: { field: '_tokens', op: 'startsWith', value: 'x' } }));
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).path).toEqual(['where', 'field']);
  });

  it('are not searched through: a viewer searching a word of the notes finds nothing, an admin finds it', async () => {
    const { crm, ada } = await setUp();
    for (const search of ['zanzibar', 'Zanzib', '7946 0018']) {
      expect((await crm.as(VIEWER).customers.find({ search, total: true })).total).toBe(0);
      expect((await crm.as(CONTRIBUTOR).customers.find({ search })).items).toEqual([]);
      expect((await crm.customers.find({ search })).items.map((c) => c.id)).toEqual([ada.id]);
      expect((await crm.as(EDITOR).customers.find({ search })).items.map((c) => c.id)).toEqual([ada.id]);
    }
    // Readable fields are still searched.
    expect((await crm.as(VIEWER).customers.find({ search: 'lovelace' })).items.map((c) => c.id)).toEqual([ada.id]);
    expect((await crm.as(VIEWER).customers.find({ search: 'ada@example.com' })).items.map((c) => c.id)).toEqual([ada.id]);
    // A hidden body is not searched on interactions either; the subject is.
    expect((await crm.as(VIEWER).interactions.find({ search: 'kilimanjaro' })).items).toEqual([]);
    expect((await crm.interactions.find({ search: 'kilimanjaro' })).items).toHaveLength(1);
    expect((await crm.as(VIEWER).interactions.find({ search: 'quarterly' })).items).toHaveLength(1);
  });

  it('are left out of crm.readableFields() for a viewer and a contributor, and listed for an admin', async () => {
    const { crm } = await setUp();
    for (const actor of [VIEWER, CONTRIBUTOR]) {
      const fields = crm.as(actor).readableFields('customers');
      for (const f of ['notes', 'phones', 'custom.creditLimit']) expect(fields).not.toContain(f);
      expect(fields).toEqual(expect.arrayContaining(['id', 'version', 'name', 'tier', 'emails', 'ownerId', 'teamId', 'custom.segment']));
      expect(crm.as(actor).readableFields('interactions')).not.toContain('body');
      expect(crm.as(actor).readableFields('interactions')).not.toContain('custom.score');
    }
    expect(crm.readableFields('customers')).toEqual(expect.arrayContaining(['notes', 'phones', 'custom.creditLimit', 'custom.segment', 'name']));
    expect(crm.readableFields('interactions')).toEqual(expect.arrayContaining(['body', 'custom.score', 'assigneeId']));
  });
});

describe('what write verbs return', () => {
  // "fields the role cannot read — removed from everything it receives" (ARCHITECTURE.md).
  it.each([
    ['update', (c: Crm<C>, id: string) => c.customers.update(id, { tier: 'platinum' })],
    ['updateMany', async (c: Crm<C>, id: string) => (await c.customers.updateMany([{ id, patch: { tier: 'platinum' } }]))[0]],
    ['upsert of an existing record', async (c: Crm<C>) => (await c.customers.upsert({ name: 'Ada Lovelace', externalId: 'ext-ada', tier: 'platinum' })).record],
  ] as const)('a contributor gets no sensitive field back from %s of its own customer', async (_verb, write) => {
    const { crm, ada } = await setUp();
    await crm.customers.update(ada.id, { ownerId: 'u-contrib', externalId: 'ext-ada' });
    const returned = (await write(crm.as(CONTRIBUTOR), ada.id)) as unknown as Record<string, unknown>;
    expect(returned).toMatchObject({ id: ada.id, tier: 'platinum' });
    expect(returned).not.toHaveProperty('notes');
    expect(returned).not.toHaveProperty('phones');
    expect(returned['custom']).not.toHaveProperty('creditLimit');
  });

  it('a contributor gets no sensitive field back from completing its own planned interaction', async () => {
    const { crm, ada } = await setUp();
    const planned = await crm.interactions.plan({ type: 'task', customerId: ada.id, dueAt: '2024-06-01T10:00:00Z', body: 'Ask about the Kilimanjaro deal', custom: { score: 3 }, assigneeId: 'u-contrib' });
    const done = (await crm.as(CONTRIBUTOR).interactions.complete(planned.id, { outcome: 'successful' })) as unknown as Record<string, unknown>;
    expect(done).toMatchObject({ status: 'done', outcome: 'successful' });
    expect(done).not.toHaveProperty('body');
    expect(done['custom']).not.toHaveProperty('score');
  });

  it('a contributor gets no sensitive default or stored field back from create', async () => {
    const { crm } = await setUp();
    const created = (await crm.as(CONTRIBUTOR).customers.create({ name: 'Carl', notes: 'typed by me', custom: { creditLimit: 3 } })) as unknown as Record<string, unknown>;
    expect(created).toMatchObject({ name: 'Carl', ownerId: 'u-contrib' });
    expect(created).not.toHaveProperty('notes');
    expect(created).not.toHaveProperty('phones');
    expect(created['custom']).not.toHaveProperty('creditLimit');
  });
});

describe('the whole custom object', () => {
  // A hidden custom.x must not be probed through its parent object.
  it('refuses a viewer filtering on custom as a whole when a custom field is hidden', async () => {
    const { crm } = await setUp();
    await expectPermissionError(crm.as(VIEWER).customers.find({ where: { field: 'custom', op: 'eq', value: { creditLimit: 5000, segment: 'enterprise' } } }), {
      actorId: 'u-viewer',
      action: 'read',
      collection: 'customers',
      recordId: undefined,
    });
  });

  it('refuses a viewer ordering by custom as a whole when a custom field is hidden', async () => {
    const { crm } = await setUp();
    await expectPermissionError(crm.as(VIEWER).customers.find({ orderBy: [{ field: 'custom' }] }), { actorId: 'u-viewer', action: 'read', collection: 'customers', recordId: undefined });
  });
});

describe('a custom role with hiddenFields', () => {
  it('does not receive the hidden fields, and may not filter on them', async () => {
    const { crm, ada } = await setUp();
    const view = crm.as(AUDITOR);
    const got = (await view.customers.get(ada.id)) as unknown as Record<string, unknown>;
    expect(got).not.toHaveProperty('tier');
    expect(got['custom']).toEqual({ creditLimit: 5000 });
    // Not readsSensitive: false, so sensitive fields stay visible to it.
    expect(got['notes']).toBe('Met her in Zanzibar last spring');
    await expectPermissionError(view.customers.find({ where: { field: 'tier', op: 'eq', value: 'gold' } }), { actorId: 'u-auditor', action: 'read', collection: 'customers', recordId: undefined });
    await expectPermissionError(view.customers.find({ orderBy: [{ field: 'custom.segment' }] }), { actorId: 'u-auditor', action: 'read', collection: 'customers', recordId: undefined });
    expect(view.readableFields('customers')).not.toContain('tier');
    expect(view.readableFields('customers')).not.toContain('custom.segment');
    expect(view.readableFields('customers')).toContain('custom.creditLimit');
  });
});

describe('a custom role with readOnlyFields', () => {
  it('may write the other fields', async () => {
    const { crm, ada } = await setUp();
    const updated = await crm.as(CLERK).customers.update(ada.id, { name: 'Ada King', custom: { segment: 'smb' } });
    expect(updated).toMatchObject({ name: 'Ada King', version: 2, tier: 'gold', custom: { segment: 'smb', creditLimit: 5000 } });
  });

  it.each([
    ['a read-only field', { tier: 'platinum' }, 'tier'],
    ['a read-only custom field through a nested patch', { custom: { creditLimit: 1 } }, 'custom.creditLimit'],
    ['a read-only field removed with null', { tier: null }, 'tier'],
  ] as const)('refuses updating %s with PermissionError, storing nothing', async (_label, patch, field) => {
    const { crm, ada } = await setUp();
    const before = await versions(crm, 'customers');
    const error = await expectPermissionError(crm.as(CLERK).customers.update(ada.id, { name: 'Ada King', ...patch } as never), {
      actorId: 'u-clerk',
      action: 'update',
      collection: 'customers',
      recordId: ada.id,
    });
    expect(error.reason).toContain(field);
    expect(await versions(crm, 'customers')).toEqual(before);
    expect(await crm.customers.get(ada.id)).toMatchObject({ name: 'Ada Lovelace', tier: 'gold', custom: { creditLimit: 5000 } });
    expect((await allAudit(crm, { action: 'update' })).length).toBe(0);
  });

  it.each([
    ['a read-only field', { tier: 'vip' }],
    ['a read-only custom field', { custom: { creditLimit: 10 } }],
  ] as const)('refuses creating a record with %s, storing nothing', async (_label, extra) => {
    const { crm } = await setUp();
    const before = await versions(crm, 'customers');
    await expectPermissionError(crm.as(CLERK).customers.create({ id: 'c-new', name: 'Carl', ...extra } as never), {
      actorId: 'u-clerk',
      action: 'create',
      collection: 'customers',
      recordId: 'c-new',
    });
    expect(await versions(crm, 'customers')).toEqual(before);
  });

  it('is reflected in crm.can() (the action) and readableFields (still readable)', async () => {
    const { crm, ada } = await setUp();
    const clerk = crm.as(CLERK);
    expect(clerk.can('update', 'customers', ada)).toBe(true);
    expect(clerk.can('delete', 'customers', ada)).toBe(false);
    expect(clerk.readableFields('customers')).toEqual(expect.arrayContaining(['tier', 'custom.creditLimit']));
  });
});

describe('crm.can()', () => {
  it('answers per actor and per record', async () => {
    const { crm, ada } = await setUp();
    const mine = await crm.customers.create({ name: 'Mine', ownerId: 'u-contrib' });
    expect(crm.as(VIEWER).can('read', 'customers', ada)).toBe(true);
    expect(crm.as(VIEWER).can('update', 'customers', ada)).toBe(false);
    expect(crm.as(CONTRIBUTOR).can('update', 'customers', mine)).toBe(true);
    expect(crm.as(CONTRIBUTOR).can('update', 'customers', ada)).toBe(false);
    expect(crm.as(MANAGER).can('delete', 'customers', ada)).toBe(true);
    expect(crm.as(MANAGER).can('delete', 'customers', mine)).toBe(false);
    expect(crm.can('merge', 'customers', mine)).toBe(true);
  });
});
