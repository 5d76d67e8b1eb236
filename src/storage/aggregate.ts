/**
 * The reference implementation of `aggregate`: what every adapter's native aggregation must
 * agree with, and what stands in for adapters that have none.
 *
 * @module
 */
import { QueryError } from '../errors';
import { canonicalJson, compareValues } from '../query/order';
import { sortValue, splitPath } from '../query/path';
import { matches } from '../query/evaluate';
import { fieldPathProblem, validateFilter } from '../query/validate';
// The calendar arithmetic reports use, so a time bucket and a report period agree to the
// millisecond; the module is a leaf (it imports only the errors).
import { startOfDay, zonedParts } from '../time/zoned';
import type { AggregateRow, Aggregation, GroupKey, Metric, StorageAdapter, StoredRecord, TimeBucket, TimeBucketUnit } from './adapter';

/** The units a {@link TimeBucket} takes, shortest first. */
export const TIME_BUCKET_UNITS: readonly TimeBucketUnit[] = ['day', 'week', 'month', 'quarter', 'year'];

const METRIC_OPS = new Set(['count', 'sum', 'avg', 'min', 'max', 'percentile']);
const MAX_GROUP_KEYS = 16;

function problem(message: string, path: (string | number)[]): never {
  throw new QueryError(message, path);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkField(field: unknown, path: (string | number)[]): void {
  if (typeof field !== 'string') problem('expected a field path', path);
  const why = fieldPathProblem(field, true);
  if (why !== undefined) problem(why, path);
}

function checkTimeZone(timeZone: unknown, path: (string | number)[]): void {
  if (typeof timeZone !== 'string' || timeZone.length === 0) problem('expected an IANA time zone such as "Europe/Istanbul"', path);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    problem(`unknown time zone "${timeZone}"`, path);
  }
}

/** The key a group entry has in each row's `group`. */
function groupName(key: GroupKey): string {
  return typeof key === 'string' ? key : (key.name ?? key.field);
}

/** Everything but `where`: what the {@link Aggregator} itself relies on. */
function checkShape(aggregation: unknown): asserts aggregation is Aggregation {
  if (!isPlainObject(aggregation)) problem('expected an aggregation object with metrics', []);
  const { groupBy, metrics } = aggregation;
  if (groupBy !== undefined) {
    if (!Array.isArray(groupBy)) problem('expected an array of field paths and time buckets', ['groupBy']);
    if (groupBy.length > MAX_GROUP_KEYS) problem(`at most ${MAX_GROUP_KEYS} group keys`, ['groupBy']);
    // Each key's name, and whether a time bucket has it.
    const names = new Map<string, boolean>();
    groupBy.forEach((key: unknown, i) => {
      if (typeof key === 'string') {
        checkField(key, ['groupBy', i]);
      } else if (isPlainObject(key)) {
        for (const k of Object.keys(key)) {
          if (k !== 'field' && k !== 'bucket' && k !== 'timeZone' && k !== 'name') problem(`unknown key "${k}" (a time bucket has field, bucket, timeZone and name)`, ['groupBy', i, k]);
        }
        checkField(key['field'], ['groupBy', i, 'field']);
        if (!TIME_BUCKET_UNITS.includes(key['bucket'] as TimeBucketUnit)) problem(`bucket is one of ${TIME_BUCKET_UNITS.join(', ')}`, ['groupBy', i, 'bucket']);
        if (key['timeZone'] !== undefined) checkTimeZone(key['timeZone'], ['groupBy', i, 'timeZone']);
        if (key['name'] !== undefined && (typeof key['name'] !== 'string' || key['name'].length === 0)) problem('expected a non-empty name', ['groupBy', i, 'name']);
      } else {
        problem('expected a field path or a time bucket { field, bucket, timeZone?, name? }', ['groupBy', i]);
      }
      // A field named twice is merely redundant; a bucket sharing a key would overwrite it.
      const name = groupName(key as GroupKey);
      const bucket = typeof key !== 'string';
      if (names.get(name) === true || (names.has(name) && bucket)) problem(`group key "${name}" is taken (give the time bucket a name of its own)`, ['groupBy', i]);
      names.set(name, names.get(name) === true || bucket);
    });
  }
  if (!Array.isArray(metrics)) problem('expected an array of metrics', ['metrics']);
  const names = new Set<string>();
  metrics.forEach((m: unknown, i) => {
    if (!isPlainObject(m)) problem('expected a metric { name, op, field? }', ['metrics', i]);
    if (typeof m['name'] !== 'string' || m['name'].length === 0) problem('expected a non-empty name', ['metrics', i, 'name']);
    if (names.has(m['name'])) problem(`metric name "${m['name']}" appears twice`, ['metrics', i, 'name']);
    names.add(m['name']);
    if (typeof m['op'] !== 'string' || !METRIC_OPS.has(m['op'])) problem(`op is one of ${[...METRIC_OPS].join(', ')}`, ['metrics', i, 'op']);
    if (m['op'] === 'count') return;
    checkField(m['field'], ['metrics', i, 'field']);
    if (m['op'] === 'percentile') {
      const p = m['p'];
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) problem('p is a number from 0 to 1', ['metrics', i, 'p']);
    }
  });
}

