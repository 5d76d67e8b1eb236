/**
 * What every file of the suite shares: opening adapters (and closing them after each test),
 * building records, paging through queries and catching errors.
 *
 * @internal
 * @module
 */
import { afterEach } from 'vitest';
import type { StorageQuery } from '../query/types';
import type { Change, StorageAdapter, StorageSchema, StoredRecord, WriteOp } from '../storage/adapter';
import type { StorageConformanceOptions } from './options';

/** Opens a fresh adapter with a schema; closes it after the test. */
export type OpenAdapter = (schema: StorageSchema) => Promise<StorageAdapter>;

/** Register the after-each cleanup and return the function tests open adapters with. */
export function useAdapters(options: StorageConformanceOptions): OpenAdapter {
  const opened: StorageAdapter[] = [];
  afterEach(async () => {
    for (const adapter of opened.splice(0)) await adapter.close();
  });
  return async (schema) => {
    const adapter = await options.create();
    opened.push(adapter);
    await adapter.open(schema);
    return adapter;
  };
}

/** A record with an id, a version and the given fields. */
export function rec(id: string, fields: Record<string, unknown> = {}, version = 1): StoredRecord {
  return { ...fields, id, version };
}

/** Insert records into one collection in one batch. */
export async function insertAll(adapter: StorageAdapter, collection: string, records: readonly StoredRecord[]): Promise<void> {
  if (records.length === 0) return;
  const batch: WriteOp[] = records.map((record) => ({ type: 'insert', collection, record }));
  await adapter.write(batch);
}

/** The ids of some records, in order. */
export function idsOf(records: readonly ({ id: string } | undefined)[]): (string | undefined)[] {
  return records.map((r) => r?.id);
}

/** Page through a query to the end, `pageSize` at a time, returning every item in order. */
export async function queryAll(
  adapter: StorageAdapter,
  collection: string,
  query: Omit<StorageQuery, 'cursor' | 'limit'>,
  pageSize = 1000,
): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100_000; pages++) {
    const page = await adapter.query(collection, { ...query, limit: pageSize, cursor });
    out.push(...page.items);
    if (page.nextCursor === undefined) return out;
    cursor = page.nextCursor;
  }
  throw new Error('query did not reach its last page');
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected the call to reject, but it resolved');
}

/** Wait for notifications that an adapter may deliver asynchronously. */
export function settle(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Subscribe and collect every notification into one list of changes. */
export function record(adapter: StorageAdapter): { changes: Change[]; calls: number; stop: () => void } {
  const log = { changes: [] as Change[], calls: 0, stop: () => {} };
  log.stop = adapter.subscribe((changes) => {
    log.calls++;
    log.changes.push(...changes);
  });
  return log;
}

/** Every record of a collection, in id order (for "nothing was stored" checks). */
export function everything(adapter: StorageAdapter, collection: string): Promise<StoredRecord[]> {
  return queryAll(adapter, collection, { orderBy: [{ field: 'id' }] });
}
