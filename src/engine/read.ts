/**
 * The read verbs. The actor's scope is ANDed into every query before the adapter sees it,
 * so pages are full and counts never reveal records the actor cannot see.
 *
 * @internal
 * @module
 */
import { NotFoundError, QueryError } from '../errors';
import { validateFilter, fieldPathProblem } from '../query/validate';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../query/types';
import type { Filter, OrderBy } from '../query/types';
import { auditOps } from './audit';
import type { CompiledEntity } from './compile';
import { deny, throwIfAborted } from './guard';
import type { OpContext } from './guard';
import { publicView } from './record';
import { searchFilter } from './search';

/**
 * A query on a collection, as callers write it.
 *
 * @example
 * ```ts
 * const q: FindQuery = { where: { field: 'tier', op: 'eq', value: 'vip' },
 *   orderBy: [{ field: 'name' }], limit: 20 };
 * ```
 */
export interface FindQuery {
  /** Only records that match. */
  where?: Filter | undefined;
  /** Full-text search over the collection's searchable fields. */
  search?: string | undefined;
  /** Sort keys; `id` is always appended. @defaultValue `[{ field: 'id' }]` (creation order) */
  orderBy?: OrderBy[] | undefined;
  /** Page size. @defaultValue 50 (at most 1,000) */
  limit?: number | undefined;
  /** From the previous page's `nextCursor`. */
  cursor?: string | undefined;
  /** Include archived records. @defaultValue false */
  includeArchived?: boolean | undefined;
  /** Also count every match (`total`). @defaultValue false */
  total?: boolean | undefined;
  /** Cancels the call. */
  signal?: AbortSignal | undefined;
}

/** One page of a `find`. */
export interface FindResult<T> {
  /** This page's records. */
  items: T[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
  /** Every match, when `total: true` was asked. */
  total?: number;
}

function fieldsOf(filter: Filter | undefined, out: string[] = []): string[] {
  if (!filter) return out;
  if ('and' in filter) filter.and.forEach((f) => fieldsOf(f, out));
  else if ('or' in filter) filter.or.forEach((f) => fieldsOf(f, out));
  else if ('not' in filter) fieldsOf(filter.not, out);
  else out.push(filter.field);
  return out;
}

function rewrite(filter: Filter, rewrites: ReadonlyMap<string, string>): Filter {
  if (rewrites.size === 0) return filter;
  if ('and' in filter) return { and: filter.and.map((f) => rewrite(f, rewrites)) };
  if ('or' in filter) return { or: filter.or.map((f) => rewrite(f, rewrites)) };
  if ('not' in filter) return { not: rewrite(filter.not, rewrites) };
  const to = rewrites.get(filter.field);
  return to ? ({ ...filter, field: to } as Filter) : filter;
}

/**
 * Whether a path reaches a hidden field: the field itself, anything inside it (`custom` hidden
 * hides `custom.x`), or anything containing it (`custom` as a whole when `custom.x` is hidden).
 */
function hides(hidden: ReadonlySet<string>, path: string): boolean {
  for (const h of hidden) {
    if (path === h || path.startsWith(`${h}.`) || h.startsWith(`${path}.`)) return true;
  }
  return false;
}

/** Validate a caller's query and build the storage query: scope, archive rule, search, rewrites. */
export async function buildQuery(ctx: OpContext, entity: CompiledEntity, q: FindQuery, action: 'read' | 'export' = 'read'): Promise<{ where: Filter | undefined; orderBy: OrderBy[] } | false> {
  if (q.where !== undefined) validateFilter(q.where);
  const orderBy = q.orderBy ?? entity.defaultOrder ?? [];
  if (!Array.isArray(orderBy)) throw new QueryError('expected an array of { field, direction }', ['orderBy']);
  orderBy.forEach((o, i) => {
    const problem = typeof o?.field === 'string' ? fieldPathProblem(o.field) : 'expected a field path';
    if (problem) throw new QueryError(problem, ['orderBy', i, 'field']);
    if (o.direction !== undefined && o.direction !== 'asc' && o.direction !== 'desc') throw new QueryError('direction is "asc" or "desc"', ['orderBy', i, 'direction']);
  });
  if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_LIMIT)) {
    throw new QueryError(`limit must be a whole number from 1 to ${MAX_LIMIT}`, ['limit']);
  }
  const hidden = ctx.engine.policy.hiddenFields(ctx.actor, entity.collection);
  if (hidden.size) {
    for (const f of [...fieldsOf(q.where), ...orderBy.map((o) => o.field)]) {
      if (hides(hidden, f)) await deny(ctx, action, entity.collection, undefined, `cannot filter or order by ${f}, which this actor cannot read`);
    }
  }
  const scope = ctx.engine.policy.scope(ctx.actor, action, entity.collection);
  if (scope === false) return false;
  const parts: Filter[] = [];
  if (q.where) parts.push(rewrite(q.where, entity.rewrites));
  if (!q.includeArchived) parts.push({ field: 'archivedAt', op: 'exists', value: false });
  if (scope) parts.push(scope);
  if (q.search !== undefined) {
    if (typeof q.search !== 'string') throw new QueryError('search is a string', ['search']);
    const s = searchFilter(entity, q.search, hidden);
    if (s === false) return false;
    if (s) parts.push(s);
  }
  const where = parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { and: parts };
  return { where, orderBy: orderBy.map((o) => (rewriteOrder(o, entity))) };
}

