/**
 * The permission matrix, generated: every built-in role (and one custom role) × every action
 * the public API exposes × every scope a record can be in × customers and interactions. The
 * expected answer of each cell comes from the role table written out literally in
 * ./helpers.ts, never from src/.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/index';
import type { AccessDeniedEvent, Actor, AuditEntry, Crm } from '../../src/index';
import { ADMIN, BUILT_INS, allAudit, allows, expectPermissionError, fakeClock, makeCrm, rejection, versions } from './helpers';
import type { OracleAction, OracleRole, Scoped } from './helpers';

/** A custom role, as the host defines it through `createCrm({ roles })`. */
const CUSTOM_ROLES = {
  support: {
    grants: {
      '*': { read: 'team' },
      customers: { update: 'team' },
      interactions: { read: 'all', create: 'all', update: 'own', archive: 'own', delete: 'own' },
    },
  },
} as const;

/** What the oracle expects of `support`, written out by hand (not derived from the definition above). */
const SUPPORT: OracleRole = {
  grants: {
    customers: { read: 'team', update: 'team' },
    interactions: { read: 'all', create: 'all', update: 'own', archive: 'own', delete: 'own' },
  },
  readsSensitive: true,
};

const ROLES: Record<string, OracleRole> = { ...BUILT_INS, support: SUPPORT };
const ROLE_NAMES = ['viewer', 'contributor', 'editor', 'manager', 'admin', 'support'] as const;

const ACTOR_ID = 'u-actor';
const actorOf = (role: string): Actor => ({ id: ACTOR_ID, roles: [role], teamIds: ['team-a', 'team-c'] });

type Collection = 'customers' | 'interactions';

/** Where a record stands relative to the actor. */
const SCOPES: Record<string, { label: string; ownership: Scoped & Record<string, unknown>; collections: Collection[] }> = {
  own: { label: 'its own', ownership: { ownerId: ACTOR_ID, teamId: 'team-a' }, collections: ['customers', 'interactions'] },
  team: { label: "a teammate's", ownership: { ownerId: 'u-other', teamId: 'team-a' }, collections: ['customers', 'interactions'] },
  foreign: { label: "another team's", ownership: { ownerId: 'u-other', teamId: 'team-b' }, collections: ['customers', 'interactions'] },
  assignee: {
    label: 'a foreign but assigned-to-it',
    ownership: { ownerId: 'u-other', teamId: 'team-b', assigneeId: ACTOR_ID },
    collections: ['interactions'],
  },
};

type Op = 'read' | 'create' | 'update' | 'delete' | 'archive' | 'restore' | 'assignOwner' | 'assignTeam';
const OPS: Op[] = ['read', 'create', 'update', 'delete', 'archive', 'restore', 'assignOwner', 'assignTeam'];

const ASSIGN_PATCH: Record<'assignOwner' | 'assignTeam', Record<string, string>> = {
  assignOwner: { ownerId: 'u-third' },
  assignTeam: { teamId: 'team-c' },
};

/**
 * The oracle for one cell: `undefined` when allowed, else the action the refusal names.
 * Creating a record owned by someone else (or in a team not one's own) is assigning it; an
 * assignment is an update that must also leave the record within the actor's update scope.
 */
function expectedDenial(role: string, op: Op, collection: Collection, record: Scoped): OracleAction | undefined {
  const actor = actorOf(role);
  const may = (action: OracleAction, r: Scoped = record) => allows(ROLES, actor, action, collection, r);
  switch (op) {
    case 'read':
    case 'update':
    case 'delete':
      return may(op) ? undefined : op;
    case 'archive':
    case 'restore':
      return may('archive') ? undefined : 'archive';
    case 'create': {
      if (!may('create')) return 'create';
      const selfInOwnTeam = record.ownerId === actor.id && (record.teamId === undefined || (actor.teamIds ?? []).includes(record.teamId as string));
      return selfInOwnTeam || may('assign') ? undefined : 'assign';
    }
    case 'assignOwner':
    case 'assignTeam': {
      if (!may('update')) return 'update';
      if (!may('assign')) return 'assign';
      return may('update', { ...record, ...ASSIGN_PATCH[op] }) ? undefined : 'update';
    }
  }
}

const PHRASE: Record<Op, string> = {
  read: 'read (get, find, count)',
  create: 'create',
  update: 'update',
  delete: 'delete',
  archive: 'archive',
  restore: 'restore',
  assignOwner: 'give to another owner',
  assignTeam: 'move to another of its teams',
};

interface Cell {
  crm: Crm;
  view: Crm;
  anchorId: string;
  targetId: string;
  denied: AccessDeniedEvent[];
}

