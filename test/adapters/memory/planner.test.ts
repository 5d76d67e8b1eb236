import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index';
import { comparator, compareKeys, matches, sortKey, totalOrder } from '../../../src/query/index';
import type { Filter, JsonValue, OrderBy } from '../../../src/query/index';
import { aggregateRecords } from '../../../src/index';
import type { StorageAdapter, StorageSchema, StoredRecord, WriteOp } from '../../../src/index';

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const schema: StorageSchema = {
  collections: {
    people: {
      indexes: [
        { name: 'tier', fields: ['tier'] },
        { name: 'score', fields: ['score'] },
        { name: 'name', fields: ['name'] },
        { name: 'tags', fields: ['tags'], multiEntry: true },
        { name: 'tier_score', fields: ['tier', 'score'] },
        { name: 'city', fields: ['address.city'] },
      ],
    },
  },
};

function makeRecord(rnd: () => number, n: number, dense = false): StoredRecord {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const r: StoredRecord = { id: `p${String(n).padStart(4, '0')}`, version: 1 };
  const tier = pick<JsonValue | undefined>(['vip', 'std', 'std', 'gold', 3, null, undefined, ['vip', 'std'], true]);
  if (tier !== undefined) r['tier'] = tier;
  // Dense records fill every indexed scalar field, so whole-index walks become possible.
  const score = dense ? pick([1, 2, 2.5, 3, 7, -1, 0]) : pick<JsonValue | undefined>([1, 2, 2.5, 3, 7, -1, 0, '5', null, undefined]);
  if (score !== undefined) r['score'] = score;
  if (dense || rnd() < 0.9) r['name'] = pick(['ann', 'bob', 'Bea', 'bo', 'çelik', 'zed', '']) + String(Math.floor(rnd() * 5));
  const tags = pick<JsonValue | undefined>([['a'], ['a', 'b'], [], ['c', 'a', 'c'], 'b', [1, 'a'], undefined, [null, 'd']]);
  if (tags !== undefined) r['tags'] = tags;
  if (rnd() < 0.7) r['address'] = rnd() < 0.9 ? { city: pick(['oslo', 'rome', 'riga', 4]) } : [{ city: 'oslo' }, { city: 'rome' }];
  return r;
}

function makeCondition(rnd: () => number): Filter {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const field = pick(['tier', 'score', 'name', 'tags', 'address.city', 'id']);
  const value = (): JsonValue => pick<JsonValue>(['vip', 'std', 'gold', 3, 2, 2.5, 'a', 'b', 'ann1', 'bo', 'oslo', 'rome', 'p0010', 'p0100', null]);
  const scalar = (): string | number => pick<string | number>(['b', 'bob', 'r', 'p0050', 'std', 1, 2, 3, 7]);
  switch (pick(['eq', 'eq', 'in', 'ne', 'range', 'between', 'startsWith', 'has', 'hasAny', 'hasAll', 'exists'])) {
    case 'eq':
      return { field, op: 'eq', value: value() };
    case 'ne':
      return { field, op: 'ne', value: value() };
    case 'in':
      return { field, op: 'in', value: [value(), value()] };
    case 'range':
      return { field, op: pick(['gt', 'gte', 'lt', 'lte'] as const), value: scalar() };
    case 'between': {
      const a = scalar();
      return { field, op: 'between', value: typeof a === 'number' ? [a, a + 3] : [a, `${a}z`] };
    }
    case 'startsWith':
      return { field, op: 'startsWith', value: pick(['b', 'bo', 'p00', 'ro', '']) };
    case 'has':
      return { field, op: 'has', value: value() };
    case 'hasAny':
      return { field, op: 'hasAny', value: [value(), value()] };
    case 'hasAll':
      return { field, op: 'hasAll', value: [value(), value()] };
    default:
      return { field, op: 'exists', value: rnd() < 0.5 };
  }
}

function makeFilter(rnd: () => number, depth = 0): Filter | undefined {
  const r = rnd();
  if (r < 0.1 && depth === 0) return undefined;
  if (r < 0.5 || depth > 1) return makeCondition(rnd);
  if (r < 0.8) return { and: [makeFilter(rnd, depth + 1) ?? makeCondition(rnd), makeCondition(rnd), ...(rnd() < 0.3 ? [makeCondition(rnd)] : [])] };
  if (r < 0.95) return { or: [makeCondition(rnd), makeFilter(rnd, depth + 1) ?? makeCondition(rnd)] };
  return { not: makeCondition(rnd) };
}

function makeOrder(rnd: () => number): OrderBy[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const dir = pick(['asc', 'desc'] as const);
  return pick<OrderBy[]>([[], [{ field: 'name', direction: dir }], [{ field: 'score', direction: dir }], [{ field: 'tier', direction: dir }, { field: 'score', direction: dir }], [{ field: 'id', direction: dir }], [{ field: 'tags' }], [{ field: 'score', direction: 'desc' }, { field: 'name' }]]);
}

