/**
 * `crm.reports.sourcePerformance`: which acquisition channel pays, by customers'
 * `source.channel` — customers acquired, how many became customers, deals won by those
 * customers and their value.
 *
 * @module
 */
import type { OpContext } from '../../engine/guard';
import { MoneyBag } from '../table';
import type { MoneyList, ReportTable } from '../table';
import { aggregate, and, isHidden, rangeConditions, rangeOf, scopedWhere } from './common';
import type { MarketingRange } from './common';

/**
 * Options of `sourcePerformance`. The range applies to customers' `createdAt` and deals' `closedAt`.
 *
 * @example
 * ```ts
 * const o: SourcePerformanceOptions = { from: '2024-01-01T00:00:00Z', to: '2024-07-01T00:00:00Z' };
 * ```
 */
export type SourcePerformanceOptions = MarketingRange;

/**
 * One channel's figures.
 *
 * @example
 * ```ts
 * const [top]: SourcePerformanceRow[] = (await crm.reports.sourcePerformance()).rows;
 * ```
 */
export interface SourcePerformanceRow {
  /** The customers' `source.channel` (`null`: none recorded, or the customer is out of the caller's sight). */
  channel: string | null;
  /** Customers from it, created in the range. */
  customersAcquired: number;
  /** Of those, how many are `customer` now (lifecycle). */
  converted: number;
  /** Deals won in the range by customers from it. */
  dealsWon: number;
  /** Their value, per currency. */
  revenue: MoneyList;
}

/**
 * Totals over every channel.
 *
 * @example
 * ```ts
 * const { totals } = await crm.reports.sourcePerformance(); totals.dealsWon;
 * ```
 */
export interface SourcePerformanceTotals {
  /** Customers acquired. */
  customersAcquired: number;
  /** Customers now `customer`. */
  converted: number;
  /** Deals won. */
  dealsWon: number;
  /** Their value, per currency. */
  revenue: MoneyList;
}

/**
 * The table `sourcePerformance` returns.
 *
 * @example
 * ```ts
 * const table: SourcePerformance = await crm.reports.sourcePerformance({ period: '2024' });
 * ```
 */
export type SourcePerformance = ReportTable<SourcePerformanceRow, SourcePerformanceTotals>;

const CHUNK = 500;

/**
 * Performance by acquisition channel, ranked by deals won, then customers acquired, then
 * channel. A won deal counts under its customer's channel (deals without a customer, or
 * whose customer the caller cannot read, under `null`).
 *
 * @example
 * ```ts
 * const { rows } = await crm.reports.sourcePerformance({ period: '2024' });
 * // [{ channel: 'referral', customersAcquired: 12, converted: 5, dealsWon: 4, revenue: [{ amount: 1200000, currency: 'EUR' }] }, …]
 * ```
 */
export async function sourcePerformance(ctx: OpContext, options: SourcePerformanceOptions = {}): Promise<SourcePerformance> {
  const range = rangeOf(ctx, options);
  const rows = new Map<string | null, { acquired: number; converted: number; won: number; revenue: MoneyBag }>();
  const row = (channel: string | null) => {
    let r = rows.get(channel);
    if (!r) rows.set(channel, (r = { acquired: 0, converted: 0, won: 0, revenue: new MoneyBag() }));
    return r;
  };
  const channelHidden = isHidden(ctx, 'customers', 'source');
  const redacted: string[] = channelHidden ? ['customers.source'] : [];
  const customersWhere = await scopedWhere(ctx, 'customers', rangeConditions('createdAt', range));
  if (customersWhere !== false) {
    const groups = await aggregate(ctx, 'customers', { where: customersWhere, groupBy: ['source.channel', 'lifecycle'], metrics: [{ name: 'n', op: 'count' }] }, options.signal);
    for (const g of groups) {
      const channel = channelHidden || typeof g.group['source.channel'] !== 'string' ? null : (g.group['source.channel'] as string);
      const r = row(channel);
      r.acquired += g.values['n'] ?? 0;
      if (g.group['lifecycle'] === 'customer') r.converted += g.values['n'] ?? 0;
    }
  }
  if (ctx.engine.entities.has('deals')) {
    const valueHidden = isHidden(ctx, 'deals', 'value');
    if (valueHidden) redacted.push('deals.value');
    const dealsWhere = await scopedWhere(ctx, 'deals', [{ field: 'status', op: 'eq', value: 'won' }, ...rangeConditions('closedAt', range)]);
    if (dealsWhere !== false) {
      const groups = await aggregate(ctx, 'deals', { where: and(dealsWhere), groupBy: ['customerId', '_currency'], metrics: [{ name: 'n', op: 'count' }, { name: 'amount', op: 'sum', field: '_amount' }] }, options.signal);
      const ids = [...new Set(groups.flatMap((g) => (typeof g.group['customerId'] === 'string' ? [g.group['customerId'] as string] : [])))];
      const channelOf = new Map<string, string | null>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const found = await ctx.session.get('customers', chunk);
        found.forEach((c, j) => {
          const readable = c !== undefined && !channelHidden && ctx.engine.policy.decide(ctx.actor, 'read', 'customers', c).allowed;
          const channel = readable ? (c['source'] as { channel?: string } | undefined)?.channel : undefined;
          channelOf.set(chunk[j] as string, channel ?? null);
        });
      }
      for (const g of groups) {
        const id = g.group['customerId'];
        const r = row(typeof id === 'string' ? (channelOf.get(id) ?? null) : null);
        r.won += g.values['n'] ?? 0;
        if (!valueHidden) r.revenue.add(g.group['_currency'] as string | undefined, g.values['amount']);
      }
    }
  }
  const out: SourcePerformanceRow[] = [...rows.entries()].map(([channel, r]) => ({ channel, customersAcquired: r.acquired, converted: r.converted, dealsWon: r.won, revenue: r.revenue.list() }));
  out.sort((a, b) => b.dealsWon - a.dealsWon || b.customersAcquired - a.customersAcquired || (a.channel === b.channel ? 0 : a.channel === null ? 1 : b.channel === null ? -1 : a.channel < b.channel ? -1 : 1));
  const revenue = new MoneyBag();
  for (const r of out) revenue.addAll(r.revenue);
  return {
    report: 'sourcePerformance',
    columns: [
      { key: 'channel', label: 'Channel', kind: 'text' },
      { key: 'customersAcquired', label: 'Customers acquired', kind: 'count' },
      { key: 'converted', label: 'Converted', kind: 'count' },
      { key: 'dealsWon', label: 'Deals won', kind: 'count' },
      { key: 'revenue', label: 'Revenue', kind: 'money' },
    ],
    rows: out,
    totals: {
      customersAcquired: out.reduce((n, r) => n + r.customersAcquired, 0),
      converted: out.reduce((n, r) => n + r.converted, 0),
      dealsWon: out.reduce((n, r) => n + r.dealsWon, 0),
      revenue: revenue.list(),
    },
    timeZone: ctx.engine.timeZone,
    generatedAt: ctx.engine.now(),
    redacted,
  };
}
