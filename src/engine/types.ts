/**
 * Types shared by the engine, the entities and the facade.
 *
 * @module
 */

/**
 * Who is acting. Roles name entries of the CRM's role table; teams scope `team` grants.
 *
 * @example
 * ```ts
 * const alice: Actor = { id: 'u-alice', roles: ['manager'], teamIds: ['emea'] };
 * ```
 */
export interface Actor {
  /** The user's id, as `ownerId`, `assigneeId` and audit entries name them. */
  id: string;
  /** Names of roles, e.g. `['editor']`. */
  roles: string[];
  /** Teams the actor belongs to. */
  teamIds?: string[] | undefined;
}

/**
 * An amount of money in integer minor units (cents) with its ISO 4217 currency. Never a float.
 *
 * @example
 * ```ts
 * const price: Money = { amount: 129900, currency: 'EUR' }; // €1,299.00
 * ```
 */
export interface Money {
  /** Integer minor units, e.g. cents. */
  amount: number;
  /** ISO 4217 code, e.g. `EUR`. */
  currency: string;
}

/** Fields every stored record has, kept by the engine. */
export interface RecordBase {
  /** Client-generated, sortable id (ULID). */
  id: string;
  /** 1 on create, +1 per write. */
  version: number;
  /** When rapport stored it (ISO 8601 UTC). */
  createdAt: string;
  /** When rapport last changed it (ISO 8601 UTC). */
  updatedAt: string;
  /** The user who owns it. */
  ownerId: string;
  /** The team it belongs to, if any. */
  teamId?: string;
  /** When it was archived; archived records are left out of `find` unless asked. */
  archivedAt?: string;
  /** An id in another system, unique per collection; imports upsert by it. */
  externalId?: string;
}

/** The engine's clock: milliseconds since the epoch. Inject a fake one in tests. */
export type Clock = () => number;

/** Options of calls that can take long. */
export interface CallOptions {
  /** Cancels the call; it rejects with the platform's `AbortError`. */
  signal?: AbortSignal | undefined;
}

/** Options of a write to one record. */
export interface WriteOptions extends CallOptions {
  /**
   * The version the caller read. When given, a write to a newer version fails with
   * `ConflictError` instead of overwriting.
   */
  expectedVersion?: number | undefined;
}

/** Fields of {@link RecordBase} a caller may not write. */
export type SystemField = 'id' | 'version' | 'createdAt' | 'updatedAt';

/** Makes a type's fields deeply optional and nullable: the shape of a JSON Merge Patch. */
export type MergePatch<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends readonly unknown[]
    ? T[K] | null
    : NonNullable<T[K]> extends object
      ? MergePatch<NonNullable<T[K]>> | null
      : T[K] | null;
};
