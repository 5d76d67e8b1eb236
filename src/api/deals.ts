/**
 * `crm.deals`: the generic verbs, plus the stage verbs `moveToStage`, `win`, `lose` and
 * `reopen`. Each verb is authorized as an update and audited under its own name, keeps
 * `stageHistory`, and emits `deal.stageChanged` (with `from` and `to`) and its own event.
 *
 * @module
 */
import { ConstraintError, TransitionError, ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import type { Deal, DealStatus, StageHistoryEntry } from '../entities/deals';
import { DEAL_ENGINE_FIELDS, DEAL_VERB_FIELDS } from '../entities/deals';
import type { Stage } from '../entities/pipelines';
import type { CompiledEntity } from '../engine/compile';
import { throwIfAborted } from '../engine/guard';
import type { CallOptions, MergePatch, WriteOptions } from '../engine/types';
import { planCreate, planUpdate, updateWithRetry, visible } from '../engine/write';
import type { DomainEvent, Planned } from '../engine/write';
import type { StoredRecord } from '../storage/adapter';
import { makeRepository } from './repository';
import type { View } from './repository';
import type { EntityInput, Repository, UpdateItem } from './types';

/** What `crm.deals.create` takes: `status` and `stageHistory` are rapport's. */
export type DealInput<Custom = Record<string, unknown>> = EntityInput<Omit<Deal<Custom>, 'status' | 'stageHistory'>, 'title' | 'pipelineId'>;

/** Options of a deal create. */
export interface DealCreateOptions extends CallOptions {
  /** Allow a deal with a customer marked `blocked`. @defaultValue false */
  allowBlocked?: boolean;
}

/** Options of a deal update. */
export interface DealUpdateOptions extends WriteOptions {
  /** Allow pointing the deal at a customer marked `blocked`. @defaultValue false */
  allowBlocked?: boolean;
}

/** Options of {@link DealsApi.moveToStage}. */
export interface MoveOptions extends WriteOptions {
  /** Move into another pipeline (`stageId` is then one of its stages). @defaultValue the deal's pipeline */
  pipelineId?: string;
}

/** Options of {@link DealsApi.win}. */
export interface WinOptions extends WriteOptions {
  /** The won stage, where the pipeline has several. @defaultValue the pipeline's first won stage */
  stageId?: string;
  /** When it was won (recording the past). @defaultValue now */
  closedAt?: string;
}

/** Options of {@link DealsApi.lose}. */
export interface LoseOptions extends WriteOptions {
  /** Why it was lost; kept as `lostReason`. */
  reason?: string;
  /** The lost stage, where the pipeline has several. @defaultValue the pipeline's first lost stage */
  stageId?: string;
  /** When it was lost (recording the past). @defaultValue now */
  closedAt?: string;
}

/** Options of {@link DealsApi.reopen}. */
export interface ReopenOptions extends WriteOptions {
  /** The open stage to reopen in. @defaultValue the last open stage the deal was in, else the first open stage */
  stageId?: string;
}

/**
 * `crm.deals`.
 * @typeParam Custom - the deals' custom fields.
 */
export interface DealsApi<Custom = Record<string, unknown>> extends Repository<Deal<Custom>, DealInput<Custom>> {
  /**
   * Create a deal. `stageId` defaults to the pipeline's first open stage and `openedAt` to
   * now. A deal created in a won or lost stage (recording the past) takes `closedAt` (default
   * now), and its `stageHistory` reads: the first open stage from `openedAt`, the closed stage
   * from `closedAt`. Emits `deal.created`.
   * @example
   * ```ts
   * const deal = await crm.deals.create({ title: 'Acme — 40 seats', pipelineId, customerId, value: { amount: 4_800_000, currency: 'EUR' } });
   * ```
   * @throws `ValidationError` (unknown stage, `closedAt` on an open deal, `closedAt` before
   * `openedAt`, `status` or `stageHistory` given), `ConstraintError` `blocked` for a blocked
   * customer without `allowBlocked`, `ConstraintError` `reference_missing` for a missing
   * pipeline or customer, `PermissionError`.
   */
  create(input: DealInput<Custom>, options?: DealCreateOptions): Promise<Deal<Custom>>;
  /**
   * Create several deals atomically. @see {@link DealsApi.create}
   * @example
   * ```ts
   * const [renewal, upsell] = await crm.deals.createMany([
   *   { title: 'Acme — renewal', pipelineId, customerId, value: { amount: 1_200_000, currency: 'EUR' } },
   *   { title: 'Acme — upsell', pipelineId, customerId, value: { amount: 300_000, currency: 'EUR' } },
   * ]);
   * ```
   */
  createMany(inputs: readonly DealInput<Custom>[], options?: DealCreateOptions): Promise<Deal<Custom>[]>;
  /**
   * Patch a deal. Stage, pipeline and `closedAt` change only through the verbs.
   * @example
   * ```ts
   * await crm.deals.update(deal.id, { expectedCloseAt: '2024-09-30T00:00:00Z' });
   * ```
   * @throws `ValidationError` (code `read_only`) for `stageId`, `pipelineId`, `closedAt`, `status` or `stageHistory`.
   */
  update(id: string, patch: MergePatch<DealInput<Custom>>, options?: DealUpdateOptions): Promise<Deal<Custom>>;
  /**
   * Move an open deal to another stage; moving into a won or lost stage wins or loses it.
   * Audited as `moveToStage`; emits `deal.stageChanged` `{ from, to }`.
   * @example
   * ```ts
   * await crm.deals.moveToStage(deal.id, 'proposal');
   * ```
   * @throws `TransitionError` when the deal is closed (reopen it first), `ValidationError` for an unknown stage.
   */
  moveToStage(id: string, stageId: string, options?: MoveOptions): Promise<Deal<Custom>>;
  /**
   * Win an open deal: won stage, `closedAt`. Audited as `win`; emits `deal.stageChanged` and `deal.won`.
   * @example
   * ```ts
   * await crm.deals.win(deal.id);
   * ```
   * @throws `TransitionError` (`from` `won` or `lost`, `to` `won`) unless the deal is open.
   */
  win(id: string, options?: WinOptions): Promise<Deal<Custom>>;
  /**
   * Lose an open deal: lost stage, `closedAt`, `lostReason`. Audited as `lose`; emits `deal.stageChanged` and `deal.lost`.
   * @example
   * ```ts
   * await crm.deals.lose(deal.id, { reason: 'price' });
   * ```
   * @throws `TransitionError` (`to` `lost`) unless the deal is open.
   */
  lose(id: string, options?: LoseOptions): Promise<Deal<Custom>>;
  /**
   * Reopen a won or lost deal: back to an open stage, `closedAt` and `lostReason` cleared.
   * Audited as `reopen`; emits `deal.stageChanged` and `deal.reopened`.
   * @example
   * ```ts
   * await crm.deals.reopen(deal.id, { stageId: 'negotiation' });
   * ```
   * @throws `TransitionError` (`from` `open`, `to` `open`) when the deal is open.
   */
  reopen(id: string, options?: ReopenOptions): Promise<Deal<Custom>>;
}

/** A pipeline as the deal verbs need it. */
interface PipelineRecord extends StoredRecord {
  stages: Stage[];
}

/** The pipeline a deal points to; `ConstraintError` `reference_missing` when absent. */
export async function loadPipeline(ctx: View, pipelineId: string, recordId?: string): Promise<PipelineRecord> {
  // Integrity lookups run unscoped: a pipeline is configuration every deal writer needs.
  const [p] = await ctx.session.get('pipelines', [pipelineId]);
  if (!p) {
    throw new ConstraintError(
      `pipelineId points to pipelines ${pipelineId}, which does not exist`,
      { constraint: 'reference_missing', fields: ['pipelineId'], conflictingIds: [pipelineId], index: 'deals.pipelineId' },
      { collection: 'deals', recordId },
    );
  }
  return p as PipelineRecord;
}

function issue(path: (string | number)[], message: string, code = 'invalid_value'): ValidationIssue {
  return { path, message, code };
}

function isoOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Refuse a deal with a blocked customer unless allowed. */
async function checkBlocked(ctx: View, customerId: unknown, allowBlocked: boolean | undefined, recordId: string | undefined): Promise<void> {
  if (allowBlocked || typeof customerId !== 'string') return;
  const [customer] = await ctx.session.get('customers', [customerId]);
  if (customer?.['blocked']) {
    throw new ConstraintError(
      `customer ${customerId} is blocked; pass { allowBlocked: true } to record a deal with them anyway`,
      { constraint: 'blocked', fields: ['customerId'], conflictingIds: [customerId], index: 'customers.blocked' },
      { collection: 'deals', recordId },
    );
  }
}

/**
 * Plan a deal create: fill the stage, dates, status and stage history, check the customer,
 * then validate, authorize and derive as every create does.
 *
 * @internal
 */
export async function planDealCreate(
  ctx: View,
  entity: CompiledEntity,
  input: unknown,
  options: { prefix?: (string | number)[]; allowBlocked?: boolean | undefined } = {},
): Promise<Planned | { issues: ValidationIssue[] }> {
  const prefix = options.prefix ?? [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return planCreate(ctx, entity, input, { prefix });
  const given = input as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  for (const f of DEAL_ENGINE_FIELDS) if (f in given) issues.push(issue([...prefix, f], 'is kept by rapport and cannot be written', 'read_only'));
  if (typeof given['pipelineId'] !== 'string') {
    const planned = await planCreate(ctx, entity, given, { prefix });
    return 'issues' in planned ? { issues: [...issues, ...planned.issues] } : { issues };
  }
  const pipeline = await loadPipeline(ctx, given['pipelineId'], given['id'] as string | undefined);
  const stageId = given['stageId'] ?? pipeline.stages.find((s) => s.category === 'open')?.id;
  const stage = pipeline.stages.find((s) => s.id === stageId);
  if (!stage) {
    issues.push(issue([...prefix, 'stageId'], `pipeline ${pipeline.id} has no stage "${String(stageId)}"`));
    return { issues };
  }
  const now = ctx.engine.now();
  const closed = stage.category !== 'open';
  let closedAt = isoOf(given['closedAt']);
  if (!closed && given['closedAt'] !== undefined) issues.push(issue([...prefix, 'closedAt'], 'only a won or lost deal has closedAt'));
  if (stage.category !== 'lost' && given['lostReason'] !== undefined) issues.push(issue([...prefix, 'lostReason'], 'only a lost deal has a lostReason'));
  if (closed && given['closedAt'] === undefined) closedAt = now;
  let openedAt = isoOf(given['openedAt']);
  if (given['openedAt'] === undefined) openedAt = closedAt !== undefined && closedAt < now ? closedAt : now;
  if (openedAt !== undefined && closedAt !== undefined && closedAt < openedAt) issues.push(issue([...prefix, 'closedAt'], `must not be before openedAt (${openedAt})`));
  if (issues.length) return { issues };
  const by = ctx.actor.id;
  let history: StageHistoryEntry[] | undefined;
  if (openedAt !== undefined && (!closed || closedAt !== undefined)) {
    const firstOpen = pipeline.stages.find((s) => s.category === 'open') as Stage;
    history = closed
      ? [
          { stageId: firstOpen.id, enteredAt: openedAt, leftAt: closedAt as string, by },
          { stageId: stage.id, enteredAt: closedAt as string, by },
        ]
      : [{ stageId: stage.id, enteredAt: openedAt, by }];
  }
  await checkBlocked(ctx, given['customerId'], options.allowBlocked, given['id'] as string | undefined);
  const record: Record<string, unknown> = {
    ...given,
    stageId: stage.id,
    status: stage.category,
    ...(given['openedAt'] === undefined ? { openedAt } : {}),
    ...(closed && given['closedAt'] === undefined ? { closedAt } : {}),
    ...(history ? { stageHistory: history } : {}),
  };
  return planCreate(ctx, entity, record, { prefix });
}

/** The patch that moves a deal from its current stage into `to`, at `at`. */
function movePatch(current: StoredRecord, to: Stage, at: string, by: string, extra: Record<string, unknown>): Record<string, unknown> {
  const history = ((current['stageHistory'] ?? []) as StageHistoryEntry[]).map((e) => ({ ...e }));
  const last = history[history.length - 1];
  if (last && last.leftAt === undefined) last.leftAt = at;
  history.push({ stageId: to.id, enteredAt: at, by });
  return { stageId: to.id, status: to.category, stageHistory: history, ...extra };
}

/** Events of a stage change: `deal.stageChanged`, and `deal.won` / `deal.lost` / `deal.reopened`. */
function stageEvents(from: StoredRecord, to: StoredRecord): DomainEvent[] {
  const events: DomainEvent[] = [];
  if (from['stageId'] !== to['stageId'] || from['pipelineId'] !== to['pipelineId']) {
    events.push({ name: 'deal.stageChanged', payload: { from: from['stageId'], to: to['stageId'], fromPipelineId: from['pipelineId'], toPipelineId: to['pipelineId'] } });
  }
  if (from['status'] !== to['status']) {
    if (to['status'] === 'won') events.push({ name: 'deal.won', payload: {} });
    else if (to['status'] === 'lost') events.push({ name: 'deal.lost', payload: { reason: to['lostReason'] ?? null } });
    else if (from['status'] !== 'open') events.push({ name: 'deal.reopened', payload: { from: from['status'] } });
  }
  return events;
}

type Transition = (current: StoredRecord, pipeline: PipelineRecord) => Record<string, unknown> | undefined;

/** Build `crm.deals` for a view. */
export function makeDeals<Custom>(ctx: View): DealsApi<Custom> {
  const entity = ctx.engine.entity('deals');
  const repo = makeRepository<Deal<Custom>, DealInput<Custom>>(ctx, entity);

  /**
   * Read, compute the next state with the deal's pipeline in hand, write with the version
   * read; on a conflict (and no explicit expectedVersion) read again and recompute.
   */
  async function transition(id: string, action: string, expectedVersion: number | undefined, next: Transition, pipelineId?: string): Promise<Deal<Custom>> {
    const record = await updateWithRetry(ctx, entity, id, undefined, expectedVersion, {
      // The pipeline is read on every attempt: a retry must judge the move against the current one.
      plan: async (current) => {
        const pipeline = await loadPipeline(ctx, pipelineId ?? (current['pipelineId'] as string), id);
        const patch = next(current, pipeline);
        return patch ? planUpdate(ctx, entity, current, patch, { action, allowEngineFields: true, events: stageEvents }) : undefined;
      },
    });
    return visible(ctx, entity, record);
  }


  function stageOf(pipeline: PipelineRecord, stageId: string | undefined, category: DealStatus, id: string): Stage {
    const stage = stageId === undefined ? pipeline.stages.find((s) => s.category === category) : pipeline.stages.find((s) => s.id === stageId);
    if (!stage) throw new ValidationError([issue(['stageId'], `pipeline ${pipeline.id} has no stage "${String(stageId)}"`)], { collection: 'deals', recordId: id });
    if (stage.category !== category) {
      throw new ValidationError([issue(['stageId'], `stage "${stage.id}" is ${stage.category}, not ${category}`)], { collection: 'deals', recordId: id });
    }
    return stage;
  }

  function closeAt(current: StoredRecord, given: string | undefined): string {
    const at = given === undefined ? ctx.engine.now() : isoOf(given);
    if (at === undefined) throw new ValidationError([issue(['closedAt'], 'must be an ISO 8601 date-time with a time zone', 'invalid_type')], { collection: 'deals', recordId: current.id });
    const history = (current['stageHistory'] ?? []) as StageHistoryEntry[];
    const since = history[history.length - 1]?.enteredAt ?? (current['openedAt'] as string);
    if (at < since) throw new ValidationError([issue(['closedAt'], `must not be before the deal entered its current stage (${since})`)], { collection: 'deals', recordId: current.id });
    return at;
  }

  function closeTo(current: StoredRecord, stage: Stage, closedAtGiven: string | undefined, reason: string | undefined): Record<string, unknown> {
    if (current['status'] !== 'open') throw new TransitionError(String(current['status']), stage.category, { collection: 'deals', recordId: current.id });
    const at = closeAt(current, closedAtGiven);
    const extra: Record<string, unknown> = { closedAt: at, lostReason: stage.category === 'lost' ? (reason ?? null) : null };
    return movePatch(current, stage, at, ctx.actor.id, extra);
  }

  function refuseVerbFields(patch: unknown, prefix: (string | number)[] = []): void {
    if (typeof patch !== 'object' || patch === null) return;
    const issues = [...DEAL_VERB_FIELDS, ...DEAL_ENGINE_FIELDS]
      .filter((f) => f in patch)
      .map((f) => issue([...prefix, f], DEAL_VERB_FIELDS.includes(f as never) ? 'changes only through moveToStage, win, lose or reopen' : 'is kept by rapport and cannot be written', 'read_only'));
    if (issues.length) throw new ValidationError(issues, { collection: 'deals' });
  }

  async function createOne(input: unknown, options: DealCreateOptions = {}): Promise<Deal<Custom>> {
    throwIfAborted(options.signal);
    const planned = await planDealCreate(ctx, entity, input, { allowBlocked: options.allowBlocked });
    if ('issues' in planned) throw new ValidationError(planned.issues, { collection: 'deals' });
    await ctx.session.commit(planned.ops, planned.effects);
    return visible(ctx, entity, planned.record);
  }

  const api: DealsApi<Custom> = {
    ...repo,
    create: (input, options) => createOne(input, options),
    async createMany(inputs, options = {}) {
      throwIfAborted(options.signal);
      if (!Array.isArray(inputs)) throw new ValidationError([issue([], 'expected an array', 'invalid_type')], { collection: 'deals' });
      const planned: Planned[] = [];
      const issues: ValidationIssue[] = [];
      for (let i = 0; i < inputs.length; i++) {
        const p = await planDealCreate(ctx, entity, inputs[i], { prefix: [i], allowBlocked: options.allowBlocked });
        if ('issues' in p) issues.push(...p.issues);
        else planned.push(p);
      }
      if (issues.length) throw new ValidationError(issues, { collection: 'deals' });
      throwIfAborted(options.signal);
      await ctx.session.commit(planned.flatMap((p) => p.ops), planned.flatMap((p) => p.effects));
      return planned.map((p) => visible<Deal<Custom>>(ctx, entity, p.record));
    },
    async update(id, patch, options = {}) {
      throwIfAborted(options.signal);
      refuseVerbFields(patch);
      if (typeof patch === 'object' && patch !== null && 'customerId' in patch) await checkBlocked(ctx, patch.customerId, options.allowBlocked, id);
      return repo.update(id, patch, options);
    },
    async updateMany(items: readonly UpdateItem<DealInput<Custom>>[], options) {
      items.forEach((item, i) => {
        refuseVerbFields(item?.patch, [i, 'patch']);
      });
      for (const item of items) if (item.patch && 'customerId' in item.patch) await checkBlocked(ctx, item.patch.customerId, false, item.id);
      return repo.updateMany(items, options);
    },
    async upsert(input, options) {
      throwIfAborted(options?.signal);
      const externalId = (input as { externalId?: unknown }).externalId;
      if (typeof externalId !== 'string' || externalId.length === 0) {
        throw new ValidationError([issue(['externalId'], 'upsert needs an externalId', 'invalid_type')], { collection: 'deals' });
      }
      const page = await ctx.session.query('deals', { where: { field: 'externalId', op: 'eq', value: externalId }, limit: 1 });
      const existing = page.items[0];
      if (!existing) return { record: await createOne(input, options), created: true };
      // Re-importing a deal updates its data; stage changes still go through the verbs.
      const { id: _id, pipelineId: _p, stageId: _s, closedAt: _c, ...patch } = input as Record<string, unknown>;
      return { record: await api.update(existing.id, patch as never, options), created: false };
    },
    moveToStage(id, stageId, options = {}) {
      return transition(
        id,
        'moveToStage',
        options.expectedVersion,
        (current, pipeline) => {
          const stage = pipeline.stages.find((s) => s.id === stageId);
          if (!stage) throw new ValidationError([issue(['stageId'], `pipeline ${pipeline.id} has no stage "${String(stageId)}"`)], { collection: 'deals', recordId: id });
          if (current['status'] !== 'open') throw new TransitionError(String(current['status']), stage.category, { collection: 'deals', recordId: id });
          if (stage.id === current['stageId'] && pipeline.id === current['pipelineId']) return undefined;
          if (stage.category !== 'open') return { ...closeTo(current, stage, undefined, undefined), pipelineId: pipeline.id };
          return movePatch(current, stage, ctx.engine.now(), ctx.actor.id, { pipelineId: pipeline.id });
        },
        options.pipelineId,
      );
    },
    win(id, options = {}) {
      return transition(id, 'win', options.expectedVersion, (current, pipeline) => {
        if (current['status'] !== 'open') throw new TransitionError(String(current['status']), 'won', { collection: 'deals', recordId: id });
        return closeTo(current, stageOf(pipeline, options.stageId, 'won', id), options.closedAt, undefined);
      });
    },
    lose(id, options = {}) {
      return transition(id, 'lose', options.expectedVersion, (current, pipeline) => {
        if (current['status'] !== 'open') throw new TransitionError(String(current['status']), 'lost', { collection: 'deals', recordId: id });
        return closeTo(current, stageOf(pipeline, options.stageId, 'lost', id), options.closedAt, options.reason);
      });
    },
    reopen(id, options = {}) {
      return transition(id, 'reopen', options.expectedVersion, (current, pipeline) => {
        if (current['status'] === 'open') throw new TransitionError('open', 'open', { collection: 'deals', recordId: id });
        let stageId = options.stageId;
        if (stageId === undefined) {
          const history = (current['stageHistory'] ?? []) as StageHistoryEntry[];
          const open = new Set(pipeline.stages.filter((s) => s.category === 'open').map((s) => s.id));
          stageId = [...history].reverse().find((e) => open.has(e.stageId))?.stageId;
        }
        const stage = stageOf(pipeline, stageId, 'open', id);
        return movePatch(current, stage, ctx.engine.now(), ctx.actor.id, { closedAt: null, lostReason: null });
      });
    },
  };
  return api;
}
