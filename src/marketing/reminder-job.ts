/**
 * The reminders job. On every tick of the authority it finds the items that came due since
 * its last run — planned interactions (`remindAt ?? dueAt`), tickets an hour before an SLA
 * target, customers' yearly dates — and emits `reminder.due` for each, exactly once: before
 * emitting it inserts a `system` record keyed by the reminder's `key` (item id + due time);
 * an insert that finds the key taken means another instance, or this one before a restart,
 * fired it already. Each item is read again right before firing, so a cancelled, completed,
 * resolved or rescheduled item never fires for its old time.
 *
 * Which items it looks at: those due since its stored checkpoint (minus a five-minute
 * overlap for clocks a little apart), and those written since then that were already due
 * (a call planned for an hour ago). On its very first run it looks back 24 hours. Dates are
 * checked once per day of the CRM's time zone (catching up at most 7 missed days), and for
 * customers written since the last check.
 *
 * @module
 */
import { isConflictError } from '../errors';
import type { Engine } from '../engine/engine';
import type { Job } from '../engine/workers';
import type { Filter } from '../query/types';
import { zonedParts, startOfDay } from '../time/zoned';
import { TARGETS } from '../service/breaches';
import type { StoredRecord } from '../storage/adapter';
import { localDay } from './dates';
import { TICKET_WARNING_MS } from './reminder-kinds';
import { dateReminders, interactionReminder, ticketReminders } from './reminders';
import type { Reminder } from './reminders';

/**
 * The `system` record holding where the reminders job got to.
 *
 * @example
 * ```ts
 * const [checkpoint] = await storage.get('system', [REMINDER_CHECKPOINT]);
 * ```
 */
export const REMINDER_CHECKPOINT = 'reminders:checkpoint';

const OVERLAP_MS = 5 * 60_000;
const FIRST_LOOKBACK_MS = 24 * 60 * 60_000;
const MAX_CATCH_UP_DAYS = 7;
const PAGE = 500;

