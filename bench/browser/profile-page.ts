/**
 * The in-page half of `bench/browser/profile.ts`: the same create workload as `page.ts`
 * (rapport `createMany` in batches of 1,000 on `indexedDbAdapter`, Dexie `bulkAdd` with the
 * same records and indexes), split into a setup step and a timed step so the runner can start
 * and stop the CPU profiler around the timed step only. Also counts the IndexedDB requests each
 * engine issues per record and the index entries each store holds afterwards.
 *
 * Bundled as an IIFE with a global name, so two builds (this adapter and a saved copy of an
 * earlier one) can sit in one page and be timed alternately.
 */
import Dexie from 'dexie';
import { deleteIndexedDbDatabase, indexedDbAdapter } from '../../adapters/indexeddb/index';
import { customers } from '../data';
import type { BenchCustomer } from '../data';
import { makeRapport } from '../rapport';
import type { BenchRapport } from '../rapport';

/** Engines the profile can run. */
export type ProfileEngine = 'rapport' | 'dexie';

/** Requests one engine issued, by store and request kind, and the index entries per store. */
export interface RequestCount {
  /** Records created. */
  n: number;
  /** Transactions opened. */
  transactions: number;
  /** `store:kind` → number of requests (`customers:add`, `audit:put`, …). */
  requests: Record<string, number>;
  /** Store → records it holds after the run. */
  records: Record<string, number>;
  /** Store → index entries over all its indexes after the run (multiEntry indexes count each element). */
  indexEntries: Record<string, number>;
  /** Store → index name → entries. */
  byIndex: Record<string, Record<string, number>>;
}

type Doc = BenchCustomer & { version: number; updatedAt: string; _country: string[] };
const doc = (c: BenchCustomer): Doc => ({ ...c, version: 1, updatedAt: c.createdAt, _country: [...new Set(c.addresses.flatMap((a) => (a.country ? [a.country] : [])))] });
/** Dexie's schema in `page.ts`: the same indexes as rapport's customers (less `_tokens`) plus `[tier+createdAt]`. */
const DEXIE_SCHEMA = 'id, createdAt, updatedAt, ownerId, teamId, &externalId, name, lifecycle, tier, *tags, organizationId, *_country, _campaignId, custom.score, custom.lifetimeValue, [tier+createdAt]';
const RAPPORT_DB = 'profile-rapport';
const DEXIE_DB = 'profile-dexie';

let data: BenchCustomer[] = [];
let docs: Doc[] = [];
let rapport: BenchRapport | undefined;
/** The schema the engine opened rapport's database with, to open a second adapter on it. */
let openedSchema: unknown;
let dexie: (Dexie & { customers: Dexie.Table<Doc, string> }) | undefined;

async function reset(): Promise<void> {
  await rapport?.crm.close();
  rapport = undefined;
  dexie?.close();
  dexie = undefined;
  await deleteIndexedDbDatabase(RAPPORT_DB);
  await Dexie.delete(DEXIE_DB);
}

/** Make the data set and a fresh, empty database for `engine`; not timed. */
export async function setup(n: number, engine: ProfileEngine): Promise<void> {
  if (data.length !== n) {
    data = customers(n);
    docs = data.map(doc);
  }
  await reset();
  if (engine === 'rapport') {
    const adapter = indexedDbAdapter({ name: RAPPORT_DB, broadcast: false });
    const open = adapter.open.bind(adapter);
    adapter.open = (schema) => {
      openedSchema = schema;
      return open(schema);
    };
    rapport = await makeRapport(adapter);
  } else {
    dexie = new Dexie(DEXIE_DB) as Dexie & { customers: Dexie.Table<Doc, string> };
    dexie.version(1).stores({ customers: DEXIE_SCHEMA });
    await dexie.open();
  }
}

/** The timed step: create every record of the data set; returns the wall time in ms. */
export async function run(engine: ProfileEngine): Promise<number> {
  const t0 = performance.now();
  if (engine === 'rapport') await (rapport as BenchRapport).createAll(data);
  else await (dexie as Dexie & { customers: Dexie.Table<Doc, string> }).customers.bulkAdd(docs);
  return performance.now() - t0;
}

