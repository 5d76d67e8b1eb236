/**
 * Tickets: service cases and complaints, with a validated status flow, SLA targets, notes
 * for the customer kept apart from internal ones, and a satisfaction score.
 *
 * @module
 */
import * as z from 'zod/mini';
import type { EntityModule } from '../engine/entity';
import type { RecordBase } from '../engine/types';
import type { StoredRecord } from '../storage/adapter';
import type { SlaState } from '../service/policy';
import { WEEKDAYS } from '../service/calendar';
import { dateTime, idString, requiredText, tags, text } from './common';

/**
 * Where a ticket stands.
 * @example
 * ```ts
 * const s: TicketStatus = 'pending';
 * ```
 */
export type TicketStatus = 'new' | 'open' | 'pending' | 'resolved' | 'closed';

/**
 * The statuses, in their usual order.
 * @example
 * ```ts
 * TICKET_STATUSES.length; // 5
 * ```
 */
export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'resolved', 'closed'];

/**
 * Statuses in which work remains (the backlog).
 * @example
 * ```ts
 * await crm.tickets.count({ field: 'status', op: 'in', value: [...UNRESOLVED_STATUSES] });
 * ```
 */
export const UNRESOLVED_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending'];

/**
 * The state machine: from each status, the statuses a ticket may move to. Moving from
 * `resolved` or `closed` back to `open` is a reopen.
 *
 * @example
 * ```ts
 * TICKET_TRANSITIONS.pending.includes('resolved'); // true
 * ```
 */
export const TICKET_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending', 'resolved'],
  open: ['pending', 'resolved'],
  pending: ['open', 'resolved'],
  resolved: ['closed', 'open'],
  closed: ['open'],
};

/**
 * How urgent a ticket is.
 * @example
 * ```ts
 * const p: TicketPriority = 'urgent';
 * ```
 */
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

/**
 * The priorities, least urgent first.
 * @example
 * ```ts
 * TICKET_PRIORITIES.includes('high'); // true
 * ```
 */
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

/**
 * A case or a complaint.
 * @example
 * ```ts
 * await crm.tickets.open({ subject: 'Rude driver', customerId, kind: 'complaint' });
 * ```
 */
export type TicketKind = 'case' | 'complaint';

/**
 * Who may read a note: the customer too, or only the team.
 * @example
 * ```ts
 * await crm.tickets.addNote(id, { body: 'Fixed in 2.1', visibility: 'customer' });
 * ```
 */
export type NoteVisibility = 'customer' | 'internal';

/**
 * A note on a ticket.
 * @example
 * ```ts
 * const notes: TicketNote[] = (await crm.tickets.get(id)).customerNotes;
 * ```
 */
export interface TicketNote {
  /** The note's id. */
  id: string;
  /** Its text. */
  body: string;
  /** When it was written. */
  at: string;
  /** Who wrote it. */
  by: string;
}

/**
 * One status change, as the ticket keeps it.
 * @example
 * ```ts
 * const last: StatusChange | undefined = (await crm.tickets.get(id)).statusHistory.at(-1);
 * ```
 */
export interface StatusChange {
  /** The status before (`null` when the ticket was opened). */
  from: TicketStatus | null;
  /** The status after. */
  to: TicketStatus;
  /** When. */
  at: string;
  /** Who. */
  by: string;
}

/**
 * One change of assignee.
 * @example
 * ```ts
 * const moves: AssignmentChange[] = (await crm.tickets.get(id)).assignmentHistory;
 * ```
 */
export interface AssignmentChange {
  /** The assignee before. */
  from: string | null;
  /** The assignee after (`null`: unassigned). */
  to: string | null;
  /** When. */
  at: string;
  /** Who. */
  by: string;
}

/**
 * The customer's rating of how the ticket was handled.
 * @example
 * ```ts
 * const s: Satisfaction | undefined = (await crm.tickets.rate(id, { score: 5 })).satisfaction;
 * ```
 */
