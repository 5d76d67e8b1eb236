import { describe, expect, it } from 'vitest';
import { ConstraintError, QueryError, createCrm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';

const crmOf = (options: Parameters<typeof createCrm>[0] = {}) => createCrm({ storage: memoryAdapter(), ...options });
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('crm.customers.findDuplicates', () => {
  it('groups customers by normalized email, phone digits and folded name, with the reasons', async () => {
    const crm = await crmOf();
    const a = await crm.customers.create({ name: 'Ada Lovelace', emails: [{ address: 'Ada@Example.com' }] });
    const b = await crm.customers.create({ name: 'A. L.', emails: [{ address: 'ada@example.COM' }] });
    const c = await crm.customers.create({ name: 'Mehmet', phones: [{ number: '+90 532 123 45 67' }] });
    const d = await crm.customers.create({ name: 'M. Y.', phones: [{ number: '0532 123 4567' }] });
    const e = await crm.customers.create({ name: 'Ayşe Yılmaz' });
    const f = await crm.customers.create({ name: 'YILMAZ, Ayse' });
    await crm.customers.create({ name: 'Unrelated', emails: [{ address: 'u@example.com' }] });
    const { groups, scanned, more } = await crm.customers.findDuplicates();
    expect(scanned).toBe(7);
    expect(more).toBe(false);
    expect(groups.map((g) => g.ids)).toEqual([[a.id, b.id], [c.id, d.id], [e.id, f.id]]);
    expect(groups[0]?.reasons).toEqual([{ by: 'email', value: 'ada@example.com', ids: [a.id, b.id] }]);
    expect(groups[1]?.reasons).toEqual([{ by: 'phone', value: '5321234567', ids: [c.id, d.id] }]);
    expect(groups[2]?.reasons).toEqual([{ by: 'name', value: 'ayse yilmaz', ids: [e.id, f.id] }]);
    expect(groups[0]?.records.map((r) => r.name)).toEqual(['Ada Lovelace', 'A. L.']);
  });

  it('joins chains into one group (A~B by email, B~C by phone) and honours by and limit', async () => {
    const crm = await crmOf();
    const a = await crm.customers.create({ name: 'A', emails: [{ address: 'x@example.com' }] });
    const b = await crm.customers.create({ name: 'B', emails: [{ address: 'x@example.com' }], phones: [{ number: '555 123 4567' }] });
    const c = await crm.customers.create({ name: 'C', phones: [{ number: '(555) 123-4567' }] });
    const all = await crm.customers.findDuplicates();
    expect(all.groups.map((g) => g.ids)).toEqual([[a.id, b.id, c.id]]);
    expect(all.groups[0]?.reasons.map((r) => r.by).sort()).toEqual(['email', 'phone']);
    expect((await crm.customers.findDuplicates({ by: ['email'] })).groups.map((g) => g.ids)).toEqual([[a.id, b.id]]);
    await crm.customers.create({ name: 'Z' });
    await crm.customers.create({ name: 'Z' });
    const limited = await crm.customers.findDuplicates({ limit: 1 });
    expect(limited).toMatchObject({ more: true });
    expect(limited.groups).toHaveLength(1);
  });

  it('finds the duplicates of one customer through the index', async () => {
    const crm = await crmOf();
    const a = await crm.customers.create({ name: 'Ada', emails: [{ address: 'ada@example.com' }] });
    const b = await crm.customers.create({ name: 'Other', emails: [{ address: 'ADA@example.com' }] });
    await crm.customers.create({ name: 'Bob' });
    const { groups } = await crm.customers.findDuplicates({ of: a.id });
    expect(groups.map((g) => g.ids)).toEqual([[a.id, b.id]]);
  });

  it('leaves out archived customers and what the caller cannot read', async () => {
    const crm = await crmOf({ sensitiveFields: { customers: ['emails'] } });
    await crm.customers.create({ name: 'One', emails: [{ address: 'same@example.com' }] });
    const two = await crm.customers.create({ name: 'Two', emails: [{ address: 'same@example.com' }] });
    expect((await crm.customers.findDuplicates()).groups).toHaveLength(1);
    const viewer = crm.as({ id: 'u-v', roles: ['viewer'] });
    expect((await viewer.customers.findDuplicates()).groups).toEqual([]);
    await crm.customers.archive(two.id);
    expect((await crm.customers.findDuplicates()).groups).toEqual([]);
  });

  it('refuses an unknown reason with QueryError', async () => {
    const crm = await crmOf();
    const error = await rejection(crm.customers.findDuplicates({ by: ['shoe' as never] }));
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ path: ['by', 0] });
  });

  it('stays linear: 10k customers scanned in well under a few seconds', async () => {
    const crm = await crmOf();
    for (let i = 0; i < 10; i++) {
      await crm.customers.createMany(Array.from({ length: 1000 }, (_, j) => ({ name: `Person ${i * 1000 + j}`, emails: [{ address: `p${(i * 1000 + j) % 9_990}@example.com` }] })));
    }
    const t0 = performance.now();
    const { groups, scanned } = await crm.customers.findDuplicates({ by: ['email'], limit: 100 });
    expect(scanned).toBe(10_000);
    expect(groups).toHaveLength(10);
    expect(performance.now() - t0).toBeLessThan(10_000);
  }, 60_000);
});

