/**
 * Property test: random writes and random queries against the memory adapter and against a
 * model written here from the documented semantics. The model imports nothing from src/ (its
 * own value order, filter evaluator and sort), so a shared mistake cannot hide.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index';

// ---------------------------------------------------------------- the model

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Row = { id: string; version: number } & Record<string, Json>;
type Cond = { field: string; op: string; value: Json };
type Where = Cond | { and: Where[] } | { or: Where[] } | { not: Where };
type Order = { field: string; direction?: 'asc' | 'desc' };

function rank(v: unknown): number {
  if (v === undefined) return 0;
  if (v === null) return 1;
  if (v === false) return 2;
  if (v === true) return 3;
  if (typeof v === 'number') return 4;
  if (typeof v === 'string') return 5;
  return Array.isArray(v) ? 6 : 7;
}

function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canon(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function cmp(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (ra === 4) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (ra === 5) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (ra === 6) {
    const x = a as unknown[];
    const y = b as unknown[];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const c = cmp(x[i], y[i]);
      if (c !== 0) return c;
    }
    return x.length - y.length;
  }
  if (ra === 7) {
    const x = canon(a);
    const y = canon(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return 0;
}

const same = (a: unknown, b: unknown): boolean => rank(a) === rank(b) && (rank(a) >= 6 ? canon(a) === canon(b) : a === b);

/** Leaves a dotted path reaches; arrays fan out, a numeric segment indexes. */
function leaves(v: unknown, path: string): unknown[] {
  let current: unknown[] = [v];
  for (const seg of path.split('.')) {
    const next: unknown[] = [];
    const walk = (x: unknown): void => {
      if (x === null || typeof x !== 'object') return;
      if (Array.isArray(x)) {
        if (/^\d+$/.test(seg)) {
          if (x[Number(seg)] !== undefined) next.push(x[Number(seg)]);
        } else x.forEach(walk);
        return;
      }
      if (Object.prototype.hasOwnProperty.call(x, seg)) next.push((x as Record<string, unknown>)[seg]);
    };
    current.forEach(walk);
    current = next;
  }
  return current;
}

const flat = (ls: unknown[]): unknown[] => [...ls, ...ls.flatMap((l) => (Array.isArray(l) ? l : []))];
const hasIn = (ls: unknown[], x: unknown): boolean => ls.some((l) => (Array.isArray(l) ? l.some((e) => same(e, x)) : same(l, x)));
function ranged(v: unknown, op: string, bound: unknown): boolean {
  if (rank(v) !== rank(bound) || (rank(v) !== 4 && rank(v) !== 5)) return false;
  const c = cmp(v, bound);
  return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
}

function test(r: Row, w: Where): boolean {
  if ('and' in w) return w.and.every((f) => test(r, f));
  if ('or' in w) return w.or.some((f) => test(r, f));
  if ('not' in w) return !test(r, w.not);
  const ls = leaves(r, w.field);
  const cs = flat(ls);
  const v = w.value;
  switch (w.op) {
    case 'exists': return v === true ? ls.length > 0 : ls.length === 0;
    case 'eq': return cs.some((c) => same(c, v));
    case 'ne': return !cs.some((c) => same(c, v));
    case 'in': return (v as Json[]).some((x) => cs.some((c) => same(c, x)));
    case 'nin': return !(v as Json[]).some((x) => cs.some((c) => same(c, x)));
    case 'gt': case 'gte': case 'lt': case 'lte': return cs.some((c) => ranged(c, w.op, v));
    case 'between': { const [lo, hi] = v as [Json, Json]; return cs.some((c) => ranged(c, 'gte', lo) && ranged(c, 'lte', hi)); }
    case 'contains': return cs.some((c) => typeof c === 'string' && c.includes(v as string));
    case 'startsWith': return cs.some((c) => typeof c === 'string' && c.startsWith(v as string));
    case 'has': return hasIn(ls, v);
    case 'hasAny': return (v as Json[]).some((x) => hasIn(ls, x));
    case 'hasAll': return (v as Json[]).every((x) => hasIn(ls, x));
    default: throw new Error(`model lacks ${w.op}`);
  }
}

function total(order: Order[]): Required<Order>[] {
  const out: Required<Order>[] = [];
  for (const o of order) {
    out.push({ field: o.field, direction: o.direction ?? 'asc' });
    if (o.field === 'id') return out;
  }
  return [...out, { field: 'id', direction: out[out.length - 1]?.direction ?? 'asc' }];
}
function keyOf(r: Row, order: Required<Order>[]): unknown[] {
  return order.map((o) => { const ls = leaves(r, o.field); return ls.length === 0 ? undefined : ls.length === 1 ? ls[0] : ls; });
}
function cmpKeys(a: unknown[], b: unknown[], order: Required<Order>[]): number {
  for (let i = 0; i < order.length; i++) {
    const c = cmp(a[i], b[i]);
    if (c !== 0) return order[i]?.direction === 'desc' ? -c : c;
  }
  return 0;
}

// ---------------------------------------------------------------- generators