async function open(records: StoredRecord[]): Promise<StorageAdapter> {
  const s = memoryAdapter();
  await s.open(schema);
  await s.write(records.map((record): WriteOp => ({ type: 'insert', collection: 'people', record })));
  return s;
}

describe('memory adapter planner', () => {
  it('answers random filters, orders and pages exactly as the reference evaluator', async () => {
    const strategies = new Set<string>();
    for (let round = 0; round < 10; round++) {
      const rnd = random(round + 1);
      const dense = round % 2 === 0;
      let records = Array.from({ length: 100 + round * 30 }, (_, n) => makeRecord(rnd, n, dense));
      const s = await open(records);
      let next = records.length;
      for (let q = 0; q < 60; q++) {
        const where = makeFilter(rnd);
        const orderBy = makeOrder(rnd);
        const total = totalOrder(orderBy);
        const limit = 1 + Math.floor(rnd() * 25);
        const context = JSON.stringify({ round, q, where, orderBy, limit });
        expect(await s.count('people', where), context).toBe(records.filter((r) => matches(r, where)).length);
        strategies.add((await s.explain('people', { where, orderBy, limit })).strategy);
        if (q % 5 === 0) {
          const aggregation = { where, groupBy: ['tier'], metrics: [{ name: 'n', op: 'count' as const }, { name: 's', op: 'sum' as const, field: 'score' }] };
          const byId = [...records].sort((a, b) => (a.id < b.id ? -1 : 1));
          expect(await s.aggregate?.('people', aggregation), context).toEqual(aggregateRecords(byId, aggregation));
        }
        let cursor: string | undefined;
        let after: unknown[] | undefined;
        for (let page = 0; page < 200; page++) {
          const expected = records
            .filter((r) => matches(r, where) && (after === undefined || compareKeys(sortKey(r, total), after, total) > 0))
            .sort(comparator(total));
          const got = await s.query('people', { where, orderBy, limit, cursor });
          expect(got.items.map((r) => r.id), context).toEqual(expected.slice(0, limit).map((r) => r.id));
          expect(got.nextCursor !== undefined, context).toBe(expected.length > limit);
          if (got.nextCursor === undefined) break;
          cursor = got.nextCursor;
          after = sortKey(got.items[got.items.length - 1], total);
          // Records come and go between pages, before and after the cursor.
          const ops: WriteOp[] = [];
          if (rnd() < 0.5 && records.length > 0) {
            const victim = records[Math.floor(rnd() * records.length)] as StoredRecord;
            ops.push({ type: 'delete', collection: 'people', id: victim.id });
            records = records.filter((r) => r !== victim);
          }
          if (rnd() < 0.5) {
            const fresh = makeRecord(rnd, next++, dense);
            ops.push({ type: 'insert', collection: 'people', record: fresh });
            records = [...records, fresh];
          }
          if (ops.length > 0) await s.write(ops);
        }
      }
    }
    expect([...strategies].sort()).toEqual(['full-scan', 'index-equality', 'index-order', 'index-range', 'index-union', 'primary-key']);
  });

  it('counts `exists: false` on an indexed field exactly as the reference evaluator, through writes', async () => {
    // Every indexed field, including values no index holds (null, booleans, objects, arrays),
    // so the records holding a field are tracked exactly as they come and go.
    for (let round = 0; round < 6; round++) {
      const rnd = random(100 + round);
      let records = Array.from({ length: 150 }, (_, n) => makeRecord(rnd, n, round % 2 === 0));
      const s = await open(records);
      let next = records.length;
      for (let q = 0; q < 80; q++) {
        const field = ['tier', 'score', 'name', 'address.city', 'tags'][q % 5] as string;
        const absent: Filter = { field, op: 'exists', value: false };
        const base = q % 4 === 0 ? undefined : makeCondition(rnd);
        const second: Filter = { field: q % 3 === 0 ? 'name' : 'score', op: 'exists', value: false };
        for (const where of [absent, base === undefined ? absent : { and: [base, absent] }, { and: [absent, second, ...(base ? [base] : [])] }]) {
          expect(await s.count('people', where), JSON.stringify({ round, q, where })).toBe(records.filter((r) => matches(r, where)).length);
        }
        const ops: WriteOp[] = [];
        const victim = records[Math.floor(rnd() * records.length)];
        if (victim !== undefined && rnd() < 0.4) {
          ops.push({ type: 'delete', collection: 'people', id: victim.id });
          records = records.filter((r) => r !== victim);
        }
        const changed = records[Math.floor(rnd() * records.length)];
        if (changed !== undefined) {
          const replacement = { ...makeRecord(rnd, 0, false), id: changed.id, version: changed.version + 1 };
          ops.push({ type: 'update', collection: 'people', record: replacement });
          records = records.map((r) => (r === changed ? replacement : r));
        }
        const fresh = makeRecord(rnd, next++, false);
        ops.push({ type: 'insert', collection: 'people', record: fresh });
        records = [...records, fresh];
        await s.write(ops);
      }
    }
  });
});