export interface Satisfaction {
  /** 1 (very unhappy) to 5 (very happy). */
  score: 1 | 2 | 3 | 4 | 5;
  /** What the customer said. */
  comment?: string;
  /** When it was given. */
  at: string;
  /** Who recorded it. */
  by: string;
}

/**
 * A ticket: a service case or a complaint.
 *
 * @typeParam Custom - the custom fields' type.
 * @example
 * ```ts
 * const ticket: Ticket = await crm.tickets.open({ subject: 'Broken', customerId });
 * ```
 */
export interface Ticket<Custom = Record<string, unknown>> extends RecordBase {
  /** A one-line summary. */
  subject: string;
  /** What the customer reported. */
  description?: string;
  /** The customer it concerns. */
  customerId: string;
  /** A case or a complaint. @defaultValue `'case'` */
  kind: TicketKind;
  /** How urgent. @defaultValue `'normal'` */
  priority: TicketPriority;
  /** Where it came in, e.g. `email`, `phone`, `chat`, `web`. */
  channel?: string;
  /** A free category, e.g. `billing`. */
  category?: string;
  /** Free tags. */
  tags: string[];
  /** Where it stands (changed only by the verbs). */
  status: TicketStatus;
  /** Who works on it (changed only by `assign`); counts as `own` for permissions. */
  assigneeId?: string;
  /** When the customer raised it (defaults to when it was stored). */
  openedAt: string;
  /** The first-response target, from the SLA policy of its priority. */
  firstResponseDueAt?: string;
  /** The resolution target. */
  resolutionDueAt?: string;
  /** When the first outbound interaction on it happened. */
  firstRespondedAt?: string;
  /** When it was (last) resolved. */
  resolvedAt?: string;
  /** When it was closed. */
  closedAt?: string;
  /** When the first-response target was found breached. */
  firstResponseBreachedAt?: string;
  /** When the resolution target was found breached. */
  resolutionBreachedAt?: string;
  /** How often it was reopened. */
  reopenCount: number;
  /** How it was resolved. */
  resolution?: string;
  /** The customer's rating, once resolved. */
  satisfaction?: Satisfaction;
  /** What the customer is told. */
  customerNotes: TicketNote[];
  /** What only the team sees. */
  internalNotes: TicketNote[];
  /** Every status it went through, oldest first. */
  statusHistory: StatusChange[];
  /** Every change of assignee, oldest first. */
  assignmentHistory: AssignmentChange[];
  /** The SLA policy that applies and the business time its clocks were stopped. */
  sla?: SlaState;
  /** Since when it is pending. */
  pendingSince?: string;
  /** Custom fields. */
  custom: Custom;
}

/**
 * Fields only the ticket verbs change: a generic `update` naming one is refused.
 * @example
 * ```ts
 * VERB_FIELDS.includes('status'); // true: crm.tickets.update(id, { status }) is refused
 * ```
 */
export const VERB_FIELDS: readonly string[] = [
  'status',
  'assigneeId',
  'openedAt',
  'firstResponseDueAt',
  'resolutionDueAt',
  'firstRespondedAt',
  'resolvedAt',
  'closedAt',
  'firstResponseBreachedAt',
  'resolutionBreachedAt',
  'reopenCount',
  'satisfaction',
];

const status = z.enum(TICKET_STATUSES);
const note = z.strictObject({ id: idString, body: requiredText(20_000), at: dateTime, by: idString });
const hours = z.strictObject({ days: z.array(z.enum(WEEKDAYS)), start: z.string(), end: z.string() });

const at = (r: StoredRecord, f: string): number | undefined => (typeof r[f] === 'string' ? Date.parse(r[f] as string) : undefined);
const minutesBetween = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? undefined : Math.round((to - from) / 60_000));
const paused = (r: StoredRecord) => r['status'] === 'pending' && (r['sla'] as SlaState | undefined)?.pauseWhilePending === true;

/** 1 met, 0 missed, undefined not decided yet (or no target). */
function firstResponseMet(r: StoredRecord): number | undefined {
  const due = at(r, 'firstResponseDueAt');
  if (due === undefined) return undefined;
  const responded = at(r, 'firstRespondedAt');
  if (responded !== undefined) return responded <= due ? 1 : 0;
  if (r['firstResponseBreachedAt'] !== undefined) return 0;
  const resolved = at(r, 'resolvedAt');
  return resolved === undefined ? undefined : resolved <= due ? 1 : 0;
}

