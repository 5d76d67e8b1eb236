/**
 * Insert, get, update, delete and the errors for missing or taken records.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import { ConflictError, CrmError, NotFoundError } from '../errors';
import type { OpenAdapter } from './context';
import { everything, idsOf, rec, rejectionOf } from './context';

const schema = { collections: { notes: { indexes: [] }, tasks: { indexes: [] } } };

/** The CRUD tests. */
export function crudTests(open: OpenAdapter): void {
  it('stores an inserted record and returns it from get', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n1', { text: 'hello', n: 1, tags: ['a'], meta: { x: null } }) }]);
    expect(await s.get('notes', ['n1'])).toEqual([{ id: 'n1', version: 1, text: 'hello', n: 1, tags: ['a'], meta: { x: null } }]);
  });

  it('returns records in the order of the ids asked, with undefined for missing ones', async () => {
    const s = await open(schema);
    await s.write([
      { type: 'insert', collection: 'notes', record: rec('a') },
      { type: 'insert', collection: 'notes', record: rec('b') },
      { type: 'insert', collection: 'notes', record: rec('c') },
    ]);
    const got = await s.get('notes', ['c', 'missing', 'a', 'b', 'a']);
    expect(idsOf(got)).toEqual(['c', undefined, 'a', 'b', 'a']);
    expect(got[1]).toBeUndefined();
    expect(await s.get('notes', [])).toEqual([]);
  });

  it('keeps collections apart', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'notes', record: rec('x', { in: 'notes' }) }]);
    expect(await s.get('tasks', ['x'])).toEqual([undefined]);
    await s.write([{ type: 'insert', collection: 'tasks', record: rec('x', { in: 'tasks' }) }]);
    expect((await s.get('notes', ['x']))[0]).toMatchObject({ in: 'notes' });
    expect((await s.get('tasks', ['x']))[0]).toMatchObject({ in: 'tasks' });
  });

  it('replaces the whole record on update, dropping fields the new one lacks', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n1', { text: 'a', old: true }) }]);
    await s.write([{ type: 'update', collection: 'notes', record: rec('n1', { text: 'b' }, 2) }]);
    expect(await s.get('notes', ['n1'])).toEqual([{ id: 'n1', version: 2, text: 'b' }]);
  });

  it('removes a deleted record', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n1') }, { type: 'insert', collection: 'notes', record: rec('n2') }]);
    await s.write([{ type: 'delete', collection: 'notes', id: 'n1' }]);
    expect(idsOf(await s.get('notes', ['n1', 'n2']))).toEqual([undefined, 'n2']);
    expect(idsOf(await everything(s, 'notes'))).toEqual(['n2']);
  });

  it('lets a deleted id be inserted again', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n1', { v: 'first' }) }]);
    await s.write([{ type: 'delete', collection: 'notes', id: 'n1' }]);
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n1', { v: 'second' }) }]);
    expect(await s.get('notes', ['n1'])).toEqual([{ id: 'n1', version: 1, v: 'second' }]);
  });

  it('rejects an update of a missing record with NotFoundError', async () => {
    const s = await open(schema);
    const error = await rejectionOf(s.write([{ type: 'update', collection: 'notes', record: rec('ghost', {}, 2) }]));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ name: 'NotFoundError', code: 'not_found', collection: 'notes', recordId: 'ghost' });
    expect(await s.get('notes', ['ghost'])).toEqual([undefined]);
  });

  it('rejects a delete of a missing record with NotFoundError', async () => {
    const s = await open(schema);
    const error = await rejectionOf(s.write([{ type: 'delete', collection: 'notes', id: 'ghost' }]));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ name: 'NotFoundError', collection: 'notes', recordId: 'ghost' });
  });

  it('rejects an insert of a taken id with ConflictError expecting version 0', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n1', { v: 'kept' }, 3) }]);
    const error = await rejectionOf(s.write([{ type: 'insert', collection: 'notes', record: rec('n1', { v: 'lost' }) }]));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      name: 'ConflictError',
      code: 'version_conflict',
      collection: 'notes',
      recordId: 'n1',
      expectedVersion: 0,
      actualVersion: 3,
    });
    expect(await s.get('notes', ['n1'])).toEqual([{ id: 'n1', version: 3, v: 'kept' }]);
  });

  it('refuses a write to a collection the schema does not declare, storing nothing', async () => {
    const s = await open(schema);
    const error = await rejectionOf(
      s.write([
        { type: 'insert', collection: 'notes', record: rec('n1') },
        { type: 'insert', collection: 'undeclared', record: rec('u1') },
      ]),
    );
    expect(error).toBeInstanceOf(CrmError);
    expect(await s.get('notes', ['n1'])).toEqual([undefined]);
  });

  it('applies the operations of one batch in order', async () => {
    const s = await open(schema);
    await s.write([
      { type: 'insert', collection: 'notes', record: rec('n1', { step: 1 }) },
      { type: 'update', collection: 'notes', record: rec('n1', { step: 2 }, 2), expectedVersion: 1 },
      { type: 'insert', collection: 'notes', record: rec('n2') },
      { type: 'delete', collection: 'notes', id: 'n2', expectedVersion: 1 },
    ]);
    expect(await s.get('notes', ['n1', 'n2'])).toEqual([{ id: 'n1', version: 2, step: 2 }, undefined]);
  });

  it('accepts an empty batch', async () => {
    const s = await open(schema);
    const result = await s.write([]);
    expect(result.changes).toEqual([]);
  });
}
