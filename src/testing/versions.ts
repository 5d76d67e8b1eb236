/**
 * Optimistic concurrency: `expectedVersion` on updates and deletes.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import { ConflictError } from '../errors';
import type { OpenAdapter } from './context';
import { rec, rejectionOf } from './context';

const schema = { collections: { deals: { indexes: [] } } };

/** The version and conflict tests. */
export function versionTests(open: OpenAdapter): void {
  it('applies an update whose expectedVersion matches', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'deals', record: rec('d1', { stage: 'new' }) }]);
    await s.write([{ type: 'update', collection: 'deals', record: rec('d1', { stage: 'won' }, 2), expectedVersion: 1 }]);
    expect(await s.get('deals', ['d1'])).toEqual([{ id: 'd1', version: 2, stage: 'won' }]);
  });

  it('rejects a stale version with ConflictError naming the record and both versions', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'deals', record: rec('d1', { stage: 'new' }) }]);
    await s.write([{ type: 'update', collection: 'deals', record: rec('d1', { stage: 'qualified' }, 2) }]);
    const error = await rejectionOf(
      s.write([{ type: 'update', collection: 'deals', record: rec('d1', { stage: 'lost' }, 2), expectedVersion: 1 }]),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      name: 'ConflictError',
      code: 'version_conflict',
      collection: 'deals',
      recordId: 'd1',
      expectedVersion: 1,
      actualVersion: 2,
    });
    expect(await s.get('deals', ['d1'])).toEqual([{ id: 'd1', version: 2, stage: 'qualified' }]);
  });

  it('rejects a delete with a stale version and keeps the record', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'deals', record: rec('d1', {}, 4) }]);
    const error = await rejectionOf(s.write([{ type: 'delete', collection: 'deals', id: 'd1', expectedVersion: 3 }]));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ collection: 'deals', recordId: 'd1', expectedVersion: 3, actualVersion: 4 });
    expect((await s.get('deals', ['d1']))[0]).toMatchObject({ id: 'd1', version: 4 });
  });

  it('deletes a record whose expectedVersion matches', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'deals', record: rec('d1', {}, 4) }]);
    await s.write([{ type: 'delete', collection: 'deals', id: 'd1', expectedVersion: 4 }]);
    expect(await s.get('deals', ['d1'])).toEqual([undefined]);
  });

  it('reports actual version 0 for an expected version of a missing record', async () => {
    const s = await open(schema);
    const update = await rejectionOf(s.write([{ type: 'update', collection: 'deals', record: rec('ghost', {}, 2), expectedVersion: 1 }]));
    expect(update).toBeInstanceOf(ConflictError);
    expect(update).toMatchObject({ collection: 'deals', recordId: 'ghost', expectedVersion: 1, actualVersion: 0 });
    const del = await rejectionOf(s.write([{ type: 'delete', collection: 'deals', id: 'ghost', expectedVersion: 1 }]));
    expect(del).toBeInstanceOf(ConflictError);
    expect(del).toMatchObject({ collection: 'deals', recordId: 'ghost', expectedVersion: 1, actualVersion: 0 });
  });

  it('fails the whole batch when one operation has a stale version', async () => {
    const s = await open(schema);
    await s.write([
      { type: 'insert', collection: 'deals', record: rec('d1', { v: 'a' }) },
      { type: 'insert', collection: 'deals', record: rec('d2', { v: 'a' }, 5) },
    ]);
    const error = await rejectionOf(
      s.write([
        { type: 'update', collection: 'deals', record: rec('d1', { v: 'b' }, 2), expectedVersion: 1 },
        { type: 'insert', collection: 'deals', record: rec('d3') },
        { type: 'update', collection: 'deals', record: rec('d2', { v: 'b' }, 5), expectedVersion: 4 },
      ]),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ collection: 'deals', recordId: 'd2', expectedVersion: 4, actualVersion: 5 });
    expect(await s.get('deals', ['d1', 'd2', 'd3'])).toEqual([
      { id: 'd1', version: 1, v: 'a' },
      { id: 'd2', version: 5, v: 'a' },
      undefined,
    ]);
  });

  it('lets the last writer win when no expectedVersion is given', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'deals', record: rec('d1', { v: 'a' }, 7) }]);
    await s.write([{ type: 'update', collection: 'deals', record: rec('d1', { v: 'b' }, 8) }]);
    expect(await s.get('deals', ['d1'])).toEqual([{ id: 'd1', version: 8, v: 'b' }]);
  });
}
