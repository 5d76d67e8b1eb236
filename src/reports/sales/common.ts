/**
 * What the sales reports share: their common filter options, the scoped `where` they hand
 * to `aggregate`, the aggregate call itself (native where the adapter has it, the engine's
 * scan otherwise), and the pipelines they read stage names and probabilities from.
 *
 * @internal
 * @module
 */
import { parsePeriod } from '../periods';
import { QueryError, ValidationError } from '../../errors';
import type { Pipeline, Stage } from '../../entities/pipelines';
import { deny, throwIfAborted } from '../../engine/guard';
import type { OpContext } from '../../engine/guard';
import { buildQuery } from '../../engine/read';
import { fieldPathProblem } from '../../query/validate';
import type { Filter } from '../../query/types';
import type { AggregateRow, Aggregation } from '../../storage/adapter';
import { aggregateIn } from '../../storage/aggregate';
import { GROUPINGS } from './groupings';
import type { Period } from '../periods';

/**
 * Filters every sales report takes. They are ANDed together, and with the caller's
 * permission scope; archived deals are left out.
 *
 * @example
 * ```ts
 * const filter: SalesFilter = { pipelineId, teamIds: ['emea'], period: '2024-Q2', where: { field: 'custom.segment', op: 'eq', value: 'smb' } };
 * ```
 */
export interface SalesFilter {
  /** Only deals of this pipeline. */
  pipelineId?: string | undefined;
  /** Only deals owned by these users. */
  ownerIds?: string[] | undefined;
  /** Only deals of these teams. */
  teamIds?: string[] | undefined;
  /** Only deals in this currency. */
  currency?: string | undefined;
  /** Any further condition on deal fields, custom fields included (the query language of `find`). */
  where?: Filter | undefined;
  /**
   * A calendar period in the CRM's time zone: `2024`, `2024-Q2` or `2024-05`. Which date it
   * applies to is each report's (see the guide). Ignored when `from` or `to` is given.
   */
  period?: string | undefined;
  /** From this instant (inclusive, ISO 8601). */
  from?: string | undefined;
  /** Up to this instant (exclusive, ISO 8601). */
  to?: string | undefined;
  /** Cancels the call (local mode; over HTTP the request is cancelled). */
  signal?: AbortSignal | undefined;
}

/** A date range `[from, to)` as ISO strings, either bound optional. */
export interface Range {
  from?: string | undefined;
  to?: string | undefined;
}

/** An option naming an instant, as the fixed-format UTC string rapport stores. */
function isoInstant(value: unknown, name: string): string {
  const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) throw new ValidationError([{ path: [name], message: 'expected an ISO 8601 date-time', code: 'invalid_type' }]);
  return new Date(t).toISOString();
}

/**
 * The `[from, to)` a report's options ask for (the sales filter, a marketing range):
 * `from`/`to` (ISO instants), else a calendar `period` key in the CRM's time zone, else no bound.
 * @throws `ValidationError` at `[to]` when `to` is not after `from`, or for a malformed instant or period.
 * @example
 * ```ts
 * rangeOf(ctx, { period: '2024-Q2' }); // in Europe/Istanbul: { from: '2024-03-31T21:00:00.000Z', to: '2024-06-30T21:00:00.000Z', period: … }
 * ```
 */
export function rangeOf(ctx: OpContext, options: { from?: string | undefined; to?: string | undefined; period?: string | undefined }): Range & { period?: Period } {
  if (options.from !== undefined || options.to !== undefined) {
    const r: { from?: string; to?: string } = {};
    if (options.from !== undefined) r.from = isoInstant(options.from, 'from');
    if (options.to !== undefined) r.to = isoInstant(options.to, 'to');
    if (r.from !== undefined && r.to !== undefined && r.to <= r.from) throw new ValidationError([{ path: ['to'], message: 'must be after from', code: 'invalid_value' }]);
    return r;
  }
  if (options.period !== undefined) {
    const period = parsePeriod(options.period, ctx.engine.timeZone);
    return { from: period.start, to: period.end, period };
  }
  return {};
}

/** Conditions on a date field for a range. */
export function rangeConditions(field: string, range: Range): Filter[] {
  const out: Filter[] = [];
  if (range.from !== undefined) out.push({ field, op: 'gte', value: range.from });
  if (range.to !== undefined) out.push({ field, op: 'lt', value: range.to });
  return out;
}

/** The conditions of a filter's non-date parts. */
export function filterConditions(filter: SalesFilter): Filter[] {
  const out: Filter[] = [];
  if (filter.pipelineId !== undefined) out.push({ field: 'pipelineId', op: 'eq', value: filter.pipelineId });
  if (filter.ownerIds !== undefined) out.push({ field: 'ownerId', op: 'in', value: listOf(filter.ownerIds, 'ownerIds') });
  if (filter.teamIds !== undefined) out.push({ field: 'teamId', op: 'in', value: listOf(filter.teamIds, 'teamIds') });
  if (filter.currency !== undefined) {
    if (typeof filter.currency !== 'string' || !/^[A-Z]{3}$/.test(filter.currency)) throw new ValidationError([{ path: ['currency'], message: 'must be an ISO 4217 code such as EUR', code: 'invalid_value' }]);
    out.push({ field: 'value.currency', op: 'eq', value: filter.currency });
  }
  if (filter.where !== undefined) out.push(filter.where);
  return out;
}