/**
 * Check an aggregation as every adapter must before running it: the filter as `query`
 * checks it (engine-derived `_` fields allowed), group keys (field paths, or time buckets
 * with a known unit and IANA time zone, each under a key no other entry has; at most 16), and metrics
 * (distinct names, a known op, a field path where the op needs one, `p` within 0..1).
 *
 * @example
 * ```ts
 * validateAggregation({ groupBy: [{ field: 'closedAt', bucket: 'month', timeZone: 'Europe/Istanbul' }], metrics: [{ name: 'n', op: 'count' }] }); // fine
 * validateAggregation({ groupBy: [{ field: 'closedAt', bucket: 'fortnight' }], metrics: [] }); // QueryError at groupBy[0].bucket
 * ```
 * @throws {@link QueryError} naming the path of the first problem.
 */
export function validateAggregation(aggregation: unknown): asserts aggregation is Aggregation {
  checkShape(aggregation);
  if (aggregation.where !== undefined) validateFilter(aggregation.where, { allowInternal: true });
}

/** Days in a month of the proleptic Gregorian calendar. */
function daysIn(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const FIXED_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Two decimal digits at `i` (checked by the caller). */
function two(s: string, i: number): number {
  return (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
}

/**
 * The instant of a string in the fixed format rapport stores (`YYYY-MM-DDTHH:mm:ss.sssZ`,
 * checked by the caller), read digit by digit (general date parsing costs several times
 * more per record); `NaN` when it names no real date or time.
 */
function fixedInstantMs(s: string): number {
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  return (((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60 + second) * 1000 + two(s, 20) * 10 + s.charCodeAt(22) - 48;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date, in integer arithmetic (H. Hinnant's
 * `days_from_civil`): `Date.UTC` was the largest cost of placing a record in its bucket.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** ISO 8601 date-times with a zone designator, the only other strings a time bucket reads. */
const ISO_INSTANT = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d{1,9})?)?(?:Z|[+-](\d\d):(\d\d))$/;

/**
 * The instant a value names, when it is an ISO 8601 date-time string; `NaN` otherwise. Every
 * field is range-checked here, because `Date.parse` rolls days such as February 30 over into
 * the next month instead of refusing them.
 */
function instantOf(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  if (value.length === 24 && FIXED_INSTANT.test(value)) return fixedInstantMs(value);
  const m = ISO_INSTANT.exec(value);
  if (m === null) return Number.NaN;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as number[] as [number, number, number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return Number.NaN;
  return Date.parse(value);
}

/** The UTC calendar date `days` after a date (which may overflow its month). */
function civil(year: number, month: number, day: number): [number, number, number] {
  const d = new Date(Date.UTC(year, month - 1, day));
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/**
 * The calendar bucket `[start, end)` (epoch ms) of a unit holding an instant, in a time zone.
 * Starts are local midnights computed like report periods (`startOfDay`), so DST days of 23
 * or 25 hours and zones that skip midnight come out right.
 *
 * @internal
 * @example
 * ```ts
 * bucketRange(Date.parse('2024-03-10T12:00:00Z'), 'day', 'America/New_York').map((t) => new Date(t).toISOString());
 * // ['2024-03-10T05:00:00.000Z', '2024-03-11T04:00:00.000Z']: a 23-hour day
 * ```
 */
export function bucketRange(instantMs: number, unit: TimeBucketUnit, timeZone: string): [number, number] {
  const p = zonedParts(instantMs, timeZone);
  let first: [number, number, number];
  let next: [number, number, number];
  switch (unit) {
    case 'day':
      first = [p.year, p.month, p.day];
      next = civil(p.year, p.month, p.day + 1);
      break;
    case 'week':
      first = civil(p.year, p.month, p.day - (p.weekday - 1));
      next = civil(first[0], first[1], first[2] + 7);
      break;
    case 'month':
      first = [p.year, p.month, 1];
      next = civil(p.year, p.month + 1, 1);
      break;
    case 'quarter': {
      const m = Math.floor((p.month - 1) / 3) * 3 + 1;
      first = [p.year, m, 1];
      next = civil(p.year, m + 3, 1);
      break;
    }
    case 'year':
      first = [p.year, 1, 1];
      next = [p.year + 1, 1, 1];
      break;
  }
  return [startOfDay(first[0], first[1], first[2], timeZone), startOfDay(next[0], next[1], next[2], timeZone)];
}

/**
 * Maps instants to their bucket's start. Computing a bucket takes several `Intl` calls, so
 * the buckets met so far are kept sorted and most records are placed by comparing numbers:
 * the last bucket used, else a binary search.
 */
class Bucketer {
  private starts: number[] = [];
  private ends: number[] = [];
  private keys: string[] = [];
  private last = -1;

  constructor(
    private readonly unit: TimeBucketUnit,
    private readonly timeZone: string,
  ) {}

  /** The bucket start of a value (fixed-format ISO string), or `null` when it is no ISO 8601 date-time. */
  of(value: unknown): string | null {
    const t = instantOf(value);
    if (Number.isNaN(t)) return null;
    const last = this.last;
    if (last >= 0 && t >= (this.starts[last] as number) && t < (this.ends[last] as number)) return this.keys[last] as string;
    // The last bucket whose start is at or before t.
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.starts[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    const at = lo - 1;
    if (at >= 0 && t < (this.ends[at] as number)) {
      this.last = at;
      return this.keys[at] as string;
    }
    const [start, end] = bucketRange(t, this.unit, this.timeZone);
    const key = new Date(start).toISOString();
    // Memory stays bounded however many distinct days a collection spans.
    if (this.starts.length >= 4096) {
      this.starts = [];
      this.ends = [];
      this.keys = [];
      this.last = -1;
      return key;
    }
    this.starts.splice(lo, 0, start);
    this.ends.splice(lo, 0, end);
    this.keys.splice(lo, 0, key);
    this.last = lo;
    return key;
  }
}

type Reader = (record: unknown) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A reader equal to `sortValue(record, path)`, specialized for one or two segments through
 * plain objects (report fields such as `stageId` or `_stays.lead`), which it reads without
 * splitting the path per record.
 */
function reader(path: string): Reader {
  const parts = splitPath(path);
  if (parts.length === 1) {
    return (record) => (record !== null && typeof record === 'object' && !Array.isArray(record) && hasOwn.call(record, path) ? (record as Record<string, unknown>)[path] : sortValue(record, path));
  }
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    return (record) => {
      if (record === null || typeof record !== 'object' || Array.isArray(record)) return sortValue(record, path);
      if (!hasOwn.call(record, a)) return undefined;
      const inner = (record as Record<string, unknown>)[a];
      if (inner === null || typeof inner !== 'object') return undefined;
      if (Array.isArray(inner)) return sortValue(record, path);
      return hasOwn.call(inner, b) ? (inner as Record<string, unknown>)[b] : undefined;
    };
  }
  return (record) => sortValue(record, path);
}

function groupReader(key: GroupKey): Reader {
  if (typeof key === 'string') return reader(key);
  const read = reader(key.field);
  const buckets = new Bucketer(key.bucket, key.timeZone ?? 'UTC');
  return (record) => buckets.of(read(record));
}

/** One group's running figures; numeric fields by slot (see `numericFields`). */
interface Accumulator {
  group: Record<string, unknown>;
  count: number;
  n: Float64Array;
  sum: Float64Array;
  min: Float64Array;
  max: Float64Array;
  values: (number[] | undefined)[];
}

/**
 * One level of the group tree: a map per group key, keyed by the value itself. Map keys
 * compare by SameValueZero, so a missing field, `null`, `1` and `'1'` stay distinct groups
 * (as in the value order); objects and arrays are keyed by their canonical JSON in a map of
 * their own, so no string can pose as one.
 */
interface Level {
  byValue: Map<unknown, Level | Accumulator>;
  byJson: Map<string, Level | Accumulator> | undefined;
}

const newLevel = (): Level => ({ byValue: new Map(), byJson: undefined });

/**
 * Collects records into groups and computes metrics, one record at a time.
 *
 * @example
 * ```ts
 * const agg = new Aggregator({ groupBy: ['tier'], metrics: [{ name: 'n', op: 'count' }, { name: 'p90', op: 'percentile', field: 'points', p: 0.9 }] });
 * for (const r of [{ tier: 'vip', points: 10 }, { tier: 'vip', points: 30 }, { tier: 'gold', points: 5 }]) agg.add(r);
 * agg.rows(); // [{ group: { tier: 'gold' }, values: { n: 1, p90: 5 } }, { group: { tier: 'vip' }, values: { n: 2, p90: 28 } }]
 * ```
 */
export class Aggregator {
  private readonly root: Level = newLevel();
  private readonly all: Accumulator[] = [];
  private readonly names: string[];
  private readonly groupReaders: Reader[];
  /** Distinct fields the metrics read, each read once per record. */
  private readonly numericFields: string[];
  private readonly numericReaders: Reader[];
  private readonly percentileSlots: boolean[];
  private readonly aggregation: Aggregation;
  private sensitive = false;

  /**
   * Whether the order records were added in can show in the result: a sum took a fraction
   * or left the safe-integer range, where floating-point addition stops being associative.
   * Counts, integer sums, min, max and percentiles come out the same in any order.
   */
  get orderSensitive(): boolean {
    return this.sensitive;
  }

  /**
   * @param aggregation - what to compute (its `where` is the caller's to apply).
   * @throws {@link QueryError} for a malformed `groupBy` or metric.
   */
  constructor(aggregation: Aggregation) {
    checkShape(aggregation);
    this.aggregation = aggregation;
    const groupBy = aggregation.groupBy ?? [];
    this.names = groupBy.map(groupName);
    this.groupReaders = groupBy.map(groupReader);
    this.numericFields = [...new Set(aggregation.metrics.flatMap((m) => ('field' in m ? [m.field] : [])))];
    this.numericReaders = this.numericFields.map(reader);
    const percentiles = new Set(aggregation.metrics.flatMap((m) => (m.op === 'percentile' ? [m.field] : [])));
    this.percentileSlots = this.numericFields.map((f) => percentiles.has(f));
  }

  private accumulator(group: Record<string, unknown>): Accumulator {
    const k = this.numericFields.length;
    const acc: Accumulator = {
      group,
      count: 0,
      n: new Float64Array(k),
      sum: new Float64Array(k),
      min: new Float64Array(k).fill(Number.POSITIVE_INFINITY),
      max: new Float64Array(k).fill(Number.NEGATIVE_INFINITY),
      values: this.percentileSlots.map((p) => (p ? [] : undefined)),
    };
    this.all.push(acc);
    return acc;
  }

  /** The accumulator of a record's group, made on first sight. */
  private find(record: unknown): Accumulator {
    const readers = this.groupReaders;
    const depth = readers.length;
    if (depth === 0) return (this.all[0] as Accumulator | undefined) ?? this.accumulator({});
    let level = this.root;
    for (let i = 0; i < depth; i++) {
      const v = (readers[i] as Reader)(record);
      const next = v !== null && typeof v === 'object' ? level.byJson?.get(canonicalJson(v)) : level.byValue.get(v);
      if (next === undefined) {
        // A new group: read its values once more (reads are pure) and build its branch.
        const group: Record<string, unknown> = {};
        for (let j = 0; j < depth; j++) group[this.names[j] as string] = j === i ? v : (readers[j] as Reader)(record);
        return this.branch(level, i, group);
      }
      if (i === depth - 1) return next as Accumulator;
      level = next as Level;
    }
    throw new Error('unreachable: a group tree is as deep as groupBy');
  }

  /** Add the path of a new group below `level` (which lacks its value at depth `from`). */
  private branch(level: Level, from: number, group: Record<string, unknown>): Accumulator {
    const depth = this.names.length;
    let at = level;
    for (let i = from; i < depth; i++) {
      const v = group[this.names[i] as string];
      const isObject = v !== null && typeof v === 'object';
      const map = isObject ? (at.byJson ??= new Map()) : at.byValue;
      const key = isObject ? canonicalJson(v) : v;
      const existing = map.get(key);
      if (i === depth - 1) {
        if (existing !== undefined) return existing as Accumulator;
        const acc = this.accumulator(group);
        map.set(key, acc);
        return acc;
      }
      let next = existing as Level | undefined;
      if (next === undefined) map.set(key, (next = newLevel()));
      at = next;
    }
    throw new Error('unreachable: a group tree is as deep as groupBy');
  }

  /** Add one record (the caller has already checked `where`). */
  add(record: unknown): void {
    const acc = this.find(record);
    acc.count++;
    const readers = this.numericReaders;
    for (let i = 0; i < readers.length; i++) {
      const v = (readers[i] as Reader)(record);
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      // The same additions, in the same order, as a plain running sum: results do not move.
      const sum = (acc.sum[i] as number) + v;
      acc.sum[i] = sum;
      if (!Number.isSafeInteger(sum) || !Number.isInteger(v)) this.sensitive = true;
      acc.n[i] = (acc.n[i] as number) + 1;
      if (v < (acc.min[i] as number)) acc.min[i] = v;
      if (v > (acc.max[i] as number)) acc.max[i] = v;
      acc.values[i]?.push(v);
    }
  }

  /** The rows, ordered by group values in the value order. */
  rows(): AggregateRow[] {
    const names = this.names;
    const accs = this.all.slice();
    if (accs.length === 0 && names.length === 0) accs.push(this.accumulator({}));
    accs.sort((a, b) => {
      for (const f of names) {
        const c = compareValues(a.group[f], b.group[f]);
        if (c !== 0) return c;
      }
      return 0;
    });
    const slot = new Map(this.numericFields.map((f, i) => [f, i]));
    return accs.map((acc) => ({ group: acc.group, values: Object.fromEntries(this.aggregation.metrics.map((m) => [m.name, metric(acc, m, slot)])) }));
  }
}

function metric(acc: Accumulator, m: Metric, slot: ReadonlyMap<string, number>): number | null {
  if (m.op === 'count') return acc.count;
  const i = slot.get(m.field) as number;
  const n = acc.n[i] as number;
  if (n === 0) return m.op === 'sum' ? 0 : null;
  switch (m.op) {
    case 'sum':
      return acc.sum[i] as number;
    case 'avg':
      return (acc.sum[i] as number) / n;
    case 'min':
      return acc.min[i] as number;
    case 'max':
      return acc.max[i] as number;
    case 'percentile':
      return percentile(acc.values[i] ?? [], m.p);
  }
}

/**
 * Percentile with linear interpolation between closest ranks (p in 0..1): p = 0.5 is the
 * median, with the mean of the two middle values for an even count.
 *
 * @example
 * ```ts
 * percentile([4, 1, 3, 2], 0.5); // 2.5
 * percentile([10, 20, 30], 0.9); // 28
 * percentile([], 0.5); // null
 * ```
 */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.min(Math.max(p, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

/**
 * Aggregate over an iterable of records (what an in-memory adapter does natively).
 *
 * @example
 * ```ts
 * aggregateRecords(deals, { groupBy: ['stageId'], metrics: [{ name: 'n', op: 'count' }] });
 * ```
 * @throws {@link QueryError} for a malformed aggregation.
 */
export function aggregateRecords(records: Iterable<unknown>, aggregation: Aggregation): AggregateRow[] {
  validateAggregation(aggregation);
  const agg = new Aggregator(aggregation);
  for (const r of records) if (matches(r, aggregation.where)) agg.add(r);
  return agg.rows();
}

/**
 * Aggregate the records of an in-memory store, read in the store's own order, and answer
 * exactly as the reference scan in id order would; `undefined` when that cannot be promised
 * (for the caller to walk its records in id order instead).
 *
 * Reading a `Map` in its insertion order is several times cheaper per record than looking
 * each id up in id order. The visit order can show in a result (sums of fractions or beyond
 * 2^53, the first value kept for a group), so the answer stands only when the store's order
 * is id order — checked in one pass over the keys, and true whenever ids are generated
 * sortable, as rapport's ULIDs are.
 *
 * @example
 * ```ts
 * const rows = aggregateInStoredOrder(records, aggregation) ?? aggregateRecords(inIdOrder(records), aggregation);
 * ```
 * @throws {@link QueryError} for a malformed `groupBy` or metric.
 */
export function aggregateInStoredOrder(records: ReadonlyMap<string, StoredRecord>, aggregation: Aggregation): AggregateRow[] | undefined {
  const agg = new Aggregator(aggregation);
  const where = aggregation.where;
  // forEach, not for…of: no iterator result per record.
  records.forEach((record) => {
    if (matches(record, where)) agg.add(record);
  });
  // Always checked, not only after an order-sensitive sum: the first value of a group (an
  // object group, `0` beside `-0`) and partial sums of mixed signs can depend on the order too.
  let previous = '';
  for (const id of records.keys()) {
    if (id <= previous) return undefined;
    previous = id;
  }
  return agg.rows();
}

/**
 * The engine's stand-in for adapters without native `aggregate`: pages through the matching
 * records (1,000 at a time, so memory stays bounded) and aggregates them.
 *
 * @example
 * ```ts
 * const aggregation: Aggregation = { groupBy: ['author'], metrics: [{ name: 'notes', op: 'count' }] };
 * const rows = storage.aggregate ? await storage.aggregate('notes', aggregation) : await aggregateByScan(storage, 'notes', aggregation);
 * ```
 * @throws {@link QueryError} for a malformed aggregation.
 */
export async function aggregateByScan(adapter: StorageAdapter, collection: string, aggregation: Aggregation): Promise<AggregateRow[]> {
  const agg = new Aggregator(aggregation);
  let cursor: string | undefined;
  do {
    const page = await adapter.query(collection, { where: aggregation.where, limit: 1000, cursor });
    for (const r of page.items) agg.add(r);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return agg.rows();
}

/**
 * Aggregate through the storage contract: the adapter's native `aggregate` where it has one (a
 * SQL adapter pushes it down to `GROUP BY`), the reference scan otherwise.
 *
 * @example
 * ```ts
 * const rows = await aggregateIn(storage, 'deals', { groupBy: ['stageId'], metrics: [{ name: 'n', op: 'count' }] });
 * ```
 */
export function aggregateIn(adapter: StorageAdapter, collection: string, aggregation: Aggregation): Promise<AggregateRow[]> {
  return adapter.aggregate ? adapter.aggregate(collection, aggregation) : aggregateByScan(adapter, collection, aggregation);
}