/** Count the requests of one create run (`setup` first), then the index entries each store holds. */
export async function countRequests(engine: ProfileEngine): Promise<RequestCount> {
  const requests: Record<string, number> = {};
  let transactions = 0;
  const bump = (key: string): void => {
    requests[key] = (requests[key] ?? 0) + 1;
  };
  const storeProto = IDBObjectStore.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const indexProto = IDBIndex.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const dbProto = IDBDatabase.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const saved: [Record<string, (...args: unknown[]) => unknown>, string, (...args: unknown[]) => unknown][] = [];
  const patch = (proto: Record<string, (...args: unknown[]) => unknown>, method: string, label: (self: unknown) => string): void => {
    const original = proto[method] as (...args: unknown[]) => unknown;
    saved.push([proto, method, original]);
    proto[method] = function (this: unknown, ...args: unknown[]) {
      bump(`${label(this)}:${method}`);
      return original.apply(this, args);
    };
  };
  for (const m of ['add', 'put', 'delete', 'get', 'getKey', 'getAll', 'count', 'openCursor', 'openKeyCursor']) patch(storeProto, m, (s) => (s as IDBObjectStore).name);
  for (const m of ['get', 'getKey', 'getAll', 'count', 'openCursor', 'openKeyCursor']) patch(indexProto, m, (i) => `${(i as IDBIndex).objectStore.name}.${(i as IDBIndex).name}`);
  const transaction = dbProto['transaction'] as (...args: unknown[]) => unknown;
  saved.push([dbProto, 'transaction', transaction]);
  dbProto['transaction'] = function (this: unknown, ...args: unknown[]) {
    transactions++;
    return transaction.apply(this, args);
  };
  try {
    await run(engine);
  } finally {
    for (const [proto, method, original] of saved) proto[method] = original;
  }
  const out: RequestCount = { n: data.length, transactions, requests, records: {}, indexEntries: {}, byIndex: {} };
  // The index entries, counted by IndexedDB itself: `index.count()` counts every entry.
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(engine === 'rapport' ? RAPPORT_DB : DEXIE_DB);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  try {
    const names = Array.from(db.objectStoreNames);
    const tx = db.transaction(names, 'readonly');
    const pending: Promise<void>[] = [];
    const ask = (req: IDBRequest<number>, set: (n: number) => void): void => {
      pending.push(new Promise<void>((resolve, reject) => {
        req.onsuccess = () => {
          set(req.result);
          resolve();
        };
        req.onerror = () => reject(req.error);
      }));
    };
    for (const name of names) {
      const store = tx.objectStore(name);
      out.byIndex[name] = {};
      ask(store.count(), (c) => (out.records[name] = c));
      for (const index of Array.from(store.indexNames)) {
        ask(store.index(index).count(), (c) => {
          (out.byIndex[name] as Record<string, number>)[index] = c;
          out.indexEntries[name] = (out.indexEntries[name] ?? 0) + c;
        });
      }
    }
    await Promise.all(pending);
  } finally {
    db.close();
  }
  return out;
}

/** One storage layout the ablation writes rapport's rows into. */
interface Layout {
  name: string;
  /** Secondary indexes of the customers store: none, the peers' (rapport's less `_tokens`), or rapport's. */
  customers: 'none' | 'peer' | 'rapport';
  /** The audit store: absent, without indexes, or with the engine's four compound indexes. */
  audit: 'absent' | 'bare' | 'indexed';
  /** The change log: absent, a row per written record with a `seq` index (as now), or one row per batch keyed by its first `seq`. */
  changes: 'absent' | 'per-record' | 'per-record-plain' | 'per-batch';
  durability?: IDBTransactionDurability;
}

/** The layouts, from the floor to rapport's own; each adds one thing to a previous one. */
export const LAYOUTS: Layout[] = [
  { name: 'customers, no index (floor)', customers: 'none', audit: 'absent', changes: 'absent' },
  { name: 'customers, peer indexes (Dexie\'s set)', customers: 'peer', audit: 'absent', changes: 'absent' },
  { name: '+ _tokens multiEntry', customers: 'rapport', audit: 'absent', changes: 'absent' },
  { name: '+ audit rows, no index', customers: 'rapport', audit: 'bare', changes: 'absent' },
  { name: '+ audit indexes (4 compound)', customers: 'rapport', audit: 'indexed', changes: 'absent' },
  { name: '+ change log, row per record + seq index (rapport\'s layout)', customers: 'rapport', audit: 'indexed', changes: 'per-record' },
  { name: 'same, change log keyed by one string, non-unique seq index', customers: 'rapport', audit: 'indexed', changes: 'per-record-plain' },
  { name: 'same, change log one row per batch', customers: 'rapport', audit: 'indexed', changes: 'per-batch' },
  { name: 'rapport\'s layout, durability strict', customers: 'rapport', audit: 'indexed', changes: 'per-record', durability: 'strict' },
  { name: 'rapport\'s layout, durability relaxed', customers: 'rapport', audit: 'indexed', changes: 'per-record', durability: 'relaxed' },
];

