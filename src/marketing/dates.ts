/**
 * Yearly dates (birthdays, anniversaries) in a CRM's time zone. A date is `YYYY-MM-DD` or
 * yearless `--MM-DD`; it recurs every year on the same month and day, and a 29 February
 * falls on 28 February in years without one. Its reminder is due at the start of that day
 * (00:00 in the CRM's time zone).
 *
 * @module
 */
import { startOfDay, zonedParts } from '../time/zoned';

/**
 * One occurrence of a yearly date.
 *
 * @example
 * ```ts
 * const o: Occurrence = { day: '2025-02-28', at: '2025-02-28T00:00:00.000Z', years: 25 };
 * ```
 */
export interface Occurrence {
  /** The local calendar day it falls on, `YYYY-MM-DD`. */
  day: string;
  /** The first instant of that day in the time zone (ISO 8601 UTC). */
  at: string;
  /** Years since the date's own year (an age, a number of years as a customer), when it has one. */
  years?: number;
}

const DATE = /^(?:(\d{4})|-)-(\d{2})-(\d{2})$/;

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The local day `YYYY-MM-DD` of an instant in a time zone.
 *
 * @example
 * ```ts
 * localDay(Date.parse('2024-12-31T21:30:00Z'), 'Europe/Istanbul'); // '2025-01-01'
 * ```
 */
export function localDay(instantMs: number, timeZone: string): string {
  const p = zonedParts(instantMs, timeZone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * The occurrence of a yearly date in one calendar year, or `undefined` (a malformed date, or
 * a year before the date's own).
 *
 * @example
 * ```ts
 * occurrenceIn('--02-29', 2025, 'UTC'); // { day: '2025-02-28', at: '2025-02-28T00:00:00.000Z' }
 * ```
 */
export function occurrenceIn(date: string, year: number, timeZone: string): Occurrence | undefined {
  const m = DATE.exec(date);
  if (!m) return undefined;
  const own = m[1] === undefined ? undefined : Number(m[1]);
  if (own !== undefined && year < own) return undefined;
  const month = Number(m[2]);
  let day = Number(m[3]);
  if (month === 2 && day === 29 && !isLeap(year)) day = 28;
  const out: Occurrence = {
    day: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    at: new Date(startOfDay(year, month, day, timeZone)).toISOString(),
  };
  if (own !== undefined) out.years = year - own;
  return out;
}

/**
 * Every occurrence of a yearly date whose day starts in `[fromMs, toMs)`, in order.
 *
 * @example
 * ```ts
 * occurrencesBetween('--01-01', Date.parse('2024-12-01T00:00:00Z'), Date.parse('2025-02-01T00:00:00Z'), 'UTC');
 * // [{ day: '2025-01-01', at: '2025-01-01T00:00:00.000Z' }]
 * ```
 */
export function occurrencesBetween(date: string, fromMs: number, toMs: number, timeZone: string): Occurrence[] {
  const first = zonedParts(fromMs, timeZone).year;
  const last = zonedParts(toMs, timeZone).year;
  const out: Occurrence[] = [];
  for (let y = first; y <= last; y++) {
    const o = occurrenceIn(date, y, timeZone);
    if (o && Date.parse(o.at) >= fromMs && Date.parse(o.at) < toMs) out.push(o);
  }
  return out;
}
