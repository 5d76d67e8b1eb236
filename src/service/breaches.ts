/**
 * The SLA breach job. On every tick of the authority it finds tickets whose first-response
 * or resolution target has passed unmet, flags the ticket and emits `ticket.slaBreached` —
 * exactly once per breach: what fired is stored in the `system` collection under
 * `sla-breach:<ticketId>:<target>:<dueAt>`, inserted in the same atomic write as the ticket's
 * flag, so neither a restart nor a second Crm on the storage fires it again.
 *
 * @module
 */
import { isConflictError } from '../errors';
import type { Engine } from '../engine/engine';
import type { OpContext } from '../engine/guard';
import { directSession } from '../engine/session';
import type { Job } from '../engine/workers';
import { planUpdate } from '../engine/write';
import type { StoredRecord } from '../storage/adapter';
import { ENGINE_ROLE } from '../permissions/roles';

/**
 * Which target was breached.
 * @example
 * ```ts
 * const target: SlaTarget = 'resolution';
 * ```
 */
export type SlaTarget = 'firstResponse' | 'resolution';

/**
 * Where each target keeps its due date, its flag, and the derived field the job watches.
 * @example
 * ```ts
 * TARGETS.map((t) => t.flag); // ['firstResponseBreachedAt', 'resolutionBreachedAt']
 * ```
 */
export const TARGETS: readonly { target: SlaTarget; due: string; flag: string; watch: string }[] = [
  { target: 'firstResponse', due: 'firstResponseDueAt', flag: 'firstResponseBreachedAt', watch: '_frWatch' },
  { target: 'resolution', due: 'resolutionDueAt', flag: 'resolutionBreachedAt', watch: '_resWatch' },
];

/**
 * The `system` record id that says a breach fired.
 * @example
 * ```ts
 * breachKey('01J…', 'resolution', '2024-05-06T10:00:00.000Z'); // 'sla-breach:01J…:resolution:2024-05-06T10:00:00.000Z'
 * ```
 */
export function breachKey(ticketId: string, target: SlaTarget, dueAt: string): string {
  return `sla-breach:${ticketId}:${target}:${dueAt}`;
}

/** The actor the job writes as. */
const SERVICE_ACTOR = { id: 'system', roles: [ENGINE_ROLE] };

const PAGE = 100;

/**
 * Make the breach job for an engine (registered in `JOBS`, run by `crm.startWorkers()`).
 *
 * @example
 * ```ts
 * const workers = crm.startWorkers({ intervalMs: 60_000 }); // checks SLA breaches every minute on the authority
 * ```
 */
export function slaBreachJob(engine: Engine): Job {
  return {
    name: 'ticket-sla-breaches',
    async run(signal) {
      const entity = engine.entities.get('tickets');
      if (!entity) return;
      const ctx: OpContext = { engine, actor: SERVICE_ACTOR, session: directSession(engine.storage) };
      const now = engine.now();
      for (const t of TARGETS) {
        let cursor: string | undefined;
        do {
          if (signal.aborted || engine.closed) return;
          const page = await engine.storage.query('tickets', { where: { field: t.watch, op: 'lte', value: now }, orderBy: [{ field: t.watch, direction: 'asc' }], limit: PAGE, cursor });
          for (const ticket of page.items) await fire(ctx, ticket, t, now);
          cursor = page.nextCursor;
        } while (cursor !== undefined);
      }
    },
  };
}

async function fire(ctx: OpContext, ticket: StoredRecord, t: (typeof TARGETS)[number], now: string): Promise<void> {
  const entity = ctx.engine.entity('tickets');
  const dueAt = ticket[t.due] as string;
  const key = breachKey(ticket.id, t.target, dueAt);
  const [done] = await ctx.engine.storage.get('system', [key]);
  const planned = await planUpdate(ctx, entity, ticket, { [t.flag]: now }, {
    action: 'slaBreach',
    // Already fired (a flag lost to an older version of the ticket): set the flag, never emit twice.
    events: () => (done ? [] : [{ name: 'ticket.slaBreached', payload: { ticketId: ticket.id, target: t.target, dueAt, breachedAt: now } }]),
  });
  if (!planned) return;
  const ops = done ? planned.ops : [...planned.ops, { type: 'insert' as const, collection: 'system', record: { id: key, version: 1, kind: 'slaBreach', ticketId: ticket.id, target: t.target, dueAt, firedAt: now } }];
  try {
    await ctx.engine.storage.write(ops);
  } catch (error) {
    // The ticket changed, or another authority fired it first: the next tick sees the stored state.
    if (isConflictError(error)) return;
    throw error;
  }
  for (const effect of planned.effects) effect();
}