const open = (name: string, upgrade: (db: IDBDatabase) => void): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => upgrade(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
const done = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error);
  });
const getAll = (db: IDBDatabase, store: string): Promise<Record<string, unknown>[]> =>
  new Promise((resolve, reject) => {
    const req = db.transaction(store).objectStore(store).getAll();
    req.onsuccess = () => resolve(req.result as Record<string, unknown>[]);
    req.onerror = () => reject(req.error);
  });

interface Rows {
  recs: Record<string, unknown>[];
  auditOf: Map<string, Record<string, unknown>>;
  changesOf: Map<string, Record<string, unknown>[]>;
  indexes: { name: string; keyPath: string | string[]; multiEntry?: boolean; unique?: boolean }[];
  auditIndexes: { name: string; keyPath: string | string[] }[];
}
let rows: Rows | undefined;

/** Create `n` customers through rapport once and keep every row it stored, for {@link ablationRun}. */
export async function ablationPrepare(n: number): Promise<string[]> {
  await setup(n, 'rapport');
  await run('rapport');
  const source = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(RAPPORT_DB);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const [recs, audit, changes] = await Promise.all([getAll(source, 'customers'), getAll(source, 'audit'), getAll(source, '__rapport_changes')]);
  const out: Rows = { recs, auditOf: new Map(), changesOf: new Map(), indexes: [], auditIndexes: [] };
  const tx = source.transaction(['customers', 'audit'], 'readonly');
  for (const [store, into] of [['customers', out.indexes], ['audit', out.auditIndexes]] as const) {
    const s = tx.objectStore(store);
    for (const name of Array.from(s.indexNames)) {
      const i = s.index(name);
      into.push({ name, keyPath: i.keyPath, multiEntry: i.multiEntry, unique: i.unique });
    }
  }
  source.close();
  await teardown();
  // The audit entry and the change rows of each customer, in the order rapport wrote them.
  for (const a of audit) out.auditOf.set(a['recordId'] as string, a);
  const customerOfAudit = new Map(audit.map((a) => [a['id'] as string, a['recordId'] as string]));
  for (const c of [...changes].sort((a, b) => (a['seq'] as number) - (b['seq'] as number))) {
    const owner = c['collection'] === 'audit' ? customerOfAudit.get(c['id'] as string) : (c['id'] as string);
    if (owner === undefined) continue;
    const list = out.changesOf.get(owner) ?? [];
    list.push(c);
    out.changesOf.set(owner, list);
  }
  rows = out;
  return LAYOUTS.map((l) => l.name);
}

/**
 * Write the rows kept by {@link ablationPrepare} with raw IndexedDB into layout `k`: batches
 * of 1,000 customers with their audit entries and change rows, one transaction each, no
 * callback per request — the storage's share of the work, with no engine and no adapter code.
 * Returns the wall time in ms.
 */
export async function ablationRun(k: number): Promise<number> {
  const layout = LAYOUTS[k] as Layout;
  const { recs, auditOf, changesOf, indexes, auditIndexes } = rows as Rows;
  const dbName = 'profile-ablation';
  await Dexie.delete(dbName);
  const db = await open(dbName, (d) => {
    const c = d.createObjectStore('customers', { keyPath: 'id' });
    for (const i of indexes) {
      if (layout.customers === 'none' || (layout.customers === 'peer' && i.name === '_tokens')) continue;
      c.createIndex(i.name, i.keyPath, { multiEntry: i.multiEntry ?? false, unique: i.unique ?? false });
    }
    if (layout.audit !== 'absent') {
      const a = d.createObjectStore('audit', { keyPath: 'id' });
      if (layout.audit === 'indexed') for (const i of auditIndexes) a.createIndex(i.name, i.keyPath);
    }
    if (layout.changes === 'per-record') d.createObjectStore('changes', { keyPath: ['collection', 'id'] }).createIndex('seq', 'seq', { unique: true });
    if (layout.changes === 'per-record-plain') d.createObjectStore('changes', { keyPath: 'key' }).createIndex('seq', 'seq');
    if (layout.changes === 'per-batch') d.createObjectStore('changes', { keyPath: 'seq' });
    d.createObjectStore('meta');
  });
  const stores = ['customers', 'meta', ...(layout.audit !== 'absent' ? ['audit'] : []), ...(layout.changes !== 'absent' ? ['changes'] : [])];
  const t0 = performance.now();
  for (let i = 0; i < recs.length; i += 1000) {
    const tx = layout.durability ? db.transaction(stores, 'readwrite', { durability: layout.durability }) : db.transaction(stores, 'readwrite');
    const cs = tx.objectStore('customers');
    const as = layout.audit !== 'absent' ? tx.objectStore('audit') : undefined;
    const ls = layout.changes !== 'absent' ? tx.objectStore('changes') : undefined;
    const batch: Record<string, unknown>[] = [];
    for (const rec of recs.slice(i, i + 1000)) {
      cs.add(rec);
      const a = auditOf.get(rec['id'] as string);
      if (as && a) as.add(a);
      const mine = changesOf.get(rec['id'] as string) ?? [];
      if (layout.changes === 'per-record') for (const c of mine) ls?.put(c);
      else if (layout.changes === 'per-record-plain') for (const c of mine) ls?.put({ ...c, key: `${c['collection'] as string}\u0000${c['id'] as string}` });
      else batch.push(...mine);
    }
    if (layout.changes === 'per-batch') ls?.put({ seq: (batch[batch.length - 1]?.['seq'] as number) ?? i, changes: batch });
    tx.objectStore('meta').put(i, 'seq');
    await done(tx);
  }
  const ms = performance.now() - t0;
  db.close();
  await Dexie.delete(dbName);
  return ms;
}

