/**
 * `crm.pipelines`: the generic verbs (a whole `stages` array may be replaced by `update`),
 * plus stage verbs that edit one stage at a time. Whatever the verb, a stage that still
 * holds deals cannot be removed, nor change its category, until those deals are moved.
 *
 * @module
 */
import { ConflictError, ConstraintError, ValidationError } from '../errors';
import type { Pipeline, Stage } from '../entities/pipelines';
import { throwIfAborted } from '../engine/guard';
import type { MergePatch, WriteOptions } from '../engine/types';
import { planUpdate, readForWrite, updateWithRetry, visible } from '../engine/write';
import type { Planned } from '../engine/write';
import type { StoredRecord } from '../storage/adapter';
import { makeRepository } from './repository';
import type { View } from './repository';
import type { EntityInput, Repository, UpdateItem } from './types';

/** What `crm.pipelines.create` takes. */
export type PipelineInput<Custom = Record<string, unknown>> = EntityInput<Pipeline<Custom>, 'name' | 'stages'>;

/** What `updateStage` may change (the id never changes; `null` removes `forecastCategory`). */
export type StagePatch = MergePatch<Omit<Stage, 'id'>>;

/** Options of {@link PipelinesApi.addStage}. */
export interface AddStageOptions extends WriteOptions {
  /**
   * Where to insert it (0 = first).
   * @defaultValue after the last open stage for an open stage, at the end otherwise
   */
  index?: number;
}

/**
 * `crm.pipelines`.
 * @typeParam Custom - the pipelines' custom fields.
 */
export interface PipelinesApi<Custom = Record<string, unknown>> extends Repository<Pipeline<Custom>, PipelineInput<Custom>> {
  /**
   * Add a stage.
   * @example
   * ```ts
   * await crm.pipelines.addStage(pipeline.id, { id: 'demo', name: 'Demo', probability: 0.4, category: 'open' }, { index: 1 });
   * ```
   * @throws `ValidationError` for a duplicate id or a probability outside 0..1.
   */
  addStage(pipelineId: string, stage: Stage, options?: AddStageOptions): Promise<Pipeline<Custom>>;
  /**
   * Rename a stage, or change its probability, category or forecast category.
   * @example
   * ```ts
   * await crm.pipelines.updateStage(pipeline.id, 'demo', { name: 'Product demo', probability: 0.45 });
   * ```
   * @throws `ConstraintError` `referenced` when changing the category of a stage that holds deals.
   */
  updateStage(pipelineId: string, stageId: string, patch: StagePatch, options?: WriteOptions): Promise<Pipeline<Custom>>;
  /**
   * Move a stage to another position (0 = first).
   * @example
   * ```ts
   * await crm.pipelines.moveStage(pipeline.id, 'demo', 2);
   * ```
   */
  moveStage(pipelineId: string, stageId: string, index: number, options?: WriteOptions): Promise<Pipeline<Custom>>;
  /**
   * Remove a stage that holds no deals.
   * @example
   * ```ts
   * await crm.pipelines.removeStage(pipeline.id, 'demo');
   * ```
   * @throws `ConstraintError` `referenced` with the ids of deals still in it (move them first),
   * `ValidationError` when the pipeline would lose its last open, won or lost stage.
   */
  removeStage(pipelineId: string, stageId: string, options?: WriteOptions): Promise<Pipeline<Custom>>;
}

const MAX_IDS = 100;

