/**
 * Queries: filters (tags, countries, custom fields, and/or/not), ordering with ties, counts,
 * archived records, malformed queries and full-text search.
 *
 * @module
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ConstraintError, QueryError, ValidationError } from '../../../src/index';
import type { Crm, FindQuery } from '../../../src/index';
import type { CrmContext } from './context';
import { rejection, untyped } from './context';

type Defs = { customers: { points: { type: 'number'; indexed: true }; segment: { type: 'select'; options: ['smb', 'enterprise'] } } };
const DEFS: Defs = { customers: { points: { type: 'number', indexed: true }, segment: { type: 'select', options: ['smb', 'enterprise'] } } };

/** Five customers (one archived) to query. */
async function seed(crm: Crm<Defs>): Promise<void> {
  await crm.customers.create({ name: 'Ada', tier: 'vip', tags: ['vip', 'wholesale'], lifecycle: 'customer', addresses: [{ country: 'TR', city: 'Istanbul' }], custom: { points: 30, segment: 'enterprise' } });
  await crm.customers.create({ name: 'Bob', tags: ['retail'], addresses: [{ country: 'IR', city: 'Tehran' }], custom: { points: 10, segment: 'smb' } });
  await crm.customers.create({ name: 'Cem', tier: 'gold', tags: ['wholesale'], addresses: [{ country: 'DE' }, { country: 'TR', city: 'Izmir' }], custom: { points: 20 } });
  await crm.customers.create({ name: 'Dan', lifecycle: 'prospect' });
  const eve = await crm.customers.create({ name: 'Eve', tags: ['wholesale'], addresses: [{ country: 'TR' }], custom: { points: 99 } });
  await crm.customers.archive(eve.id);
}

