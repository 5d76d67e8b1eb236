/**
 * `crm.customers`: the generic verbs plus the timeline.
 *
 * @module
 */
import { QueryError } from '../errors';
import type { Customer } from '../entities/customers';
import type { Interaction, InteractionType } from '../entities/interactions';
import { INTERACTION_TYPES } from '../entities/interactions';
import { throwIfAborted } from '../engine/guard';
import { get } from '../engine/read';
import type { FindResult } from '../engine/read';
import { find } from '../engine/read';
import type { Filter } from '../query/types';
import type { CallOptions } from '../engine/types';
import { makeRepository } from './repository';
import type { View } from './repository';
import type { EntityInput, Repository } from './types';
import type { ConvertOptions, ConvertResult } from './convert';
import type { CustomerCreateOptions, FindDuplicatesOptions, FindDuplicatesResult } from './duplicates';
import type { MergeOptions, MergeResult, UnmergeResult } from './merge';

/** What `crm.customers.create` takes. */
export type CustomerInput<Custom = Record<string, unknown>> = EntityInput<Customer<Custom>, 'name'>;

/** Options of {@link CustomersApi.timeline}. */
export interface TimelineOptions {
  /** Only these interaction types. */
  types?: InteractionType[];
  /** From this instant (inclusive, ISO 8601). */
  from?: string;
  /** Up to this instant (inclusive, ISO 8601). */
  to?: string;
  /** Page size. @defaultValue 50 */
  limit?: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
  /** Include archived interactions. @defaultValue false */
  includeArchived?: boolean;
  /** Also count every match (`total`). @defaultValue false */
  total?: boolean;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * `crm.customers`.
 * @typeParam Custom - the customers' custom fields.
 */
export interface CustomersApi<Custom = Record<string, unknown>> extends Repository<Customer<Custom>, CustomerInput<Custom>> {
  /**
   * A customer's timeline: every interaction, ordered by `occurredAt ?? dueAt`, newest first.
   *
   * @example
   * ```ts
   * const { items } = await crm.customers.timeline(customer.id, { types: ['call', 'email'] });
   * ```
   * @throws `NotFoundError` when the customer does not exist or cannot be read.
   */
  timeline(customerId: string, options?: TimelineOptions): Promise<FindResult<Interaction>>;
  /**
   * Convert a lead into a customer (or prospect), optionally opening a deal, atomically.
   * Audited as `convert`; see {@link ConvertOptions} for the deal it can open.
   *
   * @example
   * ```ts
   * const { customer, deal } = await crm.customers.convert(lead.id, { deal: { title: 'First order', pipelineId } });
   * ```
   * @throws `TransitionError` unless the customer is a lead.
   */
  convert<DealCustom = Record<string, unknown>>(leadId: string, options?: ConvertOptions<DealCustom>): Promise<ConvertResult<Custom, DealCustom>>;
  /**
   * Create one customer; with `onDuplicate`, check first for one that looks the same (email,
   * phone or name): `block` refuses, `warn` creates and emits `customer.duplicateSuspected`.
   *
   * @example
   * ```ts
   * await crm.customers.create({ name: 'Ada', emails: [{ address: 'ada@example.com' }] }, { onDuplicate: 'block' });
   * ```
   * @throws `ConstraintError` (`constraint: 'duplicate'`, `conflictingIds`) in `block` mode;
   * otherwise as `Repository.create`.
   */
  create(input: CustomerInput<Custom>, options?: CustomerCreateOptions): Promise<Customer<Custom>>;
  /**
   * Groups of customers that look like one person or company: same normalized email,
   * phone digits or folded name. See {@link findDuplicates}.
   *
   * @example
   * ```ts
   * const { groups } = await crm.customers.findDuplicates({ by: ['email', 'phone'], limit: 20 });
   * ```
   */
  findDuplicates(options?: FindDuplicatesOptions): Promise<FindDuplicatesResult<Custom>>;
  /**
   * Merge duplicates into a primary in one atomic write: re-point every record that
   * references them, fill and union fields, archive them. See {@link MergeOptions} for which values win.
   *
   * @example
   * ```ts
   * const { mergeId } = await crm.customers.merge(ada.id, [adaAgain.id], { prefer: 'newest' });
   * ```
   * @throws `ValidationError`, `NotFoundError`, `PermissionError` (needs `merge`).
   */
  merge(primaryId: string, duplicateIds: readonly string[], options?: MergeOptions): Promise<MergeResult<Custom>>;
  /**
   * Undo a merge, restoring every record and pointer. See {@link UnmergeResult} for what comes back.
   *
   * @example
   * ```ts
   * await crm.customers.unmerge(mergeId);
   * ```
   * @throws `ConflictError` when records changed since in a way that cannot be undone; `NotFoundError`.
   */
  unmerge(mergeId: string, options?: CallOptions): Promise<UnmergeResult<Custom>>;
}

function isoOrThrow(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (typeof value !== 'string' || Number.isNaN(t)) throw new QueryError('expected an ISO 8601 date-time', [name]);
  return new Date(t).toISOString();
}

/** Build `crm.customers` for a view. */
export function makeCustomers<Custom>(ctx: View): CustomersApi<Custom> {
  const customers = ctx.engine.entity('customers');
  const interactions = ctx.engine.entity('interactions');
  const repo = makeRepository<Customer<Custom>, CustomerInput<Custom>>(ctx, customers);
  // Conversion, duplicate detection and merging load on first use: most host apps create and
  // read customers long before (or without ever) merging any.
  return {
    ...repo,
    convert: (leadId, options) => import('./convert').then((m) => m.convertLead(ctx, leadId, options)),
    create: (input, options) => (options?.onDuplicate === undefined ? repo.create(input, options) : import('./duplicates').then((m) => m.createChecked(ctx, repo, input, options))),
    findDuplicates: (options) => import('./duplicates').then((m) => m.findDuplicates<Custom>(ctx, options)),
    merge: (primaryId, duplicateIds, options) => import('./merge').then((m) => m.mergeCustomers<Custom>(ctx, primaryId, duplicateIds, options)),
    unmerge: (mergeId, options) => import('./merge').then((m) => m.unmergeCustomers<Custom>(ctx, mergeId, options)),
    async timeline(customerId, options = {}) {
      throwIfAborted(options.signal);
      await get(ctx, customers, customerId);
      const parts: Filter[] = [{ field: 'customerId', op: 'eq', value: customerId }];
      if (options.types) {
        const bad = options.types.findIndex((t) => !INTERACTION_TYPES.includes(t));
        if (bad >= 0) throw new QueryError(`unknown interaction type "${String(options.types[bad])}"`, ['types', bad]);
        parts.push({ field: 'type', op: 'in', value: options.types });
      }
      const from = isoOrThrow(options.from, 'from');
      const to = isoOrThrow(options.to, 'to');
      // `at` is the interactions' virtual field `occurredAt ?? dueAt`.
      return find<Interaction>(ctx, interactions, {
          where: { and: [...parts, ...(from ? [{ field: 'at', op: 'gte', value: from } as Filter] : []), ...(to ? [{ field: 'at', op: 'lte', value: to } as Filter] : [])] },
          orderBy: [{ field: 'at', direction: 'desc' }],
          limit: options.limit,
          cursor: options.cursor,
          includeArchived: options.includeArchived,
          total: options.total,
          signal: options.signal,
      });
    },
  };
}
