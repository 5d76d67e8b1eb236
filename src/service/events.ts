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
  'ticket.opened': RecordEvent<'ticket.opened', T>;
  'ticket.updated': UpdatedEvent<'ticket.updated', T>;
  'ticket.statusChanged': RecordEvent<'ticket.statusChanged', T> & { from: TicketStatus; to: TicketStatus; reopened?: true };
  'ticket.assigned': RecordEvent<'ticket.assigned', T> & { from: string | null; to: string | null };
  'ticket.responded': RecordEvent<'ticket.responded', T> & { interactionId: string };
  'ticket.noteAdded': RecordEvent<'ticket.noteAdded', T> & { noteId: string; visibility: NoteVisibility };
  'ticket.rated': RecordEvent<'ticket.rated', T> & { score: number };
  'ticket.slaBreached': RecordEvent<'ticket.slaBreached', T> & { ticketId: string; target: SlaTarget; dueAt: string; breachedAt: string };
  'ticket.archived': RecordEvent<'ticket.archived', T>;
  'ticket.restored': RecordEvent<'ticket.restored', T>;
  'ticket.deleted': DeletedEvent<'ticket.deleted', T>;
}
