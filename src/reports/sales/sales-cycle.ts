/**
 * `crm.reports.salesCycle`: how long deals take from `openedAt` to `closedAt`.
 *
 * @module
 */
import type { OpContext } from '../../engine/guard';
import type { Filter } from '../../query/types';
import type { ReportTable } from '../table';
import { aggregate, and, filterConditions, groupField, keyOf, rangeConditions, rangeOf, scoped } from './common';
import type { SalesFilter } from './common';

/** Options of `salesCycle`. The period applies to `closedAt`. */
export interface SalesCycleOptions extends SalesFilter {
  /** Group by `owner`, `team`, `source`, … or any deal field path. @defaultValue one row for everything */
  by?: string | undefined;
}

/** Cycle figures of one status. Days are elapsed time ÷ 86,400,000 ms (fractional, not rounded). */
export interface CycleFigures {
  /** Deals counted. */
  count: number;
  /** Mean days from open to close, `null` when none. */
  meanDays: number | null;
  /** Median days (the mean of the two middle values for an even count), `null` when none. */
  medianDays: number | null;
  /** Shortest. */
  minDays: number | null;
  /** Longest. */
  maxDays: number | null;
}

/** One group. */
export interface SalesCycleRow {
  /** The group's value (`null` without `by`, or for deals without one). */
  key: string | number | boolean | null;
  /** Won deals. */
  won: CycleFigures;
  /** Lost deals. */
  lost: CycleFigures;
}

/** The table `salesCycle` returns; `totals` is computed over every deal, not from the rows. */
export type SalesCycle = ReportTable<
  SalesCycleRow,
  {
    /** Cycle figures of every won deal. */
    won: CycleFigures;
    /** Cycle figures of every lost deal. */
    lost: CycleFigures;
  }
> & {
  /** The grouping asked for with `by`, when one was. */
  by?: string;
};

const NONE: CycleFigures = { count: 0, meanDays: null, medianDays: null, minDays: null, maxDays: null };

const METRICS = [
  { name: 'count', op: 'count' },
  { name: 'mean', op: 'avg', field: '_cycleDays' },
  { name: 'median', op: 'percentile', field: '_cycleDays', p: 0.5 },
  { name: 'min', op: 'min', field: '_cycleDays' },
  { name: 'max', op: 'max', field: '_cycleDays' },
] as const;

function figures(values: Record<string, number | null>): CycleFigures {
  return { count: values['count'] ?? 0, meanDays: values['mean'] ?? null, medianDays: values['median'] ?? null, minDays: values['min'] ?? null, maxDays: values['max'] ?? null };
}

/**
 * Mean and median days from open to close, for won and for lost deals. Medians do not
 * combine across groups, so the totals are one more aggregate over everything.
 *
 * @example
 * ```ts
 * const { totals } = await crm.reports.salesCycle({ pipelineId, period: '2024' });
 * // totals.won: { count: 40, meanDays: 31.5, medianDays: 28, minDays: 3, maxDays: 120 }
 * ```
 */
export async function salesCycle(ctx: OpContext, options: SalesCycleOptions = {}): Promise<SalesCycle> {
  const s = await scoped(ctx, 'deals', [...filterConditions(options), ...rangeConditions('closedAt', rangeOf(ctx, options))]);
  const by = options.by === undefined ? undefined : s.field(await groupField(ctx, s, options.by));
  const closed: Filter = { field: 'status', op: 'in', value: ['won', 'lost'] };
  const run = async (groupBy: string[]) =>
    s.where === false ? [] : aggregate(ctx, 'deals', { where: and(s.where, closed), groupBy, metrics: [...METRICS] }, options.signal);
  const totalsRows = await run(['status']);
  const totals = { won: NONE, lost: NONE };
  for (const g of totalsRows) totals[g.group['status'] as 'won' | 'lost'] = figures(g.values);
  let rows: SalesCycleRow[] = [{ key: null, ...totals }];
  if (by) {
    const map = new Map<string, SalesCycleRow>();
    for (const g of await run([by, 'status'])) {
      const k = JSON.stringify(g.group[by] ?? null);
      let row = map.get(k);
      if (!row) map.set(k, (row = { key: keyOf(g.group[by]), won: NONE, lost: NONE }));
      row[g.group['status'] as 'won' | 'lost'] = figures(g.values);
    }
    rows = [...map.values()];
  }
  return {
    report: 'salesCycle',
    ...(options.by !== undefined ? { by: options.by } : {}),
    columns: [
      { key: 'key', label: options.by ?? 'Group', kind: 'text' },
      { key: 'won.meanDays', label: 'Won: mean days', kind: 'days' },
      { key: 'won.medianDays', label: 'Won: median days', kind: 'days' },
      { key: 'lost.meanDays', label: 'Lost: mean days', kind: 'days' },
      { key: 'lost.medianDays', label: 'Lost: median days', kind: 'days' },
    ],
    rows,
    totals,
    timeZone: ctx.engine.timeZone,
    generatedAt: ctx.engine.now(),
    redacted: [],
  };
}
