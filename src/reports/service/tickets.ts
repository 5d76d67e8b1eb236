/**
 * Service reports over tickets: volume, backlog, resolution and first-response times, SLA
 * compliance and reopen rate — by channel, category, priority, kind, status or assignee, per
 * day, ISO week or month in the CRM's time zone. Each is a handful of `storage.aggregate`
 * calls (a scan only where the adapter has no native aggregate) over flat figures the ticket
 * entity materializes at write time (`_resolutionMinutes`, `_slaMet`, `_reopened`, …), scoped
 * to what the actor may read.
 *
 * @module
 */
import { QueryError } from '../../errors';
import { deny } from '../../engine/guard';
import type { OpContext } from '../../engine/guard';
import { validateFilter } from '../../query/validate';
import type { Filter } from '../../query/types';
import type { AggregateRow, Metric } from '../../storage/adapter';
import { aggregateIn } from '../../storage/aggregate';
import { UNRESOLVED_STATUSES } from '../../entities/tickets';
import type { Column, ReportTable } from '../table';
import { servicePeriods } from './periods';
import type { ServicePeriod, ServicePeriodUnit } from './periods';

/**
 * What a service report can group by.
 * @example
 * ```ts
 * await crm.reports.ticketBacklog({ by: 'assigneeId' });
 * ```
 */
export type TicketDimension = 'channel' | 'category' | 'priority' | 'kind' | 'status' | 'assigneeId';

const DIMENSIONS: readonly TicketDimension[] = ['channel', 'category', 'priority', 'kind', 'status', 'assigneeId'];
const UNITS: readonly ServicePeriodUnit[] = ['day', 'week', 'month'];

/**
 * Options every service report takes.
 *
 * @example
 * ```ts
 * const options: TicketReportOptions = { by: 'channel', period: 'month', from: '2024-01-01T00:00:00Z', to: '2024-07-01T00:00:00Z' };
 * ```
 */
export interface TicketReportOptions {
  /** Group rows by this field (missing values group as `null`). */
  by?: TicketDimension | undefined;
  /** Bucket rows by day, ISO week (`2024-W18`) or month, in the CRM's time zone; needs `from` and `to`. */
  period?: ServicePeriodUnit | undefined;
  /** Only tickets whose report date (see each report) is at or after this instant. */
  from?: string | undefined;
  /** Only tickets whose report date is before this instant. */
  to?: string | undefined;
  /** Only tickets matching this filter (the query language of `find`). */
  where?: Filter | undefined;
}

/**
 * A row: its period and group (when asked), then the report's figures.
 * @example
 * ```ts
 * const row: TicketReportRow<VolumeFigures> = { period: '2024-05', channel: 'email', count: 12 };
 * ```
 */
export type TicketReportRow<Figures> = {
  /** The period's key (e.g. `2024-05`, `2024-W18`), when rows are bucketed by `period`. */
  period?: string;
  /** The channel, when grouped `by: 'channel'` (`null`: tickets without one). */
  channel?: string | null;
  /** The category, when grouped `by: 'category'` (`null`: tickets without one). */
  category?: string | null;
  /** The priority, when grouped `by: 'priority'` (`null`: tickets without one). */
  priority?: string | null;
  /** The kind, when grouped `by: 'kind'` (`null`: tickets without one). */
  kind?: string | null;
  /** The status, when grouped `by: 'status'` (`null`: tickets without one). */
  status?: string | null;
  /** The assignee, when grouped `by: 'assigneeId'` (`null`: unassigned tickets). */
  assigneeId?: string | null;
} & Figures;

/**
 * A service report's table.
 * @example
 * ```ts
 * const report: TicketReport<VolumeFigures> = await crm.reports.ticketVolume();
 * ```
 */
export type TicketReport<Figures> = ReportTable<TicketReportRow<Figures>, Figures>;

/**
 * `ticketVolume`: tickets opened (by `openedAt`).
 * @example
 * ```ts
 * const { totals } = await crm.reports.ticketVolume(); totals.count;
 * ```
 */
export interface VolumeFigures {
  /** Tickets opened. */
  count: number;
}

/**
 * `ticketBacklog`: unresolved tickets (now, or at the end of each period).
 * @example
 * ```ts
 * const { totals } = await crm.reports.ticketBacklog(); totals.breached;
 * ```
 */
export interface BacklogFigures {
  /** Unresolved tickets. */
  count: number;
  /** Of those, how many missed an SLA target. */
  breached: number;
}

