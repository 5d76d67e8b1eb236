/**
 * Scope inside queries: a manager's pages are full, counts and totals are the scoped number,
 * a foreign record is refused, and a record that leaves the team leaves the manager's watch.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, Crm, Customer } from '../../src/index';
import { eventually, expectPermissionError, fakeClock, makeCrm } from './helpers';

const MANAGER: Actor = { id: 'u-manager', roles: ['manager'], teamIds: ['team-a'] };

const open: Crm[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

/** 35 records of team A (30 a teammate's, 5 the manager's own in another team) among 100 others. */
async function setUp(): Promise<{ crm: Crm; team: Customer[]; others: Customer[] }> {
  const { clock, advance } = fakeClock();
  const crm = (await makeCrm({ clock })) as unknown as Crm;
  open.push(crm);
  const team: Customer[] = [];
  const others: Customer[] = [];
  let teamCount = 0;
  let ownCount = 0;
  for (let i = 0; i < 135; i++) {
    // Interleaved, so scoped records spread over the whole id and name order.
    let ownership: { ownerId: string; teamId: string };
    if (ownCount < 5 && i % 27 === 0) {
      ownership = { ownerId: 'u-manager', teamId: 'team-b' };
      ownCount++;
    } else if (teamCount < 30 && i % 4 === 1) {
      ownership = { ownerId: `u-rep-${i % 3}`, teamId: 'team-a' };
      teamCount++;
    } else {
      ownership = { ownerId: `u-rep-${i % 3}`, teamId: i % 2 ? 'team-b' : 'team-c' };
    }
    const c = await crm.customers.create({ name: `Customer ${String(1000 - i).padStart(4, '0')}`, ...ownership });
    advance(1);
    (ownership.teamId === 'team-a' || ownership.ownerId === 'u-manager' ? team : others).push(c);
  }
  expect(team).toHaveLength(35);
  expect(others).toHaveLength(100);
  return { crm, team, others };
}

describe('a manager of team A', () => {
  it.each([
    ['creation order', undefined],
    ['name, descending', [{ field: 'name', direction: 'desc' as const }]],
  ])('gets full pages in %s: 3 pages of 10 and the rest, only team records', async (_label, orderBy) => {
    const { crm, team } = await setUp();
    const view = crm.as(MANAGER);
    const sizes: number[] = [];
    const seen: string[] = [];
    let cursor: string | undefined;
    const totals: (number | undefined)[] = [];
    do {
      const page = await view.customers.find({ limit: 10, total: true, ...(orderBy ? { orderBy } : {}), ...(cursor ? { cursor } : {}) });
      sizes.push(page.items.length);
      totals.push(page.total);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([10, 10, 10, 5]);
    expect(new Set(totals)).toEqual(new Set([35]));
    expect(new Set(seen)).toEqual(new Set(team.map((c) => c.id)));
    expect(seen).toHaveLength(35);
    if (orderBy) {
      const names = seen.map((id) => team.find((c) => c.id === id)!.name);
      expect(names).toEqual([...names].sort().reverse());
    }
  });

  it('counts only the team records, with and without a filter', async () => {
    const { crm, team } = await setUp();
    const view = crm.as(MANAGER);
    expect(await view.customers.count()).toBe(35);
    expect(await crm.customers.count()).toBe(135);
    const teamA = { field: 'teamId', op: 'eq' as const, value: 'team-a' };
    expect(await view.customers.count(teamA)).toBe(30);
    const teamB = { field: 'teamId', op: 'eq' as const, value: 'team-b' };
    // Only the manager's own records of team B, not the 50 others.
    expect(await view.customers.count(teamB)).toBe(5);
    expect((await view.customers.find({ where: teamB, total: true, limit: 2 })).total).toBe(5);
    expect(team.filter((c) => c.teamId === 'team-b').every((c) => c.ownerId === 'u-manager')).toBe(true);
  });

  it('is refused a foreign record by get with PermissionError, and gets undefined from getMany', async () => {
    const { crm, team, others } = await setUp();
    const view = crm.as(MANAGER);
    const foreign = others[0]!;
    await expectPermissionError(view.customers.get(foreign.id), { actorId: 'u-manager', action: 'read', collection: 'customers', recordId: foreign.id });
    expect((await view.customers.getMany([team[0]!.id, foreign.id])).map((c) => c?.id)).toEqual([team[0]!.id, undefined]);
    await expect(view.customers.get(team[0]!.id)).resolves.toMatchObject({ id: team[0]!.id });
  });

  it('sees a record leave its watch when an admin moves it to another team, and come back', async () => {
    const { crm, team } = await setUp();
    const moved = team.find((c) => c.teamId === 'team-a')!;
    const live = crm.as(MANAGER).customers.watch({ limit: 100, total: true });
    try {
      const first = await live.ready;
      expect(first.items).toHaveLength(35);
      expect(first.total).toBe(35);
      await crm.customers.update(moved.id, { teamId: 'team-c' });
      await eventually(() => expect(live.getSnapshot().items).toHaveLength(34));
      expect(live.getSnapshot().items.map((c) => c.id)).not.toContain(moved.id);
      expect(live.getSnapshot().total).toBe(34);
      await crm.customers.update(moved.id, { teamId: 'team-a' });
      await eventually(() => expect(live.getSnapshot().items.map((c) => c.id)).toContain(moved.id));
    } finally {
      live();
    }
  });

  it('does not receive events about a record once it has left the team', async () => {
    const { crm, team } = await setUp();
    const moved = team.find((c) => c.teamId === 'team-a')!;
    const seen: string[] = [];
    crm.as(MANAGER).on('customer.updated', (e) => seen.push(`${e.record.id}:${e.record.version}`));
    await crm.customers.update(moved.id, { teamId: 'team-c' });
    await crm.customers.update(moved.id, { tier: 'vip' });
    expect(seen).toEqual([]);
    await crm.customers.update(team[0]!.id, { tier: 'vip' });
    expect(seen).toEqual([`${team[0]!.id}:2`]);
  });

  it('sees only its teams in a customer timeline and in interaction finds', async () => {
    const { crm, team, others } = await setUp();
    const customer = team.find((c) => c.teamId === 'team-a')!;
    await crm.interactions.log({ type: 'call', customerId: customer.id, subject: 'team', teamId: 'team-a', ownerId: 'u-rep-1' });
    await crm.interactions.log({ type: 'call', customerId: customer.id, subject: 'foreign', teamId: 'team-b', ownerId: 'u-rep-1' });
    await crm.interactions.log({ type: 'call', customerId: customer.id, subject: 'assigned', teamId: 'team-b', ownerId: 'u-rep-1', assigneeId: 'u-manager' });
    const view = crm.as(MANAGER);
    const timeline = await view.customers.timeline(customer.id);
    expect(timeline.items.map((i) => i.subject).sort()).toEqual(['assigned', 'team']);
    expect(await view.interactions.count()).toBe(2);
    await expectPermissionError(view.customers.timeline(others[0]!.id), { actorId: 'u-manager', action: 'read', collection: 'customers', recordId: others[0]!.id });
  });
});
