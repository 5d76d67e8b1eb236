/**
 * Business-hours calendar math in an IANA time zone, with `Intl.DateTimeFormat` only (no date
 * library): the wall clock of an instant, the instant of a wall-clock time (DST-aware), adding
 * business time to an instant and measuring business time between two instants.
 *
 * @module
 */

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

/**
 * The wall clock of an instant in a zone.
 * @example
 * ```ts
 * const w: WallClock = wallClock(Date.now(), 'Europe/Istanbul');
 * ```
 */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAY_NUMBER: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/**
 * The wall clock of an instant in a time zone.
 *
 * @example
 * ```ts
 * wallClock(Date.parse('2024-03-10T12:00:00Z'), 'America/New_York'); // { year: 2024, month: 3, day: 10, hour: 8, … weekday: 7 }
 * ```
 */
export function wallClock(ms: number, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type === 'weekday') out['weekday'] = WEEKDAY_NUMBER[p.value] ?? 0;
    else if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out as unknown as WallClock;
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
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
    const w = wallClock(t, timeZone);
    return w.hour === hour && w.minute === minute && w.day === day;
  };
  const [a, b] = first < second ? [first, second] : [second, first];
  if (shows(a)) return a;
  if (shows(b)) return b;
  return b;
}

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
