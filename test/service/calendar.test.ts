import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween, wallClock, zonedTime } from '../../src/service/calendar';
import type { BusinessCalendar } from '../../src/service/calendar';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

describe('wall clock and zoned time', () => {
  it('reads the wall clock of an instant in a zone, ISO weekday', () => {
    expect(wallClock(at('2024-03-10T12:00:00Z'), 'America/New_York')).toEqual({ year: 2024, month: 3, day: 10, hour: 8, minute: 0, second: 0, weekday: 7 });
    expect(wallClock(at('2024-10-28T21:30:00Z'), 'Europe/Istanbul')).toEqual({ year: 2024, month: 10, day: 29, hour: 0, minute: 30, second: 0, weekday: 2 });
  });

  it('maps local times to instants on both sides of a DST change', () => {
    expect(iso(zonedTime(2024, 3, 8, 9, 0, 'America/New_York'))).toBe('2024-03-08T14:00:00.000Z');
    expect(iso(zonedTime(2024, 3, 11, 9, 0, 'America/New_York'))).toBe('2024-03-11T13:00:00.000Z');
  });

  it('maps a skipped local time to the instant after the gap, a repeated one to its first occurrence', () => {
    expect(iso(zonedTime(2024, 3, 10, 2, 30, 'America/New_York'))).toBe('2024-03-10T07:30:00.000Z');
    expect(iso(zonedTime(2024, 11, 3, 1, 30, 'America/New_York'))).toBe('2024-11-03T05:30:00.000Z');
  });
});

describe('addBusinessTime', () => {
  const istanbul: BusinessCalendar = { timeZone: 'Europe/Istanbul', hours: { days: [...WEEKDAYS], start: '09:00', end: '18:00' }, holidays: ['2024-10-29'] };
  const newYork: BusinessCalendar = { timeZone: 'America/New_York', hours: { days: [...WEEKDAYS], start: '09:00', end: '17:00' } };

  it('adds plain elapsed time when the clock always runs', () => {
    expect(iso(addBusinessTime(at('2024-03-09T17:00:00Z'), 24 * H, { timeZone: 'America/New_York' }))).toBe('2024-03-10T17:00:00.000Z');
  });

  it('carries over a weekend (Istanbul, Friday 17:30 + 1 h → Monday 09:30)', () => {
    expect(iso(addBusinessTime(at('2024-05-03T14:30:00Z'), H, istanbul))).toBe('2024-05-06T06:30:00.000Z');
  });

  it('skips a holiday (Istanbul, Monday 17:00 + 2 h, Tuesday 29 October off → Wednesday 10:00)', () => {
    expect(iso(addBusinessTime(at('2024-10-28T14:00:00Z'), 2 * H, istanbul))).toBe('2024-10-30T07:00:00.000Z');
  });

  it('starts at the next opening when asked outside hours', () => {
    expect(iso(addBusinessTime(at('2024-05-04T10:00:00Z'), 30 * 60_000, istanbul))).toBe('2024-05-06T06:30:00.000Z');
    expect(iso(addBusinessTime(at('2024-05-04T10:00:00Z'), 0, istanbul))).toBe('2024-05-06T06:00:00.000Z');
  });

  it('crosses the spring-forward weekend in New York (Friday 16:00 EST + 2 h → Monday 10:00 EDT)', () => {
    expect(iso(addBusinessTime(at('2024-03-08T21:00:00Z'), 2 * H, newYork))).toBe('2024-03-11T14:00:00.000Z');
  });

  it('crosses the fall-back weekend in New York (Friday 16:00 EDT + 2 h → Monday 10:00 EST)', () => {
    expect(iso(addBusinessTime(at('2024-11-01T20:00:00Z'), 2 * H, newYork))).toBe('2024-11-04T15:00:00.000Z');
  });

  it('counts a 23-hour DST day as 23 hours when the clock runs all day, minus holidays', () => {
    const cal: BusinessCalendar = { timeZone: 'America/New_York', holidays: ['2024-03-10'] };
    // Saturday 12:00 EST: 12 h left on Saturday, Sunday (23 h long) off, 12 h into Monday EDT.
    expect(iso(addBusinessTime(at('2024-03-09T17:00:00Z'), 24 * H, cal))).toBe('2024-03-11T16:00:00.000Z');
  });

  it('ends exactly at closing time when the time fits the day', () => {
    expect(iso(addBusinessTime(at('2024-05-06T13:00:00Z'), 8 * H, { timeZone: 'UTC', hours: { days: ['mon'], start: '09:00', end: '17:00' } }))).toBe('2024-05-13T13:00:00.000Z');
    expect(iso(addBusinessTime(at('2024-05-06T09:00:00Z'), 8 * H, { timeZone: 'UTC', hours: { days: ['mon'], start: '09:00', end: '17:00' } }))).toBe('2024-05-06T17:00:00.000Z');
  });

  it('refuses a calendar with no working time at all', () => {
    expect(() => addBusinessTime(0, H, { timeZone: 'UTC', hours: { days: [], start: '09:00', end: '17:00' } })).toThrow(RangeError);
  });
});

describe('businessTimeBetween', () => {
  const utc: BusinessCalendar = { timeZone: 'UTC', hours: { days: [...WEEKDAYS], start: '09:00', end: '17:00' } };

  it('counts only working hours (Friday 16:00 → Monday 10:00 is 2 h)', () => {
    expect(businessTimeBetween(at('2024-05-03T16:00:00Z'), at('2024-05-06T10:00:00Z'), utc)).toBe(2 * H);
  });

  it('is 0 for an empty or reversed range', () => {
    expect(businessTimeBetween(at('2024-05-06T10:00:00Z'), at('2024-05-06T10:00:00Z'), utc)).toBe(0);
    expect(businessTimeBetween(at('2024-05-06T10:00:00Z'), at('2024-05-06T09:00:00Z'), utc)).toBe(0);
  });

  it('is the inverse of addBusinessTime across a DST change', () => {
    const ny: BusinessCalendar = { timeZone: 'America/New_York', hours: { days: [...WEEKDAYS], start: '09:00', end: '17:00' }, holidays: ['2024-03-12'] };
    const from = at('2024-03-07T15:00:00Z');
    for (const hours of [1, 5, 8, 13, 40]) expect(businessTimeBetween(from, addBusinessTime(from, hours * H, ny), ny)).toBe(hours * H);
  });
});
