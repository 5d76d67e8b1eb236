import { describe, expect, it } from 'vitest';
import { createCrm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';

describe('derived fields on update', () => {
  it('keeps the stored tokens when no searchable field changed, and re-derives them when one did', async () => {
    const storage = memoryAdapter();
    // Watch what the engine reads and writes, to tell kept tokens (the very array it read) from
    // tokens derived again (a new array, equal or not).
    let read: Record<string, unknown> | undefined;
    let written: Record<string, unknown> | undefined;
    const watched: typeof storage = {
      ...storage,
      async get(collection, ids) {
        const found = await storage.get(collection, ids);
        if (collection === 'customers') read = found[0];
        return found;
      },
      async write(batch) {
        const op = batch.find((o) => o.type !== 'delete' && o.collection === 'customers');
        written = op !== undefined && op.type !== 'delete' ? op.record : undefined;
        return storage.write(batch);
      },
    };
    const crm = await createCrm({ storage: watched });
    const c = await crm.customers.create({ name: 'Şule Yıldız', emails: [{ address: 'sule@example.com' }], tags: ['retail'] });
    const tokensOf = async (): Promise<unknown> => (await storage.get('customers', [c.id]))[0]?.['_tokens'];
    const initial = await tokensOf();
    await crm.customers.update(c.id, { tier: 'vip', custom: {} });
    expect(written?.['_tokens']).toBe(read?.['_tokens']);
    expect(await tokensOf()).toEqual(initial);
    // Nested searchable values (emails.address) count as changes of their top-level field.
    await crm.customers.update(c.id, { emails: [{ address: 'yildiz@example.org' }] });
    expect(written?.['_tokens']).not.toBe(read?.['_tokens']);
    expect(await tokensOf()).not.toEqual(initial);
    expect((await crm.customers.find({ search: 'yildiz@example.org' })).items.map((x) => x.id)).toEqual([c.id]);
    expect((await crm.customers.find({ search: 'sule@example.com' })).items).toEqual([]);
    await crm.customers.update(c.id, { tags: ['wholesale'] });
    expect((await crm.customers.find({ search: 'wholesale' })).items.map((x) => x.id)).toEqual([c.id]);
    expect((await crm.customers.find({ search: 'retail' })).items).toEqual([]);
  });
});
