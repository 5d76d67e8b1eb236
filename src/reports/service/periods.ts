/**
 * Day and week periods in the CRM's time zone, beside the shared month/quarter/year periods
 * of `src/reports/periods.ts` (which these build on): service reports bucket by day, ISO week
 * (Monday first, key `2024-W18`) or month.
 *
 * @module
 */
import { ValidationError } from '../../errors';
import { periodsBetween, startOfDay, zonedParts } from '../periods';

/**
 * How service reports bucket time.
 * @example
 * ```ts
 * await crm.reports.ticketVolume({ period: 'week', from, to });
 * ```
 */
export type ServicePeriodUnit = 'day' | 'week' | 'month';

/**
 * One bucket: a key that sorts in time order and its half-open range `[start, end)` (ISO UTC).
 *
 * @example
 * ```ts
 * const w: ServicePeriod = { key: '2024-W18', start: '2024-04-29T00:00:00.000Z', end: '2024-05-06T00:00:00.000Z' };
 * ```
 */
export interface ServicePeriod {
  /** `2024-05-01` (day), `2024-W18` (ISO week), `2024-05` (month). */
  key: string;
  /** First instant (inclusive). */
  start: string;
  /** First instant after (exclusive). */
  end: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local calendar arithmetic on y-m-d, zone-free. */
function addDays(y: number, m: number, d: number, days: number): [number, number, number] {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

/** ISO week-numbering year and week of a local date. */
function isoWeek(y: number, m: number, d: number): [number, number] {
  const t = new Date(Date.UTC(y, m - 1, d));
  const dow = (t.getUTCDay() + 6) % 7; // Monday 0
  t.setUTCDate(t.getUTCDate() - dow + 3); // the Thursday of this week decides the year
  const year = t.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round((t.getTime() - jan4.getTime()) / 86_400_000 / 7 - ((jan4.getUTCDay() + 6) % 7 - 3) / 7);
  return [year, week];
}

function dayPeriod(y: number, m: number, d: number, tz: string): ServicePeriod {
  const [ny, nm, nd] = addDays(y, m, d, 1);
  return { key: `${y}-${pad(m)}-${pad(d)}`, start: new Date(startOfDay(y, m, d, tz)).toISOString(), end: new Date(startOfDay(ny, nm, nd, tz)).toISOString() };
}

function weekPeriod(y: number, m: number, d: number, tz: string): ServicePeriod {
  const dow = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  const [my, mm, md] = addDays(y, m, d, -dow);
  const [ey, em, ed] = addDays(my, mm, md, 7);
  const [wy, w] = isoWeek(my, mm, md);
  return { key: `${wy}-W${pad(w)}`, start: new Date(startOfDay(my, mm, md, tz)).toISOString(), end: new Date(startOfDay(ey, em, ed, tz)).toISOString() };
}

/**
 * Every period of a unit overlapping `[from, to)` in a time zone, in order (at most `max`).
 *
 * @example
 * ```ts
 * servicePeriods('2024-04-29T00:00:00Z', '2024-05-13T00:00:00Z', 'week', 'UTC').map((p) => p.key); // ['2024-W18', '2024-W19']
 * ```
 * @throws `ValidationError` when `to` is not after `from` or the range needs more than `max` periods.
 */
export function servicePeriods(from: string, to: string, unit: ServicePeriodUnit, timeZone: string, max = 1000): ServicePeriod[] {
  if (unit === 'month') return periodsBetween(from, to, 'month', timeZone, max).map(({ key, start, end }) => ({ key, start, end }));
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (!Number.isFinite(start)) throw new ValidationError([{ path: ['from'], message: 'expected an ISO 8601 date-time', code: 'invalid_type' }]);
  if (!Number.isFinite(end)) throw new ValidationError([{ path: ['to'], message: 'expected an ISO 8601 date-time', code: 'invalid_type' }]);
  if (end <= start) throw new ValidationError([{ path: ['to'], message: 'must be after from', code: 'invalid_value' }]);
  const p = zonedParts(start, timeZone);
  const make = unit === 'day' ? dayPeriod : weekPeriod;
  const out: ServicePeriod[] = [];
  let cur = make(p.year, p.month, p.day, timeZone);
  while (Date.parse(cur.start) < end) {
    if (out.length >= max) throw new ValidationError([{ path: ['to'], message: `the range spans more than ${max} periods`, code: 'too_big' }]);
    out.push(cur);
    const n = zonedParts(Date.parse(cur.end), timeZone);
    cur = make(n.year, n.month, n.day, timeZone);
  }
  return out;
}
