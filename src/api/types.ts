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
export type CustomInput<Custom> = {} extends Custom
  ? {
      /** The record's custom field values (optional: none of its custom fields is required). */
      custom?: Custom;
    }
  : {
      /** The record's custom field values (required: at least one custom field is required). */
      custom: Custom;
    };

/**
 * What a caller passes to `create`: the entity's fields (those in `Required` must be given),
 * an optional client-generated `id`, ownership, `externalId`, and custom fields.
 */
export type EntityInput<
  T extends RecordBase & {
    /** The record's custom field values. */
    custom: unknown;
  },
  Required extends keyof T,
> = Partial<
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
   *
   * @example
   * ```ts
   * const ada = await crm.customers.create({ name: 'Ada Lovelace', emails: [{ address: 'ada@example.com' }] });
   * ```
   * @throws `ValidationError` with field paths (nothing stored), `ConflictError` when the id is taken,
   * `ConstraintError` for a taken `externalId` or a missing referenced record, `PermissionError`.
   */
  create(input: Input, options?: CallOptions): Promise<T>;
  /**
   * Create several records atomically: one invalid record → nothing stored (issue paths start with its index).
   *
   * @example
   * ```ts
   * const [ada, grace] = await crm.customers.createMany([{ name: 'Ada' }, { name: 'Grace' }]);
   * ```
   */
  createMany(inputs: readonly Input[], options?: CallOptions): Promise<T[]>;
  /**
   * One record by id.
   *
   * @example
   * ```ts
   * const customer = await crm.customers.get(id);
   * ```
   * @throws `NotFoundError`, `PermissionError` outside the actor's scope.
   */
  get(id: string, options?: CallOptions): Promise<T>;
  /**
   * Records by id, in the order asked; `undefined` for missing ones (and ones outside the actor's scope).
   *
   * @example
   * ```ts
   * const [first, second] = await crm.customers.getMany([firstId, secondId]);
   * ```
   */
  getMany(ids: readonly string[], options?: CallOptions): Promise<(T | undefined)[]>;
  /**
   * Apply a JSON Merge Patch (objects merge, arrays replace, `null` removes).
   *
   * @example
   * ```ts
   * await crm.customers.update(ada.id, { tier: 'vip', notes: null }, { expectedVersion: ada.version });
   * ```
   * @throws `ConflictError` when `expectedVersion` is stale, `ValidationError`, `NotFoundError`.
   */
  update(id: string, patch: MergePatch<Input>, options?: WriteOptions): Promise<T>;
  /**
   * Patch several records atomically.
   *
   * @example
   * ```ts
   * await crm.customers.updateMany([{ id: ada.id, patch: { tier: 'vip' } }, { id: grace.id, patch: { tier: 'gold' } }]);
   * ```
   */
  updateMany(items: readonly UpdateItem<Input>[], options?: CallOptions): Promise<T[]>;
  /**
   * Create, or patch the record with the same `externalId`.
   *
   * @example
   * ```ts
   * const { record, created } = await crm.customers.upsert({ externalId: 'erp-1042', name: 'Acme' });
   * ```
   */
  upsert(
    input: Input & {
      /** The id in the other system that finds the record to patch. */
      externalId: string;
    },
    options?: CallOptions,
  ): Promise<{
    /** The record after the write. */
    record: T;
    /** Whether it was created (`false`: an existing record was patched). */
    created: boolean;
  }>;
  /**
   * Archive: kept, but left out of `find` unless `includeArchived`.
   *
   * @example
   * ```ts
   * await crm.customers.archive(ada.id);
   * ```
   */
  archive(id: string, options?: WriteOptions): Promise<T>;
  /**
   * Undo an archive.
   *
   * @example
   * ```ts
   * await crm.customers.restore(ada.id);
   * ```
   */
  restore(id: string, options?: WriteOptions): Promise<T>;
  /**
   * Delete for good.
   *
   * @example
   * ```ts
   * await crm.customers.delete(ada.id);
   * ```
   * @throws `ConstraintError` while other records point to it.
   */
  delete(id: string, options?: WriteOptions): Promise<void>;
  /**
   * One page of matching records.
   *
   * @example
   * ```ts
   * const { items, nextCursor } = await crm.customers.find({
   *   where: { field: 'tier', op: 'eq', value: 'vip' },
   *   orderBy: [{ field: 'name' }],
   *   limit: 20,
   * });
   * ```
   * @throws `QueryError` naming the path of a bad query.
   */
  find(query?: FindQuery): Promise<FindResult<T>>;
  /**
   * How many records match.
   *
   * @example
   * ```ts
   * const leads = await crm.customers.count({ field: 'lifecycle', op: 'eq', value: 'lead' });
   * ```
   */
  count(where?: Filter, options?: CallOptions & { includeArchived?: boolean }): Promise<number>;
  /**
   * A live query; see {@link LiveQuery}.
   *
   * @example
   * ```ts
   * const live = crm.customers.watch({ where: { field: 'tier', op: 'eq', value: 'vip' } }, (s) => render(s.items));
   * // later
   * live();
   * ```
   */
  watch(query?: FindQuery, listener?: (snapshot: Snapshot<T>) => void): LiveQuery<T>;
}
