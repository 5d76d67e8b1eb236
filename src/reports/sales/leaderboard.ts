/**
 * `crm.reports.leaderboard`: who won the most, with how much activity.
 *
 * @module
 */
import { ValidationError } from '../../errors';
import type { OpContext } from '../../engine/guard';
import type { Filter } from '../../query/types';
import type { Money } from '../../engine/types';
import { MoneyBag, amountIn } from '../table';
import type { MoneyList, ReportTable } from '../table';
import { aggregate, and, filterConditions, rangeConditions, rangeOf, scoped, valuesVisible } from './common';
import type { SalesFilter } from './common';

/**
 * Options of `leaderboard`. The period applies to the deals' `closedAt` and to the
 * interactions' `occurredAt`.
 */
export interface LeaderboardOptions extends SalesFilter {
  /** How many rows. @defaultValue 10 */
  limit?: number | undefined;
  /**
   * The currency whose won value ranks people. @defaultValue `currency` when filtered by
   * one, else the currency most won deals are in
   */
  rankCurrency?: string | undefined;
}

/** One person. */
export interface LeaderboardRow {
  /** 1 for the top. */
  rank: number;
  /** The person (deals' `ownerId`). */
  ownerId: string;
  /** Won value per currency. */
  wonValue: MoneyList;
  /** Won value in the ranking currency (what the rows are ordered by). */
  rankValue: Money | null;
  /** Deals won. */
  dealsWon: number;
  /** Interactions done in the period, counted for their `assigneeId`, else their `ownerId`. */
  activities: number;
}

/** Totals of `leaderboard`, over everyone (not only the rows shown). */
export interface LeaderboardTotals {
  /** People ranked. */
  people: number;
  /** Won value per currency. */
  wonValue: MoneyList;
  /** Deals won. */
  dealsWon: number;
  /** Interactions done. */
  activities: number;
}

/** The table `leaderboard` returns. */
export type Leaderboard = ReportTable<LeaderboardRow, LeaderboardTotals> & {
  /** The currency whose won value ranked people, or `null` when none was asked for and no deal was won. */
  rankCurrency: string | null;
};

interface Person {
  ownerId: string;
  won: MoneyBag;
  dealsWon: number;
  activities: number;
}

/**
 * People ranked by won value (in one currency), then deals won, then activities. Rows are
 * the owners of won deals in the selection, plus — when no deal-only filter (`pipelineId`,
 * `teamIds`, `currency`, `where`) narrows it — everyone with activities in the period;
 * `ownerIds` narrows both. Activities are interactions with status `done`, counted by
 * `assigneeId` (else `ownerId`) within the caller's read scope on interactions.
 *
 * @example
 * ```ts
 * const { rows } = await crm.reports.leaderboard({ period: '2024-Q2', limit: 5 });
 * // rows[0]: { rank: 1, ownerId: 'u-ann', wonValue: [{ amount: 5200000, currency: 'EUR' }], dealsWon: 7, activities: 41, … }
 * ```
 */
export async function leaderboard(ctx: OpContext, options: LeaderboardOptions = {}): Promise<Leaderboard> {
  const limit = options.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError([{ path: ['limit'], message: 'must be a whole number of at least 1', code: 'invalid_value' }]);
  const range = rangeOf(ctx, options);
  const deals = await scoped(ctx, 'deals', [...filterConditions(options), ...rangeConditions('closedAt', range), { field: 'status', op: 'eq', value: 'won' }]);
  const showValue = valuesVisible(deals);
  const people = new Map<string, Person>();
  const person = (id: string): Person => {
    let p = people.get(id);
    if (!p) people.set(id, (p = { ownerId: id, won: new MoneyBag(), dealsWon: 0, activities: 0 }));
    return p;
  };
  const currencyCounts = new Map<string, number>();
  if (deals.where !== false) {
    const groups = await aggregate(ctx, 'deals', { where: and(deals.where), groupBy: ['ownerId', '_currency'], metrics: [{ name: 'count', op: 'count' }, { name: 'amount', op: 'sum', field: '_amount' }] }, options.signal);
    for (const g of groups) {
      const p = person(String(g.group['ownerId']));
      const n = g.values['count'] ?? 0;
      p.dealsWon += n;
      const currency = g.group['_currency'];
      if (typeof currency === 'string') currencyCounts.set(currency, (currencyCounts.get(currency) ?? 0) + n);
      if (showValue) p.won.add(currency as string | undefined, g.values['amount']);
    }
  }
  const dealOnly = options.pipelineId !== undefined || options.teamIds !== undefined || options.currency !== undefined || options.where !== undefined;
  const activityConditions: Filter[] = [{ field: 'status', op: 'eq', value: 'done' }, ...rangeConditions('at', range)];
  const interactions = await scoped(ctx, 'interactions', activityConditions);
  if (interactions.where !== false) {
    const groups = await aggregate(ctx, 'interactions', { where: and(interactions.where), groupBy: ['assigneeId', 'ownerId'], metrics: [{ name: 'count', op: 'count' }] }, options.signal);
    const owners = options.ownerIds ? new Set(options.ownerIds) : undefined;
    for (const g of groups) {
      const who = String(typeof g.group['assigneeId'] === 'string' ? g.group['assigneeId'] : g.group['ownerId']);
      if (owners && !owners.has(who)) continue;
      if (dealOnly && !people.has(who)) continue;
      person(who).activities += g.values['count'] ?? 0;
    }
  }
  let rankCurrency: string | null = options.rankCurrency ?? options.currency ?? null;
  if (rankCurrency === null) {
    let best = -1;
    for (const [c, n] of [...currencyCounts].sort(([a], [b]) => (a < b ? -1 : 1))) if (n > best) [rankCurrency, best] = [c, n];
  }
  const ranked = [...people.values()].sort(
    (a, b) =>
      (rankCurrency ? b.won.get(rankCurrency) - a.won.get(rankCurrency) : 0) ||
      b.dealsWon - a.dealsWon ||
      b.activities - a.activities ||
      (a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0),
  );
  const totalWon = new MoneyBag();
  for (const p of ranked) totalWon.addAll(p.won.list());
  const rows: LeaderboardRow[] = ranked.slice(0, limit).map((p, i) => {
    const wonValue = p.won.list();
    return {
      rank: i + 1,
      ownerId: p.ownerId,
      wonValue,
      rankValue: rankCurrency && showValue ? { amount: amountIn(wonValue, rankCurrency), currency: rankCurrency } : null,
      dealsWon: p.dealsWon,
      activities: p.activities,
    };
  });
  return {
    report: 'leaderboard',
    rankCurrency,
    columns: [
      { key: 'rank', label: 'Rank', kind: 'number' },
      { key: 'ownerId', label: 'Owner', kind: 'id' },
      { key: 'wonValue', label: 'Won value', kind: 'money' },
      { key: 'dealsWon', label: 'Deals won', kind: 'count' },
      { key: 'activities', label: 'Activities', kind: 'count' },
    ],
    rows,
    totals: {
      people: ranked.length,
      wonValue: totalWon.list(),
      dealsWon: ranked.reduce((n, p) => n + p.dealsWon, 0),
      activities: ranked.reduce((n, p) => n + p.activities, 0),
    },
    timeZone: ctx.engine.timeZone,
    generatedAt: ctx.engine.now(),
    redacted: showValue ? [] : ['value'],
  };
}
