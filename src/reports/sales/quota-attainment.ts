/**
 * `crm.reports.quotaAttainment`: won value against each owner's target for a period.
 *
 * @module
 */
import { ValidationError } from '../../errors';
import type { ValidationIssue } from '../../errors';
import type { OpContext } from '../../engine/guard';
import type { Money } from '../../engine/types';
import { parsePeriod } from '../periods';
import type { Period } from '../periods';
import { MoneyBag, ratio, ratioList } from '../table';
import type { MoneyList, RatioList, ReportTable } from '../table';
import { aggregate, and, filterConditions, rangeConditions, scoped, valuesVisible } from './common';
import type { SalesFilter } from './common';

/**
 * One target: what an owner should win in a period.
 *
 * @example
 * ```ts
 * const target: QuotaTarget = { ownerId: 'u-ann', period: '2024-Q2', target: { amount: 10_000_000, currency: 'EUR' } };
 * ```
 */
export interface QuotaTarget {
  /** The owner. */
  ownerId: string;
  /** `YYYY`, `YYYY-Qn` or `YYYY-MM`, in the CRM's time zone. */
  period: string;
  /** The target, in integer minor units. */
  target: Money;
}

/** Options of `quotaAttainment` (the period comes from each target; `period`, `from`, `to` are ignored). */
export interface QuotaAttainmentOptions extends Omit<SalesFilter, 'period' | 'from' | 'to'> {
  /** The targets. */
  targets: QuotaTarget[];
}

/** One target's attainment. */
export interface QuotaAttainmentRow {
  /** The owner. */
  ownerId: string;
  /** The period key. */
  period: string;
  /** Its first instant. */
  start: string;
  /** The instant after it. */
  end: string;
  /** The target. */
  target: Money;
  /** Won in the period, in the target's currency. */
  won: Money;
  /** Deals won in the period in the target's currency. */
  dealsWon: number;
  /** `won ÷ target`, `null` for a zero target. */
  attainment: number | null;
  /** What is left to win (never below zero). */
  remaining: Money;
  /** Won in other currencies, not counted against the target. */
  otherCurrencies: MoneyList;
}

/** Totals of `quotaAttainment`, per currency. */
export interface QuotaAttainmentTotals {
  /** Targets. */
  target: MoneyList;
  /** Won against them. */
  won: MoneyList;
  /** `won ÷ target` per currency. */
  attainment: RatioList;
}

/** The table `quotaAttainment` returns. */
export type QuotaAttainment = ReportTable<QuotaAttainmentRow, QuotaAttainmentTotals>;

function validTargets(targets: unknown, tz: string): { t: QuotaTarget; period: Period }[] {
  if (!Array.isArray(targets)) throw new ValidationError([{ path: ['targets'], message: 'expected an array of { ownerId, period, target }', code: 'invalid_type' }]);
  const issues: ValidationIssue[] = [];
  const out: { t: QuotaTarget; period: Period }[] = [];
  targets.forEach((t: Partial<QuotaTarget> | null, i) => {
    if (typeof t?.ownerId !== 'string' || t.ownerId.length === 0) issues.push({ path: ['targets', i, 'ownerId'], message: 'expected a user id', code: 'invalid_type' });
    const m = t?.target;
    if (!m || !Number.isSafeInteger(m.amount) || typeof m.currency !== 'string' || !/^[A-Z]{3}$/.test(m.currency)) {
      issues.push({ path: ['targets', i, 'target'], message: 'expected Money: { amount: integer minor units, currency: ISO 4217 }', code: 'invalid_type' });
    }
    let period: Period | undefined;
    try {
      period = parsePeriod(t?.period as string, tz, ['targets', i, 'period']);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push(...error.issues);
    }
    if (period && t) out.push({ t: t as QuotaTarget, period });
  });
  if (issues.length) throw new ValidationError(issues);
  return out;
}

