/**
 * Atomic batches across collections: one bad operation and nothing lands, nothing reaches
 * the change feed, nobody is notified.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import { ConflictError, ConstraintError, NotFoundError } from '../errors';
import type { StorageAdapter, WriteOp } from '../storage/adapter';
import type { OpenAdapter } from './context';
import { everything, rec, record, rejectionOf, settle } from './context';

const schema = {
  collections: {
    companies: { indexes: [{ name: 'domain', fields: ['domain'], unique: true }] },
    contacts: { indexes: [{ name: 'email', fields: ['email'], unique: true }] },
  },
};

async function seed(s: StorageAdapter): Promise<number> {
  const result = await s.write([
    { type: 'insert', collection: 'companies', record: rec('c1', { domain: 'acme.test' }) },
    { type: 'insert', collection: 'contacts', record: rec('p1', { email: 'ann@acme.test', companyId: 'c1' }) },
  ]);
  return Math.max(...result.changes.map((c) => c.seq));
}

/** A good part (a new company, a new contact, an update) followed by one bad operation. */
function batchEndingWith(bad: WriteOp): WriteOp[] {
  return [
    { type: 'insert', collection: 'companies', record: rec('c2', { domain: 'globex.test' }) },
    { type: 'insert', collection: 'contacts', record: rec('p2', { email: 'bo@globex.test', companyId: 'c2' }) },
    { type: 'update', collection: 'contacts', record: rec('p1', { email: 'ann@globex.test', companyId: 'c2' }, 2), expectedVersion: 1 },
    bad,
  ];
}

const failures: { what: string; bad: WriteOp; error: unknown; fields: Record<string, unknown> }[] = [
  {
    what: 'a version conflict',
    bad: { type: 'update', collection: 'companies', record: rec('c1', { domain: 'acme.test' }, 3), expectedVersion: 2 },
    error: ConflictError,
    fields: { name: 'ConflictError', collection: 'companies', recordId: 'c1', expectedVersion: 2, actualVersion: 1 },
  },
  {
    what: 'a taken id',
    bad: { type: 'insert', collection: 'companies', record: rec('c1') },
    error: ConflictError,
    fields: { name: 'ConflictError', collection: 'companies', recordId: 'c1', expectedVersion: 0, actualVersion: 1 },
  },
  {
    what: 'a unique value taken by a stored record',
    bad: { type: 'insert', collection: 'companies', record: rec('c3', { domain: 'acme.test' }) },
    error: ConstraintError,
    fields: { name: 'ConstraintError', constraint: 'unique', index: 'domain', conflictingIds: ['c1'] },
  },
  {
    what: 'a unique value taken earlier in the same batch',
    bad: { type: 'insert', collection: 'contacts', record: rec('p3', { email: 'bo@globex.test' }) },
    error: ConstraintError,
    fields: { name: 'ConstraintError', constraint: 'unique', index: 'email', conflictingIds: ['p2'] },
  },
  {
    what: 'an update of a missing record',
    bad: { type: 'update', collection: 'contacts', record: rec('ghost', {}, 2) },
    error: NotFoundError,
    fields: { name: 'NotFoundError', collection: 'contacts', recordId: 'ghost' },
  },
  {
    what: 'a delete of a missing record',
    bad: { type: 'delete', collection: 'companies', id: 'ghost' },
    error: NotFoundError,
    fields: { name: 'NotFoundError', collection: 'companies', recordId: 'ghost' },
  },
];

/** The atomic batch tests. */
export function batchTests(open: OpenAdapter): void {
  for (const failure of failures) {
    it(`stores nothing, feeds nothing and notifies nobody when a batch fails on ${failure.what}`, async () => {
      const s = await open(schema);
      const lastSeq = await seed(s);
      const before = { companies: await everything(s, 'companies'), contacts: await everything(s, 'contacts') };
      const log = record(s);

      const error = await rejectionOf(s.write(batchEndingWith(failure.bad)));
      expect(error).toBeInstanceOf(failure.error);
      expect(error).toMatchObject(failure.fields);

      expect(await everything(s, 'companies')).toEqual(before.companies);
      expect(await everything(s, 'contacts')).toEqual(before.contacts);
      expect(await s.count('contacts', { field: 'companyId', op: 'eq', value: 'c2' })).toBe(0);
      expect((await s.changes(lastSeq)).changes).toEqual([]);
      await settle();
      expect(log.calls).toBe(0);
      log.stop();
    });
  }

  it('keeps working after a failed batch', async () => {
    const s = await open(schema);
    await seed(s);
    await rejectionOf(s.write(batchEndingWith({ type: 'delete', collection: 'companies', id: 'ghost' })));
    await s.write(batchEndingWith({ type: 'delete', collection: 'companies', id: 'c1' }));
    expect((await everything(s, 'companies')).map((r) => r.id)).toEqual(['c2']);
    expect(await everything(s, 'contacts')).toEqual([
      { id: 'p1', version: 2, email: 'ann@globex.test', companyId: 'c2' },
      { id: 'p2', version: 1, email: 'bo@globex.test', companyId: 'c2' },
    ]);
  });

  it('commits every operation of a good batch across collections at once', async () => {
    const s = await open(schema);
    await seed(s);
    const result = await s.write(batchEndingWith({ type: 'delete', collection: 'companies', id: 'c1', expectedVersion: 1 }));
    expect(result.changes.map((c) => [c.collection, c.id, c.type, c.version])).toEqual([
      ['companies', 'c2', 'put', 1],
      ['contacts', 'p2', 'put', 1],
      ['contacts', 'p1', 'put', 2],
      ['companies', 'c1', 'delete', 1],
    ]);
  });
}
