// rapport/http/node serves the handler's own requests without building Fetch objects where it
// can (bodiless requests in, replies written directly out): it must answer exactly what the
// Fetch handler answers. Against a real node:http server on an ephemeral 127.0.0.1 port.
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCrm } from '../../src/index';
import type { Customer } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { serveNode, toNodeListener } from '../../adapters/http/node';
import type { NodeServerHandle } from '../../adapters/http/node';
import { createHttpHandler } from '../../adapters/http/server';
import type { HttpHandler } from '../../adapters/http/server';
import { makeTenants, tenantHandler } from './helpers';
import type { TestTenant } from './helpers';

let server: NodeServerHandle;
let handler: HttpHandler;
let tenantA: TestTenant;
let ada: Customer;
const seen: Request[] = [];
const errors: { error: unknown; request: Request }[] = [];

beforeAll(async () => {
  const { a, all } = await makeTenants();
  tenantA = a;
  const broken = { id: 'u-broken', roles: ['admin'] };
  all.set('broken', { actor: broken, crm: a.crm });
  handler = tenantHandler(all, {
    authenticate: (request) => {
      seen.push(request);
      return all.get(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '')?.actor ?? null;
    },
    crmFor: (actor) => {
      if (actor === broken) throw new Error('tenant directory unavailable');
      return actor.id === 'u-bea' ? (all.get('b-admin')?.crm as never) : a.crm;
    },
    onError: (error, request) => void errors.push({ error, request }),
  });
  server = await serveNode(handler, { host: '127.0.0.1', port: 0 });
  ada = await a.crm.customers.create({ name: 'Ada', tags: ['x'] });
  await a.crm.customers.createMany(['Bob', 'Cem', 'Dan'].map((name) => ({ name })));
});

