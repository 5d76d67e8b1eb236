// An unreliable network, with msw: each msw handler calls our REAL server handler in
// process, then fails, delays or drops the answer — the server logic stays real, only the
// network misbehaves. (No real-server tests in this file: msw would intercept them.)
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCrm } from '../../src/index';
import type { Crm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { createHttpHandler } from '../../adapters/http/server';
import type { HttpHandler } from '../../adapters/http/server';
import { connect } from './helpers';

const BASE = 'http://crm.test/v1';
const mock = setupServer();
let serverCrm: Crm;
let handler: HttpHandler;

beforeAll(() => mock.listen({ onUnhandledRequest: 'error' }));
afterEach(() => mock.resetHandlers());
afterAll(() => mock.close());

async function fresh(): Promise<void> {
  serverCrm = await createCrm({ storage: memoryAdapter() });
  handler = createHttpHandler({ crm: serverCrm, authenticate: (r) => (r.headers.get('authorization') === 'Bearer t-admin' ? { id: 'u-ann', roles: ['admin'] } : null) });
}

/** A small seeded PRNG, so a failing run can be replayed. */
function prng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

describe('retries over a faulty network', () => {
  it('applies each of 1,000 writes exactly once while ~10% of exchanges fail with 503, time out or drop after the server applied them', async () => {
    await fresh();
    const random = prng(20240501);
    const failuresPerKey = new Map<string, number>();
    const faults = { before503: 0, after503: 0, timeout: 0, drop: 0 };
    mock.use(
      http.all(`${BASE}/*`, async ({ request }) => {
        const key = request.headers.get('idempotency-key') ?? '';
        const roll = random();
        // At most two faults per write, so five attempts always suffice and the test is deterministic.
        const fault = key && (failuresPerKey.get(key) ?? 0) < 2 && roll < 0.1 ? (['before503', 'after503', 'timeout', 'drop'] as const)[Math.floor(roll * 40)] : undefined;
        if (fault) failuresPerKey.set(key, (failuresPerKey.get(key) ?? 0) + 1);
        if (fault === 'before503') {
          faults.before503++;
          return new HttpResponse(null, { status: 503 });
        }
        const response = await handler(request);
        if (fault === 'after503') {
          faults.after503++;
          return new HttpResponse(null, { status: 503 });
        }
        if (fault === 'drop') {
          faults.drop++;
          return HttpResponse.error();
        }
        if (fault === 'timeout') {
          faults.timeout++;
          await delay(400);
        }
        return response;
      }),
    );
    const client = await connect(BASE, 't-admin', { timeoutMs: 150, retry: { retries: 4, baseMs: 1, maxMs: 10 } });
    const names = Array.from({ length: 250 }, (_, i) => `Customer ${String(i).padStart(3, '0')}`);
    const ids: string[] = [];
    await inBatches(names, 25, async (name) => {
      ids.push((await client.customers.create({ name })).id);
    });
    await inBatches(ids, 25, async (id) => {
      for (let round = 1; round <= 3; round++) await client.customers.update(id, { notes: `round ${round}` });
    });
    await client.close();

    expect(faults.before503 + faults.after503 + faults.timeout + faults.drop).toBeGreaterThan(50);
    expect(Math.min(faults.after503, faults.timeout, faults.drop)).toBeGreaterThan(0);
    const stored = (await serverCrm.customers.find({ limit: 1000, orderBy: [{ field: 'name' }] })).items;
    expect(stored.map((c) => c.name)).toEqual(names);
    // A create applied twice would be a second record; an update applied twice, a fifth version.
    expect(stored.every((c) => c.version === 4 && c.notes === 'round 3')).toBe(true);
    expect(new Set(ids).size).toBe(250);
  }, 60_000);
});

describe('backoff, timeouts and cancellation', () => {
  it('waits as long as Retry-After says before retrying a 429', async () => {
    await fresh();
    let calls = 0;
    const at: number[] = [];
    mock.use(
      http.post(`${BASE}/customers/create`, async ({ request }) => {
        at.push(Date.now());
        if (calls++ === 0) return new HttpResponse(null, { status: 429, headers: { 'retry-after': '1' } });
        return handler(request);
      }),
      http.all(`${BASE}/*`, ({ request }) => handler(request)),
    );
    const client = await connect(BASE, 't-admin');
    const c = await client.customers.create({ name: 'Patient' });
    expect(c.version).toBe(1);
    expect(at).toHaveLength(2);
    expect((at[1] as number) - (at[0] as number)).toBeGreaterThanOrEqual(950);
    await client.close();
  });

  it('rejects with HttpError (status 0, TimeoutError cause) when every attempt times out', async () => {
    await fresh();
    mock.use(
      http.post(`${BASE}/customers/find`, async () => {
        await delay(1000);
        return HttpResponse.json({});
      }),
      http.all(`${BASE}/*`, ({ request }) => handler(request)),
    );
    const client = await connect(BASE, 't-admin', { timeoutMs: 50, retry: { retries: 1, baseMs: 1 } });
    const started = Date.now();
    const error = await client.customers.find().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'HttpError', status: 0, retryable: true, message: expect.stringContaining('timed out after 50 ms') });
    expect((error as { cause?: { name?: string } }).cause?.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(900);
    await client.close();
  });

  it('rejects with the platform’s AbortError when the caller aborts, without retrying', async () => {
    await fresh();
    let calls = 0;
    mock.use(
      http.post(`${BASE}/customers/find`, async () => {
        calls++;
        await delay(1000);
        return HttpResponse.json({});
      }),
      http.all(`${BASE}/*`, ({ request }) => handler(request)),
    );
    const client = await connect(BASE, 't-admin');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await client.customers.find({ signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(1);
    await client.close();
  });

  it('does not retry a refusal (4xx) and rebuilds it as the server’s error class', async () => {
    await fresh();
    let calls = 0;
    mock.use(
      http.all(`${BASE}/*`, ({ request }) => {
        if (request.url.endsWith('/customers/get')) calls++;
        return handler(request);
      }),
    );
    const client = await connect(BASE, 't-admin');
    const error = await client.customers.get('missing').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'NotFoundError', recordId: 'missing', collection: 'customers' });
    expect(calls).toBe(1);
    await client.close();
  });
});
