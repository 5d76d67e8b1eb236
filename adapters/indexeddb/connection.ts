/**
 * Opening a database at the schema an adapter needs: upgrading it in place when a store or
 * index is missing, refusing a database written by a newer schema version, and never waiting
 * forever on another tab that will not let go of an older version.
 *
 * @module
 */
import { wrap } from 'idb';
import { StorageError } from '../../src/errors';
import { storageFailure } from './requests';
import { applySchema, META_STORE, needsUpgrade, SCHEMA_VERSION_KEY } from './schema';
import type { MergedSchema } from './schema';

/** What opening needs. */
export interface OpenRequest {
  /** The IndexedDB factory. */
  factory: IDBFactory;
  /** The database name. */
  name: string;
  /** How long to wait while other connections block an upgrade. */
  blockedTimeoutMs: number;
}

/** Open one connection (at `version`, or the current one), migrating in `upgradeneeded`. */
function openOnce(req: OpenRequest, version: number | undefined, schema: MergedSchema): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = version === undefined ? req.factory.open(req.name) : req.factory.open(req.name, version);
    } catch (e) {
      reject(storageFailure(`could not open IndexedDB database "${req.name}"`, e));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let gaveUp = false;
    let upgradeError: unknown;
    request.onupgradeneeded = () => {
      const tx = request.transaction;
      if (tx === null) return;
      try {
        applySchema(request.result, tx, schema);
      } catch (e) {
        upgradeError = e;
        tx.abort();
      }
    };
    request.onblocked = () => {
      timer ??= setTimeout(() => {
        gaveUp = true;
        reject(
          new StorageError(
            `upgrading IndexedDB database "${req.name}" is blocked by another connection (another tab?) that does not close; gave up after ${req.blockedTimeoutMs} ms`,
          ),
        );
      }, req.blockedTimeoutMs);
    };
    request.onsuccess = () => {
      clearTimeout(timer);
      // Too late: the caller was told it failed, so this connection must not linger and block others.
      if (gaveUp) request.result.close();
      else resolve(request.result);
    };
    request.onerror = (event) => {
      clearTimeout(timer);
      event.preventDefault();
      if (gaveUp) return;
      const cause = upgradeError ?? request.error;
      const hint = request.error?.name === 'ConstraintError' ? ' (a new unique index is violated by records already stored)' : '';
      reject(storageFailure(`could not open IndexedDB database "${req.name}"${hint}`, cause));
    };
  });
}

async function storedSchemaVersion(db: IDBDatabase): Promise<number | undefined> {
  const meta = wrap(db).transaction(META_STORE, 'readonly').objectStore(META_STORE);
  return (await meta.get(SCHEMA_VERSION_KEY)) as number | undefined;
}

/**
 * Open the database at the schema, upgrading it (version + 1) when it lacks something the
 * schema declares. Another tab may upgrade in between, so the check repeats on each opened
 * connection.
 * @throws {@link StorageError} when the database was written by a newer schema version, when
 * an upgrade is blocked past the timeout, or when IndexedDB fails.
 */
export async function openDatabase(req: OpenRequest, schema: MergedSchema): Promise<IDBDatabase> {
  let db = await openOnce(req, undefined, schema);
  for (let attempt = 0; ; attempt++) {
    if (db.objectStoreNames.contains(META_STORE)) {
      const stored = await storedSchemaVersion(db);
      if (stored !== undefined && stored > schema.version) {
        db.close();
        throw new StorageError(
          `IndexedDB database "${req.name}" was written by schema version ${stored}, this app has ${schema.version}; refusing to open it (update the app, or delete the database)`,
        );
      }
    }
    if (!needsUpgrade(db, schema)) break;
    if (attempt >= 5) {
      db.close();
      throw new StorageError(`IndexedDB database "${req.name}" kept changing while rapport upgraded it; try again`);
    }
    const version = db.version + 1;
    db.close();
    db = await openOnce(req, version, schema);
  }
  const stored = await storedSchemaVersion(db);
  if (stored === undefined || stored < schema.version) {
    const tx = wrap(db).transaction(META_STORE, 'readwrite');
    await Promise.all([tx.store.put(schema.version, SCHEMA_VERSION_KEY), tx.done]);
  }
  return db;
}

/**
 * Delete an IndexedDB database, e.g. between tests or when a user signs out. Waits while
 * other connections close, for at most `blockedTimeoutMs`.
 *
 * @param name - the database name given to `indexedDbAdapter`.
 * @param factory - the IndexedDB factory (default: `globalThis.indexedDB`).
 * @param blockedTimeoutMs - how long to wait for other connections, in ms (default: 10000).
 * @throws `StorageError` when IndexedDB fails or other connections stay open.
 *
 * @example
 * ```ts
 * import { deleteIndexedDbDatabase } from 'rapport/indexeddb';
 * await deleteIndexedDbDatabase('crm');
 * ```
 */
export function deleteIndexedDbDatabase(name: string, factory: IDBFactory | undefined = globalThis.indexedDB, blockedTimeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (factory === undefined) return reject(new StorageError('IndexedDB is not available here; pass a factory'));
    const request = factory.deleteDatabase(name);
    let timer: ReturnType<typeof setTimeout> | undefined;
    request.onblocked = () => {
      timer ??= setTimeout(() => reject(new StorageError(`deleting IndexedDB database "${name}" is blocked by connections that stay open`)), blockedTimeoutMs);
    };
    request.onsuccess = () => {
      clearTimeout(timer);
      resolve();
    };
    request.onerror = () => {
      clearTimeout(timer);
      reject(storageFailure(`could not delete IndexedDB database "${name}"`, request.error));
    };
  });
}
