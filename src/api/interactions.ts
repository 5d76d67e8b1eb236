/**
 * `crm.interactions`: the generic verbs plus logging, planning, completing and cancelling.
 *
 * @module
 */
import { TransitionError, ValidationError } from '../errors';
import { throwIfAborted } from '../engine/guard';
import type { Interaction } from '../entities/interactions';
import type { StoredRecord } from '../storage/adapter';
import { planCreate, updateWithRetry, visible } from '../engine/write';
import type { CallOptions, WriteOptions } from '../engine/types';
import { makeRepository } from './repository';
import type { View } from './repository';
import type { EntityInput, Repository } from './types';
import { commitWithFirstResponse, createWithFirstResponse, updateWithFirstResponse } from '../service/first-response';

/** What `crm.interactions.create` takes. */
export type InteractionInput<Custom = Record<string, unknown>> = EntityInput<Interaction<Custom>, 'type' | 'customerId'>;

/** What `log` takes: something that happened (`occurredAt` defaults to now). */
export type LogInput<Custom = Record<string, unknown>> = Omit<InteractionInput<Custom>, 'status' | 'dueAt' | 'closedAt'>;

/** What `plan` takes: something due (`dueAt` required). */
export type PlanInput<Custom = Record<string, unknown>> = Omit<InteractionInput<Custom>, 'status' | 'occurredAt' | 'closedAt' | 'outcome'> & {
  /** When it is due (ISO 8601). */
  dueAt: string;
};

/** Options of {@link InteractionsApi.complete}. */
export interface CompleteOptions extends WriteOptions {
  /** How it went. */
  outcome?: 'successful' | 'unsuccessful';
  /** When it happened. @defaultValue now */
  occurredAt?: string;
  /** Notes to keep as the body. */
  body?: string;
}

/**
 * `crm.interactions`.
 * @typeParam Custom - the interactions' custom fields.
 */
export interface InteractionsApi<Custom = Record<string, unknown>> extends Repository<Interaction<Custom>, InteractionInput<Custom>> {
  /**
   * Log something that happened; emits `interaction.logged`.
   * @example
   * ```ts
   * await crm.interactions.log({ type: 'call', customerId, direction: 'outbound', subject: 'Intro call' });
   * ```
   */
  log(input: LogInput<Custom>, options?: CallOptions): Promise<Interaction<Custom>>;
  /**
   * Plan something due; emits `interaction.planned`.
   * @example
   * ```ts
   * await crm.interactions.plan({ type: 'meeting', customerId, dueAt: '2024-06-01T10:00:00Z' });
   * ```
   */
  plan(input: PlanInput<Custom>, options?: CallOptions): Promise<Interaction<Custom>>;
  /**
   * Mark a planned interaction done; emits `interaction.completed`.
   * @throws `TransitionError` unless it is planned.
   * @example
   * ```ts
   * await crm.interactions.complete(id, { outcome: 'successful' });
   * ```
   */
  complete(id: string, options?: CompleteOptions): Promise<Interaction<Custom>>;
  /**
   * Cancel a planned interaction; emits `interaction.cancelled`.
   * @throws `TransitionError` unless it is planned.
   * @example
   * ```ts
   * await crm.interactions.cancel(id);
   * ```
   */
  cancel(id: string, options?: WriteOptions): Promise<Interaction<Custom>>;
}

/** Build `crm.interactions` for a view. */
export function makeInteractions<Custom>(ctx: View): InteractionsApi<Custom> {
  const entity = ctx.engine.entity('interactions');
  const repo = makeRepository<Interaction<Custom>, InteractionInput<Custom>>(ctx, entity);

  async function createWith(input: unknown, status: 'done' | 'planned', options: CallOptions | undefined): Promise<Interaction<Custom>> {
    throwIfAborted(options?.signal);
    if (typeof input !== 'object' || input === null) throw new ValidationError([{ path: [], message: 'expected an object', code: 'invalid_type' }], { collection: 'interactions' });
    if (status === 'planned' && (input as { dueAt?: unknown }).dueAt === undefined) {
      throw new ValidationError([{ path: ['dueAt'], message: 'a planned interaction needs a dueAt', code: 'invalid_type' }], { collection: 'interactions' });
    }
    const planned = await planCreate(ctx, entity, { ...input, status });
    if ('issues' in planned) throw new ValidationError(planned.issues, { collection: 'interactions' });
    // An outbound interaction on a ticket is its first response: stored in the same write.
    await commitWithFirstResponse(ctx, planned);
    return visible(ctx, entity, planned.record);
  }

  function transition(to: 'done' | 'cancelled', extra: (current: StoredRecord) => Record<string, unknown>) {
    return (current: StoredRecord) => {
      if (current['status'] !== 'planned') {
        throw new TransitionError(String(current['status']), to, { collection: 'interactions', recordId: current.id });
      }
      return { status: to, ...extra(current) };
    };
  }

  return {
    ...repo,
    async create(input, options) {
      throwIfAborted(options?.signal);
      return visible(ctx, entity, await createWithFirstResponse(ctx, entity, input));
    },
    log: (input, options) => createWith(input, 'done', options),
    plan: (input, options) => createWith(input, 'planned', options),
    async complete(id, options = {}) {
      throwIfAborted(options.signal);
      const patch = transition('done', () => ({
        occurredAt: options.occurredAt ?? ctx.engine.now(),
        ...(options.outcome ? { outcome: options.outcome } : {}),
        ...(options.body !== undefined ? { body: options.body } : {}),
      }));
      return visible(ctx, entity, await updateWithFirstResponse(ctx, entity, id, patch, options.expectedVersion, { events: () => [{ name: 'interaction.completed', payload: {} }] }));
    },
    async cancel(id, options = {}) {
      throwIfAborted(options.signal);
      const patch = transition('cancelled', () => ({}));
      return visible(ctx, entity, await updateWithRetry(ctx, entity, id, patch, options.expectedVersion, { events: () => [{ name: 'interaction.cancelled', payload: {} }] }));
    },
  };
}
