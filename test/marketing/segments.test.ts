// Segments: validated saved queries whose members are found as the caller.
import { describe, expect, it } from 'vitest';
import { PermissionError, QueryError, ValidationError } from '../../src/index';
import { rejection, world } from './helpers';

async function seeded() {
  const w = world('2024-05-01T09:00:00Z');
  const crm = await w.crm({ sensitiveFields: { customers: ['notes'] } });
  await crm.customers.create({ name: 'Ada', tier: 'vip', addresses: [{ country: 'TR' }], teamId: 'emea' });
  await crm.customers.create({ name: 'Bob', tier: 'vip', addresses: [{ country: 'DE' }], teamId: 'apac' });
  await crm.customers.create({ name: 'Cem', tier: 'vip', addresses: [{ country: 'TR' }], teamId: 'apac' });
  await crm.customers.create({ name: 'Dan', blocked: { reason: 'unpaid invoices' }, teamId: 'emea' });
  return { w, crm };
}

describe('crm.segments', () => {
  it('evaluates members on demand, so a record that starts matching is a member at once', async () => {
    const { crm } = await seeded();
    const vipsInTurkey = await crm.segments.create({ name: 'VIPs in Türkiye', collection: 'customers', where: { and: [{ field: 'tier', op: 'eq', value: 'vip' }, { field: 'addresses.country', op: 'eq', value: 'TR' }] } });
    const blocked = await crm.segments.create({ name: 'Blocked', collection: 'customers', where: { field: 'blocked', op: 'exists', value: true } });
    expect((await crm.segments.members(vipsInTurkey.id, { orderBy: [{ field: 'name' }] })).items.map((c) => c['name'])).toEqual(['Ada', 'Cem']);
    expect(await crm.segments.count(blocked.id)).toBe(1);
    await crm.customers.create({ name: 'Eda', tier: 'vip', addresses: [{ country: 'TR' }] });
    expect(await crm.segments.count(vipsInTurkey.id)).toBe(3);
    // count without an id counts segments, like every collection.
    expect(await crm.segments.count()).toBe(2);
  });

  it('finds members as the caller: a manager sees only their team', async () => {
    const { crm } = await seeded();
    const vips = await crm.segments.create({ name: 'VIPs', collection: 'customers', where: { field: 'tier', op: 'eq', value: 'vip' } });
    const manager = crm.as({ id: 'u-mia', roles: ['manager'], teamIds: ['apac'] });
    // The manager's scope is their team, segments included: share the segment with the team.
    await crm.segments.update(vips.id, { teamId: 'apac' });
    const page = await manager.segments.members(vips.id, { orderBy: [{ field: 'name' }], total: true });
    expect(page.items.map((c) => c['name'])).toEqual(['Bob', 'Cem']);
    expect(page.total).toBe(2);
    expect(await manager.segments.count(vips.id)).toBe(2);
  });

  it('pages members with a cursor', async () => {
    const { crm } = await seeded();
    const all = await crm.segments.create({ name: 'Everyone', collection: 'customers', where: { field: 'name', op: 'exists', value: true } });
    const first = await crm.segments.members(all.id, { orderBy: [{ field: 'name', direction: 'desc' }], limit: 3 });
    const second = await crm.segments.members(all.id, { orderBy: [{ field: 'name', direction: 'desc' }], limit: 3, cursor: first.nextCursor as string });
    expect([...first.items, ...second.items].map((c) => c['name'])).toEqual(['Dan', 'Cem', 'Bob', 'Ada']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('refuses a bad filter with a QueryError naming its path under where', async () => {
    const { crm } = await seeded();
    const error = await rejection(crm.segments.create({ name: 'x', collection: 'customers', where: { field: 'tier', op: 'like', value: 'v' } as never }));
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).path[0]).toBe('where');
    const internal = await rejection(crm.segments.create({ name: 'x', collection: 'customers', where: { field: '_country', op: 'eq', value: 'TR' } }));
    expect(internal).toBeInstanceOf(QueryError);
    expect(internal).toMatchObject({ path: ['where', 'field'] });
    expect(await crm.segments.count()).toBe(0);
  });

  it('refuses an unknown collection with a ValidationError at collection', async () => {
    const { crm } = await seeded();
    for (const collection of ['planets', 'automations']) {
      const error = await rejection(crm.segments.create({ name: 'x', collection, where: { field: 'name', op: 'exists', value: true } }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ issues: [{ path: ['collection'], code: 'invalid_value' }] });
    }
  });

  it('refuses a filter on a field the caller cannot read, at create and when listing members', async () => {
    const { crm } = await seeded();
    const viewer = crm.as({ id: 'u-vic', roles: ['contributor'] });
    const error = await rejection(viewer.segments.create({ name: 'x', collection: 'customers', where: { field: 'notes', op: 'contains', value: 'late' } }));
    expect(error).toBeInstanceOf(PermissionError);
    const byAdmin = await crm.segments.create({ name: 'Noted', collection: 'customers', where: { field: 'notes', op: 'exists', value: true } });
    const listing = await rejection(viewer.segments.members(byAdmin.id));
    expect(listing).toBeInstanceOf(PermissionError);
    expect(listing).toMatchObject({ collection: 'customers', actorId: 'u-vic' });
  });

  it('checks the filter again when it is updated', async () => {
    const { crm } = await seeded();
    const s = await crm.segments.create({ name: 'VIPs', collection: 'customers', where: { field: 'tier', op: 'eq', value: 'vip' } });
    const error = await rejection(crm.segments.update(s.id, { where: { field: 'tier', op: 'between', value: 1 } as never }));
    expect(error).toBeInstanceOf(QueryError);
    expect((await crm.segments.get(s.id)).where).toEqual({ field: 'tier', op: 'eq', value: 'vip' });
  });
});
