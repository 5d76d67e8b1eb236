import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError, ValidationError, createCrm } from '../../src/index';
import type { Crm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';

const START = Date.parse('2024-05-01T09:00:00Z');
async function crmOf() {
  let now = START;
  return createCrm({ storage: memoryAdapter(), clock: () => (now += 1000) });
}
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
/** Everything stored, per collection, without version/updatedAt (which an unmerge moves on). */
async function snapshot(crm: Crm): Promise<Record<string, unknown[]>> {
  const strip = (r: Record<string, unknown>) => {
    const { version: _v, updatedAt: _u, ...rest } = r;
    return rest;
  };
  return {
    customers: (await crm.customers.find({ includeArchived: true, limit: 1000 })).items.map((r) => strip(r as never)),
    interactions: (await crm.interactions.find({ includeArchived: true, limit: 1000 })).items.map((r) => strip(r as never)),
    tickets: (await (crm as unknown as { tickets: Crm['customers'] }).tickets.find({ includeArchived: true, limit: 1000 })).items.map((r) => strip(r as never)),
  };
}

async function setup() {
  const crm = await crmOf();
  const acme = await crm.customers.create({ name: 'Acme', kind: 'organization' });
  const acme2 = await crm.customers.create({ name: 'ACME Ltd', kind: 'organization' });
  const ada = await crm.customers.create({ name: 'Ada', emails: [{ address: 'ada@example.com', primary: true }], tags: ['vip'], tier: 'gold', custom: {}, organizationId: acme.id });
  const ada2 = await crm.customers.create({ name: 'Ada Lovelace', emails: [{ address: 'ADA@example.com' }, { address: 'ada@work.test', primary: true }], phones: [{ number: '+44 20 7946 0958' }], tags: ['vip', 'math'], notes: 'from the fair', organizationId: acme2.id });
  const ada3 = await crm.customers.create({ name: 'A. Lovelace', phones: [{ number: '020 7946 0958' }], tier: 'silver', consent: { email: { status: 'granted', at: '2024-01-01T00:00:00Z' } } });
  const calls = [
    await crm.interactions.log({ type: 'call', customerId: ada.id, body: 'one' }),
    await crm.interactions.log({ type: 'call', customerId: ada2.id, body: 'two' }),
    await crm.interactions.log({ type: 'note', customerId: ada3.id, body: 'three' }),
  ];
  await crm.interactions.archive(calls[2]!.id);
  const tickets = (crm as unknown as { tickets: { open(i: unknown): Promise<{ id: string }> } }).tickets;
  const ticket = await tickets.open({ subject: 'Broken', customerId: ada2.id });
  return { crm, acme, acme2, ada, ada2, ada3, calls, ticket };
}

describe('crm.customers.merge', () => {
  it('moves every reference to the primary, unions lists, fills fields and archives the duplicates, atomically', async () => {
    const { crm, ada, ada2, ada3, calls, ticket } = await setup();
    const events: { type: string }[] = [];
    crm.on('*', (e) => events.push(e as never));
    const result = await crm.customers.merge(ada.id, [ada2.id, ada3.id]);
    expect(result).toMatchObject({ duplicateIds: [ada2.id, ada3.id], moved: { interactions: 2, tickets: 1 } });
    expect(typeof result.mergeId).toBe('string');
    const primary = await crm.customers.get(ada.id);
    expect(primary).toMatchObject({
      name: 'Ada',
      tier: 'gold',
      notes: 'from the fair',
      emails: [{ address: 'ada@example.com', primary: true }, { address: 'ada@work.test' }],
      phones: [{ number: '+44 20 7946 0958' }],
      tags: ['vip', 'math'],
      consent: { email: { status: 'granted' } },
    });
    expect(result.primary).toEqual(primary);
    for (const c of calls) expect((await crm.interactions.get(c.id)).customerId).toBe(ada.id);
    expect((await (crm as unknown as { tickets: Crm['customers'] }).tickets.get(ticket.id) as unknown as { customerId: string }).customerId).toBe(ada.id);
    expect((await crm.customers.get(ada2.id)).archivedAt).toBeDefined();
    expect((await crm.customers.get(ada3.id)).archivedAt).toBeDefined();
    expect(await crm.customers.count()).toBe(3);
    expect(events.map((e) => e.type).at(-1)).toBe('customer.merged');
    expect(events.at(-1)).toMatchObject({ type: 'customer.merged', mergeId: result.mergeId, duplicateIds: [ada2.id, ada3.id], record: { id: ada.id } });
    const audit = (await crm.audit.find({ action: 'merge', limit: 100 })).items;
    expect(new Set(audit.map((a) => a.recordId))).toEqual(new Set([ada.id, ada2.id, ada3.id, calls[1]!.id, calls[2]!.id, ticket.id]));
  });

  it('prefers the newest value, or a given record per field', async () => {
    const { crm, ada, ada2, ada3 } = await setup();
    const newest = await crm.customers.merge(ada.id, [ada2.id, ada3.id], { prefer: 'newest' });
    expect(newest.primary).toMatchObject({ name: 'A. Lovelace', tier: 'silver' });
    await crm.customers.unmerge(newest.mergeId);
    const perField = await crm.customers.merge(ada.id, [ada2.id, ada3.id], { prefer: { name: ada2.id, tier: 'newest' } });
    expect(perField.primary).toMatchObject({ name: 'Ada Lovelace', tier: 'silver' });
  });

  it('re-points people of a merged organization and never points the primary at a duplicate', async () => {
    const { crm, acme, acme2, ada, ada2 } = await setup();
    const result = await crm.customers.merge(acme.id, [acme2.id]);
    expect(result.moved).toEqual({ customers: 1 });
    expect((await crm.customers.get(ada2.id)).organizationId).toBe(acme.id);
    expect((await crm.customers.get(ada.id)).organizationId).toBe(acme.id);
  });

  it('refuses bad arguments with ValidationError and unknown ids with NotFoundError, changing nothing', async () => {
    const { crm, ada, ada2 } = await setup();
    const before = await snapshot(crm);
    expect(await rejection(crm.customers.merge(ada.id, []))).toBeInstanceOf(ValidationError);
    expect(await rejection(crm.customers.merge(ada.id, [ada.id]))).toMatchObject({ name: 'ValidationError', issues: [{ path: ['duplicateIds', 0] }] });
    expect(await rejection(crm.customers.merge(ada.id, [ada2.id], { prefer: { name: 'someone-else' } }))).toBeInstanceOf(ValidationError);
    const missing = await rejection(crm.customers.merge(ada.id, ['ghost']));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ collection: 'customers', recordId: 'ghost' });
    expect(await snapshot(crm)).toEqual(before);
  });

  it('needs the merge permission: an editor is denied and nothing changes', async () => {
    const { crm, ada, ada2 } = await setup();
    const before = await snapshot(crm);
    const error = await rejection(crm.as({ id: 'u-e', roles: ['editor'] }).customers.merge(ada.id, [ada2.id]));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ action: 'merge', collection: 'customers' });
    expect(await snapshot(crm)).toEqual(before);
  });

  it('is one atomic write inside a batch too', async () => {
    const { crm, ada, ada2 } = await setup();
    const before = await snapshot(crm);
    await rejection(
      crm.batch(async (tx) => {
        await tx.customers.merge(ada.id, [ada2.id]);
        throw new Error('changed my mind');
      }),
    );
    expect(await snapshot(crm)).toEqual(before);
  });
});