/**
 * `ticketResolutionTime` / `ticketFirstResponseTime`: minutes from opening, in calendar time.
 * @example
 * ```ts
 * const { totals } = await crm.reports.ticketResolutionTime(); totals.p90Minutes;
 * ```
 */
export interface DurationFigures {
  /** Tickets measured. */
  count: number;
  /** Mean minutes (`null`: none). */
  meanMinutes: number | null;
  /** Median minutes. */
  medianMinutes: number | null;
  /** 90th percentile minutes. */
  p90Minutes: number | null;
}

/**
 * `ticketSlaCompliance`: shares (0..1) of decided targets met, for tickets with an SLA (by `openedAt`).
 * @example
 * ```ts
 * const { totals } = await crm.reports.ticketSlaCompliance(); totals.met;
 * ```
 */
export interface ComplianceFigures {
  /** Tickets with at least one SLA target. */
  count: number;
  /** Share of decided first-response targets met (`null`: none decided). */
  firstResponseMet: number | null;
  /** Share of decided resolution targets met. */
  resolutionMet: number | null;
  /** Share of tickets whose every target is decided and met, among those decided. */
  met: number | null;
  /** Tickets that missed a target. */
  breached: number;
}

/**
 * `ticketReopenRate`: among tickets ever resolved (by `openedAt`), how many were reopened.
 * @example
 * ```ts
 * const { totals } = await crm.reports.ticketReopenRate(); totals.rate;
 * ```
 */
export interface ReopenFigures {
  /** Tickets ever resolved. */
  resolved: number;
  /** Of those, reopened at least once. */
  reopened: number;
  /** `reopened / resolved` (`null`: none resolved). */
  rate: number | null;
}

interface Spec<F> {
  name: string;
  /** The date a ticket is bucketed by; absent: a snapshot (backlog). */
  date?: 'openedAt' | 'resolvedAt' | 'firstRespondedAt';
  /** Fields the figures come from: an actor who cannot read one cannot run the report. */
  reads: string[];
  base?: Filter;
  metrics: Metric[];
  figures(v: Record<string, number | null>): F;
  columns: Column[];
}

const duration = (field: string): Pick<Spec<DurationFigures>, 'metrics' | 'figures' | 'columns'> => ({
  metrics: [
    { name: 'count', op: 'count' },
    { name: 'mean', op: 'avg', field },
    { name: 'median', op: 'percentile', field, p: 0.5 },
    { name: 'p90', op: 'percentile', field, p: 0.9 },
  ],
  figures: (v) => ({ count: v['count'] ?? 0, meanMinutes: v['mean'] ?? null, medianMinutes: v['median'] ?? null, p90Minutes: v['p90'] ?? null }),
  columns: [
    { key: 'count', label: 'Tickets', kind: 'count' },
    { key: 'meanMinutes', label: 'Mean (min)', kind: 'number' },
    { key: 'medianMinutes', label: 'Median (min)', kind: 'number' },
    { key: 'p90Minutes', label: 'P90 (min)', kind: 'number' },
  ],
});

