/**
 * Operation counts, not timings: the memory adapter's work per query must not grow with the
 * collection where an index answers it, and paging through everything must stay linear. These
 * catch an accidental O(n²) (a scan behind an index, offset paging, a count that reads rows)
 * without ever depending on the machine's speed.
 *
 * Records are created through the public API at 2k (validation, tokens, audit), then copied
 * tenfold through the adapter's own `write` to reach 20k, keeping their real search tokens.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryAdapter } from '../../adapters/memory/index';
import type { Filter, StorageAdapter, StorageQuery, StoredRecord } from '../../src/index';
import { customers } from '../../bench/data';
import { makeRapport } from '../../bench/rapport';
import type { BenchRapport } from '../../bench/rapport';

const SMALL = 2_000;
const LARGE = 20_000;
const LIMIT = 50;
const LIVE: Filter = { field: 'archivedAt', op: 'exists', value: false };
const and = (...parts: Filter[]): Filter => ({ and: [...parts, LIVE] });

interface Sized {
  n: number;
  storage: StorageAdapter;
  rapport: BenchRapport;
}

/** 2k customers through the public API, and an adapter holding them tenfold (20k) under new ids. */
async function build(): Promise<[Sized, Sized]> {
  const small = await makeRapport(memoryAdapter());
  await small.createAll(customers(SMALL));
  const originals: StoredRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await small.storage.query('customers', { limit: 1000, cursor });
    originals.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  // A second Crm declares the same schema on a fresh adapter; records are copied in directly.
  const large = await makeRapport(memoryAdapter());
  for (let copy = 0; copy * SMALL < LARGE; copy++) {
    await large.storage.write(originals.map((r) => ({ type: 'insert' as const, collection: 'customers', record: copy === 0 ? r : { ...r, id: `${r.id}-${copy}`, externalId: `${String(r['externalId'])}-${copy}` } })));
  }
  return [
    { n: SMALL, storage: small.storage, rapport: small },
    { n: LARGE, storage: large.storage, rapport: large },
  ];
}

