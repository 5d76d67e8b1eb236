/**
 * The kinds of reminder, and how long before an SLA target a ticket's is due. Kept apart from
 * `./reminders`, which finds reminders, so that exporting these constants does not put that
 * code in a host app's initial chunk.
 *
 * @module
 */

/**
 * How long before an SLA target a ticket's reminder is due.
 *
 * @example
 * ```ts
 * const remindAt = Date.parse(ticket.resolutionDueAt) - TICKET_WARNING_MS;
 * ```
 */
export const TICKET_WARNING_MS = 60 * 60_000;

/**
 * What a reminder is about.
 *
 * @example
 * ```ts
 * const k: ReminderKind = 'date';
 * ```
 */
export type ReminderKind = 'interaction' | 'ticket' | 'date';

/**
 * The kinds, in the order `upcoming` lists ties.
 *
 * @example
 * ```ts
 * await crm.reminders.upcoming({ kinds: [...REMINDER_KINDS] });
 * ```
 */
export const REMINDER_KINDS: readonly ReminderKind[] = ['interaction', 'ticket', 'date'];
