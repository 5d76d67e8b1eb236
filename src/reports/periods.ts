/**
 * Calendar periods (years, quarters, months) in a CRM's time zone, computed with `Intl` so
 * no time-zone database ships with rapport. Every report that buckets by date uses these:
 * a period is a half-open range of instants `[start, end)`, given as ISO 8601 UTC strings,
 * so it can be handed straight to a range filter (`gte start`, `lt end`) that any adapter
 * (and a SQL `WHERE`) can answer from an index.
 *
 * @module
 */
import { ValidationError } from '../errors';
import { startOfDay, zonedParts } from '../time/zoned';

// The wall-clock helpers live beside the storage layer (aggregates bucket by them); they are
// part of this module's public surface as before.
export { startOfDay, zonedParts, zonedTime } from '../time/zoned';
export type { ZonedParts } from '../time/zoned';

/** How long a period is. */
export type PeriodUnit = 'month' | 'quarter' | 'year';

/** The period units, shortest first. */
export const PERIOD_UNITS: readonly PeriodUnit[] = ['month', 'quarter', 'year'];

/**
 * One calendar period in a time zone.
 *
 * @example
 * ```ts
 * const q: Period = { key: '2024-Q2', unit: 'quarter', start: '2024-04-01T00:00:00.000Z', end: '2024-07-01T00:00:00.000Z' };
 * ```
 */
export interface Period {
  /** `2024` for a year, `2024-Q2` for a quarter, `2024-05` for a month. Sorts in time order. */
  key: string;
  /** The period's unit. */
  unit: PeriodUnit;
  /** The first instant of the period (inclusive), ISO 8601 UTC. */
  start: string;
  /** The first instant after the period (exclusive), ISO 8601 UTC. */
  end: string;
}

function monthsOf(unit: PeriodUnit): number {
  return unit === 'month' ? 1 : unit === 'quarter' ? 3 : 12;
}

function keyOf(year: number, firstMonth: number, unit: PeriodUnit): string {
  if (unit === 'year') return String(year);
  if (unit === 'quarter') return `${year}-Q${Math.floor((firstMonth - 1) / 3) + 1}`;
  return `${year}-${String(firstMonth).padStart(2, '0')}`;
}

function build(year: number, firstMonth: number, unit: PeriodUnit, timeZone: string): Period {
  const endMonthIndex = firstMonth - 1 + monthsOf(unit);
  const endYear = year + Math.floor(endMonthIndex / 12);
  const endMonth = (endMonthIndex % 12) + 1;
  return {
    key: keyOf(year, firstMonth, unit),
    unit,
    start: new Date(startOfDay(year, firstMonth, 1, timeZone)).toISOString(),
    end: new Date(startOfDay(endYear, endMonth, 1, timeZone)).toISOString(),
  };
}

function toMs(instant: string | number | Date, name: string): number {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new ValidationError([{ path: [name], message: 'expected an ISO 8601 date-time', code: 'invalid_type' }]);
  return ms;
}

/**
 * The period of a unit that holds an instant, in a time zone.
 *
 * @example
 * ```ts
 * periodOf('2024-03-31T23:30:00Z', 'quarter', 'Europe/Istanbul').key; // '2024-Q2' (already April 1st there)
 * ```
 */
export function periodOf(instant: string | number | Date, unit: PeriodUnit, timeZone: string): Period {
  const p = zonedParts(toMs(instant, 'instant'), timeZone);
  const firstMonth = unit === 'year' ? 1 : unit === 'quarter' ? Math.floor((p.month - 1) / 3) * 3 + 1 : p.month;
  return build(p.year, firstMonth, unit, timeZone);
}

const KEY = /^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$/;

/**
 * Parse a period key (`2024`, `2024-Q2`, `2024-05`) into its range in a time zone.
 *
 * @example
 * ```ts
 * parsePeriod('2024-Q2', 'UTC'); // { key: '2024-Q2', unit: 'quarter', start: '2024-04-01T00:00:00.000Z', end: '2024-07-01T00:00:00.000Z' }
 * ```
 * @throws `ValidationError` for anything else.
 */
export function parsePeriod(key: string, timeZone: string, path: (string | number)[] = ['period']): Period {
  const m = typeof key === 'string' ? KEY.exec(key) : null;
  if (!m) throw new ValidationError([{ path, message: 'a period is YYYY, YYYY-Qn or YYYY-MM', code: 'invalid_value' }]);
  const year = Number(m[1]);
  if (m[2]) return build(year, (Number(m[2]) - 1) * 3 + 1, 'quarter', timeZone);
  if (m[3]) return build(year, Number(m[3]), 'month', timeZone);
  return build(year, 1, 'year', timeZone);
}

/**
 * The period right after this one.
 *
 * @example
 * ```ts
 * nextPeriod(parsePeriod('2024-Q4', 'UTC'), 'UTC').key; // '2025-Q1'
 * ```
 */
export function nextPeriod(period: Period, timeZone: string): Period {
  return periodOf(period.end, period.unit, timeZone);
}

/**
 * Every period of a unit that overlaps `[from, to)`, in order. At most `max` periods.
 *
 * @example
 * ```ts
 * periodsBetween('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'quarter', 'UTC').map((p) => p.key);
 * // ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']
 * ```
 * @throws `ValidationError` when `to` is not after `from`, or the range needs more than `max` periods.
 */
export function periodsBetween(from: string | number | Date, to: string | number | Date, unit: PeriodUnit, timeZone: string, max = 1000): Period[] {
  const start = toMs(from, 'from');
  const end = toMs(to, 'to');
  if (end <= start) throw new ValidationError([{ path: ['to'], message: 'must be after from', code: 'invalid_value' }]);
  const out: Period[] = [];
  let p = periodOf(start, unit, timeZone);
  while (Date.parse(p.start) < end) {
    if (out.length >= max) throw new ValidationError([{ path: ['to'], message: `the range spans more than ${max} periods`, code: 'too_big' }]);
    out.push(p);
    p = nextPeriod(p, timeZone);
  }
  return out;
}
