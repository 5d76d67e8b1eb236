/**
 * The sales reports under `crm.reports`.
 *
 * @module
 */
export { pipelineSummary } from './pipeline-summary';
export type { PipelineSummary, PipelineSummaryOptions, PipelineSummaryRow, PipelineSummaryTotals } from './pipeline-summary';
export { forecast } from './forecast';
export type { Forecast, ForecastOptions, ForecastRow, ForecastTotals } from './forecast';
export { winRate } from './win-rate';
export type { WinRate, WinRateFigures, WinRateOptions, WinRateRow } from './win-rate';
export { salesCycle } from './sales-cycle';
export type { CycleFigures, SalesCycle, SalesCycleOptions, SalesCycleRow } from './sales-cycle';
export { stageFunnel } from './stage-funnel';
export type { StageFunnel, StageFunnelOptions, StageFunnelRow, StageFunnelTotals } from './stage-funnel';
export { leaderboard } from './leaderboard';
export type { Leaderboard, LeaderboardOptions, LeaderboardRow, LeaderboardTotals } from './leaderboard';
export { quotaAttainment } from './quota-attainment';
export type { QuotaAttainment, QuotaAttainmentOptions, QuotaAttainmentRow, QuotaAttainmentTotals, QuotaTarget } from './quota-attainment';
export { GROUPINGS } from './groupings';
export type { SalesFilter } from './common';

import type { OpContext } from '../../engine/guard';
import { forecast as forecastReport } from './forecast';
import { leaderboard as leaderboardReport } from './leaderboard';
import { pipelineSummary as pipelineSummaryReport } from './pipeline-summary';
import { quotaAttainment as quotaAttainmentReport } from './quota-attainment';
import { salesCycle as salesCycleReport } from './sales-cycle';
import { stageFunnel as stageFunnelReport } from './stage-funnel';
import { winRate as winRateReport } from './win-rate';

/** The sales reports by name, as `REPORTS` in the registry takes them. @internal */
export const SALES_REPORTS: Readonly<Record<string, (ctx: OpContext, ...args: never[]) => Promise<unknown>>> = {
  pipelineSummary: pipelineSummaryReport,
  forecast: forecastReport,
  winRate: winRateReport,
  salesCycle: salesCycleReport,
  stageFunnel: stageFunnelReport,
  leaderboard: leaderboardReport,
  quotaAttainment: quotaAttainmentReport,
};

import type { Forecast, ForecastOptions } from './forecast';
import type { Leaderboard, LeaderboardOptions } from './leaderboard';
import type { PipelineSummary, PipelineSummaryOptions } from './pipeline-summary';
import type { QuotaAttainment, QuotaAttainmentOptions } from './quota-attainment';
import type { SalesCycle, SalesCycleOptions } from './sales-cycle';
import type { StageFunnel, StageFunnelOptions } from './stage-funnel';
import type { WinRate, WinRateOptions } from './win-rate';

/**
 * The sales reports' signatures, part of `crm.reports`. Every report respects the caller's
 * permissions (read scope ANDed in, hidden fields refused in filters and left out of money
 * columns) and returns a plain `ReportTable`; see `docs/sales.md` for each shape.
 */
export interface SalesReports {
  /**
   * Count, value and weighted value per stage and currency.
   * @example
   * ```ts
   * const { rows, totals } = await crm.reports.pipelineSummary({ pipelineId, status: 'open' });
   * ```
   */
  pipelineSummary(options?: PipelineSummaryOptions): Promise<PipelineSummary>;
  /**
   * Won, weighted pipeline, commit and best case per month or quarter.
   * @example
   * ```ts
   * const { rows } = await crm.reports.forecast({ period: '2024', unit: 'quarter', by: 'owner' });
   * ```
   */
  forecast(options?: ForecastOptions): Promise<Forecast>;
  /**
   * Won ÷ (won + lost) by count and by value, overall and grouped.
   * @example
   * ```ts
   * const { totals, rows } = await crm.reports.winRate({ by: 'owner', period: '2024' });
   * ```
   */
  winRate(options?: WinRateOptions): Promise<WinRate>;
  /**
   * Mean and median days from open to close, won and lost.
   * @example
   * ```ts
   * const { totals } = await crm.reports.salesCycle({ period: '2024' });
   * ```
   */
  salesCycle(options?: SalesCycleOptions): Promise<SalesCycle>;
  /**
   * Conversion from each stage to the next and average days in stage.
   * @example
   * ```ts
   * const { rows } = await crm.reports.stageFunnel({ pipelineId });
   * ```
   */
  stageFunnel(options: StageFunnelOptions): Promise<StageFunnel>;
  /**
   * People ranked by won value, with deals won and activities logged.
   * @example
   * ```ts
   * const { rows } = await crm.reports.leaderboard({ period: '2024-Q2', limit: 5 });
   * ```
   */
  leaderboard(options?: LeaderboardOptions): Promise<Leaderboard>;
  /**
   * Won value against targets per owner and period.
   * @example
   * ```ts
   * const { rows } = await crm.reports.quotaAttainment({ targets: [{ ownerId: 'u-ann', period: '2024-Q2', target: { amount: 10_000_000, currency: 'EUR' } }] });
   * ```
   */
  quotaAttainment(options: QuotaAttainmentOptions): Promise<QuotaAttainment>;
}
