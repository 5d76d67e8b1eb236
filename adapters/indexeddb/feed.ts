/**
 * The change feed and live changes: reading the change log (inserts by batch, updates and
 * deletes compacted per record) by `seq`, and telling
 * subscribers — in this connection and, over a `BroadcastChannel` named after the database,
 * in every other tab or adapter on the same database — what was committed.
 *
 * @module
 */
import type { Change, ChangesPage } from '../../src/storage/adapter';
import { walk } from './requests';
import { CHANGES_STORE, INSERTS_STORE, SEQ_INDEX } from './schema';
import type { InsertLogRow } from './schema';

/** Default page size of `changes()`. */
export const DEFAULT_CHANGES_LIMIT = 1000;

/**
 * Read the changes after `since`, oldest first, at most `limit`: the first `limit` of the
 * updates and deletes (by the `seq` index) merged with the first `limit` of the inserts (by
 * their batch rows, keyed by each batch's last `seq`).
 */
export async function readChanges(db: IDBDatabase, keyRange: typeof IDBKeyRange, since: number, limit: number): Promise<ChangesPage> {
  const changes: Change[] = [];
  if (limit > 0) {
    const tx = db.transaction([CHANGES_STORE, INSERTS_STORE], 'readonly');
    const updates: Change[] = [];
    const inserts: Change[] = [];
    const after = keyRange.lowerBound(since, true);
    await Promise.all([
      walk(tx, tx.objectStore(CHANGES_STORE).index(SEQ_INDEX).openCursor(after), (cursor) => {
        const { seq, collection, id, type, version } = cursor.value as Change;
        updates.push({ seq, collection, id, type, version });
        return updates.length < limit ? 'continue' : 'stop';
      }),
      // A batch row keyed after `since` may still begin before it: skip its earlier inserts.
      walk(tx, tx.objectStore(INSERTS_STORE).openCursor(after), (cursor) => {
        const row = cursor.value as InsertLogRow;
        for (let i = 0; i < row.seqs.length && inserts.length < limit; i++) {
          const seq = row.seqs[i] as number;
          if (seq > since) inserts.push({ seq, collection: row.collections[i] as string, id: row.ids[i] as string, type: 'put', version: row.versions[i] as number });
        }
        return inserts.length < limit ? 'continue' : 'stop';
      }),
    ]);
    let u = 0;
    let i = 0;
    while (changes.length < limit && (u < updates.length || i < inserts.length)) {
      const a = updates[u];
      const b = inserts[i];
      if (b === undefined || (a !== undefined && a.seq < b.seq)) {
        changes.push(a as Change);
        u++;
      } else {
        changes.push(b);
        i++;
      }
    }
  }
  const lastSeq = changes[changes.length - 1]?.seq ?? since;
  return { changes, lastSeq };
}

/** A message on the database's channel. */
interface FeedMessage {
  type: 'rapport.changes';
  changes: readonly Change[];
}

function isFeedMessage(data: unknown): data is FeedMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'rapport.changes' && Array.isArray((data as { changes?: unknown }).changes);
}

/** Listeners of one adapter, fed by its own commits and by other connections' broadcasts. */
export interface LiveFeed {
  /** Add a listener; returns the function that removes it. */
  subscribe(listener: (changes: readonly Change[]) => void): () => void;
  /** Tell local listeners and other connections about a commit. */
  publish(changes: readonly Change[]): void;
  /** Start listening to other connections of a database. */
  connect(name: string, broadcast: boolean): void;
  /** Stop listening to other connections. */
  disconnect(): void;
}

/** Make a live feed. A listener's error goes to `onListenerError` and never stops the other listeners. */
export function liveFeed(onListenerError: (error: unknown) => void): LiveFeed {
  const listeners = new Set<(changes: readonly Change[]) => void>();
  let channel: BroadcastChannel | undefined;
  const emit = (changes: readonly Change[]): void => {
    for (const listener of [...listeners]) {
      try {
        listener(changes);
      } catch (error) {
        onListenerError(error);
      }
    }
  };
  return {
    subscribe(listener) {
      const own = (changes: readonly Change[]): void => listener(changes);
      listeners.add(own);
      return () => listeners.delete(own);
    },
    publish(changes) {
      if (changes.length === 0) return;
      emit(changes);
      channel?.postMessage({ type: 'rapport.changes', changes } satisfies FeedMessage);
    },
    connect(name, broadcast) {
      if (channel !== undefined || !broadcast || typeof BroadcastChannel === 'undefined') return;
      channel = new BroadcastChannel(`rapport:indexeddb:${name}`);
      // Node keeps a process alive while a channel is open; a storage adapter should not.
      (channel as { unref?: () => void }).unref?.();
      channel.onmessage = (event: MessageEvent<unknown>) => {
        if (isFeedMessage(event.data)) emit(event.data.changes);
      };
    },
    disconnect() {
      channel?.close();
      channel = undefined;
    },
  };
}
