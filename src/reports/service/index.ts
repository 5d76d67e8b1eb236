/**
 * The service reports under `crm.reports`, and their signatures.
 *
 * @module
 */
import type { OpContext } from '../../engine/guard';
import { ticketBacklog, ticketFirstResponseTime, ticketReopenRate, ticketResolutionTime, ticketSlaCompliance, ticketVolume } from './tickets';
import type { BacklogFigures, ComplianceFigures, DurationFigures, ReopenFigures, TicketReport, TicketReportOptions, VolumeFigures } from './tickets';

export type { BacklogFigures, ComplianceFigures, DurationFigures, ReopenFigures, TicketDimension, TicketReport, TicketReportOptions, TicketReportRow, VolumeFigures } from './tickets';
export type { ServicePeriod, ServicePeriodUnit } from './periods';
export { servicePeriods } from './periods';

/**
 * The service reports, by name (spread into `REPORTS`).
 * @example
 * ```ts
 * Object.keys(SERVICE_REPORTS); // ['ticketVolume', 'ticketBacklog', …]
 * ```
 */
export const SERVICE_REPORTS: Readonly<Record<string, (ctx: OpContext, ...args: never[]) => Promise<unknown>>> = {
  ticketVolume,
  ticketBacklog,
  ticketResolutionTime,
  ticketFirstResponseTime,
  ticketSlaCompliance,
  ticketReopenRate,
};

/**
 * The service reports as `crm.reports` offers them. Every one returns `{ rows, totals, columns, … }`
 * scoped to what the actor may read; see `docs/service.md`.
 *
 * @example
 * ```ts
 * const { rows, totals } = await crm.reports.ticketResolutionTime({ by: 'priority', period: 'month', from: '2024-01-01T00:00:00Z', to: '2024-07-01T00:00:00Z' });
 * ```
 */
export interface ServiceReports {
  /** Tickets opened, by `openedAt`. @example `await crm.reports.ticketVolume({ by: 'channel' })` */
  ticketVolume(options?: TicketReportOptions): Promise<TicketReport<VolumeFigures>>;
  /** Unresolved tickets now, or at the end of each period. @example `await crm.reports.ticketBacklog({ by: 'assigneeId' })` */
  ticketBacklog(options?: TicketReportOptions): Promise<TicketReport<BacklogFigures>>;
  /** Minutes to resolution: mean, median, p90, by `resolvedAt`. @example `await crm.reports.ticketResolutionTime({ by: 'priority' })` */
  ticketResolutionTime(options?: TicketReportOptions): Promise<TicketReport<DurationFigures>>;
  /** Minutes to first response: mean, median, p90, by `firstRespondedAt`. @example `await crm.reports.ticketFirstResponseTime()` */
  ticketFirstResponseTime(options?: TicketReportOptions): Promise<TicketReport<DurationFigures>>;
  /** Share of SLA targets met, by `openedAt`. @example `await crm.reports.ticketSlaCompliance({ by: 'category' })` */
  ticketSlaCompliance(options?: TicketReportOptions): Promise<TicketReport<ComplianceFigures>>;
  /** Share of resolved tickets reopened, by `openedAt`. @example `await crm.reports.ticketReopenRate()` */
  ticketReopenRate(options?: TicketReportOptions): Promise<TicketReport<ReopenFigures>>;
}
