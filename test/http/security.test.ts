// The server handler's refusals, status by status, in process (the handler is a plain
// Fetch-API function). The streamed oversized body is in server.real.test.ts.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Crm } from '../../src/index';
import type { HttpHandler } from '../../adapters/http/server';
import { createHttpHandler } from '../../adapters/http/server';
import { makeTenants, req, tenantHandler } from './helpers';
import type { TestTenant } from './helpers';

let handler: HttpHandler;
let a: TestTenant;
let b: TestTenant;

beforeEach(async () => {
  const tenants = await makeTenants();
  a = tenants.a;
  b = tenants.b;
  handler = tenantHandler(tenants.all, { maxBodyBytes: 4096 });
});

async function problem(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as Record<string, unknown>;
}

describe('authentication', () => {
  it('answers 401 without a token, before routing', async () => {
    for (const path of ['/customers', '/no/such/thing', '/session']) {
      const response = await handler(req(path));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await problem(response)).toMatchObject({ status: 401, name: 'HttpError', title: 'Unauthorized' });
    }
  });

  it('answers 401 for an unknown token, and ignores headers that name an actor', async () => {
    const response = await handler(req('/customers', { token: 'forged', headers: { 'x-actor-id': 'u-ann', 'x-roles': 'admin' } }));
    expect(response.status).toBe(401);
  });
});