function resolutionMet(r: StoredRecord): number | undefined {
  const due = at(r, 'resolutionDueAt');
  if (due === undefined) return undefined;
  if (r['resolutionBreachedAt'] !== undefined) return 0;
  const resolved = at(r, 'resolvedAt');
  return resolved === undefined ? undefined : resolved <= due ? 1 : 0;
}

/** The due date the breach job must watch for a target, or undefined when there is nothing to watch. */
function watch(r: StoredRecord, dueField: string, flagField: string, met: number | undefined): string | undefined {
  const due = r[dueField];
  if (typeof due !== 'string' || r[flagField] !== undefined) return undefined;
  // Missed but never flagged (resolved or answered late, the job not running): still fire once.
  if (met === 0) return due;
  if (met === 1) return undefined;
  return paused(r) ? undefined : due;
}

/**
 * The ticket entity module.
 * @example
 * ```ts
 * const MODULES = [customersModule, interactionsModule, ticketsModule];
 * ```
 */
export const ticketsModule: EntityModule = {
  collection: 'tickets',
  singular: 'ticket',
  shape: {
    subject: requiredText(1000),
    description: z.optional(text(100_000)),
    customerId: idString,
    kind: z._default(z.enum(['case', 'complaint']), 'case'),
    priority: z._default(z.enum(TICKET_PRIORITIES), 'normal'),
    channel: z.optional(text(100)),
    category: z.optional(text(200)),
    tags: z._default(tags, () => []),
    status: z._default(status, 'new'),
    assigneeId: z.optional(idString),
    openedAt: z.optional(dateTime),
    firstResponseDueAt: z.optional(dateTime),
    resolutionDueAt: z.optional(dateTime),
    firstRespondedAt: z.optional(dateTime),
    resolvedAt: z.optional(dateTime),
    closedAt: z.optional(dateTime),
    firstResponseBreachedAt: z.optional(dateTime),
    resolutionBreachedAt: z.optional(dateTime),
    reopenCount: z._default(z.int().check(z.minimum(0)), 0),
    resolution: z.optional(text(20_000)),
    satisfaction: z.optional(z.strictObject({ score: z.int().check(z.minimum(1), z.maximum(5)), comment: z.optional(text(5000)), at: dateTime, by: idString })),
    customerNotes: z.optional(z.array(note)),
    internalNotes: z.optional(z.array(note)),
    statusHistory: z.optional(z.array(z.strictObject({ from: z.nullable(status), to: status, at: dateTime, by: idString }))),
    assignmentHistory: z.optional(z.array(z.strictObject({ from: z.nullable(idString), to: z.nullable(idString), at: dateTime, by: idString }))),
    sla: z.optional(
      z.strictObject({
        priority: z.enum(TICKET_PRIORITIES),
        firstResponseMinutes: z.optional(z.number()),
        resolutionMinutes: z.optional(z.number()),
        businessHours: z.optional(hours),
        holidays: z.optional(z.array(z.string())),
        pauseWhilePending: z.optional(z.boolean()),
        firstResponsePausedMs: z.number(),
        resolutionPausedMs: z.number(),
      }),
    ),
    pendingSince: z.optional(dateTime),
  },
  engineFields: ['customerNotes', 'internalNotes', 'statusHistory', 'assignmentHistory', 'sla', 'pendingSince'],
  indexes: [
    { name: 'customerId', fields: ['customerId'] },
    { name: 'status', fields: ['status'] },
    { name: 'priority', fields: ['priority'] },
    { name: 'assigneeId', fields: ['assigneeId'] },
    { name: 'openedAt', fields: ['openedAt'] },
    { name: 'resolvedAt', fields: ['resolvedAt'] },
    { name: 'tags', fields: ['tags'], multiEntry: true },
    { name: '_frWatch', fields: ['_frWatch'] },
    { name: '_resWatch', fields: ['_resWatch'] },
  ],
  // Flat figures the reports aggregate without reading any history; 0/1 so an average is a share.
  derived: [
    { field: '_firstResponseMinutes', compute: (r) => minutesBetween(at(r, 'openedAt'), at(r, 'firstRespondedAt')) },
    { field: '_resolutionMinutes', compute: (r) => minutesBetween(at(r, 'openedAt'), at(r, 'resolvedAt')) },
    { field: '_firstResponseMet', compute: firstResponseMet },
    { field: '_resolutionMet', compute: resolutionMet },
    {
      field: '_slaMet',
      compute: (r) => {
        const targets = [r['firstResponseDueAt'] === undefined ? undefined : firstResponseMet(r), r['resolutionDueAt'] === undefined ? undefined : resolutionMet(r)];
        const present = [r['firstResponseDueAt'], r['resolutionDueAt']].filter((d) => d !== undefined).length;
        if (present === 0) return undefined;
        if (targets.includes(0)) return 0;
        return targets.filter((t) => t === 1).length === present ? 1 : undefined;
      },
    },
    {
      field: '_breached',
      compute: (r) => (r['firstResponseDueAt'] === undefined && r['resolutionDueAt'] === undefined ? undefined : firstResponseMet(r) === 0 || resolutionMet(r) === 0 ? 1 : 0),
    },
    { field: '_reopened', compute: (r) => (r['resolvedAt'] !== undefined || (r['reopenCount'] as number) > 0 ? ((r['reopenCount'] as number) > 0 ? 1 : 0) : undefined) },
    { field: '_frWatch', compute: (r) => watch(r, 'firstResponseDueAt', 'firstResponseBreachedAt', firstResponseMet(r)) },
    { field: '_resWatch', compute: (r) => watch(r, 'resolutionDueAt', 'resolutionBreachedAt', resolutionMet(r)) },
  ],
  search: [
    { path: 'subject', tag: 's', weight: 8, kind: 'text' },
    { path: 'tags', tag: 't', weight: 4, kind: 'text' },
    { path: 'description', tag: 'x', weight: 1, kind: 'text' },
  ],
  references: [{ field: 'customerId', collection: 'customers' }],
  assigneeField: 'assigneeId',
  createdEvent: () => 'ticket.opened',
  defaultOrder: [{ field: 'openedAt', direction: 'desc' }],
  prepare(next, previous, ctx) {
    next['openedAt'] ??= ctx.now;
    const to = next['status'] as TicketStatus;
    const from = (previous?.['status'] as TicketStatus | undefined) ?? null;
    const history = ((previous ? previous['statusHistory'] : next['statusHistory']) ?? []) as StatusChange[];
    if (!previous && history.length === 0) next['statusHistory'] = [{ from: null, to, at: next['openedAt'] as string, by: ctx.actorId }];
    else if (from !== to) next['statusHistory'] = [...history, { from, to, at: ctx.now, by: ctx.actorId }];
    else next['statusHistory'] = history;
    const assignees = ((previous ? previous['assignmentHistory'] : next['assignmentHistory']) ?? []) as AssignmentChange[];
    const before = previous ? ((previous['assigneeId'] as string | undefined) ?? null) : null;
    const after = (next['assigneeId'] as string | undefined) ?? null;
    next['assignmentHistory'] = before !== after ? [...assignees, { from: before, to: after, at: ctx.now, by: ctx.actorId }] : assignees;
    next['customerNotes'] ??= [];
    next['internalNotes'] ??= [];
    // Dates that belong to a status exist exactly while the ticket is in it.
    if (to === 'resolved' || to === 'closed') next['resolvedAt'] ??= ctx.now;
    else delete next['resolvedAt'];
    if (to === 'closed') next['closedAt'] ??= ctx.now;
    else delete next['closedAt'];
    if (to === 'pending') next['pendingSince'] ??= ctx.now;
    else delete next['pendingSince'];
    if (to !== 'resolved' && to !== 'closed') delete next['satisfaction'];
  },
};