afterAll(async () => {
  await server.close();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers that belong to the connection, not to the answer. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

function answerHeaders(entries: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of entries) if (!TRANSPORT.has(name)) out[name] = value;
  return out;
}

/** One request over the wire, with node's own client (it sends exactly these headers). */
function wire(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer & { length: string | undefined }> {
  return new Promise((resolve, reject) => {
    const r = httpRequest(`${server.url}/v1${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const entries = Object.entries(res.headers).map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(', ') : String(v)]);
        resolve({ status: res.statusCode ?? 0, headers: answerHeaders(entries), body: Buffer.concat(chunks).toString('utf8'), length: res.headers['content-length'] });
      });
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(body);
  });
}

/** The same request to the Fetch handler, in process. */
async function fetchHandler(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const response = await handler(new Request(`http://127.0.0.1/v1${path}`, { method, headers, ...(body === undefined ? {} : { body }) }));
  return { status: response.status, headers: answerHeaders(response.headers), body: await response.text() };
}

/** The server's clock differs between two answers: the one field that may. */
const timeless = (body: string) => body.replace(/"now":"[^"]*"/, '"now":"…"');

async function same(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer & { length: string | undefined }> {
  const [onWire, inProcess] = await Promise.all([wire(method, path, headers, body), fetchHandler(method, path, headers, body)]);
  expect({ status: onWire.status, headers: onWire.headers, body: timeless(onWire.body) }, `${method} ${path}`).toEqual({ ...inProcess, body: timeless(inProcess.body) });
  if (onWire.body !== '') expect(onWire.length).toBe(String(Buffer.byteLength(onWire.body)));
  return onWire;
}

const admin = { authorization: 'Bearer a-admin' };

describe('the node listener answers what the Fetch handler answers', () => {
  it('for a get (ETag), a 304 on If-None-Match, and a get with a stale If-None-Match', async () => {
    const got = await same('GET', `/customers/${ada.id}`, admin);
    expect(got.status).toBe(200);
    expect(got.headers['etag']).toBe('"1"');
    expect(JSON.parse(got.body)).toEqual(ada);
    const cached = await same('GET', `/customers/${ada.id}`, { ...admin, 'if-none-match': '"1"' });
    expect(cached.status).toBe(304);
    expect(cached.body).toBe('');
    expect((await same('GET', `/customers/${ada.id}`, { ...admin, 'if-none-match': '"7"' })).status).toBe(200);
  });

  it('for a list with its next link, the session, the change feed and a read verb posted without a body', async () => {
    const page = await same('GET', '/customers?orderBy=name&limit=2', admin);
    expect(page.headers['link']).toMatch(/rel="next"/);
    expect(JSON.parse(page.body).items).toHaveLength(2);
    await same('GET', '/session', admin);
    await same('GET', '/changes?since=0&limit=3', admin);
    const count = await same('POST', '/customers/count', admin);
    expect(JSON.parse(count.body)).toMatchObject({ result: 4 });
  });

  it('for refusals as problem+json: 401, 404, another tenant’s id, 400, 405, a malformed query', async () => {
    const anonymous = await same('GET', `/customers/${ada.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect(anonymous.headers['content-type']).toBe('application/problem+json');
    expect((await same('GET', `/customers/${ada.id}`, { authorization: 'Bearer forged' })).status).toBe(401);
    expect((await same('GET', '/customers/nope', admin)).status).toBe(404);
    expect((await same('GET', '/unicorns', admin)).status).toBe(404);
    expect((await same('GET', `/customers/${ada.id}`, { authorization: 'Bearer b-admin' })).status).toBe(404);
    expect((await same('GET', '/customers/%E0%A4%A', admin)).status).toBe(400);
    expect((await same('PUT', `/customers/${ada.id}`, admin)).status).toBe(405);
    expect((await same('GET', '/customers?limit=x', admin)).status).toBe(400);
    expect((await same('POST', '/customers', { ...admin, 'idempotency-key': 'k-empty' })).status).toBe(400);
  });

  it('for a write with a body (the streamed path) and its replay', async () => {
    const headers = { ...admin, 'content-type': 'application/json', 'idempotency-key': 'create-eve' };
    const created = await wire('POST', '/customers', headers, JSON.stringify({ name: 'Eve' }));
    expect(created.status).toBe(201);
    const replayed = await same('POST', '/customers', headers, JSON.stringify({ name: 'Eve' }));
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(JSON.parse(replayed.body)).toEqual(JSON.parse(created.body));
  });

  it('deletes without a body (204), with If-Match checked (412 when stale)', async () => {
    const [x, y] = await tenantA.crm.customers.createMany([{ name: 'Del 1' }, { name: 'Del 2' }]);
    const stale = await wire('DELETE', `/customers/${x!.id}`, { ...admin, 'idempotency-key': 'del-1', 'if-match': '"9"' });
    expect(stale.status).toBe(412);
    expect(JSON.parse(stale.body)).toMatchObject({ name: 'ConflictError', actualVersion: 1 });
    const fetched = await fetchHandler('DELETE', `/customers/${y!.id}`, { ...admin, 'idempotency-key': 'del-2', 'if-match': '"9"' });
    expect({ status: stale.status, headers: stale.headers }).toEqual({ status: fetched.status, headers: fetched.headers });
    const deleted = await wire('DELETE', `/customers/${x!.id}`, { ...admin, 'idempotency-key': 'del-3', 'if-match': '"1"' });
    expect(deleted).toMatchObject({ status: 204, body: '' });
    expect(await tenantA.crm.customers.find({ where: { field: 'id', op: 'eq', value: x!.id } })).toMatchObject({ items: [] });
  });

  it('answers HEAD as GET without a body, with the length the GET would send', async () => {
    const got = await wire('GET', `/customers/${ada.id}`, admin);
    const head = await same('HEAD', `/customers/${ada.id}`, admin);
    expect(head).toMatchObject({ status: 200, body: '', headers: got.headers, length: String(Buffer.byteLength(got.body)) });
    expect((await same('HEAD', '/customers/nope', admin)).status).toBe(404);
    expect((await same('HEAD', `/customers/${ada.id}`)).status).toBe(401);
    const stream = await wire('HEAD', '/stream', admin);
    expect(stream).toMatchObject({ status: 200, body: '' });
    expect(stream.headers['content-type']).toBe('text/event-stream');
  });
});

describe('the request the host’s hooks receive on node', () => {
  it('behaves as a Request: headers, method, url, signal, clone and the rest', async () => {
    seen.length = 0;
    await wire('GET', `/customers/${ada.id}?x=1`, { ...admin, cookie: 'a=1', 'x-many': 'one' });
    const request = seen[0] as Request;
    expect(request.method).toBe('GET');
    expect(request.url).toBe(`${server.url}/v1/customers/${ada.id}?x=1`);
    expect(request.headers.get('Authorization')).toBe('Bearer a-admin');
    expect(request.headers.has('cookie')).toBe(true);
    expect(request.headers.get('x-absent')).toBeNull();
    expect([...request.headers.keys()]).toEqual(expect.arrayContaining(['authorization', 'cookie', 'host', 'x-many']));
    expect(Object.fromEntries(request.headers.entries())).toMatchObject({ cookie: 'a=1', 'x-many': 'one' });
    expect(request.body).toBeNull();
    expect(request.bodyUsed).toBe(false);
    expect(request.signal).toBeInstanceOf(AbortSignal);
    expect(request.cache).toBe('default');
    expect(String(request)).toBe('[object Request]');
    const copy = request.clone();
    expect(copy).toBeInstanceOf(Request);
    expect(copy.headers.get('x-many')).toBe('one');
    expect(await copy.text()).toBe('');
  });

  it('passes onError the failed request and answers a bare 500', async () => {
    errors.length = 0;
    const answer = await same('GET', '/customers', { authorization: 'Bearer broken' });
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 500, code: 'internal', message: 'internal server error' });
    expect(answer.body).not.toMatch(/directory/);
    expect(errors).toHaveLength(2);
    const onNode = errors.find((e) => e.request.url === `${server.url}/v1/customers`);
    expect(onNode?.error).toMatchObject({ message: 'tenant directory unavailable' });
    expect(onNode?.request.headers.get('authorization')).toBe('Bearer broken');
  });

  it('answers 500 when a host hook itself throws', async () => {
    const throwing = await serveNode(
      tenantHandler(new Map(), {
        authenticate: () => {
          throw new Error('boom');
        },
        onError: () => {
          throw new Error('and again');
        },
      }),
    );
    try {
      const answer = await new Promise<number>((resolve, reject) => httpRequest(`${throwing.url}/v1/session`, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject).end());
      expect(answer).toBe(500);
    } finally {
      await throwing.close();
    }
  });
});

describe('the live stream on node', () => {
  it('stops following the tenant when the client goes away', async () => {
    const storage = memoryAdapter();
    const subscribe = storage.subscribe.bind(storage);
    let following = 0;
    storage.subscribe = (listener) => {
      following++;
      const off = subscribe(listener);
      return () => {
        following--;
        off();
      };
    };
    const crm = await createCrm({ storage });
    const actor = { id: 'u-live', roles: ['admin'] };
    const live = await serveNode(createHttpHandler({ crm, authenticate: (request) => (request.headers.get('authorization') === 'Bearer live' ? actor : null) }));
    try {
      const baseline = following;
      const chunks: string[] = [];
      const r = httpRequest(`${live.url}/v1/stream`, { headers: { authorization: 'Bearer live', accept: 'text/event-stream' } });
      const response = await new Promise<IncomingMessage>((resolve, reject) => r.on('response', resolve).on('error', reject).end());
      response.setEncoding('utf8');
      response.on('data', (c: string) => chunks.push(c));
      await vi.waitFor(() => expect(chunks.join('')).toMatch(/event: ready/));
      expect(following).toBe(baseline + 1);
      await crm.customers.create({ name: 'Live' });
      await vi.waitFor(() => expect(chunks.join('')).toMatch(/event: changes/));
      r.destroy();
      await vi.waitFor(() => expect(following).toBe(baseline));
    } finally {
      await live.close();
      await crm.close();
    }
  });
});

describe('other Fetch handlers', () => {
  it('serves any Fetch handler, too (the Fetch path, for handlers not made by createHttpHandler)', async () => {
    const plain = await serveNode(async (request) => new Response(JSON.stringify({ method: request.method, path: new URL(request.url).pathname }), { status: 201, headers: { 'content-type': 'application/json', 'set-cookie': 'a=1' } }));
    try {
      const answer = await new Promise<{ status: number; body: string; cookie: string[] | undefined }>((resolve, reject) =>
        httpRequest(`${plain.url}/x`, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body, cookie: res.headers['set-cookie'] }));
        })
          .on('error', reject)
          .end(),
      );
      expect(answer).toEqual({ status: 201, body: '{"method":"GET","path":"/x"}', cookie: ['a=1'] });
    } finally {
      await plain.close();
    }
    expect(typeof toNodeListener(handler)).toBe('function');
  });
});
