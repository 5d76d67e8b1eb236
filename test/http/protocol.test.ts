// The REST shapes, idempotency, conditional requests, batches and the change feed, in
// process against the real handler.
import { beforeEach, describe, expect, it } from 'vitest';
import { createCrm } from '../../src/index';
import type { Crm, Customer } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import type { HttpHandler } from '../../adapters/http/server';
import type { CallResponse, FeedPage, SessionInfo } from '../../adapters/http/index';
import { req, tenantHandler } from './helpers';

let crm: Crm;
let handler: HttpHandler;

beforeEach(async () => {
  crm = await createCrm({ storage: memoryAdapter(), sensitiveFields: { customers: ['notes'] } });
  const actors = {
    admin: { id: 'u-ann', roles: ['admin'] },
    viewer: { id: 'u-vic', roles: ['viewer'] },
    manager: { id: 'u-max', roles: ['manager'], teamIds: ['emea'] },
  };
  handler = tenantHandler(new Map(Object.entries(actors).map(([token, actor]) => [token, { actor, crm }])));
});

const json = async <T>(r: Response | Promise<Response>) => (await (await r).json()) as T;

describe('REST shapes', () => {
  it('creates (201, Location, ETag), gets (ETag, 304 on If-None-Match), patches with If-Match, deletes (204)', async () => {
    const created = await handler(req('/customers', { method: 'POST', token: 'admin', key: 'c1', json: { name: 'Ada' } }));
    expect(created.status).toBe(201);
    const ada = (await created.json()) as Customer;
    expect(created.headers.get('location')).toBe(`/v1/customers/${ada.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    const got = await handler(req(`/customers/${ada.id}`, { token: 'admin' }));
    expect(got.headers.get('etag')).toBe('"1"');
    expect(await got.json()).toEqual(ada);
    const cached = await handler(req(`/customers/${ada.id}`, { token: 'admin', headers: { 'if-none-match': '"1"' } }));
    expect(cached.status).toBe(304);
    const patched = await handler(req(`/customers/${ada.id}`, { method: 'PATCH', token: 'admin', key: 'p1', headers: { 'if-match': '"1"' }, json: { tier: 'vip' } }));
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    const stale = await handler(req(`/customers/${ada.id}`, { method: 'PATCH', token: 'admin', key: 'p2', headers: { 'if-match': '"1"' }, json: { tier: 'gold' } }));
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ name: 'ConflictError', expectedVersion: 1, actualVersion: 2, recordId: ada.id });
    const deleted = await handler(req(`/customers/${ada.id}`, { method: 'DELETE', token: 'admin', key: 'd1', headers: { 'if-match': '"2"' } }));
    expect(deleted.status).toBe(204);
    expect((await handler(req(`/customers/${ada.id}`, { token: 'admin' }))).status).toBe(404);
  });

  it('lists with opaque keyset cursors and a next link', async () => {
    await crm.customers.createMany(['Cem', 'Ada', 'Bob', 'Dan', 'Eve'].map((name) => ({ name })));
    const names: string[] = [];
    let path = '/customers?orderBy=name&limit=2';
    for (let i = 0; i < 5 && path; i++) {
      const r = await handler(req(path, { token: 'admin' }));
      const page = (await r.json()) as { items: Customer[]; nextCursor?: string };
      names.push(...page.items.map((c) => c.name));
      path = page.nextCursor ? (r.headers.get('link')?.match(/<\/v1([^>]+)>/)?.[1] ?? '') : '';
    }
    expect(names).toEqual(['Ada', 'Bob', 'Cem', 'Dan', 'Eve']);
    const filtered = await json<{ items: Customer[] }>(handler(req(`/customers?where=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'eq', value: 'Eve' }))}`, { token: 'admin' })));
    expect(filtered.items.map((c) => c.name)).toEqual(['Eve']);
    expect((await handler(req('/customers?bogus=1', { token: 'admin' }))).status).toBe(400);
  });
});

describe('idempotency', () => {
  it('replays the stored answer for a retried key: one write, even after the version moved', async () => {
    const ada = await crm.customers.create({ name: 'Ada' });
    const patch = () => handler(req(`/customers/${ada.id}`, { method: 'PATCH', token: 'admin', key: 'same', headers: { 'if-match': '"1"' }, json: { tier: 'vip' } }));
    const first = await patch();
    const again = await patch();
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    expect(await crm.customers.get(ada.id)).toMatchObject({ version: 2, tier: 'vip' });
    const reused = await handler(req(`/customers/${ada.id}`, { method: 'PATCH', token: 'admin', key: 'same', json: { tier: 'gold' } }));
    expect(reused.status).toBe(422);
  });

  it('answers two concurrent requests with one key with one write', async () => {
    const send = () => handler(req('/customers/create', { method: 'POST', token: 'admin', key: 'race', json: { args: [{ name: 'Once' }] } }));
    const [x, y] = await Promise.all([send(), send()]);
    const [rx, ry] = [await json<CallResponse<Customer>>(x), await json<CallResponse<Customer>>(y)];
    expect(rx.result.id).toBe(ry.result.id);
    expect(await crm.customers.count()).toBe(1);
  });

  it('makes a create idempotent by its client id: same input answers the record, another input is 409', async () => {
    const send = (key: string, name: string) => handler(req('/customers', { method: 'POST', token: 'admin', key, json: { id: 'c-1', name } }));
    expect((await send('k1', 'Ada')).status).toBe(201);
    const same = await send('k2', 'Ada');
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({ id: 'c-1', name: 'Ada', version: 1 });
    const other = await send('k3', 'Bob');
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ name: 'ConflictError', expectedVersion: 0, actualVersion: 1 });
  });
});

describe('batch, session, reports', () => {
  it('commits a batch as one atomic write, and stores nothing when one call fails', async () => {
    const ok = await json<CallResponse<Customer[]>>(
      handler(req('/batch', { method: 'POST', token: 'admin', key: 'b1', json: { calls: [{ collection: 'customers', verb: 'create', args: [{ id: 'acme', name: 'Acme', kind: 'organization' }] }, { collection: 'customers', verb: 'create', args: [{ name: 'Ada', organizationId: 'acme' }] }] } })),
    );
    expect(ok.result.map((c) => c.name)).toEqual(['Acme', 'Ada']);
    expect(ok.events.map((e) => e.event.type)).toEqual(['customer.created', 'customer.created']);
    const bad = await handler(req('/batch', { method: 'POST', token: 'admin', key: 'b2', json: { calls: [{ collection: 'customers', verb: 'create', args: [{ name: 'Cem' }] }, { collection: 'customers', verb: 'create', args: [{ name: '' }] }] } }));
    expect(bad.status).toBe(400);
    const dry = await handler(req('/batch', { method: 'POST', token: 'admin', json: { dryRun: true, calls: [{ collection: 'customers', verb: 'create', args: [{ name: 'Dry' }] }] } }));
    expect(dry.status).toBe(200);
    expect(await crm.customers.count()).toBe(2);
  });

  it('describes the session: actor, grants as filters, readable fields, reports, server time', async () => {
    const session = await json<SessionInfo>(handler(req('/session', { token: 'manager' })));
    expect(session.actor).toEqual({ id: 'u-max', roles: ['manager'], teamIds: ['emea'] });
    expect(session.collections['customers']?.grants.delete).toEqual({ or: [{ field: 'ownerId', op: 'eq', value: 'u-max' }, { field: 'teamId', op: 'in', value: ['emea'] }] });
    expect(session.collections['customers']?.verbs).toEqual(expect.arrayContaining(['create', 'update', 'find', 'timeline']));
    expect(session.collections['customers']?.verbs).not.toContain('watch');
    expect(typeof session.now).toBe('string');
    const viewer = await json<SessionInfo>(handler(req('/session', { token: 'viewer' })));
    expect(viewer.collections['customers']?.grants.create).toBe(false);
    expect(viewer.collections['customers']?.readableFields).not.toContain('notes');
  });

  it('runs a report by name on the server', async () => {
    const response = await handler(req('/reports/ticketBacklog', { method: 'POST', token: 'admin', json: { args: [] } }));
    expect(response.status).toBe(200);
    expect((await response.json()) as CallResponse).toHaveProperty('result');
  });
});

describe('the change feed', () => {
  it('sends readable records masked, and records out of reach as removals without content', async () => {
    const mine = await crm.customers.create({ name: 'Team record', teamId: 'emea', notes: 'secret note' });
    const other = await crm.customers.create({ name: 'Other team', teamId: 'apac', notes: 'other secret' });
    const forManager = await json<FeedPage>(handler(req('/changes?since=0', { token: 'manager' })));
    const byId = new Map(forManager.changes.map((c) => [c.id, c]));
    expect(byId.get(mine.id)).toMatchObject({ type: 'put', version: 1, record: { name: 'Team record' } });
    expect(byId.get(other.id)).toEqual({ seq: expect.any(Number), collection: 'customers', id: other.id, type: 'delete' });
    expect(JSON.stringify(forManager)).not.toContain('Other team');
    expect(forManager.changes.every((c) => c.collection === 'customers')).toBe(true);
    const forViewer = await json<FeedPage>(handler(req(`/changes?since=0`, { token: 'viewer' })));
    expect(JSON.stringify(forViewer)).not.toContain('secret');
    const later = await json<FeedPage>(handler(req(`/changes?since=${forViewer.lastSeq}`, { token: 'viewer' })));
    expect(later.changes).toEqual([]);
  });
});