const open: Crm[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function setUp(role: string, op: Op, collection: Collection, ownership: Record<string, unknown>): Promise<Cell> {
  const { clock, advance } = fakeClock();
  const crm = (await makeCrm({ clock, roles: CUSTOM_ROLES })) as unknown as Crm;
  open.push(crm);
  const anchor = await crm.customers.create({ name: 'Anchor Ltd', kind: 'organization', ownerId: 'u-admin', teamId: 'team-z' });
  advance(1000);
  let targetId = 'new-record';
  if (op !== 'create') {
    const target =
      collection === 'customers'
        ? await crm.customers.create({ name: 'Target', ...ownership })
        : await crm.interactions.create({ type: 'note', customerId: anchor.id, subject: 'Target', ...ownership });
    targetId = target.id;
    advance(1000);
    if (op === 'restore') {
      await crm[collection].archive(targetId);
      advance(1000);
    }
  }
  const denied: AccessDeniedEvent[] = [];
  crm.on('access.denied', (e) => denied.push(e));
  return { crm, view: crm.as(actorOf(role)), anchorId: anchor.id, targetId, denied };
}

/** Run the cell's call as the actor. */
function attempt(cell: Cell, op: Op, collection: Collection, ownership: Record<string, unknown>): Promise<unknown> {
  const repo = cell.view[collection];
  switch (op) {
    case 'read':
      return repo.get(cell.targetId);
    case 'create':
      return collection === 'customers'
        ? cell.view.customers.create({ id: cell.targetId, name: 'Created', ...ownership })
        : cell.view.interactions.create({ id: cell.targetId, type: 'call', customerId: cell.anchorId, subject: 'Created', ...ownership });
    case 'update':
      return collection === 'customers' ? cell.view.customers.update(cell.targetId, { tier: 'vip' }) : cell.view.interactions.update(cell.targetId, { subject: 'Changed' });
    case 'delete':
      return repo.delete(cell.targetId);
    case 'archive':
      return repo.archive(cell.targetId);
    case 'restore':
      return repo.restore(cell.targetId);
    case 'assignOwner':
    case 'assignTeam':
      return repo.update(cell.targetId, ASSIGN_PATCH[op]);
  }
}

/** Check, as an admin, that the allowed call's change is stored (and audited). */
async function expectStored(cell: Cell, op: Op, collection: Collection, ownership: Record<string, unknown>, auditBefore: AuditEntry[]): Promise<void> {
  const admin = cell.crm;
  const byId = { field: 'id', op: 'eq' as const, value: cell.targetId };
  if (op === 'read') {
    expect(await cell.view[collection].find({ where: byId })).toMatchObject({ items: [{ id: cell.targetId }] });
    expect(await cell.view[collection].count(byId)).toBe(1);
    return;
  }
  if (op === 'delete') {
    const error = await rejection(admin[collection].get(cell.targetId));
    expect(error).toBeInstanceOf(NotFoundError);
  } else {
    const stored = (await admin[collection].get(cell.targetId)) as unknown as Record<string, unknown>;
    if (op === 'create') expect(stored).toMatchObject({ version: 1, ...(collection === 'interactions' ? { subject: 'Created' } : { name: 'Created' }), ...ownership });
    if (op === 'update') expect(stored).toMatchObject(collection === 'customers' ? { tier: 'vip', version: 2 } : { subject: 'Changed', version: 2 });
    if (op === 'archive') expect(stored).toMatchObject({ version: 2, archivedAt: expect.any(String) });
    if (op === 'restore') {
      expect(stored['version']).toBe(3);
      expect(stored).not.toHaveProperty('archivedAt');
    }
    if (op === 'assignOwner' || op === 'assignTeam') expect(stored).toMatchObject({ version: 2, ...ASSIGN_PATCH[op] });
  }
  const auditAfter = await allAudit(admin);
  const fresh = auditAfter.slice(0, auditAfter.length - auditBefore.length);
  const auditAction = op === 'assignOwner' || op === 'assignTeam' ? 'update' : op;
  expect(fresh).toEqual([expect.objectContaining({ action: auditAction, actorId: ACTOR_ID, collection, recordId: cell.targetId })]);
  expect(cell.denied).toEqual([]);
}

/** Check that a refused call changed nothing but its own `denied` audit entry. */
async function expectRefused(cell: Cell, op: Op, action: string, collection: Collection, ownership: Record<string, unknown>): Promise<void> {
  const before = { customers: await versions(cell.crm, 'customers'), interactions: await versions(cell.crm, 'interactions') };
  const auditBefore = await allAudit(cell.crm);
  const error = await expectPermissionError(attempt(cell, op, collection, ownership), { actorId: ACTOR_ID, action, collection, recordId: cell.targetId });
  expect(error.reason).toEqual(expect.any(String));
  expect(cell.denied).toEqual([{ type: 'access.denied', actorId: ACTOR_ID, action, collection, recordId: cell.targetId, reason: expect.any(String) }]);
  const denials = await cell.crm.audit.find({ action: 'denied' });
  expect(denials.items).toEqual([expect.objectContaining({ action: 'denied', actorId: ACTOR_ID, collection, recordId: cell.targetId })]);
  // Nothing else changed: no record, no version, no other audit entry.
  expect({ customers: await versions(cell.crm, 'customers'), interactions: await versions(cell.crm, 'interactions') }).toEqual(before);
  const auditAfter = await allAudit(cell.crm);
  expect(auditAfter.slice(1)).toEqual(auditBefore);
  expect(auditAfter[0]).toMatchObject({ action: 'denied' });
  if (op === 'read') {
    const byId = { field: 'id', op: 'eq' as const, value: cell.targetId };
    // Scope is inside the query: the record is simply not there, and it is not counted.
    expect(await cell.view[collection].find({ where: byId, total: true })).toEqual({ items: [], total: 0 });
    expect(await cell.view[collection].count(byId)).toBe(0);
    expect(await cell.view[collection].getMany([cell.targetId])).toEqual([undefined]);
  }
}

describe.each(ROLE_NAMES)('the %s role', (role) => {
  for (const collection of ['customers', 'interactions'] as const) {
    const singular = collection === 'customers' ? 'customer' : 'interaction';
    describe(collection, () => {
      for (const [scopeName, scope] of Object.entries(SCOPES)) {
        if (!scope.collections.includes(collection)) continue;
        for (const op of OPS) {
          const denial = expectedDenial(role, op, collection, scope.ownership);
          const what = op === 'create' ? `${singular} owned like ${scope.label} (${scopeName})` : `${scope.label} ${singular} (${scopeName})`;
          const title = denial === undefined ? `may ${PHRASE[op]} ${what}` : `may not ${PHRASE[op]} ${what}: PermissionError naming ${denial}`;
          it(title, async () => {
            const cell = await setUp(role, op, collection, scope.ownership);
            if (denial === undefined) {
              const auditBefore = await allAudit(cell.crm);
              const result = (await attempt(cell, op, collection, scope.ownership)) as { id?: string } | undefined;
              if (op !== 'delete') expect(result).toMatchObject({ id: cell.targetId });
              await expectStored(cell, op, collection, scope.ownership, auditBefore);
            } else {
              await expectRefused(cell, op, denial, collection, scope.ownership);
            }
          });
        }

        it(`answers crm.can() for every action on ${scope.label} ${singular} (${scopeName}) as the table says`, async () => {
          const { crm } = await setUp(role, 'read', collection, scope.ownership);
          const view = crm.as(actorOf(role));
          const record = { id: 'r1', ...scope.ownership };
          const actions = ['read', 'create', 'update', 'delete', 'archive', 'export', 'import', 'assign', 'merge'] as const;
          const got = Object.fromEntries(actions.map((a) => [a, view.can(a, collection, record)]));
          const want = Object.fromEntries(actions.map((a) => [a, allows(ROLES, actorOf(role), a, collection, record)]));
          expect(got).toEqual(want);
        });
      }

      it('answers crm.can() without a record: whether the role grants the action at all', async () => {
        const { crm } = await setUp(role, 'read', collection, SCOPES['own']!.ownership);
        const view = crm.as(actorOf(role));
        const actions = ['read', 'create', 'update', 'delete', 'archive', 'export', 'import', 'assign', 'merge'] as const;
        const got = Object.fromEntries(actions.map((a) => [a, view.can(a, collection)]));
        const want = Object.fromEntries(actions.map((a) => [a, allows(ROLES, actorOf(role), a, collection)]));
        expect(got).toEqual(want);
      });
    });
  }

  it(role === 'manager' || role === 'admin' ? 'may read the audit trail' : 'may not read the audit trail', async () => {
    const { crm } = await setUp(role, 'read', 'customers', SCOPES['own']!.ownership);
    const view = crm.as(actorOf(role));
    const may = actorOf(role).roles.some((r) => ROLES[r]?.grants['customers']?.audit !== undefined);
    expect(view.can('read', 'audit')).toBe(may);
    if (may) {
      await expect(view.audit.find()).resolves.toMatchObject({ items: expect.any(Array) });
    } else {
      await expectPermissionError(view.audit.find(), { actorId: ACTOR_ID, action: 'read', collection: 'audit', recordId: undefined });
    }
  });
});

describe('the matrix itself', () => {
  it('covers each built-in role the way the table says (spot checks of the parsed table)', () => {
    expect(BUILT_INS['viewer']!.grants['customers']).toEqual({ read: 'all' });
    expect(BUILT_INS['contributor']!.grants['customers']).toEqual({ read: 'all', create: 'own', update: 'own' });
    expect(BUILT_INS['editor']!.grants['customers']).toEqual({ read: 'all', create: 'all', update: 'all' });
    expect(BUILT_INS['manager']!.grants['interactions']).toEqual({
      read: 'team', create: 'all', update: 'team', delete: 'team', archive: 'team', export: 'team', import: 'team', assign: 'team', merge: 'team', audit: 'team',
    });
    expect(Object.keys(BUILT_INS)).toEqual(['viewer', 'contributor', 'editor', 'manager', 'admin']);
  });

  it('lets a contributor create without naming an owner: the record is its own', async () => {
    const { crm } = await setUp('contributor', 'create', 'customers', {});
    const created = await crm.as(actorOf('contributor')).customers.create({ name: 'Mine' });
    expect(created.ownerId).toBe(ACTOR_ID);
    expect((await crm.as(ADMIN).customers.get(created.id)).ownerId).toBe(ACTOR_ID);
  });
});
