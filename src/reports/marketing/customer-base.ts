/**
 * `crm.reports.customerBase`: the shape of the customer base — counts by lifecycle, tier,
 * country and acquisition channel — and new customers per month in the CRM's time zone.
 *
 * @module
 */
import { ValidationError } from '../../errors';
import type { OpContext } from '../../engine/guard';
import type { Filter } from '../../query/types';
import { periodOf, periodsBetween } from '../periods';
import type { ReportTable } from '../table';
import { aggregate, and, isHidden, scan, scopedWhere } from './common';

/**
 * Options of `customerBase`.
 *
 * @example
 * ```ts
 * const o: CustomerBaseOptions = { basis: 'converted', from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' };
 * ```
 */
export interface CustomerBaseOptions {
  /** Only customers matching this filter (the query language of `find`). */
  where?: Filter | undefined;
  /** First month counted (the month holding this instant). @defaultValue 11 months before the current one */
  from?: string | undefined;
  /** Months up to this instant (exclusive). @defaultValue the end of the current month */
  to?: string | undefined;
  /**
   * Which date makes a customer new in a month: `created` — when rapport stored the record
   * (`createdAt`: every person or company, leads included); `converted` — when they first
   * became a `customer` (their `lifecycleHistory`, which an import may bring from the past;
   * those who never did are not counted). @defaultValue `'created'`
   */
  basis?: 'created' | 'converted' | undefined;
  /** Cancels the call. */
  signal?: AbortSignal | undefined;
}

/**
 * A count for one value of a field (`null`: customers without one).
 *
 * @example
 * ```ts
 * const b: Breakdown = { key: 'vip', count: 12 };
 * ```
 */
export interface Breakdown {
  /** The value. */
  key: string | null;
  /** How many customers have it. */
  count: number;
}

/**
 * New customers in one month.
 *
 * @example
 * ```ts
 * const r: NewCustomersRow = { period: '2024-05', start: '2024-05-01T00:00:00.000Z', end: '2024-06-01T00:00:00.000Z', newCustomers: 9 };
 * ```
 */
export interface NewCustomersRow {
  /** The month, `YYYY-MM`. */
  period: string;
  /** Its first instant (ISO 8601 UTC). */
  start: string;
  /** The first instant after it. */
  end: string;
  /** Customers new in it (see `basis`). */
  newCustomers: number;
}

/**
 * The base as a whole.
 *
 * @example
 * ```ts
 * const { totals } = await crm.reports.customerBase(); totals.byCountry;
 * ```
 */
export interface CustomerBaseTotals {
  /** Customers (matching `where`) the caller may read. */
  customers: number;
  /** By lifecycle, in funnel order of the values present. */
  byLifecycle: Breakdown[];
  /** By tier, most first. */
  byTier: Breakdown[];
  /** By country of any address (a customer with addresses in two countries counts in both), most first. */
  byCountry: Breakdown[];
  /** By `source.channel`, most first. */
  bySource: Breakdown[];
  /** New customers over every month of the report. */
  newCustomers: number;
}

/**
 * The table `customerBase` returns: one row per month, the breakdowns in `totals`.
 *
 * @example
 * ```ts
 * const base: CustomerBase = await crm.reports.customerBase({ basis: 'created' });
 * ```
 */
export type CustomerBase = ReportTable<NewCustomersRow, CustomerBaseTotals> & {
  /** The date that made customers new in a month, as asked (`created` by default). */
  basis: 'created' | 'converted';
};

const LIFECYCLE_ORDER = ['lead', 'prospect', 'customer', 'churned'];

function sorted(map: Map<string | null, number>, order?: string[]): Breakdown[] {
  const rows = [...map.entries()].map(([key, count]) => ({ key, count }));
  if (order) return rows.sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : order.indexOf(a.key) - order.indexOf(b.key)));
  return rows.sort((a, b) => b.count - a.count || (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1));
}

/**
 * The customer base. Counts are over every customer the caller may read (archived ones left
 * out); months are calendar months of the CRM's time zone.
 *
 * @example
 * ```ts
 * const base = await crm.reports.customerBase({ basis: 'converted' });
 * base.totals.byTier; // [{ key: 'vip', count: 12 }, { key: null, count: 240 }]
 * base.rows;          // [{ period: '2024-01', newCustomers: 9, … }, …]
 * ```
 */
