/**
 * SLA policies: first-response and resolution targets per ticket priority, with optional
 * business hours and holidays in the CRM's time zone. Policies are records in the storage's
 * `system` collection, so every Crm on one storage applies the same ones.
 *
 * @module
 */
import * as z from 'zod/mini';
import { ValidationError } from '../errors';
import { calendarDate } from '../entities/common';
import { TICKET_PRIORITIES } from '../entities/tickets';
import type { TicketPriority } from '../entities/tickets';
import type { Session } from '../engine/session';
import { toIssues } from '../internal/issues';
import type { StoredRecord } from '../storage/adapter';
import { WEEKDAYS, addBusinessTime, businessTimeBetween, clockMinutes } from './calendar';
import type { BusinessCalendar, BusinessHours } from './calendar';

/**
 * What `crm.tickets.setSlaPolicy` takes: the targets for one priority.
 *
 * @example
 * ```ts
 * const policy: SlaPolicyInput = {
 *   priority: 'high', firstResponseMinutes: 60, resolutionMinutes: 8 * 60,
 *   businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' },
 *   holidays: ['2024-12-25'], pauseWhilePending: true,
 * };
 * ```
 */
export interface SlaPolicyInput {
  /** The priority the policy applies to. */
  priority: TicketPriority;
  /** Business minutes from opening to the first outbound response; absent: no target. */
  firstResponseMinutes?: number | undefined;
  /** Business minutes from opening to resolution; absent: no target. */
  resolutionMinutes?: number | undefined;
  /** When the clock runs, in the CRM's time zone; absent: around the clock. */
  businessHours?: BusinessHours | undefined;
  /** Local dates (`YYYY-MM-DD`, CRM time zone) on which the clock stops. */
  holidays?: string[] | undefined;
  /** Stop the clock while the ticket is `pending` (waiting on the customer). @defaultValue false */
  pauseWhilePending?: boolean | undefined;
}

/**
 * A stored SLA policy.
 * @example
 * ```ts
 * const [policy] = await crm.tickets.slaPolicies(); policy?.updatedBy;
 * ```
 */
export interface SlaPolicy extends SlaPolicyInput {
  /** When it was last set. */
  updatedAt: string;
  /** Who set it. */
  updatedBy: string;
}

const hhmm = z.string().check(z.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'must be a local time HH:MM (00:00 to 24:00)' }));
const minutes = z.number().check(z.refine((v) => Number.isFinite(v) && v > 0 && v <= 525_600 * 5, { message: 'must be a positive number of minutes (at most five years)' }));

const policySchema = z.strictObject({
  priority: z.enum(TICKET_PRIORITIES),
  firstResponseMinutes: z.optional(minutes),
  resolutionMinutes: z.optional(minutes),
  businessHours: z.optional(
    z
      .strictObject({
        days: z.array(z.enum(WEEKDAYS)).check(z.minLength(1, { message: 'needs at least one working day' })),
        start: hhmm,
        end: hhmm,
      })
      .check(z.refine((h) => clockMinutes(h.end) > clockMinutes(h.start), { message: 'end must be later than start', path: ['end'] })),
  ),
  holidays: z.optional(z.array(calendarDate).check(z.maxLength(1000))),
  pauseWhilePending: z.optional(z.boolean()),
});

/**
 * Validate a policy input. @throws `ValidationError` with field paths.
 * @example
 * ```ts
 * parseSlaPolicy({ priority: 'high', holidays: ['2024-12-25', '2024-01-01'] }).holidays; // ['2024-01-01', '2024-12-25']
 * ```
 */
export function parseSlaPolicy(input: unknown): SlaPolicyInput {
  const r = policySchema.safeParse(input, { reportInput: true });
  if (!r.success) throw new ValidationError(toIssues(r.error.issues as Parameters<typeof toIssues>[0], []), { collection: 'tickets' });
  const p = r.data as SlaPolicyInput;
  if (p.businessHours) p.businessHours.days = WEEKDAYS.filter((d) => p.businessHours!.days.includes(d));
  if (p.holidays) p.holidays = [...new Set(p.holidays)].sort();
  return p;
}

/**
 * The `system` record id of a priority's policy.
 * @example
 * ```ts
 * policyId('high'); // 'sla-policy:high'
 * ```
 */
export function policyId(priority: string): string {
  return `sla-policy:${priority}`;
}

/**
 * Read the stored policy of a priority (through the session, so a batch sees its own writes).
 * @example
 * ```ts
 * const policy = await loadPolicy(ctx.session, 'high');
 * ```
 */
export async function loadPolicy(session: Session, priority: string): Promise<SlaPolicy | undefined> {
  const [r] = await session.get('system', [policyId(priority)]);
  return r ? fromRecord(r) : undefined;
}

