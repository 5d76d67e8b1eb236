/**
 * `crm.segments`: named, saved queries. Membership is evaluated on demand AS the caller —
 * the caller's scope is ANDed in and hidden fields stay hidden — and never stored.
 *
 * @module
 */
import { NotFoundError, ValidationError } from '../errors';
import type { Segment } from '../entities/segments';
import { throwIfAborted } from '../engine/guard';
import { applyMergePatch } from '../engine/merge-patch';
import { buildQuery, count, find, get } from '../engine/read';
import type { FindResult } from '../engine/read';
import type { CallOptions } from '../engine/types';
import type { Filter, OrderBy } from '../query/types';
import { makeRepository } from './repository';
import type { View } from './repository';
import type { EntityInput, Repository } from './types';

/**
 * What `crm.segments.create` takes.
 *
 * @example
 * ```ts
 * const input: SegmentInput = { name: 'VIPs', collection: 'customers', where: { field: 'tier', op: 'eq', value: 'vip' } };
 * ```
 */
export type SegmentInput = EntityInput<Segment, 'name' | 'collection' | 'where'>;

/** Collections a segment cannot select (rapport's own bookkeeping). */
const NOT_SEGMENTABLE = new Set(['segments', 'automations', 'automationRuns']);

/**
 * Options of {@link SegmentsApi.members}.
 *
 * @example
 * ```ts
 * const page = await crm.segments.members(id, { orderBy: [{ field: 'name' }], limit: 20, total: true } satisfies MembersOptions);
 * ```
 */
export interface MembersOptions extends CallOptions {
  /** Sort keys; `id` is always appended. @defaultValue the collection's default order */
  orderBy?: OrderBy[] | undefined;
  /** Page size. @defaultValue 50 (at most 1,000) */
  limit?: number | undefined;
  /** From the previous page's `nextCursor`. */
  cursor?: string | undefined;
  /** Include archived records. @defaultValue false */
  includeArchived?: boolean | undefined;
  /** Also count every member (`total`). @defaultValue false */
  total?: boolean | undefined;
}

/**
 * `crm.segments`.
 * @example
 * ```ts
 * const vips = await crm.segments.create({ name: 'VIPs in Türkiye', collection: 'customers',
 *   where: { and: [{ field: 'tier', op: 'eq', value: 'vip' }, { field: 'addresses.country', op: 'eq', value: 'TR' }] } });
 * const { items } = await crm.segments.members(vips.id, { orderBy: [{ field: 'name' }], limit: 20 });
 * ```
 */
export interface SegmentsApi extends Omit<Repository<Segment, SegmentInput>, 'count'> {
  /**
   * One page of a segment's members, found as the caller (scope and hidden fields apply).
   * @throws `NotFoundError` for an unknown (or unreadable) segment, `PermissionError` when the
   * filter names a field the caller cannot read, `QueryError` for a bad order or cursor.
   * @example
   * ```ts
   * const page = await crm.segments.members(segment.id, { limit: 50, cursor });
   * ```
   */
  members<T = Record<string, unknown>>(id: string, options?: MembersOptions): Promise<FindResult<T>>;
  /**
   * How many members a segment has for the caller — or, given a filter (or nothing), how
   * many segments match, like every collection's `count`.
   * @example
   * ```ts
   * const n = await crm.segments.count(segment.id);
   * ```
   */
  count(id: string, options?: CallOptions & { includeArchived?: boolean }): Promise<number>;
  /** How many segments match a filter. */
  count(where?: Filter, options?: CallOptions & { includeArchived?: boolean }): Promise<number>;
}

/**
 * Build `crm.segments` for a view.
 *
 * @example
 * ```ts
 * const segments = makeSegments(ctx); // what crm.segments is
 * ```
 */
export function makeSegments(ctx: View): SegmentsApi {
  const entity = ctx.engine.entity('segments');
  const repo = makeRepository<Segment, SegmentInput>(ctx, entity);

  /** The collection must be one the CRM has, and the filter one the author may run. */
  async function checkTarget(input: unknown, prefix: (string | number)[] = []): Promise<void> {
    if (typeof input !== 'object' || input === null) return;
    const { collection, where } = input as { collection?: unknown; where?: unknown };
    if (typeof collection !== 'string') return;
    const target = ctx.engine.entities.get(collection);
    if (!target || NOT_SEGMENTABLE.has(collection)) {
      throw new ValidationError([{ path: [...prefix, 'collection'], message: `unknown collection "${collection}"`, code: 'invalid_value' }], { collection: 'segments' });
    }
    if (where !== undefined) await buildQuery(ctx, target, { where: where as Filter });
  }

  async function load(id: string): Promise<Segment> {
    return get<Segment>(ctx, entity, id);
  }

  const api: SegmentsApi = {
    ...repo,
    async create(input, options) {
      await checkTarget(input);
      return repo.create(input, options);
    },
    async createMany(inputs, options) {
      if (Array.isArray(inputs)) for (let i = 0; i < inputs.length; i++) await checkTarget(inputs[i], [i]);
      return repo.createMany(inputs, options);
    },
    async update(id, patch, options) {
      if (typeof patch === 'object' && patch !== null && ('collection' in patch || 'where' in patch)) {
        const current = await load(id);
        await checkTarget(applyMergePatch(current as never, patch));
      }
      return repo.update(id, patch, options);
    },
    async updateMany(items, options) {
      for (const item of items) {
        if (typeof item?.patch === 'object' && item.patch !== null && ('collection' in item.patch || 'where' in item.patch)) await checkTarget(applyMergePatch((await load(item.id)) as never, item.patch));
      }
      return repo.updateMany(items, options);
    },
    async upsert(input, options) {
      await checkTarget(input);
      return repo.upsert(input, options);
    },
    async members<T>(id: string, options: MembersOptions = {}) {
      throwIfAborted(options.signal);
      const segment = await load(id);
      const target = ctx.engine.entities.get(segment.collection);
      if (!target) throw new NotFoundError('collections', segment.collection);
      return find<T>(ctx, target, {
        where: segment.where,
        orderBy: options.orderBy,
        limit: options.limit,
        cursor: options.cursor,
        includeArchived: options.includeArchived,
        total: options.total,
        signal: options.signal,
      });
    },
    async count(idOrWhere?: string | Filter, options: CallOptions & { includeArchived?: boolean } = {}) {
      if (typeof idOrWhere !== 'string') return repo.count(idOrWhere, options);
      throwIfAborted(options.signal);
      const segment = await load(idOrWhere);
      const target = ctx.engine.entities.get(segment.collection);
      if (!target) throw new NotFoundError('collections', segment.collection);
      return count(ctx, target, segment.where, options);
    },
  } as SegmentsApi;
  return api;
}
