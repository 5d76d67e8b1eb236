/**
 * Interactions: the shared timeline of everything that happened with a customer (calls,
 * emails, meetings, notes…) and everything planned.
 *
 * @module
 */
import * as z from 'zod/mini';
import type { EntityModule } from '../engine/entity';
import type { RecordBase } from '../engine/types';
import { dateTime, idString, text } from './common';

/** Kinds of interaction. */
export type InteractionType = 'call' | 'email' | 'meeting' | 'note' | 'sms' | 'letter' | 'visit' | 'chat' | 'task';

/** The interaction types, as the docs list them. */
export const INTERACTION_TYPES: readonly InteractionType[] = ['call', 'email', 'meeting', 'note', 'sms', 'letter', 'visit', 'chat', 'task'];

/** Where a planned interaction stands. */
export type InteractionStatus = 'planned' | 'done' | 'cancelled';

/**
 * One entry of the timeline: something that happened (`occurredAt`) or is planned (`dueAt`).
 *
 * @typeParam Custom - the custom fields' type.
 */
export interface Interaction<Custom = Record<string, unknown>> extends RecordBase {
  /** What kind of interaction. */
  type: InteractionType;
  /** Who reached out. */
  direction?: 'inbound' | 'outbound';
  /** The medium, e.g. `phone`, `whatsapp`. */
  channel?: string;
  /** A one-line summary. */
  subject?: string;
  /** The content or notes. */
  body?: string;
  /** The customer it concerns. */
  customerId: string;
  /** A deal it concerns. */
  dealId?: string;
  /** A ticket it concerns. */
  ticketId?: string;
  /** A campaign it came from. */
  campaignId?: string;
  /** When it happened (done interactions). */
  occurredAt?: string;
  /** When it is due (planned interactions). */
  dueAt?: string;
  /** `planned`, `done` or `cancelled`. */
  status: InteractionStatus;
  /** When to remind the assignee. */
  remindAt?: string;
  /** How it went. */
  outcome?: 'successful' | 'unsuccessful';
  /** Who should do it (planned) or did it. */
  assigneeId?: string;
  /** When a planned interaction was completed or cancelled. */
  closedAt?: string;
  /** Custom fields. */
  custom: Custom;
}

/** The interaction entity module. */
export const interactionsModule: EntityModule = {
  collection: 'interactions',
  singular: 'interaction',
  shape: {
    type: z.enum(['call', 'email', 'meeting', 'note', 'sms', 'letter', 'visit', 'chat', 'task']),
    direction: z.optional(z.enum(['inbound', 'outbound'])),
    channel: z.optional(text(100)),
    subject: z.optional(text(1000)),
    body: z.optional(text(100_000)),
    customerId: idString,
    dealId: z.optional(idString),
    ticketId: z.optional(idString),
    campaignId: z.optional(idString),
    occurredAt: z.optional(dateTime),
    dueAt: z.optional(dateTime),
    status: z.optional(z.enum(['planned', 'done', 'cancelled'])),
    remindAt: z.optional(dateTime),
    outcome: z.optional(z.enum(['successful', 'unsuccessful'])),
    assigneeId: z.optional(idString),
    closedAt: z.optional(dateTime),
  },
  indexes: [
    { name: 'customerId_at', fields: ['customerId', '_at'] },
    { name: 'dealId', fields: ['dealId'] },
    { name: 'ticketId', fields: ['ticketId'] },
    { name: 'campaignId', fields: ['campaignId'] },
    { name: 'assigneeId', fields: ['assigneeId'] },
    { name: 'status_dueAt', fields: ['status', 'dueAt'] },
    { name: 'status_remindAt', fields: ['status', 'remindAt'] },
    { name: '_at', fields: ['_at'] },
  ],
  // `at` is a virtual, queryable field: when it happened or is due, what timelines order by.
  derived: [{ field: '_at', path: 'at', compute: (r) => r['occurredAt'] ?? r['dueAt'] }],
  search: [
    { path: 'subject', tag: 's', weight: 6, kind: 'text' },
    { path: 'body', tag: 'x', weight: 1, kind: 'text' },
  ],
  references: [{ field: 'customerId', collection: 'customers' }, { field: 'ticketId', collection: 'tickets' }],
  assigneeField: 'assigneeId',
  createdEvent: (r) => (r['status'] === 'planned' ? 'interaction.planned' : 'interaction.logged'),
  prepare(next, previous, ctx) {
    if (next['status'] === undefined) next['status'] = next['dueAt'] !== undefined && next['occurredAt'] === undefined ? 'planned' : 'done';
    if (next['status'] === 'done' && next['occurredAt'] === undefined) next['occurredAt'] = next['dueAt'] ?? ctx.now;
    if (next['status'] === 'planned' && next['dueAt'] === undefined) next['dueAt'] = next['occurredAt'] ?? ctx.now;
    if (previous && previous['status'] === 'planned' && next['status'] !== 'planned' && next['closedAt'] === undefined) next['closedAt'] = ctx.now;
  },
};