function rewriteOrder(o: OrderBy, entity: CompiledEntity): OrderBy {
  const to = entity.rewrites.get(o.field);
  return to ? { ...o, field: to } : o;
}

/** `find`: one page, scoped and masked. */
export async function find<T>(ctx: OpContext, entity: CompiledEntity, q: FindQuery = {}): Promise<FindResult<T>> {
  throwIfAborted(q.signal);
  const built = await buildQuery(ctx, entity, q);
  if (built === false) return q.total ? { items: [], total: 0 } : { items: [] };
  // Callers never see `_` fields: the adapter may skip copying them (publicView drops any left).
  const page = await ctx.session.query(entity.collection, { where: built.where, orderBy: built.orderBy, limit: q.limit ?? DEFAULT_LIMIT, cursor: q.cursor, omitInternal: true });
  throwIfAborted(q.signal);
  const hidden = ctx.engine.policy.hiddenFields(ctx.actor, entity.collection);
  const result: FindResult<T> = { items: page.items.map((r) => publicView<T>(r, hidden)) };
  if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
  if (q.total) result.total = await ctx.session.count(entity.collection, built.where);
  return result;
}

/** `count`: how many records match, within scope. */
export async function count(ctx: OpContext, entity: CompiledEntity, where?: Filter, options: { includeArchived?: boolean; signal?: AbortSignal | undefined } = {}): Promise<number> {
  throwIfAborted(options.signal);
  const built = await buildQuery(ctx, entity, { where, includeArchived: options.includeArchived });
  if (built === false) return 0;
  return ctx.session.count(entity.collection, built.where);
}

/** Whether the actor may read this record (scope and grant). */
export function canRead(ctx: OpContext, entity: CompiledEntity, record: Record<string, unknown>): boolean {
  return ctx.engine.policy.decide(ctx.actor, 'read', entity.collection, record).allowed;
}

/** `getMany`: records by id in the order asked, `undefined` for missing or unreadable ones. */
export async function getMany<T>(ctx: OpContext, entity: CompiledEntity, ids: readonly string[]): Promise<(T | undefined)[]> {
  const records = await ctx.session.get(entity.collection, ids);
  const hidden = ctx.engine.policy.hiddenFields(ctx.actor, entity.collection);
  const visible = records.map((r) => (r && canRead(ctx, entity, r) ? r : undefined));
  if (ctx.engine.auditReads) {
    const ops = visible.flatMap((r) => (r ? auditOps(ctx.engine, { actorId: ctx.actor.id, action: 'view', collection: entity.collection, recordId: r.id }) : []));
    if (ops.length) await ctx.engine.storage.write(ops);
  }
  return visible.map((r) => (r ? publicView<T>(r, hidden) : undefined));
}

/** `get`: one record; NotFoundError when absent or outside the actor's scope. */
export async function get<T>(ctx: OpContext, entity: CompiledEntity, id: string): Promise<T> {
  const [record] = await getMany<T>(ctx, entity, [id]);
  if (record === undefined) {
    const [raw] = await ctx.session.get(entity.collection, [id]);
    if (raw) await deny(ctx, 'read', entity.collection, id, 'outside the actor\'s scope');
    throw new NotFoundError(entity.collection, id);
  }
  return record;
}
