/**
 * Shared set-up of the HTTP tests: a server-side Crm per tenant, demo tokens mapped to actors
 * by `authenticate`, and clients made with `httpAdapter`.
 *
 * @module
 */
import { createCrm } from '../../src/index';
import type { Actor, Crm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { httpAdapter } from '../../adapters/http/index';
import type { HttpAdapterOptions } from '../../adapters/http/index';
import { createHttpHandler } from '../../adapters/http/server';
import type { HttpHandler, HttpHandlerOptions } from '../../adapters/http/server';

/** A tenant: its own Crm, its users by token. */
export interface TestTenant {
  crm: Crm;
  tokens: Record<string, Actor>;
}

/** Two tenants with an admin, an editor and a viewer each (tenant B only an admin). */
export async function makeTenants(): Promise<{ a: TestTenant; b: TestTenant; all: Map<string, { actor: Actor; crm: Crm }> }> {
  const a: TestTenant = {
    crm: await createCrm({ storage: memoryAdapter(), sensitiveFields: { customers: ['notes'] } }),
    tokens: {
      'a-admin': { id: 'u-ann', roles: ['admin'] },
      'a-editor': { id: 'u-ed', roles: ['editor'] },
      'a-viewer': { id: 'u-vic', roles: ['viewer'] },
    },
  };
  const b: TestTenant = { crm: await createCrm({ storage: memoryAdapter() }), tokens: { 'b-admin': { id: 'u-bea', roles: ['admin'] } } };
  const all = new Map<string, { actor: Actor; crm: Crm }>();
  for (const t of [a, b]) for (const [token, actor] of Object.entries(t.tokens)) all.set(token, { actor, crm: t.crm });
  return { a, b, all };
}

/** A multi-tenant handler: the bearer token names the actor, the actor its tenant. */
export function tenantHandler(all: Map<string, { actor: Actor; crm: Crm }>, extra: Partial<HttpHandlerOptions> = {}): HttpHandler {
  const tenantOfActor = new WeakMap<Actor, Crm>();
  for (const { actor, crm } of all.values()) tenantOfActor.set(actor, crm);
  return createHttpHandler({
    authenticate: (request) => all.get(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '')?.actor ?? null,
    crmFor: (actor) => tenantOfActor.get(actor) as Crm,
    onError: () => undefined,
    ...extra,
  });
}

/** A remote client for a token. */
export function connect(baseUrl: string, token: string, options: Partial<HttpAdapterOptions> = {}): Promise<Crm> {
  return createCrm({ storage: httpAdapter({ baseUrl, getToken: () => token, retry: { baseMs: 2, maxMs: 20 }, ...options }) });
}

/** A request to the handler, in process. */
export function req(path: string, init: RequestInit & { token?: string; key?: string; json?: unknown } = {}): Request {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.key) headers.set('idempotency-key', init.key);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers.set('content-type', 'application/json');
  }
  const { token: _t, key: _k, json: _j, ...rest } = init;
  return new Request(`http://crm.test/v1${path}`, { ...rest, headers, ...(body !== undefined ? { body } : {}) });
}
