/**
 * The generic repository behind every collection.
 *
 * @internal
 * @module
 */
import { ConflictError, CrmError, ValidationError, isConstraintError } from '../errors';
import type { ValidationIssue } from '../errors';
import type { CompiledEntity } from '../engine/compile';
import type { OpContext } from '../engine/guard';
import { throwIfAborted } from '../engine/guard';
import { count, find, get, getMany } from '../engine/read';
import type { FindQuery } from '../engine/read';
import { createLiveQuery } from '../engine/watch';
import { planCreate, planDelete, planUpdate, readForWrite, updateWithRetry, visible } from '../engine/write';
import type { Planned } from '../engine/write';
import type { Repository, UpdateItem } from './types';

/** A view: the engine, acting as one actor, through one session. */
export type View = OpContext;

/** Commit several planned writes as one atomic write. */
async function commitAll(ctx: View, planned: Planned[]): Promise<void> {
  await ctx.session.commit(
    planned.flatMap((p) => p.ops),
    planned.flatMap((p) => p.effects),
  );
}

/** Build the generic repository of a collection for a view. */
export function makeRepository<T, Input>(ctx: View, entity: CompiledEntity): Repository<T, Input> {
  const repo: Repository<T, Input> = {
    async create(input, options) {
      throwIfAborted(options?.signal);
      const planned = await planCreate(ctx, entity, input);
      if ('issues' in planned) throw new ValidationError(planned.issues, { collection: entity.collection });
      await commitAll(ctx, [planned]);
      return visible<T>(ctx, entity, planned.record);
    },
    async createMany(inputs, options) {
      throwIfAborted(options?.signal);
      if (!Array.isArray(inputs)) throw new ValidationError([{ path: [], message: 'expected an array', code: 'invalid_type' }], { collection: entity.collection });
      const planned: Planned[] = [];
      const issues: ValidationIssue[] = [];
      for (let i = 0; i < inputs.length; i++) {
        const p = await planCreate(ctx, entity, inputs[i], { prefix: [i] });
        if ('issues' in p) issues.push(...p.issues);
        else planned.push(p);
      }
      if (issues.length) throw new ValidationError(issues, { collection: entity.collection });
      throwIfAborted(options?.signal);
      await commitAll(ctx, planned);
      return planned.map((p) => visible<T>(ctx, entity, p.record));
    },
    get(id, options) {
      throwIfAborted(options?.signal);
      return get<T>(ctx, entity, id);
    },
    getMany(ids, options) {
      throwIfAborted(options?.signal);
      return getMany<T>(ctx, entity, ids);
    },
    async update(id, patch, options) {
      throwIfAborted(options?.signal);
      return visible<T>(ctx, entity, await updateWithRetry(ctx, entity, id, patch, options?.expectedVersion));
    },
    async updateMany(items: readonly UpdateItem<Input>[], options) {
      throwIfAborted(options?.signal);
      const planned: Planned[] = [];
      const results = [];
      for (const item of items) {
        const current = await readForWrite(ctx, entity, item.id);
        if (item.expectedVersion !== undefined && item.expectedVersion !== current.version) {
          throw new ConflictError(entity.collection, item.id, item.expectedVersion, current.version);
        }
        const p = await planUpdate(ctx, entity, current, item.patch);
        if (p) planned.push(p);
        results.push(p ? p.record : current);
      }
      await commitAll(ctx, planned);
      return results.map((r) => visible<T>(ctx, entity, r));
    },
    async upsert(input, options) {
      throwIfAborted(options?.signal);
      const externalId = (input as { externalId?: unknown }).externalId;
      if (typeof externalId !== 'string' || externalId.length === 0) {
        throw new ValidationError([{ path: ['externalId'], message: 'upsert needs an externalId', code: 'invalid_type' }], { collection: entity.collection });
      }
      // The unique index is unscoped: look the holder up through the session, not the actor's scope.
      const holder = async () => (await ctx.session.query(entity.collection, { where: { field: 'externalId', op: 'eq', value: externalId }, limit: 1 })).items[0];
      let existing = await holder();
      if (!existing) {
        try {
          return { record: await repo.create(input, options), created: true };
        } catch (error) {
          // Another writer created it between our look-up and our create: patch theirs instead.
          if (!isConstraintError(error) || error.constraint !== 'unique' || error.index !== 'externalId') throw error;
          existing = await holder();
          if (!existing) throw error;
        }
      }
      const { id: _ignored, ...patch } = input as Record<string, unknown>;
      return { record: visible<T>(ctx, entity, await updateWithRetry(ctx, entity, existing.id, patch, undefined)), created: false };
    },
    async archive(id, options) {
      throwIfAborted(options?.signal);
      return visible<T>(ctx, entity, await updateWithRetry(ctx, entity, id, { archivedAt: ctx.engine.now() }, options?.expectedVersion, {
        action: 'archive',
        events: () => [{ name: `${entity.singular}.archived`, payload: {} }],
      }));
    },
    async restore(id, options) {
      throwIfAborted(options?.signal);
      return visible<T>(ctx, entity, await updateWithRetry(ctx, entity, id, { archivedAt: null }, options?.expectedVersion, {
        action: 'restore',
        events: () => [{ name: `${entity.singular}.restored`, payload: {} }],
      }));
    },
    async delete(id, options) {
      throwIfAborted(options?.signal);
      const current = await readForWrite(ctx, entity, id);
      if (options?.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw new ConflictError(entity.collection, id, options.expectedVersion, current.version);
      }
      await commitAll(ctx, [await planDelete(ctx, entity, current)]);
    },
    find: (query?: FindQuery) => find<T>(ctx, entity, query ?? {}),
    count: (where, options) => count(ctx, entity, where, options ?? {}),
    watch(query, listener) {
      if (ctx.session.buffered) throw new CrmError('watch is not available inside a batch: watch outside it', 'internal', { collection: entity.collection });
      return createLiveQuery<T>(ctx.engine.storage, entity.collection, () => find<T>(ctx, entity, query ?? {}), listener);
    },
  };
  return repo;
}
