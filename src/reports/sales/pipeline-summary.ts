/**
 * `crm.reports.pipelineSummary`: what sits in each stage — count, value and weighted value.
 *
 * @module
 */
import type { DealStatus } from '../../entities/deals';
import type { ForecastCategory, StageCategory } from '../../entities/pipelines';
import { forecastCategoryOf } from '../../entities/pipelines';
import type { OpContext } from '../../engine/guard';
import type { Filter } from '../../query/types';
import { MoneyBag, weigh } from '../table';
import type { MoneyList, ReportTable } from '../table';
import { aggregate, and, filterConditions, loadPipelines, rangeConditions, rangeOf, scoped, valuesVisible } from './common';
import type { SalesFilter } from './common';

/** Options of `pipelineSummary`. The period (`period`, `from`, `to`) applies to `openedAt`. */
export interface PipelineSummaryOptions extends SalesFilter {
  /** Only deals of this status. @defaultValue every status */
  status?: DealStatus | undefined;
}

/** One stage of one pipeline. */
export interface PipelineSummaryRow {
  /** The pipeline. */
  pipelineId: string;
  /** Its name. */
  pipelineName: string;
  /** The stage. */
  stageId: string;
  /** Its name. */
  stageName: string;
  /** `open`, `won` or `lost`. */
  category: StageCategory;
  /** The stage's forecast category. */
  forecastCategory: ForecastCategory;
  /** The stage's probability. */
  probability: number;
  /** Deals in the stage (with or without a value). */
  count: number;
  /** Their value, per currency. */
  value: MoneyList;
  /** `probability × value` per currency, rounded half away from zero to minor units. */
  weightedValue: MoneyList;
}

/** Totals of `pipelineSummary`. */
export interface PipelineSummaryTotals {
  /** Every deal counted. */
  count: number;
  /** Their value per currency. */
  value: MoneyList;
  /** The sum of the rows' weighted values per currency. */
  weightedValue: MoneyList;
  /** Open deals only. */
  open: {
    /** Deals in open stages. */
    count: number;
    /** Their value per currency. */
    value: MoneyList;
    /** Their value weighted by stage probability, per currency. */
    weightedValue: MoneyList;
  };
}

/** The table `pipelineSummary` returns. */
export type PipelineSummary = ReportTable<PipelineSummaryRow, PipelineSummaryTotals>;

/**
 * Count, value and weighted value of deals per stage (every stage of every pipeline, or of
 * `pipelineId`, in stage order; stages without deals are rows of zeros).
 *
 * @example
 * ```ts
 * const { rows, totals } = await crm.reports.pipelineSummary({ pipelineId, status: 'open' });
 * // rows[0]: { stageId: 'lead', stageName: 'Lead', count: 12, value: [{ amount: 1200000, currency: 'EUR' }], weightedValue: [{ amount: 120000, currency: 'EUR' }], … }
 * ```
 */
export async function pipelineSummary(ctx: OpContext, options: PipelineSummaryOptions = {}): Promise<PipelineSummary> {
  const conditions: Filter[] = [...filterConditions(options), ...rangeConditions('openedAt', rangeOf(ctx, options))];
  if (options.status !== undefined) conditions.push({ field: 'status', op: 'eq', value: options.status });
  const s = await scoped(ctx, 'deals', conditions);
  const showValue = valuesVisible(s);
  const pipelines = await loadPipelines(ctx, options.pipelineId);
  const groups =
    s.where === false
      ? []
      : await aggregate(ctx, 'deals', { where: and(s.where), groupBy: ['pipelineId', 'stageId', '_currency'], metrics: [{ name: 'count', op: 'count' }, { name: 'amount', op: 'sum', field: '_amount' }] }, options.signal);
  const cells = new Map<string, { count: number; value: MoneyBag }>();
  for (const g of groups) {
    const key = `${String(g.group['pipelineId'])}\u0000${String(g.group['stageId'])}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { count: 0, value: new MoneyBag() }));
    cell.count += g.values['count'] ?? 0;
    if (showValue) cell.value.add(g.group['_currency'] as string | undefined, g.values['amount']);
  }
  const rows: PipelineSummaryRow[] = [];
  const totals = { count: 0, value: new MoneyBag(), weighted: new MoneyBag(), openCount: 0, openValue: new MoneyBag(), openWeighted: new MoneyBag() };
  for (const p of pipelines) {
    for (const stage of p.stages) {
      const cell = cells.get(`${p.id}\u0000${stage.id}`) ?? { count: 0, value: new MoneyBag() };
      const value = cell.value.list();
      const weightedValue = value.map((m) => ({ amount: weigh(stage.probability, m.amount), currency: m.currency }));
      rows.push({
        pipelineId: p.id,
        pipelineName: p.name,
        stageId: stage.id,
        stageName: stage.name,
        category: stage.category,
        forecastCategory: forecastCategoryOf(stage),
        probability: stage.probability,
        count: cell.count,
        value,
        weightedValue,
      });
      totals.count += cell.count;
      totals.value.addAll(value);
      totals.weighted.addAll(weightedValue);
      if (stage.category === 'open') {
        totals.openCount += cell.count;
        totals.openValue.addAll(value);
        totals.openWeighted.addAll(weightedValue);
      }
    }
  }
  return {
    report: 'pipelineSummary',
    columns: [
      { key: 'pipelineName', label: 'Pipeline', kind: 'text' },
      { key: 'stageName', label: 'Stage', kind: 'text' },
      { key: 'probability', label: 'Probability', kind: 'ratio' },
      { key: 'count', label: 'Deals', kind: 'count' },
      { key: 'value', label: 'Value', kind: 'money' },
      { key: 'weightedValue', label: 'Weighted value', kind: 'money' },
    ],
    rows,
    totals: {
      count: totals.count,
      value: totals.value.list(),
      weightedValue: totals.weighted.list(),
      open: { count: totals.openCount, value: totals.openValue.list(), weightedValue: totals.openWeighted.list() },
    },
    timeZone: ctx.engine.timeZone,
    generatedAt: ctx.engine.now(),
    redacted: showValue ? [] : ['value'],
  };
}
