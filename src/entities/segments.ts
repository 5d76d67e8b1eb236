/**
 * Segments: named, saved queries over one collection ("VIPs in Türkiye", "blocked
 * customers"). Membership is evaluated on demand, as the caller, never stored.
 *
 * @module
 */
import * as z from 'zod/mini';
import type { EntityModule } from '../engine/entity';
import type { RecordBase } from '../engine/types';
import type { Filter } from '../query/types';
import { validateFilter } from '../query/validate';
import { requiredText, text } from './common';

/**
 * A segment.
 *
 * @example
 * ```ts
 * const vips: Segment = await crm.segments.create({ name: 'VIPs', collection: 'customers',
 *   where: { field: 'tier', op: 'eq', value: 'vip' } });
 * ```
 */
export interface Segment extends RecordBase {
  /** The segment's name. */
  name: string;
  /** What it is for. */
  description?: string;
  /** The collection whose records it selects, e.g. `customers`. */
  collection: string;
  /** The filter, in the query language of `find` (public fields only). */
  where: Filter;
  /** Custom fields (segments have none; kept for the record shape). */
  custom: Record<string, unknown>;
}

/**
 * The segment entity module. The filter is checked against the engine by `crm.segments`.
 *
 * @example
 * ```ts
 * MODULES.includes(segmentsModule); // registered in src/api/registry.ts
 * ```
 */
export const segmentsModule: EntityModule = {
  collection: 'segments',
  singular: 'segment',
  shape: {
    name: requiredText(500),
    description: z.optional(text(10_000)),
    collection: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, { message: 'must be a collection name such as customers' })),
    where: z.record(z.string(), z.unknown()),
  },
  indexes: [
    { name: 'name', fields: ['name'] },
    { name: 'collection', fields: ['collection'] },
  ],
  search: [{ path: 'name', tag: 'n', weight: 10, kind: 'text' }],
  defaultOrder: [{ field: 'name', direction: 'asc' }],
  prepare(next) {
    // The query language's own check: a bad filter is a QueryError naming its path under `where`.
    validateFilter(next['where']);
  },
};