const IDS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'];
const STRINGS = ['', 'a', 'ab', 'B', 'é', 'e\u0301', '中', '😀', '\uFB00', 'Z', '10'];
const scalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 12 }),
  fc.constantFrom(-1.5, 0.25, 2.5, 1000),
  fc.constantFrom(...STRINGS),
);
const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.record({ x: scalar, y: scalar }, { requiredKeys: [] }) },
);
const fields = fc.record(
  {
    a: value,
    b: scalar,
    n: fc.record({ x: scalar, y: value }, { requiredKeys: [] }),
    arr: fc.array(fc.record({ k: scalar }, { requiredKeys: [] }), { maxLength: 3 }),
    tags: fc.oneof(fc.array(scalar, { maxLength: 4 }), scalar),
    u: fc.constantFrom<Json>('u1', 'u2', 'u3', null),
  },
  { requiredKeys: [] },
);
const FIELDS = ['a', 'b', 'n.x', 'n.y', 'arr.k', 'arr.0.k', 'tags', 'u', 'id', 'n'];

const cond: fc.Arbitrary<Cond> = fc.oneof(
  fc.record({ field: fc.constantFrom(...FIELDS), op: fc.constantFrom('eq', 'ne', 'has'), value }),
  fc.record({ field: fc.constantFrom(...FIELDS), op: fc.constantFrom('in', 'nin', 'hasAny', 'hasAll'), value: fc.array(value, { maxLength: 3 }) }),
  fc.record({ field: fc.constantFrom(...FIELDS), op: fc.constantFrom('gt', 'gte', 'lt', 'lte'), value: fc.oneof(fc.integer({ min: -5, max: 12 }), fc.constantFrom(...STRINGS)) }),
  fc.record({
    field: fc.constantFrom(...FIELDS),
    op: fc.constant('between'),
    value: fc.oneof(fc.tuple(fc.integer({ min: -5, max: 12 }), fc.integer({ min: -5, max: 12 })), fc.tuple(fc.constantFrom(...STRINGS), fc.constantFrom(...STRINGS))),
  }),
  fc.record({ field: fc.constantFrom(...FIELDS), op: fc.constant('exists'), value: fc.boolean() }),
  fc.record({ field: fc.constantFrom(...FIELDS), op: fc.constantFrom('contains', 'startsWith'), value: fc.constantFrom(...STRINGS) }),
);
const where: fc.Arbitrary<Where> = fc.letrec<{ w: Where }>((tie) => ({
  w: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: cond },
    { weight: 1, arbitrary: fc.record({ and: fc.array(tie('w'), { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ or: fc.array(tie('w'), { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ not: tie('w') }) },
  ),
})).w;
const order: fc.Arbitrary<Order[]> = fc.array(
  fc.record({ field: fc.constantFrom(...FIELDS), direction: fc.constantFrom('asc', 'desc') }, { requiredKeys: ['field'] }),
  { maxLength: 3 },
);

type Op =
  | { type: 'insert'; id: string; fields: Record<string, Json> }
  | { type: 'update'; id: string; fields: Record<string, Json>; stale?: boolean | undefined }
  | { type: 'delete'; id: string; stale?: boolean | undefined };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('insert' as const), id: fc.constantFrom(...IDS), fields }),
  fc.record({ type: fc.constant('update' as const), id: fc.constantFrom(...IDS), fields, stale: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: ['type', 'id', 'fields'] }),
  fc.record({ type: fc.constant('delete' as const), id: fc.constantFrom(...IDS), stale: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: ['type', 'id'] }),
);
type Query = { where: Where | undefined; orderBy: Order[]; limit: number; writeBetween: Op[][] };
type Step = { kind: 'write'; ops: Op[] } | { kind: 'query'; query: Query };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('write' as const), ops: fc.array(op, { minLength: 1, maxLength: 3 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('query' as const),
      query: fc.record({
        where: fc.option(where, { nil: undefined }),
        orderBy: order,
        limit: fc.integer({ min: 1, max: 4 }),
        writeBetween: fc.array(fc.array(op, { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
      }),
    }),
  },
);

// ---------------------------------------------------------------- the run

const C = 'things';
const schema = {
  collections: {
    [C]: {
      indexes: [
        { name: 'a', fields: ['a'] },
        { name: 'b', fields: ['b'] },
        { name: 'nx', fields: ['n.x'] },
        { name: 'tags', fields: ['tags'], multiEntry: true },
        { name: 'b_nx', fields: ['b', 'n.x'] },
        { name: 'u', fields: ['u'], unique: true },
      ],
    },
  },
};

/**
 * Unique indexes are checked operation by operation, as an IndexedDB transaction checks each
 * put (the storage suite pins the same rule). Set to 'end-state' to model a batch checked only
 * as a whole.
 */
const UNIQUE_CHECK: 'per-operation' | 'end-state' = 'per-operation';

/** Apply a batch to the model; returns the new state or the name of the error the batch must fail with. */
function applyModel(state: Map<string, Row>, ops: Op[]): Map<string, Row> | string {
  const next = new Map(state);
  for (const o of ops) {
    const cur = next.get(o.id);
    if (o.type === 'insert' && cur) return 'ConflictError';
    if (o.type !== 'insert') {
      if (o.stale !== undefined) {
        const expected = (cur?.version ?? 1) + (o.stale ? 1 : 0);
        if (expected !== (cur?.version ?? 0)) return 'ConflictError';
      }
      if (!cur) return 'NotFoundError';
    }
    if (o.type === 'delete') {
      next.delete(o.id);
      continue;
    }
    const row = JSON.parse(JSON.stringify({ ...o.fields, id: o.id, version: (cur?.version ?? 0) + 1 })) as Row;
    const u = row['u'];
    if (UNIQUE_CHECK === 'per-operation' && typeof u === 'string' && [...next.values()].some((r) => r.id !== o.id && r['u'] === u)) {
      return 'ConstraintError';
    }
    next.set(o.id, row);
  }
  const held = new Set<string>();
  for (const r of next.values()) {
    const u = r['u'];
    if (typeof u !== 'string') continue;
    if (held.has(u)) return 'ConstraintError';
    held.add(u);
  }
  return next;
}

function toWriteOps(state: Map<string, Row>, ops: Op[]): Parameters<ReturnType<typeof memoryAdapter>['write']>[0] {
  // Versions follow the model as the batch proceeds, so a good batch writes what the model expects.
  const versions = new Map([...state].map(([id, r]) => [id, r.version]));
  return ops.map((o) => {
    const cur = versions.get(o.id);
    const expectedVersion = 'stale' in o && o.stale !== undefined ? (cur ?? 1) + (o.stale ? 1 : 0) : undefined;
    if (o.type === 'delete') {
      versions.delete(o.id);
      return expectedVersion === undefined ? { type: 'delete', collection: C, id: o.id } : { type: 'delete', collection: C, id: o.id, expectedVersion };
    }
    const version = o.type === 'insert' ? 1 : (cur ?? 0) + 1;
    versions.set(o.id, version);
    const record = { ...o.fields, id: o.id, version };
    if (o.type === 'insert') return { type: 'insert', collection: C, record };
    return expectedVersion === undefined ? { type: 'update', collection: C, record } : { type: 'update', collection: C, record, expectedVersion };
  });
}

describe('memory adapter against a model', () => {
  it('agrees with the model on random writes, queries and pages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const s = memoryAdapter();
        await s.open(schema);
        let state = new Map<string, Row>();

        const write = async (ops: Op[]): Promise<void> => {
          const expected = applyModel(state, ops);
          let error: unknown;
          try {
            await s.write(toWriteOps(state, ops));
          } catch (e: unknown) {
            error = e;
          }
          if (typeof expected === 'string') {
            expect(error, `batch ${JSON.stringify(ops)} should fail with ${expected}`).toBeDefined();
            const name = (error as { name?: unknown }).name;
            if (ops.length === 1) expect(name).toBe(expected);
            else expect(['ConflictError', 'NotFoundError', 'ConstraintError']).toContain(name);
          } else {
            expect(error, `batch ${JSON.stringify(ops)} should succeed`).toBeUndefined();
            state = expected;
          }
          const stored = await s.get(C, IDS);
          expect(stored).toEqual(IDS.map((id) => state.get(id)));
        };

        for (const st of steps) {
          if (st.kind === 'write') {
            await write(st.ops);
            continue;
          }
          const { where: w, orderBy, limit, writeBetween } = st.query;
          const full = total(orderBy);
          const expectAll = (): Row[] =>
            [...state.values()].filter((r) => w === undefined || test(r, w)).sort((a, b) => cmpKeys(keyOf(a, full), keyOf(b, full), full));
          expect(await s.count(C, w as never)).toBe(expectAll().length);

          let cursor: string | undefined;
          let last: unknown[] | undefined;
          let pages = 0;
          for (;;) {
            const page = await s.query(C, { where: w as never, orderBy, limit, cursor });
            const remaining = expectAll().filter((r) => last === undefined || cmpKeys(keyOf(r, full), last, full) > 0);
            expect(page.items.map((r) => r.id), `page ${pages} of ${JSON.stringify(st.query)}`).toEqual(remaining.slice(0, limit).map((r) => r.id));
            expect(page.items).toEqual(remaining.slice(0, limit));
            if (remaining.length > limit) expect(page.nextCursor).toEqual(expect.any(String));
            if (page.nextCursor === undefined || page.items.length === 0) {
              expect(remaining.length).toBeLessThanOrEqual(limit);
              break;
            }
            const lastRow = remaining[Math.min(limit, remaining.length) - 1];
            if (lastRow !== undefined) last = keyOf(lastRow, full);
            cursor = page.nextCursor;
            const between = writeBetween[pages];
            if (between) await write(between);
            if (++pages > 50) throw new Error('too many pages');
          }
        }
        await s.close();
      }),
      { numRuns: 1000 },
    );
  });
});
