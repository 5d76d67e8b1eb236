/**
 * `crm.reports.customerValue`: per-customer figures to sort and segment by — when we last
 * spoke, how often in a period, what they bought — computed with aggregates grouped by
 * `customerId` over interactions and deals, and paged with a keyset cursor.
 *
 * @module
 */
import { QueryError, ValidationError } from '../../errors';
import type { OpContext } from '../../engine/guard';
import { get } from '../../engine/read';
import type { Filter } from '../../query/types';
import { compareValues } from '../../query/order';
import { decodeCursor, encodeCursor, queryHash } from '../../query/cursor';
import type { Segment } from '../../entities/segments';
import { MoneyBag, amountIn } from '../table';
import type { MoneyList, ReportTable } from '../table';
import { aggregate, and, isHidden, rangeConditions, rangeOf, scan, scopedWhere } from './common';
import type { MarketingRange } from './common';

/**
 * What `customerValue` can order by.
 *
 * @example
 * ```ts
 * const o: CustomerValueOrder = 'wonValue';
 * ```
 */
export type CustomerValueOrder = 'lastInteractionAt' | 'interactions' | 'wonDeals' | 'wonValue' | 'name';

/**
 * Options of `customerValue`. The range applies to interactions' `occurredAt` and deals' `closedAt`.
 *
 * @example
 * ```ts
 * const o: CustomerValueOptions = { period: '2024', orderBy: 'wonValue', currency: 'EUR', limit: 20 };
 * ```
 */
export interface CustomerValueOptions extends MarketingRange {
  /** Only customers matching this filter. */
  where?: Filter | undefined;
  /** Only members of this customer segment (ANDed with `where`). */
  segmentId?: string | undefined;
  /** The figure to order by. @defaultValue `'wonValue'` when `currency` is given, else `'lastInteractionAt'` */
  orderBy?: CustomerValueOrder | undefined;
  /** @defaultValue `'asc'` for `name`, `'desc'` for the figures */
  direction?: 'asc' | 'desc' | undefined;
  /** The currency `wonValue` is ordered by (required for that order: currencies are never added). */
  currency?: string | undefined;
  /** Page size. @defaultValue 50 (at most 1,000) */
  limit?: number | undefined;
  /** From the previous page's `nextCursor`. */
  cursor?: string | undefined;
}

/**
 * One customer's figures.
 *
 * @example
 * ```ts
 * const [top]: CustomerValueRow[] = (await crm.reports.customerValue({ orderBy: 'interactions' })).rows;
 * ```
 */
export interface CustomerValueRow {
  /** The customer. */
  customerId: string;
  /** Their name. */
  name: string;
  /** When their latest done interaction happened (ever), or `null`. */
  lastInteractionAt: string | null;
  /** Done interactions with them in the range. */
  interactions: number;
  /** Deals of theirs won in the range. */
  wonDeals: number;
  /** Those deals' value, per currency. */
  wonValue: MoneyList;
}

/**
 * Totals over every customer selected (not just the page).
 *
 * @example
 * ```ts
 * const { totals } = await crm.reports.customerValue(); totals.customers;
 * ```
 */
export interface CustomerValueTotals {
  /** Customers selected. */
  customers: number;
  /** Done interactions in the range. */
  interactions: number;
  /** Deals won in the range. */
  wonDeals: number;
  /** Their value, per currency. */
  wonValue: MoneyList;
}

/**
 * The table `customerValue` returns: one page of rows.
 *
 * @example
 * ```ts
 * const page: CustomerValue = await crm.reports.customerValue({ limit: 50 });
 * ```
 */
export type CustomerValue = ReportTable<CustomerValueRow, CustomerValueTotals> & {
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
};

const ORDERS: readonly CustomerValueOrder[] = ['lastInteractionAt', 'interactions', 'wonDeals', 'wonValue', 'name'];


/**
 * Customer value figures, ordered and paged. Every customer selected (by `where`, `segmentId`
 * and the caller's scope) gets a row, with zeros where nothing happened, so the least
 * active sort first in ascending order. The whole selection is computed per call (its
 * memory grows with it): narrow big books with `where` or a segment.
 *
 * @example
 * ```ts
 * const page = await crm.reports.customerValue({ period: '2024', orderBy: 'wonValue', currency: 'EUR', limit: 20 });
 * const next = await crm.reports.customerValue({ period: '2024', orderBy: 'wonValue', currency: 'EUR', limit: 20, cursor: page.nextCursor });
 * ```
 */
