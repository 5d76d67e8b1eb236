/**
 * `crm.automations`: automation rules as records. A rule names a trigger (`on`), an optional
 * filter on the triggering record (`where`) and declarative actions (`do`); the authority's
 * automation job runs it after the triggering write is stored, once per change.
 *
 * @module
 */
import { ValidationError } from '../errors';
import type { AutomationAction, AutomationRule, AutomationRun } from '../entities/automations';
import { throwIfAborted } from '../engine/guard';
import { applyMergePatch } from '../engine/merge-patch';
import { find, get } from '../engine/read';
import type { FindResult } from '../engine/read';
import type { CallOptions, WriteOptions } from '../engine/types';
import type { Filter } from '../query/types';
import { checkRule } from '../marketing/rules';
import { makeRepository } from './repository';
import type { View } from './repository';
import type { EntityInput, Repository } from './types';

/**
 * What `crm.automations.add` takes.
 *
 * @example
 * ```ts
 * const input: AutomationInput = { name: 'Welcome', on: 'customer.created', do: [{ action: 'tag', tags: ['new'] }] };
 * ```
 */
export type AutomationInput = EntityInput<AutomationRule, 'name' | 'on' | 'do'>;

/**
 * Options of {@link AutomationsApi.runs}.
 *
 * @example
 * ```ts
 * const q: RunsQuery = { ruleId: rule.id, status: 'failed', limit: 20 };
 * ```
 */
export interface RunsQuery extends CallOptions {
  /** Only runs of this rule. */
  ruleId?: string;
  /** Only runs that `ran` or `failed`. */
  status?: 'ran' | 'failed';
  /** Only runs triggered by this record. */
  recordId?: string;
  /** Page size. @defaultValue 50 */
  limit?: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
}

/**
 * `crm.automations`.
 * @example
 * ```ts
 * await crm.automations.add({
 *   name: 'Thank the buyer', on: 'deal.won', where: { field: 'value.amount', op: 'gte', value: 1_000_000 },
 *   do: [{ action: 'planInteraction', type: 'call', subject: 'Thank-you call', in: { days: 2 } },
 *        { action: 'tag', target: 'customer', tags: ['buyer'] }],
 * });
 * ```
 */
export interface AutomationsApi extends Repository<AutomationRule, AutomationInput> {
  /**
   * Add a rule (the same as `create`). Checked at once: the trigger, the filter, every action
   * against the record it writes, and that the author may make those writes on any record.
   * @throws `ValidationError` with paths, `QueryError` for a bad `where`, `PermissionError`.
   * @example
   * ```ts
   * await crm.automations.add({ name: 'Route complaints', on: 'ticket.opened',
   *   where: { field: 'kind', op: 'eq', value: 'complaint' }, do: [{ action: 'assign', assigneeId: 'u-lead' }] });
   * ```
   */
  add(input: AutomationInput, options?: CallOptions): Promise<AutomationRule>;
  /**
   * Turn a rule on (it applies to changes stored from its creation on, once enabled).
   * @example
   * ```ts
   * await crm.automations.enable(rule.id);
   * ```
   */
  enable(id: string, options?: WriteOptions): Promise<AutomationRule>;
  /**
   * Turn a rule off: changes the job reads while it is off do not run it.
   * @example
   * ```ts
   * await crm.automations.disable(rule.id);
   * ```
   */
  disable(id: string, options?: WriteOptions): Promise<AutomationRule>;
  /**
   * Stored runs, newest first: what each rule did, or why it failed.
   * @example
   * ```ts
   * const { items } = await crm.automations.runs({ status: 'failed' });
   * ```
   */
  runs(query?: RunsQuery): Promise<FindResult<AutomationRun>>;
}

/**
 * Build `crm.automations` for a view.
 *
 * @example
 * ```ts
 * const automations = makeAutomations(ctx); // what crm.automations is
 * ```
 */
export function makeAutomations(ctx: View): AutomationsApi {
  const entity = ctx.engine.entity('automations');
  const repo = makeRepository<AutomationRule, AutomationInput>(ctx, entity);

  /** Schema first (so field paths come from zod), then the checks that need the engine. */
  async function check(input: unknown, recordId?: string, prefix: (string | number)[] = []): Promise<void> {
    const parsed = entity.schema.safeParse(input);
    if (!parsed.success) return; // the repository reports the schema's issues
    const rule = parsed.data as { on: string; where?: unknown; do: AutomationAction[] };
    try {
      await checkRule(ctx, rule, recordId);
    } catch (error) {
      if (error instanceof ValidationError && prefix.length) throw new ValidationError(error.issues.map((i) => ({ ...i, path: [...prefix, ...i.path] })), { collection: 'automations' });
      throw error;
    }
  }

  async function checkPatched(id: string, patch: unknown): Promise<void> {
    if (typeof patch !== 'object' || patch === null || !['on', 'where', 'do'].some((k) => k in patch)) return;
    const current = (await get<AutomationRule>(ctx, entity, id)) as unknown as Record<string, unknown>;
    const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...rest } = current;
    await check(applyMergePatch(rest, patch), id);
  }

  const create = async (input: AutomationInput, options?: CallOptions) => {
    throwIfAborted(options?.signal);
    await check(input);
    return repo.create(input, options);
  };

  return {
    ...repo,
    create,
    add: create,
    async createMany(inputs, options) {
      if (Array.isArray(inputs)) for (let i = 0; i < inputs.length; i++) await check(inputs[i], undefined, [i]);
      return repo.createMany(inputs, options);
    },
    async update(id, patch, options) {
      await checkPatched(id, patch);
      return repo.update(id, patch, options);
    },
    async updateMany(items, options) {
      for (const item of items) await checkPatched(item.id, item.patch);
      return repo.updateMany(items, options);
    },
    async upsert(input, options) {
      await check(input);
      return repo.upsert(input, options);
    },
    enable: (id, options) => repo.update(id, { enabled: true }, options),
    disable: (id, options) => repo.update(id, { enabled: false }, options),
    runs(query = {}) {
      const parts: Filter[] = [];
      if (query.ruleId !== undefined) parts.push({ field: 'ruleId', op: 'eq', value: query.ruleId });
      if (query.status !== undefined) parts.push({ field: 'status', op: 'eq', value: query.status });
      if (query.recordId !== undefined) parts.push({ field: 'recordId', op: 'eq', value: query.recordId });
      return find<AutomationRun>(ctx, ctx.engine.entity('automationRuns'), {
        where: parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { and: parts },
        orderBy: [{ field: 'createdAt', direction: 'desc' }],
        limit: query.limit,
        cursor: query.cursor,
        signal: query.signal,
      });
    },
  };
}
