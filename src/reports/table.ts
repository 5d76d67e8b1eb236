/**
 * The shape every report returns, and the helpers report authors share: a plain,
 * JSON-serializable table (`rows`, `totals`, `columns`) that a host app can chart or
 * print without knowing which report made it, and integer-only money arithmetic.
 *
 * Money in reports follows the data model: amounts are integer minor units, and amounts of
 * different currencies are never added together. A money column therefore holds a
 * {@link MoneyList}: one `Money` per currency present, sorted by currency code (empty when
 * there is nothing to add).
 *
 * @module
 */
import type { Money } from '../engine/types';

/** How a column's values read, so a host app can format and chart them. */
export type ColumnKind = 'text' | 'id' | 'period' | 'count' | 'money' | 'ratio' | 'days' | 'number';

/**
 * One column of a report table.
 *
 * @example
 * ```ts
 * const column: Column = { key: 'value', label: 'Value', kind: 'money' };
 * ```
 */
export interface Column {
  /** The property of each row holding this column's value. */
  key: string;
  /** A short English label (a host app may translate by `key`). */
  label: string;
  /**
   * `count`: a whole number; `money`: a {@link MoneyList}; `ratio`: a number from 0 to 1, or
   * `null` when undefined (nothing to divide by) — or, for money ratios, a {@link RatioList};
   * `days`: a number of days (fractional), or `null`; `period`: a period key such as `2024-Q2`.
   */
  kind: ColumnKind;
}

/**
 * A report's result: rows a host app can chart, totals over them, and a description of the
 * columns.
 *
 * @typeParam Row - one row's shape. @typeParam Totals - the totals' shape.
 * @example
 * ```ts
 * const table = await crm.reports.pipelineSummary({ pipelineId });
 * for (const row of table.rows) console.log(row.stageName, row.count);
 * ```
 */
export interface ReportTable<Row, Totals> {
  /** The report's name, e.g. `pipelineSummary`. */
  report: string;
  /** The columns of `rows`, in display order. */
  columns: Column[];
  /** The rows, in the report's documented order. */
  rows: Row[];
  /** Totals over every row (or over the whole selection where a sum of rows would mislead). */
  totals: Totals;
  /** The CRM's time zone, in which periods were computed. */
  timeZone: string;
  /** When the report ran (ISO 8601 UTC, on the CRM's clock). */
  generatedAt: string;
  /** Fields the caller may not read, whose columns were left empty (e.g. `['value']`). */
  redacted: string[];
}

/**
 * Amounts in several currencies, one entry per currency, sorted by currency code. Never
 * summed across currencies.
 *
 * @example
 * ```ts
 * const value: MoneyList = [{ amount: 150000, currency: 'EUR' }, { amount: 99000, currency: 'USD' }];
 * ```
 */
export type MoneyList = Money[];

/**
 * A ratio per currency (e.g. a win rate by value), sorted by currency code; `rate` is `null`
 * where there is nothing to divide by.
 *
 * @example
 * ```ts
 * const byValue: RatioList = [{ currency: 'USD', rate: 0.625 }];
 * ```
 */
export type RatioList = {
  /** ISO 4217 currency code. */
  currency: string;
  /** The ratio in that currency, or `null` where there is nothing to divide by. */
  rate: number | null;
}[];

/**
 * A mutable accumulator of integer amounts per currency.
 *
 * @example
 * ```ts
 * const bag = new MoneyBag();
 * bag.add('USD', 1000);
 * bag.add('USD', 250);
 * bag.list(); // [{ amount: 1250, currency: 'USD' }]
 * ```
 */
export class MoneyBag {
  private readonly amounts = new Map<string, number>();

  /** Add an integer amount (minor units) in a currency; nothing for a missing currency. */
  add(currency: string | null | undefined, amount: number | null | undefined): this {
    if (typeof currency !== 'string' || typeof amount !== 'number' || !Number.isFinite(amount)) return this;
    this.amounts.set(currency, (this.amounts.get(currency) ?? 0) + amount);
    return this;
  }

  /** Add every entry of a money list. */
  addAll(list: readonly Money[]): this {
    for (const m of list) this.add(m.currency, m.amount);
    return this;
  }

  /** The amount in one currency (0 when none). */
  get(currency: string): number {
    return this.amounts.get(currency) ?? 0;
  }

  /** Whether nothing was added. */
  get empty(): boolean {
    return this.amounts.size === 0;
  }

  /** The currencies seen, sorted. */
  currencies(): string[] {
    return [...this.amounts.keys()].sort();
  }

  /** The amounts as a {@link MoneyList}. */
  list(): MoneyList {
    return this.currencies().map((currency) => ({ amount: this.amounts.get(currency) as number, currency }));
  }
}

/**
 * The amount of one currency in a money list (0 when absent).
 *
 * @example
 * ```ts
 * const totals = [{ amount: 4_800_000, currency: 'EUR' }, { amount: 1_500_000, currency: 'USD' }];
 * amountIn(totals, 'EUR'); // 4800000
 * amountIn(totals, 'GBP'); // 0
 * ```
 */
export function amountIn(list: readonly Money[], currency: string): number {
  return list.find((m) => m.currency === currency)?.amount ?? 0;
}

/**
 * `numerator ÷ denominator`, or `null` when the denominator is 0 (a rate of nothing is
 * undefined, not zero).
 *
 * @example
 * ```ts
 * ratio(3, 4); // 0.75
 * ratio(0, 0); // null
 * ```
 */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * Per-currency ratios of two money lists: for each currency in `denominator`, its amount in
 * `numerator` divided by its amount in `denominator`.
 *
 * @example
 * ```ts
 * ratioList([{ amount: 50, currency: 'USD' }], [{ amount: 200, currency: 'USD' }]); // [{ currency: 'USD', rate: 0.25 }]
 * ```
 */
export function ratioList(numerator: readonly Money[], denominator: readonly Money[]): RatioList {
  return [...denominator]
    .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0))
    .map((d) => ({ currency: d.currency, rate: ratio(amountIn(numerator, d.currency), d.amount) }));
}

/** Probabilities are taken to this many parts (six decimals) when weighting. */
const PROBABILITY_SCALE = 1_000_000n;

/**
 * `probability × amount`, rounded half away from zero to an integer number of minor units,
 * computed exactly (probability taken to six decimals, integer arithmetic), so no float
 * error can tip a half-unit either way.
 *
 * @example
 * ```ts
 * weigh(0.25, 1002); // 251 (250.5 rounds away from zero)
 * weigh(0.1, -15);   // -2
 * ```
 */
export function weigh(probability: number, amount: number): number {
  const p = BigInt(Math.round(probability * Number(PROBABILITY_SCALE)));
  const product = BigInt(amount) * p;
  const sign = product < 0n ? -1n : 1n;
  const abs = product * sign;
  const rounded = (abs * 2n + PROBABILITY_SCALE) / (PROBABILITY_SCALE * 2n);
  return Number(rounded * sign);
}

/** Milliseconds per day, the unit of `days` columns. */
export const DAY_MS = 86_400_000;
