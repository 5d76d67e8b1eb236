/**
 * The first response to a ticket: an OUTBOUND interaction, done, logged with the ticket's
 * `ticketId` while the ticket is unresolved, sets the ticket's `firstRespondedAt` — in the
 * same atomic write as the interaction.
 *
 * @module
 */
import { ValidationError, isConflictError } from '../errors';
import type { CompiledEntity } from '../engine/compile';
import type { OpContext } from '../engine/guard';
import { planCreate, planUpdate, updateWithRetry } from '../engine/write';
import type { Planned } from '../engine/write';
import type { StoredRecord } from '../storage/adapter';
import { UNRESOLVED_STATUSES } from '../entities/tickets';
import type { TicketStatus } from '../entities/tickets';
import { ENGINE_ROLE } from '../permissions/roles';

/**
 * The ticket update an interaction implies, if any: `firstRespondedAt` set to when the
 * interaction happened (never before the ticket was opened).
 *
 * The update is the engine's consequence of a write the actor was allowed to make, so it is
 * authorized as such (attributed to the actor in the audit trail as `firstResponse`), not
 * against the actor's own grants on tickets.
 * @example
 * ```ts
 * const extra = await planFirstResponse(ctx, interactionRecord); // a ticket update, or undefined
 * ```
 */
export async function planFirstResponse(ctx: OpContext, interaction: StoredRecord): Promise<Planned | undefined> {
  const ticketId = interaction['ticketId'];
  if (interaction['direction'] !== 'outbound' || interaction['status'] !== 'done' || typeof ticketId !== 'string') return undefined;
  const tickets = ctx.engine.entities.get('tickets');
  if (!tickets) return undefined;
  const [ticket] = await ctx.session.get('tickets', [ticketId]);
  if (!ticket || ticket['firstRespondedAt'] !== undefined || !UNRESOLVED_STATUSES.includes(ticket['status'] as TicketStatus)) return undefined;
  const occurred = (interaction['occurredAt'] as string | undefined) ?? ctx.engine.now();
  const opened = ticket['openedAt'] as string;
  const at = Date.parse(occurred) < Date.parse(opened) ? opened : occurred;
  const engineCtx: OpContext = { ...ctx, actor: { id: ctx.actor.id, roles: [ENGINE_ROLE] } };
  return planUpdate(engineCtx, tickets, ticket, { firstRespondedAt: at }, {
    action: 'firstResponse',
    events: () => [{ name: 'ticket.responded', payload: { interactionId: interaction.id } }],
  });
}

/**
 * Commit a planned interaction write together with the first response it implies. When the
 * ticket changed underneath (a version conflict on it), plan the ticket's part again.
 * @example
 * ```ts
 * await commitWithFirstResponse(ctx, plannedInteraction);
 * ```
 */
export async function commitWithFirstResponse(ctx: OpContext, planned: Planned): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const extra = await planFirstResponse(ctx, planned.record);
    try {
      await ctx.session.commit([...planned.ops, ...(extra?.ops ?? [])], [...planned.effects, ...(extra?.effects ?? [])]);
      return;
    } catch (error) {
      const onTicket = isConflictError(error) && extra !== undefined && error.recordId === extra.record.id;
      if (onTicket && !ctx.session.buffered && attempt < 5) continue;
      throw error;
    }
  }
}

/**
 * `create` for interactions with the first response it implies, in one atomic write.
 * @throws `ValidationError` with field paths.
 * @example
 * ```ts
 * const stored = await createWithFirstResponse(ctx, ctx.engine.entity('interactions'), { type: 'email', customerId, ticketId, direction: 'outbound' });
 * ```
 */
export async function createWithFirstResponse(ctx: OpContext, entity: CompiledEntity, input: unknown): Promise<StoredRecord> {
  const planned = await planCreate(ctx, entity, input);
  if ('issues' in planned) throw new ValidationError(planned.issues, { collection: entity.collection });
  await commitWithFirstResponse(ctx, planned);
  return planned.record;
}

/**
 * `updateWithRetry` for interactions (e.g. completing a planned outbound call), committing
 * the first response it implies in the same atomic write.
 * @example
 * ```ts
 * await updateWithFirstResponse(ctx, entity, callId, () => ({ status: 'done' }), undefined);
 * ```
 */
export function updateWithFirstResponse(
  ctx: OpContext,
  entity: CompiledEntity,
  id: string,
  patch: (current: StoredRecord) => unknown,
  expectedVersion: number | undefined,
  options: Parameters<typeof planUpdate>[4] = {},
): Promise<StoredRecord> {
  return updateWithRetry(ctx, entity, id, patch, expectedVersion, { ...options, commit: (planned) => commitWithFirstResponse(ctx, planned) });
}