function listOf(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new QueryError('expected an array of strings', [name]);
  return value as string[];
}

/** Whether a hidden-field rule covers a path. */
function hides(hidden: ReadonlySet<string>, path: string): boolean {
  const top = path.split('.')[0] as string;
  return hidden.has(path) || hidden.has(top) || (top === 'custom' && hidden.has(path.split('.').slice(0, 2).join('.')));
}

/** What a report runs with on one collection: the scoped filter and what the caller cannot read. */
export interface Scoped {
  /** The storage filter (scope, archive rule and rewrites applied), or `false`: nothing visible. */
  where: Filter | undefined | false;
  /** Fields the caller may not read. */
  hidden: ReadonlySet<string>;
  /** Rewrite a public path to the stored (possibly derived) field. */
  field(path: string): string;
}

/**
 * Validate and scope a report's filter on a collection, exactly as `find` would: the
 * actor's read scope ANDed in, archived records out, filters on unreadable fields refused.
 */
export async function scoped(ctx: OpContext, collection: string, conditions: Filter[]): Promise<Scoped> {
  const entity = ctx.engine.entity(collection);
  const where = conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : { and: conditions };
  const built = await buildQuery(ctx, entity, { where });
  return {
    where: built === false ? false : built.where,
    hidden: ctx.engine.policy.hiddenFields(ctx.actor, collection),
    field: (path) => entity.rewrites.get(path) ?? path,
  };
}

/** The field a `by` option names; a `PermissionError` when the caller cannot read it. */
export async function groupField(ctx: OpContext, s: Scoped, by: string, collection = 'deals'): Promise<string> {
  const path = GROUPINGS[by] ?? by;
  const problem = typeof path === 'string' ? fieldPathProblem(path) : 'expected a field path';
  if (problem) throw new QueryError(problem, ['by']);
  if (hides(s.hidden, path)) await deny(ctx, 'read', collection, undefined, `cannot group by ${path}, which this actor cannot read`);
  return path;
}

/** Whether the caller may see deal values. */
export function valuesVisible(s: Scoped): boolean {
  return !hides(s.hidden, 'value');
}

/** AND filters together, leaving out absent ones (`undefined` when none is left). */
export function and(...parts: (Filter | undefined)[]): Filter | undefined {
  const p = parts.filter((x): x is Filter => x !== undefined);
  return p.length === 0 ? undefined : p.length === 1 ? p[0] : { and: p };
}

/**
 * Aggregate through the storage contract: the adapter's native `aggregate` (a SQL adapter
 * pushes it down to GROUP BY), or the engine's bounded scan where it has none.
 */
export async function aggregate(ctx: OpContext, collection: string, aggregation: Aggregation, signal?: AbortSignal): Promise<AggregateRow[]> {
  throwIfAborted(signal);
  const rows = await aggregateIn(ctx.engine.storage, collection, aggregation);
  throwIfAborted(signal);
  return rows;
}

/** A pipeline as reports read it. */
export type PipelineInfo = Pick<Pipeline, 'id' | 'name' | 'stages'>;

/**
 * The pipelines (all, or one), ordered by name then id. Pipelines are configuration: their
 * stage names and probabilities are read unscoped, like the integrity checks.
 */
export async function loadPipelines(ctx: OpContext, pipelineId?: string): Promise<PipelineInfo[]> {
  if (pipelineId !== undefined) {
    const [p] = await ctx.engine.storage.get('pipelines', [pipelineId]);
    return p ? [{ id: p.id, name: p['name'] as string, stages: p['stages'] as Stage[] }] : [];
  }
  const out: PipelineInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.engine.storage.query('pipelines', { orderBy: [{ field: 'name' }], limit: 1000, cursor });
    for (const p of page.items) out.push({ id: p.id, name: p['name'] as string, stages: p['stages'] as Stage[] });
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return out;
}

/** Stage lookup by pipeline and stage id. */
export function stageIndex(pipelines: readonly PipelineInfo[]): (pipelineId: unknown, stageId: unknown) => Stage | undefined {
  const map = new Map<string, Stage>();
  for (const p of pipelines) for (const s of p.stages) map.set(`${p.id}\u0000${s.id}`, s);
  return (pipelineId, stageId) => map.get(`${String(pipelineId)}\u0000${String(stageId)}`);
}

/** A group value as a report key: strings and numbers as they are, anything missing as `null`. */
export function keyOf(value: unknown): string | number | boolean | null {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
}