const SPECS = {
  ticketVolume: {
    name: 'ticketVolume',
    date: 'openedAt',
    reads: ['openedAt'],
    metrics: [{ name: 'count', op: 'count' }],
    figures: (v) => ({ count: v['count'] ?? 0 }),
    columns: [{ key: 'count', label: 'Opened', kind: 'count' }],
  } satisfies Spec<VolumeFigures>,
  ticketBacklog: {
    name: 'ticketBacklog',
    reads: ['status', 'openedAt', 'resolvedAt'],
    metrics: [{ name: 'count', op: 'count' }, { name: 'breached', op: 'sum', field: '_breached' }],
    figures: (v) => ({ count: v['count'] ?? 0, breached: v['breached'] ?? 0 }),
    columns: [{ key: 'count', label: 'Unresolved', kind: 'count' }, { key: 'breached', label: 'Breached', kind: 'count' }],
  } satisfies Spec<BacklogFigures>,
  ticketResolutionTime: { name: 'ticketResolutionTime', date: 'resolvedAt', reads: ['openedAt', 'resolvedAt'], base: { field: 'resolvedAt', op: 'exists', value: true }, ...duration('_resolutionMinutes') } satisfies Spec<DurationFigures>,
  ticketFirstResponseTime: { name: 'ticketFirstResponseTime', date: 'firstRespondedAt', reads: ['openedAt', 'firstRespondedAt'], base: { field: 'firstRespondedAt', op: 'exists', value: true }, ...duration('_firstResponseMinutes') } satisfies Spec<DurationFigures>,
  ticketSlaCompliance: {
    name: 'ticketSlaCompliance',
    date: 'openedAt',
    reads: ['openedAt', 'firstResponseDueAt', 'resolutionDueAt', 'firstRespondedAt', 'resolvedAt'],
    base: { or: [{ field: 'firstResponseDueAt', op: 'exists', value: true }, { field: 'resolutionDueAt', op: 'exists', value: true }] },
    metrics: [
      { name: 'count', op: 'count' },
      { name: 'fr', op: 'avg', field: '_firstResponseMet' },
      { name: 'res', op: 'avg', field: '_resolutionMet' },
      { name: 'met', op: 'avg', field: '_slaMet' },
      { name: 'breached', op: 'sum', field: '_breached' },
    ],
    figures: (v) => ({ count: v['count'] ?? 0, firstResponseMet: v['fr'] ?? null, resolutionMet: v['res'] ?? null, met: v['met'] ?? null, breached: v['breached'] ?? 0 }),
    columns: [
      { key: 'count', label: 'Tickets with SLA', kind: 'count' },
      { key: 'firstResponseMet', label: 'First response met', kind: 'ratio' },
      { key: 'resolutionMet', label: 'Resolution met', kind: 'ratio' },
      { key: 'met', label: 'SLA met', kind: 'ratio' },
      { key: 'breached', label: 'Breached', kind: 'count' },
    ],
  } satisfies Spec<ComplianceFigures>,
  ticketReopenRate: {
    name: 'ticketReopenRate',
    date: 'openedAt',
    reads: ['openedAt', 'reopenCount', 'resolvedAt'],
    base: { field: '_reopened', op: 'exists', value: true },
    metrics: [{ name: 'count', op: 'count' }, { name: 'reopened', op: 'sum', field: '_reopened' }, { name: 'rate', op: 'avg', field: '_reopened' }],
    figures: (v) => ({ resolved: v['count'] ?? 0, reopened: v['reopened'] ?? 0, rate: v['rate'] ?? null }),
    columns: [{ key: 'resolved', label: 'Resolved', kind: 'count' }, { key: 'reopened', label: 'Reopened', kind: 'count' }, { key: 'rate', label: 'Reopen rate', kind: 'ratio' }],
  } satisfies Spec<ReopenFigures>,
} as const;

function iso(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) throw new QueryError('expected an ISO 8601 date-time', [name]);
  return new Date(t).toISOString();
}

const and = (parts: (Filter | undefined)[]): Filter | undefined => {
  const p = parts.filter((x): x is Filter => x !== undefined);
  return p.length === 0 ? undefined : p.length === 1 ? p[0] : { and: p };
};

