/**
 * `crm.reports.campaignPerformance`: which campaign pays. Per campaign: customers acquired
 * (attributed through `source.campaignId`), deals won (attributed through `campaignId`), the
 * revenue of those deals, cost per acquisition and ROI, ranked by ROI.
 *
 * @module
 */
import type { Campaign } from '../../entities/campaigns';
import type { OpContext } from '../../engine/guard';
import type { Money } from '../../engine/types';
import type { Filter } from '../../query/types';
import { MoneyBag, amountIn } from '../table';
import type { MoneyList, ReportTable } from '../table';
import { aggregate, and, isHidden, rangeConditions, rangeOf, scan, scopedWhere } from './common';
import type { MarketingRange } from './common';

/**
 * Why a campaign has no ROI.
 *
 * @example
 * ```ts
 * if (row.roi === null && row.roiReason === 'currency_mismatch') showBoth(row.cost, row.revenue);
 * ```
 */
export type RoiReason = 'no_cost' | 'currency_mismatch' | 'redacted';

/**
 * Options of `campaignPerformance`. The range applies to customers' `createdAt` and deals' `closedAt`.
 *
 * @example
 * ```ts
 * const o: CampaignPerformanceOptions = { period: '2024-Q2', where: { field: 'channel', op: 'eq', value: 'email' } };
 * ```
 */
export interface CampaignPerformanceOptions extends MarketingRange {
  /** Only campaigns matching this filter (the query language of `find`). */
  where?: Filter | undefined;
}

/**
 * One campaign's figures.
 *
 * @example
 * ```ts
 * const best: CampaignPerformanceRow | undefined = (await crm.reports.campaignPerformance()).rows[0];
 * ```
 */
export interface CampaignPerformanceRow {
  /** The campaign. */
  campaignId: string;
  /** Its name. */
  name: string;
  /** Its channel. */
  channel: string | null;
  /** Its status. */
  status: string;
  /** Its cost (`null` when none is recorded, or the caller may not read it). */
  cost: Money | null;
  /** Customers attributed to it (any lifecycle), created in the range. */
  customersAcquired: number;
  /** Deals attributed to it, won in the range. */
  dealsWon: number;
  /** The value of those deals, per currency. */
  revenue: MoneyList;
  /** `cost ÷ customersAcquired`, rounded to a minor unit; `null` with no cost or no customers. */
  costPerAcquisition: Money | null;
  /** `(revenue − cost) ÷ cost` in the cost's currency; `null` with a `roiReason`. */
  roi: number | null;
  /**
   * Why `roi` is `null`: `no_cost` (none recorded, or zero), `currency_mismatch` (revenue in a
   * currency other than the cost's: never converted, never added up), `redacted` (the caller
   * may not read costs or deal values).
   */
  roiReason?: RoiReason;
}

/**
 * Totals over every campaign in the report.
 *
 * @example
 * ```ts
 * const { totals } = await crm.reports.campaignPerformance({ period: '2024' }); totals.roi; // [{ currency: 'EUR', roi: 0.5 }]
 * ```
 */
export interface CampaignPerformanceTotals {
  /** Campaigns in the report. */
  campaigns: number;
  /** Customers acquired by them. */
  customersAcquired: number;
  /** Deals they won. */
  dealsWon: number;
  /** Their cost, per currency. */
  cost: MoneyList;
  /** Their revenue, per currency. */
  revenue: MoneyList;
  /** Per cost currency: (revenue in it − cost in it) ÷ cost in it. */
  roi: {
    /** The cost currency (ISO 4217 code). */
    currency: string;
    /** `(revenue − cost) ÷ cost` in that currency; `null` when the cost is zero or deal values are redacted. */
    roi: number | null;
  }[];
}

/**
 * The table `campaignPerformance` returns.
 *
 * @example
 * ```ts
 * const table: CampaignPerformance = await crm.reports.campaignPerformance();
 * ```
 */
export type CampaignPerformance = ReportTable<CampaignPerformanceRow, CampaignPerformanceTotals>;

/** `amount ÷ n` to a whole minor unit, halves away from zero. */
function divide(amount: number, n: number): number {
  const q = amount / n;
  return Math.sign(q) * Math.round(Math.abs(q));
}

function compareRows(a: CampaignPerformanceRow, b: CampaignPerformanceRow): number {
  if (a.roi !== b.roi) {
    if (a.roi === null) return 1;
    if (b.roi === null) return -1;
    return b.roi - a.roi;
  }
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0;
}

/**
 * Campaign performance, ranked by ROI (highest first; campaigns without one last, by name).
 * A campaign's whole cost is set against what it brought in the range (costs are not
 * prorated). Built on `aggregate`, within what the caller may read.
 *
 * @example
 * ```ts
 * const { rows } = await crm.reports.campaignPerformance({ period: '2024' });
 * // rows[0]: { name: 'Spring newsletter', cost: { amount: 100000, currency: 'EUR' }, revenue: [{ amount: 400000, currency: 'EUR' }], roi: 3, … }
 * ```
 */
