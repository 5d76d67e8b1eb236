/**
 * The seam between the engine and access control: the engine asks a policy, once per call,
 * whether an action is allowed, which records an actor's queries may reach, and which fields
 * an actor may read or write.
 *
 * @module
 */
import type { Filter } from '../query/types';
import type { Actor } from '../engine/types';

/** The actions a role can grant. */
export type Action = 'read' | 'create' | 'update' | 'delete' | 'archive' | 'export' | 'import' | 'assign' | 'merge';

/** Every action, in the order the docs list them. */
export const ACTIONS: readonly Action[] = ['read', 'create', 'update', 'delete', 'archive', 'export', 'import', 'assign', 'merge'];

/** The policy's answer to one question about one record (or a collection). */
export type Decision = { allowed: true } | { allowed: false; reason: string };

/** What the engine needs from access control. */
export interface Policy {
  /** May the actor do this to this record (or, without a record, to some records of the collection)? */
  decide(actor: Actor, action: Action, collection: string, record?: Record<string, unknown>): Decision;
  /**
   * The filter an actor's queries are ANDed with for an action: `undefined` for everything,
   * `false` for nothing.
   */
  scope(actor: Actor, action: Action, collection: string): Filter | undefined | false;
  /** Top-level fields (or `custom.x` paths) the actor may not read in a collection. */
  hiddenFields(actor: Actor, collection: string): ReadonlySet<string>;
  /** Fields the actor may not write in a collection. */
  readOnlyFields(actor: Actor, collection: string): ReadonlySet<string>;
}
