/**
 * `explain`: indexes are really used. Collections hold many rows that do not match, so a
 * planner that scans everything fails these tests.
 *
 * @internal
 * @module
 */
import { beforeEach, expect, it } from 'vitest';
import type { StorageAdapter, StoredRecord } from '../storage/adapter';
import type { OpenAdapter } from './context';
import { insertAll, rec } from './context';

/** Rows in the collection: enough that scanning is obvious. */
const ROWS = 2000;

/** 2,000 rows; every 100th is `rare` (20 rows), the rest `common`; `n` is distinct. */
function rows(): StoredRecord[] {
  return Array.from({ length: ROWS }, (_, i) =>
    rec(`e${String(i).padStart(5, '0')}`, {
      kind: i % 100 === 0 ? 'rare' : 'common',
      n: (i * 7919) % ROWS, // a permutation of 0..1999, so index order differs from id order
      note: `row ${i}`,
      tags: i % 100 === 0 ? ['rare', `t${i}`] : ['common'],
    }),
  );
}

const schema = {
  collections: {
    events: {
      indexes: [
        { name: 'kind', fields: ['kind'] },
        { name: 'n', fields: ['n'] },
        { name: 'tags', fields: ['tags'], multiEntry: true },
      ],
    },
    compound: { indexes: [{ name: 'kind_n', fields: ['kind', 'n'] }] },
  },
};

/** The query-plan tests. */
export function explainTests(open: OpenAdapter): void {
  let s: StorageAdapter;
  beforeEach(async () => {
    s = await open(schema);
    await insertAll(s, 'events', rows());
    await insertAll(s, 'compound', rows());
  });

  it('answers an indexed equality from its index, reading little more than the matches', async () => {
    const plan = await s.explain('events', { where: { field: 'kind', op: 'eq', value: 'rare' } });
    expect(plan).toMatchObject({ index: 'kind', strategy: 'index-equality', rowsReturned: 20 });
    expect(plan.rowsExamined).toBeLessThanOrEqual(21);
  });

  it('answers has on a multi-valued index from the index', async () => {
    const plan = await s.explain('events', { where: { field: 'tags', op: 'has', value: 't500' } });
    expect(plan).toMatchObject({ index: 'tags', rowsReturned: 1 });
    expect(plan.rowsExamined).toBeLessThanOrEqual(2);
  });

  it('answers an indexed range from the index', async () => {
    const plan = await s.explain('events', { where: { field: 'n', op: 'between', value: [100, 109] } });
    expect(plan).toMatchObject({ index: 'n', strategy: 'index-range', rowsReturned: 10 });
    expect(plan.rowsExamined).toBeLessThanOrEqual(11);
  });

  it('reports a full scan for a filter on an unindexed field', async () => {
    const plan = await s.explain('events', { where: { field: 'note', op: 'eq', value: 'row 7' } });
    expect(plan).toMatchObject({ index: null, strategy: 'full-scan', rowsReturned: 1, rowsExamined: ROWS });
  });

  it('reads an indexed order from the index, examining far fewer rows than the collection', async () => {
    const query = { orderBy: [{ field: 'n' }], limit: 10 };
    const plan = await s.explain('events', query);
    expect(plan).toMatchObject({ index: 'n', strategy: 'index-order', sorted: false, rowsReturned: 10 });
    expect(plan.rowsExamined).toBeLessThanOrEqual(20);
    const { items } = await s.query('events', query);
    expect(items.map((r) => r['n'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads an indexed order descending from the index', async () => {
    const plan = await s.explain('events', { orderBy: [{ field: 'n', direction: 'desc' }], limit: 10 });
    expect(plan).toMatchObject({ index: 'n', sorted: false, rowsReturned: 10 });
    expect(plan.rowsExamined).toBeLessThanOrEqual(20);
  });

  it('uses a compound index for equality on its first field and a range on its second', async () => {
    const where = { and: [{ field: 'kind', op: 'eq' as const, value: 'rare' }, { field: 'n', op: 'lt' as const, value: 1000 }] };
    const { items } = await s.query('compound', { where, limit: 1000 });
    const matching = items.length;
    expect(matching).toBeGreaterThan(0);
    expect(matching).toBeLessThan(20);
    const plan = await s.explain('compound', { where });
    expect(plan).toMatchObject({ index: 'kind_n', strategy: 'index-range', rowsReturned: matching });
    expect(plan.rowsExamined).toBeLessThanOrEqual(matching + 1);
  });

  it('reports what it returned, and agrees with query', async () => {
    const query = { where: { field: 'kind', op: 'eq' as const, value: 'common' }, orderBy: [{ field: 'n' }], limit: 7 };
    const plan = await s.explain('events', query);
    const { items } = await s.query('events', query);
    expect(plan.rowsReturned).toBe(items.length);
    expect(items).toHaveLength(7);
    expect(plan.rowsExamined).toBeGreaterThanOrEqual(7);
  });
}