describe('crm.customers.unmerge', () => {
  it('restores every record and every pointer (deep-equal except version and updatedAt)', async () => {
    const { crm, acme, acme2, ada, ada2, ada3 } = await setup();
    const before = await snapshot(crm);
    const m1 = await crm.customers.merge(ada.id, [ada2.id, ada3.id]);
    expect(await snapshot(crm)).not.toEqual(before);
    const undone = await crm.customers.unmerge(m1.mergeId);
    expect(undone.restored).toEqual({ interactions: 2, tickets: 1 });
    expect(await snapshot(crm)).toEqual(before);
    const m2 = await crm.customers.merge(acme.id, [acme2.id]);
    await crm.customers.unmerge(m2.mergeId);
    expect(await snapshot(crm)).toEqual(before);
  });

  it('keeps later changes to moved records, and leaves records created after the merge with the primary', async () => {
    const { crm, ada, ada2, calls } = await setup();
    const { mergeId } = await crm.customers.merge(ada.id, [ada2.id]);
    await crm.interactions.update(calls[1]!.id, { subject: 'edited later' });
    const later = await crm.interactions.log({ type: 'call', customerId: ada.id });
    await crm.customers.unmerge(mergeId);
    expect(await crm.interactions.get(calls[1]!.id)).toMatchObject({ customerId: ada2.id, subject: 'edited later' });
    expect((await crm.interactions.get(later.id)).customerId).toBe(ada.id);
  });

  it('refuses with ConflictError when the primary changed since, or when already undone', async () => {
    const { crm, ada, ada2 } = await setup();
    const { mergeId } = await crm.customers.merge(ada.id, [ada2.id]);
    const primary = await crm.customers.update(ada.id, { tier: 'platinum' });
    const error = await rejection(crm.customers.unmerge(mergeId));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ collection: 'customers', recordId: ada.id, actualVersion: primary.version, expectedVersion: primary.version - 1 });
    const m2 = await crm.customers.merge(ada.id, [(await crm.customers.create({ name: 'x' })).id]);
    await crm.customers.unmerge(m2.mergeId);
    const again = await rejection(crm.customers.unmerge(m2.mergeId));
    expect(again).toBeInstanceOf(ConflictError);
    expect(again).toMatchObject({ collection: 'merges', recordId: m2.mergeId, expectedVersion: 1, actualVersion: 2 });
  });

  it('refuses when a moved record now points elsewhere', async () => {
    const { crm, ada, ada2, ada3, calls } = await setup();
    const { mergeId } = await crm.customers.merge(ada.id, [ada2.id]);
    const moved = await crm.interactions.update(calls[1]!.id, { customerId: ada3.id });
    const error = await rejection(crm.customers.unmerge(mergeId));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ collection: 'interactions', recordId: calls[1]!.id, actualVersion: moved.version });
  });

  it('refuses an unknown merge with NotFoundError and emits customer.unmerged when it works', async () => {
    const { crm, ada, ada2 } = await setup();
    expect(await rejection(crm.customers.unmerge('nope'))).toBeInstanceOf(NotFoundError);
    const { mergeId } = await crm.customers.merge(ada.id, [ada2.id]);
    const types: string[] = [];
    crm.on('*', (e) => types.push((e as { type: string }).type));
    await crm.customers.unmerge(mergeId);
    expect(types.at(-1)).toBe('customer.unmerged');
    expect(types).toContain('customer.restored');
    const audit = (await crm.audit.find({ action: 'unmerge', limit: 100 })).items;
    expect(audit.length).toBeGreaterThanOrEqual(3);
  });
});
