/**
 * `crm.reminders`: what comes due in a range — planned interactions, tickets nearing an SLA
 * target, customers' birthdays and other yearly dates — as the caller sees it. The
 * authority's reminders job fires the same items as `reminder.due` events, once each.
 *
 * @module
 */
import { QueryError, ValidationError } from '../errors';
import { throwIfAborted } from '../engine/guard';
import type { OpContext } from '../engine/guard';
import { buildQuery } from '../engine/read';
import { publicView } from '../engine/record';
import type { CallOptions } from '../engine/types';
import type { Filter } from '../query/types';
import { TARGETS } from '../service/breaches';
import type { StoredRecord } from '../storage/adapter';
import { REMINDER_KINDS, TICKET_WARNING_MS } from '../marketing/reminder-kinds';
import type { ReminderKind } from '../marketing/reminder-kinds';
import { compareReminders, dateReminders, interactionReminder, ticketReminders } from '../marketing/reminders';
import type { Reminder } from '../marketing/reminders';

/**
 * Options of {@link RemindersApi.upcoming}.
 *
 * @example
 * ```ts
 * const o: UpcomingOptions = { from: '2024-05-01T00:00:00Z', to: '2024-05-08T00:00:00Z', kinds: ['interaction', 'date'] };
 * ```
 */
export interface UpcomingOptions extends CallOptions {
  /** From this instant (inclusive, ISO 8601). @defaultValue now */
  from?: string;
  /** Up to this instant (exclusive), at most 366 days after `from`. @defaultValue 7 days after `from` */
  to?: string;
  /** Only these kinds. @defaultValue every kind */
  kinds?: ReminderKind[];
  /** At most this many, soonest first. @defaultValue 100 (at most 1,000) */
  limit?: number;
}

/**
 * A reminder with the record it is about, as the caller may see it.
 *
 * @example
 * ```ts
 * const [first]: UpcomingReminder[] = (await crm.reminders.upcoming()).items;
 * ```
 */
export type UpcomingReminder = Reminder & {
  /** The interaction, ticket or customer (fields the caller cannot read left out). */
  record: Record<string, unknown>;
};

/**
 * `crm.reminders`.
 * @example
 * ```ts
 * const { items } = await crm.reminders.upcoming({ from: '2024-05-01T00:00:00Z', to: '2024-05-08T00:00:00Z' });
 * for (const r of items) console.log(r.at, r.kind, r.recordId);
 * ```
 */
export interface RemindersApi {
  /**
   * Reminders due in `[from, to)`, soonest first: a planned interaction at `remindAt ??
   * dueAt`, a ticket one hour before an unmet SLA target, a yearly date at the start of its
   * day in the CRM's time zone (not for blocked customers, nor for those with consent
   * `denied` on every channel they can be reached through). Only records the caller may read.
   * @throws `ValidationError` for a bad range, `QueryError` for a bad kind or limit.
   * @example
   * ```ts
   * const { items } = await crm.reminders.upcoming({ kinds: ['date'], to: '2024-06-01T00:00:00Z' });
   * ```
   */
  upcoming(options?: UpcomingOptions): Promise<{
    /** The reminders, soonest first, at most `limit` of them. */
    items: UpcomingReminder[];
  }>;
}

const MAX_RANGE_MS = 366 * 24 * 60 * 60_000;
const PAGE = 500;

function instant(value: unknown, name: string): number {
  const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) throw new ValidationError([{ path: [name], message: 'expected an ISO 8601 date-time', code: 'invalid_type' }]);
  return t;
}

/**
 * Build `crm.reminders` for a view.
 *
 * @example
 * ```ts
 * const reminders = makeReminders(ctx); // what crm.reminders is
 * ```
 */
