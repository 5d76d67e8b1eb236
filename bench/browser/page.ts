/**
 * The browser workload, bundled by `bench/browser/run.ts` with esbuild and run in Chromium:
 * N customers created through rapport on `indexedDbAdapter` beside raw `idb` (one transaction,
 * a `put` per record) and Dexie `bulkAdd`, with the same records and indexes, and the same
 * store with no secondary index (the floor); then an indexed equality count and a page of 50
 * newest gold customers (through a compound `[tier, createdAt]` index where the engine has one).
 */
import Dexie from 'dexie';
import { openDB } from 'idb';
import type { IDBPDatabase } from 'idb';
import { deleteIndexedDbDatabase, indexedDbAdapter } from '../../adapters/indexeddb/index';
import { customers } from '../data';
import type { BenchCustomer } from '../data';
import { makeRapport } from '../rapport';
import type { BenchRapport } from '../rapport';

export interface BrowserRow {
  workload: 'idb-create' | 'idb-eq-count' | 'idb-compound-page';
  n: number;
  engine: 'rapport-idb' | 'idb' | 'idb-noindex' | 'dexie';
  medianMs: number;
  minMs: number;
  runs: number;
  ops: number;
  notes?: string;
}

const OWNER = 'u-037';

/** The peers' record: the customer as stored, with the derived country list rapport indexes. */
type Doc = BenchCustomer & { version: number; updatedAt: string; _country: string[] };
const doc = (c: BenchCustomer): Doc => ({ ...c, version: 1, updatedAt: c.createdAt, _country: [...new Set(c.addresses.flatMap((a) => (a.country ? [a.country] : [])))] });

/** rapport's customer indexes (less its `_tokens`), plus the compound index the page query uses. */
const INDEXES: { name: string; keyPath: string | string[]; multiEntry?: boolean; unique?: boolean }[] = [
  { name: 'createdAt', keyPath: 'createdAt' },
  { name: 'updatedAt', keyPath: 'updatedAt' },
  { name: 'ownerId', keyPath: 'ownerId' },
  { name: 'teamId', keyPath: 'teamId' },
  { name: 'externalId', keyPath: 'externalId', unique: true },
  { name: 'name', keyPath: 'name' },
  { name: 'lifecycle', keyPath: 'lifecycle' },
  { name: 'tier', keyPath: 'tier' },
  { name: 'tags', keyPath: 'tags', multiEntry: true },
  { name: 'organizationId', keyPath: 'organizationId' },
  { name: '_country', keyPath: '_country', multiEntry: true },
  { name: '_campaignId', keyPath: '_campaignId' },
  { name: 'custom.score', keyPath: 'custom.score' },
  { name: 'custom.lifetimeValue', keyPath: 'custom.lifetimeValue' },
  { name: 'tier_createdAt', keyPath: ['tier', 'createdAt'] },
];
const DEXIE_SCHEMA = 'id, createdAt, updatedAt, ownerId, teamId, &externalId, name, lifecycle, tier, *tags, organizationId, *_country, _campaignId, custom.score, custom.lifetimeValue, [tier+createdAt]';

async function deleteDb(name: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve();
  });
}

