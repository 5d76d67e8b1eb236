/**
 * The marketing reports under `crm.reports`, and their signatures.
 *
 * @module
 */
import type { OpContext } from '../../engine/guard';
import { campaignPerformance } from './campaign-performance';
import type { CampaignPerformance, CampaignPerformanceOptions } from './campaign-performance';
import { customerBase } from './customer-base';
import type { CustomerBase, CustomerBaseOptions } from './customer-base';
import { customerValue } from './customer-value';
import type { CustomerValue, CustomerValueOptions } from './customer-value';
import { sourcePerformance } from './source-performance';
import type { SourcePerformance, SourcePerformanceOptions } from './source-performance';

export type { CampaignPerformance, CampaignPerformanceOptions, CampaignPerformanceRow, CampaignPerformanceTotals, RoiReason } from './campaign-performance';
export type { SourcePerformance, SourcePerformanceOptions, SourcePerformanceRow, SourcePerformanceTotals } from './source-performance';
export type { Breakdown, CustomerBase, CustomerBaseOptions, CustomerBaseTotals, NewCustomersRow } from './customer-base';
export type { CustomerValue, CustomerValueOptions, CustomerValueOrder, CustomerValueRow, CustomerValueTotals } from './customer-value';
export type { MarketingRange } from './common';

/**
 * The marketing reports, by name (spread into `REPORTS`).
 * @example
 * ```ts
 * Object.keys(MARKETING_REPORTS); // ['campaignPerformance', 'sourcePerformance', 'customerBase', 'customerValue']
 * ```
 */
export const MARKETING_REPORTS: Readonly<Record<string, (ctx: OpContext, ...args: never[]) => Promise<unknown>>> = {
  campaignPerformance,
  sourcePerformance,
  customerBase,
  customerValue,
};

/**
 * The marketing reports as `crm.reports` offers them, within what the caller may read; see
 * `docs/marketing.md`.
 * @example
 * ```ts
 * const { rows } = await crm.reports.campaignPerformance({ period: '2024' });
 * ```
 */
export interface MarketingReports {
  /**
   * Customers acquired, deals won, revenue, cost per acquisition and ROI per campaign, ranked by ROI.
   * @example
   * ```ts
   * const { rows } = await crm.reports.campaignPerformance({ period: '2024', where: { field: 'channel', op: 'eq', value: 'email' } });
   * ```
   */
  campaignPerformance(options?: CampaignPerformanceOptions): Promise<CampaignPerformance>;
  /**
   * Customers acquired, converted, deals won and revenue per `source.channel`.
   * @example
   * ```ts
   * const { rows } = await crm.reports.sourcePerformance({ period: '2024-Q2' });
   * ```
   */
  sourcePerformance(options?: SourcePerformanceOptions): Promise<SourcePerformance>;
  /**
   * Counts by lifecycle, tier, country and source, and new customers per month.
   * @example
   * ```ts
   * const { totals, rows } = await crm.reports.customerBase({ basis: 'converted' });
   * ```
   */
  customerBase(options?: CustomerBaseOptions): Promise<CustomerBase>;
  /**
   * Per-customer last interaction, interactions in a range and won value, ordered and paged.
   * @example
   * ```ts
   * const { rows, nextCursor } = await crm.reports.customerValue({ period: '2024', orderBy: 'interactions', limit: 20 });
   * ```
   */
  customerValue(options?: CustomerValueOptions): Promise<CustomerValue>;
}
