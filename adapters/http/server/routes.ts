/**
 * The routes: REST shapes for the common verbs, generic forwarding for every verb, batches,
 * reports, the session, the change feed and the live stream. Batches, the change feed and
 * the live stream load with their first request.
 *
 * @internal
 * @module
 */
import { HttpError, NotFoundError, ValidationError } from '../../../src/errors';
import { CREATE_VERBS, HEADERS, etagOf, isReadVerb, versionOfTag } from '../protocol';
import { assertEnvelope, assertNoForbiddenKeys } from './body';
import { body, envelope, txApi, write } from './calls';
import type { RequestContext } from './calls';
import { apiOf, decodeArgs, resolveVerb, rootVerbsOf } from './dispatch';
import { parseListQuery } from './list';
import { jsonReply } from './problem';
import type { Reply } from './request';
import { sessionInfo } from './session';

const RESERVED = new Set(['session', 'changes', 'stream', 'batch', 'reports']);

function methodNotAllowed(allow: string): never {
  throw new HttpError(`use ${allow} here`, { status: 405, retryable: false });
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
      const { filterChanges } = await import('./feed');
      return jsonReply({ changes: await filterChanges(ctx.internals, page.changes, true), lastSeq: page.lastSeq });
    }
    if (first === 'stream' && second === undefined) {
      if (method !== 'GET') methodNotAllowed('GET');
      const { liveStream } = await import('./feed');
      return liveStream(ctx.tenant, ctx.view, ctx.internals, { heartbeatMs: ctx.heartbeatMs, signal: ctx.request.signal });
    }
    if (first === 'batch' && second === undefined) {
      if (method !== 'POST') methodNotAllowed('POST');
      const { batch } = await import('./batch');
      return batch(ctx);
    }
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