/** Between engines: the backend may still be freeing the last database; the next engine's writes should not pay for it. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2000));

async function median(runs: number, warmup: number, setup: () => Promise<void>, fn: () => Promise<unknown>): Promise<{ medianMs: number; minMs: number; runs: number }> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    await setup();
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    if (i >= warmup) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[samples.length >> 1] as number, minMs: samples[0] as number, runs };
}

function same(what: string, a: unknown, b: unknown): void {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what}: answers differ: ${JSON.stringify(a).slice(0, 200)} vs ${JSON.stringify(b).slice(0, 200)}`);
}

async function rawIdb(name: string, withIndexes: boolean): Promise<IDBPDatabase> {
  await deleteDb(name);
  return openDB(name, 1, {
    upgrade(db) {
      const store = db.createObjectStore('customers', { keyPath: 'id' });
      if (withIndexes) for (const i of INDEXES) store.createIndex(i.name, i.keyPath, { multiEntry: i.multiEntry ?? false, unique: i.unique ?? false });
    },
  });
}

/** Run the browser workloads at size `n`; `createRuns` fresh databases per engine for the create. */
export async function runBrowser(n: number, createRuns: number, log: (line: string) => void): Promise<BrowserRow[]> {
  const rows: BrowserRow[] = [];
  const data = customers(n);
  const docs = data.map(doc);
  const add = (workload: BrowserRow['workload'], engine: BrowserRow['engine'], t: { medianMs: number; minMs: number; runs: number }, ops: number, notes?: string): void => {
    const row: BrowserRow = { workload, n, engine, medianMs: Math.round(t.medianMs * 100) / 100, minMs: Math.round(t.minMs * 100) / 100, runs: t.runs, ops };
    if (notes) row.notes = notes;
    rows.push(row);
    log(`  browser ${n} ${workload} ${engine}: ${row.medianMs} ms`);
  };
  const warm = createRuns > 1 ? 1 : 0;
  const none = async (): Promise<void> => {};
  // Each engine is created, queried and deleted before the next starts, so at most one large
  // database exists at a time (two 100k-customer databases overrun the quota of a fresh
  // browser context). rapport goes first; the peers' answers are checked against its own.

  // ---- rapport on indexedDbAdapter
  let rapport: BenchRapport | undefined;
  const dbName = `bench-rapport-${n}`;
  add(
    'idb-create',
    'rapport-idb',
    await median(
      createRuns,
      warm,
      async () => {
        await rapport?.crm.close();
        await deleteIndexedDbDatabase(dbName);
        rapport = await makeRapport(indexedDbAdapter({ name: dbName, broadcast: false }), { customers: [{ name: 'tier_createdAt', fields: ['tier', 'createdAt'] }] });
      },
      () => (rapport as BenchRapport).createAll(data),
    ),
    n,
    'createMany in batches of 1,000: validation, tokens (multiEntry _tokens), 1 audit entry each, change log',
  );
  const r = rapport as BenchRapport;
  // indexed equality with a count; a page of 50 ordered by a field through a compound index
  const rCount = () => r.crm.customers.count({ field: 'ownerId', op: 'eq', value: OWNER });
  const rPage = async () => (await r.crm.customers.find({ where: { field: 'tier', op: 'eq', value: 'gold' }, orderBy: [{ field: 'createdAt', direction: 'desc' }], limit: 50 })).items.map((c) => c.id);
  const expectedCount = await rCount();
  const expectedPage = await rPage();
  add('idb-eq-count', 'rapport-idb', await median(9, 2, none, rCount), 1, 'count(ownerId = X); archive filter added');
  add('idb-compound-page', 'rapport-idb', await median(9, 2, none, rPage), 1, 'tier = gold newest 50 through the declared [tier, createdAt] index (createCrm indexes)');
  await r.crm.close();
  await deleteIndexedDbDatabase(dbName);
  await settle();

  // ---- raw idb: one transaction, a put per record
  let idb: IDBPDatabase | undefined;
  add(
    'idb-create',
    'idb',
    await median(
      createRuns,
      warm,
      async () => {
        idb?.close();
        idb = await rawIdb('bench-idb', true);
      },
      async () => {
        const tx = (idb as IDBPDatabase).transaction('customers', 'readwrite');
        for (const d of docs) void tx.store.put(d);
        await tx.done;
      },
    ),
    n,
    'same indexes + [tier, createdAt]; no tokens, no audit',
  );
  const db = idb as IDBPDatabase;
  const iCount = () => db.countFromIndex('customers', 'ownerId', OWNER);
  const iPage = async () => {
    const out: string[] = [];
    let cursor = await db.transaction('customers').store.index('tier_createdAt').openCursor(IDBKeyRange.bound(['gold', ''], ['gold', '\uffff']), 'prev');
    while (cursor && out.length < 50) {
      out.push((cursor.value as Doc).id);
      cursor = await cursor.continue();
    }
    return out;
  };
  same('count', expectedCount, await iCount());
  same('page', expectedPage, await iPage());
  add('idb-eq-count', 'idb', await median(9, 2, none, iCount), 1, 'index.count(key)');
  add('idb-compound-page', 'idb', await median(9, 2, none, iPage), 1, '[tier, createdAt] cursor, prev');
  db.close();
  await deleteDb('bench-idb');
  await settle();

  // ---- the floor: the same store without secondary indexes
  let bare: IDBPDatabase | undefined;
  add(
    'idb-create',
    'idb-noindex',
    await median(
      createRuns,
      warm,
      async () => {
        bare?.close();
        bare = await rawIdb('bench-idb-bare', false);
      },
      async () => {
        const tx = (bare as IDBPDatabase).transaction('customers', 'readwrite');
        for (const d of docs) void tx.store.put(d);
        await tx.done;
      },
    ),
    n,
    'the floor: no secondary index',
  );
  bare?.close();
  await deleteDb('bench-idb-bare');
  await settle();

  // ---- Dexie
  let dexie: (Dexie & { customers: Dexie.Table<Doc, string> }) | undefined;
  try {
    add(
      'idb-create',
      'dexie',
      await median(
        createRuns,
        warm,
        async () => {
          dexie?.close();
          await Dexie.delete('bench-dexie');
          dexie = new Dexie('bench-dexie') as Dexie & { customers: Dexie.Table<Doc, string> };
          dexie.version(1).stores({ customers: DEXIE_SCHEMA });
          await dexie.open();
        },
        () => (dexie as Dexie & { customers: Dexie.Table<Doc, string> }).customers.bulkAdd(docs),
      ),
      n,
      'bulkAdd, same indexes + [tier+createdAt]; no tokens, no audit',
    );
  } catch (error) {
    // Report and go on without Dexie rather than lose the other engines' rows.
    const e = error as { name?: string; message?: string; inner?: { name?: string; message?: string } };
    log(`  dexie failed at ${n}: ${e.name}: ${e.message} ${e.inner ? `(${e.inner.name}: ${e.inner.message})` : ''}`);
    rows.push({ workload: 'idb-create', n, engine: 'dexie', medianMs: Number.NaN, minMs: Number.NaN, runs: 0, ops: n, notes: `failed: ${e.name}: ${e.message}` });
    dexie?.close();
    dexie = undefined;
  }
  const dx = dexie;
  if (dx) {
    const dCount = () => dx.customers.where('ownerId').equals(OWNER).count();
    const dPage = async () => (await dx.customers.where('[tier+createdAt]').between(['gold', Dexie.minKey], ['gold', Dexie.maxKey]).reverse().limit(50).toArray()).map((d) => d.id);
    same('count', expectedCount, await dCount());
    same('page', expectedPage, await dPage());
    add('idb-eq-count', 'dexie', await median(9, 2, none, dCount), 1, 'where().equals().count()');
    add('idb-compound-page', 'dexie', await median(9, 2, none, dPage), 1, '[tier+createdAt] between + reverse + limit');
    dx.close();
  }
  await Dexie.delete('bench-dexie');
  return rows;
}

(globalThis as { runBrowser?: typeof runBrowser }).runBrowser = runBrowser;
