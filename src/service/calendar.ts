/**
 * Business-hours calendar math in an IANA time zone, with `Intl.DateTimeFormat` only (no date
 * library): the wall clock of an instant, the instant of a wall-clock time (DST-aware), adding
 * business time to an instant and measuring business time between two instants.
 *
 * @module
 */
import { zonedParts, zonedTime } from '../time/zoned';
import type { ZonedParts } from '../time/zoned';

/**
 * A weekday, as the SLA policy names it.
 * @example
 * ```ts
 * const day: Weekday = 'fri';
 * ```
 */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * The weekdays, Monday first (ISO order).
 * @example
 * ```ts
 * WEEKDAYS[0]; // 'mon'
 * ```
 */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Working hours: on which weekdays, from `start` to `end` (local `HH:MM`, `end` may be `24:00`).
 *
 * @example
 * ```ts
 * const hours: BusinessHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' };
 * ```
 */
export interface BusinessHours {
  /** Working weekdays. */
  days: Weekday[];
  /** Opening time, local `HH:MM`. */
  start: string;
  /** Closing time, local `HH:MM` (later than `start`; `24:00` for midnight). */
  end: string;
}

/**
 * When the SLA clock runs: business hours (absent: around the clock) minus holidays, in a zone.
 *
 * @example
 * ```ts
 * const cal: BusinessCalendar = { timeZone: 'Europe/Istanbul', hours: { days: ['mon', 'fri'], start: '09:00', end: '18:00' }, holidays: ['2024-10-29'] };
 * ```
 */
export interface BusinessCalendar {
  /** IANA time zone of the hours and holidays. */
  timeZone: string;
  /** Working hours; absent: every day, all day. */
  hours?: BusinessHours | undefined;
  /** Local dates (`YYYY-MM-DD`) on which the clock does not run. */
  holidays?: readonly string[] | undefined;
}

/** The wall clock of an instant in a zone, with its ISO weekday (1 = Monday ... 7 = Sunday). */
export type WallClock = ZonedParts;

/**
 * The wall clock of an instant in a time zone.
 *
 * @example
 * ```ts
 * wallClock(Date.parse('2024-03-10T12:00:00Z'), 'America/New_York'); // { year: 2024, month: 3, day: 10, hour: 8, ... weekday: 7 }
 * ```
 */
export const wallClock: (ms: number, timeZone: string) => WallClock = zonedParts;

export { zonedTime };

/**
 * `HH:MM` → minutes after midnight.
 * @example
 * ```ts
 * clockMinutes('09:30'); // 570
 * ```
 */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** A local date as `YYYY-MM-DD`. */
function dateKey(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The local day after y-m-d (calendar arithmetic, zone-free). */
function nextDay(y: number, m: number, d: number): [number, number, number] {
  const t = new Date(Date.UTC(y, m - 1, d + 1));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

/** Whether a calendar has no business hours and no holidays (the clock always runs). */
function alwaysOpen(cal: BusinessCalendar): boolean {
  return !cal.hours && !(cal.holidays && cal.holidays.length);
}

/** The working window [open, close) of one local day as instants, or undefined when closed. */
function windowOf(cal: BusinessCalendar, y: number, m: number, d: number, weekday: number, holidays: ReadonlySet<string>): [number, number] | undefined {
  if (holidays.has(dateKey(y, m, d))) return undefined;
  const hours = cal.hours;
  if (hours && !hours.days.includes(WEEKDAYS[weekday - 1] as Weekday)) return undefined;
  const startMin = hours ? clockMinutes(hours.start) : 0;
  const endMin = hours ? clockMinutes(hours.end) : 24 * 60;
  const at = (min: number): number => {
    if (min >= 24 * 60) {
      const [ny, nm, nd] = nextDay(y, m, d);
      return zonedTime(ny, nm, nd, 0, 0, cal.timeZone);
    }
    return zonedTime(y, m, d, Math.floor(min / 60), min % 60, cal.timeZone);
  };
  const open = at(startMin);
  const close = at(endMin);
  return close > open ? [open, close] : undefined;
}

/** Calls `visit(open, close)` for each working window from the local day of `fromMs` on, until it returns false. */
function eachWindow(cal: BusinessCalendar, fromMs: number, visit: (open: number, close: number) => boolean): void {
  const holidays = new Set(cal.holidays ?? []);
  const w = wallClock(fromMs, cal.timeZone);
  let [y, m, d] = [w.year, w.month, w.day];
  let weekday = w.weekday;
  // Ten years of days without a single working window means the calendar has none.
  for (let i = 0; i < 3660; i++) {
    const win = windowOf(cal, y, m, d, weekday, holidays);
    if (win && !visit(win[0], win[1])) return;
    [y, m, d] = nextDay(y, m, d);
    weekday = (weekday % 7) + 1;
  }
  throw new RangeError('the business calendar has no working time in ten years');
}

/**
 * The instant `ms` of business time after `fromMs` (business time stops outside working hours
 * and on holidays). Adding 0 to an instant outside hours gives the next opening.
 *
 * @example
 * ```ts
 * const cal = { timeZone: 'America/New_York', hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' } };
 * // Friday 16:00 EST + 2 h → Monday 10:00 EDT (the clocks changed on Sunday)
 * new Date(addBusinessTime(Date.parse('2024-03-08T21:00:00Z'), 2 * 3_600_000, cal)).toISOString(); // '2024-03-11T14:00:00.000Z'
 * ```
 */
export function addBusinessTime(fromMs: number, ms: number, cal: BusinessCalendar): number {
  if (alwaysOpen(cal)) return fromMs + ms;
  let remaining = Math.max(0, ms);
  let result = fromMs;
  eachWindow(cal, fromMs, (open, close) => {
    const start = Math.max(open, fromMs);
    if (start >= close) return true;
    const available = close - start;
    if (remaining <= available) {
      result = start + remaining;
      return false;
    }
    remaining -= available;
    return true;
  });
  return result;
}

/**
 * Business time between two instants, in ms (0 when `toMs <= fromMs`).
 *
 * @example
 * ```ts
 * const cal = { timeZone: 'UTC', hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' } };
 * businessTimeBetween(Date.parse('2024-05-03T16:00:00Z'), Date.parse('2024-05-06T10:00:00Z'), cal); // 7_200_000 (Fri 1 h + Mon 1 h)
 * ```
 */
export function businessTimeBetween(fromMs: number, toMs: number, cal: BusinessCalendar): number {
  if (toMs <= fromMs) return 0;
  if (alwaysOpen(cal)) return toMs - fromMs;
  let total = 0;
  eachWindow(cal, fromMs, (open, close) => {
    if (open >= toMs) return false;
    total += Math.max(0, Math.min(close, toMs) - Math.max(open, fromMs));
    return true;
  });
  return total;
}
