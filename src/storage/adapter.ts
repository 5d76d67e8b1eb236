/**
 * The storage contract. A storage adapter stores and finds already-valid records: it knows
 * collections and indexes, never customers, and it never validates, authorizes or emits —
 * the engine does that, once.
 *
 * @module
 */
import type { Filter, StorageQuery } from '../query/types';

/** A record as stored: plain JSON with an `id` and a `version`. */
export interface StoredRecord {
  /** Client-generated, sortable id. */
  id: string;
  /** Starts at 1, +1 per write. */
  version: number;
  /** Any other fields. */
  [field: string]: unknown;
}

/**
 * An index the engine declares on a collection.
 *
 * Index keys are strings and numbers (a compound key: one of those per field), as in
 * IndexedDB. A record whose key holds anything else (missing, `null`, a boolean, an object)
 * is simply not in that index; the engine materializes a flat derived field where it needs
 * such values indexed. So an adapter may answer from an index only the conditions that can
 * match nothing but strings and numbers (`eq`/`in` with string or number values, ranges,
 * `startsWith`, `has`/`hasAny` on a `multiEntry` index), and may read records in index order
 * only when every candidate record is in the index (e.g. the filter bounds the field, or the
 * index holds as many records as the collection). Everything else falls back to the
 * reference evaluator.
 *
 * @example
 * ```ts
 * const byTier: IndexSpec = { name: 'tier_createdAt', fields: ['tier', 'createdAt'] };
 * const byTag: IndexSpec = { name: 'tags', fields: ['tags'], multiEntry: true };
 * const byExternalId: IndexSpec = { name: 'externalId', fields: ['externalId'], unique: true };
 * ```
 */
export interface IndexSpec {
  /** Unique within the collection. */
  name: string;
  /**
   * One field, or several for a compound index. Fields are paths into objects (never through
   * arrays, except the one field of a `multiEntry` index, which is an array of scalars).
   */
  fields: string[];
  /**
   * No two records may share a key. Records lacking the field (missing or `null`) are not
   * held to it.
   * @defaultValue false
   */
  unique?: boolean;
  /**
   * The (single) field holds an array and every element is a key.
   * @defaultValue false
   */
  multiEntry?: boolean;
}

/** One collection's declaration. */
export interface CollectionSpec {
  /** Secondary indexes; `id` is always the primary key and needs no declaration. */
  indexes: IndexSpec[];
}

/** What the engine declares when it opens a storage. */
export interface StorageSchema {
  /**
   * The application's schema version. An adapter that persists data refuses to open a
   * database written by a newer version.
   * @defaultValue 1
   */
  version?: number;
  /** Collections by name. */
  collections: Record<string, CollectionSpec>;
}

/**
 * One operation of an atomic write batch. Operations apply in order, each seeing the ones
 * before it (a record inserted earlier in the batch may be updated later in it), and unique
 * indexes are checked after each operation, as an IndexedDB transaction does.
 *
 * - `insert`: the id must be free, else {@link ConflictError} (expected 0, actual the stored version).
 * - `update`: replaces the stored record; it must exist ({@link NotFoundError} otherwise, or a
 *   {@link ConflictError} with actual 0 when `expectedVersion` was given).
 * - `delete`: removes the record and leaves a tombstone in the change feed.
 *
 * `expectedVersion`, where given, must equal the stored version or the whole batch fails
 * with {@link ConflictError}.
 */
export type WriteOp =
  | {
      /** Add a new record. */
      type: 'insert';
      /** The collection to write to. */
      collection: string;
      /** The record to store, its `id` and `version` included. */
      record: StoredRecord;
    }
  | {
      /** Replace a stored record. */
      type: 'update';
      /** The collection to write to. */
      collection: string;
      /** The record's new state, its `id` and `version` included. */
      record: StoredRecord;
      /** The version the stored record must have. */
      expectedVersion?: number | undefined;
    }
  | {
      /** Remove a record. */
      type: 'delete';
      /** The collection to write to. */
      collection: string;
      /** The id of the record to remove. */
      id: string;
      /** The version the stored record must have. */
      expectedVersion?: number | undefined;
    };

/** One committed change, as the change feed and subscribers see it. */
export interface Change {
  /** Monotonic sequence number assigned at commit. */
  seq: number;
  /** The collection. */
  collection: string;
  /** The record's id. */
  id: string;
  /** `put` for an insert or update, `delete` for a tombstone. */
  type: 'put' | 'delete';
  /** The record's version after the change (the deleted version for a tombstone). */
  version: number;
}

/** What a committed write returns. */
export interface WriteResult {
  /** The changes the batch made, in order, with their `seq`. */
  changes: Change[];
}

/** A page of the change feed. */
export interface ChangesPage {
  /** Changes with `seq` greater than the checkpoint, in `seq` order. */
  changes: Change[];
  /** The checkpoint to pass next time: the `seq` of the last change returned, or `sinceSeq` when none was. */
  lastSeq: number;
}

