import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/index';
import { parsePeriod, periodOf, periodsBetween, startOfDay, zonedParts } from '../../src/reports/periods';

describe('periods', () => {
  it('finds the quarter of an instant in the CRM time zone', () => {
    expect(periodOf('2024-03-31T23:30:00Z', 'quarter', 'UTC')).toEqual({ key: '2024-Q1', unit: 'quarter', start: '2024-01-01T00:00:00.000Z', end: '2024-04-01T00:00:00.000Z' });
    expect(periodOf('2024-03-31T23:30:00Z', 'quarter', 'Europe/Istanbul')).toEqual({ key: '2024-Q2', unit: 'quarter', start: '2024-03-31T21:00:00.000Z', end: '2024-06-30T21:00:00.000Z' });
    expect(periodOf('2024-04-01T02:00:00Z', 'month', 'America/New_York')).toEqual({ key: '2024-03', unit: 'month', start: '2024-03-01T05:00:00.000Z', end: '2024-04-01T04:00:00.000Z' });
  });

  it('starts days at local midnight across daylight-saving changes', () => {
    expect(new Date(startOfDay(2024, 3, 10, 'America/New_York')).toISOString()).toBe('2024-03-10T05:00:00.000Z');
    expect(new Date(startOfDay(2024, 3, 11, 'America/New_York')).toISOString()).toBe('2024-03-11T04:00:00.000Z');
    expect(new Date(startOfDay(2024, 11, 3, 'America/New_York')).toISOString()).toBe('2024-11-03T04:00:00.000Z');
    // Santiago skipped midnight on 2024-09-08 (00:00 → 01:00): the day begins at 01:00 local.
    expect(new Date(startOfDay(2024, 9, 8, 'America/Santiago')).toISOString()).toBe('2024-09-08T04:00:00.000Z');
    expect(new Date(startOfDay(2024, 1, 1, 'Asia/Kolkata')).toISOString()).toBe('2023-12-31T18:30:00.000Z');
  });

  it('reads wall-clock parts', () => {
    expect(zonedParts(Date.parse('2024-03-31T23:30:00Z'), 'Europe/Istanbul')).toEqual({ year: 2024, month: 4, day: 1, hour: 2, minute: 30, second: 0, weekday: 1 });
  });

  it('parses period keys', () => {
    expect(parsePeriod('2024', 'UTC')).toMatchObject({ key: '2024', unit: 'year', start: '2024-01-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' });
    expect(parsePeriod('2024-Q4', 'UTC')).toMatchObject({ key: '2024-Q4', start: '2024-10-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' });
    expect(parsePeriod('2024-02', 'UTC')).toMatchObject({ key: '2024-02', unit: 'month', end: '2024-03-01T00:00:00.000Z' });
    for (const bad of ['2024-Q5', '2024-13', 'Q1', '24']) {
      let error: unknown;
      try {
        parsePeriod(bad, 'UTC');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ issues: [{ path: ['period'], code: 'invalid_value' }] });
    }
  });

  it('lists the periods overlapping a range', () => {
    expect(periodsBetween('2024-02-15T00:00:00Z', '2024-07-01T00:00:00Z', 'quarter', 'UTC').map((p) => p.key)).toEqual(['2024-Q1', '2024-Q2']);
    expect(periodsBetween('2023-12-01T00:00:00Z', '2024-03-01T00:00:00Z', 'month', 'UTC').map((p) => p.key)).toEqual(['2023-12', '2024-01', '2024-02']);
    expect(() => periodsBetween('2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'month', 'UTC')).toThrow(ValidationError);
  });

  it('refuses an unknown time zone with ValidationError', () => {
    expect(() => periodOf(0, 'month', 'Mars/Olympus')).toThrow(ValidationError);
  });
});
