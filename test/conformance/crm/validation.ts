/**
 * Validation: invalid input is refused with ValidationError naming each offending field, and
 * nothing is stored or emitted.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/index';
import type { Crm } from '../../../src/index';
import type { CrmContext } from './context';
import { recordEvents, rejection, untyped } from './context';

const customerCases: { what: string; input: unknown; path: (string | number)[] }[] = [
  { what: 'an empty name', input: { name: '' }, path: ['name'] },
  { what: 'a blank name', input: { name: '   ' }, path: ['name'] },
  { what: 'a missing name', input: { tier: 'vip' }, path: ['name'] },
  { what: 'a name that is not a string', input: { name: 42 }, path: ['name'] },
  { what: 'a bad email address', input: { name: 'x', emails: [{ address: 'ada@example.com' }, { address: 'not-an-email' }] }, path: ['emails', 1, 'address'] },
  { what: 'an email given as a string', input: { name: 'x', emails: ['ada@example.com'] }, path: ['emails', 0] },
  { what: 'a country that is not ISO 3166 alpha-2', input: { name: 'x', addresses: [{ country: 'Turkey' }] }, path: ['addresses', 0, 'country'] },
  { what: 'an unknown kind', input: { name: 'x', kind: 'robot' }, path: ['kind'] },
  { what: 'an unknown lifecycle', input: { name: 'x', lifecycle: 'zombie' }, path: ['lifecycle'] },
  { what: 'tags given as a string', input: { name: 'x', tags: 'vip' }, path: ['tags'] },
  { what: 'a phone without digits', input: { name: 'x', phones: [{ number: 'call me' }] }, path: ['phones', 0, 'number'] },
  { what: 'a consent without a date', input: { name: 'x', consent: { email: { status: 'granted' } } }, path: ['consent', 'email', 'at'] },
  { what: 'a consent with an unknown status', input: { name: 'x', consent: { email: { status: 'maybe', at: '2024-01-01T00:00:00Z' } } }, path: ['consent', 'email', 'status'] },
  { what: 'an impossible important date', input: { name: 'x', importantDates: [{ kind: 'birthday', date: '1990-02-30' }] }, path: ['importantDates', 0, 'date'] },
  { what: 'an unknown field', input: { name: 'x', favouriteColour: 'blue' }, path: ['favouriteColour'] },
  { what: 'an unknown nested field', input: { name: 'x', source: { channel: 'web', secret: 1 } }, path: ['source', 'secret'] },
  { what: 'an unknown custom field', input: { name: 'x', custom: { nope: 1 } }, path: ['custom', 'nope'] },
  { what: 'a version', input: { name: 'x', version: 7 }, path: ['version'] },
  { what: 'a createdAt', input: { name: 'x', createdAt: '2020-01-01T00:00:00.000Z' }, path: ['createdAt'] },
  { what: 'an updatedAt', input: { name: 'x', updatedAt: '2020-01-01T00:00:00.000Z' }, path: ['updatedAt'] },
  { what: 'an internal _tokens field', input: { name: 'x', _tokens: ['n:evil'] }, path: ['_tokens'] },
  { what: 'an archivedAt that is not a date', input: { name: 'x', archivedAt: 'banana' }, path: ['archivedAt'] },
];

const interactionCases: { what: string; input: (customerId: string) => unknown; path: (string | number)[] }[] = [
  { what: 'an unknown type', input: (customerId) => ({ type: 'fax', customerId }), path: ['type'] },
  { what: 'a missing customerId', input: () => ({ type: 'call' }), path: ['customerId'] },
  { what: 'an occurredAt that is not a date-time', input: (customerId) => ({ type: 'call', customerId, occurredAt: 'yesterday' }), path: ['occurredAt'] },
  { what: 'an occurredAt without a time zone', input: (customerId) => ({ type: 'call', customerId, occurredAt: '2024-05-01T10:00:00' }), path: ['occurredAt'] },
  { what: 'an unknown direction', input: (customerId) => ({ type: 'call', customerId, direction: 'sideways' }), path: ['direction'] },
  { what: 'an unknown outcome', input: (customerId) => ({ type: 'call', customerId, outcome: 'meh' }), path: ['outcome'] },
  { what: 'a subject that is not a string', input: (customerId) => ({ type: 'call', customerId, subject: { text: 'hi' } }), path: ['subject'] },
  { what: 'a version', input: (customerId) => ({ type: 'call', customerId, version: 2 }), path: ['version'] },
];

async function expectUntouched(crm: Crm, events: unknown[], customers: number, interactions: number): Promise<void> {
  expect(await crm.customers.count(undefined, { includeArchived: true })).toBe(customers);
  expect(await crm.interactions.count(undefined, { includeArchived: true })).toBe(interactions);
  expect(events).toEqual([]);
}

/** The validation tests. */
export function validationTests(t: CrmContext): void {
  describe('customers', () => {
    it.each(customerCases)('refuses $what, naming the field, and stores nothing', async ({ input, path }) => {
      const crm = await t.crm();
      const events = recordEvents(crm);
      const error = await rejection(crm.customers.create(untyped(input)));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ name: 'ValidationError', code: 'validation_failed', collection: 'customers', issues: expect.arrayContaining([expect.objectContaining({ path, message: expect.any(String), code: expect.any(String) })]) });
      await expectUntouched(crm, events, 0, 0);
    });

    it('reports every problem at once', async () => {
      const crm = await t.crm();
      const error = await rejection(crm.customers.create(untyped({ name: '', emails: [{ address: 'bad' }], kind: 'robot' })));
      expect(error).toBeInstanceOf(ValidationError);
      const paths = (error as ValidationError).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining([['name'], ['emails', 0, 'address'], ['kind']]));
    });

    it.each([
      { what: '__proto__ in a nested object', json: '{"name":"x","source":{"__proto__":{"polluted":true}}}', path: ['source', '__proto__'] },
      { what: 'constructor in custom fields', json: '{"name":"x","custom":{"constructor":{"prototype":{"polluted":true}}}}', path: ['custom', 'constructor'] },
      { what: '__proto__ at the top', json: '{"name":"x","__proto__":{"polluted":true}}', path: ['__proto__'] },
      { what: '__proto__ inside an array item', json: '{"name":"x","emails":[{"address":"a@b.co","__proto__":{"polluted":true}}]}', path: ['emails', 0, '__proto__'] },
    ])('refuses $what without polluting anything', async ({ json, path }) => {
      const crm = await t.crm();
      const events = recordEvents(crm);
      const error = await rejection(crm.customers.create(untyped(JSON.parse(json))));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ name: 'ValidationError', code: 'validation_failed', issues: expect.arrayContaining([expect.objectContaining({ path, code: 'forbidden_key' })]) });
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      await expectUntouched(crm, events, 0, 0);
    });

    it('names the collection on a forbidden-key error, like on every other validation error', async () => {
      const crm = await t.crm();
      const error = await rejection(crm.customers.create(untyped(JSON.parse('{"name":"x","source":{"__proto__":{}}}'))));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ collection: 'customers' });
    });

    it('refuses an invalid patch, naming the field, and leaves the record as it was', async () => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada', emails: [{ address: 'ada@example.com' }] });
      const events = recordEvents(crm);
      const cases: [unknown, (string | number)[]][] = [
        [{ emails: [{ address: 'broken' }] }, ['emails', 0, 'address']],
        [{ name: null }, ['name']],
        [{ version: 9 }, ['version']],
        [{ id: 'other' }, ['id']],
        [{ createdAt: '2020-01-01T00:00:00.000Z' }, ['createdAt']],
        [{ lifecycleHistory: [] }, ['lifecycleHistory']],
        [JSON.parse('{"consent":{"__proto__":{"x":1}}}'), ['consent', '__proto__']],
      ];
      for (const [patch, path] of cases) {
        const error = await rejection(crm.customers.update(c.id, untyped(patch)));
        expect(error, JSON.stringify(patch)).toBeInstanceOf(ValidationError);
        expect(error, JSON.stringify(patch)).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path })]) });
      }
      expect(await crm.customers.get(c.id)).toEqual(c);
      expect(events).toEqual([]);
    });

    it('refuses an input that is not an object', async () => {
      const crm = await t.crm();
      for (const input of [null, 'Ada', [{ name: 'Ada' }]]) {
        const error = await rejection(crm.customers.create(untyped(input)));
        expect(error).toBeInstanceOf(ValidationError);
        expect(error).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: [] })]) });
      }
      expect(await crm.customers.count()).toBe(0);
    });
  });

  describe('interactions', () => {
    it.each(interactionCases)('refuses $what, naming the field, and stores nothing', async ({ input, path }) => {
      const crm = await t.crm();
      const c = await crm.customers.create({ name: 'Ada' });
      const events = recordEvents(crm);
      const error = await rejection(crm.interactions.create(untyped(input(c.id))));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ name: 'ValidationError', collection: 'interactions', issues: expect.arrayContaining([expect.objectContaining({ path })]) });
      const viaLog = await rejection(crm.interactions.log(untyped(input(c.id))));
      expect(viaLog).toBeInstanceOf(ValidationError);
      expect(viaLog).toMatchObject({ collection: 'interactions', issues: expect.arrayContaining([expect.objectContaining({ path })]) });
      await expectUntouched(crm, events, 1, 0);
    });
  });
}