export async function campaignPerformance(ctx: OpContext, options: CampaignPerformanceOptions = {}): Promise<CampaignPerformance> {
  const range = rangeOf(ctx, options);
  const campaignsWhere = await scopedWhere(ctx, 'campaigns', options.where ? [options.where] : []);
  const campaigns: Campaign[] = [];
  if (campaignsWhere !== false) await scan(ctx, 'campaigns', campaignsWhere, (r) => campaigns.push(r as unknown as Campaign), options.signal);
  const costHidden = isHidden(ctx, 'campaigns', 'cost');
  const redacted: string[] = costHidden ? ['campaigns.cost'] : [];

  const acquired = new Map<string, number>();
  if (ctx.engine.entities.has('customers')) {
    const where = await scopedWhere(ctx, 'customers', rangeConditions('createdAt', range));
    if (where !== false) {
      const rows = await aggregate(ctx, 'customers', { where: and(where, { field: '_campaignId', op: 'exists', value: true }), groupBy: ['_campaignId'], metrics: [{ name: 'n', op: 'count' }] }, options.signal);
      for (const r of rows) acquired.set(String(r.group['_campaignId']), r.values['n'] ?? 0);
    }
  }
  const won = new Map<string, number>();
  const revenue = new Map<string, MoneyBag>();
  const valueHidden = ctx.engine.entities.has('deals') && isHidden(ctx, 'deals', 'value');
  if (valueHidden) redacted.push('deals.value');
  if (ctx.engine.entities.has('deals')) {
    const where = await scopedWhere(ctx, 'deals', [{ field: 'status', op: 'eq', value: 'won' }, ...rangeConditions('closedAt', range)]);
    if (where !== false) {
      const rows = await aggregate(
        ctx,
        'deals',
        { where: and(where, { field: 'campaignId', op: 'exists', value: true }), groupBy: ['campaignId', '_currency'], metrics: [{ name: 'n', op: 'count' }, { name: 'amount', op: 'sum', field: '_amount' }] },
        options.signal,
      );
      for (const r of rows) {
        const id = String(r.group['campaignId']);
        won.set(id, (won.get(id) ?? 0) + (r.values['n'] ?? 0));
        let bag = revenue.get(id);
        if (!bag) revenue.set(id, (bag = new MoneyBag()));
        if (!valueHidden) bag.add(r.group['_currency'] as string | undefined, r.values['amount']);
      }
    }
  }

  const totalCost = new MoneyBag();
  const totalRevenue = new MoneyBag();
  const rows: CampaignPerformanceRow[] = campaigns.map((c) => {
    const cost = costHidden ? null : (c.cost ?? null);
    const customersAcquired = acquired.get(c.id) ?? 0;
    const rev = revenue.get(c.id)?.list() ?? [];
    const row: CampaignPerformanceRow = {
      campaignId: c.id,
      name: c.name,
      channel: c.channel ?? null,
      status: c.status,
      cost,
      customersAcquired,
      dealsWon: won.get(c.id) ?? 0,
      revenue: rev,
      costPerAcquisition: cost && customersAcquired > 0 ? { amount: divide(cost.amount, customersAcquired), currency: cost.currency } : null,
      roi: null,
    };
    if (costHidden || valueHidden) row.roiReason = 'redacted';
    else if (!cost || cost.amount === 0) row.roiReason = 'no_cost';
    else if (rev.some((m) => m.currency !== cost.currency)) row.roiReason = 'currency_mismatch';
    else row.roi = (amountIn(rev, cost.currency) - cost.amount) / cost.amount;
    if (cost) totalCost.add(cost.currency, cost.amount);
    totalRevenue.addAll(rev);
    return row;
  });
  rows.sort(compareRows);
  const costs = totalCost.list();
  return {
    report: 'campaignPerformance',
    columns: [
      { key: 'name', label: 'Campaign', kind: 'text' },
      { key: 'channel', label: 'Channel', kind: 'text' },
      { key: 'cost', label: 'Cost', kind: 'money' },
      { key: 'customersAcquired', label: 'Customers acquired', kind: 'count' },
      { key: 'dealsWon', label: 'Deals won', kind: 'count' },
      { key: 'revenue', label: 'Revenue', kind: 'money' },
      { key: 'costPerAcquisition', label: 'Cost per acquisition', kind: 'money' },
      { key: 'roi', label: 'ROI', kind: 'number' },
    ],
    rows,
    totals: {
      campaigns: rows.length,
      customersAcquired: rows.reduce((n, r) => n + r.customersAcquired, 0),
      dealsWon: rows.reduce((n, r) => n + r.dealsWon, 0),
      cost: costs,
      revenue: totalRevenue.list(),
      roi: costs.map((c) => ({ currency: c.currency, roi: c.amount === 0 || valueHidden ? null : (totalRevenue.get(c.currency) - c.amount) / c.amount })),
    },
    timeZone: ctx.engine.timeZone,
    generatedAt: ctx.engine.now(),
    redacted,
  };
}
