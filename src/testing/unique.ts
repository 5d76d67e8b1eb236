/**
 * Unique indexes: a taken value is refused with ConstraintError; a value freed by an update
 * or a delete can be taken again; missing and `null` are not held to uniqueness.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import { ConstraintError } from '../errors';
import type { StorageAdapter, WriteOp } from '../storage/adapter';
import type { OpenAdapter } from './context';
import { everything, rec, rejectionOf } from './context';

const schema = {
  collections: {
    customers: {
      indexes: [
        { name: 'externalId', fields: ['externalId'], unique: true },
        { name: 'region_code', fields: ['region', 'code'], unique: true },
        { name: 'email_lookup', fields: ['email'] },
      ],
    },
  },
};

async function expectUniqueViolation(s: StorageAdapter, batch: WriteOp[], index: string, fields: string[], holder: string): Promise<void> {
  const error = await rejectionOf(s.write(batch));
  expect(error).toBeInstanceOf(ConstraintError);
  expect(error).toMatchObject({
    name: 'ConstraintError',
    code: 'constraint_violated',
    constraint: 'unique',
    index,
    fields,
    conflictingIds: [holder],
  });
}

/** The unique index tests. */
export function uniqueTests(open: OpenAdapter): void {
  it('refuses an insert of a taken unique value with ConstraintError', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'customers', record: rec('c1', { externalId: 'X-1' }) }]);
    await expectUniqueViolation(s, [{ type: 'insert', collection: 'customers', record: rec('c2', { externalId: 'X-1' }) }], 'externalId', ['externalId'], 'c1');
    expect(await s.get('customers', ['c2'])).toEqual([undefined]);
  });

  it('refuses an update to a taken unique value', async () => {
    const s = await open(schema);
    await s.write([
      { type: 'insert', collection: 'customers', record: rec('c1', { externalId: 'X-1' }) },
      { type: 'insert', collection: 'customers', record: rec('c2', { externalId: 'X-2' }) },
    ]);
    await expectUniqueViolation(s, [{ type: 'update', collection: 'customers', record: rec('c2', { externalId: 'X-1' }, 2) }], 'externalId', ['externalId'], 'c1');
    expect((await s.get('customers', ['c2']))[0]).toMatchObject({ version: 1, externalId: 'X-2' });
  });

  it('lets a record keep its own unique value on update', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'customers', record: rec('c1', { externalId: 'X-1', n: 1 }) }]);
    await s.write([{ type: 'update', collection: 'customers', record: rec('c1', { externalId: 'X-1', n: 2 }, 2) }]);
    expect((await s.get('customers', ['c1']))[0]).toMatchObject({ externalId: 'X-1', n: 2 });
  });

  it('refuses two records taking one unique value in the same batch', async () => {
    const s = await open(schema);
    await expectUniqueViolation(
      s,
      [
        { type: 'insert', collection: 'customers', record: rec('c1', { externalId: 'X-1' }) },
        { type: 'insert', collection: 'customers', record: rec('c2', { externalId: 'X-1' }) },
      ],
      'externalId',
      ['externalId'],
      'c1',
    );
    expect(await everything(s, 'customers')).toEqual([]);
  });

  it('frees a unique value when its holder changes it', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'customers', record: rec('c1', { externalId: 'X-1' }) }]);
    await s.write([{ type: 'update', collection: 'customers', record: rec('c1', { externalId: 'X-9' }, 2) }]);
    await s.write([{ type: 'insert', collection: 'customers', record: rec('c2', { externalId: 'X-1' }) }]);
    const { items } = await s.query('customers', { where: { field: 'externalId', op: 'eq', value: 'X-1' } });
    expect(items.map((r) => r.id)).toEqual(['c2']);
  });

  it('frees a unique value when its holder is deleted', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'customers', record: rec('c1', { externalId: 'X-1' }) }]);
    await s.write([{ type: 'delete', collection: 'customers', id: 'c1' }]);
    await s.write([{ type: 'insert', collection: 'customers', record: rec('c2', { externalId: 'X-1' }) }]);
    expect(await s.count('customers', { field: 'externalId', op: 'eq', value: 'X-1' })).toBe(1);
  });

  it('lets one batch free a unique value and take it again', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'customers', record: rec('c1', { externalId: 'X-1' }) }]);
    await s.write([
      { type: 'delete', collection: 'customers', id: 'c1' },
      { type: 'insert', collection: 'customers', record: rec('c2', { externalId: 'X-1' }) },
    ]);
    expect((await everything(s, 'customers')).map((r) => r.id)).toEqual(['c2']);
  });

  it('checks unique values operation by operation, as an IndexedDB transaction does', async () => {
    const s = await open(schema);
    // The second insert takes a value held at that moment, even though a later operation
    // would free it: the batch fails, as it would in IndexedDB, where each put is checked.
    await expectUniqueViolation(
      s,
      [
        { type: 'insert', collection: 'customers', record: rec('c1', { externalId: 'X-1' }) },
        { type: 'insert', collection: 'customers', record: rec('c2', { externalId: 'X-1' }) },
        { type: 'delete', collection: 'customers', id: 'c1' },
      ],
      'externalId',
      ['externalId'],
      'c1',
    );
    expect(await everything(s, 'customers')).toEqual([]);
  });

  it('does not hold missing or null values to uniqueness', async () => {
    const s = await open(schema);
    await s.write([
      { type: 'insert', collection: 'customers', record: rec('c1', {}) },
      { type: 'insert', collection: 'customers', record: rec('c2', {}) },
      { type: 'insert', collection: 'customers', record: rec('c3', { externalId: null }) },
      { type: 'insert', collection: 'customers', record: rec('c4', { externalId: null }) },
    ]);
    expect(await s.count('customers')).toBe(4);
    expect(await s.count('customers', { field: 'externalId', op: 'eq', value: null })).toBe(2);
  });

  it('keeps numbers and strings apart in a unique index', async () => {
    const s = await open(schema);
    await s.write([
      { type: 'insert', collection: 'customers', record: rec('c1', { externalId: 1 }) },
      { type: 'insert', collection: 'customers', record: rec('c2', { externalId: '1' }) },
    ]);
    await expectUniqueViolation(s, [{ type: 'insert', collection: 'customers', record: rec('c3', { externalId: 1 }) }], 'externalId', ['externalId'], 'c1');
  });

  it('holds a compound unique index to the whole key', async () => {
    const s = await open(schema);
    await s.write([
      { type: 'insert', collection: 'customers', record: rec('c1', { region: 'TR', code: 7 }) },
      { type: 'insert', collection: 'customers', record: rec('c2', { region: 'IR', code: 7 }) },
      { type: 'insert', collection: 'customers', record: rec('c3', { region: 'TR', code: 8 }) },
      { type: 'insert', collection: 'customers', record: rec('c4', { region: 'TR' }) },
      { type: 'insert', collection: 'customers', record: rec('c5', { region: 'TR' }) },
    ]);
    await expectUniqueViolation(s, [{ type: 'insert', collection: 'customers', record: rec('c6', { region: 'TR', code: 7 }) }], 'region_code', ['region', 'code'], 'c1');
  });

  it('does not hold a non-unique index to uniqueness', async () => {
    const s = await open(schema);
    await s.write([
      { type: 'insert', collection: 'customers', record: rec('c1', { email: 'a@x.io' }) },
      { type: 'insert', collection: 'customers', record: rec('c2', { email: 'a@x.io' }) },
    ]);
    expect(await s.count('customers', { field: 'email', op: 'eq', value: 'a@x.io' })).toBe(2);
  });
}