async function run<F>(ctx: OpContext, spec: Spec<F>, options: TicketReportOptions = {}): Promise<TicketReport<F>> {
  const { by, period } = options;
  if (by !== undefined && !DIMENSIONS.includes(by)) throw new QueryError(`by is one of ${DIMENSIONS.join(', ')}`, ['by']);
  if (period !== undefined && !UNITS.includes(period)) throw new QueryError(`period is one of ${UNITS.join(', ')}`, ['period']);
  const from = iso(options.from, 'from');
  const to = iso(options.to, 'to');
  if (period !== undefined && (from === undefined || to === undefined)) throw new QueryError('a report by period needs from and to', [from === undefined ? 'from' : 'to']);
  if (options.where !== undefined) validateFilter(options.where);
  const tz = ctx.engine.timeZone;
  const hidden = ctx.engine.policy.hiddenFields(ctx.actor, 'tickets');
  for (const f of [...spec.reads, ...(by ? [by] : [])]) {
    if (hidden.has(f)) await deny(ctx, 'read', 'tickets', undefined, `the ${spec.name} report reads ${f}, which this actor cannot read`);
  }
  const scope = ctx.engine.policy.scope(ctx.actor, 'read', 'tickets');
  if (scope === false) await deny(ctx, 'read', 'tickets', undefined, `no role of this actor grants read on tickets`);
  const common = and([options.where, { field: 'archivedAt', op: 'exists', value: false }, spec.base, scope || undefined]);
  const storage = ctx.engine.storage;
  const aggregate = (where: Filter | undefined, groupBy: string[]): Promise<AggregateRow[]> => {
    const a = { where: and([common, where]), groupBy, metrics: spec.metrics };
    return aggregateIn(storage, 'tickets', a);
  };
  /** The filter selecting one bucket: a date range, or (backlog) unresolved as of its end. */
  const bucket = (start: string | undefined, end: string | undefined): Filter | undefined => {
    if (spec.date) return and([start ? { field: spec.date, op: 'gte', value: start } : undefined, end ? { field: spec.date, op: 'lt', value: end } : undefined]);
    if (end === undefined) return { field: 'status', op: 'in', value: [...UNRESOLVED_STATUSES] };
    return and([
      { field: 'openedAt', op: 'lt', value: end },
      start && !period ? { field: 'openedAt', op: 'gte', value: start } : undefined,
      { or: [{ field: 'resolvedAt', op: 'exists', value: false }, { field: 'resolvedAt', op: 'gte', value: end }] },
    ]);
  };
  const periods: (ServicePeriod | undefined)[] = period ? servicePeriods(from as string, to as string, period, tz) : [undefined];
  const rows: TicketReportRow<F>[] = [];
  for (const p of periods) {
    const found = await aggregate(p ? bucket(p.start, p.end) : bucket(from, to), by ? [by] : []);
    for (const r of found) {
      if (by && (r.values['count'] ?? 0) === 0) continue;
      const row: Record<string, unknown> = {};
      if (p) row['period'] = p.key;
      if (by) row[by] = r.group[by] ?? null;
      rows.push({ ...row, ...spec.figures(r.values) } as TicketReportRow<F>);
    }
  }
  // Totals over the whole selection (percentiles cannot be summed from rows); a backlog's is its latest snapshot.
  const last = periods[periods.length - 1];
  const [total] = await aggregate(spec.date ? bucket(from, to) : last ? bucket(last.start, last.end) : bucket(from, to), []);
  const columns: Column[] = [...(period ? [{ key: 'period', label: 'Period', kind: 'period' as const }] : []), ...(by ? [{ key: by, label: by, kind: by === 'assigneeId' ? ('id' as const) : ('text' as const) }] : []), ...spec.columns];
  return { report: spec.name, columns, rows, totals: spec.figures(total?.values ?? {}), timeZone: tz, generatedAt: ctx.engine.now(), redacted: [] };
}

/**
 * Tickets opened, by `openedAt`.
 * @example
 * ```ts
 * const t = await crm.reports.ticketVolume({ by: 'channel', period: 'week', from: '2024-04-29T00:00:00Z', to: '2024-05-13T00:00:00Z' });
 * ```
 */
export const ticketVolume = (ctx: OpContext, options?: TicketReportOptions) => run<VolumeFigures>(ctx, SPECS.ticketVolume, options);

/**
 * Unresolved tickets: now (no `period`), or as of the end of each period (opened before its
 * end and not resolved by then — the latest resolution counts for a reopened ticket).
 * @example
 * ```ts
 * const t = await crm.reports.ticketBacklog({ by: 'assigneeId' });
 * ```
 */
export const ticketBacklog = (ctx: OpContext, options?: TicketReportOptions) => run<BacklogFigures>(ctx, SPECS.ticketBacklog, options);

/**
 * Minutes from opening to resolution, by `resolvedAt`: mean, median, p90.
 * @example
 * ```ts
 * const t = await crm.reports.ticketResolutionTime({ by: 'priority' });
 * ```
 */
export const ticketResolutionTime = (ctx: OpContext, options?: TicketReportOptions) => run<DurationFigures>(ctx, SPECS.ticketResolutionTime, options);

/**
 * Minutes from opening to the first outbound response, by `firstRespondedAt`: mean, median, p90.
 * @example
 * ```ts
 * const t = await crm.reports.ticketFirstResponseTime({ period: 'day', from, to });
 * ```
 */
export const ticketFirstResponseTime = (ctx: OpContext, options?: TicketReportOptions) => run<DurationFigures>(ctx, SPECS.ticketFirstResponseTime, options);

/**
 * Share of SLA targets met, for tickets with an SLA, by `openedAt`.
 * @example
 * ```ts
 * const { totals } = await crm.reports.ticketSlaCompliance();
 * console.log(totals.met); // e.g. 0.75
 * ```
 */
export const ticketSlaCompliance = (ctx: OpContext, options?: TicketReportOptions) => run<ComplianceFigures>(ctx, SPECS.ticketSlaCompliance, options);

/**
 * Share of resolved tickets reopened, by `openedAt`.
 * @example
 * ```ts
 * const { totals } = await crm.reports.ticketReopenRate({ by: 'category' });
 * ```
 */
export const ticketReopenRate = (ctx: OpContext, options?: TicketReportOptions) => run<ReopenFigures>(ctx, SPECS.ticketReopenRate, options);
