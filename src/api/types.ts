/**
 * The public shapes of repositories: what every collection offers.
 *
 * @module
 */
import type { Filter } from '../query/types';
import type { FindQuery, FindResult } from '../engine/read';
import type { LiveQuery, Snapshot } from '../engine/watch';
import type { CallOptions, MergePatch, RecordBase, WriteOptions } from '../engine/types';

/** `custom` is required on input when any custom field is required. */
export type CustomInput<Custom> = {} extends Custom ? { custom?: Custom } : { custom: Custom };

/**
 * What a caller passes to `create`: the entity's fields (those in `Required` must be given),
 * an optional client-generated `id`, ownership, `externalId`, and custom fields.
 */
export type EntityInput<T extends RecordBase & { custom: unknown }, Required extends keyof T> = Partial<
  Omit<T, keyof RecordBase | 'custom' | Required>
> &
  Pick<T, Required> & {
    /** A client-generated id (a ULID is made when absent). */
    id?: string;
    /** Owner; defaults to the acting user. */
    ownerId?: string;
    /** Team. */
    teamId?: string;
    /** Id in another system, unique per collection. */
    externalId?: string;
  } & CustomInput<T['custom']>;

/** One item of `updateMany`. */
export interface UpdateItem<Input> {
  /** The record to patch. */
  id: string;
  /** A JSON Merge Patch. */
  patch: MergePatch<Input>;
  /** The version the caller read. */
  expectedVersion?: number;
}

/**
 * The verbs every collection has.
 *
 * @typeParam T - the record type.
 * @typeParam Input - what `create` takes.
 */
export interface Repository<T, Input> {
  /**
   * Create one record.
   * @throws `ValidationError` with field paths (nothing stored), `ConflictError` when the id is taken,
   * `ConstraintError` for a taken `externalId` or a missing referenced record, `PermissionError`.
   */
  create(input: Input, options?: CallOptions): Promise<T>;
  /** Create several records atomically: one invalid record → nothing stored (issue paths start with its index). */
  createMany(inputs: readonly Input[], options?: CallOptions): Promise<T[]>;
  /** One record by id. @throws `NotFoundError`, `PermissionError` outside the actor's scope. */
  get(id: string, options?: CallOptions): Promise<T>;
  /** Records by id, in the order asked; `undefined` for missing ones (and ones outside the actor's scope). */
  getMany(ids: readonly string[], options?: CallOptions): Promise<(T | undefined)[]>;
  /**
   * Apply a JSON Merge Patch (objects merge, arrays replace, `null` removes).
   * @throws `ConflictError` when `expectedVersion` is stale, `ValidationError`, `NotFoundError`.
   */
  update(id: string, patch: MergePatch<Input>, options?: WriteOptions): Promise<T>;
  /** Patch several records atomically. */
  updateMany(items: readonly UpdateItem<Input>[], options?: CallOptions): Promise<T[]>;
  /** Create, or patch the record with the same `externalId`. */
  upsert(input: Input & { externalId: string }, options?: CallOptions): Promise<{ record: T; created: boolean }>;
  /** Archive: kept, but left out of `find` unless `includeArchived`. */
  archive(id: string, options?: WriteOptions): Promise<T>;
  /** Undo an archive. */
  restore(id: string, options?: WriteOptions): Promise<T>;
  /** Delete for good. @throws `ConstraintError` while other records point to it. */
  delete(id: string, options?: WriteOptions): Promise<void>;
  /** One page of matching records. @throws `QueryError` naming the path of a bad query. */
  find(query?: FindQuery): Promise<FindResult<T>>;
  /** How many records match. */
  count(where?: Filter, options?: CallOptions & { includeArchived?: boolean }): Promise<number>;
  /** A live query; see {@link LiveQuery}. */
  watch(query?: FindQuery, listener?: (snapshot: Snapshot<T>) => void): LiveQuery<T>;
}
