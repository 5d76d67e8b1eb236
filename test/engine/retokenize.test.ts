import { describe, expect, it } from 'vitest';
import { createCrm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';

describe('re-tokenizing stored records', () => {
  it('re-derives tokens made by another tokenizer when a Crm opens the storage', async () => {
    const storage = memoryAdapter();
    const first = await createCrm({ storage });
    const c = await first.customers.create({ name: 'Şule Yıldız', emails: [{ address: 'sule@example.com' }] });
    // Simulate records written by an older tokenizer: tokens gone, marker from another version.
    const [stored] = await storage.get('customers', [c.id]);
    await storage.write([{ type: 'update', collection: 'customers', record: { ...stored!, _tokens: ['n^10:stale'] }, expectedVersion: stored!.version }]);
    const [marker] = await storage.get('system', ['derived:customers']);
    await storage.write([{ type: 'update', collection: 'system', record: { ...marker!, marker: 'old' }, expectedVersion: marker!.version }]);
    expect((await first.customers.find({ search: 'sule' })).items).toEqual([]);

    const second = await createCrm({ storage });
    const hits = (await second.customers.find({ search: 'sule yildiz' })).items;
    expect(hits.map((h) => h.id)).toEqual([c.id]);
    // Content did not change, so neither did the version.
    expect(hits[0]?.version).toBe(1);
    const [after] = await storage.get('system', ['derived:customers']);
    expect(after?.['marker']).not.toBe('old');
  });

  it('leaves records alone when the marker matches', async () => {
    const storage = memoryAdapter();
    const first = await createCrm({ storage });
    await first.customers.create({ name: 'Ada' });
    const { lastSeq } = await storage.changes(0);
    await createCrm({ storage });
    expect((await storage.changes(lastSeq)).changes).toEqual([]);
  });
});
