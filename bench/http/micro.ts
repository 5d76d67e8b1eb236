/**
 * In-process cost of one get by id through the rapport HTTP handler, without sockets: the
 * engine alone, the Fetch handler (`Request` in, `Response` out), and the dispatch behind it
 * fed a plain request object (what `rapport/http/node` does for bodiless requests), with the
 * Fetch objects' own costs beside. Best of 7 runs of `BENCH_N` calls each.
 * Run with `npx tsx bench/http/micro.ts`.
 */
import { createCrm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { createHttpHandler } from '../../adapters/http/server';
import { dispatchOf } from '../../adapters/http/server/request';
import type { IncomingRequest } from '../../adapters/http/server/request';

const N = Number(process.env['BENCH_N'] ?? 5000);
const TOKEN = 'bench-token';
const crm = await createCrm({ storage: memoryAdapter() });
await crm.customers.createMany(Array.from({ length: 1000 }, (_, i) => ({ name: `Customer ${i}`, emails: [{ address: `c${i}@example.com` }] })));
const sample = (await crm.customers.find({ limit: 1 })).items[0]!;
const handler = createHttpHandler({ crm, authenticate: (r) => (r.headers.get('authorization') === `Bearer ${TOKEN}` ? { id: 'u-bench', roles: ['admin'] } : null) });
const dispatch = dispatchOf(handler)!;
const admin = crm.as({ id: 'u-bench', roles: ['admin'] });
const url = `http://127.0.0.1/v1/customers/${sample.id}`;
// What wrk sends.
const raw: Record<string, string> = { host: '127.0.0.1', authorization: `Bearer ${TOKEN}` };
const signal = new AbortController().signal;

function plain(): IncomingRequest {
  return { method: 'GET', url, signal, body: null, headers: { get: (n) => raw[n.toLowerCase()] ?? null, has: (n) => raw[n.toLowerCase()] !== undefined } };
}

async function time(name: string, f: () => unknown): Promise<void> {
  for (let i = 0; i < N; i++) await f();
  let best = Infinity;
  for (let rep = 0; rep < 7; rep++) {
    const t = performance.now();
    for (let i = 0; i < N; i++) await f();
    best = Math.min(best, ((performance.now() - t) * 1000) / N);
  }
  console.log(`${name.padEnd(44)} ${best.toFixed(1).padStart(6)} µs`);
}

await time('engine get + JSON.stringify', async () => JSON.stringify(await admin.customers.get(sample.id)));
await time('new Headers + new Request', () => new Request(url, { method: 'GET', headers: new Headers(raw) }));
await time('new Response(text, headers)', () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', etag: '"1"' } }));
await time('Fetch handler: Request → Response → text', async () => (await handler(new Request(url, { method: 'GET', headers: new Headers(raw) }))).text());
await time('dispatch: plain request → reply', async () => {
  const r = plain();
  return dispatch(r, r as unknown as Request);
});
await crm.close();
