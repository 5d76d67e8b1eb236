/**
 * Pipelines: the ordered stages a deal goes through, each with a win probability, a
 * category (`open`, `won`, `lost`) and an optional forecast category. Many per CRM.
 *
 * @module
 */
import * as z from 'zod/mini';
import type { EntityModule } from '../engine/entity';
import type { RecordBase } from '../engine/types';
import { requiredText, text } from './common';

/** Whether a stage holds open deals, won ones or lost ones. */
export type StageCategory = 'open' | 'won' | 'lost';

/** The forecast categories, as Salesforce names them. */
export type ForecastCategory = 'pipeline' | 'bestCase' | 'commit' | 'closed' | 'omitted';

/** The forecast categories, broadest open one first. */
export const FORECAST_CATEGORIES: readonly ForecastCategory[] = ['pipeline', 'bestCase', 'commit', 'closed', 'omitted'];

/**
 * One stage of a pipeline.
 *
 * @example
 * ```ts
 * const stage: Stage = { id: 'proposal', name: 'Proposal sent', probability: 0.6, category: 'open', forecastCategory: 'bestCase' };
 * ```
 */
export interface Stage {
  /** Unique within the pipeline, 1 to 64 letters, digits, `_` or `-`; deals name it in `stageId`. Never changes. */
  id: string;
  /** Shown to people; may be renamed. */
  name: string;
  /** The chance a deal here is won, 0 to 1 (weighted values use it). */
  probability: number;
  /** `open`, `won` or `lost`. */
  category: StageCategory;
  /**
   * The stage's forecast category.
   * @defaultValue `pipeline` for open stages, `closed` for won ones, `omitted` for lost ones
   */
  forecastCategory?: ForecastCategory;
}

/**
 * A pipeline: ordered stages with at least one open, one won and one lost stage.
 *
 * @typeParam Custom - the custom fields' type.
 */
export interface Pipeline<Custom = Record<string, unknown>> extends RecordBase {
  /** The pipeline's name, e.g. `New business`. */
  name: string;
  /** What it is for. */
  description?: string;
  /** The stages, in order. */
  stages: Stage[];
  /** Custom fields. */
  custom: Custom;
}

/** The forecast category a stage falls in. */
export function forecastCategoryOf(stage: Stage): ForecastCategory {
  return stage.forecastCategory ?? (stage.category === 'won' ? 'closed' : stage.category === 'lost' ? 'omitted' : 'pipeline');
}

/** The problems with a list of stages, as `[path, message]` pairs (empty when valid). */
export function stageProblems(stages: readonly Stage[]): [(string | number)[], string][] {
  const problems: [(string | number)[], string][] = [];
  const seen = new Map<string, number>();
  stages.forEach((s, i) => {
    const first = seen.get(s.id);
    if (first !== undefined) problems.push([[i, 'id'], `duplicate stage id "${s.id}" (also stage ${first})`]);
    else seen.set(s.id, i);
  });
  for (const category of ['open', 'won', 'lost'] as const) {
    if (!stages.some((s) => s.category === category)) problems.push([[], `a pipeline needs at least one ${category} stage`]);
  }
  return problems;
}

/** Stage ids are short keys (they name fields of the deals' derived stage figures). */
const stageId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1 to 64 letters, digits, "_" or "-"' }));

const stage = z.strictObject({
  id: stageId,
  name: requiredText(200),
  probability: z.number().check(z.gte(0), z.lte(1)),
  category: z.enum(['open', 'won', 'lost']),
  forecastCategory: z.optional(z.enum(['pipeline', 'bestCase', 'commit', 'closed', 'omitted'])),
});

/** The stages of a pipeline, validated as a whole. */
export const stagesSchema = z.array(stage).check(
  z.maxLength(100),
  z.superRefine((stages, ctx) => {
    for (const [path, message] of stageProblems(stages as Stage[])) ctx.addIssue({ code: 'custom', message, path, input: stages });
  }),
);

/** The pipeline entity module. */
export const pipelinesModule: EntityModule = {
  collection: 'pipelines',
  singular: 'pipeline',
  shape: {
    name: requiredText(200),
    description: z.optional(text(2000)),
    stages: stagesSchema,
  },
  indexes: [{ name: 'name', fields: ['name'] }],
  search: [{ path: 'name', tag: 'n', weight: 10, kind: 'text' }],
  defaultOrder: [{ field: 'name', direction: 'asc' }],
};