async function pages(storage: StorageAdapter, q: StorageQuery): Promise<{ examined: number; returned: number; pages: number }> {
  let examined = 0;
  let returned = 0;
  let count = 0;
  let cursor: string | undefined;
  do {
    const plan = await storage.explain('customers', { ...q, cursor });
    const page = await storage.query('customers', { ...q, cursor });
    examined += plan.rowsExamined;
    returned += page.items.length;
    count++;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return { examined, returned, pages: count };
}

/** Map reads made during `fn`: an index-only answer reads no record. */
async function recordReads(fn: () => Promise<unknown>): Promise<number> {
  const get = vi.spyOn(Map.prototype, 'get');
  const values = vi.spyOn(Map.prototype, 'values');
  try {
    await fn();
    return get.mock.calls.length + values.mock.calls.length;
  } finally {
    get.mockRestore();
    values.mockRestore();
  }
}

describe('operation counts on the memory adapter (2k and 20k customers)', () => {
  const sizes: Sized[] = [];

  beforeAll(async () => {
    sizes.push(...(await build()));
    expect(await sizes[1]?.storage.count('customers')).toBe(LARGE);
  }, 60_000);

  afterAll(async () => {
    for (const s of sizes) await s.rapport.crm.close();
  });

  it('examines at most limit + 1 rows for an indexed equality page in index order, at both sizes', async () => {
    for (const { storage } of sizes) {
      const where = and({ field: 'ownerId', op: 'eq', value: 'u-037' });
      const matches = await storage.count('customers', where);
      const plan = await storage.explain('customers', { where, limit: LIMIT });
      expect(plan.index).toBe('ownerId');
      expect(plan.rowsExamined).toBeLessThanOrEqual(LIMIT + 1);
      expect(plan.rowsReturned).toBe(Math.min(LIMIT, matches));
    }
  });

  it('examines only the matching rows for an indexed equality page ordered by another field', async () => {
    for (const { n, storage } of sizes) {
      const where = and({ field: 'ownerId', op: 'eq', value: 'u-037' });
      const matches = await storage.count('customers', where);
      const plan = await storage.explain('customers', { where, orderBy: [{ field: 'name' }], limit: LIMIT });
      expect(plan.rowsExamined).toBeLessThanOrEqual(matches + LIMIT + 1);
      expect(plan.rowsExamined).toBeLessThan(n / 20);
    }
  });

  it('examines at most limit + 1 rows for a range on an indexed field ordered by it', async () => {
    for (const { storage } of sizes) {
      const plan = await storage.explain('customers', { where: and({ field: 'custom.score', op: 'between', value: [300, 599] }), orderBy: [{ field: 'custom.score' }], limit: LIMIT });
      expect(plan.rowsExamined).toBeLessThanOrEqual(LIMIT + 1);
    }
  });

  it('examines O(N) rows in total when paging through everything with cursors', async () => {
    for (const { n, storage } of sizes) {
      const byId = await pages(storage, { where: LIVE, limit: 1000 });
      expect(byId.returned).toBe(n);
      // Offset paging would examine about N²/(2·limit): 200k rows at 20k, not 20k.
      expect(byId.examined).toBeLessThanOrEqual(n + byId.pages);
      const byName = await pages(storage, { where: LIVE, orderBy: [{ field: 'name' }], limit: 1000 });
      expect(byName.returned).toBe(n);
      expect(byName.examined).toBeLessThanOrEqual(n + byName.pages);
    }
  });

  it('pages through an equality match in another order with cursors in O(N) rows in total', async () => {
    for (const { n, storage } of sizes) {
      const where = and({ field: 'tier', op: 'eq', value: 'gold' });
      const matches = await storage.count('customers', where);
      const walk = await pages(storage, { where, orderBy: [{ field: 'createdAt', direction: 'desc' }], limit: 100 });
      expect(walk.returned).toBe(matches);
      // Each page resumes where the last stopped (re-reading only the gap before the row it
      // peeked at, which the tenfold copies make ~70 rows here): linear, never pages × N.
      expect(walk.examined).toBeLessThanOrEqual(1.5 * n);
    }
  });

  it('counts an indexed equality without reading a record', async () => {
    for (const { n, storage } of sizes) {
      let count = 0;
      const reads = await recordReads(async () => {
        count = await storage.count('customers', { field: 'tier', op: 'eq', value: 'vip' });
      });
      expect(count).toBeGreaterThan(n / 40);
      expect(reads).toBeLessThan(10);
    }
  });

  it('counts an indexed equality through the public API (archive filter added) without reading a record', async () => {
    for (const { n, rapport } of sizes) {
      let count = 0;
      const reads = await recordReads(async () => {
        count = await rapport.crm.customers.count({ field: 'tier', op: 'eq', value: 'vip' });
      });
      expect(count).toBeGreaterThan(n / 40);
      expect(reads).toBeLessThan(20);
    }
  });

  it('counts archived and live records from the archive index, reading only archived ones', async () => {
    const { rapport } = sizes[0] as Sized;
    const { crm, storage } = rapport;
    const vip = { field: 'tier', op: 'eq', value: 'vip' } as const;
    const live = await crm.customers.count(vip);
    const page = await crm.customers.find({ where: vip, limit: 3 });
    for (const c of page.items) await crm.customers.archive(c.id);
    try {
      let count = 0;
      const reads = await recordReads(async () => {
        count = await crm.customers.count(vip);
      });
      expect(count).toBe(live - 3);
      // Three archived holders are read and tested against `tier = vip`; no live vip record is.
      expect(reads).toBeLessThan(30);
      expect(await crm.customers.count(vip, { includeArchived: true })).toBe(live);
      expect(await storage.count('customers', { and: [vip, { field: 'archivedAt', op: 'exists', value: true }] })).toBe(3);
    } finally {
      for (const c of page.items) await crm.customers.restore(c.id);
    }
    expect(await crm.customers.count(vip)).toBe(live);
  });

  it('examines only matching rows for a prefix search over the token index', async () => {
    for (const { n, storage } of sizes) {
      const [sample] = await storage.query('customers', { where: LIVE, limit: 1 }).then((p) => p.items);
      const tags = [...new Set(((sample?.['_tokens'] as string[] | undefined) ?? []).map((t) => t.slice(0, t.indexOf(':'))))];
      expect(tags.length).toBeGreaterThan(1);
      for (const prefix of ['meh', 'yil', 'мар', 'nguy', 'محم']) {
        const where: Filter = { or: tags.map((tag) => ({ field: '_tokens', op: 'startsWith' as const, value: `${tag}:${prefix}` })) };
        const matches = await storage.count('customers', where);
        const plan = await storage.explain('customers', { where, limit: 1000 });
        expect(plan.strategy).toBe('index-union');
        expect(plan.rowsExamined).toBe(matches);
        expect(matches).toBeLessThan(n / 10);
      }
    }
  });

  it('finds the same share of matches at both sizes through the public API (search + total)', async () => {
    const [small, large] = sizes as [Sized, Sized];
    const totalOf = async (s: Sized) => (await s.rapport.crm.customers.find({ search: 'yıl', limit: 10, total: true })).total ?? 0;
    expect(await totalOf(large)).toBe(10 * (await totalOf(small)));
  });
});
