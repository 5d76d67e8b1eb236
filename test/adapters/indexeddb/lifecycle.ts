/**
 * Life-cycle tests of the IndexedDB adapter — persistence, upgrades, several connections,
 * version changes, blocked upgrades, aborted batches — run in Node on fake-indexeddb
 * (`lifecycle.test.ts`) and in real Chromium (`lifecycle.browser.test.ts`).
 */
import { afterEach, expect, it } from 'vitest';
import { deleteIndexedDbDatabase, indexedDbAdapter } from '../../../adapters/indexeddb/index';
import type { IndexedDbAdapterOptions } from '../../../adapters/indexeddb/index';
import { ConflictError, ConstraintError, StorageError } from '../../../src/errors';
import type { Change, StorageAdapter, StorageSchema, StoredRecord, WriteOp } from '../../../src/storage/adapter';

const people = (n: number): StoredRecord[] =>
  Array.from({ length: n }, (_, i) => ({ id: `p${String(i).padStart(3, '0')}`, version: 1, name: `n${i}`, city: i % 10 === 0 ? 'Oslo' : 'Bergen' }));
const inserts = (collection: string, records: StoredRecord[]): WriteOp[] => records.map((record) => ({ type: 'insert', collection, record }));
const v1: StorageSchema = { version: 1, collections: { people: { indexes: [{ name: 'name', fields: ['name'] }] } } };
const v2: StorageSchema = { version: 2, collections: { people: { indexes: [{ name: 'name', fields: ['name'] }, { name: 'city', fields: ['city'] }] }, notes: { indexes: [] } } };

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/** Register the life-cycle tests; `prefix` keeps database names apart between runs. */
export function lifecycleTests(prefix: string): void {
  let n = 0;
  const names: string[] = [];
  const adapters: StorageAdapter[] = [];
  const dbName = (): string => {
    const name = `${prefix}-${Date.now().toString(36)}-${n++}`;
    names.push(name);
    return name;
  };
  const make = (options: IndexedDbAdapterOptions): StorageAdapter => {
    const a = indexedDbAdapter(options);
    adapters.push(a);
    return a;
  };
  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.close();
    for (const name of names.splice(0)) await deleteIndexedDbDatabase(name);
  });

  it('keeps records, versions and the change feed across close and reopen', async () => {
    const name = dbName();
    const a = make({ name });
    await a.open(v1);
    const first = await a.write(inserts('people', people(3)));
    await a.write([{ type: 'update', collection: 'people', record: { id: 'p001', version: 2, name: 'renamed' }, expectedVersion: 1 }]);
    await a.close();
    const b = make({ name });
    await b.open(v1);
    expect(await b.get('people', ['p000', 'p001'])).toEqual([people(1)[0], { id: 'p001', version: 2, name: 'renamed' }]);
    const feed = await b.changes(0);
    // Inserts are logged per batch and never rewritten, so p001's insert stays beside its update
    // (the feed promises at least each record's latest change); updates replace their record's row.
    expect(feed.changes.map((c) => [c.id, c.version])).toEqual([['p000', 1], ['p001', 1], ['p002', 1], ['p001', 2]]);
    const next = await b.write([{ type: 'delete', collection: 'people', id: 'p002' }]);
    expect(next.changes[0]?.seq).toBe(feed.lastSeq + 1);
    expect(first.changes[0]?.seq).toBe(1);
  });

  it('reads the change feed of a database written before the insert log, and adds the log in place', async () => {
    const name = dbName();
    // The earlier layout: every change, inserts too, one row per record in __rapport_changes.
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore('__rapport_meta');
        db.createObjectStore('__rapport_changes', { keyPath: ['collection', 'id'] }).createIndex('seq', 'seq', { unique: true });
        db.createObjectStore('people', { keyPath: 'id' }).createIndex('name', 'name');
        const tx = req.transaction as IDBTransaction;
        tx.objectStore('people').put({ id: 'old1', version: 1, name: 'a' });
        tx.objectStore('people').put({ id: 'old2', version: 2, name: 'b' });
        tx.objectStore('__rapport_changes').put({ seq: 1, collection: 'people', id: 'old1', type: 'put', version: 1 });
        tx.objectStore('__rapport_changes').put({ seq: 3, collection: 'people', id: 'old2', type: 'put', version: 2 });
        tx.objectStore('__rapport_meta').put(3, 'seq');
        tx.objectStore('__rapport_meta').put(1, 'schemaVersion');
      };
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
    const a = make({ name });
    await a.open(v1);
    const written = await a.write([...inserts('people', people(2)), { type: 'update', collection: 'people', record: { id: 'old1', version: 2, name: 'c' }, expectedVersion: 1 }]);
    expect(written.changes.map((c) => c.seq)).toEqual([4, 5, 6]);
    const all = (await a.changes(0)).changes.map((c) => [c.seq, c.id, c.version]);
    // old1's insert row was replaced by its update: that log still compacts per record.
    expect(all).toEqual([[3, 'old2', 2], [4, 'p000', 1], [5, 'p001', 1], [6, 'old1', 2]]);
    const paged: unknown[] = [];
    for (let since = 0, i = 0; i < 10; i++) {
      const page = await a.changes(since, 1);
      if (page.changes.length === 0) break;
      paged.push(...page.changes.map((c) => [c.seq, c.id, c.version]));
      since = page.lastSeq;
    }
    expect(paged).toEqual(all);
    expect((await a.changes(4, 2)).changes.map((c) => c.seq)).toEqual([5, 6]);
  });

  it('upgrades in place keeping every record, then refuses an older schema version', async () => {
    const name = dbName();
    const a = make({ name });
    await a.open(v1);
    await a.write(inserts('people', people(50)));
    await a.close();
    const b = make({ name });
    await b.open(v2);
    expect(await b.count('people')).toBe(50);
    const plan = await b.explain('people', { where: { field: 'city', op: 'eq', value: 'Oslo' } });
    expect(plan).toMatchObject({ index: 'city', strategy: 'index-equality', rowsReturned: 5, rowsExamined: 5 });
    await b.write([{ type: 'insert', collection: 'notes', record: { id: 'x', version: 1 } }]);
    await b.close();
    const c = make({ name });
    const error = await rejection(c.open(v1));
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/written by schema version 2, this app has 1; refusing to open/);
  });

  it('merges the schemas of several open() calls on one adapter', async () => {
    const a = make({ name: dbName() });
    await a.open({ collections: { deals: { indexes: [{ name: 'stage', fields: ['stage'] }] } } });
    await a.write([{ type: 'insert', collection: 'deals', record: { id: 'd1', version: 1, stage: 'won' } }]);
    await a.open({ collections: { tickets: { indexes: [] } } });
    await a.write([{ type: 'insert', collection: 'tickets', record: { id: 't1', version: 1 } }]);
    expect(await a.count('deals', { field: 'stage', op: 'eq', value: 'won' })).toBe(1);
    expect((await a.explain('deals', { where: { field: 'stage', op: 'eq', value: 'won' } })).index).toBe('stage');
  });

  it('lets calls made during another engine\'s open() wait for it instead of failing', async () => {
    const a = make({ name: dbName() });
    await a.open(v1);
    await a.write(inserts('people', people(5)));
    const reopening = a.open(v2);
    const [count, got] = await Promise.all([a.count('people'), a.get('people', ['p004']), reopening]);
    expect(count).toBe(5);
    expect(got).toEqual([people(5)[4]]);
    await a.open(v1); // an engine declaring less changes nothing
    expect((await a.explain('people', { where: { field: 'city', op: 'eq', value: 'Oslo' } })).index).toBe('city');
  });

  it('stays usable until every engine that opened it has closed it', async () => {
    const a = make({ name: dbName() });
    await a.open(v1);
    await a.open({ collections: { notes: { indexes: [] } } });
    await a.close();
    await a.write(inserts('notes', [{ id: 'n1', version: 1 }]));
    await a.close();
    expect(await rejection(a.get('notes', ['n1']))).toBeInstanceOf(StorageError);
  });

  it('fails to add a unique index over duplicates without touching the data', async () => {
    const name = dbName();
    const a = make({ name });
    await a.open(v1);
    await a.write(inserts('people', people(20)));
    await a.close();
    const b = make({ name });
    const error = await rejection(b.open({ version: 1, collections: { people: { indexes: [{ name: 'city', fields: ['city'], unique: true }] } } }));
    expect(error).toBeInstanceOf(StorageError);
    const c = make({ name });
    await c.open(v1);
    expect(await c.count('people')).toBe(20);
  });

  it('keeps serving the engines already open when another engine\'s upgrade fails', async () => {
    const a = make({ name: dbName() });
    await a.open(v1);
    await a.write(inserts('people', people(20)));
    const error = await rejection(a.open({ collections: { people: { indexes: [{ name: 'city', fields: ['city'], unique: true }] } } }));
    expect(error).toBeInstanceOf(StorageError);
    expect(await a.count('people')).toBe(20);
    await a.write([{ type: 'delete', collection: 'people', id: 'p000' }]);
  });

  it('delivers a write on one connection to the subscribers of another', async () => {
    const name = dbName();
    const a = make({ name });
    const b = make({ name });
    await a.open(v1);
    await b.open(v1);
    const seen: Change[] = [];
    const stop = b.subscribe((changes) => seen.push(...changes));
    const { changes } = await a.write(inserts('people', people(2)));
    await until(() => seen.length >= 2);
    expect(seen).toEqual(changes);
    expect(await b.get('people', ['p001'])).toEqual([people(2)[1]]);
    stop();
  });

  it('leaves nothing behind when a batch of 100 fails in the middle', async () => {
    const a = make({ name: dbName() });
    await a.open(v1);
    await a.write(inserts('people', people(1)));
    const before = await a.changes(0);
    const batch = inserts('people', people(101).slice(1));
    batch.splice(50, 0, { type: 'update', collection: 'people', record: { id: 'p000', version: 3 }, expectedVersion: 2 });
    const conflict = await rejection(a.write(batch));
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({ recordId: 'p000', expectedVersion: 2, actualVersion: 1 });
    expect(await a.count('people')).toBe(1);
    expect(await a.changes(0)).toEqual(before);
  });

  it('aborts the whole batch when IndexedDB itself refuses a write late in it', async () => {
    const a = make({ name: dbName() });
    await a.open({ collections: { people: { indexes: [{ name: 'name', fields: ['name'], unique: true }] } } });
    const batch = inserts('people', people(100));
    batch.push({ type: 'insert', collection: 'people', record: { id: 'late', version: 1, name: 'n42' } });
    const error = await rejection(a.write(batch));
    expect(error).toBeInstanceOf(ConstraintError);
    expect(error).toMatchObject({ constraint: 'unique', index: 'name', fields: ['name'], conflictingIds: ['p042'] });
    expect(await a.count('people')).toBe(0);
    expect((await a.changes(0)).changes).toEqual([]);
  });

  it('closes on a version change from another connection, tells the app, and fails later calls without hanging', async () => {
    const name = dbName();
    const events: unknown[] = [];
    const old = make({ name, onVersionChange: (info) => events.push(info) });
    await old.open(v1);
    const newer = make({ name, blockedTimeoutMs: 2000 });
    await newer.open(v2);
    expect(events).toEqual([{ oldVersion: expect.any(Number), newVersion: expect.any(Number) }]);
    const error = await rejection(old.get('people', ['p000']));
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/another connection is upgrading/);
    await newer.write(inserts('people', people(1)));
  });

  it('gives up on an upgrade blocked by a connection that never closes', async () => {
    const name = dbName();
    const a = make({ name });
    await a.open(v1);
    await a.close();
    const stubborn = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const b = make({ name, blockedTimeoutMs: 100 });
    const error = await rejection(b.open(v2));
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/blocked/);
    stubborn.close();
  });

  it('fails calls before open and after close with StorageError', async () => {
    const a = make({ name: dbName() });
    expect(await rejection(a.get('people', ['x']))).toBeInstanceOf(StorageError);
    await a.open(v1);
    await a.close();
    expect(await rejection(a.write(inserts('people', people(1))))).toBeInstanceOf(StorageError);
  });
}
