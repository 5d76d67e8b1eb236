// Real data: the Maven Analytics "CRM + Sales Opportunities" sample, imported through the
// public API, and the sales reports checked against figures computed here from the raw
// CSV with no rapport code. Found through RAPPORT_DATA (default ../shared/data); skipped
// with a message when absent, except in CI, where it must run.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCrm } from '../../src/index';
import type { Crm } from '../../src/index';

type DealInput = Parameters<Crm['deals']['create']>[0];

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = resolve(root, process.env['RAPPORT_DATA'] ?? '../shared/data', 'maven-crm-sales');
const present = existsSync(resolve(dir, 'sales_pipeline.csv'));
const inCi = process.env['CI'] === 'true';

if (!present && !inCi) console.warn(`maven real-data test skipped: no ${dir} (set RAPPORT_DATA to the shared data folder)`);

/** The test's own CSV reader: the files have no quoted fields (checked below), CRLF line ends. */
function csv(name: string): Record<string, string>[] {
  const text = readFileSync(resolve(dir, name), 'utf8');
  if (text.includes('"')) throw new Error(`${name} has quoted fields; this reader does not handle them`);
  const [head, ...lines] = text.split(/\r?\n/).filter((l) => l.length > 0);
  const keys = (head as string).split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    if (cells.length !== keys.length) throw new Error(`${name}: a line with ${cells.length} cells, expected ${keys.length}`);
    return Object.fromEntries(keys.map((k, i) => [k, cells[i] as string]));
  });
}

