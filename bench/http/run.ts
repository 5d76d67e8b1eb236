/**
 * Requests per second of the rapport HTTP handler on node:http, beside a bare node:http
 * server answering the same JSON, for a get by id and a 50-record query. Load comes from
 * `wrk` (another process) over loopback; each server is measured in turn for `BENCH_ROUNDS`
 * rounds and the medians reported. Run with `npx tsx bench/http/run.ts` (needs `wrk`:
 * `apt-get install wrk`); writes `bench/results/http.json`. `BENCH_DURATION` (5s),
 * `BENCH_ROUNDS` (3), `BENCH_WARMUP` (2s) and `BENCH_CONNECTIONS` (32) tune it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { createCrm } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { createHttpHandler } from '../../adapters/http/server';
import { serveNode } from '../../adapters/http/node';

const DURATION = process.env['BENCH_DURATION'] ?? '5s';
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const WARMUP = process.env['BENCH_WARMUP'] ?? '2s';
/** The goal: at least half the bare server's throughput. */
const GOAL = 0.5;
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

// The same handler reached through Fetch `Request`/`Response` objects, as on any Fetch-API host
// (and as rapport/http/node serves handlers it did not make): what the node path saves.
const viaFetch = await serveNode((request) => handler(request), { host: '127.0.0.1', port: 0 });

/** One wrk run: requests per second, and this process's CPU time per request (the servers live here). */
interface Measure {
  rps: number;
  cpuUs: number;
}

// Asynchronous: the servers under load live in this process, so its event loop must stay free.
async function wrk(url: string, duration = DURATION): Promise<Measure> {
  const before = process.cpuUsage();
  const { stdout: out } = await promisify(execFile)('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${duration}`, '-H', `authorization: Bearer ${TOKEN}`, url], { encoding: 'utf8' });
  const cpu = process.cpuUsage(before);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const total = /(\d+) requests in/.exec(out);
  if (!rps || !total) throw new Error(`could not read wrk's output:\n${out}`);
  return { rps: Number(rps[1]), cpuUs: (cpu.user + cpu.system) / Number(total[1]) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const round2 = (x: number): number => Number(x.toFixed(2));

type Server = 'rapport' | 'rapportViaFetch' | 'bareEngine' | 'bareStatic';

interface Row {
  case: string;
  /** Median req/s over the rounds. */
  rapport: number;
  rapportViaFetch: number;
  bareEngine: number;
  bareStatic: number;
  /** Median of each round's rapport / bare+engine req/s: the figure the goal is about. */
  ratioToEngine: number;
  ratioViaFetchToEngine: number;
  ratioToStatic: number;
  /**
   * Median server CPU time per request (µs), and bare+engine's over rapport's: the
   * throughput ratio a CPU-bound server would reach, much steadier than req/s on a busy machine.
   */
  cpuUsPerRequest: Record<Server, number>;
  cpuRatioToEngine: number;
  bytes: number;
  rounds: Record<Server, Measure>[];
}

// Servers are measured in turn, round after round, so a burst of load from elsewhere on the
// machine hits one round of each rather than all of one server's runs.
const rows: Row[] = [];
for (const c of cases) {
  const targets: Record<Server, string> = { rapport: rapport.url, rapportViaFetch: viaFetch.url, bareEngine: bareEngineUrl, bareStatic: bareUrl };
  const servers = Object.keys(targets) as Server[];
  for (const server of servers) await wrk(`${targets[server]}${c.path}`, WARMUP); // JIT, caches; discarded
  const rounds: Row['rounds'] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const round: Partial<Record<Server, Measure>> = {};
    for (const server of servers) round[server] = await wrk(`${targets[server]}${c.path}`);
    rounds.push(round as Record<Server, Measure>);
  }
  const rps = (server: Server) => Math.round(median(rounds.map((r) => r[server].rps)));
  const cpu = (server: Server) => Number(median(rounds.map((r) => r[server].cpuUs)).toFixed(1));
  const cpuUsPerRequest = { rapport: cpu('rapport'), rapportViaFetch: cpu('rapportViaFetch'), bareEngine: cpu('bareEngine'), bareStatic: cpu('bareStatic') };
  rows.push({
    case: c.name,
    rapport: rps('rapport'),
    rapportViaFetch: rps('rapportViaFetch'),
    bareEngine: rps('bareEngine'),
    bareStatic: rps('bareStatic'),
    ratioToEngine: round2(median(rounds.map((r) => r.rapport.rps / r.bareEngine.rps))),
    ratioViaFetchToEngine: round2(median(rounds.map((r) => r.rapportViaFetch.rps / r.bareEngine.rps))),
    ratioToStatic: round2(median(rounds.map((r) => r.rapport.rps / r.bareStatic.rps))),
    cpuUsPerRequest,
    cpuRatioToEngine: round2(cpuUsPerRequest.bareEngine / cpuUsPerRequest.rapport),
    bytes: Buffer.byteLength(bodies.get(c.path) ?? ''),
    rounds,
  });
}

const tool = `wrk -t2 -c${CONNECTIONS} -d${DURATION}, ${ROUNDS} interleaved rounds (medians)`;
console.log(`rapport/http/server vs bare node:http — ${tool}, loopback, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('rapport: createHttpHandler on rapport/http/node; via Fetch: the same handler through Request/Response objects');
console.log('bare+engine: plain node:http calling the same engine verb and JSON.stringify per request; bare static: the same bytes, precomputed');
console.log('| case | rapport req/s | via Fetch req/s | bare+engine req/s | bare static req/s | ratio to bare+engine | via Fetch ratio | ratio to bare static | body bytes |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.case} | ${r.rapport} | ${r.rapportViaFetch} | ${r.bareEngine} | ${r.bareStatic} | ${r.ratioToEngine} | ${r.ratioViaFetchToEngine} | ${r.ratioToStatic} | ${r.bytes} |`);
console.log('');
console.log('server CPU time per request (µs), medians:');
console.log('| case | rapport | via Fetch | bare+engine | bare static | bare+engine / rapport |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.case} | ${r.cpuUsPerRequest.rapport} | ${r.cpuUsPerRequest.rapportViaFetch} | ${r.cpuUsPerRequest.bareEngine} | ${r.cpuUsPerRequest.bareStatic} | ${r.cpuRatioToEngine} |`);
console.log('');
for (const r of rows) {
  const each = r.rounds.map((x) => (x.rapport.rps / x.bareEngine.rps).toFixed(2)).join(', ');
  console.log(`${r.case}: rapport / bare node:http + engine = ${r.ratioToEngine.toFixed(2)} (goal >= ${GOAL}: ${r.ratioToEngine >= GOAL ? 'met' : 'MISSED'}; rounds ${each}; by CPU per request ${r.cpuRatioToEngine.toFixed(2)})`);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/http.json', `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadavg: loadavg(), tool, goal: GOAL, rows }, null, 2)}\n`);
await rapport.close();
await viaFetch.close();
bare.close();
bareEngine.close();
await crm.close();
