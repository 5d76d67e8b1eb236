/**
 * Custom fields: every type with its constraints, required fields, unknown fields, merge
 * patches, filtering and ordering, and invalid definitions.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/index';
import type { CustomFieldsConfig } from '../../../src/index';
import type { CrmContext } from './context';
import { rejection, untyped } from './context';

const FIELDS = {
  customers: {
    points: { type: 'number', min: 0, max: 1000, integer: true, indexed: true },
    ratio: { type: 'number' },
    vip: { type: 'boolean', indexed: true },
    since: { type: 'date', min: '2000-01-01', max: '2030-12-31' },
    segment: { type: 'select', options: ['smb', 'enterprise'], indexed: true },
    interests: { type: 'multiSelect', options: ['golf', 'tea', 'jazz'], max: 2, indexed: true },
    budget: { type: 'money', currency: 'EUR', min: 0 },
    billing: { type: 'email' },
    hotline: { type: 'phone' },
    site: { type: 'url' },
    nickname: { type: 'text', minLength: 2, maxLength: 10 },
  },
} as const satisfies CustomFieldsConfig;

const VALID = {
  points: 10,
  ratio: 0.5,
  vip: true,
  since: '2020-02-29',
  segment: 'enterprise',
  interests: ['golf', 'tea'],
  budget: { amount: 129900, currency: 'EUR' },
  billing: 'billing@example.com',
  hotline: '+90 (532) 123-4567',
  site: 'https://example.com/about',
  nickname: 'Ace',
} as const;

const BAD: [string, Record<string, unknown>][] = [
  ['points', { points: -1 }],
  ['points', { points: 1001 }],
  ['points', { points: 1.5 }],
  ['points', { points: '10' }],
  ['ratio', { ratio: Number.NaN }],
  ['vip', { vip: 'yes' }],
  ['since', { since: '1999-12-31' }],
  ['since', { since: '2021-02-29' }],
  ['since', { since: '2020-01-01T00:00:00Z' }],
  ['segment', { segment: 'startup' }],
  ['interests', { interests: ['golf', 'chess'] }],
  ['interests', { interests: ['golf', 'tea', 'jazz'] }],
  ['interests', { interests: 'golf' }],
  ['budget', { budget: { amount: 10, currency: 'USD' } }],
  ['budget', { budget: { amount: 10.5, currency: 'EUR' } }],
  ['budget', { budget: { amount: -1, currency: 'EUR' } }],
  ['budget', { budget: 10 }],
  ['billing', { billing: 'nope' }],
  ['hotline', { hotline: 'call me' }],
  ['site', { site: 'javascript:alert(1)' }],
  ['site', { site: 'example.com' }],
  ['nickname', { nickname: 'A' }],
  ['nickname', { nickname: 'Much too long a name' }],
  ['nickname', { nickname: 5 }],
];

/** The custom field tests. */
export function customFieldTests(t: CrmContext): void {
  describe('custom fields', () => {
    it('stores valid values of every type', async () => {
      const crm = await t.crm({ customFields: FIELDS });
      const c = await crm.customers.create({ name: 'Ada', custom: { ...VALID, interests: ['golf', 'tea'] } });
      expect(c.custom).toEqual(VALID);
      expect((await crm.customers.get(c.id)).custom).toEqual(VALID);
    });

    it.each(BAD)('refuses a bad %s value, naming custom.<field>, and stores nothing', async (field, custom) => {
      const crm = await t.crm({ customFields: FIELDS });
      const error = await rejection(crm.customers.create(untyped({ name: 'Ada', custom })));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ name: 'ValidationError', issues: expect.arrayContaining([expect.objectContaining({ path: expect.arrayContaining(['custom', field]) })]) });
      expect((error as ValidationError).issues[0]!.path.slice(0, 2)).toEqual(['custom', field]);
      expect(await crm.customers.count()).toBe(0);
    });

    it('refuses an unknown custom field', async () => {
      const crm = await t.crm({ customFields: FIELDS });
      const error = await rejection(crm.customers.create(untyped({ name: 'Ada', custom: { points: 1, shoeSize: 42 } })));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: ['custom', 'shoeSize'] })]) });
    });

    it('requires required fields, on create and on a patch that removes them', async () => {
      const crm = await t.crm({ customFields: { customers: { code: { type: 'text', required: true } } } });
      const missing = await rejection(crm.customers.create(untyped({ name: 'Ada', custom: {} })));
      expect(missing).toBeInstanceOf(ValidationError);
      expect(missing).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: ['custom', 'code'] })]) });
      const noCustom = await rejection(crm.customers.create(untyped({ name: 'Ada' })));
      expect(noCustom).toBeInstanceOf(ValidationError);
      expect((noCustom as ValidationError).issues[0]!.path[0]).toBe('custom');
      const c = await crm.customers.create({ name: 'Ada', custom: { code: 'A1' } });
      const removed = await rejection(crm.customers.update(c.id, { custom: { code: null } }));
      expect(removed).toBeInstanceOf(ValidationError);
      expect(removed).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: ['custom', 'code'] })]) });
      expect(await crm.customers.count()).toBe(1);
    });

    it('merges custom fields in a patch; null removes one', async () => {
      const crm = await t.crm({ customFields: FIELDS });
      const c = await crm.customers.create({ name: 'Ada', custom: { points: 1, vip: false, interests: ['golf'] } });
      const next = await crm.customers.update(c.id, { custom: { vip: true, interests: ['tea'], points: null } });
      expect(next.custom).toEqual({ vip: true, interests: ['tea'] });
    });

    it('applies custom fields to interactions too', async () => {
      const crm = await t.crm({ customFields: { interactions: { minutes: { type: 'number', min: 0 } } } });
      const c = await crm.customers.create({ name: 'Ada' });
      const call = await crm.interactions.log({ type: 'call', customerId: c.id, custom: { minutes: 12 } });
      expect(call.custom).toEqual({ minutes: 12 });
      const error = await rejection(crm.interactions.log(untyped({ type: 'call', customerId: c.id, custom: { minutes: -5 } })));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ collection: 'interactions', issues: expect.arrayContaining([expect.objectContaining({ path: ['custom', 'minutes'] })]) });
    });

    it('filters and orders by indexed and unindexed custom fields', async () => {
      const crm = await t.crm({ customFields: FIELDS });
      await crm.customers.createMany([
        { name: 'A', custom: { points: 5, vip: true, segment: 'smb', interests: ['golf'], ratio: 0.1, since: '2010-01-01' } },
        { name: 'B', custom: { points: 50, vip: false, segment: 'enterprise', interests: ['tea', 'jazz'], ratio: 0.9, since: '2020-01-01' } },
        { name: 'C', custom: { points: 500, segment: 'enterprise', interests: ['jazz'] } },
        { name: 'D' },
      ]);
      const names = async (where: Parameters<typeof crm.customers.find>[0]) => (await crm.customers.find({ orderBy: [{ field: 'name' }], ...where })).items.map((c) => c.name);
      expect(await names({ where: { field: 'custom.points', op: 'gt', value: 10 } })).toEqual(['B', 'C']);
      expect(await names({ where: { field: 'custom.vip', op: 'eq', value: true } })).toEqual(['A']);
      expect(await names({ where: { field: 'custom.vip', op: 'eq', value: false } })).toEqual(['B']);
      expect(await names({ where: { field: 'custom.segment', op: 'eq', value: 'enterprise' } })).toEqual(['B', 'C']);
      expect(await names({ where: { field: 'custom.interests', op: 'has', value: 'jazz' } })).toEqual(['B', 'C']);
      expect(await names({ where: { field: 'custom.ratio', op: 'lt', value: 0.5 } })).toEqual(['A']);
      expect(await names({ where: { field: 'custom.since', op: 'gte', value: '2015-01-01' } })).toEqual(['B']);
      expect(await names({ where: { field: 'custom.points', op: 'exists', value: false } })).toEqual(['D']);
      const byPoints = await crm.customers.find({ orderBy: [{ field: 'custom.points', direction: 'desc' }] });
      expect(byPoints.items.map((c) => c.name)).toEqual(['C', 'B', 'A', 'D']);
    });

    it.each<[string, unknown, (string | number)[]]>([
      ['a select without options', { customers: { tier2: { type: 'select', options: [] } } }, ['customFields', 'customers', 'tier2']],
      ['an unknown type', { customers: { shoe: { type: 'shoeSize' } } }, ['customFields', 'customers', 'shoe']],
      ['a name that is not an identifier', { customers: { 'shoe size': { type: 'text' } } }, ['customFields', 'customers', 'shoe size']],
      ['an unknown collection', { unicorns: { horn: { type: 'text' } } }, ['customFields', 'unicorns']],
      ['min above max', { customers: { n: { type: 'number', min: 10, max: 1 } } }, ['customFields', 'customers', 'n']],
    ])('refuses %s at createCrm with ValidationError', async (_what, customFields, path) => {
      const error = await rejection(t.crm({ customFields: untyped(customFields) }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ name: 'ValidationError', issues: expect.arrayContaining([expect.objectContaining({ path })]) });
    });
  });
}
