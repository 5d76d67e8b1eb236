/**
 * Authorization and validation steps shared by the repository verbs.
 *
 * @internal
 * @module
 */
import { PermissionError, ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import { toIssues } from '../internal/issues';
import type { Action } from '../permissions/policy';
import type { StoredRecord } from '../storage/adapter';
import { auditOps } from './audit';
import type { CompiledEntity } from './compile';
import type { Engine } from './engine';
import type { Session } from './session';
import type { Actor } from './types';

/** What every verb runs with. */
export interface OpContext {
  engine: Engine;
  actor: Actor;
  session: Session;
}

/** Reject an aborted call with the platform's AbortError. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

/** Validate the writable view of a record; returns the parsed (normalized) data. */
export function validateRecord(entity: CompiledEntity, view: unknown, prefix: (string | number)[] = []): { data?: Record<string, unknown>; issues?: ValidationIssue[] } {
  const r = entity.schema.safeParse(view, { reportInput: true });
  if (r.success) return { data: r.data };
  return { issues: toIssues(r.error.issues as Parameters<typeof toIssues>[0], prefix) };
}

/** Throw a ValidationError for these issues. */
export function invalid(entity: CompiledEntity, issues: ValidationIssue[], recordId?: string): never {
  throw new ValidationError(issues, { collection: entity.collection, recordId });
}

/**
 * Refuse an action: record the denial in the audit trail (committed on its own, so it
 * survives even when a surrounding batch is abandoned), emit `access.denied`, throw.
 */
export async function deny(ctx: OpContext, action: Action | string, collection: string, recordId: string | undefined, reason: string): Promise<never> {
  const { engine, actor } = ctx;
  try {
    await engine.storage.write(auditOps(engine, { actorId: actor.id, action: 'denied', collection, recordId, reason: `${action}: ${reason}` }));
  } catch {
    // The denial stands even if its audit entry could not be stored.
  }
  const error = new PermissionError({ actorId: actor.id, action, reason }, { collection, recordId });
  engine.events.emit('access.denied', { type: 'access.denied', actorId: actor.id, action, collection, recordId, reason });
  throw error;
}

/** Check that the actor may do `action` to `record` (or to the collection); deny otherwise. */
export async function authorize(ctx: OpContext, action: Action, entity: CompiledEntity, record?: StoredRecord | Record<string, unknown>): Promise<void> {
  const decision = ctx.engine.policy.decide(ctx.actor, action, entity.collection, record);
  if (!decision.allowed) await deny(ctx, action, entity.collection, record?.['id'] as string | undefined, decision.reason);
}
