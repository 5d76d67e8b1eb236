/**
 * What a reminder is, and when each kind of item comes due: a planned interaction at
 * `remindAt ?? dueAt`; a ticket one hour before an SLA target it has not met; a customer's
 * yearly date at the start of its day in the CRM's time zone, unless the customer cannot be
 * contacted (blocked, or consent `denied` on every channel they have a contact point for).
 *
 * @module
 */
import type { InteractionType } from '../entities/interactions';
import type { StoredRecord } from '../storage/adapter';
import type { SlaTarget } from '../service/breaches';
import { REMINDER_KINDS, TICKET_WARNING_MS } from './reminder-kinds';
import type { ReminderKind } from './reminder-kinds';
import { occurrencesBetween } from './dates';

/**
 * Channels a greeting may use, and the contact points each needs.
 *
 * @example
 * ```ts
 * CONTACT_CHANNELS.sms; // 'phones'
 * ```
 */
export const CONTACT_CHANNELS: Readonly<Record<string, string>> = { email: 'emails', phone: 'phones', sms: 'phones', mail: 'addresses' };

/**
 * One reminder: an item coming due. `key` is what the reminders job stores when it fires
 * the reminder, so it fires once per item and due time.
 *
 * @example
 * ```ts
 * const r: Reminder = { kind: 'interaction', key: 'reminder:interaction:01J…:2024-05-02T09:00:00.000Z',
 *   at: '2024-05-02T09:00:00.000Z', dueAt: '2024-05-02T10:00:00.000Z', collection: 'interactions', recordId: '01J…',
 *   customerId: '01J…', ownerId: 'u-ann', assigneeId: 'u-ann', interactionType: 'call' };
 * ```
 */
export interface Reminder {
  /** `interaction`, `ticket` or `date`. */
  kind: ReminderKind;
  /** Identifies the item and due time; the job fires each key once. */
  key: string;
  /** When the reminder is due (ISO 8601 UTC). */
  at: string;
  /** When the item itself is due: the interaction's `dueAt`, the SLA target, the date's day. */
  dueAt: string;
  /** The collection of the record it is about. */
  collection: 'interactions' | 'tickets' | 'customers';
  /** The record it is about. */
  recordId: string;
  /** The customer. */
  customerId?: string;
  /** The record's owner. */
  ownerId?: string;
  /** Who should act (the interaction's or ticket's assignee). */
  assigneeId?: string;
  /** For an interaction: its type. */
  interactionType?: InteractionType;
  /** For a ticket: the SLA target coming due. */
  target?: SlaTarget;
  /** For a date: the customer's `importantDates` entry. */
  date?: {
    /** What the date is, e.g. `birthday` or `anniversary`. */
    kind: string;
    /** The stored date, `YYYY-MM-DD` or yearless `--MM-DD` (not the day it falls on this time). */
    date: string;
    /** The entry's human label, when it has one. */
    label?: string;
  };
  /** For a date with a year: how many years it is (an age). */
  years?: number;
  /** For a date: the channels the customer may be contacted through (consent not denied). */
  channels?: string[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function withOptional(base: Reminder, extra: Record<string, unknown>): Reminder {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (base as unknown as Record<string, unknown>)[k] = v;
  return base;
}

/**
 * The reminder of a planned interaction, or `undefined` when it is not planned.
 *
 * @example
 * ```ts
 * interactionReminder(plannedCall)?.at; // remindAt ?? dueAt
 * ```
 */
export function interactionReminder(r: StoredRecord): Reminder | undefined {
  if (r['status'] !== 'planned' || r['archivedAt'] !== undefined) return undefined;
  const dueAt = str(r['dueAt']);
  const at = str(r['remindAt']) ?? dueAt;
  if (!dueAt || !at) return undefined;
  return withOptional(
    { kind: 'interaction', key: `reminder:interaction:${r.id}:${at}`, at, dueAt, collection: 'interactions', recordId: r.id },
    { customerId: str(r['customerId']), ownerId: str(r['ownerId']), assigneeId: str(r['assigneeId']), interactionType: r['type'] },
  );
}

/**
 * The SLA targets a ticket still has to meet, as reminders (given the service's watch fields).
 *
 * @example
 * ```ts
 * ticketReminders(ticket, TARGETS).map((r) => r.target); // ['firstResponse', 'resolution']
 * ```
 */
export function ticketReminders(r: StoredRecord, targets: readonly { target: SlaTarget; due: string; watch: string }[]): Reminder[] {
  if (r['archivedAt'] !== undefined) return [];
  const out: Reminder[] = [];
  for (const t of targets) {
    const dueAt = str(r[t.watch]);
    if (!dueAt || dueAt !== r[t.due]) continue;
    const at = new Date(Date.parse(dueAt) - TICKET_WARNING_MS).toISOString();
    out.push(
      withOptional(
        { kind: 'ticket', key: `reminder:ticket:${r.id}:${t.target}:${dueAt}`, at, dueAt, collection: 'tickets', recordId: r.id, target: t.target },
        { customerId: str(r['customerId']), ownerId: str(r['ownerId']), assigneeId: str(r['assigneeId']) },
      ),
    );
  }
  return out;
}

/**
 * The channels a customer may be contacted through: a contact point, and consent not `denied`.
 *
 * @example
 * ```ts
 * contactChannels({ id: 'c1', version: 1, emails: [{ address: 'a@b.co' }], consent: { email: { status: 'denied' } } }); // []
 * ```
 */
export function contactChannels(customer: StoredRecord): string[] {
  const consent = (customer['consent'] ?? {}) as Record<string, { status?: string }>;
  return Object.entries(CONTACT_CHANNELS)
    .filter(([channel, field]) => Array.isArray(customer[field]) && (customer[field] as unknown[]).length > 0 && consent[channel]?.status !== 'denied')
    .map(([channel]) => channel)
    .sort();
}

/**
 * The reminders of a customer's yearly dates whose day starts in `[fromMs, toMs)`; none for
 * a blocked or archived customer, or one with no channel left to greet them through.
 * @example
 * ```ts
 * dateReminders(customer, Date.parse('2024-12-01T00:00:00Z'), Date.parse('2025-01-01T00:00:00Z'), 'Europe/Istanbul');
 * ```
 */
export function dateReminders(customer: StoredRecord, fromMs: number, toMs: number, timeZone: string): Reminder[] {
  if (customer['archivedAt'] !== undefined || customer['blocked'] !== undefined) return [];
  const dates = (customer['importantDates'] ?? []) as { kind: string; date: string; label?: string }[];
  if (dates.length === 0) return [];
  const channels = contactChannels(customer);
  if (channels.length === 0) return [];
  const out: Reminder[] = [];
  for (const d of dates) {
    for (const o of occurrencesBetween(d.date, fromMs, toMs, timeZone)) {
      const date: { kind: string; date: string; label?: string } = { kind: d.kind, date: d.date };
      if (d.label !== undefined) date.label = d.label;
      out.push(
        withOptional(
          { kind: 'date', key: `reminder:date:${customer.id}:${d.kind}:${d.date}:${o.day}`, at: o.at, dueAt: o.at, collection: 'customers', recordId: customer.id, customerId: customer.id, date, channels },
          { ownerId: str(customer['ownerId']), years: o.years },
        ),
      );
    }
  }
  return out;
}

/**
 * Order reminders by due time, then kind, then record.
 *
 * @example
 * ```ts
 * items.sort(compareReminders);
 * ```
 */
export function compareReminders(a: Reminder, b: Reminder): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.kind !== b.kind) return REMINDER_KINDS.indexOf(a.kind) - REMINDER_KINDS.indexOf(b.kind);
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