/** Build `crm.pipelines` for a view. */
export function makePipelines<Custom>(ctx: View): PipelinesApi<Custom> {
  const entity = ctx.engine.entity('pipelines');
  const repo = makeRepository<Pipeline<Custom>, PipelineInput<Custom>>(ctx, entity);

  /** Refuse to drop (or recategorize) stages that still hold deals; the lookup is unscoped. */
  async function checkStages(current: StoredRecord, nextStages: unknown): Promise<void> {
    if (!Array.isArray(nextStages)) return;
    const after = new Map<string, unknown>(nextStages.map((s: { id?: unknown; category?: unknown }) => [String(s?.id), s?.category]));
    for (const stage of current['stages'] as Stage[]) {
      const removed = !after.has(stage.id);
      if (!removed && after.get(stage.id) === stage.category) continue;
      const page = await ctx.session.query('deals', {
        where: { and: [{ field: 'pipelineId', op: 'eq', value: current.id }, { field: 'stageId', op: 'eq', value: stage.id }] },
        limit: MAX_IDS,
      });
      if (page.items.length === 0) continue;
      const what = removed ? 'removed' : 'change its category';
      throw new ConstraintError(
        `stage "${stage.id}" of pipeline ${current.id} still holds deals, so it cannot be ${removed ? what : `made to ${what}`}; move them to another stage first`,
        { constraint: 'referenced', index: 'deals.pipelineId_stageId', fields: ['stages'], conflictingIds: page.items.map((d) => d.id) },
        { collection: 'pipelines', recordId: current.id },
      );
    }
  }

  async function planChecked(current: StoredRecord, patch: unknown): Promise<Planned | undefined> {
    if (typeof patch === 'object' && patch !== null && 'stages' in patch) await checkStages(current, (patch as { stages: unknown }).stages);
    return planUpdate(ctx, entity, current, patch);
  }

  async function write(id: string, expectedVersion: number | undefined, patchOf: (current: StoredRecord) => unknown): Promise<Pipeline<Custom>> {
    const record = await updateWithRetry(ctx, entity, id, undefined, expectedVersion, { plan: (current) => planChecked(current, patchOf(current)) });
    return visible(ctx, entity, record);
  }


  function stagesOf(current: StoredRecord): Stage[] {
    return (current['stages'] as Stage[]).map((s) => ({ ...s }));
  }

  function indexOf(current: StoredRecord, stageId: string): number {
    const i = (current['stages'] as Stage[]).findIndex((s) => s.id === stageId);
    if (i < 0) throw new ValidationError([{ path: ['stageId'], message: `pipeline ${current.id} has no stage "${String(stageId)}"`, code: 'invalid_value' }], { collection: 'pipelines', recordId: current.id });
    return i;
  }

  function checkIndex(index: unknown, max: number, current: StoredRecord): number {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > max) {
      throw new ValidationError([{ path: ['index'], message: `must be a whole number from 0 to ${max}`, code: 'invalid_value' }], { collection: 'pipelines', recordId: current.id });
    }
    return index;
  }

  const api: PipelinesApi<Custom> = {
    ...repo,
    update(id, patch, options) {
      throwIfAborted(options?.signal);
      return write(id, options?.expectedVersion, () => patch);
    },
    async updateMany(items: readonly UpdateItem<PipelineInput<Custom>>[], options) {
      throwIfAborted(options?.signal);
      const planned: Planned[] = [];
      const results: StoredRecord[] = [];
      for (const item of items) {
        const current = await readForWrite(ctx, entity, item.id);
        if (item.expectedVersion !== undefined && item.expectedVersion !== current.version) throw new ConflictError('pipelines', item.id, item.expectedVersion, current.version);
        const p = await planChecked(current, item.patch);
        if (p) planned.push(p);
        results.push(p ? p.record : current);
      }
      await ctx.session.commit(planned.flatMap((p) => p.ops), planned.flatMap((p) => p.effects));
      return results.map((r) => visible<Pipeline<Custom>>(ctx, entity, r));
    },
    async upsert(input, options) {
      throwIfAborted(options?.signal);
      const externalId = (input as { externalId?: unknown }).externalId;
      if (typeof externalId !== 'string' || externalId.length === 0) {
        throw new ValidationError([{ path: ['externalId'], message: 'upsert needs an externalId', code: 'invalid_type' }], { collection: 'pipelines' });
      }
      const page = await ctx.session.query('pipelines', { where: { field: 'externalId', op: 'eq', value: externalId }, limit: 1 });
      const existing = page.items[0];
      if (!existing) return { record: await repo.create(input, options), created: true };
      const { id: _id, ...patch } = input as Record<string, unknown>;
      return { record: await write(existing.id, undefined, () => patch), created: false };
    },
    addStage(pipelineId, stage, options = {}) {
      return write(pipelineId, options.expectedVersion, (current) => {
        const stages = stagesOf(current);
        const lastOpen = stages.map((s) => s.category).lastIndexOf('open');
        const at = options.index === undefined ? ((stage as Partial<Stage>)?.category === 'open' ? lastOpen + 1 : stages.length) : checkIndex(options.index, stages.length, current);
        stages.splice(at, 0, stage);
        return { stages };
      });
    },
    updateStage(pipelineId, stageId, patch, options = {}) {
      return write(pipelineId, options.expectedVersion, (current) => {
        const stages = stagesOf(current);
        const i = indexOf(current, stageId);
        if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
          throw new ValidationError([{ path: [], message: 'a stage patch is an object', code: 'invalid_type' }], { collection: 'pipelines', recordId: current.id });
        }
        if ('id' in patch) throw new ValidationError([{ path: ['id'], message: 'a stage id never changes; add a new stage instead', code: 'read_only' }], { collection: 'pipelines', recordId: current.id });
        const next: Record<string, unknown> = { ...stages[i] };
        for (const [k, v] of Object.entries(patch)) {
          if (v === null) delete next[k];
          else next[k] = v;
        }
        stages[i] = next as unknown as Stage;
        return { stages };
      });
    },
    moveStage(pipelineId, stageId, index, options = {}) {
      return write(pipelineId, options.expectedVersion, (current) => {
        const stages = stagesOf(current);
        const i = indexOf(current, stageId);
        const to = checkIndex(index, stages.length - 1, current);
        const [moved] = stages.splice(i, 1);
        stages.splice(to, 0, moved as Stage);
        return { stages };
      });
    },
    removeStage(pipelineId, stageId, options = {}) {
      return write(pipelineId, options.expectedVersion, (current) => {
        const i = indexOf(current, stageId);
        return { stages: stagesOf(current).filter((_, j) => j !== i) };
      });
    },
  };
  return api;
}