async function each(engine: Engine, collection: string, where: Filter, visit: (r: StoredRecord) => Promise<void>, signal: AbortSignal): Promise<void> {
  let cursor: string | undefined;
  do {
    if (signal.aborted || engine.closed) return;
    const page = await engine.storage.query(collection, { where, limit: PAGE, cursor });
    for (const r of page.items) await visit(r);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The first instant of the local day `offset` days after the one holding `ms`. */
function dayStart(ms: number, offset: number, timeZone: string): number {
  const p = zonedParts(ms, timeZone);
  return startOfDay(p.year, p.month, p.day + offset, timeZone);
}

/**
 * Make the reminders job for an engine (registered in `JOBS`, run by `crm.startWorkers()`).
 *
 * @example
 * ```ts
 * crm.on('reminder.due', (r) => notify(r.assigneeId ?? r.ownerId, r));
 * const workers = crm.startWorkers({ intervalMs: 60_000 });
 * ```
 */
export function reminderJob(engine: Engine): Job {
  return {
    name: 'reminders',
    async run(signal) {
      const nowMs = engine.clock();
      const now = iso(nowMs);
      const tz = engine.timeZone;
      const [checkpoint] = await engine.storage.get('system', [REMINDER_CHECKPOINT]);
      const fromMs = checkpoint ? Date.parse(checkpoint['until'] as string) - OVERLAP_MS : nowMs - FIRST_LOOKBACK_MS;
      const from = iso(fromMs);
      const seen = new Set<string>();

      async function fire(candidate: Reminder, reread: () => Promise<Reminder | undefined>): Promise<void> {
        if (seen.has(candidate.key) || candidate.at > now) return;
        seen.add(candidate.key);
        const [fired] = await engine.storage.get('system', [candidate.key]);
        if (fired) return;
        // The item's state at fire time: it may have been completed, cancelled or moved.
        const reminder = await reread();
        if (!reminder || reminder.key !== candidate.key) return;
        try {
          await engine.storage.write([{ type: 'insert', collection: 'system', record: { id: reminder.key, version: 1, kind: 'reminder', reminderKind: reminder.kind, recordId: reminder.recordId, at: reminder.at, firedAt: now } }]);
        } catch (error) {
          // Another instance fired it first.
          if (isConflictError(error)) return;
          throw error;
        }
        engine.events.emit('reminder.due', { type: 'reminder.due', ...reminder, firedAt: now });
      }

      const reread = async (collection: string, id: string) => (await engine.storage.get(collection, [id]))[0];

      // Planned interactions.
      if (engine.entities.has('interactions')) {
        const planned: Filter = { field: 'status', op: 'eq', value: 'planned' };
        const visit = async (r: StoredRecord) => {
          const reminder = interactionReminder(r);
          if (reminder) await fire(reminder, async () => { const x = await reread('interactions', r.id); return x && interactionReminder(x); });
        };
        await each(engine, 'interactions', { and: [planned, { field: 'remindAt', op: 'gt', value: from }, { field: 'remindAt', op: 'lte', value: now }] }, visit, signal);
        await each(engine, 'interactions', { and: [planned, { field: 'remindAt', op: 'exists', value: false }, { field: 'dueAt', op: 'gt', value: from }, { field: 'dueAt', op: 'lte', value: now }] }, visit, signal);
        await each(engine, 'interactions', { and: [planned, { field: 'updatedAt', op: 'gt', value: from }] }, visit, signal);
      }

      // Tickets nearing an SLA target (the breach itself is the service's `ticket.slaBreached`).
      if (engine.entities.has('tickets')) {
        const until = iso(nowMs + TICKET_WARNING_MS);
        const visit = async (r: StoredRecord) => {
          for (const reminder of ticketReminders(r, TARGETS)) {
            if (reminder.dueAt <= now) continue;
            await fire(reminder, async () => {
              const x = await reread('tickets', r.id);
              return x ? ticketReminders(x, TARGETS).find((t) => t.key === reminder.key && t.dueAt > engine.now()) : undefined;
            });
          }
        };
        for (const t of TARGETS) {
          await each(engine, 'tickets', { and: [{ field: t.watch, op: 'gt', value: iso(fromMs + TICKET_WARNING_MS) }, { field: t.watch, op: 'lte', value: until }] }, visit, signal);
          await each(engine, 'tickets', { and: [{ field: 'updatedAt', op: 'gt', value: from }, { field: t.watch, op: 'lte', value: until }] }, visit, signal);
        }
      }

      // Yearly dates: a full pass once per local day, then customers written since.
      const today = localDay(nowMs, tz);
      const todayStart = dayStart(nowMs, 0, tz);
      const tomorrowStart = dayStart(nowMs, 1, tz);
      const dated: Filter = { field: 'importantDates.kind', op: 'exists', value: true };
      const dayChanged = !checkpoint || checkpoint['day'] !== today;
      let windowStart = todayStart;
      if (checkpoint && dayChanged && typeof checkpoint['day'] === 'string') {
        const [y, m, d] = (checkpoint['day'] as string).split('-').map(Number) as [number, number, number];
        windowStart = Math.max(startOfDay(y, m, d + 1, tz), dayStart(nowMs, -(MAX_CATCH_UP_DAYS - 1), tz));
      }
      const visitCustomer = async (r: StoredRecord) => {
        for (const reminder of dateReminders(r, windowStart, tomorrowStart, tz)) {
          await fire(reminder, async () => {
            const x = await reread('customers', r.id);
            return x ? dateReminders(x, windowStart, tomorrowStart, tz).find((d) => d.key === reminder.key) : undefined;
          });
        }
      };
      if (dayChanged) await each(engine, 'customers', dated, visitCustomer, signal);
      else await each(engine, 'customers', { and: [dated, { field: 'updatedAt', op: 'gt', value: iso(Date.parse(checkpoint?.['scannedAt'] as string) - OVERLAP_MS) }] }, visitCustomer, signal);
      if (signal.aborted || engine.closed) return;

      const next: StoredRecord = { id: REMINDER_CHECKPOINT, version: (checkpoint?.version ?? 0) + 1, kind: 'reminderCheckpoint', until: now, day: today, scannedAt: now };
      try {
        await engine.storage.write([checkpoint ? { type: 'update', collection: 'system', record: next, expectedVersion: checkpoint.version } : { type: 'insert', collection: 'system', record: next }]);
      } catch (error) {
        // Another instance moved it: what either fired is stored by key, so nothing repeats.
        if (!isConflictError(error)) throw error;
      }
    },
  };
}
