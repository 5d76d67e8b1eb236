/**
 * The routes: REST shapes for the common verbs, generic forwarding for every verb, batches,
 * reports, the session, the change feed and the live stream.
 *
 * @internal
 * @module
 */
import type { Crm } from '../../../src/crm';
import { HttpError, NotFoundError, ValidationError, isConflictError } from '../../../src/errors';
import type { ViewInternals } from '../../../src/internal/internals';
import { CREATE_VERBS, HEADERS, etagOf, isReadVerb, resultVersions, versionOfTag } from '../protocol';
import type { BatchCall, CallResponse } from '../protocol';
import { assertEnvelope, assertNoForbiddenKeys, readJson } from './body';
import { apiOf, decodeArgs, resolveVerb, rootVerbsOf } from './dispatch';
import { filterChanges, liveStream, sessionInfo } from './feed';
import { checkKey, createMarker, fingerprint, once, sameCreate } from './idempotency';
import type { Outcome } from './idempotency';
import { parseListQuery } from './list';
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

const RESERVED = new Set(['session', 'changes', 'stream', 'batch', 'reports']);
const MAX_BATCH_CALLS = 100;

function methodNotAllowed(allow: string): never {
  throw new HttpError(`use ${allow} here`, { status: 405, retryable: false });
}

/** Read the JSON body, keeping its text for the idempotency fingerprint. */
async function body(ctx: RequestContext): Promise<{ value: unknown; text: string }> {
  const value = await readJson(ctx.request, ctx.maxBodyBytes);
  return { value, text: value === undefined ? '' : JSON.stringify(value) };
}

