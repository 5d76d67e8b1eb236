/**
 * The peers rapport is measured against, each loaded with the same customers and the same
 * indexes where it can hold them: a hand-written Map/array baseline (the floor), LokiJS
 * (binary indices), TinyBase (store + indexes + queries) and MiniSearch (the search index).
 *
 * None of them validates, authorizes, audits, derives search tokens or hands out copies
 * unless noted; the table's notes column says so per workload.
 */
import Loki from 'lokijs';
import MiniSearch from 'minisearch';
import { createIndexes, createQueries, createStore } from 'tinybase';
import type { Indexes, Queries, Store } from 'tinybase';
import { customersModule } from '../src/entities/customers';
import { searchTokens } from '../src/engine/tokens';
import { parseSearch, splitToken } from '../src/search/index';
import type { BenchCustomer } from './data';

// ---------------------------------------------------------------- baseline: Map + arrays

/** A record as the peers store it: the customer with `version`, `updatedAt` and `score` flattened. */
export type PeerDoc = BenchCustomer & { version: number; updatedAt: string; score: number; lifetimeValue: number };

/**
 * A fresh top-level object per store (Loki writes `$loki` into what it is given); nested parts
 * are shared with the data set, which no peer mutates, so a peer's create pays for no deep copy.
 */
export function peerDoc(c: BenchCustomer): PeerDoc {
  return { ...c, version: 1, updatedAt: c.createdAt, score: c.custom.score, lifetimeValue: c.custom.lifetimeValue };
}

/** The floor: records in a Map, equality indexes as Map<value, id[]>, no copies, no checks. */
export interface Baseline {
  byId: Map<string, PeerDoc>;
  /** Ids in id (creation) order. */
  order: string[];
  byOwner: Map<string, string[]>;
  byTier: Map<string, string[]>;
  byTeam: Map<string, string[]>;
  byLifecycle: Map<string, string[]>;
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

export function baselineCreate(rows: readonly BenchCustomer[]): Baseline {
  const b: Baseline = { byId: new Map(), order: [], byOwner: new Map(), byTier: new Map(), byTeam: new Map(), byLifecycle: new Map() };
  for (const c of rows) {
    const d = peerDoc(c);
    b.byId.set(d.id, d);
    b.order.push(d.id);
    push(b.byOwner, d.ownerId, d.id);
    push(b.byTier, d.tier, d.id);
    push(b.byTeam, d.teamId, d.id);
    push(b.byLifecycle, d.lifecycle, d.id);
  }
  return b;
}

// ---------------------------------------------------------------- LokiJS

/** Loki's binary indices: the scalar fields rapport indexes (arrays cannot be Loki-indexed). */
export const LOKI_INDICES = ['createdAt', 'updatedAt', 'ownerId', 'teamId', 'name', 'lifecycle', 'tier', 'score', 'lifetimeValue'] as const;

export type LokiDoc = PeerDoc & { $loki?: number };
export type LokiCollection = Collection<LokiDoc>;

export function lokiCreate(rows: readonly BenchCustomer[]): LokiCollection {
  const db = new Loki('bench.db', { autosave: false, persistenceMethod: 'memory' });
  const coll = db.addCollection<LokiDoc>('customers', { indices: [...LOKI_INDICES], unique: ['id', 'externalId'], clone: false, disableMeta: true });
  coll.insert(rows.map(peerDoc));
  return coll;
}

// ---------------------------------------------------------------- TinyBase

export interface TinyBase {
  store: Store;
  indexes: Indexes;
  queries: Queries;
}

/** TinyBase rows hold scalars: the queried fields as cells, everything else as one JSON cell. */
export function tinyRow(c: BenchCustomer): Record<string, string | number> {
  const { id: _id, name, ownerId, teamId, tier, lifecycle, createdAt, externalId, kind, custom, ...rest } = c;
  return {
    name,
    ownerId,
    teamId,
    tier,
    lifecycle,
    createdAt,
    updatedAt: createdAt,
    externalId,
    kind,
    version: 1,
    score: custom.score,
    lifetimeValue: custom.lifetimeValue,
    visits: custom.visits,
    nps: custom.nps,
    doc: JSON.stringify(rest),
  };
}

/** The customer back from a TinyBase row. */
export function fromTinyRow(id: string, row: Record<string, unknown>): Record<string, unknown> {
  const { doc, score, lifetimeValue, visits, nps, ...cells } = row;
  return { id, ...cells, ...(JSON.parse(doc as string) as object), custom: { score, lifetimeValue, visits, nps } };
}

/** Sort key for "by name, then id" in a TinyBase index (NUL sorts before every other code unit). */
const nameThenId = (getCell: (cellId: string) => unknown, rowId: string): string => `${String(getCell('name'))}\u0000${rowId}`;

export function tinyCreate(rows: readonly BenchCustomer[]): TinyBase {
  const store = createStore();
  const indexes = createIndexes(store);
  // The same equality indexes rapport keeps for these fields; owner slices sorted by name, tier slices by date.
  indexes.setIndexDefinition('byOwner', 'customers', 'ownerId', nameThenId);
  indexes.setIndexDefinition('byTier', 'customers', 'tier', 'createdAt');
  indexes.setIndexDefinition('byTeam', 'customers', 'teamId');
  indexes.setIndexDefinition('byLifecycle', 'customers', 'lifecycle');
  indexes.setIndexDefinition('byScore', 'customers', (getCell) => String(Math.floor((getCell('score') as number) / 100)), 'score');
  const queries = createQueries(store);
  store.transaction(() => {
    for (const c of rows) store.setRow('customers', c.id, tinyRow(c));
  });
  return { store, indexes, queries };
}

// ---------------------------------------------------------------- MiniSearch

/**
 * MiniSearch over the same searchable fields as rapport, fed the same folded tokens (rapport's
 * tokenizer: İ/ı folding, Persian letter variants, CJK bigrams), so both answer alike. Its own
 * tokenizer would not fold Turkish or split Chinese.
 */
export type MiniDoc = { id: string } & Record<string, string>;

const SEARCH_FIELDS = (customersModule.search ?? []).map((f) => f.tag);

export function miniDoc(c: BenchCustomer): MiniDoc {
  const doc: MiniDoc = { id: c.id };
  for (const stored of searchTokens(c, customersModule.search ?? [])) {
    const { tag, token } = splitToken(stored);
    const field = tag.split('^')[0] as string;
    doc[field] = doc[field] === undefined ? token : `${doc[field]} ${token}`;
  }
  return doc;
}

export function miniCreate(rows: readonly BenchCustomer[]): MiniSearch<MiniDoc> {
  const ms = new MiniSearch<MiniDoc>({
    fields: SEARCH_FIELDS,
    storeFields: [],
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term,
    searchOptions: { prefix: true, combineWith: 'AND', tokenize: (text) => [text], processTerm: (term) => term },
  });
  ms.addAll(rows.map(miniDoc));
  return ms;
}

/** rapport's search terms as MiniSearch's query: every term a prefix, all of them required. */
export function miniQuery(text: string): { combineWith: 'AND'; queries: string[] } {
  return { combineWith: 'AND', queries: parseSearch(text).terms.flatMap((t) => [...t.prefix, ...t.exact]) };
}