export async function customerBase(ctx: OpContext, options: CustomerBaseOptions = {}): Promise<CustomerBase> {
  const tz = ctx.engine.timeZone;
  const basis = options.basis ?? 'created';
  if (basis !== 'created' && basis !== 'converted') throw new ValidationError([{ path: ['basis'], message: 'basis is "created" or "converted"', code: 'invalid_value' }]);
  const now = ctx.engine.clock();
  const current = periodOf(now, 'month', tz);
  const to = options.to ?? current.end;
  let from = options.from;
  if (from === undefined) {
    let p = current;
    for (let i = 0; i < 11; i++) p = periodOf(Date.parse(p.start) - 1, 'month', tz);
    from = p.start;
  }
  const months = periodsBetween(from, to, 'month', tz, 120);
  const where = await scopedWhere(ctx, 'customers', options.where ? [options.where] : []);
  const redacted = ['tier', 'addresses', 'source', 'lifecycle', 'lifecycleHistory'].filter((f) => isHidden(ctx, 'customers', f));
  const byLifecycle = new Map<string | null, number>();
  const byTier = new Map<string | null, number>();
  const byCountry = new Map<string | null, number>();
  const bySource = new Map<string | null, number>();
  let customers = 0;
  const counts = new Map<string, number>(months.map((m) => [m.key, 0]));
  if (where !== false) {
    const group = async (field: string, into: Map<string | null, number>, hiddenAs: string) => {
      if (redacted.includes(hiddenAs)) return;
      for (const r of await aggregate(ctx, 'customers', { where, groupBy: [field], metrics: [{ name: 'n', op: 'count' }] }, options.signal)) {
        const n = r.values['n'] ?? 0;
        const v = r.group[field];
        // A multi-valued field groups by the set of its values: count each value once.
        const keys = Array.isArray(v) ? [...new Set(v.map(String))] : [typeof v === 'string' ? v : null];
        for (const k of keys.length ? keys : [null]) into.set(k, (into.get(k) ?? 0) + n);
      }
    };
    const [total] = await aggregate(ctx, 'customers', { where, metrics: [{ name: 'n', op: 'count' }] }, options.signal);
    customers = total?.values['n'] ?? 0;
    await group('lifecycle', byLifecycle, 'lifecycle');
    await group('tier', byTier, 'tier');
    await group('_country', byCountry, 'addresses');
    await group('source.channel', bySource, 'source');
    const first = months[0]?.start as string;
    const last = months[months.length - 1]?.end as string;
    if (basis === 'created') {
      for (const m of months) {
        const [r] = await aggregate(ctx, 'customers', { where: and(where, { field: 'createdAt', op: 'gte', value: m.start }, { field: 'createdAt', op: 'lt', value: m.end }), metrics: [{ name: 'n', op: 'count' }] }, options.signal);
        counts.set(m.key, r?.values['n'] ?? 0);
      }
    } else if (!redacted.includes('lifecycleHistory')) {
      // No index reaches into the history: a scan of those who ever became customers.
      await scan(ctx, 'customers', and(where, { field: 'lifecycleHistory.stage', op: 'eq', value: 'customer' }), (c) => {
        const at = ((c['lifecycleHistory'] ?? []) as { stage: string; at: string }[]).find((h) => h.stage === 'customer')?.at;
        if (at === undefined || at < first || at >= last) return;
        const key = periodOf(at, 'month', tz).key;
        if (counts.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
      }, options.signal);
    }
  }
  const rows: NewCustomersRow[] = months.map((m) => ({ period: m.key, start: m.start, end: m.end, newCustomers: counts.get(m.key) ?? 0 }));
  return {
    report: 'customerBase',
    basis,
    columns: [
      { key: 'period', label: 'Month', kind: 'period' },
      { key: 'newCustomers', label: 'New customers', kind: 'count' },
    ],
    rows,
    totals: {
      customers,
      byLifecycle: sorted(byLifecycle, LIFECYCLE_ORDER),
      byTier: sorted(byTier),
      byCountry: sorted(byCountry),
      bySource: sorted(bySource),
      newCustomers: rows.reduce((n, r) => n + r.newCustomers, 0),
    },
    timeZone: tz,
    generatedAt: ctx.engine.now(),
    redacted,
  };
}
