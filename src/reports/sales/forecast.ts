/**
 * `crm.reports.forecast`: per calendar month or quarter (in the CRM's time zone), what was
 * won and what the open pipeline is expected to bring.
 *
 * @module
 */
import { forecastCategoryOf } from '../../entities/pipelines';
import type { OpContext } from '../../engine/guard';
import { periodsBetween, periodOf } from '../periods';
import type { Period, PeriodUnit } from '../periods';
import { MoneyBag, weigh } from '../table';
import type { MoneyList, ReportTable } from '../table';
import { aggregate, and, filterConditions, groupField, keyOf, loadPipelines, rangeConditions, rangeOf, scoped, stageIndex, valuesVisible } from './common';
import type { SalesFilter } from './common';
import { ValidationError } from '../../errors';
import type { TimeBucket } from '../../storage/adapter';

/**
 * Options of `forecast`. The range (`period`, or `from`/`to`) is cut into periods of `unit`;
 * won deals fall in the period of their `closedAt`, open deals in that of their
 * `expectedCloseAt`. @defaultValue the current calendar year
 */
export interface ForecastOptions extends SalesFilter {
  /** The length of each period. @defaultValue `'month'` */
  unit?: PeriodUnit | undefined;
  /** One row per period and owner (`owner`), team (`team`) or other field. @defaultValue one row per period */
  by?: string | undefined;
}

/** One period (and, with `by`, one group). */
export interface ForecastRow {
  /** The period key, e.g. `2024-Q2`. */
  period: string;
  /** The period's first instant (ISO 8601 UTC). */
  start: string;
  /** The instant after it. */
  end: string;
  /** The group's value when `by` was given. */
  key?: string | number | boolean | null;
  /** Deals won (closed) in the period. */
  wonCount: number;
  /** Their value. */
  won: MoneyList;
  /** Open deals expected to close in the period (forecast category not `omitted`). */
  openCount: number;
  /** Their value, unweighted. */
  pipeline: MoneyList;
  /** Their value weighted by stage probability (rounded per stage and currency). */
  weighted: MoneyList;
  /** Won plus open deals in `commit` stages. */
  commit: MoneyList;
  /** Won plus open deals in `commit` or `bestCase` stages. */
  bestCase: MoneyList;
}

/** Totals of `forecast`: every column summed over the rows. */
export type ForecastTotals = Omit<ForecastRow, 'period' | 'start' | 'end' | 'key'>;

/** The table `forecast` returns. */
export type Forecast = ReportTable<ForecastRow, ForecastTotals> & {
  /** The length of each period, as asked (or `'month'`). */
  unit: PeriodUnit;
  /** The grouping asked for with `by`, when one was. */
  by?: string;
};

interface Cell {
  wonCount: number;
  won: MoneyBag;
  openCount: number;
  pipeline: MoneyBag;
  weighted: MoneyBag;
  commit: MoneyBag;
  bestCase: MoneyBag;
}

const emptyCell = (): Cell => ({ wonCount: 0, won: new MoneyBag(), openCount: 0, pipeline: new MoneyBag(), weighted: new MoneyBag(), commit: new MoneyBag(), bestCase: new MoneyBag() });

/**
 * The forecast: per period, won value, open pipeline, weighted pipeline, commit and best
 * case (Salesforce's cumulative categories: commit = closed + commit, best case = closed +
 * commit + best case; `omitted` stages are left out). The whole range is answered by two
 * aggregates — won deals by the period of `closedAt`, open ones by that of
 * `expectedCloseAt`, each a time-bucket group key in the CRM's time zone — so the cost does
 * not grow with the number of periods, and a SQL adapter pushes both down to `GROUP BY`.
 *
 * @example
 * ```ts
 * const { rows } = await crm.reports.forecast({ period: '2024', unit: 'quarter', by: 'owner' });
 * // rows[0]: { period: '2024-Q1', key: 'u-ann', won: [{ amount: 420000, currency: 'EUR' }], weighted: […], commit: […], bestCase: […], … }
 * ```
 */
