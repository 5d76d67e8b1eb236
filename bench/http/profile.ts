/**
 * Where a request's time goes in the rapport HTTP handler on node:http: serves the handler
 * (or, with `BENCH_SERVER=bare`, a bare node:http server calling the engine) for
 * `BENCH_SECONDS` (5) while `wrk` loads a get by id (or `BENCH_PATH`), so it can run under
 * the profiler: `node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/http/profile.ts`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCrm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { createHttpHandler } from '../../adapters/http/server';
import { serveNode } from '../../adapters/http/node';

const TOKEN = 'bench-token';
const SECONDS = process.env['BENCH_SECONDS'] ?? '5';
const PATH = process.env['BENCH_PATH'];

const crm = await createCrm({ storage: memoryAdapter() });
await crm.customers.createMany(Array.from({ length: 1000 }, (_, i) => ({ name: `Customer ${String(i).padStart(4, '0')}`, tags: i % 2 ? ['vip'] : [], emails: [{ address: `c${i}@example.com` }] })));
const sample = (await crm.customers.find({ limit: 1 })).items[0]!;
const handler = createHttpHandler({ crm, authenticate: (r) => (r.headers.get('authorization') === `Bearer ${TOKEN}` ? { id: 'u-bench', roles: ['admin'] } : null) });
// BENCH_SERVER=bare serves the bench's bare node:http + engine server instead, for comparison.
const admin = crm.as({ id: 'u-bench', roles: ['admin'] });
const bare = createServer((req, res) => {
  void admin.customers.get(sample.id).then((result) => {
    const body = JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
const server =
  process.env['BENCH_SERVER'] === 'bare'
    ? await new Promise<{ url: string; close: () => Promise<void> }>((resolve) =>
        bare.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(bare.address() as AddressInfo).port}`, close: () => new Promise((done) => bare.close(() => done())) })),
      )
    : await serveNode(handler, { host: '127.0.0.1', port: 0 });
const url = `${server.url}${PATH ?? `/v1/customers/${sample.id}`}`;
const { stdout } = await promisify(execFile)('wrk', ['-t2', '-c32', `-d${SECONDS}s`, '-H', `authorization: Bearer ${TOKEN}`, url], { encoding: 'utf8' });
console.log(/Requests\/sec:.*/.exec(stdout)?.[0]);
await server.close();
await crm.close();