/** What the page query workload reports. */
export interface PageReport {
  /** The storage query the engine sent for `find` (after adding the archive filter). */
  storageQuery: unknown;
  /** The adapter's `explain` of it. */
  plan: unknown;
  /** Median ms of the public `find`. */
  findMs: number;
  /** Median ms of the adapter's `query` alone. */
  adapterMs: number;
  /** Median ms of Dexie's `[tier+createdAt]` walk. */
  dexieMs: number;
}

/**
 * The page of `page.ts` — tier = gold, newest 50 — on rapport (after `setup` + `run` of
 * rapport) and on Dexie (created here): the engine's storage query, its plan, and the times of
 * the public call, of the adapter alone and of Dexie's `[tier+createdAt]` walk.
 */
export async function pageQuery(runs: number): Promise<PageReport> {
  const r = rapport as BenchRapport;
  const storage = r.storage;
  let captured: unknown;
  const query = storage.query.bind(storage);
  storage.query = (collection, q) => {
    if (collection === 'customers') captured = q;
    return query(collection, q);
  };
  const find = async (): Promise<string[]> =>
    (await r.crm.customers.find({ where: { field: 'tier', op: 'eq', value: 'gold' }, orderBy: [{ field: 'createdAt', direction: 'desc' }], limit: 50 })).items.map((c) => c.id);
  const want = await find();
  storage.query = query;
  const sq = captured as Parameters<typeof storage.query>[1];
  const plan = await storage.explain?.('customers', sq);
  const adapter = async (): Promise<string[]> => (await storage.query('customers', sq)).items.map((c) => c.id);
  dexie = new Dexie(DEXIE_DB) as Dexie & { customers: Dexie.Table<Doc, string> };
  dexie.version(1).stores({ customers: DEXIE_SCHEMA });
  await dexie.open();
  await dexie.customers.bulkAdd(docs);
  const dx = dexie;
  const dPage = async (): Promise<string[]> => (await dx.customers.where('[tier+createdAt]').between(['gold', Dexie.minKey], ['gold', Dexie.maxKey]).reverse().limit(50).toArray()).map((d) => d.id);
  for (const [what, got] of [['adapter', await adapter()], ['dexie', await dPage()]] as const) {
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`page: ${what} answers differently`);
  }
  // Interleaved, so background work in the browser (compaction after the bulk writes) falls on all three alike.
  const fns = [find, adapter, dPage];
  const samples: number[][] = fns.map(() => []);
  for (let i = 0; i < runs + 2; i++) {
    for (let k = 0; k < fns.length; k++) {
      const t0 = performance.now();
      await (fns[k] as () => Promise<unknown>)();
      if (i >= 2) samples[k]?.push(performance.now() - t0);
    }
  }
  const [findMs, adapterMs, dexieMs] = samples.map((xs) => xs.sort((a, b) => a - b)[xs.length >> 1] as number) as [number, number, number];
  return { storageQuery: sq, plan, findMs, adapterMs, dexieMs };
}

/** Delete the databases. */
export async function teardown(): Promise<void> {
  await reset();
}

/** This bundle's adapter factory, so a page holding two bundles can run both on one database. */
export { indexedDbAdapter };

/** Reads timed on two adapters over the same stored data: median ms of each. */
export interface ReadComparison {
  /** The query or count, as the engine sends it to the storage. */
  what: string;
  /** Median ms on this bundle's adapter. */
  thisMs: number;
  /** Median ms on the other bundle's adapter. */
  otherMs: number;
  /** Rows examined (this adapter's `explain`), for queries. */
  examined?: number;
}

