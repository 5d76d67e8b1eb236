import { describe, expect, it, vi } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index';
import { ConstraintError, StorageError } from '../../../src/errors';
import type { StorageSchema } from '../../../src/index';

const plain: StorageSchema = { collections: { notes: { indexes: [] } } };

describe('memoryAdapter', () => {
  it('refuses calls before open and after the last close, and keeps data across a reopen', async () => {
    const s = memoryAdapter();
    await expect(s.get('notes', ['n1'])).rejects.toBeInstanceOf(StorageError);
    await expect(s.write([])).rejects.toBeInstanceOf(StorageError);
    await s.open(plain);
    await s.write([{ type: 'insert', collection: 'notes', record: { id: 'n1', version: 1 } }]);
    await s.close();
    await expect(s.query('notes', {})).rejects.toBeInstanceOf(StorageError);
    await s.open(plain);
    expect(await s.get('notes', ['n1'])).toEqual([{ id: 'n1', version: 1 }]);
  });

  it('stays open while any of several sharers has not closed it', async () => {
    const s = memoryAdapter();
    await s.open(plain);
    await s.open(plain);
    await s.close();
    expect(await s.count('notes')).toBe(0);
    await s.close();
    await expect(s.count('notes')).rejects.toBeInstanceOf(StorageError);
  });

  it('adds collections and indexes on a second open, building new indexes from the data', async () => {
    const s = memoryAdapter();
    await s.open(plain);
    await s.write([1, 2, 3].map((n) => ({ type: 'insert' as const, collection: 'notes', record: { id: `n${n}`, version: 1, topic: n === 2 ? 'crm' : 'misc' } })));
    await s.open({ collections: { notes: { indexes: [{ name: 'topic', fields: ['topic'] }] }, tasks: { indexes: [] } } });
    const plan = await s.explain('notes', { where: { field: 'topic', op: 'eq', value: 'crm' } });
    expect(plan).toMatchObject({ index: 'topic', strategy: 'index-equality', rowsReturned: 1 });
    expect(await s.count('tasks')).toBe(0);
    // A later open that leaves the index out does not drop it.
    await s.open(plain);
    expect((await s.explain('notes', { where: { field: 'topic', op: 'eq', value: 'crm' } })).index).toBe('topic');
  });

  it('refuses a new unique index that the stored data already breaks, declaring nothing', async () => {
    const s = memoryAdapter();
    await s.open(plain);
    await s.write([1, 2].map((n) => ({ type: 'insert' as const, collection: 'notes', record: { id: `n${n}`, version: 1, code: 'same' } })));
    const error = await s.open({ collections: { notes: { indexes: [{ name: 'code', fields: ['code'], unique: true }] } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintError);
    expect(error).toMatchObject({ constraint: 'unique', index: 'code', fields: ['code'], conflictingIds: ['n1'], recordId: 'n2' });
    expect((await s.explain('notes', { where: { field: 'code', op: 'eq', value: 'same' } })).index).toBeNull();
  });

  it('keeps only the latest change of each record in the feed, tombstones included', async () => {
    const s = memoryAdapter();
    await s.open(plain);
    await s.write([{ type: 'insert', collection: 'notes', record: { id: 'a', version: 1 } }]);
    for (let v = 2; v <= 3000; v++) await s.write([{ type: 'update', collection: 'notes', record: { id: 'a', version: v } }]);
    await s.write([{ type: 'insert', collection: 'notes', record: { id: 'b', version: 1 } }, { type: 'delete', collection: 'notes', id: 'b' }]);
    const page = await s.changes(0);
    expect(page.changes).toEqual([
      { seq: 3000, collection: 'notes', id: 'a', type: 'put', version: 3000 },
      { seq: 3002, collection: 'notes', id: 'b', type: 'delete', version: 1 },
    ]);
    expect(page.lastSeq).toBe(3002);
    expect(await s.changes(3002)).toEqual({ changes: [], lastSeq: 3002 });
    expect((await s.changes(0, 1)).lastSeq).toBe(3000);
  });

  it('keeps one latest change per record when records are deleted and created again, before and after compaction', async () => {
    const s = memoryAdapter();
    await s.open(plain);
    const put = (id: string, version: number, type: 'insert' | 'update' = 'insert') => ({ type, collection: 'notes', record: { id, version } }) as const;
    // Written once, never again: stays in the feed as it was.
    await s.write([put('once', 1)]);
    // Created, deleted and created again in one batch, then in separate batches.
    await s.write([put('x', 1), { type: 'delete', collection: 'notes', id: 'x' }, put('x', 1)]);
    await s.write([{ type: 'delete', collection: 'notes', id: 'x' }]);
    await s.write([put('y', 1)]);
    // Enough updates of another record to compact the feed (more than 1,024 replaced entries).
    await s.write([put('busy', 1)]);
    for (let v = 2; v <= 1500; v++) await s.write([put('busy', v, 'update')]);
    // After compaction: the tombstone of x is replaced by its new creation; y is updated once.
    await s.write([put('x', 1)]);
    await s.write([put('y', 2, 'update')]);
    const { changes } = await s.changes(0, 10_000);
    expect(changes.map(({ id, type, version }) => ({ id, type, version }))).toEqual([
      { id: 'once', type: 'put', version: 1 },
      { id: 'busy', type: 'put', version: 1500 },
      { id: 'x', type: 'put', version: 1 },
      { id: 'y', type: 'put', version: 2 },
    ]);
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(changes[0]?.seq).toBe(1);
    // Reading from just before x's re-creation shows only what came after.
    const x = changes[2]?.seq as number;
    expect((await s.changes(x - 1)).changes.map((c) => c.id)).toEqual(['x', 'y']);
  });

  it('reports a throwing listener and still commits and notifies the others', async () => {
    const onListenerError = vi.fn();
    const s = memoryAdapter({ onListenerError });
    await s.open(plain);
    const seen: string[] = [];
    s.subscribe(() => {
      throw new Error('boom');
    });
    const stop = s.subscribe((changes) => seen.push(...changes.map((c) => c.id)));
    const result = await s.write([{ type: 'insert', collection: 'notes', record: { id: 'n1', version: 1 } }]);
    expect(result.changes).toHaveLength(1);
    expect(seen).toEqual(['n1']);
    expect(onListenerError).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }));
    stop();
    await s.write([{ type: 'insert', collection: 'notes', record: { id: 'n2', version: 1 } }]);
    expect(seen).toEqual(['n1']);
  });

  it('stores and hands out copies', async () => {
    const s = memoryAdapter();
    await s.open({ collections: { notes: { indexes: [{ name: 'tags', fields: ['tags'], multiEntry: true }] } } });
    const input = { id: 'n1', version: 1, tags: ['a'], meta: { deep: { x: 1 } } };
    await s.write([{ type: 'insert', collection: 'notes', record: input }]);
    input.tags.push('b');
    input.meta.deep.x = 2;
    const [got] = await s.get('notes', ['n1']);
    expect(got).toEqual({ id: 'n1', version: 1, tags: ['a'], meta: { deep: { x: 1 } } });
    (got?.['meta'] as { deep: { x: number } }).deep.x = 3;
    const rows = await s.aggregate?.('notes', { groupBy: ['meta'], metrics: [{ name: 'n', op: 'count' }] });
    (rows?.[0]?.group['meta'] as { deep: { x: number } }).deep.x = 4;
    expect((await s.query('notes', { where: { field: 'tags', op: 'has', value: 'b' } })).items).toEqual([]);
    expect((await s.get('notes', ['n1']))[0]?.['meta']).toEqual({ deep: { x: 1 } });
  });

  it('stores objects of every shape as given: key order, number-like keys, many keys, thousands of distinct shapes', async () => {
    const s = memoryAdapter();
    await s.open(plain);
    const wide = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, i]));
    const records = [
      { id: 'a', version: 1, z: 1, a: 2, m: { b: 1, a: 2, c: [1, { y: 1, x: 2 }] }, '10': 'ten', '2': 'two', e: null, f: true, g: 1.5 },
      { id: 'b', version: 1, m: { a: 2, b: 1 }, z: 'other order', a: [], wide },
      { id: 'c', version: 1, nested: JSON.parse('{"__proto__":{"polluted":true},"p":1,"q":2,"r":3,"s":4,"t":5}') as object },
      // More distinct shapes than are remembered: the rest are copied the plain way.
      ...Array.from({ length: 5000 }, (_, i) => ({ id: `s${String(i).padStart(4, '0')}`, version: 1, [`only${i}`]: i, more: { [`x${i}`]: 1, y: 2, z: 3, w: 4, v: 5 } })),
    ];
    await s.write(records.map((record) => ({ type: 'insert' as const, collection: 'notes', record })));
    const got = await s.get(
      'notes',
      records.map((r) => r.id),
    );
    expect(got).toEqual(records);
    got.forEach((r, i) => expect(Object.keys(r as object)).toEqual(Object.keys(records[i] as object)));
    expect(Object.keys((got[0] as unknown as { m: object }).m)).toEqual(['b', 'a', 'c']);
    const nested = (got[2] as unknown as { nested: object }).nested;
    expect(Object.prototype.hasOwnProperty.call(nested, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(nested)).toBe(Object.prototype);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('hands out lists that records hold alike as copies of their own', async () => {
    const s = memoryAdapter();
    await s.open(plain);
    await s.write(
      ['a', 'b'].map((id) => ({ type: 'insert' as const, collection: 'notes', record: { id, version: 1, tags: ['vip', 'b2b'], _country: ['TR'], empty: [], nested: { list: ['vip', 'b2b'] } } })),
    );
    const [a, b] = (await s.get('notes', ['a', 'b'])) as unknown as [Record<string, string[]>, Record<string, string[]>];
    a['tags']?.push('changed');
    a['_country']?.push('changed');
    a['empty']?.push('changed');
    expect(b).toMatchObject({ tags: ['vip', 'b2b'], _country: ['TR'], empty: [], nested: { list: ['vip', 'b2b'] } });
    expect(await s.get('notes', ['a'])).toEqual([{ id: 'a', version: 1, tags: ['vip', 'b2b'], _country: ['TR'], empty: [], nested: { list: ['vip', 'b2b'] } }]);
    // The same text split differently is a different list.
    await s.write([{ type: 'insert', collection: 'notes', record: { id: 'c', version: 1, tags: ['vip,b2b'] } }]);
    expect((await s.get('notes', ['c']))[0]).toMatchObject({ tags: ['vip,b2b'] });
  });

  it('copies records with a __proto__ field as data, not as a prototype', async () => {
    const s = memoryAdapter();
    await s.open(plain);
    const record = JSON.parse('{"id":"n1","version":1,"__proto__":{"polluted":true}}') as { id: string; version: number };
    await s.write([{ type: 'insert', collection: 'notes', record }]);
    const [got] = await s.get('notes', ['n1']);
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(got, '__proto__')).toBe(true);
  });

  it('copies only what a query asks for: no `_` fields, or only selected ones', async () => {
    const s = memoryAdapter();
    await s.open({ collections: { notes: { indexes: [{ name: 'topic', fields: ['topic'] }, { name: '_tokens', fields: ['_tokens'], multiEntry: true }] } } });
    await s.write([{ type: 'insert', collection: 'notes', record: { id: 'n1', version: 2, topic: 'crm', body: { text: 'hi' }, _tokens: ['t:hi'] } }]);
    const where = { field: '_tokens', op: 'has' as const, value: 't:hi' };
    expect((await s.query('notes', { where })).items).toEqual([{ id: 'n1', version: 2, topic: 'crm', body: { text: 'hi' }, _tokens: ['t:hi'] }]);
    // Filters still see `_` fields the copies leave out.
    expect((await s.query('notes', { where, omitInternal: true })).items).toEqual([{ id: 'n1', version: 2, topic: 'crm', body: { text: 'hi' } }]);
    const [picked] = (await s.query('notes', { where, select: ['_tokens', 'missing'] })).items;
    expect(picked).toEqual({ id: 'n1', version: 2, _tokens: ['t:hi'] });
    // Copies, not the stored arrays.
    (picked?.['_tokens'] as string[]).push('t:x');
    expect((await s.get('notes', ['n1']))[0]?.['_tokens']).toEqual(['t:hi']);
    await expect(s.query('notes', { select: 'topic' as unknown as string[] })).rejects.toBeInstanceOf(StorageError);
  });

  it('stores repeated short strings once, values unchanged', async () => {
    const s = memoryAdapter();
    await s.open(plain);
    const tier = (n: number): string => ['go', 'ld'].join('') + (n < 0 ? '!' : '');
    await s.write([1, 2].map((n) => ({ type: 'insert' as const, collection: 'notes', record: { id: `n${n}`, version: 1, tier: tier(n), tags: [tier(n)] } })));
    const [a, b] = await s.get('notes', ['n1', 'n2']);
    expect(a).toEqual({ id: 'n1', version: 1, tier: 'gold', tags: ['gold'] });
    expect(b).toEqual({ id: 'n2', version: 1, tier: 'gold', tags: ['gold'] });
  });
});
