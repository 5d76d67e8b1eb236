/**
 * Escalation: giving records away without `assign`, prototype-polluting keys, bad role
 * definitions, unknown roles, and batches that smuggle one forbidden write among allowed ones.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError, createCrm } from '../../src/index';
import type { Actor, Crm } from '../../src/index';
import { allAudit, expectPermissionError, fakeClock, makeCrm, rejection, versions } from './helpers';

const CONTRIBUTOR: Actor = { id: 'u-contrib', roles: ['contributor'], teamIds: ['team-a'] };
const EDITOR: Actor = { id: 'u-editor', roles: ['editor'], teamIds: ['team-a'] };
const MANAGER: Actor = { id: 'u-manager', roles: ['manager'], teamIds: ['team-a'] };

const open: Crm[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function setUp(): Promise<{ crm: Crm; customerId: string }> {
  const { clock } = fakeClock();
  const crm = (await makeCrm({ clock })) as unknown as Crm;
  open.push(crm);
  const c = await crm.customers.create({ name: 'Base', ownerId: 'u-contrib', teamId: 'team-a' });
  return { crm, customerId: c.id };
}

async function snapshot(crm: Crm) {
  return { customers: await versions(crm, 'customers'), interactions: await versions(crm, 'interactions'), audit: (await allAudit(crm)).filter((e) => e.action !== 'denied') };
}

function expectValidationError(error: unknown, path: (string | number)[], message?: RegExp): ValidationError {
  expect(error).toBeInstanceOf(ValidationError);
  const e = error as ValidationError;
  expect(e.code).toBe('validation_failed');
  expect(e.issues.map((i) => i.path)).toContainEqual(path);
  if (message) expect(e.issues.map((i) => i.message).join('\n')).toMatch(message);
  return e;
}

describe('writing ownership without assign', () => {
  it.each([CONTRIBUTOR, EDITOR])('refuses a $roles.0 creating a customer owned by someone else', async (actor) => {
    const { crm } = await setUp();
    const before = await snapshot(crm);
    await expectPermissionError(crm.as(actor).customers.create({ id: 'c-given', name: 'Gift', ownerId: 'u-other' }), {
      actorId: actor.id,
      action: actor === CONTRIBUTOR ? 'create' : 'assign',
      collection: 'customers',
      recordId: 'c-given',
    });
    expect(await snapshot(crm)).toEqual(before);
  });

  it('refuses an editor creating a record in a team not its own', async () => {
    const { crm } = await setUp();
    const before = await snapshot(crm);
    await expectPermissionError(crm.as(EDITOR).customers.create({ id: 'c-t', name: 'Elsewhere', teamId: 'team-b' }), {
      actorId: 'u-editor',
      action: 'assign',
      collection: 'customers',
      recordId: 'c-t',
    });
    expect(await snapshot(crm)).toEqual(before);
  });

  it.each([
    ['a contributor', CONTRIBUTOR, { ownerId: 'u-other' }],
    ['a contributor', CONTRIBUTOR, { teamId: 'team-b' }],
    ['a contributor', CONTRIBUTOR, { teamId: null }],
    ['an editor', EDITOR, { ownerId: 'u-editor' }],
    ['an editor', EDITOR, { teamId: 'team-b' }],
  ] as const)('refuses %s changing ownership (%o) with PermissionError naming assign', async (_l, actor, patch) => {
    const { crm, customerId } = await setUp();
    const before = await snapshot(crm);
    await expectPermissionError(crm.as(actor).customers.update(customerId, { name: 'Renamed', ...patch } as never), {
      actorId: actor.id,
      action: 'assign',
      collection: 'customers',
      recordId: customerId,
    });
    expect(await snapshot(crm)).toEqual(before);
    expect(await crm.customers.get(customerId)).toMatchObject({ name: 'Base', ownerId: 'u-contrib', teamId: 'team-a', version: 1 });
  });

  it('refuses a manager moving a team record out of its teams', async () => {
    const { crm, customerId } = await setUp();
    const before = await snapshot(crm);
    await expectPermissionError(crm.as(MANAGER).customers.update(customerId, { teamId: 'team-b' }), {
      actorId: 'u-manager',
      action: 'update',
      collection: 'customers',
      recordId: customerId,
    });
    expect(await snapshot(crm)).toEqual(before);
  });

  it('refuses a contributor upserting over a record it does not own', async () => {
    const { crm } = await setUp();
    const theirs = await crm.customers.create({ name: 'Theirs', ownerId: 'u-other', externalId: 'ext-1' });
    const before = await snapshot(crm);
    await expectPermissionError(crm.as(CONTRIBUTOR).customers.upsert({ name: 'Mine now', externalId: 'ext-1' }), {
      actorId: 'u-contrib',
      action: 'update',
      collection: 'customers',
      recordId: theirs.id,
    });
    expect(await snapshot(crm)).toEqual(before);
  });
});

describe('prototype-polluting keys', () => {
  const POISON = ['__proto__', 'constructor', 'prototype'] as const;

  afterEach(() => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  for (const key of POISON) {
    const nested = (value: string) => JSON.parse(`{"${key}": {"polluted": ${JSON.stringify(value)}}}`) as Record<string, unknown>;

    it(`refuses "${key}" at the top of a create with ValidationError, storing nothing`, async () => {
      const { crm } = await setUp();
      const before = await snapshot(crm);
      const input = { name: 'Evil', ...nested('yes') };
      expectValidationError(await rejection(crm.customers.create(input as never)), [key]);
      expect(await snapshot(crm)).toEqual(before);
    });

    it(`refuses "${key}" nested in custom, addresses and a createMany item`, async () => {
      const { crm } = await setUp();
      const before = await snapshot(crm);
      expectValidationError(await rejection(crm.customers.create({ name: 'Evil', custom: nested('yes') } as never)), ['custom', key]);
      expectValidationError(await rejection(crm.customers.create({ name: 'Evil', addresses: [nested('yes')] } as never)), ['addresses', 0, key]);
      expectValidationError(await rejection(crm.customers.createMany([{ name: 'Fine' }, { name: 'Evil', ...nested('yes') }] as never)), [1, key]);
      expectValidationError(await rejection(crm.interactions.log({ type: 'note', customerId: 'x', ...nested('yes') } as never)), [key]);
      expect(await snapshot(crm)).toEqual(before);
    });

    it(`refuses "${key}" anywhere in an update patch, changing nothing`, async () => {
      const { crm, customerId } = await setUp();
      const before = await snapshot(crm);
      expectValidationError(await rejection(crm.customers.update(customerId, nested('yes') as never)), [key]);
      expectValidationError(await rejection(crm.customers.update(customerId, { source: nested('yes') } as never)), ['source', key]);
      expectValidationError(await rejection(crm.customers.update(customerId, { custom: nested('yes') } as never)), ['custom', key]);
      expectValidationError(await rejection(crm.customers.updateMany([{ id: customerId, patch: nested('yes') as never }])), [key]);
      expectValidationError(await rejection(crm.customers.upsert({ name: 'U', externalId: 'e', ...nested('yes') } as never)), [key]);
      expect(await snapshot(crm)).toEqual(before);
    });
  }
});

describe('role definitions', () => {
  it('refuses a role naming an unknown collection with a ValidationError that says so', async () => {
    const error = await rejection(createCrm({ roles: { sales: { grants: { spaceships: { read: 'all' } } } } }));
    const e = expectValidationError(error, ['roles', 'sales', 'grants', 'spaceships'], /unknown collection "spaceships"/);
    expect(e.message).toContain('unknown collection');
  });

  it('refuses a role naming an unknown action with a ValidationError that says so', async () => {
    const error = await rejection(createCrm({ roles: { sales: { grants: { customers: { fly: 'all' } as never } } } }));
    expectValidationError(error, ['roles', 'sales', 'grants', 'customers', 'fly'], /unknown action "fly"/);
  });

  it('refuses a role naming an unknown scope, and unknown collections in field rules', async () => {
    expectValidationError(await rejection(createCrm({ roles: { sales: { grants: { customers: { read: 'galaxy' as never } } } } })), ['roles', 'sales', 'grants', 'customers', 'read'], /unknown scope "galaxy"/);
    expectValidationError(await rejection(createCrm({ roles: { sales: { grants: {}, hiddenFields: { spaceships: ['x'] } } } })), ['roles', 'sales', 'hiddenFields', 'spaceships'], /unknown collection "spaceships"/);
    expectValidationError(await rejection(createCrm({ roles: { sales: { grants: {}, readOnlyFields: { spaceships: ['x'] } } } })), ['roles', 'sales', 'readOnlyFields', 'spaceships'], /unknown collection "spaceships"/);
  });

  it('refuses crm.as() with an unknown role, and a root actor with one', async () => {
    const { crm } = await setUp();
    expectValidationError(await rejection(async () => crm.as({ id: 'u-x', roles: ['superuser'] })), ['actor', 'roles', 0], /unknown role "superuser"/);
    expectValidationError(await rejection(async () => crm.as({ id: 'u-x', roles: ['viewer', 'root'] })), ['actor', 'roles', 1], /unknown role "root"/);
    expectValidationError(await rejection(createCrm({ actor: { id: 'u-x', roles: ['superuser'] } })), ['actor', 'roles', 0]);
    expectValidationError(await rejection(async () => crm.as({ id: '', roles: ['admin'] })), ['actor']);
  });

  it('does not take an inherited property name for a role', async () => {
    const { crm } = await setUp();
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expectValidationError(await rejection(async () => crm.as({ id: 'u-x', roles: [name] })), ['actor', 'roles', 0]);
    }
  });
});

describe('batches with one forbidden write', () => {
  it('refuses a createMany with one record owned by someone else: nothing stored, no create audited', async () => {
    const { crm } = await setUp();
    const before = await snapshot(crm);
    await expectPermissionError(
      crm.as(CONTRIBUTOR).customers.createMany([
        { id: 'm1', name: 'Mine 1' },
        { id: 'm2', name: 'Not mine', ownerId: 'u-other' },
        { id: 'm3', name: 'Mine 3' },
      ]),
      { actorId: 'u-contrib', action: 'create', collection: 'customers', recordId: 'm2' },
    );
    expect(await snapshot(crm)).toEqual(before);
    expect(await crm.customers.getMany(['m1', 'm2', 'm3'])).toEqual([undefined, undefined, undefined]);
  });

  it('refuses an updateMany with one record out of scope: nothing stored', async () => {
    const { crm, customerId } = await setUp();
    const theirs = await crm.customers.create({ name: 'Theirs', ownerId: 'u-other' });
    const before = await snapshot(crm);
    await expectPermissionError(
      crm.as(CONTRIBUTOR).customers.updateMany([
        { id: customerId, patch: { tier: 'vip' } },
        { id: theirs.id, patch: { tier: 'vip' } },
      ]),
      { actorId: 'u-contrib', action: 'update', collection: 'customers', recordId: theirs.id },
    );
    expect(await snapshot(crm)).toEqual(before);
  });

  it('refuses a crm.batch() with one forbidden write: nothing of the batch is stored', async () => {
    const { crm, customerId } = await setUp();
    const theirs = await crm.customers.create({ name: 'Theirs', ownerId: 'u-other' });
    const before = await snapshot(crm);
    const events: string[] = [];
    crm.on('*', (e) => events.push(e.type));
    await expectPermissionError(
      crm.as(CONTRIBUTOR).batch(async (tx) => {
        await tx.customers.create({ id: 'b1', name: 'In batch' });
        await tx.customers.update(customerId, { tier: 'vip' });
        await tx.interactions.log({ type: 'note', customerId, subject: 'batch note' });
        await tx.customers.delete(theirs.id);
      }),
      { actorId: 'u-contrib', action: 'delete', collection: 'customers', recordId: theirs.id },
    );
    expect(await snapshot(crm)).toEqual(before);
    expect(events).toEqual(['access.denied']);
  });
});