/**
 * After `setup` + `run` of rapport: the benchmark's page query and indexed count, as the engine
 * sends them to the storage, run alternately on this adapter and on the adapter of the bundle
 * named `other` (an earlier version), both open on the same database.
 */
export async function readComparison(other: string, runs: number): Promise<ReadComparison[]> {
  const r = rapport as BenchRapport;
  const storage = r.storage;
  const captured: { query?: Parameters<typeof storage.query>[1]; count?: Parameters<typeof storage.count>[1] } = {};
  const query = storage.query.bind(storage);
  const count = storage.count.bind(storage);
  storage.query = (collection, q) => {
    if (collection === 'customers') captured.query = q;
    return query(collection, q);
  };
  storage.count = (collection, w) => {
    if (collection === 'customers') captured.count = w;
    return count(collection, w);
  };
  await r.crm.customers.find({ where: { field: 'tier', op: 'eq', value: 'gold' }, orderBy: [{ field: 'createdAt', direction: 'desc' }], limit: 50 });
  await r.crm.customers.count({ field: 'ownerId', op: 'eq', value: 'u-037' });
  storage.query = query;
  storage.count = count;
  const factory = (globalThis as unknown as Record<string, { indexedDbAdapter: typeof indexedDbAdapter }>)[other]?.indexedDbAdapter;
  if (factory === undefined) throw new Error(`no bundle ${other} in the page`);
  const b = factory({ name: RAPPORT_DB, broadcast: false });
  await b.open(openedSchema as Parameters<typeof b.open>[0]);
  const cases: [string, (s: typeof storage) => Promise<unknown>][] = [
    [`query ${JSON.stringify(captured.query)}`, (s) => s.query('customers', captured.query as Parameters<typeof storage.query>[1])],
    [`count ${JSON.stringify(captured.count)}`, (s) => s.count('customers', captured.count)],
  ];
  const out: ReadComparison[] = [];
  for (const [what, fn] of cases) {
    if (JSON.stringify(await fn(storage)) !== JSON.stringify(await fn(b))) throw new Error(`${what}: the adapters answer differently`);
    const mine: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      for (const [s, into] of [[storage, mine], [b, theirs]] as const) {
        const t0 = performance.now();
        await fn(s);
        if (i >= 2) into.push(performance.now() - t0);
      }
    }
    const med = (xs: number[]): number => xs.sort((x, y) => x - y)[xs.length >> 1] as number;
    const row: ReadComparison = { what, thisMs: med(mine), otherMs: med(theirs) };
    if (what.startsWith('query')) row.examined = (await storage.explain?.('customers', captured.query as Parameters<typeof storage.query>[1]))?.rowsExamined ?? 0;
    out.push(row);
  }
  await b.close();
  return out;
}

/**
 * What the page query would cost if the customers entity declared a `[tier, createdAt]` index
 * (the engine declares none; the benchmark cannot add one): after {@link pageQuery}, a second
 * adapter opens rapport's database with that index added (IndexedDB builds it from the stored
 * records) and runs the engine's storage query on it. Median ms and the plan.
 */
export async function pageWithCompoundIndex(runs: number): Promise<{ ms: number; plan: unknown }> {
  const r = rapport as BenchRapport;
  let captured: Parameters<typeof r.storage.query>[1] | undefined;
  const query = r.storage.query.bind(r.storage);
  r.storage.query = (collection, q) => {
    if (collection === 'customers') captured = q;
    return query(collection, q);
  };
  await r.crm.customers.find({ where: { field: 'tier', op: 'eq', value: 'gold' }, orderBy: [{ field: 'createdAt', direction: 'desc' }], limit: 50 });
  r.storage.query = query;
  const base = openedSchema as { version?: number; collections: Record<string, { indexes: { name: string; fields: string[] }[] }> };
  const customersSpec = base.collections['customers'] as { indexes: { name: string; fields: string[] }[] };
  const schema = { ...base, collections: { ...base.collections, customers: { indexes: [...customersSpec.indexes, { name: 'tier_createdAt', fields: ['tier', 'createdAt'] }] } } };
  await r.crm.close();
  rapport = undefined;
  const b = indexedDbAdapter({ name: RAPPORT_DB, broadcast: false });
  await b.open(schema as Parameters<typeof b.open>[0]);
  const q = captured as Parameters<typeof b.query>[1];
  const xs: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    await b.query('customers', q);
    if (i >= 2) xs.push(performance.now() - t0);
  }
  const plan = await b.explain?.('customers', q);
  await b.close();
  return { ms: xs.sort((x, y) => x - y)[xs.length >> 1] as number, plan };
}
