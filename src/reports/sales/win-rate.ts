/**
 * `crm.reports.winRate`: won ÷ (won + lost), by count and by value.
 *
 * @module
 */
import type { OpContext } from '../../engine/guard';
import { MoneyBag, ratio, ratioList } from '../table';
import type { MoneyList, RatioList, ReportTable } from '../table';
import { aggregate, and, filterConditions, groupField, keyOf, rangeConditions, rangeOf, scoped, valuesVisible } from './common';
import type { SalesFilter } from './common';

/** Options of `winRate`. The period applies to `closedAt`. */
export interface WinRateOptions extends SalesFilter {
  /**
   * Group by `owner`, `team`, `source`, `pipeline`, `stage`, `campaign`, `customer`,
   * `currency` or any deal field path (e.g. `custom.segment`). @defaultValue no grouping (totals only)
   */
  by?: string | undefined;
}

/** Win figures of one group (or of everything, in `totals`). */
export interface WinRateFigures {
  /** Deals won. */
  won: number;
  /** Deals lost. */
  lost: number;
  /** `won + lost`. */
  closed: number;
  /** `won ÷ closed` by count, `null` when nothing closed. */
  rate: number | null;
  /** Value won, per currency. */
  wonValue: MoneyList;
  /** Value lost, per currency. */
  lostValue: MoneyList;
  /** `wonValue ÷ (wonValue + lostValue)` per currency. */
  valueRate: RatioList;
}

/** One group. */
export interface WinRateRow extends WinRateFigures {
  /** The group's value (`null` for deals without one). */
  key: string | number | boolean | null;
}

/** The table `winRate` returns. */
export type WinRate = ReportTable<WinRateRow, WinRateFigures> & {
  /** The grouping asked for with `by`, when one was. */
  by?: string;
};

interface Acc {
  key: unknown;
  won: number;
  lost: number;
  wonValue: MoneyBag;
  lostValue: MoneyBag;
}

function figures(a: Acc): WinRateFigures {
  const wonValue = a.wonValue.list();
  const lostValue = a.lostValue.list();
  const closedValue = new MoneyBag().addAll(wonValue).addAll(lostValue).list();
  return { won: a.won, lost: a.lost, closed: a.won + a.lost, rate: ratio(a.won, a.won + a.lost), wonValue, lostValue, valueRate: ratioList(wonValue, closedValue) };
}

/**
 * Win rate of closed deals: overall (`totals`) and per group (`rows`, in group value order).
 * A deal lost with value 0 (as some imports record them) counts in the count rate and adds
 * nothing to the value rate's denominator.
 *
 * @example
 * ```ts
 * const { totals, rows } = await crm.reports.winRate({ by: 'owner', period: '2024' });
 * // totals: { won: 42, lost: 58, closed: 100, rate: 0.42, valueRate: [{ currency: 'EUR', rate: 0.51 }], … }
 * ```
 */
export async function winRate(ctx: OpContext, options: WinRateOptions = {}): Promise<WinRate> {
  const s = await scoped(ctx, 'deals', [...filterConditions(options), ...rangeConditions('closedAt', rangeOf(ctx, options))]);
  const showValue = valuesVisible(s);
  const by = options.by === undefined ? undefined : s.field(await groupField(ctx, s, options.by));
  const groups =
    s.where === false
      ? []
      : await aggregate(
          ctx,
          'deals',
          {
            where: and(s.where, { field: 'status', op: 'in', value: ['won', 'lost'] }),
            groupBy: [...(by ? [by] : []), 'status', '_currency'],
            metrics: [{ name: 'count', op: 'count' }, { name: 'amount', op: 'sum', field: '_amount' }],
          },
          options.signal,
        );
  const total: Acc = { key: null, won: 0, lost: 0, wonValue: new MoneyBag(), lostValue: new MoneyBag() };
  const accs = new Map<string, Acc>();
  for (const g of groups) {
    const key = by ? g.group[by] : null;
    const k = JSON.stringify(key ?? null);
    let acc = accs.get(k);
    if (!acc) accs.set(k, (acc = { key, won: 0, lost: 0, wonValue: new MoneyBag(), lostValue: new MoneyBag() }));
    const n = g.values['count'] ?? 0;
    const won = g.group['status'] === 'won';
    for (const a of [acc, total]) {
      if (won) a.won += n;
      else a.lost += n;
      if (showValue) (won ? a.wonValue : a.lostValue).add(g.group['_currency'] as string | undefined, g.values['amount']);
    }
  }
  return {
    report: 'winRate',
    ...(options.by !== undefined ? { by: options.by } : {}),
    columns: [
      { key: 'key', label: options.by ?? 'Group', kind: 'text' },
      { key: 'won', label: 'Won', kind: 'count' },
      { key: 'lost', label: 'Lost', kind: 'count' },
      { key: 'rate', label: 'Win rate', kind: 'ratio' },
      { key: 'wonValue', label: 'Won value', kind: 'money' },
      { key: 'valueRate', label: 'Win rate by value', kind: 'ratio' },
    ],
    rows: by ? [...accs.values()].map((a) => ({ key: keyOf(a.key), ...figures(a) })) : [],
    totals: figures(total),
    timeZone: ctx.engine.timeZone,
    generatedAt: ctx.engine.now(),
    redacted: showValue ? [] : ['value'],
  };
}
