/**
 * The Node workloads at one size N: rapport on the memory adapter beside the Map baseline,
 * LokiJS, TinyBase and MiniSearch, on the same data, with answers checked against rapport's.
 * Run by `bench/run.ts` in a child process per N (so one size's garbage never slows another):
 *
 *   node --expose-gc --import tsx bench/node-suite.ts --n 10000 [--workload name] [--out file.json]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type MiniSearch from 'minisearch';
import { memoryAdapter } from '../adapters/memory/index';
import type { Filter } from '../src/index';
import { SEARCHES, customers } from './data';
import type { BenchCustomer } from './data';
import { baselineCreate, fromTinyRow, lokiCreate, miniCreate, miniQuery, tinyCreate } from './peers';
import type { Baseline, LokiCollection, MiniDoc, PeerDoc, TinyBase } from './peers';
import { makeRapport } from './rapport';
import type { BenchRapport } from './rapport';
import { agree, time } from './timing';
import type { ResultRow, Workload } from './workloads';
import type { Timing } from './timing';

const OWNER = 'u-037';
const WATCH_OWNER = 'u-011';
const TEAMS = ['team-03', 'team-07'];
const RANGE: Filter = { and: [{ field: 'tier', op: 'eq', value: 'gold' }, { field: 'custom.score', op: 'between', value: [300, 599] }] };
const NEWEST = [{ field: 'createdAt', direction: 'desc' as const }];

interface Engines {
  rapport: BenchRapport;
  map: Baseline;
  loki: LokiCollection;
  tiny: TinyBase;
  mini: MiniSearch<MiniDoc>;
}

const byNameThenId = (a: PeerDoc, b: PeerDoc): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const newestFirst = (a: PeerDoc, b: PeerDoc): number => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);
const inRange = (d: { tier: string; score: number }): boolean => d.tier === 'gold' && d.score >= 300 && d.score <= 599;
const ids = (xs: readonly ({ id: string } | undefined)[]): string[] => xs.map((x) => x?.id ?? '?');

function tinyRangeQuery(t: TinyBase, id: string): void {
  t.queries.setQueryDefinition(id, 'customers', ({ select, where }) => {
    select('createdAt');
    where('tier', 'gold');
    where((getCell) => {
      const s = getCell('score') as number;
      return s >= 300 && s <= 599;
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { n: { type: 'string', default: '10000' }, workload: { type: 'string', multiple: true }, out: { type: 'string' } } });
  const n = Number(values.n);
  const only = new Set(values.workload ?? []);
  const want = (w: Workload): boolean => only.size === 0 || only.has(w);
  const big = n >= 100_000;
  const rows: ResultRow[] = [];
  const record = (workload: Workload, engine: ResultRow['engine'], t: Timing, ops: number, notes?: string): void => {
    const row: ResultRow = { workload, n, engine, medianMs: round(t.medianMs), minMs: round(t.minMs), runs: t.runs, ops };
    if (notes) row.notes = notes;
    rows.push(row);
    process.stderr.write(`  ${n} ${workload} ${engine}: ${row.medianMs} ms\n`);
  };
  const data = customers(n);

  // ---------------------------------------------------------------- bulk create (each run on a fresh store)
  const e = {} as Engines;
  {
    const createRuns = big ? 1 : 3;
    let last: BenchRapport | undefined;
    const t = await time(
      async (r: BenchRapport) => {
        await r.createAll(data);
        last = r;
      },
      { runs: createRuns, warmup: big ? 0 : 1, warmFor: 0, setup: () => makeRapport(memoryAdapter()) },
    );
    e.rapport = last as BenchRapport;
    if (want('create')) record('create', 'rapport', t, n, `createMany in batches of 1,000: validation, tokens, 1 audit entry each, ${data.length ? 16 : 0} indexes (archivedAt sparse)${big ? '; 1 run' : ''}`);
    // One warm-up, like rapport's: more would leave whole stores to collect in the timed runs.
    const peerRuns = { runs: big ? 3 : 5, warmup: 1, warmFor: 0 };
    let map: Baseline | undefined;
    const tm = await time(() => (map = baselineCreate(data)), peerRuns);
    e.map = map as Baseline;
    if (want('create')) record('create', 'map', tm, n, 'Map + 4 equality indexes; no validation, no copies kept apart, no audit');
    let loki: LokiCollection | undefined;
    const tl = await time(() => (loki = lokiCreate(data)), peerRuns);
    e.loki = loki as LokiCollection;
    if (want('create')) record('create', 'loki', tl, n, `insert(array), ${9} binary indices + 2 unique; no validation, no audit`);
    let tiny: TinyBase | undefined;
    const tt = await time(() => (tiny = tinyCreate(data)), peerRuns);
    e.tiny = tiny as TinyBase;
    if (want('create')) record('create', 'tinybase', tt, n, 'one transaction of setRow, 5 indexes; no validation, no audit');
    let mini: MiniSearch<MiniDoc> | undefined;
    const ti = await time(() => (mini = miniCreate(data)), { runs: 1, warmup: 0 });
    e.mini = mini as MiniSearch<MiniDoc>;
    if (want('create')) record('create', 'minisearch', ti, n, 'search index only (addAll), fed rapport\'s folded tokens');
  }
  const { crm } = e.rapport;

  // ---------------------------------------------------------------- get 1,000 by id
  if (want('get')) {
    const pick = Array.from({ length: 1000 }, (_, i) => (data[(i * 7919) % n] as BenchCustomer).id);
    const expected = ids(await crm.customers.getMany(pick));
    agree('get', 'map', expected, ids(pick.map((id) => e.map.byId.get(id))));
    agree('get', 'loki', expected, ids(pick.map((id) => e.loki.by('id', id))));
    agree('get', 'tinybase', expected, pick.map((id) => fromTinyRow(id, e.tiny.store.getRow('customers', id))['id']));
    record('get', 'rapport', await time(() => crm.customers.getMany(pick), { runs: 15 }), 1000, 'getMany: copies, scope check, masked view');
    record('get', 'map', await time(() => pick.map((id) => e.map.byId.get(id)), { runs: 15 }), 1000, 'Map.get, no copy');
    record('get', 'loki', await time(() => pick.map((id) => e.loki.by('id', id)), { runs: 15 }), 1000, 'by(\'id\') unique index, no copy');
    record('get', 'tinybase', await time(() => pick.map((id) => fromTinyRow(id, e.tiny.store.getRow('customers', id))), { runs: 15 }), 1000, 'getRow + JSON.parse of the nested part');
  }

  // ---------------------------------------------------------------- equality 1%: count + first 50 by name
  if (want('eq-page')) {
    const rapport = async () => {
      const r = await crm.customers.find({ where: { field: 'ownerId', op: 'eq', value: OWNER }, orderBy: [{ field: 'name' }], limit: 50, total: true });
      return { total: r.total, ids: ids(r.items) };
    };
    const map = () => {
      const all = (e.map.byOwner.get(OWNER) ?? []).map((id) => e.map.byId.get(id) as PeerDoc);
      return { total: all.length, ids: ids(all.sort(byNameThenId).slice(0, 50)) };
    };
    const loki = () => ({
      total: e.loki.count({ ownerId: OWNER }),
      ids: ids(e.loki.chain().find({ ownerId: OWNER }).compoundsort([['name', false], ['id', false]]).limit(50).data()),
    });
    const tiny = () => {
      const all = e.tiny.indexes.getSliceRowIds('byOwner', OWNER);
      return { total: all.length, ids: all.slice(0, 50).map((id) => fromTinyRow(id, e.tiny.store.getRow('customers', id))['id'] as string) };
    };
    const expected = await rapport();
    agree('eq-page', 'map', expected, map());
    agree('eq-page', 'loki', expected, loki());
    agree('eq-page', 'tinybase', expected, tiny());
    record('eq-page', 'rapport', await time(rapport, { runs: 15 }), 1, 'find + total; archive filter added (counted from the indexes); copies');
    record('eq-page', 'map', await time(map, { runs: 15 }), 1, 'hand-written: owner list, sort, slice');
    record('eq-page', 'loki', await time(loki, { runs: 15 }), 1, 'find + compoundsort(name,id) + count');
    record('eq-page', 'tinybase', await time(tiny, { runs: 15 }), 1, 'index slice kept sorted by name at write time');
  }

  // ---------------------------------------------------------------- range + filter + order + limit, and the next page
  if (want('range-page') || want('range-next')) {
    const first = await crm.customers.find({ where: RANGE, orderBy: NEWEST, limit: 50 });
    const cursor = first.nextCursor as string;
    const rapport = async () => ids((await crm.customers.find({ where: RANGE, orderBy: NEWEST, limit: 50 })).items);
    const rapportNext = async () => ids((await crm.customers.find({ where: RANGE, orderBy: NEWEST, limit: 50, cursor })).items);
    const mapPage = (offset: number) => () =>
      ids(
        (e.map.byTier.get('gold') ?? [])
          .map((id) => e.map.byId.get(id) as PeerDoc)
          .filter(inRange)
          .sort(newestFirst)
          .slice(offset, offset + 50),
      );
    const lokiPage = (offset: number) => () =>
      ids(e.loki.chain().find({ tier: 'gold', score: { $between: [300, 599] } }).simplesort('createdAt', { desc: true }).offset(offset).limit(50).data());
    const tinyPage = (offset: number) => () => {
      tinyRangeQuery(e.tiny, 'range');
      const page = e.tiny.queries.getResultSortedRowIds('range', 'createdAt', true, offset, 50).map((id) => fromTinyRow(id, e.tiny.store.getRow('customers', id))['id'] as string);
      e.tiny.queries.delQueryDefinition('range');
      return page;
    };
    const expected = await rapport();
    const expectedNext = await rapportNext();
    agree('range-page', 'map', expected, mapPage(0)());
    agree('range-page', 'loki', expected, lokiPage(0)());
    agree('range-page', 'tinybase', expected, tinyPage(0)());
    agree('range-next', 'map', expectedNext, mapPage(50)());
    agree('range-next', 'loki', expectedNext, lokiPage(50)());
    agree('range-next', 'tinybase', expectedNext, tinyPage(50)());
    const plan = await e.rapport.storage.explain('customers', { where: { and: [{ field: 'tier', op: 'eq', value: 'gold' }, { field: 'custom.score', op: 'between', value: [300, 599] }, { field: 'archivedAt', op: 'exists', value: false }] }, orderBy: NEWEST, limit: 50 });
    const how = `plan ${plan.strategy}${plan.index ? ` on ${plan.index}` : ''}, ${plan.rowsExamined} rows examined`;
    if (want('range-page')) {
      record('range-page', 'rapport', await time(rapport, { runs: 15 }), 1, `find; ${how}`);
      record('range-page', 'map', await time(mapPage(0), { runs: 15 }), 1, 'tier list, filter, sort, slice');
      record('range-page', 'loki', await time(lokiPage(0), { runs: 15 }), 1, 'find $between + simplesort desc');
      record('range-page', 'tinybase', await time(tinyPage(0), { runs: 15 }), 1, 'query defined per call (scans the table), sorted result');
    }
    if (want('range-next')) {
      record('range-next', 'rapport', await time(rapportNext, { runs: 15 }), 1, 'keyset cursor');
      record('range-next', 'map', await time(mapPage(50), { runs: 15 }), 1, 'offset 50');
      record('range-next', 'loki', await time(lokiPage(50), { runs: 15 }), 1, 'offset 50');
      record('range-next', 'tinybase', await time(tinyPage(50), { runs: 15 }), 1, 'offset 50, query defined per call');
    }
  }

  // ---------------------------------------------------------------- paging through everything
  if (want('page-all')) {
    const pages = Math.ceil(n / 1000);
    const rapport = async () => {
      let count = 0;
      let last = '';
      let cursor: string | undefined;
      do {
        const page = await crm.customers.find({ limit: 1000, cursor });
        count += page.items.length;
        last = page.items[page.items.length - 1]?.id ?? last;
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return { count, last };
    };
    const map = () => {
      let count = 0;
      let last = '';
      for (let i = 0; i < n; i += 1000) {
        const page = e.map.order.slice(i, i + 1000).map((id) => e.map.byId.get(id) as PeerDoc);
        count += page.length;
        last = page[page.length - 1]?.id ?? last;
      }
      return { count, last };
    };
    const loki = () => {
      let count = 0;
      let last = '';
      for (let i = 0; i < n; i += 1000) {
        const page = e.loki.chain().offset(i).limit(1000).data();
        count += page.length;
        last = page[page.length - 1]?.id ?? last;
      }
      return { count, last };
    };
    const tiny = () => {
      let count = 0;
      let last = '';
      for (let i = 0; i < n; i += 1000) {
        const page = e.tiny.store.getSortedRowIds('customers', undefined, false, i, 1000).map((id) => fromTinyRow(id, e.tiny.store.getRow('customers', id)));
        count += page.length;
        last = (page[page.length - 1]?.['id'] as string | undefined) ?? last;
      }
      return { count, last };
    };
    const expected = await rapport();
    agree('page-all', 'map', expected, map());
    agree('page-all', 'loki', expected, loki());
    agree('page-all', 'tinybase', expected, tiny());
    const opts = { runs: big ? 3 : 5, warmup: 1 };
    record('page-all', 'rapport', await time(rapport, opts), pages, 'keyset cursors on the id order; copies');
    record('page-all', 'map', await time(map, opts), pages, 'array slices, no copy');
    record('page-all', 'loki', await time(loki, opts), pages, 'offset/limit in insertion order (= id order here), no copy');
    record('page-all', 'tinybase', await time(tiny, opts), pages, 'getSortedRowIds(offset, limit) per page + getRow');
  }

  // ---------------------------------------------------------------- prefix search
  if (want('search')) {
    for (const q of SEARCHES) {
      const all: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await crm.customers.find({ search: q, limit: 1000, cursor });
        all.push(...ids(page.items));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      const mini = e.mini.search(miniQuery(q)).map((r) => String(r.id));
      agree('search', `minisearch ("${q}")`, all.sort(), mini.sort());
      const ranked = await crm.search(q, { collections: ['customers'], limit: 20 });
      if (all.length > 0 && ranked.hits.length === 0) throw new Error(`search "${q}": crm.search found nothing`);
    }
    const rapportRanked = async () => {
      for (const q of SEARCHES) await crm.search(q, { collections: ['customers'], limit: 20 });
    };
    const rapportPage = async () => {
      for (const q of SEARCHES) await crm.customers.find({ search: q, limit: 50 });
    };
    const mini = () => {
      for (const q of SEARCHES) e.mini.search(miniQuery(q)).slice(0, 20);
    };
    const ranked = await time(rapportRanked, { runs: 9 });
    record('search', 'rapport', ranked, SEARCHES.length, 'crm.search ranked top 20 (ranks at most 1,000 candidates per collection)');
    const page = await time(rapportPage, { runs: 9 });
    rows.push({ workload: 'search', n, engine: 'rapport', medianMs: round(page.medianMs), minMs: round(page.minMs), runs: page.runs, ops: SEARCHES.length, notes: 'variant: find({ search }) first page of 50, id order' });
    record('search', 'minisearch', await time(mini, { runs: 9 }), SEARCHES.length, 'ranked (BM25), every match scored; top 20 taken');
  }

  // ---------------------------------------------------------------- counts
  if (want('count-eq')) {
    const expected = await crm.customers.count({ field: 'tier', op: 'eq', value: 'vip' });
    agree('count-eq', 'map', expected, e.map.byTier.get('vip')?.length);
    agree('count-eq', 'loki', expected, e.loki.count({ tier: 'vip' }));
    agree('count-eq', 'tinybase', expected, e.tiny.indexes.getSliceRowIds('byTier', 'vip').length);
    record('count-eq', 'rapport', await time(() => crm.customers.count({ field: 'tier', op: 'eq', value: 'vip' }), { runs: 15 }), 1, 'the engine adds the archive filter: tier count minus archived vip records, from the indexes');
    record('count-eq', 'map', await time(() => e.map.byTier.get('vip')?.length, { runs: 15 }), 1);
    record('count-eq', 'loki', await time(() => e.loki.count({ tier: 'vip' }), { runs: 15 }), 1);
    record('count-eq', 'tinybase', await time(() => e.tiny.indexes.getSliceRowIds('byTier', 'vip').length, { runs: 15 }), 1, 'index slice length');
  }
  if (want('count-filter')) {
    const where: Filter = { and: [{ field: 'tier', op: 'eq', value: 'gold' }, { field: 'lifecycle', op: 'eq', value: 'customer' }] };
    const map = () => (e.map.byTier.get('gold') ?? []).filter((id) => e.map.byId.get(id)?.lifecycle === 'customer').length;
    const tiny = () => {
      e.tiny.queries.setQueryDefinition('count', 'customers', ({ select, where: w }) => {
        select('tier');
        w('tier', 'gold');
        w('lifecycle', 'customer');
      });
      const c = e.tiny.queries.getResultRowCount('count');
      e.tiny.queries.delQueryDefinition('count');
      return c;
    };
    const expected = await crm.customers.count(where);
    agree('count-filter', 'map', expected, map());
    agree('count-filter', 'loki', expected, e.loki.count({ tier: 'gold', lifecycle: 'customer' }));
    agree('count-filter', 'tinybase', expected, tiny());
    record('count-filter', 'rapport', await time(() => crm.customers.count(where), { runs: 15 }), 1, 'tier index, then each candidate tested');
    record('count-filter', 'map', await time(map, { runs: 15 }), 1);
    record('count-filter', 'loki', await time(() => e.loki.count({ tier: 'gold', lifecycle: 'customer' }), { runs: 15 }), 1);
    record('count-filter', 'tinybase', await time(tiny, { runs: 15 }), 1, 'query defined per call (scans the table)');
  }

  // ---------------------------------------------------------------- 10k updates with expectedVersion
  if (want('update')) {
    const updates = 10_000;
    const targets = Array.from({ length: updates }, (_, i) => (data[(i * 104_729) % n] as BenchCustomer).id);
    // Every engine runs the same number of rounds: the versions are compared afterwards.
    const opts = { runs: 3, warmup: 1, warmFor: 0 };
    const versions = new Map<string, number>();
    let round_ = 0;
    record(
      'update',
      'rapport',
      await time(async () => {
        round_++;
        for (const id of targets) {
          const v = versions.get(id) ?? 1;
          const updated = await crm.customers.update(id, { custom: { visits: 1_000_000 + ++round_ } }, { expectedVersion: v });
          versions.set(id, updated.version);
        }
      }, opts),
      updates,
      'validation, merge patch, diff, audit entry with changes, event',
    );
    const mv = new Map<string, number>();
    record(
      'update',
      'map',
      await time(() => {
        round_++;
        for (const id of targets) {
          const d = e.map.byId.get(id) as PeerDoc;
          const v = mv.get(id) ?? 1;
          if (d.version !== v) throw new Error('stale');
          e.map.byId.set(id, { ...d, version: v + 1, updatedAt: new Date().toISOString(), custom: { ...d.custom, visits: 1_000_000 + ++round_ } });
          mv.set(id, v + 1);
        }
      }, opts),
      updates,
      'replace the object; version compared by hand',
    );
    record(
      'update',
      'loki',
      await time(() => {
        round_++;
        for (const id of targets) {
          const d = e.loki.by('id', id) as PeerDoc;
          const v = d.version;
          d.custom = { ...d.custom, visits: 1_000_000 + ++round_ };
          d.version = v + 1;
          d.updatedAt = new Date().toISOString();
          e.loki.update(d);
        }
      }, opts),
      updates,
      'by(id) + update(doc), in place; version compared by hand',
    );
    record(
      'update',
      'tinybase',
      await time(() => {
        round_++;
        for (const id of targets) {
          const v = e.tiny.store.getCell('customers', id, 'version') as number;
          e.tiny.store.setPartialRow('customers', id, { visits: 1_000_000 + ++round_, version: v + 1, updatedAt: new Date().toISOString() });
        }
      }, opts),
      updates,
      'setPartialRow; version compared by hand',
    );
    const sample = targets.slice(0, 20);
    agree('update', 'map', ids(await crm.customers.getMany(sample)).map((id) => versions.get(id)), sample.map((id) => e.map.byId.get(id)?.version));
  }

  // ---------------------------------------------------------------- live query latency
  if (want('watch')) {
    const live = crm.customers.watch({ where: { field: 'ownerId', op: 'eq', value: WATCH_OWNER }, orderBy: [{ field: 'name' }], limit: 50 });
    await live.ready;
    const samples: number[] = [];
    for (let i = 0; i < 40; i++) {
      const items = live.getSnapshot().items;
      const target = items[i % items.length] as { id: string };
      const t0 = performance.now();
      const seen = new Promise<number>((resolve) => {
        const off = live.subscribe(() => {
          off();
          resolve(performance.now());
        });
      });
      await crm.customers.update(target.id, { custom: { nps: i } });
      samples.push((await seen) - t0);
    }
    live();
    record('watch', 'rapport', stats(samples.slice(5)), 1, 'update → re-run of the watched find (50 by name) → listener');
    e.tiny.queries.setQueryDefinition('watch', 'customers', ({ select, where }) => {
      select('name');
      select('nps');
      where('ownerId', WATCH_OWNER);
    });
    const tinyIds = e.tiny.queries.getResultSortedRowIds('watch', 'name', false, 0, 50);
    const tinySamples: number[] = [];
    let t1 = 0;
    const listener = e.tiny.queries.addResultTableListener('watch', () => {
      e.tiny.queries.getResultSortedRowIds('watch', 'name', false, 0, 50);
      t1 = performance.now();
    });
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      e.tiny.store.setCell('customers', tinyIds[i % tinyIds.length] as string, 'nps', 1000 + i);
      tinySamples.push(t1 - t0);
    }
    e.tiny.queries.delListener(listener);
    e.tiny.queries.delQueryDefinition('watch');
    record('watch', 'tinybase', stats(tinySamples.slice(5)), 1, 'setCell → result table listener (synchronous) + sorted page');
  }

  // ---------------------------------------------------------------- permission-scoped query
  if (want('scoped')) {
    const manager = crm.as({ id: 'm-1', roles: ['manager'], teamIds: TEAMS });
    const rapport = async () => {
      const r = await manager.customers.find({ where: { field: 'tier', op: 'eq', value: 'gold' }, orderBy: NEWEST, limit: 50, total: true });
      return { total: r.total, ids: ids(r.items) };
    };
    const map = () => {
      const all = TEAMS.flatMap((t) => e.map.byTeam.get(t) ?? []).map((id) => e.map.byId.get(id) as PeerDoc).filter((d) => d.tier === 'gold');
      return { total: all.length, ids: ids(all.sort(newestFirst).slice(0, 50)) };
    };
    const loki = () => ({
      total: e.loki.count({ teamId: { $in: TEAMS }, tier: 'gold' }),
      ids: ids(e.loki.chain().find({ teamId: { $in: TEAMS }, tier: 'gold' }).simplesort('createdAt', { desc: true }).limit(50).data()),
    });
    const expected = await rapport();
    agree('scoped', 'map', expected, map());
    agree('scoped', 'loki', expected, loki());
    record('scoped', 'rapport', await time(rapport, { runs: 15 }), 1, 'crm.as(manager): team scope ANDed in by the engine');
    record('scoped', 'map', await time(map, { runs: 15 }), 1, 'scope written by hand');
    record('scoped', 'loki', await time(loki, { runs: 15 }), 1, 'scope written by hand ($in teams)');
  }

  await crm.close();
  const out = JSON.stringify({ n, rows }, null, 1);
  if (values.out) writeFileSync(values.out, out);
  else process.stdout.write(`${out}\n`);
}

function stats(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  return { medianMs: s[s.length >> 1] as number, minMs: s[0] as number, maxMs: s[s.length - 1] as number, runs: s.length };
}

function round(ms: number): number {
  return ms >= 100 ? Math.round(ms) : ms >= 1 ? Math.round(ms * 100) / 100 : Math.round(ms * 10_000) / 10_000;
}

await main();
