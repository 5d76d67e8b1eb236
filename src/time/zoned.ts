/**
 * Wall-clock time in a time zone, from the platform's `Intl` data: the parts of an instant,
 * and the instant of a local time (DST gaps and repeats resolved). Used by report periods,
 * time buckets in aggregates and SLA business calendars alike.
 *
 * @module
 */
import { ValidationError } from '../errors';

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
