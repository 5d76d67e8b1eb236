/**
 * `subscribe`: committed changes are pushed after commit; unsubscribing stops them; a failed
 * batch notifies nobody.
 *
 * @internal
 * @module
 */
import { expect, it } from 'vitest';
import type { Change, StoredRecord } from '../storage/adapter';
import type { OpenAdapter } from './context';
import { rec, record, rejectionOf, settle } from './context';

const schema = { collections: { notes: { indexes: [] } } };

async function until(check: () => boolean, ms = 1000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await settle(5);
}

/** The subscription tests. */
export function subscribeTests(open: OpenAdapter): void {
  it('pushes the committed changes of a write to a subscriber', async () => {
    const s = await open(schema);
    const log = record(s);
    const result = await s.write([{ type: 'insert', collection: 'notes', record: rec('n1') }, { type: 'insert', collection: 'notes', record: rec('n2') }]);
    await until(() => log.changes.length >= 2);
    expect(log.changes).toEqual(result.changes);
    log.stop();
  });

  it('notifies after commit, so a listener reads what was written', async () => {
    const s = await open(schema);
    const reads: Promise<(StoredRecord | undefined)[]>[] = [];
    const stop = s.subscribe(() => {
      reads.push(s.get('notes', ['n1']));
    });
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n1', { text: 'x' }) }]);
    await until(() => reads.length > 0);
    expect(reads).toHaveLength(1);
    expect(await reads[0]).toEqual([{ id: 'n1', version: 1, text: 'x' }]);
    stop();
  });

  it('notifies every subscriber, in seq order across writes', async () => {
    const s = await open(schema);
    const a = record(s);
    const b = record(s);
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n1') }]);
    await s.write([{ type: 'update', collection: 'notes', record: rec('n1', {}, 2) }]);
    await s.write([{ type: 'delete', collection: 'notes', id: 'n1' }]);
    await until(() => a.changes.length >= 3 && b.changes.length >= 3);
    expect(a.changes.map((c: Change) => [c.type, c.version])).toEqual([['put', 1], ['put', 2], ['delete', 2]]);
    expect(b.changes).toEqual(a.changes);
    a.stop();
    b.stop();
  });

  it('stops notifying after unsubscribe', async () => {
    const s = await open(schema);
    const kept = record(s);
    const dropped = record(s);
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n1') }]);
    await until(() => dropped.calls > 0 && kept.calls > 0);
    dropped.stop();
    const calls = dropped.calls;
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n2') }]);
    await until(() => kept.changes.length >= 2);
    await settle();
    expect(dropped.calls).toBe(calls);
    expect(kept.changes.map((c) => c.id)).toEqual(['n1', 'n2']);
    dropped.stop(); // a second call is harmless
    kept.stop();
  });

  it('notifies nobody of a failed batch', async () => {
    const s = await open(schema);
    await s.write([{ type: 'insert', collection: 'notes', record: rec('n1') }]);
    const log = record(s);
    const error = await rejectionOf(s.write([{ type: 'insert', collection: 'notes', record: rec('n2') }, { type: 'insert', collection: 'notes', record: rec('n1') }]));
    expect(error).toMatchObject({ name: 'ConflictError' });
    await settle(50);
    expect(log.calls).toBe(0);
    log.stop();
  });

  it('keeps notifying the others when a listener throws', async () => {
    const s = await open(schema);
    const stopBad = s.subscribe(() => {
      throw new Error('listener failed');
    });
    const log = record(s);
    const result = await s.write([{ type: 'insert', collection: 'notes', record: rec('n1') }]);
    expect(result.changes).toHaveLength(1);
    await until(() => log.changes.length > 0);
    expect(log.changes.map((c) => c.id)).toEqual(['n1']);
    expect(await s.get('notes', ['n1'])).toEqual([{ id: 'n1', version: 1 }]);
    stopBad();
    log.stop();
  });
}
