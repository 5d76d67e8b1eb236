/**
 * The door from the package's own server handler into a Crm's engine: not public API.
 * A view carries its internals under a symbol so `adapters/http/server` can run a call and
 * store what it needs (an idempotency record) in the same atomic write.
 *
 * @internal
 * @module
 */
import type { Engine } from '../engine/engine';
import type { Actor } from '../engine/types';
import type { WriteOp } from '../storage/adapter';

/** The symbol under which a view keeps its internals. */
export const INTERNALS: unique symbol = Symbol.for('rapport.internals') as never;

/** What a view exposes to the package's own server handler. */
export interface ViewInternals {
  engine: Engine;
  actor: Actor;
  /**
   * Run `fn` as a batch on this view, adding `extra(result)` operations to the same atomic
   * write; events fire after it is stored, inside `around` when given (it must call
   * `runEffects` synchronously), so the server can tell which events this write caused.
   */
  batchWith<T>(fn: (tx: unknown) => Promise<T>, extra: (result: T) => WriteOp[], around?: (runEffects: () => void) => void): Promise<T>;
}

/** The internals of a view, or `undefined` for anything else (a remote Crm). */
export function internalsOf(crm: unknown): ViewInternals | undefined {
  return typeof crm === 'object' && crm !== null ? (crm as { [INTERNALS]?: ViewInternals })[INTERNALS] : undefined;
}
