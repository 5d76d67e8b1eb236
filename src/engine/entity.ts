/**
 * What an entity module declares. The engine is generic: adding an entity is adding one
 * module (schema, indexes, search fields, references, derivations, domain verbs), never
 * touching the engine.
 *
 * @internal
 * @module
 */
import type * as z from 'zod/mini';
import type { IndexSpec } from '../storage/adapter';
import type { StoredRecord } from '../storage/adapter';

/** A field whose text feeds full-text search. */
export interface SearchField {
  /** Path in the record, e.g. `emails.address`. */
  path: string;
  /** Short tag stored with each token, e.g. `n` for name. */
  tag: string;
  /** Ranking weight: names above notes. */
  weight: number;
  /** How the text is tokenized. */
  kind: 'text' | 'email' | 'phone';
}

/** A derived, flat field the engine keeps so an index can answer a path adapters cannot index. */
export interface DerivedField {
  /** The internal field, starting with `_`. */
  field: string;
  /** The public path it mirrors; conditions on that path are rewritten to the field. */
  path?: string;
  /** Compute the value from the record (`undefined`: leave the field out). */
  compute(record: StoredRecord): unknown;
}

/** A pointer from this entity to another: deleting the target is refused while it holds. */
export interface Reference {
  /** The field holding the target id. */
  field: string;
  /** The target collection. */
  collection: string;
}

/** Context handed to an entity's `prepare` hook. */
export interface PrepareContext {
  /** Now, as an ISO string. */
  now: string;
  /** The acting user's id. */
  actorId: string;
}

/** The declaration of one entity. */
export interface EntityModule {
  /** Collection name, plural: `customers`. */
  collection: string;
  /** Singular, the prefix of its events: `customer`. */
  singular: string;
  /** zod schemas of its own writable fields (base fields and `custom` are added by the engine). */
  shape: Record<string, z.ZodMiniType>;
  /** Fields only the engine writes after create (a patch naming them is refused). */
  engineFields?: string[];
  /** Storage indexes, beside the engine's own. */
  indexes: IndexSpec[];
  /** Derived internal fields. */
  derived?: DerivedField[];
  /** Fields that feed search. */
  search?: SearchField[];
  /** References to other collections. */
  references?: Reference[];
  /** The field that names the assignee, for `own` scope. */
  assigneeField?: string;
  /** The event a create emits. @defaultValue `${singular}.created` */
  createdEvent?(record: StoredRecord): string;
  /** Default order of `find`. */
  defaultOrder?: { field: string; direction: 'asc' | 'desc' }[];
  /** Entity rules run after validation, before storing: fill defaults, keep histories. */
  prepare?(next: Record<string, unknown>, previous: Record<string, unknown> | undefined, ctx: PrepareContext): void;
}