describe('crm.customers.create with a duplicate check', () => {
  it('blocks a duplicate with ConstraintError naming the existing records', async () => {
    const crm = await crmOf();
    const ada = await crm.customers.create({ name: 'Ada', emails: [{ address: 'ada@example.com' }] });
    const error = await rejection(crm.customers.create({ name: 'Ada L', emails: [{ address: 'ADA@EXAMPLE.COM' }] }, { onDuplicate: 'block' }));
    expect(error).toBeInstanceOf(ConstraintError);
    expect(error).toMatchObject({ name: 'ConstraintError', code: 'constraint_violated', constraint: 'duplicate', conflictingIds: [ada.id], fields: ['emails'], collection: 'customers' });
    expect(await crm.customers.count()).toBe(1);
    const ok = await crm.customers.create({ name: 'Bob', emails: [{ address: 'bob@example.com' }] }, { onDuplicate: 'block' });
    expect(ok.name).toBe('Bob');
  });

  it('warns: creates the record and emits customer.duplicateSuspected after customer.created', async () => {
    const crm = await crmOf();
    const ada = await crm.customers.create({ name: 'Ada', phones: [{ number: '+44 20 7946 0958' }] });
    const events: { type: string; duplicateIds?: string[] }[] = [];
    crm.on('*', (e) => events.push(e as never));
    const again = await crm.customers.create({ name: 'Ada 2', phones: [{ number: '020 7946 0958' }] }, { onDuplicate: 'warn' });
    expect(await crm.customers.count()).toBe(2);
    expect(events.map((e) => e.type)).toEqual(['customer.created', 'customer.duplicateSuspected']);
    expect(events[1]).toMatchObject({ record: { id: again.id }, duplicateIds: [ada.id], reasons: [{ by: 'phone', ids: [ada.id] }] });
  });

  it('inside a batch, sees the batch own pending records and fires after the commit', async () => {
    const crm = await crmOf();
    const types: string[] = [];
    crm.on('*', (e) => types.push((e as { type: string }).type));
    const error = await rejection(
      crm.batch(async (tx) => {
        await tx.customers.create({ name: 'Ada', emails: [{ address: 'a@example.com' }] });
        await tx.customers.create({ name: 'Ada', emails: [{ address: 'a@example.com' }] }, { onDuplicate: 'block' });
      }),
    );
    expect(error).toBeInstanceOf(ConstraintError);
    expect(await crm.customers.count()).toBe(0);
    expect(types).toEqual([]);
  });
});