/** How an adapter answered a query, for tests and tuning. */
export interface QueryPlan {
  /** The index used (several joined by `,` for a union), or `null` for a full scan or the primary key. */
  index: string | null;
  /** How the index was used. */
  strategy: 'full-scan' | 'primary-key' | 'index-equality' | 'index-range' | 'index-order' | 'index-union';
  /** Records read from storage and tested against the filter. */
  rowsExamined: number;
  /** Records returned. */
  rowsReturned: number;
  /** Whether the rows were sorted after reading (as opposed to read in order). */
  sorted: boolean;
}

/** One metric of an aggregation. */
export type Metric =
  | {
      /** The key of the result in each row's `values`. */
      name: string;
      /** Count the records of the group. */
      op: 'count';
    }
  | {
      /** The key of the result in each row's `values`. */
      name: string;
      /** Sum, average, minimum or maximum of a numeric field. */
      op: 'sum' | 'avg' | 'min' | 'max';
      /** The field path whose numbers are combined (other values are skipped). */
      field: string;
    }
  | {
      /** The key of the result in each row's `values`. */
      name: string;
      /** A percentile of a numeric field, interpolated between closest ranks. */
      op: 'percentile';
      /** The field path whose numbers are ranked (other values are skipped). */
      field: string;
      /** Which percentile, from 0 to 1 (`0.5` is the median). */
      p: number;
    };

/** The calendar units a {@link TimeBucket} cuts time into. */
export type TimeBucketUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';

/**
 * A group key that puts the instant a date field holds into the calendar day, week, month,
 * quarter or year it falls in, in a time zone (a SQL adapter pushes it down to
 * `date_trunc(unit, field AT TIME ZONE tz)`). So a report cut into periods is one
 * aggregate, not one per period.
 *
 * The group value is the bucket's first instant, as a fixed-format ISO 8601 UTC string
 * (`2024-03-31T21:00:00.000Z` for April 2024 in `Europe/Istanbul`), so buckets sort in time
 * order and equal the `start` of the matching report period. Days begin at local midnight
 * (where a daylight-saving change skips midnight, at the first instant after the gap);
 * weeks begin on Monday (ISO 8601); quarters in January, April, July and October. The
 * value is `null` when the field holds no ISO 8601 date-time (missing, `null`, another
 * type, or a string that is no valid date-time with a zone designator such as `Z`).
 *
 * @example
 * ```ts
 * const byMonth: TimeBucket = { field: 'closedAt', bucket: 'month', timeZone: 'Europe/Istanbul', name: 'month' };
 * // rows: [{ group: { month: '2024-03-31T21:00:00.000Z', … }, values: … }, …]
 * ```
 */
export interface TimeBucket {
  /** The field path holding the instant. */
  field: string;
  /** The calendar unit. */
  bucket: TimeBucketUnit;
  /** The IANA time zone whose calendar the buckets follow. @defaultValue `'UTC'` */
  timeZone?: string | undefined;
  /** The key of the bucket in each row's `group`; must differ from every other group key. @defaultValue `field` */
  name?: string | undefined;
}

/** One entry of `groupBy`: a field path (grouped by its value) or a {@link TimeBucket}. */
export type GroupKey = string | TimeBucket;

/**
 * A group-by query for reports. An adapter's native `aggregate` validates it as the
 * reference does (`validateAggregation`): a malformed one is a `QueryError` naming the path.
 */
export interface Aggregation {
  /** Only records that match. */
  where?: Filter | undefined;
  /** Fields (or time buckets of date fields) to group by (none: one row for everything). At most 16. */
  groupBy?: GroupKey[] | undefined;
  /** What to compute per group; names are unique. */
  metrics: Metric[];
}

/** One row of an aggregation. */
export interface AggregateRow {
  /** The group's values, by field (a time bucket's by its `name`, else its field). */
  group: Record<string, unknown>;
  /** Each metric by name: `null` where no record had a number to add. */
  values: Record<string, number | null>;
}

/** What an adapter can do natively. */
export interface StorageCapabilities {
  /** Data survives a restart. */
  persistent: boolean;
  /** Changes made elsewhere (another connection, tab or process on the same data) reach `subscribe`; commits through this adapter always do. */
  liveChanges: boolean;
  /** `aggregate` is implemented natively. */
  aggregate: boolean;
}

/**
 * A storage adapter: a plain object made by a factory such as `memoryAdapter()`.
 *
 * @example
 * ```ts
 * import { memoryAdapter } from 'rapport/memory';
 * const storage: StorageAdapter = memoryAdapter();
 * await storage.open({ collections: { notes: { indexes: [] } } });
 * await storage.write([{ type: 'insert', collection: 'notes', record: { id: 'n1', version: 1 } }]);
 * ```
 */
