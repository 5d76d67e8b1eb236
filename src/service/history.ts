/**
 * A ticket's history (what whoever picks it up next needs to see) and the tickets about to
 * breach their SLA.
 *
 * @module
 */
import { QueryError } from '../errors';
import type { AssignmentChange, NoteVisibility, StatusChange, TicketNote, TicketStatus } from '../entities/tickets';
import type { Interaction } from '../entities/interactions';
import type { OpContext } from '../engine/guard';
import { find, get } from '../engine/read';
import { publicView } from '../engine/record';
import type { Filter } from '../query/types';
import { TARGETS } from './breaches';
import type { SlaTarget } from './breaches';

/**
 * One entry of a ticket's history, keyed on `kind`.
 *
 * @example
 * ```ts
 * const e: TicketHistoryEntry = { kind: 'status', at: '2024-05-01T09:00:00.000Z', from: 'new', to: 'open', by: 'u-ayse' };
 * ```
 */
export type TicketHistoryEntry =
  | {
      /** An interaction linked to the ticket. */
      kind: 'interaction';
      /** When it happened, or is due (ISO 8601). */
      at: string;
      /** The interaction, as the actor may read it. */
      interaction: Interaction;
    }
  | {
      /** A status change. */
      kind: 'status';
      /** When it changed (ISO 8601). */
      at: string;
      /** The status before (`null` when the ticket was opened). */
      from: TicketStatus | null;
      /** The status after. */
      to: TicketStatus;
      /** Who changed it. */
      by: string;
    }
  | {
      /** An assignment change. */
      kind: 'assignment';
      /** When it changed (ISO 8601). */
      at: string;
      /** The assignee before (`null`: unassigned). */
      from: string | null;
      /** The assignee after (`null`: unassigned). */
      to: string | null;
      /** Who changed it. */
      by: string;
    }
  | {
      /** A note. */
      kind: 'note';
      /** When it was written (ISO 8601). */
      at: string;
      /** Whether it is for the customer or internal. */
      visibility: NoteVisibility;
      /** The note's id. */
      id: string;
      /** Its text. */
      body: string;
      /** Who wrote it. */
      by: string;
    };

/**
 * Options of `crm.tickets.history`.
 * @example
 * ```ts
 * await crm.tickets.history(id, { visibility: 'customer' });
 * ```
 */
export interface HistoryOptions {
  /**
   * `customer`: only what the customer is told (status changes and customer notes);
   * `all`: everything the actor may read.
   * @defaultValue `'all'`
   */
  visibility?: 'all' | 'customer' | undefined;
}

// Ties (same instant) list the later kind first: a status change after the note that explains it.
const KIND_ORDER: Record<TicketHistoryEntry['kind'], number> = { interaction: 0, note: 1, assignment: 2, status: 3 };

/**
 * The history of a ticket, newest first.
 * @example
 * ```ts
 * const entries = await ticketHistory(ctx, ticketId); // what crm.tickets.history returns
 * ```
 */
export async function ticketHistory<T>(ctx: OpContext, id: string, options: HistoryOptions = {}): Promise<TicketHistoryEntry[]> {
  const tickets = ctx.engine.entity('tickets');
  const ticket = await get<Record<string, unknown>>(ctx, tickets, id);
  const customerOnly = options.visibility === 'customer';
  const entries: TicketHistoryEntry[] = [];
  for (const s of (ticket['statusHistory'] as StatusChange[] | undefined) ?? []) entries.push({ kind: 'status', ...s });
  for (const n of (ticket['customerNotes'] as TicketNote[] | undefined) ?? []) entries.push({ kind: 'note', visibility: 'customer', ...n });
  if (!customerOnly) {
    for (const n of (ticket['internalNotes'] as TicketNote[] | undefined) ?? []) entries.push({ kind: 'note', visibility: 'internal', ...n });
    for (const a of (ticket['assignmentHistory'] as AssignmentChange[] | undefined) ?? []) entries.push({ kind: 'assignment', ...a });
    const interactions = ctx.engine.entity('interactions');
    let cursor: string | undefined;
    do {
      const page = await find<Interaction>(ctx, interactions, { where: { field: 'ticketId', op: 'eq', value: id }, orderBy: [{ field: 'at', direction: 'desc' }], limit: 1000, cursor });
      for (const i of page.items) entries.push({ kind: 'interaction', at: i.occurredAt ?? i.dueAt ?? i.createdAt, interaction: i });
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at < b.e.at ? 1 : a.e.at > b.e.at ? -1 : KIND_ORDER[b.e.kind] - KIND_ORDER[a.e.kind] || b.i - a.i))
    .map(({ e }) => e);
}

/**
 * Options of `crm.tickets.atRisk`.
 * @example
 * ```ts
 * await crm.tickets.atRisk({ within: 60, limit: 20 });
 * ```
 */
export interface AtRiskOptions {
  /** How far ahead to look, in MINUTES (e.g. `60`: targets due within the next hour). */
  within: number;
  /** At most this many entries. @defaultValue 100 (at most 1,000) */
  limit?: number | undefined;
}

/**
 * A ticket with a target about to breach.
 *
 * @example
 * ```ts
 * const r: AtRiskTicket<Ticket> = { ticket, target: 'resolution', dueAt: '2024-05-01T17:00:00.000Z', minutesLeft: 42 };
 * ```
 */
export interface AtRiskTicket<T> {
  /** The ticket, as the actor may read it. */
  ticket: T;
  /** Which target. */
  target: SlaTarget;
  /** When it falls due. */
  dueAt: string;
  /** Minutes from now to `dueAt` (rounded down). */
  minutesLeft: number;
}

/**
 * Unbreached targets due within the window, in the actor's scope, soonest first.
 * @example
 * ```ts
 * const soon = await ticketAtRisk(ctx, { within: 30 }); // what crm.tickets.atRisk returns
 * ```
 */
export async function ticketAtRisk<T>(ctx: OpContext, options: AtRiskOptions): Promise<AtRiskTicket<T>[]> {
  const within = options?.within;
  if (typeof within !== 'number' || !Number.isFinite(within) || within <= 0) throw new QueryError('within is a positive number of minutes', ['within']);
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new QueryError('limit must be a whole number from 1 to 1000', ['limit']);
  const scope = ctx.engine.policy.scope(ctx.actor, 'read', 'tickets');
  if (scope === false) return [];
  const nowMs = ctx.engine.clock();
  const now = new Date(nowMs).toISOString();
  const until = new Date(nowMs + within * 60_000).toISOString();
  const hidden = ctx.engine.policy.hiddenFields(ctx.actor, 'tickets');
  const out: AtRiskTicket<T>[] = [];
  for (const t of TARGETS) {
    const parts: Filter[] = [{ field: t.watch, op: 'gt', value: now }, { field: t.watch, op: 'lte', value: until }, { field: 'archivedAt', op: 'exists', value: false }];
    if (scope) parts.push(scope);
    const page = await ctx.session.query('tickets', { where: { and: parts }, orderBy: [{ field: t.watch, direction: 'asc' }], limit });
    for (const r of page.items) {
      const dueAt = r[t.due] as string;
      out.push({ ticket: publicView<T>(structuredClone(r), hidden), target: t.target, dueAt, minutesLeft: Math.floor((Date.parse(dueAt) - nowMs) / 60_000) });
    }
  }
  return out.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0)).slice(0, limit);
}
