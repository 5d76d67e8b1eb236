import { describe, expect, it } from 'vitest';
import { indexedDbAdapter } from '../../../adapters/indexeddb/index';
import type { Filter } from '../../../src/index';

describe('indexedDbAdapter and empty key ranges', () => {
  it('answers a condition whose key range holds nothing (< "") with no rows instead of a DataError', async () => {
    const adapter = indexedDbAdapter({ name: `empty-range-${Date.now()}-${Math.random()}` });
    await adapter.open({ collections: { rows: { indexes: [{ name: 'tags', fields: ['tags'], multiEntry: true }, { name: 'a', fields: ['a'] }] } } });
    await adapter.write([
      { type: 'insert', collection: 'rows', record: { id: 'r1', version: 1, a: 'x', tags: ['b'] } },
      { type: 'insert', collection: 'rows', record: { id: 'r2', version: 1, a: 'y', tags: [''] } },
    ]);
    const where: Filter = { and: [{ field: 'a', op: 'has', value: 'x' }, { field: 'tags', op: 'lt', value: '' }] };
    expect(await adapter.query('rows', { where, orderBy: [{ field: 'a' }], limit: 1 })).toEqual({ items: [] });
    expect(await adapter.count('rows', { field: 'tags', op: 'lt', value: '' })).toBe(0);
    await adapter.close();
  });
});