export async function customerValue(ctx: OpContext, options: CustomerValueOptions = {}): Promise<CustomerValue> {
  const range = rangeOf(ctx, options);
  const orderBy = options.orderBy ?? (options.currency !== undefined ? 'wonValue' : 'lastInteractionAt');
  if (!ORDERS.includes(orderBy)) throw new QueryError(`orderBy is one of ${ORDERS.join(', ')}`, ['orderBy']);
  const direction = options.direction ?? (orderBy === 'name' ? 'asc' : 'desc');
  if (direction !== 'asc' && direction !== 'desc') throw new QueryError('direction is "asc" or "desc"', ['direction']);
  if (orderBy === 'wonValue' && (typeof options.currency !== 'string' || !/^[A-Z]{3}$/.test(options.currency))) {
    throw new ValidationError([{ path: ['currency'], message: 'ordering by wonValue needs the ISO 4217 currency to order by', code: 'invalid_value' }]);
  }
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new QueryError('limit must be a whole number from 1 to 1000', ['limit']);
  const conditions: Filter[] = options.where ? [options.where] : [];
  if (options.segmentId !== undefined) {
    const segment = await get<Segment>(ctx, ctx.engine.entity('segments'), options.segmentId);
    if (segment.collection !== 'customers') throw new ValidationError([{ path: ['segmentId'], message: `segment ${segment.id} selects ${segment.collection}, not customers`, code: 'invalid_value' }]);
    conditions.push(segment.where);
  }
  // The cursor is bound to everything that decides the selection and its order.
  const hash = queryHash(`customerValue:${options.segmentId ?? ''}:${range.from ?? ''}:${range.to ?? ''}:${options.currency ?? ''}`, options.where, [{ field: orderBy, direction }]);

  const customersWhere = await scopedWhere(ctx, 'customers', conditions);
  const rows = new Map<string, CustomerValueRow & { bag: MoneyBag }>();
  if (customersWhere !== false) {
    await scan(ctx, 'customers', customersWhere, (c) => {
      rows.set(c.id, { customerId: c.id, name: c['name'] as string, lastInteractionAt: null, interactions: 0, wonDeals: 0, wonValue: [], bag: new MoneyBag() });
    }, options.signal);
  }
  const interactionsWhere = ctx.engine.entities.has('interactions') ? await scopedWhere(ctx, 'interactions', [{ field: 'status', op: 'eq', value: 'done' }]) : false;
  if (interactionsWhere !== false && rows.size) {
    for (const g of await aggregate(ctx, 'interactions', { where: and(interactionsWhere, ...rangeConditions('occurredAt', range)), groupBy: ['customerId'], metrics: [{ name: 'n', op: 'count' }] }, options.signal)) {
      const r = rows.get(String(g.group['customerId']));
      if (r) r.interactions = g.values['n'] ?? 0;
    }
  }
  const valueHidden = ctx.engine.entities.has('deals') && isHidden(ctx, 'deals', 'value');
  if (ctx.engine.entities.has('deals') && rows.size) {
    const dealsWhere = await scopedWhere(ctx, 'deals', [{ field: 'status', op: 'eq', value: 'won' }, ...rangeConditions('closedAt', range)]);
    if (dealsWhere !== false) {
      for (const g of await aggregate(ctx, 'deals', { where: dealsWhere, groupBy: ['customerId', '_currency'], metrics: [{ name: 'n', op: 'count' }, { name: 'amount', op: 'sum', field: '_amount' }] }, options.signal)) {
        const r = rows.get(String(g.group['customerId']));
        if (!r) continue;
        r.wonDeals += g.values['n'] ?? 0;
        if (!valueHidden) r.bag.add(g.group['_currency'] as string | undefined, g.values['amount']);
      }
    }
  }
  // The latest interaction per customer: one indexed look-up each (customerId, at), newest first.
  const lastOf = async (r: CustomerValueRow) => {
    if (interactionsWhere === false) return;
    const page = await ctx.session.query('interactions', { where: and(interactionsWhere, { field: 'customerId', op: 'eq', value: r.customerId }), orderBy: [{ field: '_at', direction: 'desc' }], limit: 1 });
    const at = page.items[0]?.['occurredAt'];
    r.lastInteractionAt = typeof at === 'string' ? at : null;
  };
  const all = [...rows.values()];
  for (const r of all) r.wonValue = r.bag.list();
  if (orderBy === 'lastInteractionAt') for (const r of all) await lastOf(r);
  const keyOf = (r: CustomerValueRow): unknown => {
    switch (orderBy) {
      case 'lastInteractionAt':
        return r.lastInteractionAt;
      case 'interactions':
        return r.interactions;
      case 'wonDeals':
        return r.wonDeals;
      case 'wonValue':
        return amountIn(r.wonValue, options.currency as string);
      case 'name':
        return r.name;
    }
  };
  const sign = direction === 'asc' ? 1 : -1;
  const cmp = (ka: unknown, ida: string, kb: unknown, idb: string) => sign * compareValues(ka, kb) || (ida < idb ? -1 : ida > idb ? 1 : 0);
  all.sort((a, b) => cmp(keyOf(a), a.customerId, keyOf(b), b.customerId));
  let start = 0;
  if (options.cursor !== undefined) {
    const [k, id] = decodeCursor(options.cursor, hash, 2);
    if (typeof id !== 'string') throw new QueryError('cursor is malformed', ['cursor']);
    start = all.findIndex((r) => cmp(keyOf(r), r.customerId, k ?? null, id) > 0);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + limit);
  if (orderBy !== 'lastInteractionAt') for (const r of page) await lastOf(r);
  const totals = new MoneyBag();
  for (const r of all) totals.addAll(r.wonValue);
  const last = page[page.length - 1];
  const result: CustomerValue = {
    report: 'customerValue',
    columns: [
      { key: 'name', label: 'Customer', kind: 'text' },
      { key: 'lastInteractionAt', label: 'Last interaction', kind: 'text' },
      { key: 'interactions', label: 'Interactions', kind: 'count' },
      { key: 'wonDeals', label: 'Deals won', kind: 'count' },
      { key: 'wonValue', label: 'Won value', kind: 'money' },
    ],
    rows: page.map(({ bag: _bag, ...r }) => r),
    totals: {
      customers: all.length,
      interactions: all.reduce((n, r) => n + r.interactions, 0),
      wonDeals: all.reduce((n, r) => n + r.wonDeals, 0),
      wonValue: totals.list(),
    },
    timeZone: ctx.engine.timeZone,
    generatedAt: ctx.engine.now(),
    redacted: valueHidden ? ['deals.value'] : [],
  };
  if (last && start + limit < all.length) result.nextCursor = encodeCursor(hash, [keyOf(last) ?? null, last.customerId]);
  return result;
}
