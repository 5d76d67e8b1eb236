/**
 * Paging: keyset cursors visit every record exactly once, in order, and stay right while
 * records are inserted or deleted between pages.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { Customer, FindQuery } from '../../../src/index';
import type { CrmContext } from './context';
import { findAll } from './context';

type Defs = { customers: { points: { type: 'number'; indexed: true }; region: { type: 'select'; options: ['north', 'south', 'east', 'west'] } } };
const DEFS: Defs = { customers: { points: { type: 'number', indexed: true }, region: { type: 'select', options: ['north', 'south', 'east', 'west'] } } };
const REGIONS = ['north', 'south', 'east', 'west'] as const;

/** The paging tests. */
export function pagingTests(t: CrmContext): void {
  describe('paging to the end', () => {
    it('visits each of 1,000 customers exactly once, in order, 37 at a time', async () => {
      const crm = await t.crm({ customFields: DEFS });
      const inputs = Array.from({ length: 1000 }, (_, i) => ({
        name: `Customer ${String((i * 7919) % 1000).padStart(4, '0')}`,
        tags: i % 3 === 0 ? ['fizz'] : [],
        custom: { points: (i * 31) % 50, region: REGIONS[i % 4]! },
      }));
      for (let i = 0; i < inputs.length; i += 250) await crm.customers.createMany(inputs.slice(i, i + 250));
      const all = (await findAll((cursor) => crm.customers.find({ limit: 1000, cursor }))).map((c) => c.id);
      expect(all).toHaveLength(1000);

      const queries: { q: FindQuery; expected: number; key: (c: Customer<{ points?: number }>) => number | string }[] = [
        { q: { orderBy: [{ field: 'custom.points' }] }, expected: 1000, key: (c) => c.custom.points! },
        { q: { orderBy: [{ field: 'custom.points', direction: 'desc' }] }, expected: 1000, key: (c) => -c.custom.points! },
        { q: { orderBy: [{ field: 'name' }] }, expected: 1000, key: (c) => c.name },
        { q: {}, expected: 1000, key: (c) => c.id },
        { q: { where: { field: 'custom.region', op: 'in', value: ['north', 'east'] }, orderBy: [{ field: 'custom.points' }] }, expected: 500, key: (c) => c.custom.points! },
        { q: { where: { field: 'tags', op: 'has', value: 'fizz' }, orderBy: [{ field: 'name', direction: 'desc' }] }, expected: 334, key: (c) => c.name },
      ];
      for (const { q, expected, key } of queries) {
        const seen = await findAll((cursor) => crm.customers.find({ ...q, limit: 37, cursor }));
        const ids = seen.map((c) => c.id);
        expect(ids, JSON.stringify(q)).toHaveLength(expected);
        expect(new Set(ids).size, JSON.stringify(q)).toBe(expected);
        const keys = seen.map(key);
        const descending = q.orderBy?.[0]?.direction === 'desc' && typeof keys[0] === 'string';
        for (let i = 1; i < keys.length; i++) {
          const ok = descending ? keys[i - 1]! >= keys[i]! : keys[i - 1]! <= keys[i]!;
          if (!ok) expect.fail(`${JSON.stringify(q)}: out of order at ${i}: ${String(keys[i - 1])} then ${String(keys[i])}`);
        }
        const total = await crm.customers.find({ ...q, limit: 1, total: true });
        expect(total.total).toBe(expected);
      }
    });

    it('ends with a page without nextCursor', async () => {
      const crm = await t.crm();
      await crm.customers.createMany(Array.from({ length: 5 }, (_, i) => ({ name: `c${i}` })));
      const first = await crm.customers.find({ limit: 3 });
      expect(first.items).toHaveLength(3);
      const second = await crm.customers.find({ limit: 3, cursor: first.nextCursor });
      expect(second.items).toHaveLength(2);
      expect(second.nextCursor).toBeUndefined();
    });
  });

  describe('stable while records change', () => {
    it('neither skips nor repeats when records are inserted and deleted between pages', async () => {
      const crm = await t.crm();
      const made = await crm.customers.createMany(Array.from({ length: 60 }, (_, i) => ({ name: `m${String(i * 10).padStart(4, '0')}` })));
      const byName = new Map(made.map((c) => [c.name, c.id]));
      const q: FindQuery = { orderBy: [{ field: 'name' }], limit: 10 };
      const seen: string[] = [];
      let page = await crm.customers.find(q);
      seen.push(...page.items.map((c) => c.name));
      // Before the cursor: must not shift what comes next.
      await crm.customers.create({ name: 'm0001' });
      await crm.customers.delete(byName.get('m0000')!);
      // After the cursor: a new one appears, a deleted one does not.
      await crm.customers.create({ name: 'm0155' });
      await crm.customers.delete(byName.get('m0200')!);
      let cursor = page.nextCursor;
      while (cursor) {
        page = await crm.customers.find({ ...q, cursor });
        seen.push(...page.items.map((c) => c.name));
        if (seen.length === 30) await crm.customers.delete(byName.get('m0400')!);
        cursor = page.nextCursor;
      }
      const expected = [...made.map((c) => c.name), 'm0155'].filter((n) => n !== 'm0200' && n !== 'm0400').sort();
      expect(seen).toEqual(expected);
    });
  });
}
