/**
 * The ticket events, by name. Payloads carry their own `type` and the ticket after the write.
 *
 * @module
 */
import type { DeletedEvent, RecordEvent, UpdatedEvent } from '../crm-events';
import type { NoteVisibility, TicketStatus } from '../entities/tickets';
import type { SlaTarget } from './breaches';

/**
 * Every ticket event, by name.
 * @typeParam T - the ticket type.
 * @example
 * ```ts
 * crm.on('ticket.slaBreached', (e) => notify(e.record.assigneeId, `${e.target} target of ${e.ticketId} missed`));
 * ```
 */
export interface TicketEvents<T> {
  /** A ticket was opened (`crm.tickets.open` or `create`). */
  'ticket.opened': RecordEvent<'ticket.opened', T>;
  /** A ticket was updated; `changes` lists the fields that changed. */
  'ticket.updated': UpdatedEvent<'ticket.updated', T>;
  /** A ticket moved to another status through the state machine. */
  'ticket.statusChanged': RecordEvent<'ticket.statusChanged', T> & {
    /** The status it left. */
    from: TicketStatus;
    /** The status it entered. */
    to: TicketStatus;
    /** Present (`true`) when the move took a `resolved` or `closed` ticket back to `open`. */
    reopened?: true;
  };
  /** A ticket was assigned, reassigned or unassigned. */
  'ticket.assigned': RecordEvent<'ticket.assigned', T> & {
    /** The assignee before, or `null` when it was unassigned. */
    from: string | null;
    /** The assignee now, or `null` when it was unassigned. */
    to: string | null;
  };
  /** A ticket got its first outbound response, which stops its first-response clock. */
  'ticket.responded': RecordEvent<'ticket.responded', T> & {
    /** The done, outbound interaction that answered it. */
    interactionId: string;
  };
  /** A note was added to a ticket (the event carries no text, so it is safe to broadcast). */
  'ticket.noteAdded': RecordEvent<'ticket.noteAdded', T> & {
    /** The new note's id. */
    noteId: string;
    /** Whether the note is for the customer or internal. */
    visibility: NoteVisibility;
  };
  /** The customer rated a resolved or closed ticket. */
  'ticket.rated': RecordEvent<'ticket.rated', T> & {
    /** The satisfaction score, 1 to 5. */
    score: number;
  };
  /** A ticket missed an SLA target; fired once per breach by the authority's breach job. */
  'ticket.slaBreached': RecordEvent<'ticket.slaBreached', T> & {
    /** The ticket's id. */
    ticketId: string;
    /** Which target was missed. */
    target: SlaTarget;
    /** When the target was due (ISO 8601). */
    dueAt: string;
    /** When the job found it breached (ISO 8601). */
    breachedAt: string;
  };
  /** A ticket was archived. */
  'ticket.archived': RecordEvent<'ticket.archived', T>;
  /** An archived ticket was restored. */
  'ticket.restored': RecordEvent<'ticket.restored', T>;
  /** A ticket was deleted for good. */
  'ticket.deleted': DeletedEvent<'ticket.deleted', T>;
}