/** Run a write once per Idempotency-Key; `run` gets the batch transaction. */
async function write(ctx: RequestContext, text: string, status: number, run: (tx: Record<string, unknown>) => Promise<unknown>, create?: { collection: string; input: unknown }): Promise<Outcome> {
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
function txApi(ctx: RequestContext, tx: Record<string, unknown>, collection: string, verb: string): unknown {
  apiOf(ctx.view, collection);
  if (tx[collection] !== undefined) return tx[collection];
  if (isReadVerb(verb)) return apiOf(ctx.view, collection);
  throw new ValidationError([{ path: ['collection'], message: `${collection}.${verb} cannot run inside a batch`, code: 'not_in_batch' }], { collection });
}

function envelope(outcome: Outcome, extra: Record<string, string> = {}): Reply {
  const body: CallResponse = { result: outcome.result, events: outcome.events };
  return jsonReply(body, outcome.status, outcome.replayed ? { [HEADERS.replayed]: 'true', ...extra } : extra);
}

function recordHeaders(record: unknown): Record<string, string> {
  const version = (record as { version?: unknown } | null)?.version;
  return typeof version === 'number' ? { [HEADERS.etag]: etagOf(version) } : {};
}

/** `POST /:collection/:verb`: any allowlisted verb, generically. */
async function call(ctx: RequestContext, collection: string, verb: string): Promise<Reply> {
  const api = apiOf(ctx.view, collection);
  const fn = resolveVerb(api, collection, verb);
  const { value, text } = await body(ctx);
  const envelopeBody = value === undefined ? { args: [] } : assertEnvelope(value, ['args'], 'a call');
  const args = decodeArgs(envelopeBody['args'], collection);
  if (isReadVerb(verb)) return envelope({ status: 200, result: (await fn(...args)) ?? null, events: [], replayed: false });
  const create = CREATE_VERBS.has(verb) ? { collection, input: args[0] } : undefined;
  const outcome = await write(ctx, text, 200, (tx) => resolveVerb(txApi(ctx, tx, collection, verb), collection, verb)(...args), create);
  return envelope(outcome);
}

/** `POST /:verb`: a verb of the Crm itself (`search`), for names that are not collections. */
async function rootCall(ctx: RequestContext, verb: string): Promise<Reply> {
  const root = ctx.view as unknown as Record<string, unknown>;
  const { value, text } = await body(ctx);
  const args = decodeArgs(value === undefined ? [] : assertEnvelope(value, ['args'], 'a call')['args'], undefined);
  if (isReadVerb(verb)) return envelope({ status: 200, result: (await resolveVerb(root, '', verb)(...args)) ?? null, events: [], replayed: false });
  // A write on the Crm itself runs in the transaction when the transaction offers it.
  return envelope(await write(ctx, text, 200, (tx) => resolveVerb(typeof tx[verb] === 'function' ? tx : root, '', verb)(...args)));
}

/** `POST /batch`: calls on one transaction, one atomic write (or a dry run that stores nothing). */
async function batch(ctx: RequestContext): Promise<Reply> {
  const { value, text } = await body(ctx);
  const req = assertEnvelope(value, ['calls', 'dryRun'], 'a batch');
  if (!Array.isArray(req['calls']) || req['calls'].length > MAX_BATCH_CALLS) {
    throw new ValidationError([{ path: ['calls'], message: `calls is an array of at most ${MAX_BATCH_CALLS} calls`, code: 'invalid_type' }]);
  }
  const calls: BatchCall[] = req['calls'].map((c, i) => {
    const o = assertEnvelope(c, ['collection', 'verb', 'args', 'versions'], `calls[${i}]`);
    if (typeof o['collection'] !== 'string' || typeof o['verb'] !== 'string') throw new ValidationError([{ path: ['calls', i], message: 'a call names its collection and verb', code: 'invalid_type' }]);
    apiOf(ctx.view, o['collection']);
    resolveVerb(apiOf(ctx.view, o['collection']), o['collection'], o['verb']);
    const versions = Array.isArray(o['versions']) && o['versions'].every((v) => typeof v === 'number') ? (o['versions'] as number[]) : undefined;
    return { collection: o['collection'], verb: o['verb'], args: decodeArgs(o['args'], o['collection']), ...(versions ? { versions } : {}) };
  });
  const stale = new HttpError('records this batch read changed before it could commit: run the batch function again', { status: 409, retryable: false });
  let runs = 0;
  const runAll = async (tx: Record<string, unknown>) => {
    // A second run means the commit met a conflict: the client re-runs its own function
    // (as a local batch does) rather than the server replaying calls made on stale reads.
    if (++runs > 1) throw stale;
    const results: unknown[] = [];
    for (const c of calls) {
      const result = await resolveVerb(txApi(ctx, tx, c.collection, c.verb), c.collection, c.verb)(...c.args);
      if (c.versions && JSON.stringify(resultVersions(result)) !== JSON.stringify(c.versions)) throw stale;
      results.push(result ?? null);
    }
    return results;
  };
  if (req['dryRun'] === true) {
    const stop = { results: [] as unknown[] };
    try {
      await ctx.internals.batchWith(async (tx) => {
        stop.results = await runAll(tx as Record<string, unknown>);
        // Throwing from the batch function abandons it: nothing is written, no event fires.
        throw stop;
      }, () => []);
    } catch (error) {
      if (error !== stop) throw error;
    }
    return envelope({ status: 200, result: stop.results, events: [], replayed: false });
  }
  return envelope(await write(ctx, text, 200, runAll));
}

/** `GET|POST /:collection` and `GET|PATCH|DELETE /:collection/:id`: the REST shapes. */
async function rest(ctx: RequestContext, collection: string, id: string | undefined): Promise<Reply> {
  const api = apiOf(ctx.view, collection);
  const method = ctx.method;
  if (id === undefined) {
    if (method === 'GET') {
      const find = resolveVerb(api, collection, 'find');
      const page = (await find(parseListQuery(ctx.url.searchParams, collection))) as { nextCursor?: string };
      const headers: Record<string, string> = {};
      if (page.nextCursor !== undefined) {
        const next = new URL(ctx.url);
        next.searchParams.set('cursor', page.nextCursor);
        headers['link'] = `<${next.pathname}${next.search}>; rel="next"`;
      }
      return jsonReply(page, 200, headers);
    }
    if (method !== 'POST') methodNotAllowed('GET, POST');
    resolveVerb(api, collection, 'create');
    const { value, text } = await body(ctx);
    assertNoForbiddenKeys(value, collection);
    const outcome = await write(ctx, text, 201, (tx) => resolveVerb(txApi(ctx, tx, collection, 'create'), collection, 'create')(value), { collection, input: value });
    const recordId = (outcome.result as { id?: unknown } | null)?.id;
    const location = typeof recordId === 'string' ? { location: `${ctx.url.pathname}/${encodeURIComponent(recordId)}` } : {};
    return jsonReply(outcome.result, outcome.status, { ...recordHeaders(outcome.result), ...location, ...(outcome.replayed ? { [HEADERS.replayed]: 'true' } : {}) });
  }
  if (method === 'GET') {
    const record = await resolveVerb(api, collection, 'get')(id);
    const headers = recordHeaders(record);
    const wanted = versionOfTag(ctx.request.headers.get(HEADERS.ifNoneMatch));
    if (wanted !== undefined && headers[HEADERS.etag] === etagOf(wanted)) return { status: 304, headers };
    return jsonReply(record, 200, headers);
  }
  const ifMatch = ctx.request.headers.get(HEADERS.ifMatch);
  const expectedVersion = versionOfTag(ifMatch);
  if (ifMatch !== null && expectedVersion === undefined) throw new ValidationError([{ path: ['If-Match'], message: 'If-Match names one version, e.g. "3"', code: 'invalid_header' }]);
  const options = expectedVersion === undefined ? {} : { expectedVersion };
  if (method === 'PATCH') {
    resolveVerb(api, collection, 'update');
    const { value, text } = await body(ctx);
    assertNoForbiddenKeys(value, collection);
    const outcome = await write(ctx, text, 200, (tx) => resolveVerb(txApi(ctx, tx, collection, 'update'), collection, 'update')(id, value, options));
    return jsonReply(outcome.result, outcome.status, { ...recordHeaders(outcome.result), ...(outcome.replayed ? { [HEADERS.replayed]: 'true' } : {}) });
  }
  if (method === 'DELETE') {
    resolveVerb(api, collection, 'delete');
    await write(ctx, '', 204, (tx) => resolveVerb(txApi(ctx, tx, collection, 'delete'), collection, 'delete')(id, options));
    return { status: 204, headers: {} };
  }
  return methodNotAllowed('GET, PATCH, DELETE');
}

function integer(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new ValidationError([{ path: [name], message: `${name} is a whole number from 0 to ${max}`, code: 'invalid_type' }]);
  return n;
}

/** Dispatch a request to its route. */
export async function route(ctx: RequestContext): Promise<Reply> {
  const [first, second, third] = ctx.segments;
  const method = ctx.method;
  if (first === undefined || third !== undefined) throw new NotFoundError('paths', ctx.url.pathname);
  if (RESERVED.has(first)) {
    if (first === 'session' && second === undefined) return method === 'GET' ? jsonReply(sessionInfo(ctx.view, ctx.internals)) : methodNotAllowed('GET');
    if (first === 'changes' && second === undefined) {
      if (method !== 'GET') methodNotAllowed('GET');
      const since = integer(ctx.url.searchParams, 'since', 0, Number.MAX_SAFE_INTEGER);
      const limit = integer(ctx.url.searchParams, 'limit', 500, 1000);
      const page = await ctx.internals.engine.storage.changes(since, limit);
      return jsonReply({ changes: await filterChanges(ctx.internals, page.changes, true), lastSeq: page.lastSeq });
    }
    if (first === 'stream' && second === undefined) {
      if (method !== 'GET') methodNotAllowed('GET');
      return liveStream(ctx.tenant, ctx.view, ctx.internals, { heartbeatMs: ctx.heartbeatMs, signal: ctx.request.signal });
    }
    if (first === 'batch' && second === undefined) return method === 'POST' ? batch(ctx) : methodNotAllowed('POST');
    if (first === 'reports' && second !== undefined) {
      if (method !== 'POST') methodNotAllowed('POST');
      const fn = resolveVerb((ctx.view as unknown as Record<string, unknown>)['reports'], 'reports', second, 'report');
      const { value } = await body(ctx);
      const args = decodeArgs(value === undefined ? [] : assertEnvelope(value, ['args'], 'a report call')['args'], undefined);
      return envelope({ status: 200, result: (await fn(...args)) ?? null, events: [], replayed: false });
    }
    throw new NotFoundError('paths', ctx.url.pathname);
  }
  if (second !== undefined && method === 'POST') return call(ctx, first, second);
  if (second === undefined && method === 'POST' && rootVerbsOf(ctx.view).includes(first)) return rootCall(ctx, first);
  return rest(ctx, first, second);
}