export interface StorageAdapter {
  /** The adapter's name, e.g. `memory`. */
  readonly name: string;
  /** What it can do natively. */
  readonly capabilities: StorageCapabilities;
  /**
   * Create or migrate collections and indexes. Called before anything else, and once per
   * engine sharing the adapter object: later calls keep the data and add what is new.
   * @example
   * ```ts
   * await storage.open({ version: 1, collections: { notes: { indexes: [{ name: 'author', fields: ['author'] }] } } });
   * ```
   */
  open(schema: StorageSchema): Promise<void>;
  /**
   * Records by id, in the order asked; `undefined` where none. Always copies.
   * @example
   * ```ts
   * const [n1, missing] = await storage.get('notes', ['n1', 'n404']); // missing === undefined
   * ```
   */
  get(collection: string, ids: readonly string[]): Promise<(StoredRecord | undefined)[]>;
  /**
   * One page of records matching a query, ordered (always ending with `id`), after the cursor.
   * @example
   * ```ts
   * const query: StorageQuery = { where: { field: 'author', op: 'eq', value: 'ada' }, orderBy: [{ field: 'id' }], limit: 20 };
   * const first = await storage.query('notes', query);
   * const next = first.nextCursor ? await storage.query('notes', { ...query, cursor: first.nextCursor }) : undefined;
   * ```
   * @throws {@link QueryError} for a cursor of another query.
   */
  query(
    collection: string,
    query: StorageQuery,
  ): Promise<{
    /** The records of this page. */
    items: StoredRecord[];
    /** Pass as `cursor` to get the next page; absent on the last page. */
    nextCursor?: string;
  }>;
  /**
   * How many records match.
   * @example
   * ```ts
   * const byAda = await storage.count('notes', { field: 'author', op: 'eq', value: 'ada' });
   * ```
   */
  count(collection: string, where?: Filter): Promise<number>;
  /**
   * Commit a batch atomically: all operations land or none.
   * @example
   * ```ts
   * const { changes } = await storage.write([
   *   { type: 'insert', collection: 'notes', record: { id: 'n2', version: 1, author: 'ada' } },
   *   { type: 'update', collection: 'notes', record: { id: 'n1', version: 2, author: 'grace' }, expectedVersion: 1 },
   * ]);
   * ```
   * @throws {@link ConflictError} on a version mismatch, {@link ConstraintError} on a unique
   * value taken, {@link NotFoundError} for an update or delete of a missing record,
   * {@link StorageError} when the storage itself fails.
   */
  write(batch: readonly WriteOp[]): Promise<WriteResult>;
  /**
   * Changes after a checkpoint. A feed may be compacted, but it always returns at least the
   * latest change of every record changed after `sinceSeq` (tombstones included).
   * @example
   * ```ts
   * let checkpoint = 0;
   * const page = await storage.changes(checkpoint, 500);
   * checkpoint = page.lastSeq;
   * ```
   */
  changes(sinceSeq: number, limit?: number): Promise<ChangesPage>;
  /**
   * Listen to committed changes (from this and, where `liveChanges`, other connections). Returns the unsubscribe function.
   * @example
   * ```ts
   * const unsubscribe = storage.subscribe((changes) => console.log(changes.map((c) => `${c.collection}/${c.id}@${c.seq}`)));
   * unsubscribe();
   * ```
   */
  subscribe(listener: (changes: readonly Change[]) => void): () => void;
  /**
   * Run a query and report how it was answered.
   * @example
   * ```ts
   * const plan = await storage.explain('notes', { where: { field: 'author', op: 'eq', value: 'ada' } });
   * // e.g. { index: 'author', strategy: 'index-equality', rowsExamined: 1, rowsReturned: 1, sorted: false }
   * ```
   */
  explain(collection: string, query: StorageQuery): Promise<QueryPlan>;
  /**
   * Native aggregation; where absent, the engine's reference implementation scans. Records may
   * be visited in any order: counts, integer sums, min, max and percentiles are exact; sums of
   * fractions may differ from the reference in their last bits, as between any two databases.
   * @example
   * ```ts
   * const rows = await storage.aggregate?.('deals', {
   *   where: { field: 'status', op: 'eq', value: 'open' },
   *   groupBy: ['stageId'],
   *   metrics: [{ name: 'deals', op: 'count' }, { name: 'value', op: 'sum', field: 'value.amount' }],
   * });
   * ```
   */
  aggregate?(collection: string, aggregation: Aggregation): Promise<AggregateRow[]>;
  /**
   * Release resources. Closes count: an adapter opened by several engines stays usable until each has closed it.
   * @example
   * ```ts
   * await storage.close();
   * ```
   */
  close(): Promise<void>;
}

/**
 * A factory for an adapter, in the style of every rapport adapter.
 * @typeParam Options - the factory's options.
 */
export type StorageAdapterFactory<Options = void> = (options: Options) => StorageAdapter;