/**
 * The policy held by a `system` record.
 * @example
 * ```ts
 * const [r] = await storage.get('system', ['sla-policy:high']); if (r) fromRecord(r).resolutionMinutes;
 * ```
 */
export function fromRecord(r: StoredRecord): SlaPolicy {
  const { id: _id, version: _v, kind: _k, ...rest } = r;
  return structuredClone(rest) as unknown as SlaPolicy;
}

/**
 * What a ticket keeps of the policy that applied when it was opened (or re-prioritized), plus
 * the business time its clocks were stopped, so its due dates are a pure function of it.
 * @example
 * ```ts
 * const sla: SlaState = { priority: 'high', resolutionMinutes: 240, firstResponsePausedMs: 0, resolutionPausedMs: 0 };
 * ```
 */
export interface SlaState {
  /** The priority whose policy applied. */
  priority: TicketPriority;
  /** The policy's first-response target in business minutes; absent: no target. */
  firstResponseMinutes?: number;
  /** The policy's resolution target in business minutes; absent: no target. */
  resolutionMinutes?: number;
  /** The policy's business hours; absent: the clock runs around the clock. */
  businessHours?: BusinessHours;
  /** The policy's holidays (`YYYY-MM-DD`, CRM time zone), on which the clock stops. */
  holidays?: string[];
  /** Whether the clock stops while the ticket is `pending`. */
  pauseWhilePending?: boolean;
  /** Business ms the first-response clock was stopped (pending pauses). */
  firstResponsePausedMs: number;
  /** Business ms the resolution clock was stopped (pending pauses, time spent resolved before a reopen). */
  resolutionPausedMs: number;
}

/**
 * A ticket's SLA state under a policy, carrying over paused time.
 * @example
 * ```ts
 * slaState('high', { priority: 'high', resolutionMinutes: 240 }); // { priority: 'high', resolutionMinutes: 240, firstResponsePausedMs: 0, resolutionPausedMs: 0 }
 * ```
 */
export function slaState(priority: TicketPriority, policy: SlaPolicyInput | undefined, previous?: SlaState): SlaState {
  const s: SlaState = { priority, firstResponsePausedMs: previous?.firstResponsePausedMs ?? 0, resolutionPausedMs: previous?.resolutionPausedMs ?? 0 };
  if (policy?.firstResponseMinutes !== undefined) s.firstResponseMinutes = policy.firstResponseMinutes;
  if (policy?.resolutionMinutes !== undefined) s.resolutionMinutes = policy.resolutionMinutes;
  if (policy?.businessHours) s.businessHours = structuredClone(policy.businessHours);
  if (policy?.holidays?.length) s.holidays = [...policy.holidays];
  if (policy?.pauseWhilePending) s.pauseWhilePending = true;
  return s;
}

/**
 * The business calendar of an SLA state in a time zone.
 * @example
 * ```ts
 * addBusinessTime(Date.now(), 3_600_000, calendarOf(ticket.sla, crm.timeZone));
 * ```
 */
export function calendarOf(sla: SlaState, timeZone: string): BusinessCalendar {
  return { timeZone, hours: sla.businessHours, holidays: sla.holidays };
}

/**
 * The due dates of a ticket opened at `openedAt`: each target's business minutes, plus the
 * business time its clock was stopped, counted from opening.
 * @example
 * ```ts
 * dueDates({ priority: 'high', resolutionMinutes: 60, firstResponsePausedMs: 0, resolutionPausedMs: 0 }, '2024-05-06T09:00:00.000Z', 'UTC'); // { resolutionDueAt: '2024-05-06T10:00:00.000Z' }
 * ```
 */
export function dueDates(sla: SlaState, openedAt: string, timeZone: string): { firstResponseDueAt?: string; resolutionDueAt?: string } {
  const cal = calendarOf(sla, timeZone);
  const opened = Date.parse(openedAt);
  const out: { firstResponseDueAt?: string; resolutionDueAt?: string } = {};
  if (sla.firstResponseMinutes !== undefined) out.firstResponseDueAt = new Date(addBusinessTime(opened, sla.firstResponseMinutes * 60_000 + sla.firstResponsePausedMs, cal)).toISOString();
  if (sla.resolutionMinutes !== undefined) out.resolutionDueAt = new Date(addBusinessTime(opened, sla.resolutionMinutes * 60_000 + sla.resolutionPausedMs, cal)).toISOString();
  return out;
}

/**
 * Business time between two ISO instants under a ticket's calendar.
 * @example
 * ```ts
 * pausedBetween(sla, ticket.pendingSince, new Date().toISOString(), 'UTC'); // business ms spent pending
 * ```
 */
export function pausedBetween(sla: SlaState, from: string, to: string, timeZone: string): number {
  return businessTimeBetween(Date.parse(from), Date.parse(to), calendarOf(sla, timeZone));
}
