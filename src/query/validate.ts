/**
 * Validation and normalization of queries. A bad query throws {@link QueryError} naming the
 * path of the problem inside the query object.
 *
 * @module
 */
import * as z from 'zod/mini';
import { QueryError } from '../errors';
import { messageOf } from '../internal/issues';
import { decodeCursor, queryHash } from './cursor';
import { DEFAULT_LIMIT, MAX_LIMIT } from './types';
import type { Filter, OrderBy, StorageQuery } from './types';

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
const SEGMENT = /^(?:[A-Za-z_$][\w$-]*|\d+)$/;

/** Options of {@link validateFilter} and {@link normalizeQuery}. */
export interface QueryValidationOptions {
  /**
   * Allow paths whose segments start with `_` (engine-derived fields). The engine sets this
   * for the queries it writes itself; queries from callers never reach `_` fields.
   * @defaultValue false
   */
  allowInternal?: boolean;
}

/**
 * Why a field path is not acceptable, or `undefined` when it is.
 *
 * @example
 * ```ts
 * fieldPathProblem('custom.points'); // undefined
 * fieldPathProblem('a..b'); // 'field path "a..b" has an invalid segment ""'
 * fieldPathProblem('_search'); // 'field path "_search" names an internal field'
 * ```
 */
export function fieldPathProblem(path: string, allowInternal = false): string | undefined {
  if (path.length === 0) return 'field path is empty';
  for (const seg of path.split('.')) {
    if (!SEGMENT.test(seg)) return `field path "${path}" has an invalid segment "${seg}"`;
    if (FORBIDDEN_SEGMENTS.has(seg)) return `field path "${path}" names "${seg}"`;
    if (!allowInternal && seg.startsWith('_')) return `field path "${path}" names an internal field`;
  }
  return undefined;
}

const json = z.json();
const scalarOps = z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'startsWith', 'has']);
const listOps = z.enum(['in', 'nin', 'hasAny', 'hasAll']);
const conditionSchema = z.discriminatedUnion('op', [
  z.strictObject({ field: z.string(), op: scalarOps, value: json }),
  z.strictObject({ field: z.string(), op: listOps, value: z.array(json).check(z.maxLength(10_000)) }),
  z.strictObject({ field: z.string(), op: z.literal('between'), value: z.tuple([json, json]) }),
  z.strictObject({ field: z.string(), op: z.literal('exists'), value: z.boolean() }),
]);
const orderBySchema = z.array(
  z.strictObject({ field: z.string(), direction: z.optional(z.enum(['asc', 'desc'])) }),
).check(z.maxLength(8));

function fail(issues: readonly { path: PropertyKey[]; code: string }[], prefix: (string | number)[]): never {
  const issue = issues[0];
  const path = [...prefix, ...(issue?.path ?? []).map((p) => (typeof p === 'number' ? p : String(p)))];
  throw new QueryError(issue ? messageOf(issue as Parameters<typeof messageOf>[0]) : 'is invalid', path);
}

const MAX_DEPTH = 32;

/**
 * Check that a filter is well formed.
 *
 * @example
 * ```ts
 * const where: unknown = JSON.parse(searchParams.get('where') ?? '{"and":[]}');
 * validateFilter(where); // throws unless well formed; `where` is a Filter from here on
 * const vips = await crm.customers.find({ where: { and: [where, { field: 'tier', op: 'eq', value: 'vip' }] } });
 * ```
 * @throws {@link QueryError} naming the path of the first problem.
 */