const DAY = 86_400_000;
const slug = (name: string) => `agent-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
const quarterOf = (date: string) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

describe.runIf(present || inCi)('maven-crm-sales: import and reports against the raw CSV', () => {
  let crm: Crm;
  let pipelineId: string;
  let raw: { pipeline: Record<string, string>[]; teams: Record<string, string>[]; accounts: Record<string, string>[] };
  const officeOf = new Map<string, string>();

  beforeAll(async () => {
    if (!present) throw new Error(`CI=true but the real data is missing: no ${dir}. Set RAPPORT_DATA to the folder holding maven-crm-sales/.`);
    raw = { pipeline: csv('sales_pipeline.csv'), teams: csv('sales_teams.csv'), accounts: csv('accounts.csv') };
    for (const t of raw.teams) officeOf.set(t['sales_agent'] as string, t['regional_office'] as string);
    crm = await createCrm({ clock: () => Date.parse('2018-01-01T00:00:00Z'), timeZone: 'UTC', customFields: { deals: { product: { type: 'text' } } } });
    const pipeline = await crm.pipelines.create({
      name: 'Maven',
      stages: [
        { id: 'prospecting', name: 'Prospecting', probability: 0.1, category: 'open' },
        { id: 'engaging', name: 'Engaging', probability: 0.5, category: 'open' },
        { id: 'won', name: 'Won', probability: 1, category: 'won' },
        { id: 'lost', name: 'Lost', probability: 0, category: 'lost' },
      ],
    });
    pipelineId = pipeline.id;
    const accounts = await crm.customers.createMany(
      raw.accounts.map((a) => ({ name: a['account'] as string, kind: 'organization' as const, externalId: `account:${a['account']}`, tags: [(a['sector'] as string) === 'technolgy' ? 'technology' : (a['sector'] as string)] })),
    );
    const accountId = new Map(accounts.map((c) => [c.name, c.id]));
    const inputs: DealInput[] = raw.pipeline.map((o) => {
      const agent = o['sales_agent'] as string;
      const stage = (o['deal_stage'] as string).toLowerCase();
      const input: DealInput = {
        title: `${o['product']} — ${o['account'] || 'unknown account'}`,
        externalId: o['opportunity_id'] as string,
        pipelineId,
        stageId: stage,
        ownerId: slug(agent),
        teamId: officeOf.get(agent) ?? 'unassigned',
        custom: { product: (o['product'] as string) === 'GTXPro' ? 'GTX Pro' : (o['product'] as string) } as never,
      };
      const account = accountId.get(o['account'] as string);
      if (account) input.customerId = account;
      if (o['engage_date']) input.openedAt = `${o['engage_date']}T00:00:00Z`;
      if (o['close_date']) input.closedAt = `${o['close_date']}T00:00:00Z`;
      if (o['close_value'] !== '') input.value = { amount: Number(o['close_value']) * 100, currency: 'USD' };
      return input;
    });
    for (let i = 0; i < inputs.length; i += 1000) await crm.deals.createMany(inputs.slice(i, i + 1000));
  }, 120_000);

  it('imports every opportunity, coping with the quirks', async () => {
    expect(await crm.deals.count()).toBe(raw.pipeline.length);
    expect(await crm.deals.count({ field: 'customerId', op: 'exists', value: false })).toBe(raw.pipeline.filter((o) => o['account'] === '').length);
    expect(await crm.deals.count({ field: 'custom.product', op: 'eq', value: 'GTXPro' })).toBe(0);
    expect(await crm.deals.count({ field: 'custom.product', op: 'eq', value: 'GTX Pro' })).toBe(raw.pipeline.filter((o) => o['product'] === 'GTXPro').length);
  });

  it('pipeline summary: counts per stage', async () => {
    const r = await crm.reports.pipelineSummary({ pipelineId });
    const expected: Record<string, number> = {};
    for (const o of raw.pipeline) expected[(o['deal_stage'] as string).toLowerCase()] = (expected[(o['deal_stage'] as string).toLowerCase()] ?? 0) + 1;
    expect(Object.fromEntries(r.rows.map((row) => [row.stageId, row.count]))).toEqual(expected);
    const wonCents = raw.pipeline.filter((o) => o['deal_stage'] === 'Won').reduce((n, o) => n + Number(o['close_value']) * 100, 0);
    expect(r.rows.find((row) => row.stageId === 'won')?.value).toEqual([{ amount: wonCents, currency: 'USD' }]);
    console.log('maven pipeline summary:', r.rows.map((row) => `${row.stageName} ${row.count}`).join(', '));
  });

  function rates(rows: Record<string, string>[], keyOf: (o: Record<string, string>) => string) {
    const out = new Map<string, { won: number; lost: number; wonValue: number; lostValue: number }>();
    for (const o of rows) {
      if (o['deal_stage'] !== 'Won' && o['deal_stage'] !== 'Lost') continue;
      const k = keyOf(o);
      const acc = out.get(k) ?? { won: 0, lost: 0, wonValue: 0, lostValue: 0 };
      if (o['deal_stage'] === 'Won') {
        acc.won++;
        acc.wonValue += Number(o['close_value']) * 100;
      } else {
        acc.lost++;
        acc.lostValue += Number(o['close_value']) * 100;
      }
      out.set(k, acc);
    }
    return out;
  }

  it('win rate: overall, per agent and per regional office, by count and by value', async () => {
    const overall = rates(raw.pipeline, () => 'all').get('all')!;
    const r = await crm.reports.winRate();
    expect(r.totals).toMatchObject({ won: overall.won, lost: overall.lost, rate: overall.won / (overall.won + overall.lost) });
    expect(r.totals.valueRate).toEqual([{ currency: 'USD', rate: overall.wonValue / (overall.wonValue + overall.lostValue) }]);
    console.log(`maven win rate: ${overall.won} won / ${overall.won + overall.lost} closed = ${(overall.won / (overall.won + overall.lost)).toFixed(4)}; by value ${(overall.wonValue / (overall.wonValue + overall.lostValue)).toFixed(4)} (lost deals carry close_value 0)`);

    const byAgent = rates(raw.pipeline, (o) => slug(o['sales_agent'] as string));
    const agents = await crm.reports.winRate({ by: 'owner' });
    expect(agents.rows).toHaveLength(byAgent.size);
    for (const row of agents.rows) {
      const e = byAgent.get(row.key as string)!;
      expect([row.won, row.lost, row.rate]).toEqual([e.won, e.lost, e.won / (e.won + e.lost)]);
      expect(row.wonValue).toEqual([{ amount: e.wonValue, currency: 'USD' }]);
    }

    const byOffice = rates(raw.pipeline, (o) => officeOf.get(o['sales_agent'] as string) as string);
    const offices = await crm.reports.winRate({ by: 'team' });
    expect(offices.rows.map((row) => [row.key, row.won, row.lost, row.rate])).toEqual(
      [...byOffice].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, e]) => [k, e.won, e.lost, e.won / (e.won + e.lost)]),
    );
    console.log('maven win rate per office:', offices.rows.map((row) => `${row.key} ${(row.rate as number).toFixed(4)}`).join(', '));
  });

  it('sales cycle: mean and median days for won deals', async () => {
    const days = raw.pipeline.filter((o) => o['deal_stage'] === 'Won').map((o) => (Date.parse(o['close_date'] as string) - Date.parse(o['engage_date'] as string)) / DAY);
    const mean = days.reduce((a, b) => a + b, 0) / days.length;
    const r = await crm.reports.salesCycle();
    expect(r.totals.won.count).toBe(days.length);
    expect(r.totals.won.meanDays).toBeCloseTo(mean, 9);
    expect(r.totals.won.medianDays).toBe(median(days));
    console.log(`maven sales cycle (won): mean ${mean.toFixed(2)} days, median ${median(days)} days over ${days.length} deals`);
  });

  it('won value per calendar quarter (UTC)', async () => {
    const expected = new Map<string, { n: number; cents: number }>();
    for (const o of raw.pipeline) {
      if (o['deal_stage'] !== 'Won') continue;
      const q = quarterOf(o['close_date'] as string);
      const e = expected.get(q) ?? { n: 0, cents: 0 };
      e.n++;
      e.cents += Number(o['close_value']) * 100;
      expected.set(q, e);
    }
    const r = await crm.reports.forecast({ period: '2017', unit: 'quarter' });
    expect(r.rows.map((row) => [row.period, row.wonCount, row.won])).toEqual(
      ['2017-Q1', '2017-Q2', '2017-Q3', '2017-Q4'].map((q) => [q, expected.get(q)?.n ?? 0, expected.has(q) ? [{ amount: expected.get(q)!.cents, currency: 'USD' }] : []]),
    );
    console.log('maven won per quarter:', r.rows.map((row) => `${row.period} $${((row.won[0]?.amount ?? 0) / 100).toLocaleString('en-US')}`).join(', '));
  });

  it('leaderboard: top agents by won value', async () => {
    const won = new Map<string, { cents: number; n: number }>();
    for (const o of raw.pipeline) {
      if (o['deal_stage'] !== 'Won') continue;
      const k = slug(o['sales_agent'] as string);
      const e = won.get(k) ?? { cents: 0, n: 0 };
      e.cents += Number(o['close_value']) * 100;
      e.n++;
      won.set(k, e);
    }
    const top = [...won].sort(([a, x], [b, y]) => y.cents - x.cents || (a < b ? -1 : 1)).slice(0, 5);
    const r = await crm.reports.leaderboard({ limit: 5 });
    expect(r.rows.map((row) => [row.ownerId, row.rankValue?.amount, row.dealsWon])).toEqual(top.map(([k, e]) => [k, e.cents, e.n]));
    console.log('maven top agents:', r.rows.map((row) => `${row.rank}. ${row.ownerId} $${((row.rankValue?.amount ?? 0) / 100).toLocaleString('en-US')}`).join('; '));
  });
});
