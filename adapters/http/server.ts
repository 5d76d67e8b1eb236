/**
 * `rapport/http/server`: a Fetch-API handler that serves a Crm (one per tenant) over the
 * rapport HTTP protocol, so it mounts on node:http (see `rapport/http/node`), Express, Hono,
 * Next.js or a worker alike. The server is the authority: every call runs as the actor
 * `authenticate` returns, through the same engine that validates, authorizes and audits.
 *
 * @module
 */
import type { Crm } from '../../src/crm';
import { CrmError, HttpError, NotFoundError, ValidationError, isCrmError } from '../../src/errors';
import type { Actor } from '../../src/engine/types';
import { HEADERS } from './protocol';
import { problemReply } from './server/problem';
import { registerDispatch, toResponse } from './server/request';
import type { Dispatch } from './server/request';
import { route } from './server/routes';
import type { RequestContext } from './server/calls';
import { tenantOf } from './server/tenant';
import { DEFAULT_IDEMPOTENCY_TTL_MS } from './server/idempotency';

/** The longest `idempotencyTtlMs`: a hundred years, so its cutoff is always a valid date. */
const MAX_TTL_MS = 100 * 365 * 24 * 60 * 60 * 1000;

export type { SessionInfo, CollectionInfo, FeedChange, FeedPage, CallRequest, CallResponse, BatchCall, BatchRequest, EventEnvelope } from './protocol';

/** Options of {@link createHttpHandler}. Give `crm` (one CRM) or `crmFor` (one per tenant). */
export interface HttpHandlerOptions {
  /** The CRM every authenticated actor works in. */
  crm?: Crm | undefined;
  /**
   * Multi-tenancy: the tenant's CRM for an authenticated actor. Each tenant has its own Crm
   * (its own storage), so no request can reach another tenant's records.
   */
  crmFor?: ((actor: Actor) => Crm | Promise<Crm>) | undefined;
  /**
   * Who is calling, from the request's credentials (a bearer token, a session cookie);
   * `null` answers 401. Never trust a header that names an actor. On `rapport/http/node`, a
   * request without a body arrives as an object that behaves as a `Request` (every member
   * works) without being `instanceof Request` (see `toNodeListener` there).
   * @example
   * ```ts
   * authenticate: (req) => tokens.get(req.headers.get('authorization')?.replace(/^Bearer /, '') ?? '') ?? null
   * ```
   */
  authenticate: (request: Request) => Actor | null | undefined | Promise<Actor | null | undefined>;
  /** Where the protocol is mounted. @defaultValue `'/v1'` */
  basePath?: string | undefined;
  /** Bodies larger than this are refused with 413 before they are read whole. @defaultValue 1048576 (1 MiB) */
  maxBodyBytes?: number | undefined;
  /**
   * How long the answer to a write is kept for replays of its `Idempotency-Key` (and a
   * create's marker, which answers the same create sent again under another key). Expired
   * answers are deleted in the background, a bounded batch at a time; a key replayed after
   * that runs as a new request.
   * @defaultValue 86400000 (24 hours)
   */
  idempotencyTtlMs?: number | undefined;
  /** How often the live stream sends a keep-alive comment. @defaultValue 15000 */
  heartbeatMs?: number | undefined;
  /** Told about every unexpected error (answered as a bare 500), with the request as `authenticate` gets it. @defaultValue logs with `console.error` */
  onError?: ((error: unknown, request: Request) => void) | undefined;
}

/** A Fetch-API request handler. */
export type HttpHandler = (request: Request) => Promise<Response>;

/**
 * Make the server handler.
 *
 * @example
 * ```ts
 * import { createCrm } from 'rapport';
 * import { createHttpHandler } from 'rapport/http/server';
 * import { serveNode } from 'rapport/http/node';
 * const crm = await createCrm();
 * const handler = createHttpHandler({ crm, authenticate: (req) => actorForToken(req.headers.get('authorization')) });
 * await serveNode(handler, { port: 8080 });
 * ```
 * @throws `CrmError` when neither `crm` nor `crmFor` is given; `ValidationError` when `idempotencyTtlMs` is not a finite number above 0 (at most 100 years).
 */
export function createHttpHandler(options: HttpHandlerOptions): HttpHandler {
  if (!options.crm && !options.crmFor) throw new CrmError('createHttpHandler needs crm or crmFor', 'internal');
  if (options.crm) tenantOf(options.crm);
  const basePath = (options.basePath ?? '/v1').replace(/\/+$/, '');
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const idempotencyTtlMs = options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
  if (!Number.isFinite(idempotencyTtlMs) || idempotencyTtlMs <= 0 || idempotencyTtlMs > MAX_TTL_MS) throw new ValidationError([{ path: ['idempotencyTtlMs'], message: 'must be a finite number of milliseconds above 0 (at most 100 years)', code: 'invalid_option' }]);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const onError = options.onError ?? ((error: unknown) => console.error('rapport/http/server: unexpected error', error));

  const dispatch: Dispatch = async (request, hookRequest) => {
    const ifMatch = request.headers.has(HEADERS.ifMatch);
    const head = request.method === 'HEAD';
    try {
      const url = new URL(request.url);
      if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) throw new NotFoundError('paths', url.pathname);
      let segments: string[];
      try {
        segments = url.pathname.slice(basePath.length).split('/').filter(Boolean).map((s) => decodeURIComponent(s));
      } catch {
        throw new HttpError('the path is not valid percent-encoding', { status: 400, retryable: false });
      }
      // Authenticate before anything else, so an anonymous caller learns nothing, not even which paths exist.
      const actor = await options.authenticate(hookRequest);
      if (!actor) return problemReply(new HttpError('authentication required', { status: 401, retryable: false }), { headers: { 'www-authenticate': 'Bearer' } });
      const crm = options.crm ?? (await (options.crmFor as (a: Actor) => Crm | Promise<Crm>)(actor));
      const tenant = tenantOf(crm);
      const { view, internals } = tenant.view(actor);
      const ctx: RequestContext = { request, method: head ? 'GET' : request.method, url, segments, tenant, view, internals, maxBodyBytes, idempotencyTtlMs, heartbeatMs };
      const reply = await route(ctx);
      if (!head || !reply.stream) return reply;
      // HEAD: a live stream is closed at once; a finite body stays for its length, and is never sent.
      void reply.stream.cancel().catch(() => undefined);
      return { status: reply.status, headers: reply.headers };
    } catch (error) {
      if (!isCrmError(error)) onError(error, hookRequest);
      else if (error.name === 'CrmError' && error.code === 'internal') onError(error, hookRequest);
      return problemReply(error, { ifMatch });
    }
  };
  const handler: HttpHandler = async (request) => toResponse(await dispatch(request, request), request.method === 'HEAD');
  registerDispatch(handler, dispatch);
  return handler;
}