export async function forecast(ctx: OpContext, options: ForecastOptions = {}): Promise<Forecast> {
  const tz = ctx.engine.timeZone;
  const unit = options.unit ?? 'month';
  if (unit !== 'month' && unit !== 'quarter' && unit !== 'year') throw new ValidationError([{ path: ['unit'], message: 'unit is "month", "quarter" or "year"', code: 'invalid_value' }]);
  const range = rangeOf(ctx, options);
  const year = periodOf(ctx.engine.now(), 'year', tz);
  const periods: Period[] = periodsBetween(range.from ?? year.start, range.to ?? year.end, unit, tz, 240);
  const s = await scoped(ctx, 'deals', filterConditions(options));
  const showValue = valuesVisible(s);
  const by = options.by === undefined ? undefined : s.field(await groupField(ctx, s, options.by));
  const stageOf = stageIndex(await loadPipelines(ctx, options.pipelineId));
  const extra = by ? [by] : [];
  const rows: ForecastRow[] = [];
  const total = emptyCell();
  // One cell map per period, filled from two aggregates over the whole range, each grouped
  // by the period (a time bucket in the CRM's time zone) of its date field.
  const cellsOf = periods.map(() => new Map<string, { key: unknown; cell: Cell }>());
  const cellOf = (p: number, key: unknown): Cell => {
    const cells = cellsOf[p] as Map<string, { key: unknown; cell: Cell }>;
    const k = JSON.stringify(key ?? null);
    let c = cells.get(k);
    if (!c) cells.set(k, (c = { key, cell: emptyCell() }));
    return c.cell;
  };
  if (!by) for (let p = 0; p < periods.length; p++) cellOf(p, null);
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (s.where !== false && first !== undefined && last !== undefined) {
    const span = { from: first.start, to: last.end };
    const periodAt = new Map(periods.map((period, i) => [period.start, i]));
    // A bucket's name that no field path can take, so it never meets the `by` field.
    const bucket = (field: string): TimeBucket => ({ field, bucket: unit, timeZone: tz, name: `${field}@${unit}` });
    const won = await aggregate(
      ctx,
      'deals',
      {
        where: and(s.where, { field: 'status', op: 'eq', value: 'won' }, ...rangeConditions('closedAt', span)),
        groupBy: [bucket('closedAt'), '_currency', ...extra],
        metrics: [{ name: 'count', op: 'count' }, { name: 'amount', op: 'sum', field: '_amount' }],
      },
      options.signal,
    );
    for (const g of won) {
      const p = periodAt.get(g.group[`closedAt@${unit}`] as string);
      if (p === undefined) continue;
      const c = cellOf(p, by ? g.group[by] : null);
      c.wonCount += g.values['count'] ?? 0;
      if (!showValue) continue;
      for (const bag of [c.won, c.commit, c.bestCase]) bag.add(g.group['_currency'] as string | undefined, g.values['amount']);
    }
    const open = await aggregate(
      ctx,
      'deals',
      {
        where: and(s.where, { field: 'status', op: 'eq', value: 'open' }, ...rangeConditions('expectedCloseAt', span)),
        groupBy: [bucket('expectedCloseAt'), 'pipelineId', 'stageId', '_currency', ...extra],
        metrics: [{ name: 'count', op: 'count' }, { name: 'amount', op: 'sum', field: '_amount' }],
      },
      options.signal,
    );
    for (const g of open) {
      const p = periodAt.get(g.group[`expectedCloseAt@${unit}`] as string);
      if (p === undefined) continue;
      const stage = stageOf(g.group['pipelineId'], g.group['stageId']);
      const category = stage ? forecastCategoryOf(stage) : 'pipeline';
      if (category === 'omitted') continue;
      const c = cellOf(p, by ? g.group[by] : null);
      c.openCount += g.values['count'] ?? 0;
      const currency = g.group['_currency'] as string | undefined;
      const amount = g.values['amount'];
      if (!showValue || currency === undefined || amount === null || amount === undefined) continue;
      c.pipeline.add(currency, amount);
      c.weighted.add(currency, weigh(stage?.probability ?? 0, amount));
      if (category === 'commit' || category === 'closed') c.commit.add(currency, amount);
      if (category === 'commit' || category === 'closed' || category === 'bestCase') c.bestCase.add(currency, amount);
    }
  }
  for (const [p, period] of periods.entries()) {
    const cells = cellsOf[p] as Map<string, { key: unknown; cell: Cell }>;
    const ordered = [...cells.values()].sort((a, b) => String(a.key ?? '').localeCompare(String(b.key ?? '')));
    for (const { key, cell } of ordered) {
      rows.push({
        period: period.key,
        start: period.start,
        end: period.end,
        ...(by ? { key: keyOf(key) } : {}),
        wonCount: cell.wonCount,
        won: cell.won.list(),
        openCount: cell.openCount,
        pipeline: cell.pipeline.list(),
        weighted: cell.weighted.list(),
        commit: cell.commit.list(),
        bestCase: cell.bestCase.list(),
      });
      total.wonCount += cell.wonCount;
      total.openCount += cell.openCount;
      total.won.addAll(cell.won.list());
      total.pipeline.addAll(cell.pipeline.list());
      total.weighted.addAll(cell.weighted.list());
      total.commit.addAll(cell.commit.list());
      total.bestCase.addAll(cell.bestCase.list());
    }
  }
  return {
    report: 'forecast',
    unit,
    ...(options.by !== undefined ? { by: options.by } : {}),
    columns: [
      { key: 'period', label: 'Period', kind: 'period' },
      ...(by ? [{ key: 'key', label: options.by as string, kind: 'text' as const }] : []),
      { key: 'won', label: 'Won', kind: 'money' },
      { key: 'commit', label: 'Commit', kind: 'money' },
      { key: 'bestCase', label: 'Best case', kind: 'money' },
      { key: 'weighted', label: 'Weighted pipeline', kind: 'money' },
      { key: 'pipeline', label: 'Pipeline', kind: 'money' },
    ],
    rows,
    totals: {
      wonCount: total.wonCount,
      won: total.won.list(),
      openCount: total.openCount,
      pipeline: total.pipeline.list(),
      weighted: total.weighted.list(),
      commit: total.commit.list(),
      bestCase: total.bestCase.list(),
    },
    timeZone: ctx.engine.timeZone,
    generatedAt: ctx.engine.now(),
    redacted: showValue ? [] : ['value'],
  };
}