/**
 * Attainment of each target: won value in the target's currency (deals won by the owner with
 * `closedAt` in the period) divided by the target. One aggregate per distinct period.
 *
 * @example
 * ```ts
 * const { rows } = await crm.reports.quotaAttainment({ targets: [{ ownerId: 'u-ann', period: '2024-Q2', target: { amount: 10_000_000, currency: 'EUR' } }] });
 * // rows[0]: { ownerId: 'u-ann', period: '2024-Q2', won: { amount: 7_500_000, currency: 'EUR' }, attainment: 0.75, remaining: { amount: 2_500_000, currency: 'EUR' }, … }
 * ```
 * @throws `ValidationError` for malformed targets (paths `targets.i.…`).
 */
export async function quotaAttainment(ctx: OpContext, options: QuotaAttainmentOptions): Promise<QuotaAttainment> {
  const targets = validTargets(options?.targets, ctx.engine.timeZone);
  const s = await scoped(ctx, 'deals', [...filterConditions(options), { field: 'status', op: 'eq', value: 'won' }]);
  const showValue = valuesVisible(s);
  const byPeriod = new Map<string, { period: Period; owners: Set<string> }>();
  for (const { t, period } of targets) {
    const entry = byPeriod.get(period.key) ?? { period, owners: new Set<string>() };
    entry.owners.add(t.ownerId);
    byPeriod.set(period.key, entry);
  }
  const won = new Map<string, { bag: MoneyBag; counts: Map<string, number> }>();
  if (s.where !== false) {
    for (const { period, owners } of byPeriod.values()) {
      const groups = await aggregate(
        ctx,
        'deals',
        {
          where: and(s.where, { field: 'ownerId', op: 'in', value: [...owners] }, ...rangeConditions('closedAt', { from: period.start, to: period.end })),
          groupBy: ['ownerId', '_currency'],
          metrics: [{ name: 'count', op: 'count' }, { name: 'amount', op: 'sum', field: '_amount' }],
        },
        options.signal,
      );
      for (const g of groups) {
        const key = `${String(g.group['ownerId'])}\u0000${period.key}`;
        const entry = won.get(key) ?? { bag: new MoneyBag(), counts: new Map<string, number>() };
        const currency = g.group['_currency'];
        if (typeof currency === 'string') {
          entry.bag.add(currency, g.values['amount']);
          entry.counts.set(currency, (entry.counts.get(currency) ?? 0) + (g.values['count'] ?? 0));
        }
        won.set(key, entry);
      }
    }
  }
  const totalTarget = new MoneyBag();
  const totalWon = new MoneyBag();
  const rows: QuotaAttainmentRow[] = targets.map(({ t, period }) => {
    const entry = won.get(`${t.ownerId}\u0000${period.key}`);
    const currency = t.target.currency;
    const amount = showValue ? (entry?.bag.get(currency) ?? 0) : 0;
    totalTarget.add(currency, t.target.amount);
    totalWon.add(currency, amount);
    return {
      ownerId: t.ownerId,
      period: period.key,
      start: period.start,
      end: period.end,
      target: { amount: t.target.amount, currency },
      won: { amount, currency },
      dealsWon: entry?.counts.get(currency) ?? 0,
      attainment: showValue ? ratio(amount, t.target.amount) : null,
      remaining: { amount: Math.max(0, t.target.amount - amount), currency },
      otherCurrencies: showValue ? (entry?.bag.list() ?? []).filter((m) => m.currency !== currency) : [],
    };
  });
  const targetList = totalTarget.list();
  const wonList = totalWon.list();
  return {
    report: 'quotaAttainment',
    columns: [
      { key: 'ownerId', label: 'Owner', kind: 'id' },
      { key: 'period', label: 'Period', kind: 'period' },
      { key: 'target', label: 'Target', kind: 'money' },
      { key: 'won', label: 'Won', kind: 'money' },
      { key: 'attainment', label: 'Attainment', kind: 'ratio' },
    ],
    rows,
    totals: { target: targetList, won: wonList, attainment: showValue ? ratioList(wonList, targetList) : targetList.map((m) => ({ currency: m.currency, rate: null })) },
    timeZone: ctx.engine.timeZone,
    generatedAt: ctx.engine.now(),
    redacted: showValue ? [] : ['value'],
  };
}