export function makeReminders(ctx: OpContext): RemindersApi {
  const { engine } = ctx;

  /** Every record of a collection matching `where` within the caller's scope, passed to `visit` with its public view. */
  async function scan(collection: string, where: Filter | undefined, internal: Filter[], visit: (raw: StoredRecord, shown: Record<string, unknown>) => void, signal: AbortSignal | undefined): Promise<void> {
    const entity = engine.entities.get(collection);
    if (!entity) return;
    const built = await buildQuery(ctx, entity, { where });
    if (built === false) return;
    const parts = [...(built.where ? [built.where] : []), ...internal];
    const hidden = engine.policy.hiddenFields(ctx.actor, collection);
    let cursor: string | undefined;
    do {
      throwIfAborted(signal);
      const page = await ctx.session.query(collection, { where: parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { and: parts }, limit: PAGE, cursor });
      for (const r of page.items) visit(r, publicView(structuredClone(r), hidden));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  return {
    async upcoming(options = {}) {
      throwIfAborted(options.signal);
      const fromMs = options.from === undefined ? engine.clock() : instant(options.from, 'from');
      const toMs = options.to === undefined ? fromMs + 7 * 24 * 60 * 60_000 : instant(options.to, 'to');
      if (toMs <= fromMs) throw new ValidationError([{ path: ['to'], message: 'must be after from', code: 'invalid_value' }]);
      if (toMs - fromMs > MAX_RANGE_MS) throw new ValidationError([{ path: ['to'], message: 'must be at most 366 days after from', code: 'too_big' }]);
      const limit = options.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new QueryError('limit must be a whole number from 1 to 1000', ['limit']);
      const kinds = options.kinds ?? REMINDER_KINDS;
      if (!Array.isArray(kinds)) throw new QueryError('expected an array of kinds', ['kinds']);
      kinds.forEach((k, i) => {
        if (!REMINDER_KINDS.includes(k)) throw new QueryError(`unknown kind "${String(k)}"; one of ${REMINDER_KINDS.join(', ')}`, ['kinds', i]);
      });
      const from = new Date(fromMs).toISOString();
      const to = new Date(toMs).toISOString();
      const out: UpcomingReminder[] = [];
      const inRange = (r: Reminder) => r.at >= from && r.at < to;

      if (kinds.includes('interaction')) {
        const planned: Filter = { field: 'status', op: 'eq', value: 'planned' };
        const where: Filter = {
          and: [
            planned,
            {
              or: [
                { and: [{ field: 'remindAt', op: 'gte', value: from }, { field: 'remindAt', op: 'lt', value: to }] },
                { and: [{ field: 'remindAt', op: 'exists', value: false }, { field: 'dueAt', op: 'gte', value: from }, { field: 'dueAt', op: 'lt', value: to }] },
              ],
            },
          ],
        };
        await scan('interactions', where, [], (raw, record) => {
          const r = interactionReminder(raw);
          if (r && inRange(r)) out.push({ ...r, record });
        }, options.signal);
      }
      if (kinds.includes('ticket')) {
        const lo = new Date(fromMs + TICKET_WARNING_MS).toISOString();
        const hi = new Date(toMs + TICKET_WARNING_MS).toISOString();
        const seen = new Set<string>();
        for (const t of TARGETS) {
          await scan('tickets', undefined, [{ field: t.watch, op: 'gte', value: lo }, { field: t.watch, op: 'lt', value: hi }], (raw, record) => {
            for (const r of ticketReminders(raw, TARGETS)) {
              if (inRange(r) && !seen.has(r.key)) {
                seen.add(r.key);
                out.push({ ...r, record });
              }
            }
          }, options.signal);
        }
      }
      if (kinds.includes('date') && !engine.policy.hiddenFields(ctx.actor, 'customers').has('importantDates')) {
        await scan('customers', { field: 'importantDates.kind', op: 'exists', value: true }, [], (raw, record) => {
          for (const r of dateReminders(raw, fromMs, toMs, engine.timeZone)) out.push({ ...r, record });
        }, options.signal);
      }
      out.sort(compareReminders);
      return { items: out.slice(0, limit) };
    },
  };
}
