/**
 * The audit trail: written in the same atomic write as the change, append-only, redacted for
 * readers who may not see a field, filtered and paged newest first, readable only by roles
 * that grant it, scoped for managers; optional `view` entries for reads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, QueryError, ValidationError } from '../../src/index';
import type { Actor, AuditEntry, Crm, CrmOptions } from '../../src/index';
import { ADMIN, allAudit, expectPermissionError, fakeClock, makeCrm, rejection } from './helpers';

const CUSTOM_FIELDS = { customers: { creditLimit: { type: 'number', sensitive: true } } } as const;
type CF = typeof CUSTOM_FIELDS;

const ROLES: NonNullable<CrmOptions['roles']> = {
  // Reads the audit trail, but not sensitive fields nor the tier.
  auditor: { grants: { '*': { read: 'all' }, audit: { read: 'all' } }, readsSensitive: false, hiddenFields: { customers: ['tier'] } },
};
const AUDITOR: Actor = { id: 'u-auditor', roles: ['auditor'] };
const MANAGER: Actor = { id: 'u-manager', roles: ['manager'], teamIds: ['team-a'] };

const open: Crm<CF>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function setUp(options: Pick<CrmOptions, 'audit'> = {}) {
  const time = fakeClock();
  const crm = await makeCrm({
    ...options,
    clock: time.clock,
    roles: ROLES,
    sensitiveFields: { customers: ['notes'] },
    customFields: CUSTOM_FIELDS,
  });
  open.push(crm);
  return { crm, ...time };
}

describe('audit entries are written with the change, atomically', () => {
  it('records a create without values, and an update with exactly its changes as [before, after]', async () => {
    const { crm, advance } = await setUp();
    const ada = await crm.customers.create({ name: 'Ada', tier: 'gold', notes: 'n1' });
    advance(1000);
    await crm.customers.update(ada.id, { tier: 'vip', notes: null, custom: { creditLimit: 10 } });
    const entries = await allAudit(crm, { recordId: ada.id });
    expect(entries).toHaveLength(2);
    const [update, create] = entries as [AuditEntry, AuditEntry];
    expect(create).toMatchObject({ action: 'create', actorId: 'u-admin', collection: 'customers', recordId: ada.id });
    expect(create.changes).toBeUndefined();
    expect(update).toMatchObject({ action: 'update', actorId: 'u-admin', collection: 'customers', recordId: ada.id });
    expect(update.changes).toEqual({ tier: ['gold', 'vip'], notes: ['n1', null], 'custom.creditLimit': [null, 10] });
    expect(update.redacted).toBeUndefined();
  });

  it('stamps an entry no earlier than its change, and with the same time within one millisecond', async () => {
    // A clock that moves on every read: the entry is stamped after the checks the write awaits.
    let ms = Date.parse('2026-03-01T09:00:00.000Z');
    const moving = await makeCrm({ clock: () => ms++ });
    open.push(moving as never);
    const ada = await moving.customers.create({ name: 'Ada' });
    const updated = await moving.customers.update(ada.id, { tier: 'vip' });
    const [update, create] = (await allAudit(moving as never, { recordId: ada.id })) as [AuditEntry, AuditEntry];
    expect(create.at > ada.createdAt).toBe(true);
    expect(update.at > updated.updatedAt).toBe(true);
    expect(update.at > create.at).toBe(true);
    // A clock within one millisecond: the entry carries the change's own time.
    const { crm } = await setUp();
    const bob = await crm.customers.create({ name: 'Bob' });
    const [entry] = (await allAudit(crm, { recordId: bob.id })) as [AuditEntry];
    expect(entry.at).toBe(bob.createdAt);
  });

  it('records nothing for an update that changes nothing', async () => {
    const { crm } = await setUp();
    const ada = await crm.customers.create({ name: 'Ada', tier: 'gold' });
    await crm.customers.update(ada.id, { tier: 'gold' });
    expect((await allAudit(crm, { recordId: ada.id })).map((e) => e.action)).toEqual(['create']);
  });

  it('records archive, restore and delete', async () => {
    const { crm, advance } = await setUp();
    const ada = await crm.customers.create({ name: 'Ada' });
    for (const step of [() => crm.customers.archive(ada.id), () => crm.customers.restore(ada.id), () => crm.customers.delete(ada.id)]) {
      advance(1000);
      await step();
    }
    expect((await allAudit(crm, { recordId: ada.id })).map((e) => e.action)).toEqual(['delete', 'restore', 'archive', 'create']);
  });

  it('leaves no entry when a createMany fails validation', async () => {
    const { crm } = await setUp();
    const error = await rejection(crm.customers.createMany([{ name: 'Fine' }, { name: '' }, { name: 'Also fine' }]));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toEqual([1, 'name']);
    expect(await allAudit(crm)).toEqual([]);
    expect(await crm.customers.count()).toBe(0);
  });

  it('leaves no entry when a batch throws', async () => {
    const { crm } = await setUp();
    const ada = await crm.customers.create({ name: 'Ada' });
    const before = await allAudit(crm);
    const boom = new Error('boom');
    await expect(
      crm.batch(async (tx) => {
        await tx.customers.create({ name: 'Bob' });
        await tx.customers.update(ada.id, { tier: 'vip' });
        await tx.customers.archive(ada.id);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await allAudit(crm)).toEqual(before);
  });

  it('leaves no entry when an update loses to a stale expectedVersion', async () => {
    const { crm } = await setUp();
    const ada = await crm.customers.create({ name: 'Ada' });
    await crm.customers.update(ada.id, { tier: 'a' });
    const before = await allAudit(crm);
    const error = await rejection(crm.customers.update(ada.id, { tier: 'b' }, { expectedVersion: 1 }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(await allAudit(crm)).toEqual(before);
  });

  it('records a successful batch entry by entry, with the actor who ran it', async () => {
    const { crm } = await setUp();
    const ada = await crm.customers.create({ name: 'Ada', ownerId: 'u-manager', teamId: 'team-a' });
    await crm.as(MANAGER).batch(async (tx) => {
      await tx.customers.update(ada.id, { tier: 'vip' });
      await tx.interactions.log({ type: 'call', customerId: ada.id, subject: 'hi' });
    });
    const entries = await allAudit(crm, { actorId: 'u-manager' });
    expect(entries.map((e) => `${e.action} ${e.collection}`).sort()).toEqual(['create interactions', 'update customers']);
  });
});

describe('redaction', () => {
  it('hides the values of fields the reader cannot read, listing them in redacted; an admin sees them', async () => {
    const { crm } = await setUp();
    const ada = await crm.customers.create({ name: 'Ada', tier: 'gold', notes: 'old note', custom: { creditLimit: 1 } });
    await crm.customers.update(ada.id, { name: 'Ada L', tier: 'vip', notes: 'new note', custom: { creditLimit: 2 } });
    const [asAuditor] = (await crm.as(AUDITOR).audit.find({ recordId: ada.id, action: 'update' })).items;
    expect(asAuditor?.changes).toEqual({ name: ['Ada', 'Ada L'], tier: [null, null], notes: [null, null], 'custom.creditLimit': [null, null] });
    expect([...(asAuditor?.redacted ?? [])].sort()).toEqual(['custom.creditLimit', 'notes', 'tier']);
    expect(asAuditor?.fields?.slice().sort()).toEqual(['custom.creditLimit', 'name', 'notes', 'tier']);
    const [asAdmin] = (await crm.audit.find({ recordId: ada.id, action: 'update' })).items;
    expect(asAdmin?.changes).toEqual({ name: ['Ada', 'Ada L'], tier: ['gold', 'vip'], notes: ['old note', 'new note'], 'custom.creditLimit': [1, 2] });
    expect(asAdmin?.redacted).toBeUndefined();
    // Redaction is per reader: the stored values are intact for the next admin read.
    expect((await crm.audit.find({ recordId: ada.id, action: 'update' })).items[0]?.changes?.['notes']).toEqual(['old note', 'new note']);
  });

  it('redacts a delete entry\'s values of hidden fields too', async () => {
    const { crm } = await setUp();
    const ada = await crm.customers.create({ name: 'Ada', notes: 'private' });
    await crm.customers.delete(ada.id);
    const [entry] = (await crm.as(AUDITOR).audit.find({ recordId: ada.id, action: 'delete' })).items;
    expect(entry?.changes?.['notes']).toEqual([null, null]);
    expect(entry?.redacted).toContain('notes');
    expect(entry?.changes?.['name']).toEqual(['Ada', null]);
  });
});

describe('crm.audit.find', () => {
  async function history() {
    const s = await setUp();
    const { crm, advance, iso } = s;
    const t0 = iso();
    const ada = await crm.customers.create({ name: 'Ada' }); // t0
    advance(60_000);
    const bob = await crm.as({ id: 'u-ed', roles: ['editor'] }).customers.create({ name: 'Bob' }); // t0+1m
    advance(60_000);
    await crm.customers.update(ada.id, { tier: 'vip' }); // t0+2m
    advance(60_000);
    const call = await crm.interactions.log({ type: 'call', customerId: ada.id }); // t0+3m
    advance(60_000);
    await crm.as({ id: 'u-ed', roles: ['editor'] }).customers.update(bob.id, { tier: 'gold' }); // t0+4m
    advance(60_000);
    await crm.customers.archive(bob.id); // t0+5m
    advance(60_000);
    await crm.interactions.update(call.id, { subject: 'Called' }); // t0+6m
    return { ...s, t0, ada, bob, call };
  }

  it('filters by recordId, actorId, action and collection', async () => {
    const { crm, ada, bob } = await history();
    const actions = (entries: AuditEntry[]) => entries.map((e) => e.action);
    expect(actions((await crm.audit.find({ recordId: ada.id })).items)).toEqual(['update', 'create']);
    expect(actions((await crm.audit.find({ recordId: bob.id })).items)).toEqual(['archive', 'update', 'create']);
    expect((await crm.audit.find({ actorId: 'u-ed' })).items.map((e) => `${e.action} ${e.recordId}`)).toEqual([`update ${bob.id}`, `create ${bob.id}`]);
    expect((await crm.audit.find({ action: 'update' })).items).toHaveLength(3);
    expect(actions((await crm.audit.find({ collection: 'interactions' })).items)).toEqual(['update', 'create']);
    expect((await crm.audit.find({ collection: 'customers', action: 'create', actorId: 'u-admin' })).items.map((e) => e.recordId)).toEqual([ada.id]);
  });

  it('filters by from and to (inclusive) on the fake clock', async () => {
    const { crm, t0 } = await history();
    const at = (m: number) => new Date(Date.parse(t0) + m * 60_000).toISOString();
    const between = await crm.audit.find({ from: at(2), to: at(4) });
    expect(between.items.map((e) => e.at)).toEqual([at(4), at(3), at(2)]);
    expect((await crm.audit.find({ from: at(5) })).items.map((e) => e.action)).toEqual(['update', 'archive']);
    expect((await crm.audit.find({ to: at(0) })).items.map((e) => e.action)).toEqual(['create']);
    const error = await rejection(crm.audit.find({ from: 'yesterday' }));
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).path).toEqual(['from']);
  });

  it('pages with cursors, newest first, without gaps or repeats', async () => {
    const { crm } = await history();
    const all = await allAudit(crm);
    expect(all).toHaveLength(7);
    const seen: AuditEntry[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await crm.audit.find({ limit: 3, ...(cursor ? { cursor } : {}) });
      sizes.push(page.items.length);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(all);
    const times = seen.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('lists entries written at the same instant newest first', async () => {
    const { crm } = await setUp(); // the clock does not move
    const a = await crm.customers.create({ name: 'A' });
    const b = await crm.customers.create({ name: 'B' });
    const c = await crm.customers.create({ name: 'C' });
    expect((await crm.audit.find({})).items.map((e) => e.recordId)).toEqual([c.id, b.id, a.id]);
  });

  it.each([
    ['viewer', { id: 'u-v', roles: ['viewer'] }],
    ['contributor', { id: 'u-c', roles: ['contributor'] }],
    ['editor', { id: 'u-e', roles: ['editor'] }],
  ] as const)('refuses a %s with PermissionError (and records the denial)', async (_name, actor) => {
    const { crm } = await setUp();
    await crm.customers.create({ name: 'Ada' });
    const denied: unknown[] = [];
    crm.on('access.denied', (e) => denied.push(e));
    await expectPermissionError(crm.as({ ...actor, roles: [...actor.roles] }).audit.find({}), { actorId: actor.id, action: 'read', collection: 'audit', recordId: undefined });
    expect(denied).toEqual([expect.objectContaining({ actorId: actor.id, action: 'read', collection: 'audit' })]);
    expect((await crm.audit.find({ action: 'denied' })).items).toEqual([expect.objectContaining({ actorId: actor.id, collection: 'audit' })]);
  });

  it("shows a manager only the entries of its teams' (and its own) records", async () => {
    const { crm } = await setUp();
    const inTeam = await crm.customers.create({ name: 'In team', ownerId: 'u-rep', teamId: 'team-a' });
    const own = await crm.customers.create({ name: 'Own', ownerId: 'u-manager', teamId: 'team-b' });
    const foreign = await crm.customers.create({ name: 'Foreign', ownerId: 'u-rep', teamId: 'team-b' });
    await crm.customers.update(foreign.id, { tier: 'vip' });
    await crm.customers.update(inTeam.id, { tier: 'vip' });
    const view = crm.as(MANAGER);
    const entries = (await view.audit.find({})).items;
    expect(new Set(entries.map((e) => e.recordId))).toEqual(new Set([inTeam.id, own.id]));
    expect(entries).toHaveLength(3);
    expect((await view.audit.find({ recordId: foreign.id })).items).toEqual([]);
  });

  it('shows a manager the entries of an interaction assigned to it (own counts in team scope)', async () => {
    const { crm } = await setUp();
    const customer = await crm.customers.create({ name: 'Acme', ownerId: 'u-rep', teamId: 'team-b' });
    const task = await crm.interactions.plan({ type: 'task', customerId: customer.id, dueAt: '2024-06-01T10:00:00Z', ownerId: 'u-rep', teamId: 'team-b', assigneeId: 'u-manager' });
    await crm.interactions.update(task.id, { subject: 'Call back' });
    const view = crm.as(MANAGER);
    // The manager may read, update and delete it ...
    expect(view.can('update', 'interactions', task)).toBe(true);
    await expect(view.interactions.get(task.id)).resolves.toMatchObject({ id: task.id });
    // ... so it may read its audit entries too.
    expect((await view.audit.find({ recordId: task.id })).items.map((e) => e.action)).toEqual(['update', 'create']);
  });

  it('offers no way to change or delete entries', async () => {
    const { crm } = await setUp();
    expect(Object.keys(crm.audit)).toEqual(['find']);
    expect(Object.keys(crm.as(MANAGER).audit)).toEqual(['find']);
    for (const action of ['create', 'update', 'delete', 'archive', 'import', 'merge'] as const) {
      expect(crm.can(action, 'audit')).toBe(false);
    }
    expect(crm.can('read', 'audit')).toBe(true);
    expect(crm).not.toHaveProperty('auditValues');
  });
});

describe('read auditing', () => {
  it('records a view entry for every record read by id when audit.reads is on', async () => {
    const { crm, advance } = await setUp({ audit: { reads: true } });
    const ada = await crm.customers.create({ name: 'Ada' });
    const bob = await crm.customers.create({ name: 'Bob' });
    advance(1000);
    const viewer = crm.as({ id: 'u-viewer', roles: ['viewer'] });
    await viewer.customers.get(ada.id);
    await viewer.customers.getMany([ada.id, bob.id, 'missing']);
    const views = await allAudit(crm, { action: 'view' });
    expect(views.map((e) => [e.actorId, e.collection, e.recordId])).toEqual(
      expect.arrayContaining([
        ['u-viewer', 'customers', ada.id],
        ['u-viewer', 'customers', ada.id],
        ['u-viewer', 'customers', bob.id],
      ]),
    );
    expect(views).toHaveLength(3);
  });

  it('records no view of a record the actor may not read (only the denial)', async () => {
    const { crm } = await setUp({ audit: { reads: true } });
    const foreign = await crm.customers.create({ name: 'Foreign', ownerId: 'u-rep', teamId: 'team-b' });
    await expectPermissionError(crm.as(MANAGER).customers.get(foreign.id), { actorId: 'u-manager', action: 'read', collection: 'customers', recordId: foreign.id });
    expect(await allAudit(crm, { action: 'view', actorId: 'u-manager' })).toEqual([]);
    expect(await allAudit(crm, { action: 'denied', actorId: 'u-manager' })).toHaveLength(1);
  });

  it('records no view entries by default', async () => {
    const { crm } = await setUp();
    const ada = await crm.customers.create({ name: 'Ada' });
    await crm.customers.get(ada.id);
    await crm.as(ADMIN).customers.getMany([ada.id]);
    expect(await allAudit(crm, { action: 'view' })).toEqual([]);
  });
});
