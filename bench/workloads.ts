/** The Node workloads' names, titles and result rows, shared by the suite and the runner. */

/** One measured cell: a workload, an engine, its median per run and what a run does. */
export interface ResultRow {
  workload: string;
  n: number;
  engine: 'rapport' | 'map' | 'loki' | 'tinybase' | 'minisearch' | 'rapport-idb' | 'idb' | 'idb-noindex' | 'dexie';
  medianMs: number;
  minMs: number;
  runs: number;
  /** Operations per run (records created, ids read, queries, updates…), for µs per operation. */
  ops: number;
  notes?: string;
}

/** The workloads, in table order. */
export const WORKLOADS = ['create', 'get', 'eq-page', 'range-page', 'range-next', 'page-all', 'search', 'count-eq', 'count-filter', 'update', 'watch', 'scoped'] as const;
export type Workload = (typeof WORKLOADS)[number];

export const WORKLOAD_TITLES: Record<Workload, string> = {
  create: 'bulk create N customers',
  get: 'get 1,000 by id',
  'eq-page': 'owner = X (1%): count + first 50 by name',
  'range-page': 'tier = gold ∧ score ∈ [300,599], newest 50',
  'range-next': '… next page of 50 (cursor)',
  'page-all': 'page through all, limit 1000',
  search: 'prefix search, 16 queries (7 scripts)',
  'count-eq': 'count tier = vip',
  'count-filter': 'count tier = gold ∧ lifecycle = customer',
  update: '10k updates with expectedVersion',
  watch: 'live query: write → listener',
  scoped: 'team manager: gold, newest 50 + total',
};

