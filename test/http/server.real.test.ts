// Against a real node:http server on an ephemeral 127.0.0.1 port (no msw in this file: it
// would intercept these requests too).
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConflictError, CrmError, PermissionError, isConflictError } from '../../src/index';
import type { Crm, Customer } from '../../src/index';
import { serveNode } from '../../adapters/http/node';
import type { NodeServerHandle } from '../../adapters/http/node';
import { connect, makeTenants, tenantHandler } from './helpers';
import type { TestTenant } from './helpers';

let server: NodeServerHandle;
let base: string;
let tenantA: TestTenant;
const clients: Crm[] = [];

beforeAll(async () => {
  const { a, all } = await makeTenants();
  tenantA = a;
  all.set('a-manager', { actor: { id: 'u-max', roles: ['manager'], teamIds: ['emea'] }, crm: a.crm });
  server = await serveNode(tenantHandler(all, { maxBodyBytes: 64 * 1024 }), { host: '127.0.0.1', port: 0 });
  base = `${server.url}/v1`;
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await server.close();
});

async function client(token: string): Promise<Crm> {
  const c = await connect(base, token);
  clients.push(c);
  return c;
}

describe('body limits on the wire', () => {
  it('answers 413 to a body streamed past the limit with no Content-Length, without reading it all', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const result = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const r = httpRequest(`${base}/customers`, { method: 'POST', headers: { authorization: 'Bearer a-admin', 'content-type': 'application/json', 'idempotency-key': 'big', 'transfer-encoding': 'chunked' } });
      r.on('response', (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
      });
      r.on('error', (e) => (answered ? undefined : reject(e)));
      const pump = () => {
        // Keep sending (up to 64 MiB) until the server answers.
        while (!answered && sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!r.write(chunk)) return void r.once('drain', pump);
        }
      };
      pump();
    });
    expect(result.status).toBe(413);
    expect(result.sent).toBeLessThan(64 * 1024 * 1024);
    expect(await tenantA.crm.customers.count()).toBe(0);
  });
});

describe('two clients', () => {
  it('lets one of two writers with the same expectedVersion win; the other gets ConflictError (412)', async () => {
    const [x, y] = [await client('a-admin'), await client('a-editor')];
    const ada = await x.customers.create({ name: 'Ada' });
    const outcomes = await Promise.allSettled([x.customers.update(ada.id, { tier: 'vip' }, { expectedVersion: 1 }), y.customers.update(ada.id, { tier: 'gold' }, { expectedVersion: 1 })]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(ConflictError);
    expect(lost[0]?.reason).toMatchObject({ recordId: ada.id, expectedVersion: 1, actualVersion: 2 });
    expect(await tenantA.crm.customers.get(ada.id)).toMatchObject({ version: 2 });
  });

  it('delivers one client’s change to another client’s watch and events through the live stream', async () => {
    const [writer, reader] = [await client('a-admin'), await client('a-viewer')];
    const live = reader.customers.watch({ where: { field: 'tags', op: 'has', value: 'stream' }, orderBy: [{ field: 'name' }] });
    const seen: { type: string; record?: Customer }[] = [];
    const off = reader.on('*', (e) => seen.push(e as never));
    try {
      await live.ready;
      const c = await writer.customers.create({ name: 'Streamed', tags: ['stream'], notes: 'sensitive' });
      await vi.waitFor(() => expect(live.getSnapshot().items.map((x) => x.name)).toEqual(['Streamed']));
      await vi.waitFor(() => expect(seen.map((e) => e.type)).toContain('customer.created'));
      // The viewer cannot read sensitive notes: masked in the watch and in the event.
      expect(live.getSnapshot().items[0]).not.toHaveProperty('notes');
      expect(seen.find((e) => e.type === 'customer.created')?.record).not.toHaveProperty('notes');
      await writer.customers.update(c.id, { tags: [] });
      await vi.waitFor(() => expect(live.getSnapshot().items).toEqual([]));
    } finally {
      off();
      live();
    }
  });

  it('sends a record leaving the actor’s scope to its watch as a removal', async () => {
    const [admin, manager] = [await client('a-admin'), await client('a-manager')];
    const c = await admin.customers.create({ name: 'Team EMEA', teamId: 'emea', ownerId: 'u-other' });
    const live = manager.customers.watch({ where: { field: 'name', op: 'eq', value: 'Team EMEA' } });
    try {
      await vi.waitFor(() => expect(live.getSnapshot().items.map((x) => x.id)).toEqual([c.id]));
      await admin.customers.update(c.id, { teamId: 'apac' });
      await vi.waitFor(() => expect(live.getSnapshot().items).toEqual([]));
    } finally {
      live();
    }
  });
});

describe('the remote Crm', () => {
  it('answers can() and readableFields() locally from the grants fetched at connect', async () => {
    const manager = await client('a-manager');
    expect(manager.can('update', 'customers', { ownerId: 'u-x', teamId: 'emea' })).toBe(true);
    expect(manager.can('update', 'customers', { ownerId: 'u-x', teamId: 'apac' })).toBe(false);
    expect(manager.can('delete', 'customers')).toBe(true);
    const viewer = await client('a-viewer');
    expect(viewer.can('create', 'customers')).toBe(false);
    expect(viewer.can('read', 'customers', { ownerId: 'anyone' })).toBe(true);
    expect(viewer.readableFields('customers')).not.toContain('notes');
    expect(viewer.actor).toEqual({ id: 'u-vic', roles: ['viewer'] });
  });

  it('rebuilds a refusal as PermissionError and emits access.denied, as local mode does', async () => {
    const viewer = await client('a-viewer');
    const denied: unknown[] = [];
    viewer.on('access.denied', (e) => denied.push(e));
    const error = await viewer.customers.create({ name: 'Nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ actorId: 'u-vic', action: 'create', collection: 'customers' });
    expect(denied).toEqual([expect.objectContaining({ type: 'access.denied', actorId: 'u-vic', action: 'create' })]);
  });

  it('refuses as() and startWorkers() with typed errors: the server decides who acts and runs workers', async () => {
    const admin = await client('a-admin');
    expect(() => admin.as({ id: 'u-root', roles: ['admin'] })).toThrow(CrmError);
    expect(() => admin.startWorkers()).toThrow(/server/);
  });

  it('rejects with HttpError 401 at connect when the token is refused', async () => {
    const error = await connect(base, 'wrong').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'HttpError', status: 401 });
    expect(isConflictError(error)).toBe(false);
  });
});
