/**
 * Requests per second of the rapport HTTP handler on node:http, beside a bare node:http
 * server answering the same JSON, for a get by id and a 50-record query. Load comes from
 * `wrk` (another process) over loopback. Run with `npx tsx bench/http/run.ts`
 * (needs `wrk`: `apt-get install wrk`); writes `bench/results/http.json`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { createCrm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { createHttpHandler } from '../../adapters/http/server';
import { serveNode } from '../../adapters/http/node';

const DURATION = process.env['BENCH_DURATION'] ?? '5s';
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const TOKEN = 'bench-token';

const crm = await createCrm({ storage: memoryAdapter() });
await crm.customers.createMany(Array.from({ length: 1000 }, (_, i) => ({ name: `Customer ${String(i).padStart(4, '0')}`, tags: i % 2 ? ['vip'] : [], emails: [{ address: `c${i}@example.com` }] })));
const sample = (await crm.customers.find({ limit: 1 })).items[0]!;
const handler = createHttpHandler({ crm, authenticate: (r) => (r.headers.get('authorization') === `Bearer ${TOKEN}` ? { id: 'u-bench', roles: ['admin'] } : null) });
const rapport = await serveNode(handler, { host: '127.0.0.1', port: 0 });

const admin = crm.as({ id: 'u-bench', roles: ['admin'] });
const cases = [
  { name: 'get by id', path: `/v1/customers/${sample.id}`, run: () => admin.customers.get(sample.id) },
  { name: 'query, 50 records', path: '/v1/customers?orderBy=name&limit=50', run: () => admin.customers.find({ orderBy: [{ field: 'name', direction: 'asc' }], limit: 50 }) },
];

// The bare server answers the very bytes the handler answers, precomputed.
const bodies = new Map<string, string>();
for (const c of cases) bodies.set(c.path, await (await fetch(`${rapport.url}${c.path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).text());
const bare = createServer((req, res) => {
  const body = bodies.get(req.url ?? '') ?? '{}';
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
// A bare server doing the same engine call per request: what HTTP plumbing alone costs.
const bareEngine = createServer((req, res) => {
  const c = cases.find((x) => x.path === req.url);
  void (c ? c.run() : Promise.resolve({})).then((result) => {
    const body = JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
await new Promise<void>((r) => bareEngine.listen(0, '127.0.0.1', r));
const bareEngineUrl = `http://127.0.0.1:${(bareEngine.address() as AddressInfo).port}`;

// Asynchronous: the servers under load live in this process, so its event loop must stay free.
async function wrk(url: string): Promise<number> {
  const { stdout: out } = await promisify(execFile)('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${DURATION}`, '-H', `authorization: Bearer ${TOKEN}`, url], { encoding: 'utf8' });
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!m) throw new Error(`could not read wrk's output:\n${out}`);
  return Number(m[1]);
}

const rows: { case: string; rapport: number; bareEngine: number; bareStatic: number; ratioToEngine: number; ratioToStatic: number; bytes: number }[] = [];
for (const c of cases) {
  await wrk(`${rapport.url}${c.path}`); // warm-up (JIT, caches), discarded
  const r = await wrk(`${rapport.url}${c.path}`);
  const e = await wrk(`${bareEngineUrl}${c.path}`);
  const b = await wrk(`${bareUrl}${c.path}`);
  rows.push({ case: c.name, rapport: Math.round(r), bareEngine: Math.round(e), bareStatic: Math.round(b), ratioToEngine: Number((r / e).toFixed(2)), ratioToStatic: Number((r / b).toFixed(2)), bytes: Buffer.byteLength(bodies.get(c.path) ?? '') });
}

console.log(`rapport/http/server vs bare node:http — wrk -t2 -c${CONNECTIONS} -d${DURATION}, loopback, Node ${process.version}, ${cpus().length} CPUs`);
console.log('bare+engine: plain node:http calling the same engine verb and JSON.stringify per request; bare static: the same bytes, precomputed');
console.log('| case | rapport req/s | bare+engine req/s | bare static req/s | ratio to bare+engine | ratio to bare static | body bytes |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.case} | ${r.rapport} | ${r.bareEngine} | ${r.bareStatic} | ${r.ratioToEngine} | ${r.ratioToStatic} | ${r.bytes} |`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/http.json', `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, tool: `wrk -t2 -c${CONNECTIONS} -d${DURATION}`, rows }, null, 2)}\n`);
await rapport.close();
bare.close();
bareEngine.close();
await crm.close();
