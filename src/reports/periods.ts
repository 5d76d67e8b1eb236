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

/**
 * An option naming an instant, as the fixed-format UTC string rapport stores.
 * @throws `ValidationError` at `[name]` when it is not an ISO 8601 date-time.
 * @example
 * ```ts
 * isoInstant('2024-05-01T12:00:00+03:00', 'from'); // '2024-05-01T09:00:00.000Z'
 * ```
 */
export function isoInstant(value: unknown, name: string): string {
  const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) throw new ValidationError([{ path: [name], message: 'expected an ISO 8601 date-time', code: 'invalid_type' }]);
  return new Date(t).toISOString();
}

/** A wall-clock date and time in some time zone. */
export interface ZonedParts {
  /** Full year, e.g. 2024. */
  year: number;
  /** 1 to 12. */
  month: number;
  /** 1 to 31. */
  day: number;
  /** 0 to 23. */
  hour: number;
  /** 0 to 59. */
  minute: number;
  /** 0 to 59. */
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (cause) {
      throw new ValidationError([{ path: ['timeZone'], message: `unknown time zone "${timeZone}"`, code: 'invalid_value' }], { cause });
    }
    if (formatters.size > 100) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The wall-clock date and time of an instant in a time zone.
 *
 * @example
 * ```ts
 * zonedParts(Date.parse('2024-03-31T23:30:00Z'), 'Europe/Istanbul'); // { year: 2024, month: 4, day: 1, hour: 2, … }
 * ```
 */
export function zonedParts(instantMs: number, timeZone: string): ZonedParts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  const year = out['year']!;
  const month = out['month']!;
  const day = out['day']!;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
  return { year, month, day, hour: out['hour']! % 24, minute: out['minute']!, second: out['second']!, weekday };
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
function offsetAt(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  const p = zonedParts(whole, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/**
 * The instant of a local wall-clock time in a zone. A time skipped by a DST change (e.g.
 * 02:30 on a spring-forward night) maps to the instant just after the gap; a repeated one
 * (fall back) to its first occurrence.
 *
 * @example
 * ```ts
 * new Date(zonedTime(2024, 3, 11, 9, 0, 'America/New_York')).toISOString(); // '2024-03-11T13:00:00.000Z'
 * ```
 */
export function zonedTime(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  if (first === second) return first;
  // Two candidates: keep the earlier one that really shows this wall time; otherwise (a gap) the later.
  const shows = (t: number) => {
    const w = zonedParts(t, timeZone);
    return w.hour === hour && w.minute === minute && w.day === day;
  };
  const [a, b] = first < second ? [first, second] : [second, first];
  if (shows(a)) return a;
  return b;
}

/**
 * The instant at which a wall-clock midnight begins in a time zone. Where a zone skips that
 * midnight (a daylight-saving jump at 00:00), the day begins at the first instant after the
 * gap.
 *
 * @example
 * ```ts
 * new Date(startOfDay(2024, 4, 1, 'Europe/Istanbul')).toISOString(); // '2024-03-31T21:00:00.000Z'
 * ```
 */
export function startOfDay(year: number, month: number, day: number, timeZone: string): number {
  return zonedTime(year, month, day, 0, 0, timeZone);
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

/**
 * The `[from, to)` a report's options ask for: `from`/`to` (ISO instants), else a calendar
 * `period` key in the time zone, else no bound.
 * @throws `ValidationError` at `[to]` when `to` is not after `from`, or for a malformed instant or period.
 * @example
 * ```ts
 * dateRangeOf('Europe/Istanbul', { period: '2024-Q2' }); // { from: '2024-03-31T21:00:00.000Z', to: '2024-06-30T21:00:00.000Z', period: … }
 * ```
 */
export function dateRangeOf(timeZone: string, options: { from?: string | undefined; to?: string | undefined; period?: string | undefined }): { from?: string; to?: string; period?: Period } {
  if (options.from !== undefined || options.to !== undefined) {
    const r: { from?: string; to?: string } = {};
    if (options.from !== undefined) r.from = isoInstant(options.from, 'from');
    if (options.to !== undefined) r.to = isoInstant(options.to, 'to');
    if (r.from !== undefined && r.to !== undefined && r.to <= r.from) throw new ValidationError([{ path: ['to'], message: 'must be after from', code: 'invalid_value' }]);
    return r;
  }
  if (options.period !== undefined) {
    const period = parsePeriod(options.period, timeZone);
    return { from: period.start, to: period.end, period };
  }
  return {};
}
