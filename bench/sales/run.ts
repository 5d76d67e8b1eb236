// The sales reports over 100,000 deals on the memory adapter. Not a test: it prints a table
// and writes bench/results/sales.json. Goal: every report under 200 ms (median wall time).
//
//   npx tsx bench/sales/run.ts            (DEALS=20000 npx tsx bench/sales/run.ts for a quick run)
//
// RUNS=9 takes more samples; ONLY=forecast,stageFunnel runs the reports whose names contain
// one of those words. Besides wall time it records the process's CPU time per call: on a
// machine shared with other work, wall time includes waiting for a core, CPU time does not.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCrm } from '../../src/index';
import type { Crm, DealInput } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';

const DEALS = Number(process.env['DEALS'] ?? 100_000);
const RUNS = Number(process.env['RUNS'] ?? 5);
const ONLY = process.env['ONLY']?.split(',').filter((w) => w.length > 0);
const GOAL_MS = 200;
const START = Date.parse('2024-01-01T00:00:00Z');
const DAY = 86_400_000;

/** A small deterministic PRNG (mulberry32), so every run sees the same book. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function seed(crm: Crm<Record<never, never>>): Promise<string> {
  const pipeline = await crm.pipelines.create({
    name: 'Bench',
    stages: [
      { id: 'lead', name: 'Lead', probability: 0.1, category: 'open' },
      { id: 'qualified', name: 'Qualified', probability: 0.3, category: 'open' },
      { id: 'proposal', name: 'Proposal', probability: 0.6, category: 'open', forecastCategory: 'bestCase' },
      { id: 'negotiation', name: 'Negotiation', probability: 0.8, category: 'open', forecastCategory: 'commit' },
      { id: 'won', name: 'Won', probability: 1, category: 'won' },
      { id: 'lost', name: 'Lost', probability: 0, category: 'lost' },
    ],
  });
  const random = rng(42);
  const stages = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'won', 'lost', 'lost'];
  const batch: DealInput<Record<string, never>>[] = [];
  for (let i = 0; i < DEALS; i++) {
    const owner = Math.floor(random() * 50);
    const stageId = stages[Math.floor(random() * stages.length)] as string;
    const opened = START + Math.floor(random() * 300) * DAY;
    const input: DealInput<Record<string, never>> = {
      title: `Deal ${i}`,
      pipelineId: pipeline.id,
      stageId,
      ownerId: `u-${owner}`,
      teamId: `team-${owner % 5}`,
      value: { amount: 1000 + Math.floor(random() * 5_000_000), currency: random() < 0.8 ? 'USD' : 'EUR' },
      openedAt: new Date(opened).toISOString(),
      source: random() < 0.5 ? 'web' : 'referral',
    };
    if (stageId === 'won' || stageId === 'lost') input.closedAt = new Date(opened + Math.floor(1 + random() * 60) * DAY).toISOString();
    else input.expectedCloseAt = new Date(opened + Math.floor(30 + random() * 120) * DAY).toISOString();
    batch.push(input);
    if (batch.length === 1000) await crm.deals.createMany(batch.splice(0));
  }
  if (batch.length) await crm.deals.createMany(batch.splice(0));
  return pipeline.id;
}

async function main(): Promise<void> {
  const crm = await createCrm({ storage: memoryAdapter(), clock: () => Date.parse('2025-01-15T00:00:00Z') });
  const t0 = performance.now();
  const pipelineId = await seed(crm);
  const seedMs = performance.now() - t0;
  const targets = Array.from({ length: 50 }, (_, i) => ({ ownerId: `u-${i}`, period: '2024-Q2', target: { amount: 50_000_000, currency: 'USD' } }));
  const cases: [string, () => Promise<unknown>][] = [
    ['pipelineSummary', () => crm.reports.pipelineSummary({ pipelineId })],
    ['forecast (12 months)', () => crm.reports.forecast({ period: '2024', unit: 'month' })],
    ['forecast (4 quarters, by owner)', () => crm.reports.forecast({ period: '2024', unit: 'quarter', by: 'owner' })],
    ['winRate (by owner)', () => crm.reports.winRate({ by: 'owner' })],
    ['salesCycle', () => crm.reports.salesCycle()],
    ['stageFunnel', () => crm.reports.stageFunnel({ pipelineId })],
    ['leaderboard', () => crm.reports.leaderboard({ limit: 10 })],
    ['quotaAttainment (50 targets)', () => crm.reports.quotaAttainment({ targets })],
  ];
  const results: { report: string; medianMs: number; minMs: number; maxMs: number; cpuMedianMs: number; underGoal: boolean }[] = [];
  for (const [name, run] of cases) {
    if (ONLY !== undefined && !ONLY.some((w) => name.includes(w))) continue;
    await run();
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const medianMs = times[Math.floor(times.length / 2)] as number;
    results.push({
      report: name,
      medianMs: round(medianMs),
      minMs: round(times[0] as number),
      maxMs: round(times[times.length - 1] as number),
      cpuMedianMs: round(cpu[Math.floor(cpu.length / 2)] as number),
      underGoal: medianMs < GOAL_MS,
    });
  }
  console.log(`sales reports over ${DEALS.toLocaleString('en-US')} deals, memory adapter (seeded through the API in ${(seedMs / 1000).toFixed(1)} s), ${RUNS} runs each after a warm-up; goal: median < ${GOAL_MS} ms`);
  console.table(results);
  const missed = results.filter((r) => !r.underGoal).map((r) => r.report);
  console.log(missed.length === 0 ? `every report under ${GOAL_MS} ms` : `over ${GOAL_MS} ms: ${missed.join(', ')}`);
  const out = resolve(dirname(fileURLToPath(import.meta.url)), '../results/sales.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ deals: DEALS, adapter: 'memory', runs: RUNS, goalMs: GOAL_MS, node: process.version, cpus: availableParallelism(), loadAverage: loadavg().map(round), at: new Date().toISOString(), seedMs: round(seedMs), results }, null, 2)}\n`);
  console.log(`wrote ${out}`);
  await crm.close();
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

await main();
