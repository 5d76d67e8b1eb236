/**
 * Idempotency: every write carries an `Idempotency-Key`; the server stores (actor, key) →
 * result in the same atomic write as the changes the call made, and looks the key up before
 * running anything (so before any version check): a replay answers the stored result
 * instead of a 412 or a second write.
 *
 * @internal
 * @module
 */
import { ConflictError, HttpError, ValidationError, isConflictError } from '../../../src/errors';
import type { StoredRecord, WriteOp } from '../../../src/storage/adapter';
import type { EventEnvelope } from '../protocol';
import type { Tenant } from './tenant';
import { captureAround } from './tenant';
import type { Crm } from '../../../src/crm';
import type { ViewInternals } from '../../../src/internal/internals';

/** The engine-owned collection the records live in (ids `idem:…`, never readable through the API). */
const COLLECTION = 'system';

/** How long a stored answer is kept for replays, unless the handler says otherwise: one day. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Kinds of record the handler stores per write, each with its `at`, and sweeps once expired. */
const EXPIRING_KINDS = ['idempotency', 'create'] as const;

/** Records deleted per sweep and kind: a sweep is one bounded write, never a scan of the backlog. */
const SWEEP_LIMIT = 500;

/** What a write produced, as stored. */
export interface Outcome {
  /** The HTTP status the first answer had. */
  status: number;
  /** What the verb returned. */
  result: unknown;
  /** Events the call caused (from memory on a replay; possibly empty). */
  events: EventEnvelope[];
  /** Whether this answer is a replay of a stored one. */
  replayed: boolean;
}

/** Hex SHA-256, to compare a replay's request with the first one without storing the body. */
export async function fingerprint(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Check an `Idempotency-Key` header's value. */
export function checkKey(key: string | null): string {
  if (key === null || key.length === 0) {
    throw new ValidationError([{ path: ['Idempotency-Key'], message: 'every write needs an Idempotency-Key header', code: 'missing_idempotency_key' }]);
  }
  if (key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ValidationError([{ path: ['Idempotency-Key'], message: 'an Idempotency-Key is 1 to 255 visible ASCII characters', code: 'invalid_idempotency_key' }]);
  }
  return key;
}

/** Where a write runs: the view's internals and how to record it. */
export interface WriteContext {
  tenant: Tenant;
  view: Crm;
  internals: ViewInternals;
  /** `idem:<actorId>:<key>`. */
  recordId: string;
  /** Fingerprint of the request (method, path, body). */
  print: string;
  /** The status a fresh success answers. */
  status: number;
  /** More records to store in the same write (e.g. a create marker). */
  extra?: (result: unknown) => StoredRecord[];
  /** How long stored answers are kept. */
  ttlMs: number;
}

async function lookup(internals: ViewInternals, id: string): Promise<StoredRecord | undefined> {
  const [found] = await internals.engine.storage.get(COLLECTION, [id]);
  return found;
}

function replay(ctx: WriteContext, stored: StoredRecord): Outcome {
  if (stored['fingerprint'] !== ctx.print) {
    throw new HttpError('this Idempotency-Key was already used for a different request; use a new key for a new request', { status: 422, retryable: false });
  }
  return { status: Number(stored['status']), result: stored['result'] ?? null, events: ctx.tenant.recall(ctx.recordId), replayed: true };
}

/**
 * Run a write once per (actor, key): `run(tx)` executes the call on a batch transaction; its
 * result and an idempotency record land in one atomic write.
 */
export async function once(ctx: WriteContext, run: (tx: unknown) => Promise<unknown>): Promise<Outcome> {
  const { tenant, recordId } = ctx;
  tenant.sweep(ctx.ttlMs, (before) => sweepExpired(ctx.internals, before));
  // A retry racing the first attempt in this process waits for it instead of running twice.
  while (tenant.inFlight.has(recordId)) await tenant.inFlight.get(recordId)?.catch(() => undefined);
  const work = (async (): Promise<Outcome> => {
    const stored = await lookup(ctx.internals, recordId);
    if (stored) return replay(ctx, stored);
    const events: EventEnvelope[] = [];
    try {
      const result = await ctx.internals.batchWith(
        run,
        (r): WriteOp[] => [
          { type: 'insert', collection: COLLECTION, record: { id: recordId, version: 1, kind: 'idempotency', fingerprint: ctx.print, status: ctx.status, result: r ?? null, at: ctx.internals.engine.now() } },
          ...(ctx.extra?.(r) ?? []).map((record): WriteOp => ({ type: 'insert', collection: COLLECTION, record })),
        ],
        captureAround(tenant, ctx.view, events),
      );
      tenant.remember(recordId, events);
      return { status: ctx.status, result: result ?? null, events, replayed: false };
    } catch (error) {
      // Another process stored the same key first: answer what it stored.
      if (isConflictError(error) && error.collection === COLLECTION && error.recordId === recordId) {
        const winner = await lookup(ctx.internals, recordId);
        if (winner) return replay(ctx, winner);
      }
      throw error;
    }
  })();
  tenant.inFlight.set(recordId, work);
  try {
    return await work;
  } finally {
    tenant.inFlight.delete(recordId);
  }
}

/** The marker that makes a create idempotent by its client-generated id. */
export function createMarker(collection: string, id: string, print: string, result: unknown, at: string): StoredRecord {
  return { id: `idem:create:${collection}:${id}`, version: 1, kind: 'create', fingerprint: print, result: result ?? null, at };
}

/**
 * Delete stored answers and create markers older than `before` (an ISO instant), at most
 * {@link SWEEP_LIMIT} of each kind, through the `kind, at` index of the system collection.
 * Answers whether expired records are left for another sweep. Another process sweeping the same records at once makes this write
 * fail as a whole; the next sweep picks up what is left.
 */
export async function sweepExpired(internals: ViewInternals, before: string): Promise<boolean> {
  const { storage } = internals.engine;
  const ops: WriteOp[] = [];
  let more = false;
  for (const kind of EXPIRING_KINDS) {
    const page = await storage.query(COLLECTION, {
      where: { and: [{ field: 'kind', op: 'eq', value: kind }, { field: 'at', op: 'lt', value: before }] },
      orderBy: [{ field: 'at', direction: 'asc' }],
      limit: SWEEP_LIMIT,
    });
    for (const record of page.items) ops.push({ type: 'delete', collection: COLLECTION, id: record.id, expectedVersion: record.version });
    more ||= page.nextCursor !== undefined;
  }
  if (ops.length) await storage.write(ops);
  return more;
}

/**
 * After a create found its id taken: the stored record when the same actor already created
 * it with the same input, else the conflict stands.
 */
export async function sameCreate(internals: ViewInternals, error: ConflictError, collection: string, print: string): Promise<unknown> {
  const marker = await lookup(internals, `idem:create:${collection}:${error.recordId ?? ''}`);
  if (!marker || marker['fingerprint'] !== print) throw error;
  return marker['result'];
}
