// Type tests: createCrm's custom field definitions type the records, the events and the queries.
import { describe, expectTypeOf, it } from 'vitest';
import { createCrm } from '../../src/index';
import type { Changes, Crm, Customer, Filter, FindQuery, Interaction, Money } from '../../src/index';

const fields = {
  customers: {
    points: { type: 'number', min: 0, required: true },
    vip: { type: 'boolean' },
    segment: { type: 'select', options: ['smb', 'enterprise'] },
    interests: { type: 'multiSelect', options: ['golf', 'tea'] },
    budget: { type: 'money', currency: 'EUR' },
    since: { type: 'date' },
    nickname: { type: 'text' },
    billing: { type: 'email' },
  },
  interactions: {
    minutes: { type: 'number' },
  },
} as const;

type Custom = {
  points: number;
  vip?: boolean;
  segment?: 'smb' | 'enterprise';
  interests?: ('golf' | 'tea')[];
  budget?: Money;
  since?: string;
  nickname?: string;
  billing?: string;
};

describe('custom fields', () => {
  it('types customers’ custom from the definitions', async () => {
    const crm = await createCrm({ customFields: fields });
    const c = await crm.customers.create({ name: 'Ada', custom: { points: 1 } });
    expectTypeOf(c).toEqualTypeOf<Customer<Custom>>();
    expectTypeOf(c.custom.points).toEqualTypeOf<number>();
    expectTypeOf(c.custom.vip).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(c.custom.segment).toEqualTypeOf<'smb' | 'enterprise' | undefined>();
    expectTypeOf(c.custom.interests).toEqualTypeOf<('golf' | 'tea')[] | undefined>();
    expectTypeOf(c.custom.budget).toEqualTypeOf<Money | undefined>();
    expectTypeOf(c.custom.since).toEqualTypeOf<string | undefined>();
    const i = await crm.interactions.log({ type: 'call', customerId: c.id, custom: { minutes: 3 } });
    expectTypeOf(i).toEqualTypeOf<Interaction<{ minutes?: number }>>();
  });

  it('requires required custom fields and refuses wrong types and unknown fields', async () => {
    const crm = await createCrm({ customFields: fields });
    // @ts-expect-error custom.points is required
    await crm.customers.create({ name: 'Ada' });
    // @ts-expect-error custom.points is required
    await crm.customers.create({ name: 'Ada', custom: {} });
    // @ts-expect-error points is a number
    await crm.customers.create({ name: 'Ada', custom: { points: '1' } });
    // @ts-expect-error not an option
    await crm.customers.create({ name: 'Ada', custom: { points: 1, segment: 'startup' } });
    // @ts-expect-error not an option
    await crm.customers.create({ name: 'Ada', custom: { points: 1, interests: ['chess'] } });
    // @ts-expect-error money is { amount, currency }
    await crm.customers.create({ name: 'Ada', custom: { points: 1, budget: 10 } });
    // @ts-expect-error unknown custom field
    await crm.customers.create({ name: 'Ada', custom: { points: 1, shoeSize: 42 } });
    // A patch may leave required fields out, and null removes an optional one.
    await crm.customers.update('id', { custom: { vip: null } });
  });

  it('types the records of a CRM without custom fields as having none', async () => {
    const crm = await createCrm();
    const c = await crm.customers.create({ name: 'Ada' });
    expectTypeOf(c.custom).toEqualTypeOf<Record<string, never>>();
  });

  it('types a Crm by its definitions', async () => {
    const crm = await createCrm({ customFields: fields });
    expectTypeOf(crm).toEqualTypeOf<Crm<typeof fields>>();
  });
});

describe('events', () => {
  it('types event payloads by name', async () => {
    const crm = await createCrm({ customFields: fields });
    crm.on('customer.updated', (e) => {
      expectTypeOf(e.type).toEqualTypeOf<'customer.updated'>();
      expectTypeOf(e.changes).toEqualTypeOf<Changes>();
      expectTypeOf(e.changes).toEqualTypeOf<Record<string, [unknown, unknown]>>();
      expectTypeOf(e.record.custom.points).toEqualTypeOf<number>();
      expectTypeOf(e.actorId).toEqualTypeOf<string>();
    });
    crm.on('customer.deleted', (e) => expectTypeOf(e.id).toEqualTypeOf<string>());
    crm.on('interaction.completed', (e) => expectTypeOf(e.record.custom.minutes).toEqualTypeOf<number | undefined>());
    crm.on('error', (e) => expectTypeOf(e.error).toEqualTypeOf<unknown>());
    crm.on('workers.authorityChanged', (e) => expectTypeOf(e.isAuthority).toEqualTypeOf<boolean>());
    const off = crm.on('*', (e) => expectTypeOf(e.type).toExtend<string>());
    expectTypeOf(off).toEqualTypeOf<() => void>();
    // @ts-expect-error no such event
    crm.on('customer.exploded', () => undefined);
  });
});

describe('queries', () => {
  it('accepts well-formed filters and refuses a bad operator at compile time', () => {
    const ok: FindQuery = {
      where: { and: [{ field: 'tier', op: 'eq', value: 'vip' }, { or: [{ field: 'addresses.country', op: 'in', value: ['TR'] }, { not: { field: 'tags', op: 'has', value: 'x' } }] }] },
      orderBy: [{ field: 'name', direction: 'desc' }],
      limit: 10,
    };
    expectTypeOf(ok).toExtend<FindQuery>();
    // @ts-expect-error no such operator
    const bad: Filter = { field: 'name', op: 'like', value: 'x' };
    // @ts-expect-error `in` takes a list
    const notList: Filter = { field: 'tier', op: 'in', value: 'vip' };
    // @ts-expect-error `exists` takes a boolean
    const exists: Filter = { field: 'tier', op: 'exists', value: 'yes' };
    // @ts-expect-error direction is asc or desc
    const order: FindQuery = { orderBy: [{ field: 'name', direction: 'up' }] };
    void [bad, notList, exists, order];
  });

  it('types find results by the record type', async () => {
    const crm = await createCrm({ customFields: fields });
    const page = await crm.customers.find({ where: { field: 'custom.points', op: 'gt', value: 1 } });
    expectTypeOf(page.items).toEqualTypeOf<Customer<Custom>[]>();
    expectTypeOf(page.nextCursor).toEqualTypeOf<string | undefined>();
    // @ts-expect-error bad operator in find
    await crm.customers.find({ where: { field: 'name', op: 'like', value: 'x' } });
  });
});
