/**
 * API objects whose own verbs load on first call. The generic repository's verbs (get, find,
 * count, watch, archive, …) are there at once; the verbs an entity adds or overrides (a
 * ticket's `open`, a deal's `moveToStage`, a pipeline's `addStage`, an interaction's `log`, a
 * segment's `members`, an automation's `add`), `crm.reminders.upcoming` and `crm.search` are
 * listed by name and fetched — with the service, sales, automation and reminder rules behind
 * them — the first time one is called, so a host app's bundler splits them off the initial
 * chunk. A test holds each list to its module.
 *
 * @internal
 * @module
 */
import type { View } from './repository';
import { makeRepository } from './repository';
import type { TicketsApi } from './tickets';
import type { DealsApi } from './deals';
import type { PipelinesApi } from './pipelines';
import type { InteractionsApi } from './interactions';
import type { SegmentsApi } from './segments';
import type { RemindersApi } from './reminders';
import type { AutomationsApi } from './automations';
import type { SearchApi } from './search';

type Verb = (...args: unknown[]) => unknown;

/** The verbs `crm.tickets` adds to, or overrides in, the generic repository. */
export const TICKET_VERBS = [
  'open', 'create', 'createMany', 'update', 'updateMany', 'upsert', 'assign', 'setStatus', 'start', 'pend', 'resolve', 'close', 'reopen',
  'addNote', 'rate', 'history', 'atRisk', 'setSlaPolicy', 'removeSlaPolicy', 'slaPolicies',
] as const;

/** The verbs `crm.deals` adds to, or overrides in, the generic repository. */
export const DEAL_VERBS = ['create', 'createMany', 'update', 'updateMany', 'upsert', 'moveToStage', 'win', 'lose', 'reopen'] as const;

/** The verbs `crm.pipelines` adds to, or overrides in, the generic repository. */
export const PIPELINE_VERBS = ['update', 'updateMany', 'upsert', 'addStage', 'updateStage', 'moveStage', 'removeStage'] as const;

/** The verbs `crm.interactions` adds to, or overrides in, the generic repository. */
export const INTERACTION_VERBS = ['create', 'log', 'plan', 'complete', 'cancel'] as const;

/** The verbs `crm.segments` adds to, or overrides in, the generic repository. */
export const SEGMENT_VERBS = ['create', 'createMany', 'update', 'updateMany', 'upsert', 'members', 'count'] as const;

/** The verbs `crm.automations` adds to, or overrides in, the generic repository. */
export const AUTOMATION_VERBS = ['create', 'add', 'createMany', 'update', 'updateMany', 'upsert', 'enable', 'disable', 'runs'] as const;

/** The verbs of `crm.reminders`. */
export const REMINDER_VERBS = ['upcoming'] as const;

/**
 * `base` with `names` answered by the API object `load` builds, loaded once per view on the
 * first call of any of them.
 */
function withLazyVerbs(base: object, names: readonly string[], load: () => Promise<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  let api: Promise<Record<string, Verb>> | undefined;
  const real = (): Promise<Record<string, Verb>> =>
    (api ??= (load() as Promise<Record<string, Verb>>).catch((error: unknown) => {
      // A failed chunk fetch is retried on the next call rather than remembered.
      api = undefined;
      throw error;
    }));
  for (const name of names) {
    out[name] = async (...args: unknown[]) => (await real())[name]!(...args);
  }
  return out;
}

/** The generic repository of `collection`, with `names` loaded on first use (see `withLazyVerbs`). */
function lazyApi(ctx: View, collection: string, names: readonly string[], load: () => Promise<object>): Record<string, unknown> {
  return withLazyVerbs(makeRepository(ctx, ctx.engine.entity(collection)), names, load);
}

/** `crm.tickets` for a view, its verbs loaded on first use. */
export function makeTickets<Custom>(ctx: View): TicketsApi<Custom> {
  return lazyApi(ctx, 'tickets', TICKET_VERBS, () => import('./tickets').then((m) => m.makeTickets<Custom>(ctx))) as unknown as TicketsApi<Custom>;
}

/** `crm.deals` for a view, its verbs loaded on first use. */
export function makeDeals<Custom>(ctx: View): DealsApi<Custom> {
  return lazyApi(ctx, 'deals', DEAL_VERBS, () => import('./deals').then((m) => m.makeDeals<Custom>(ctx))) as unknown as DealsApi<Custom>;
}

/** `crm.pipelines` for a view, its verbs loaded on first use. */
export function makePipelines<Custom>(ctx: View): PipelinesApi<Custom> {
  return lazyApi(ctx, 'pipelines', PIPELINE_VERBS, () => import('./pipelines').then((m) => m.makePipelines<Custom>(ctx))) as unknown as PipelinesApi<Custom>;
}

/** `crm.interactions` for a view, its verbs loaded on first use. */
export function makeInteractions<Custom>(ctx: View): InteractionsApi<Custom> {
  return lazyApi(ctx, 'interactions', INTERACTION_VERBS, () => import('./interactions').then((m) => m.makeInteractions<Custom>(ctx))) as unknown as InteractionsApi<Custom>;
}

/** `crm.segments` for a view, its verbs loaded on first use. */
export function makeSegments(ctx: View): SegmentsApi {
  return lazyApi(ctx, 'segments', SEGMENT_VERBS, () => import('./segments').then((m) => m.makeSegments(ctx))) as unknown as SegmentsApi;
}

/** `crm.automations` for a view, its verbs (with the rule checks) loaded on first use. */
export function makeAutomations(ctx: View): AutomationsApi {
  return lazyApi(ctx, 'automations', AUTOMATION_VERBS, () => import('./automations').then((m) => m.makeAutomations(ctx))) as unknown as AutomationsApi;
}

/** `crm.reminders` for a view, loaded on first use. */
export function makeReminders(ctx: View): RemindersApi {
  return withLazyVerbs({}, REMINDER_VERBS, () => import('./reminders').then((m) => m.makeReminders(ctx))) as unknown as RemindersApi;
}

/** `crm.search` for a view, loaded on first use. */
export function makeSearch(ctx: View): SearchApi {
  return withLazyVerbs({}, ['search'], () => import('./search').then((m) => ({ search: m.makeSearch(ctx) })))['search'] as SearchApi;
}