export function validateFilter(filter: unknown, options: QueryValidationOptions = {}, path: (string | number)[] = ['where'], depth = 0): asserts filter is Filter {
  if (depth > MAX_DEPTH) throw new QueryError(`filter nests deeper than ${MAX_DEPTH} levels`, path);
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new QueryError('expected a condition or an and/or/not object', path);
  }
  const keys = Object.keys(filter);
  if (keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or')) {
    const key = keys[0];
    const list = (filter as Record<string, unknown>)[key];
    if (!Array.isArray(list)) throw new QueryError(`"${key}" takes an array of filters`, [...path, key]);
    list.forEach((f, i) => validateFilter(f, options, [...path, key, i], depth + 1));
    return;
  }
  if (keys.length === 1 && keys[0] === 'not') {
    validateFilter((filter as { not: unknown }).not, options, [...path, 'not'], depth + 1);
    return;
  }
  if (!('op' in filter) && !('field' in filter)) {
    throw new QueryError(`expected a condition or an and/or/not object, got keys ${keys.map((k) => `"${k}"`).join(', ')}`, path);
  }
  const result = conditionSchema.safeParse(filter, { reportInput: true });
  if (!result.success) fail(result.error.issues, path);
  const cond = result.data;
  const problem = fieldPathProblem(cond.field, options.allowInternal);
  if (problem) throw new QueryError(problem, [...path, 'field']);
  if (cond.op === 'gt' || cond.op === 'gte' || cond.op === 'lt' || cond.op === 'lte') {
    if (typeof cond.value !== 'number' && typeof cond.value !== 'string') {
      throw new QueryError(`"${cond.op}" compares numbers or strings`, [...path, 'value']);
    }
  }
  if (cond.op === 'between') {
    const [low, high] = cond.value;
    if (!((typeof low === 'number' && typeof high === 'number') || (typeof low === 'string' && typeof high === 'string'))) {
      throw new QueryError('"between" takes two numbers or two strings', [...path, 'value']);
    }
  }
  if ((cond.op === 'contains' || cond.op === 'startsWith') && typeof cond.value !== 'string') {
    throw new QueryError(`"${cond.op}" takes a string`, [...path, 'value']);
  }
}

/** A query ready for an adapter: validated, with a total order and its cursor decoded. */
export interface NormalizedQuery {
  /** The filter, if any. */
  where: Filter | undefined;
  /** The ordering, always ending with `id`. */
  orderBy: Required<OrderBy>[];
  /** Page size, 1..1,000. */
  limit: number;
  /** The sort key of the last row of the previous page, if a cursor was given. */
  after: unknown[] | undefined;
  /** The hash cursors of this query carry. */
  hash: string;
}

/**
 * Complete an ordering so it is total: `id` is appended (in the direction of the last key),
 * and keys after an explicit `id` are dropped since they could never decide anything.
 *
 * @example
 * ```ts
 * totalOrder([{ field: 'name', direction: 'desc' }]); // [{ field: 'name', direction: 'desc' }, { field: 'id', direction: 'desc' }]
 * totalOrder([{ field: 'id' }, { field: 'name' }]); // [{ field: 'id', direction: 'asc' }]
 * ```
 */
export function totalOrder(orderBy: readonly OrderBy[] | undefined): Required<OrderBy>[] {
  const out: Required<OrderBy>[] = [];
  for (const o of orderBy ?? []) {
    out.push({ field: o.field, direction: o.direction ?? 'asc' });
    if (o.field === 'id') return out;
  }
  out.push({ field: 'id', direction: out[out.length - 1]?.direction ?? 'asc' });
  return out;
}

/**
 * Validate a query and bring it to the form adapters work with.
 *
 * @example
 * ```ts
 * const q = normalizeQuery('customers', { where: { field: 'tier', op: 'eq', value: 'vip' }, orderBy: [{ field: 'name' }] });
 * // q.orderBy: [{ field: 'name', direction: 'asc' }, { field: 'id', direction: 'asc' }]; q.limit: 50; q.after: undefined
 * ```
 * @throws {@link QueryError} naming the path of the first problem.
 */
export function normalizeQuery(collection: string, query: StorageQuery, options: QueryValidationOptions = {}): NormalizedQuery {
  if (typeof query !== 'object' || query === null) throw new QueryError('expected a query object');
  if (query.where !== undefined) validateFilter(query.where, options);
  if (query.orderBy !== undefined) {
    const r = orderBySchema.safeParse(query.orderBy, { reportInput: true });
    if (!r.success) fail(r.error.issues, ['orderBy']);
    query.orderBy.forEach((o, i) => {
      const problem = fieldPathProblem(o.field, options.allowInternal);
      if (problem) throw new QueryError(problem, ['orderBy', i, 'field']);
    });
  }
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new QueryError(`limit must be a whole number from 1 to ${MAX_LIMIT}`, ['limit']);
  }
  const orderBy = totalOrder(query.orderBy);
  const hash = queryHash(collection, query.where, orderBy);
  let after: unknown[] | undefined;
  if (query.cursor !== undefined) {
    if (typeof query.cursor !== 'string' || query.cursor.length > 8192) throw new QueryError('cursor is malformed', ['cursor']);
    after = decodeCursor(query.cursor, hash, orderBy.length);
  }
  return { where: query.where, orderBy, limit, after, hash };
}
