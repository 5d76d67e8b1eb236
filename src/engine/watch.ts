/**
 * Live queries. A watch keeps the last result of its query and re-runs it (scoped, masked)
 * when the storage reports a change to its collection, from this Crm or another one on the
 * same storage — so `getSnapshot()` is synchronous and a record leaving the actor's scope
 * arrives as a removal.
 *
 * @module
 */
import type { StorageAdapter } from '../storage/adapter';
import type { FindResult } from './read';

/** What a live query holds now. */
export interface Snapshot<T> {
  /** `loading` until the first result, then `ready` (or `error`). */
  status: 'loading' | 'ready' | 'error';
  /** The current page. */
  items: T[];
  /** Cursor of the page after this one. */
  nextCursor?: string;
  /** Every match, when the query asked for `total`. */
  total?: number;
  /** Why the last run failed. */
  error?: unknown;
}

/**
 * A live query: call it to stop watching. `getSnapshot` and `subscribe` fit React's
 * `useSyncExternalStore` as they are.
 *
 * @example
 * ```ts
 * const live = crm.customers.watch({ where: { field: 'tier', op: 'eq', value: 'vip' } });
 * const stop = live.subscribe(() => render(live.getSnapshot().items));
 * // later
 * stop(); live();
 * ```
 */
export interface LiveQuery<T> {
  /** Stop watching. */
  (): void;
  /**
   * The latest snapshot; the same object until something changes.
   *
   * @example
   * ```ts
   * const { status, items } = live.getSnapshot();
   * ```
   */
  getSnapshot(): Snapshot<T>;
  /**
   * Be told when the snapshot changes; returns the unsubscribe function.
   *
   * @example
   * ```ts
   * const unsubscribe = live.subscribe((snapshot) => render(snapshot.items));
   * ```
   */
  subscribe(listener: (snapshot: Snapshot<T>) => void): () => void;
  /** Resolves with the first ready (or error) snapshot. */
  readonly ready: Promise<Snapshot<T>>;
}

function sameResult<T>(a: Snapshot<T>, b: FindResult<T>): boolean {
  if (a.status !== 'ready' || a.items.length !== b.items.length || a.total !== b.total || a.nextCursor !== b.nextCursor) return false;
  return a.items.every((x, i) => {
    const y = b.items[i] as { id?: unknown; version?: unknown } | undefined;
    const xr = x as { id?: unknown; version?: unknown };
    return xr.id === y?.id && xr.version === y?.version;
  });
}

/** Start a live query over `run`, re-run when `collection` changes in `storage`. */
export function createLiveQuery<T>(storage: StorageAdapter, collection: string, run: () => Promise<FindResult<T>>, listener?: (s: Snapshot<T>) => void): LiveQuery<T> {
  let snapshot: Snapshot<T> = { status: 'loading', items: [] };
  const listeners = new Set<(s: Snapshot<T>) => void>();
  if (listener) listeners.add(listener);
  let stopped = false;
  let running = false;
  let again = false;
  let resolveReady!: (s: Snapshot<T>) => void;
  const ready = new Promise<Snapshot<T>>((r) => (resolveReady = r));

  function publish(next: Snapshot<T>): void {
    snapshot = next;
    if (next.status !== 'loading') resolveReady(next);
    for (const l of [...listeners]) {
      try {
        l(next);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  async function refresh(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        try {
          const result = await run();
          if (stopped) return;
          if (!sameResult(snapshot, result)) {
            const next: Snapshot<T> = { status: 'ready', items: result.items };
            if (result.nextCursor !== undefined) next.nextCursor = result.nextCursor;
            if (result.total !== undefined) next.total = result.total;
            publish(next);
          }
        } catch (error) {
          if (stopped) return;
          publish({ status: 'error', items: snapshot.items, error });
        }
      } while (again && !stopped);
    } finally {
      running = false;
    }
  }

  const unsubscribeStorage = storage.subscribe((changes) => {
    if (!stopped && changes.some((c) => c.collection === collection)) void refresh();
  });
  void refresh();

  const live = (() => {
    stopped = true;
    listeners.clear();
    unsubscribeStorage();
  }) as LiveQuery<T>;
  live.getSnapshot = () => snapshot;
  live.subscribe = (l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  };
  Object.defineProperty(live, 'ready', { value: ready });
  return live;
}