describe('authorization and validation', () => {
  it('answers 403 with the PermissionError when the actor may not write', async () => {
    const response = await handler(req('/customers', { method: 'POST', token: 'a-viewer', key: 'k1', json: { name: 'Ada' } }));
    expect(response.status).toBe(403);
    expect(await problem(response)).toMatchObject({ name: 'PermissionError', code: 'forbidden', actorId: 'u-vic', action: 'create', collection: 'customers', type: 'urn:rapport:error:forbidden' });
    expect(await a.crm.customers.count()).toBe(0);
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await handler(req('/customers', { method: 'POST', token: 'a-admin', key: 'k1', body: '{"name": "Ada"', headers: { 'content-type': 'application/json' } }));
    expect(response.status).toBe(400);
    expect(await problem(response)).toMatchObject({ name: 'ValidationError', issues: [expect.objectContaining({ code: 'invalid_json' })] });
  });

  it.each([
    ['a REST create', '/customers', '{"name":"x","source":{"__proto__":{"polluted":true}}}', ['source', '__proto__']],
    ['a forwarded call', '/customers/create', '{"args":[{"name":"x","custom":{"constructor":{"prototype":{"polluted":true}}}}]}', ['custom', 'constructor']],
    ['a batch', '/batch', '{"calls":[{"collection":"customers","verb":"create","args":[{"name":"x","__proto__":{"polluted":true}}]}]}', ['__proto__']],
  ])('answers 400 for prototype-polluting keys in %s, storing nothing', async (_what, path, body, issuePath) => {
    const response = await handler(req(path, { method: 'POST', token: 'a-admin', key: 'k1', body, headers: { 'content-type': 'application/json' } }));
    expect(response.status).toBe(400);
    expect(await problem(response)).toMatchObject({ name: 'ValidationError', issues: [expect.objectContaining({ path: issuePath, code: 'forbidden_key' })] });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(await a.crm.customers.count()).toBe(0);
  });

  it('answers 400 for unknown keys in a request envelope', async () => {
    const response = await handler(req('/customers/create', { method: 'POST', token: 'a-admin', key: 'k1', json: { args: [{ name: 'Ada' }], as: { id: 'root' } } }));
    expect(response.status).toBe(400);
    expect(await problem(response)).toMatchObject({ name: 'ValidationError', issues: [expect.objectContaining({ path: ['as'], code: 'unrecognized_keys' })] });
  });

  it('answers 413 for a declared oversized body without reading it, and 415 for another media type', async () => {
    const big = await handler(req('/customers', { method: 'POST', token: 'a-admin', key: 'k1', json: { name: 'x'.repeat(10_000) } }));
    expect(big.status).toBe(413);
    expect(await problem(big)).toMatchObject({ name: 'HttpError', status: 413 });
    const form = await handler(req('/customers', { method: 'POST', token: 'a-admin', key: 'k1', body: 'name=Ada', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expect(form.status).toBe(415);
  });

  it('answers 400 for a write without an Idempotency-Key', async () => {
    const response = await handler(req('/customers', { method: 'POST', token: 'a-admin', json: { name: 'Ada' } }));
    expect(response.status).toBe(400);
    expect(await problem(response)).toMatchObject({ issues: [expect.objectContaining({ code: 'missing_idempotency_key' })] });
  });

  it.each(['watch', 'as', 'close', 'startWorkers', '_secret', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'frobnicate'])('answers 404 for the verb %s', async (verb) => {
    const response = await handler(req(`/customers/${verb}`, { method: 'POST', token: 'a-admin', key: 'k1', json: { args: [] } }));
    expect(response.status).toBe(404);
    expect(await problem(response)).toMatchObject({ name: 'NotFoundError' });
  });

  it.each(['as', 'close', 'startWorkers', 'on', 'can', 'readableFields', 'constructor', '__proto__'])('answers 404 for the Crm’s own %s', async (verb) => {
    const response = await handler(req(`/${verb}`, { method: 'POST', token: 'a-admin', key: 'k1', json: { args: [{ id: 'u-root', roles: ['admin'] }] } }));
    expect(response.status).toBe(404);
  });

  it('answers 404 for an unknown collection, the engine’s own collections, an unknown report, and 405 for a wrong method', async () => {
    for (const path of ['/unicorns', '/system', '/auditValues', '/audit/create']) {
      const r = await handler(req(path, { method: 'POST', token: 'a-admin', key: 'k1', json: { args: [] } }));
      expect(r.status, path).toBe(404);
    }
    expect((await handler(req('/reports/noSuchReport', { method: 'POST', token: 'a-admin', json: { args: [] } }))).status).toBe(404);
    expect((await handler(req('/session', { method: 'POST', token: 'a-admin', key: 'k' }))).status).toBe(405);
  });

  it('refuses forged system fields: version, createdAt, updatedAt, internal fields, engine-kept history', async () => {
    for (const forged of [{ version: 7 }, { createdAt: '2000-01-01T00:00:00.000Z' }, { updatedAt: '2000-01-01T00:00:00.000Z' }, { _tokens: ['x'] }]) {
      const response = await handler(req('/customers', { method: 'POST', token: 'a-admin', key: `k-${Object.keys(forged)[0]}`, json: { name: 'Ada', ...forged } }));
      expect(response.status).toBe(400);
    }
    const ada = await a.crm.customers.create({ name: 'Ada' });
    const patch = await handler(req(`/customers/${ada.id}`, { method: 'PATCH', token: 'a-admin', key: 'p1', json: { lifecycleHistory: [], version: 9 } }));
    expect(patch.status).toBe(400);
    expect(await a.crm.customers.get(ada.id)).toEqual(ada);
  });
});

describe('tenants', () => {
  it('answers 404 for another tenant’s record, by every route', async () => {
    const secret = await a.crm.customers.create({ name: 'Tenant A secret' });
    const asB = { token: 'b-admin' };
    expect((await handler(req(`/customers/${secret.id}`, asB))).status).toBe(404);
    expect((await handler(req(`/customers/${secret.id}`, { ...asB, method: 'PATCH', key: 'x1', json: { name: 'pwned' } }))).status).toBe(404);
    expect((await handler(req(`/customers/${secret.id}`, { ...asB, method: 'DELETE', key: 'x2' }))).status).toBe(404);
    expect((await handler(req('/customers/get', { ...asB, method: 'POST', json: { args: [secret.id] } }))).status).toBe(404);
    const list = (await (await handler(req('/customers', asB))).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
    expect(await a.crm.customers.get(secret.id)).toEqual(secret);
    expect(await b.crm.customers.count()).toBe(0);
  });
});

describe('internal errors', () => {
  it('answers a bare 500: no message, no stack', async () => {
    const onError = vi.fn();
    const broken = createHttpHandler({
      authenticate: () => ({ id: 'u1', roles: ['admin'] }),
      crmFor: () => {
        throw new Error('cannot open /srv/secret/tenants.db');
      },
      onError,
    });
    const response = await broken(req('/customers', { token: 'any' }));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/secret|stack|at \w+ \(/);
    expect(JSON.parse(text)).toEqual({ type: 'urn:rapport:error:internal', title: 'Internal Server Error', status: 500, detail: 'internal server error', name: 'CrmError', code: 'internal', message: 'internal server error' });
    expect(onError).toHaveBeenCalledOnce();
  });
});

describe('the client cannot be the authority', () => {
  it('refuses a local Crm’s absence: createHttpHandler needs crm or crmFor', () => {
    expect(() => createHttpHandler({ authenticate: () => null })).toThrow(/crm or crmFor/);
  });

  it('never exposes audit writes: the audit trail has only find', async () => {
    const session = (await (await handler(req('/session', { token: 'a-admin' }))).json()) as { collections: Record<string, { verbs: string[] }> };
    expect(session.collections['audit']?.verbs).toEqual(['find']);
    expect(Object.keys(session.collections)).not.toContain('system');
  });
});

export type { Crm };