/** The query tests. */
export function queryTests(t: CrmContext): void {
  describe('filters', () => {
    let crm: Crm<Defs>;
    beforeEach(async () => {
      crm = await t.crm({ customFields: DEFS });
      await seed(crm);
    });
    const names = async (q: FindQuery) => (await crm.customers.find({ orderBy: [{ field: 'name' }], ...q })).items.map((c) => c.name);

    it.each<[string, FindQuery['where'], string[]]>([
      ['a tag (has)', { field: 'tags', op: 'has', value: 'wholesale' }, ['Ada', 'Cem']],
      ['any of some tags (hasAny)', { field: 'tags', op: 'hasAny', value: ['retail', 'vip'] }, ['Ada', 'Bob']],
      ['all of some tags (hasAll)', { field: 'tags', op: 'hasAll', value: ['vip', 'wholesale'] }, ['Ada']],
      ['a country through addresses.country (eq)', { field: 'addresses.country', op: 'eq', value: 'TR' }, ['Ada', 'Cem']],
      ['countries through addresses.country (in)', { field: 'addresses.country', op: 'in', value: ['IR', 'DE'] }, ['Bob', 'Cem']],
      ['a city through addresses.city', { field: 'addresses.city', op: 'eq', value: 'Izmir' }, ['Cem']],
      ['a custom number (gte)', { field: 'custom.points', op: 'gte', value: 20 }, ['Ada', 'Cem']],
      ['a custom number (between)', { field: 'custom.points', op: 'between', value: [10, 20] }, ['Bob', 'Cem']],
      ['a custom select (eq)', { field: 'custom.segment', op: 'eq', value: 'smb' }, ['Bob']],
      ['a missing field (exists false)', { field: 'tier', op: 'exists', value: false }, ['Bob', 'Dan']],
      ['a name prefix (startsWith)', { field: 'name', op: 'startsWith', value: 'C' }, ['Cem']],
      ['not', { not: { field: 'tags', op: 'has', value: 'wholesale' } }, ['Bob', 'Dan']],
      ['ne (a missing field matches)', { field: 'tier', op: 'ne', value: 'vip' }, ['Bob', 'Cem', 'Dan']],
      [
        'and / or nested',
        { and: [{ field: 'lifecycle', op: 'in', value: ['customer', 'lead'] }, { or: [{ field: 'addresses.country', op: 'in', value: ['IR'] }, { field: 'tier', op: 'eq', value: 'vip' }] }] },
        ['Ada', 'Bob'],
      ],
    ])('finds by %s', async (_what, where, expected) => {
      expect(await names({ where })).toEqual(expected);
      expect(await crm.customers.count(where)).toBe(expected.length);
    });

    it('leaves archived records out unless includeArchived', async () => {
      const where = { field: 'addresses.country', op: 'eq', value: 'TR' } as const;
      expect(await names({ where })).toEqual(['Ada', 'Cem']);
      expect(await names({ where, includeArchived: true })).toEqual(['Ada', 'Cem', 'Eve']);
      expect(await crm.customers.count(where, { includeArchived: true })).toBe(3);
      expect(await crm.customers.count()).toBe(4);
    });

    it('counts every match as total, beyond the page', async () => {
      const page = await crm.customers.find({ limit: 2, total: true, orderBy: [{ field: 'name' }] });
      expect(page.items.map((c) => c.name)).toEqual(['Ada', 'Bob']);
      expect(page.total).toBe(4);
      expect(page.nextCursor).toEqual(expect.any(String));
      const filtered = await crm.customers.find({ where: { field: 'tags', op: 'has', value: 'wholesale' }, limit: 1, total: true });
      expect(filtered.total).toBe(2);
      expect((await crm.customers.find({ limit: 2 })).total).toBeUndefined();
    });

    it('orders ascending and descending by a field and by a custom field', async () => {
      expect(await names({ orderBy: [{ field: 'name', direction: 'desc' }] })).toEqual(['Dan', 'Cem', 'Bob', 'Ada']);
      expect(await names({ where: { field: 'custom.points', op: 'exists', value: true }, orderBy: [{ field: 'custom.points', direction: 'desc' }] })).toEqual(['Ada', 'Cem', 'Bob']);
      expect(await names({ where: { field: 'custom.points', op: 'exists', value: true }, orderBy: [{ field: 'custom.points' }] })).toEqual(['Bob', 'Cem', 'Ada']);
    });
  });

  describe('ordering with ties', () => {
    it('breaks ties by id, in the direction of the last key', async () => {
      const crm = await t.crm();
      const made = await crm.customers.createMany(['B', 'A', 'B', 'A', 'B'].map((tier, i) => ({ name: `n${i}`, tier })));
      const idsOf = (tier: string) => made.filter((c) => c.tier === tier).map((c) => c.id);
      const asc = await crm.customers.find({ orderBy: [{ field: 'tier', direction: 'asc' }] });
      expect(asc.items.map((c) => c.id)).toEqual([...idsOf('A'), ...idsOf('B')]);
      const desc = await crm.customers.find({ orderBy: [{ field: 'tier', direction: 'desc' }] });
      expect(desc.items.map((c) => c.id)).toEqual([...idsOf('B').reverse(), ...idsOf('A').reverse()]);
    });

    it('puts records missing the sort field first ascending and last descending', async () => {
      const crm = await t.crm();
      await crm.customers.createMany([{ name: 'with', tier: 'x' }, { name: 'without' }]);
      expect((await crm.customers.find({ orderBy: [{ field: 'tier' }] })).items.map((c) => c.name)).toEqual(['without', 'with']);
      expect((await crm.customers.find({ orderBy: [{ field: 'tier', direction: 'desc' }] })).items.map((c) => c.name)).toEqual(['with', 'without']);
    });
  });

  describe('declared indexes', () => {
    const INDEXES = { customers: [{ name: 'tier_name', fields: ['tier', 'name'] }] };

    it('page an equality ordered by another field through a compound index, cursors included, as the reference order says', async () => {
      const crm = await t.crm({ indexes: INDEXES });
      const tiers = ['vip', 'gold', 'vip', 'free', 'vip'];
      await crm.customers.createMany(Array.from({ length: 25 }, (_, i) => ({ name: `${String.fromCharCode(65 + ((i * 7) % 26))}${i}`, tier: tiers[i % 5] as string })));
      const expected = Array.from({ length: 25 }, (_, i) => ({ name: `${String.fromCharCode(65 + ((i * 7) % 26))}${i}`, tier: tiers[i % 5] }))
        .filter((c) => c.tier === 'vip')
        .map((c) => c.name)
        .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await crm.customers.find({ where: { field: 'tier', op: 'eq', value: 'vip' }, orderBy: [{ field: 'name', direction: 'desc' }], limit: 4, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((c) => c.name));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);
      expect(await crm.customers.count({ field: 'tier', op: 'eq', value: 'vip' })).toBe(expected.length);
    });

    it('hold a unique key of the app’s own: a taken value is a ConstraintError and nothing is written', async () => {
      const crm = await t.crm({ customFields: { customers: { vatId: { type: 'text' } } }, indexes: { customers: [{ name: 'vatId', fields: ['custom.vatId'], unique: true }] } });
      await crm.customers.create({ name: 'Acme', custom: { vatId: 'DE123' } });
      const error = await rejection(crm.customers.create({ name: 'Acme again', custom: { vatId: 'DE123' } }));
      expect(error).toBeInstanceOf(ConstraintError);
      expect(error).toMatchObject({ name: 'ConstraintError', collection: 'customers' });
      expect(await crm.customers.count()).toBe(1);
    });

    it('are refused at start when they name an unknown field, with a ValidationError naming it', async () => {
      const error = await rejection(t.crm({ indexes: { customers: [{ name: 'bad', fields: ['tier', 'planet'] }] } }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ issues: [{ path: ['indexes', 'customers', 0, 'fields', 1], message: 'customers has no field "planet"', code: 'invalid_option' }] });
    });
  });

  describe('malformed queries', () => {
    it.each<[string, unknown, (string | number)[]]>([
      ['an unknown operator deep inside', { where: { and: [{ field: 'name', op: 'eq', value: 'x' }, { field: 'name', op: 'like', value: 'x' }] } }, ['where', 'and', 1, 'op']],
      ['an internal _tokens field', { where: { field: '_tokens', op: 'has', value: 'n:ada' } }, ['where', 'field']],
      ['an internal field inside a path', { where: { or: [{ field: 'custom._secret', op: 'exists', value: true }] } }, ['where', 'or', 0, 'field']],
      ['ordering by an internal field', { orderBy: [{ field: '_country' }] }, ['orderBy', 0, 'field']],
      ['a bad direction', { orderBy: [{ field: 'name', direction: 'up' }] }, ['orderBy', 0, 'direction']],
      ['gt with a boolean', { where: { field: 'custom.points', op: 'gt', value: true } }, ['where', 'value']],
      ['in without a list', { where: { field: 'tier', op: 'in', value: 'vip' } }, ['where', 'value']],
      ['a limit of 0', { limit: 0 }, ['limit']],
      ['a limit above 1,000', { limit: 1001 }, ['limit']],
      ['a garbage cursor', { cursor: 'not-a-cursor' }, ['cursor']],
      ['a filter that is not an object', { where: 'name = 1' }, ['where']],
    ])('rejects %s with QueryError naming the path', async (_what, query, path) => {
      const crm = await t.crm();
      await crm.customers.create({ name: 'Ada' });
      const error = await rejection(crm.customers.find(untyped(query)));
      expect(error).toBeInstanceOf(QueryError);
      expect(error).toMatchObject({ name: 'QueryError', code: 'invalid_query', path });
    });

    it('rejects a bad filter in count too', async () => {
      const crm = await t.crm();
      const error = await rejection(crm.customers.count(untyped({ field: 'name', op: 'like', value: 'x' })));
      expect(error).toBeInstanceOf(QueryError);
      expect(error).toMatchObject({ path: ['where', 'op'] });
    });

    it('rejects a cursor from another query', async () => {
      const crm = await t.crm();
      await crm.customers.createMany([{ name: 'A' }, { name: 'B' }, { name: 'C' }]);
      const first = await crm.customers.find({ limit: 1, orderBy: [{ field: 'name' }] });
      const error = await rejection(crm.customers.find({ limit: 1, orderBy: [{ field: 'name', direction: 'desc' }], cursor: first.nextCursor }));
      expect(error).toBeInstanceOf(QueryError);
      expect(error).toMatchObject({ path: ['cursor'] });
    });
  });

  describe('search', () => {
    let crm: Crm;
    beforeEach(async () => {
      crm = await t.crm();
      await crm.customers.create({ name: 'Ada Lovelace', emails: [{ address: 'ada@analytical.example' }], tags: ['math'] });
      await crm.customers.create({ name: 'Adam Smith', emails: [{ address: 'adam@economics.example' }] });
      await crm.customers.create({ name: 'Grace Hopper', emails: [{ address: 'grace@navy.example' }], phones: [{ number: '+90 532 123 45 67' }] });
      await crm.customers.create({ name: 'Mehmet Öztürk', addresses: [{ city: 'İstanbul' }] });
    });
    const search = async (text: string, extra: FindQuery = {}) => (await crm.customers.find({ search: text, orderBy: [{ field: 'name' }], ...extra })).items.map((c) => c.name);

    it('finds by a name prefix, case-insensitively', async () => {
      expect(await search('ada')).toEqual(['Ada Lovelace', 'Adam Smith']);
      expect(await search('LOVE')).toEqual(['Ada Lovelace']);
      expect(await search('ada love')).toEqual(['Ada Lovelace']);
    });

    it('finds by a whole email address and by its parts', async () => {
      expect(await search('grace@navy.example')).toEqual(['Grace Hopper']);
      expect(await search('economics')).toEqual(['Adam Smith']);
    });

    it('finds nothing for text nobody has', async () => {
      expect(await search('zebra')).toEqual([]);
    });

    it('combines with a filter and counts with total', async () => {
      const page = await crm.customers.find({ search: 'ada', where: { field: 'tags', op: 'has', value: 'math' }, total: true });
      expect(page.items.map((c) => c.name)).toEqual(['Ada Lovelace']);
      expect(page.total).toBe(1);
    });

    it('folds diacritics and the Turkish dotted and dotless i', async () => {
      expect(await search('ozturk')).toEqual(['Mehmet Öztürk']);
      expect(await search('istanbul')).toEqual(['Mehmet Öztürk']);
      expect(await search('İSTANBUL')).toEqual(['Mehmet Öztürk']);
    });

    it('finds a phone number by its digits', async () => {
      expect(await search('5321234567')).toEqual(['Grace Hopper']);
    });
  });
}
