/**
 * Copies, not references: what goes in and what comes out are the caller's to mutate.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import type { StoredRecord } from '../storage/adapter';
import type { OpenAdapter } from './context';
import { rec } from './context';

const schema = { collections: { notes: { indexes: [{ name: 'tags', fields: ['tags'], multiEntry: true }, { name: 'title', fields: ['title'] }] } } };

function original(): StoredRecord {
  return rec('n1', { title: 'kept', tags: ['a'], meta: { deep: { n: 1 } } });
}

function mutate(r: StoredRecord | undefined): void {
  if (r === undefined) return;
  r['title'] = 'changed';
  (r['tags'] as string[]).push('b');
  ((r['meta'] as { deep: { n: number } }).deep).n = 99;
  r.version = 42;
}

/** The copy tests. */
export function copyTests(open: OpenAdapter): void {
  it('is unaffected by mutating a record after writing it', async () => {
    const s = await open(schema);
    const r = original();
    await s.write([{ type: 'insert', collection: 'notes', record: r }]);
    mutate(r);
    expect(await s.get('notes', ['n1'])).toEqual([original()]);
    expect(await s.count('notes', { field: 'tags', op: 'has', value: 'b' })).toBe(0);
    expect(await s.count('notes', { field: 'title', op: 'eq', value: 'kept' })).toBe(1);
  });

  it('is unaffected by mutating an updated record after writing it', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n1') }]);
    const r = original();
    await s.write([{ type: 'update', collection: 'notes', record: r }]);
    mutate(r);
    expect(await s.get('notes', ['n1'])).toEqual([original()]);
  });

  it('is unaffected by mutating what get returns', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'notes', record: original() }]);
    const [first] = await s.get('notes', ['n1']);
    mutate(first);
    expect(await s.get('notes', ['n1'])).toEqual([original()]);
  });

  it('is unaffected by mutating what query returns', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'notes', record: original() }]);
    for (const where of [undefined, { field: 'tags', op: 'has' as const, value: 'a' }, { field: 'meta.deep.n', op: 'eq' as const, value: 1 }]) {
      const { items } = await s.query('notes', { where });
      mutate(items[0]);
    }
    expect(await s.get('notes', ['n1'])).toEqual([original()]);
    expect(await s.count('notes', { field: 'title', op: 'eq', value: 'kept' })).toBe(1);
  });

  it('returns a new object on every read', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'notes', record: original() }]);
    const [a] = await s.get('notes', ['n1']);
    const [b] = await s.get('notes', ['n1']);
    expect(a).not.toBe(b);
    expect(a?.['meta']).not.toBe(b?.['meta']);
  });
}
