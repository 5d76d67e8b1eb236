/**
 * Raw IndexedDB request plumbing for the hot paths. Requests of one transaction complete in
 * the order they were made, so a batch of requests is awaited through its last one: one
 * callback instead of one promise per request. Awaiting only IndexedDB events keeps the
 * transaction active between steps.
 *
 * @module
 */
import { isCrmError, StorageError } from '../../src/errors';

/** Resolve when `request` succeeds; reject when the transaction fails first. */
export function settled<T>(tx: IDBTransaction, request: IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    request.addEventListener('success', () => resolve(request.result), { once: true });
    const fail = (): void => reject(tx.error ?? request.error ?? new DOMException('transaction aborted', 'AbortError'));
    request.addEventListener('error', fail, { once: true });
    tx.addEventListener('abort', fail, { once: true });
  });
}

/**
 * Resolve when the transaction commits; reject with the first failed request's error. The
 * failed request is passed to `onFailure` so a write can say which operation broke.
 */
export function committed(tx: IDBTransaction, onFailure?: (request: IDBRequest | undefined) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failed: IDBRequest | undefined;
    tx.addEventListener('error', (e) => {
      failed ??= e.target instanceof IDBRequest ? e.target : undefined;
    });
    tx.addEventListener('complete', () => resolve(), { once: true });
    tx.addEventListener(
      'abort',
      () => {
        onFailure?.(failed);
        reject(failed?.error ?? tx.error ?? new DOMException('transaction aborted', 'AbortError'));
      },
      { once: true },
    );
  });
}

/** What a cursor visitor wants next. */
export type Step = 'continue' | 'stop' | 'moved';

/**
 * Walk a cursor with one success handler. `visit` returns `continue` to advance by one,
 * `stop` to end, or `moved` when it advanced the cursor itself (e.g. `continuePrimaryKey`).
 */
export function walk(tx: IDBTransaction, request: IDBRequest<IDBCursorWithValue | null>, visit: (cursor: IDBCursorWithValue) => Step): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (): void => reject(request.error ?? tx.error ?? new DOMException('transaction aborted', 'AbortError'));
    tx.addEventListener('abort', fail, { once: true });
    request.onerror = fail;
    request.onsuccess = () => {
      const cursor = request.result;
      if (cursor === null) return resolve();
      let step: Step;
      try {
        step = visit(cursor);
      } catch (e) {
        return reject(e);
      }
      if (step === 'continue') cursor.continue();
      else if (step === 'stop') resolve();
    };
  });
}

/** Wrap whatever the platform threw into a {@link StorageError} (rapport's own errors pass through). */
export function storageFailure(what: string, cause: unknown, collection?: string): Error {
  if (isCrmError(cause)) return cause;
  const name = cause instanceof Error || cause instanceof DOMException ? cause.name : '';
  const detail = cause instanceof Error || cause instanceof DOMException ? cause.message : String(cause);
  const message = name === 'QuotaExceededError' ? `${what}: the storage quota is exceeded (${detail})` : `${what}: ${detail || name || 'unknown failure'}`;
  return new StorageError(message, { collection, cause });
}
