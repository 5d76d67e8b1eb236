/**
 * `crm.reports.stageFunnel`: how deals flow through a pipeline's stages, from their stage
 * histories.
 *
 * Conversion and time in stage come from each deal's `stageHistory`, an array a group-by
 * over flat fields cannot reach. So the engine folds every history, when the deal is
 * written, into flat derived figures — `_path` (the stages visited, in order of first
 * visit), `_stays.<stage>` (finished stays) and `_stayDays.<stage>` (their total days) —
 * and the funnel is ONE aggregate grouped by current stage and path: an adapter (or a SQL
 * `GROUP BY`) answers it, and the report only walks the few distinct paths.
 *
 * @module
 */
import { ValidationError } from '../../errors';
import { PATH_SEPARATOR } from '../../entities/deals';
import type { StageCategory } from '../../entities/pipelines';
import type { OpContext } from '../../engine/guard';
import type { Metric } from '../../storage/adapter';
import type { ReportTable } from '../table';
import { ratio } from '../table';
import { aggregate, and, filterConditions, loadPipelines, rangeConditions, rangeOf, scoped } from './common';
import type { SalesFilter } from './common';

/** Options of `stageFunnel`: `pipelineId` is required. The period applies to `openedAt`. */
export interface StageFunnelOptions extends SalesFilter {
  /** The pipeline. */
  pipelineId: string;
}

/** One stage. */
export interface StageFunnelRow {
  /** The stage. */
  stageId: string;
  /** Its name. */
  stageName: string;
  /** Its category. */
  category: StageCategory;
  /**
   * Deals that reached this stage or a later one (open and won stages, in pipeline order; a
   * deal that skipped a stage still passed it). For lost stages: deals that entered it.
   */
  reached: number;
  /** Deals that were ever in this stage (their history has a stay in it). */
  entered: number;
  /** Deals in it now. */
  current: number;
  /** `reached` of the next open or won stage ÷ `reached` of this one; `null` for the last and for lost stages. */
  conversionToNext: number | null;
  /** Mean days of the finished stays in this stage (stays with `leftAt`), `null` when none. */
  avgDaysInStage: number | null;
}

/** Totals of `stageFunnel`. */
export interface StageFunnelTotals {
  /** Deals counted. */
  deals: number;
  /** Open now. */
  open: number;
  /** Won. */
  won: number;
  /** Lost. */
  lost: number;
  /** `won ÷ deals`: how many of the deals that entered the funnel were won. */
  conversion: number | null;
}

/** The table `stageFunnel` returns. */
export type StageFunnel = ReportTable<StageFunnelRow, StageFunnelTotals> & {
  /** The pipeline the funnel is of. */
  pipelineId: string;
};

/**
 * The funnel of one pipeline: per stage, deals that reached it, conversion to the next
 * stage and average days spent in it.
 *
 * @example
 * ```ts
 * const { rows } = await crm.reports.stageFunnel({ pipelineId, period: '2024' });
 * // rows: [{ stageId: 'lead', reached: 100, conversionToNext: 0.6, avgDaysInStage: 4.5, … }, …]
 * ```
 * @throws `ValidationError` without a `pipelineId`.
 */
export async function stageFunnel(ctx: OpContext, options: StageFunnelOptions): Promise<StageFunnel> {
  if (typeof options?.pipelineId !== 'string') throw new ValidationError([{ path: ['pipelineId'], message: 'stageFunnel needs a pipelineId', code: 'invalid_type' }]);
  const [pipeline] = await loadPipelines(ctx, options.pipelineId);
  const stages = pipeline?.stages ?? [];
  const s = await scoped(ctx, 'deals', [...filterConditions(options), ...rangeConditions('openedAt', rangeOf(ctx, options))]);
  // Funnel order: open stages, then won ones; lost stages stand aside.
  const flow = stages.filter((st) => st.category !== 'lost');
  const position = new Map(flow.map((st, i) => [st.id, i]));
  const categoryOf = new Map(stages.map((st) => [st.id, st.category]));
  const reachedAt = new Array<number>(flow.length).fill(0);
  const entered = new Map<string, number>();
  const current = new Map<string, number>();
  const stay = new Map<string, { days: number; n: number }>();
  const totals = { deals: 0, open: 0, won: 0, lost: 0 };
  const metrics: Metric[] = [{ name: 'count', op: 'count' }];
  stages.forEach((st, i) => {
    metrics.push({ name: `n${i}`, op: 'sum', field: `_stays.${st.id}` }, { name: `d${i}`, op: 'sum', field: `_stayDays.${st.id}` });
  });
  const groups = s.where === false ? [] : await aggregate(ctx, 'deals', { where: and(s.where), groupBy: ['stageId', '_path'], metrics }, options.signal);
  for (const g of groups) {
    const n = g.values['count'] ?? 0;
    const stageId = String(g.group['stageId']);
    totals.deals += n;
    const category = categoryOf.get(stageId);
    if (category) totals[category] += n;
    current.set(stageId, (current.get(stageId) ?? 0) + n);
    let furthest = -1;
    const path = typeof g.group['_path'] === 'string' ? g.group['_path'].split(PATH_SEPARATOR) : [];
    for (const visited of path) {
      entered.set(visited, (entered.get(visited) ?? 0) + n);
      const at = position.get(visited);
      if (at !== undefined && at > furthest) furthest = at;
    }
    // Counting cumulatively: a deal that reached stage k passed every stage before it.
    if (furthest >= 0) reachedAt[furthest]! += n;
    stages.forEach((st, i) => {
      const stays = g.values[`n${i}`] ?? 0;
      if (!stays) return;
      const acc = stay.get(st.id) ?? { days: 0, n: 0 };
      acc.n += stays;
      acc.days += g.values[`d${i}`] ?? 0;
      stay.set(st.id, acc);
    });
  }
  const reached = new Array<number>(flow.length).fill(0);
  for (let i = flow.length - 1, run = 0; i >= 0; i--) {
    run += reachedAt[i] as number;
    reached[i] = run;
  }
  const rows: StageFunnelRow[] = stages.map((st) => {
    const at = position.get(st.id);
    const r = at === undefined ? (entered.get(st.id) ?? 0) : (reached[at] as number);
    const nextOpenOrWon = at !== undefined && at + 1 < flow.length ? reached[at + 1] : undefined;
    const acc = stay.get(st.id);
    return {
      stageId: st.id,
      stageName: st.name,
      category: st.category,
      reached: r,
      entered: entered.get(st.id) ?? 0,
      current: current.get(st.id) ?? 0,
      conversionToNext: nextOpenOrWon === undefined || st.category !== 'open' ? null : ratio(nextOpenOrWon, r),
      avgDaysInStage: acc ? acc.days / acc.n : null,
    };
  });
  return {
    report: 'stageFunnel',
    pipelineId: options.pipelineId,
    columns: [
      { key: 'stageName', label: 'Stage', kind: 'text' },
      { key: 'reached', label: 'Reached', kind: 'count' },
      { key: 'conversionToNext', label: 'Conversion to next', kind: 'ratio' },
      { key: 'avgDaysInStage', label: 'Average days in stage', kind: 'days' },
      { key: 'current', label: 'In stage now', kind: 'count' },
    ],
    rows,
    totals: { ...totals, conversion: ratio(totals.won, totals.deals) },
    timeZone: ctx.engine.timeZone,
    generatedAt: ctx.engine.now(),
    redacted: [],
  };
}
