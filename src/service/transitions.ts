/**
 * The ticket state machine and what a status change does to the SLA clocks: leaving
 * `pending` (when the policy pauses there) and reopening after `resolved` push the due dates
 * by the business time the clock stood still.
 *
 * @module
 */
import { TransitionError } from '../errors';
import { TICKET_TRANSITIONS } from '../entities/tickets';
import type { TicketStatus } from '../entities/tickets';
import type { StoredRecord } from '../storage/adapter';
import { dueDates, pausedBetween } from './policy';
import type { SlaState } from './policy';

/**
 * Whether the state machine allows `from → to`.
 *
 * @example
 * ```ts
 * canTransition('resolved', 'open'); // true (a reopen)
 * canTransition('new', 'closed');    // false
 * ```
 */
export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TICKET_TRANSITIONS[from]?.includes(to) ?? false;
}

/**
 * Whether `from → to` is a reopen.
 * @example
 * ```ts
 * isReopen('closed', 'open'); // true
 * ```
 */
export function isReopen(from: TicketStatus, to: TicketStatus): boolean {
  return (from === 'resolved' || from === 'closed') && to === 'open';
}

const after = (a: unknown, b: unknown): boolean => typeof a === 'string' && typeof b === 'string' && Date.parse(a) > Date.parse(b);

/**
 * The patch that moves a ticket to `to` at `now`, with its SLA clocks adjusted.
 *
 * @throws `TransitionError` naming both states when the state machine forbids the move.
 * @example
 * ```ts
 * const patch = transitionPatch(ticket, 'open', new Date().toISOString(), 'UTC'); // { status: 'open', … }
 * ```
 */
export function transitionPatch(current: StoredRecord, to: TicketStatus, now: string, timeZone: string): Record<string, unknown> {
  const from = current['status'] as TicketStatus;
  if (!canTransition(from, to)) throw new TransitionError(from, to, { collection: 'tickets', recordId: current.id });
  const patch: Record<string, unknown> = { status: to };
  if (isReopen(from, to)) patch['reopenCount'] = ((current['reopenCount'] as number | undefined) ?? 0) + 1;
  const sla = current['sla'] as SlaState | undefined;
  if (!sla) return patch;
  // A clock that stood still from `since` to now: each target not yet due (nor met) at `since` gets the time back.
  let stoppedSince: string | undefined;
  if (from === 'pending' && sla.pauseWhilePending && typeof current['pendingSince'] === 'string') stoppedSince = current['pendingSince'];
  if (isReopen(from, to) && typeof current['resolvedAt'] === 'string') stoppedSince = current['resolvedAt'];
  if (stoppedSince === undefined) return patch;
  const stopped = pausedBetween(sla, stoppedSince, now, timeZone);
  if (stopped <= 0) return patch;
  const next: SlaState = { ...sla };
  if (current['firstRespondedAt'] === undefined && after(current['firstResponseDueAt'], stoppedSince)) next.firstResponsePausedMs += stopped;
  if (after(current['resolutionDueAt'], stoppedSince)) next.resolutionPausedMs += stopped;
  if (next.firstResponsePausedMs === sla.firstResponsePausedMs && next.resolutionPausedMs === sla.resolutionPausedMs) return patch;
  patch['sla'] = next;
  const due = dueDates(next, current['openedAt'] as string, timeZone);
  if (next.firstResponsePausedMs !== sla.firstResponsePausedMs && due.firstResponseDueAt) patch['firstResponseDueAt'] = due.firstResponseDueAt;
  if (next.resolutionPausedMs !== sla.resolutionPausedMs && due.resolutionDueAt) patch['resolutionDueAt'] = due.resolutionDueAt;
  return patch;
}
