/**
 * Options of `indexedDbAdapter()`.
 *
 * @module
 */

/** What a `versionchange` said: another connection wants the database at a newer version. */
export interface VersionChangeInfo {
  /** The version this connection had open. */
  oldVersion: number;
  /** The version asked for, or `null` when the database is being deleted. */
  newVersion: number | null;
}

/**
 * Options of {@link indexedDbAdapter}.
 *
 * @example
 * ```ts
 * indexedDbAdapter({ name: 'crm', blockedTimeoutMs: 5000, onVersionChange: () => location.reload() });
 * ```
 */
export interface IndexedDbAdapterOptions {
  /** The IndexedDB database name. One database holds every collection of one CRM. */
  name: string;
  /**
   * The IndexedDB factory, e.g. a `fake-indexeddb` instance in tests.
   * @defaultValue `globalThis.indexedDB`, looked up when `open()` runs
   */
  indexedDB?: IDBFactory | undefined;
  /**
   * The `IDBKeyRange` class belonging to `indexedDB` (needed only with a factory from another
   * implementation than the global one).
   * @defaultValue `globalThis.IDBKeyRange`
   */
  IDBKeyRange?: typeof IDBKeyRange | undefined;
  /**
   * How long `open()` waits while other connections (other tabs on an older version) block an
   * upgrade before it rejects with a `StorageError`.
   * @defaultValue 10000
   */
  blockedTimeoutMs?: number | undefined;
  /**
   * Called when another connection upgrades or deletes the database. This adapter has then
   * closed its connection (so the other one can proceed) and later calls reject with a
   * `StorageError`; a host app usually reloads or asks the user to.
   * @defaultValue none
   */
  onVersionChange?: ((info: VersionChangeInfo) => void) | undefined;
  /**
   * Called whenever the connection is lost without `close()`: after a version change, or
   * when the browser closes the database (storage cleared). Receives the reason.
   * @defaultValue none
   */
  onClose?: ((reason: string) => void) | undefined;
  /**
   * Send committed changes to other tabs and adapters on the same database over a
   * `BroadcastChannel` (named `rapport:indexeddb:<name>`), and receive theirs.
   * @defaultValue true
   */
  broadcast?: boolean | undefined;
  /**
   * Called when a `subscribe` listener throws; the other listeners are notified regardless.
   * @defaultValue reports it with `console.error`
   */
  onListenerError?: ((error: unknown) => void) | undefined;
}
