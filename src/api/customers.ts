/**
 * `crm.customers`: the generic verbs plus the timeline.
 *
 * @module
 */
import { QueryError } from '../errors';
import type { Customer } from '../entities/customers';
import type { Interaction, InteractionType } from '../entities/interactions';
import { INTERACTION_TYPES } from '../entities/interactions';
import { get } from '../engine/read';
import type { FindResult } from '../engine/read';
import { find } from '../engine/read';
import type { Filter } from '../query/types';
import { makeRepository } from './repository';
import type { View } from './repository';
import type { EntityInput, Repository } from './types';

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
  return {
    ...repo,
    async timeline(customerId, options = {}) {
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
      });
    },
  };
}
