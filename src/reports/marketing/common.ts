/**
 * What the marketing reports share: the date range they take, the caller-scoped filter they
 * hand to `aggregate` (scope ANDed in, archived records out, filters on unreadable fields
 * refused — exactly as `find`), the aggregate call itself, and paging through a scoped query.
 *
 * @internal
 * @module
 */
import { buildQuery } from '../../engine/read';
import { and } from '../sales/common';
import { throwIfAborted } from '../../engine/guard';
import type { OpContext } from '../../engine/guard';
import type { Filter } from '../../query/types';
import type { StoredRecord } from '../../storage/adapter';

/**
 * The date range a marketing report covers: `from`/`to`, or a calendar `period` in the CRM's
 * time zone (`2024`, `2024-Q2`, `2024-05`). Both bounds optional; `to` is exclusive.
 *
 * @example
 * ```ts
 * const range: MarketingRange = { period: '2024-Q2' };
 * ```
 */
export interface MarketingRange {
  /** From this instant (inclusive, ISO 8601). */
  from?: string | undefined;
  /** Up to this instant (exclusive, ISO 8601). */
  to?: string | undefined;
  /** A calendar period in the CRM's time zone; ignored when `from` or `to` is given. */
  period?: string | undefined;
  /** Cancels the call. */
  signal?: AbortSignal | undefined;
}

/**
 * The storage filter for the caller on a collection: their conditions (public paths,
 * validated, unreadable fields refused), their read scope, archived records out. `false`
 * when they may read nothing there.
 * @example
 * ```ts
 * const where = await scopedWhere(ctx, 'deals', [{ field: 'status', op: 'eq', value: 'won' }]);
 * ```
 */
export async function scopedWhere(ctx: OpContext, collection: string, conditions: Filter[]): Promise<Filter | undefined | false> {
  const entity = ctx.engine.entity(collection);
  const built = await buildQuery(ctx, entity, { where: and(...conditions) });
  return built === false ? false : built.where;
}

/**
 * What the sales reports use too: `aggregate` (natively where the adapter can, by scan
 * otherwise), `and`, the date range an option asks for (`rangeOf`) and the conditions putting
 * a date field in it (`rangeConditions`).
 */
export { aggregate, and, rangeConditions, rangeOf } from '../sales/common';

/**
 * Visit every stored record matching a storage filter, a page at a time.
 *
 * @example
 * ```ts
 * await scan(ctx, 'campaigns', where, (r) => campaigns.push(r));
 * ```
 */
export async function scan(ctx: OpContext, collection: string, where: Filter | undefined, visit: (r: StoredRecord) => void, signal?: AbortSignal): Promise<void> {
  let cursor: string | undefined;
  do {
    throwIfAborted(signal);
    const page = await ctx.session.query(collection, { where, limit: 1000, cursor });
    for (const r of page.items) visit(r);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}

/**
 * Whether the caller cannot read a field (or what holds it).
 *
 * @example
 * ```ts
 * if (isHidden(ctx, 'deals', 'value')) redacted.push('deals.value');
 * ```
 */
export function isHidden(ctx: OpContext, collection: string, field: string): boolean {
  const hidden = ctx.engine.policy.hiddenFields(ctx.actor, collection);
  return hidden.has(field) || hidden.has(field.split('.')[0] as string);
}
