/**
 * The change feed: monotonic `seq`, tombstones, checkpoints and paging.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import type { Change, StorageAdapter } from '../storage/adapter';
import type { OpenAdapter } from './context';
import { rec } from './context';

const schema = { collections: { notes: { indexes: [] }, tasks: { indexes: [] } } };

/** Read the whole feed after a checkpoint, `limit` at a time. */
async function drain(s: StorageAdapter, since: number, limit: number): Promise<Change[]> {
  const out: Change[] = [];
  let checkpoint = since;
  for (let i = 0; i < 10_000; i++) {
    const page = await s.changes(checkpoint, limit);
    expect(page.changes.length).toBeLessThanOrEqual(limit);
    expect(page.lastSeq).toBeGreaterThanOrEqual(checkpoint);
    if (page.changes.length === 0) return out;
    expect(page.lastSeq).toBe(page.changes[page.changes.length - 1]?.seq);
    out.push(...page.changes);
    checkpoint = page.lastSeq;
  }
  throw new Error('the change feed never ended');
}

/** The latest change of each record, keyed `collection/id`. */
function latest(changes: readonly Change[]): Map<string, Change> {
  const map = new Map<string, Change>();
  for (const c of changes) map.set(`${c.collection}/${c.id}`, c);
  return map;
}

async function history(s: StorageAdapter): Promise<Change[]> {
  const all: Change[] = [];
  all.push(...(await s.write([{ type: 'insert', collection: 'notes', record: rec('n1') }, { type: 'insert', collection: 'tasks', record: rec('t1') }])).changes);
  all.push(...(await s.write([{ type: 'update', collection: 'notes', record: rec('n1', { x: 1 }, 2) }])).changes);
  all.push(...(await s.write([{ type: 'insert', collection: 'notes', record: rec('n2') }])).changes);
  all.push(...(await s.write([{ type: 'delete', collection: 'notes', id: 'n1' }])).changes);
  all.push(...(await s.write([{ type: 'update', collection: 'tasks', record: rec('t1', {}, 2) }, { type: 'insert', collection: 'tasks', record: rec('t2') }])).changes);
  return all;
}

/** The change feed tests. */
export function changeTests(open: OpenAdapter): void {
  it('returns the changes a write made, in order, with increasing seq', async () => {
    const s = await open(schema);
    const all = await history(s);
    expect(all.map((c) => [c.collection, c.id, c.type, c.version])).toEqual([
      ['notes', 'n1', 'put', 1],
      ['tasks', 't1', 'put', 1],
      ['notes', 'n1', 'put', 2],
      ['notes', 'n2', 'put', 1],
      ['notes', 'n1', 'delete', 2],
      ['tasks', 't1', 'put', 2],
      ['tasks', 't2', 'put', 1],
    ]);
    for (let i = 1; i < all.length; i++) expect(all[i]?.seq).toBeGreaterThan(all[i - 1]?.seq ?? Infinity);
    expect(all[0]?.seq).toBeGreaterThan(0);
  });

  it('serves at least the latest change of every record after a checkpoint, tombstones included', async () => {
    const s = await open(schema);
    const all = await history(s);
    for (let k = 0; k <= all.length; k++) {
      const since = k === 0 ? 0 : (all[k - 1]?.seq ?? 0);
      const page = await s.changes(since);
      const seqs = page.changes.map((c) => c.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs.every((q) => q > since)).toBe(true);
      const expected = latest(all.slice(k));
      const got = latest(page.changes);
      for (const [key, change] of expected) expect(got.get(key)).toEqual(change);
      for (const c of page.changes) expect(all).toContainEqual(c);
    }
  });

  it('pages through the feed with a limit, ending on an empty page', async () => {
    const s = await open(schema);
    const all = await history(s);
    for (const limit of [1, 2, 3]) {
      const paged = await drain(s, 0, limit);
      const expected = latest(all);
      const got = latest(paged);
      for (const [key, change] of expected) expect(got.get(key)).toEqual(change);
      expect(new Set(paged.map((c) => c.seq)).size).toBe(paged.length);
    }
  });

  it('returns nothing after the latest checkpoint', async () => {
    const s = await open(schema);
    const all = await history(s);
    const last = all[all.length - 1]?.seq ?? 0;
    const page = await s.changes(last);
    expect(page.changes).toEqual([]);
    expect(page.lastSeq).toBeGreaterThanOrEqual(last);
  });

  it('starts empty', async () => {
    const s = await open(schema);
    const page = await s.changes(0);
    expect(page.changes).toEqual([]);
    expect(page.lastSeq).toBe(0);
  });

  it('keeps seq increasing across failed batches', async () => {
    const s = await open(schema);
    const a = await s.write([{ type: 'insert', collection: 'notes', record: rec('n1') }]);
    await expect(s.write([{ type: 'insert', collection: 'notes', record: rec('n1') }])).rejects.toMatchObject({ name: 'ConflictError' });
    const b = await s.write([{ type: 'insert', collection: 'notes', record: rec('n2') }]);
    expect(b.changes[0]?.seq).toBeGreaterThan(a.changes[0]?.seq ?? Infinity);
    const page = await s.changes(0);
    expect(page.changes.map((c) => c.id)).toEqual(['n1', 'n2']);
  });
}
