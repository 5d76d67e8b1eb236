/**
 * Running one call: the request it arrives in, its JSON body, the write done once per
 * Idempotency-Key inside a transaction, and the envelope its answer goes back in. Shared by
 * the routes and the batch route.
 *
 * @internal
 * @module
 */
import type { Crm } from '../../../src/crm';
import { ValidationError, isConflictError } from '../../../src/errors';
import type { ViewInternals } from '../../../src/internal/internals';
import { HEADERS, isReadVerb } from '../protocol';
import type { CallResponse } from '../protocol';
import { readJson } from './body';
import { apiOf } from './dispatch';
import { checkKey, createMarker, fingerprint, once, sameCreate } from './idempotency';
import type { Outcome } from './idempotency';
import { jsonReply } from './problem';
import type { IncomingRequest, Reply } from './request';
import type { Tenant } from './tenant';

/** Everything a route needs. */
export interface RequestContext {
  request: IncomingRequest;
  /** The method routes answer: HEAD is answered as GET, its body dropped afterwards. */
  method: string;
  url: URL;
  segments: string[];
  tenant: Tenant;
  view: Crm;
  internals: ViewInternals;
  maxBodyBytes: number;
  /** How long stored answers to idempotent writes are kept. */
  idempotencyTtlMs: number;
  heartbeatMs: number;
}

/** Read the JSON body, keeping its text for the idempotency fingerprint. */
export async function body(ctx: RequestContext): Promise<{ value: unknown; text: string }> {
  const value = await readJson(ctx.request, ctx.maxBodyBytes);
  return { value, text: value === undefined ? '' : JSON.stringify(value) };
}

/** Run a write once per Idempotency-Key; `run` gets the batch transaction. */
export async function write(ctx: RequestContext, text: string, status: number, run: (tx: Record<string, unknown>) => Promise<unknown>, create?: { collection: string; input: unknown }): Promise<Outcome> {
  const key = checkKey(ctx.request.headers.get(HEADERS.idempotencyKey));
  const actorId = ctx.internals.actor.id;
  const print = await fingerprint(`${ctx.request.method} ${ctx.url.pathname}\n${text}`);
  const id = (create?.input as { id?: unknown } | undefined)?.id;
  const createPrint = create && typeof id === 'string' ? await fingerprint(`${actorId}\n${JSON.stringify(create.input)}`) : undefined;
  try {
    return await once(
      {
        tenant: ctx.tenant,
        view: ctx.view,
        internals: ctx.internals,
        recordId: `idem:${encodeURIComponent(actorId)}:${encodeURIComponent(key)}`,
        print,
        status,
        ttlMs: ctx.idempotencyTtlMs,
        ...(create && createPrint ? { extra: (r: unknown) => [createMarker(create.collection, id as string, createPrint, r, ctx.internals.engine.now())] } : {}),
      },
      (tx) => run(tx as Record<string, unknown>),
    );
  } catch (error) {
    // The same create again (same actor, same input, another key): answer the stored record.
    if (create && createPrint && isConflictError(error) && error.expectedVersion === 0 && error.collection === create.collection && error.recordId === id) {
      return { status: 200, result: await sameCreate(ctx.internals, error, create.collection, createPrint), events: [], replayed: true };
    }
    throw error;
  }
}

/** The collection object to run a call on inside a batch (writes outside a transaction are refused). */
export function txApi(ctx: RequestContext, tx: Record<string, unknown>, collection: string, verb: string): unknown {
  apiOf(ctx.view, collection);
  if (tx[collection] !== undefined) return tx[collection];
  if (isReadVerb(verb)) return apiOf(ctx.view, collection);
  throw new ValidationError([{ path: ['collection'], message: `${collection}.${verb} cannot run inside a batch`, code: 'not_in_batch' }], { collection });
}

/** A call's answer: its result and the events it fired, marked when it is a stored replay. */
export function envelope(outcome: Outcome, extra: Record<string, string> = {}): Reply {
  const body: CallResponse = { result: outcome.result, events: outcome.events };
  return jsonReply(body, outcome.status, outcome.replayed ? { [HEADERS.replayed]: 'true', ...extra } : extra);
}
