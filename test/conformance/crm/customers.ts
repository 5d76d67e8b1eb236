/**
 * Customers: create, read, update, archive, restore, delete and upsert; ids, versions,
 * timestamps, ownership; records handed out as copies without internal fields.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, ConstraintError, NotFoundError, ValidationError } from '../../../src/index';
import type { CrmContext } from './context';
import { internalKeys, recordEvents, rejection } from './context';

/** The customer tests. */
export function customerTests(t: CrmContext): void {
  describe('create and read', () => {
    it('creates a customer with defaults and returns the stored record', async () => {
      const crm = await t.crm();
      const ada = await crm.customers.create({ name: 'Ada Lovelace', emails: [{ address: 'ada@example.com' }] });
      expect(ada).toMatchObject({
        name: 'Ada Lovelace',
        kind: 'person',
        lifecycle: 'lead',
        emails: [{ address: 'ada@example.com' }],
        phones: [],
        addresses: [],
        tags: [],
        custom: {},
        version: 1,
        createdAt: t.iso(),
        updatedAt: t.iso(),
        ownerId: 'u-admin',
      });
      expect(ada.id).toEqual(expect.any(String));
      expect(await crm.customers.get(ada.id)).toEqual(ada);
    });

    it('trims the name and upper-cases country codes', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: '  Mehmet  ', addresses: [{ country: 'tr', city: 'Izmir' }] });
      expect(c.name).toBe('Mehmet');
      expect(c.addresses).toEqual([{ country: 'TR', city: 'Izmir' }]);
    });

    it('keeps a client-given id', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ id: 'cust-42', name: 'Given' });
      expect(c.id).toBe('cust-42');
      expect(await crm.customers.get('cust-42')).toMatchObject({ id: 'cust-42', name: 'Given', version: 1 });
    });

    it('makes ids that sort in creation order, even within one millisecond', async () => {
      const crm = await t.crm();
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        ids.push((await crm.customers.create({ name: `c${i}` })).id);
        if (i % 10 === 9) t.advance(1);
      }
      expect(new Set(ids).size).toBe(40);
      expect([...ids].sort()).toEqual(ids);
      const { items } = await crm.customers.find({ limit: 100 });
      expect(items.map((c) => c.id)).toEqual(ids);
    });

    it('rejects a taken id with ConflictError', async () => {
      const crm = await t.crm();
      await crm.customers.create({ id: 'dup', name: 'First' });
      const error = await rejection(crm.customers.create({ id: 'dup', name: 'Second' }));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ name: 'ConflictError', code: 'version_conflict', collection: 'customers', recordId: 'dup', expectedVersion: 0, actualVersion: 1 });
      expect(await crm.customers.get('dup')).toMatchObject({ name: 'First', version: 1 });
    });

    it('rejects an empty id with ValidationError', async () => {
      const crm = await t.crm();
      const error = await rejection(crm.customers.create({ id: '', name: 'x' }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: ['id'] })]) });
      expect(await crm.customers.count()).toBe(0);
    });

    it('throws NotFoundError for a missing id and getMany answers undefined in place', async () => {
      const crm = await t.crm();
      const a = await crm.customers.create({ name: 'A' });
      const b = await crm.customers.create({ name: 'B' });
      const error = await rejection(crm.customers.get('nope'));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ name: 'NotFoundError', code: 'not_found', collection: 'customers', recordId: 'nope' });
      const many = await crm.customers.getMany([b.id, 'nope', a.id, b.id]);
      expect(many.map((c) => c?.name)).toEqual(['B', undefined, 'A', 'B']);
    });

    it('defaults ownerId to the acting user and keeps a given one', async () => {
      const crm = await t.crm({ actor: { id: 'u-ann', roles: ['admin'] } });
      expect((await crm.customers.create({ name: 'Mine' })).ownerId).toBe('u-ann');
      expect((await crm.customers.create({ name: 'Theirs', ownerId: 'u-bob' })).ownerId).toBe('u-bob');
    });
  });

  describe('versions and timestamps', () => {
    it('starts at version 1 and adds 1 per write; createdAt stays, updatedAt moves with the clock', async () => {
      const crm = await t.crm();
      const created = await crm.customers.create({ name: 'Ada' });
      const createdAt = t.iso();
      t.advance(60_000);
      const v2 = await crm.customers.update(created.id, { tier: 'vip' });
      expect(v2).toMatchObject({ version: 2, createdAt, updatedAt: t.iso(), tier: 'vip' });
      t.advance(1_000);
      const v3 = await crm.customers.update(created.id, { notes: 'likes tea' });
      expect(v3).toMatchObject({ version: 3, createdAt, updatedAt: t.iso(), tier: 'vip', notes: 'likes tea' });
      expect(await crm.customers.get(created.id)).toEqual(v3);
    });

    it('does not write, bump the version or emit when a patch changes nothing', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada', tier: 'vip' });
      const events = recordEvents(crm);
      t.advance(1_000);
      const same = await crm.customers.update(c.id, { tier: 'vip' });
      expect(same).toEqual(c);
      expect(await crm.customers.get(c.id)).toEqual(c);
      expect(events).toEqual([]);
    });
  });

  describe('engine-kept fields', () => {
    it('keeps the lifecycle history: each stage entered, with when', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      expect(c.lifecycleHistory).toEqual([{ stage: 'lead', at: t.iso() }]);
      t.advance(60_000);
      await crm.customers.update(c.id, { tier: 'vip' });
      const prospect = await crm.customers.update(c.id, { lifecycle: 'prospect' });
      expect(prospect.lifecycleHistory).toEqual([{ stage: 'lead', at: t.iso(-60_000) }, { stage: 'prospect', at: t.iso() }]);
    });

    it('keeps a lifecycle history given on create (an import) and appends to it', async () => {
      const crm = await t.crm();
      const history = [{ stage: 'lead' as const, at: '2019-01-01T00:00:00.000Z' }, { stage: 'customer' as const, at: '2020-06-01T00:00:00.000Z' }];
      const c = await crm.customers.create({ name: 'Imported', lifecycle: 'customer', lifecycleHistory: history });
      expect(c.lifecycleHistory).toEqual(history);
      const churned = await crm.customers.update(c.id, { lifecycle: 'churned' });
      expect(churned.lifecycleHistory).toEqual([...history, { stage: 'churned', at: t.iso() }]);
    });

    it('dates a block from now when no date is given', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Mallory', blocked: { reason: 'fraud' } });
      expect(c.blocked).toEqual({ reason: 'fraud', since: t.iso() });
    });
  });

  describe('archive, restore, delete', () => {
    it('archives (left out of find, still readable by id) and restores', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Old' });
      await crm.customers.create({ name: 'Current' });
      t.advance(5_000);
      const archived = await crm.customers.archive(c.id);
      expect(archived).toMatchObject({ archivedAt: t.iso(), version: 2 });
      expect((await crm.customers.find()).items.map((x) => x.name)).toEqual(['Current']);
      expect((await crm.customers.find({ includeArchived: true })).items.map((x) => x.name)).toEqual(['Old', 'Current']);
      expect(await crm.customers.count()).toBe(1);
      expect(await crm.customers.count(undefined, { includeArchived: true })).toBe(2);
      expect(await crm.customers.get(c.id)).toMatchObject({ archivedAt: t.iso() });
      const restored = await crm.customers.restore(c.id);
      expect(restored.version).toBe(3);
      expect('archivedAt' in restored).toBe(false);
      expect(await crm.customers.count()).toBe(2);
    });

    it('deletes for good', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Gone' });
      await crm.customers.delete(c.id);
      expect(await rejection(crm.customers.get(c.id))).toBeInstanceOf(NotFoundError);
      expect(await crm.customers.count(undefined, { includeArchived: true })).toBe(0);
      const again = await rejection(crm.customers.delete(c.id));
      expect(again).toBeInstanceOf(NotFoundError);
      expect(again).toMatchObject({ collection: 'customers', recordId: c.id });
    });
  });

  describe('upsert by externalId', () => {
    it('creates the first time and patches the same record the next', async () => {
      const crm = await t.crm();
      const first = await crm.customers.upsert({ externalId: 'crm-1', name: 'Ada', tags: ['a'] });
      expect(first.created).toBe(true);
      expect(first.record).toMatchObject({ externalId: 'crm-1', name: 'Ada', version: 1 });
      const second = await crm.customers.upsert({ externalId: 'crm-1', name: 'Ada Lovelace', tier: 'vip' });
      expect(second.created).toBe(false);
      expect(second.record).toMatchObject({ id: first.record.id, externalId: 'crm-1', name: 'Ada Lovelace', tier: 'vip', tags: ['a'], version: 2 });
      const other = await crm.customers.upsert({ externalId: 'crm-2', name: 'Bob' });
      expect(other.created).toBe(true);
      expect(await crm.customers.count()).toBe(2);
    });

    it('keeps externalId unique: a create with a taken one is a ConstraintError', async () => {
      const crm = await t.crm();
      const ada = await crm.customers.create({ name: 'Ada', externalId: 'x-1' });
      const error = await rejection(crm.customers.create({ name: 'Imposter', externalId: 'x-1' }));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ name: 'ConstraintError', constraint: 'unique', conflictingIds: [ada.id] });
      expect(await crm.customers.count()).toBe(1);
    });

    it('two concurrent upserts of one externalId make one record, one of them created', async () => {
      const crm = await t.crm();
      const [a, b] = await Promise.all([
        crm.customers.upsert({ externalId: 'race', name: 'Racer', tier: 'gold' }),
        crm.customers.upsert({ externalId: 'race', name: 'Racer', notes: 'second' }),
      ]);
      expect([a.created, b.created].sort()).toEqual([false, true]);
      expect(a.record.id).toBe(b.record.id);
      expect(await crm.customers.count()).toBe(1);
      expect(await crm.customers.get(a.record.id)).toMatchObject({ tier: 'gold', notes: 'second', version: 2 });
    });

    it('rejects an upsert without externalId with ValidationError', async () => {
      const crm = await t.crm();
      const error = await rejection(crm.customers.upsert({ name: 'No key' } as never));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: ['externalId'] })]) });
    });
  });

  describe('copies, never internals', () => {
    it('hands out copies: mutating a returned record, a found item or the input changes nothing stored', async () => {
      const crm = await t.crm();
      const input = { name: 'Ada', tags: ['x'], source: { channel: 'web' } };
      const created = await crm.customers.create(input);
      input.tags.push('from-input');
      input.source.channel = 'mutated';
      created.tags.push('from-result');
      created.name = 'Mutated';
      const got = await crm.customers.get(created.id);
      got.emails.push({ address: 'evil@example.com' });
      const found = (await crm.customers.find()).items[0]!;
      found.tags.length = 0;
      const [many] = await crm.customers.getMany([created.id]);
      many!.addresses.push({ country: 'ZZ' });
      expect(await crm.customers.get(created.id)).toMatchObject({ name: 'Ada', tags: ['x'], source: { channel: 'web' }, emails: [], addresses: [], version: 1 });
    });

    it('never shows internal `_` fields in results, pages or events', async () => {
      const crm = await t.crm();
      const events = recordEvents(crm);
      const c = await crm.customers.create({ name: 'Ada Lovelace', emails: [{ address: 'ada@example.com' }], addresses: [{ country: 'TR' }], source: { campaignId: 'camp-1' } });
      const i = await crm.interactions.log({ type: 'call', customerId: c.id, subject: 'hello there' });
      await crm.customers.update(c.id, { tier: 'vip' });
      const results: unknown[] = [
        c,
        i,
        await crm.customers.get(c.id),
        await crm.customers.getMany([c.id]),
        await crm.customers.find({ search: 'ada' }),
        await crm.interactions.find(),
        await crm.customers.timeline(c.id),
        events,
      ];
      expect(internalKeys(results)).toEqual([]);
      expect(events.length).toBeGreaterThanOrEqual(3);
    });
  });
}
