/**
 * The error hierarchy. Every error rapport throws is a {@link CrmError} with a literal
 * `name` and a machine-readable `code`; type guards check `name`, so they work across
 * realms (iframes, workers, two copies of the package) where `instanceof` does not.
 *
 * @module
 */

/** Machine-readable error codes, one per subclass. */
export type CrmErrorCode =
  | 'validation_failed'
  | 'invalid_query'
  | 'not_found'
  | 'version_conflict'
  | 'constraint_violated'
  | 'invalid_transition'
  | 'forbidden'
  | 'storage_failed'
  | 'http_failed'
  | 'internal';

/** Context every error may carry: where it happened. */
export interface CrmErrorContext {
  /** The collection involved, e.g. `customers`. */
  collection?: string | undefined;
  /** The id of the record involved. */
  recordId?: string | undefined;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The base class of every error rapport throws.
 *
 * @example
 * ```ts
 * try { await crm.customers.get(id); }
 * catch (e) { if (isCrmError(e)) console.log(e.code, e.message); }
 * ```
 */
export class CrmError extends Error {
  /** The error's class name, which the `is…` guards check so they work across realms. */
  override readonly name: string = 'CrmError';
  /** Machine-readable code, stable across versions. */
  readonly code: CrmErrorCode;
  /** The collection involved, when known. */
  readonly collection: string | undefined;
  /** The record involved, when known. */
  readonly recordId: string | undefined;

  /**
   * @param message - a sentence a user can act on.
   * @param code - the machine-readable code.
   * @param context - collection, record and cause.
   */
  constructor(message: string, code: CrmErrorCode = 'internal', context: CrmErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.collection = context.collection;
    this.recordId = context.recordId;
  }

  /** A plain-JSON view of the error (used by the HTTP protocol's problem+json bodies). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    if (this.collection !== undefined) out['collection'] = this.collection;
    if (this.recordId !== undefined) out['recordId'] = this.recordId;
    return out;
  }
}

/** One problem found while validating input. */
export interface ValidationIssue {
  /** Path to the offending value, e.g. `['emails', 0, 'address']`. */
  path: (string | number)[];
  /** What is wrong, as a sentence. */
  message: string;
  /** A short machine-readable code, e.g. `invalid_type`, `too_small`, `unrecognized_keys`. */
  code: string;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/**
 * Input that does not match a schema. Nothing was stored.
 *
 * @example
 * ```ts
 * catch (e) { if (isValidationError(e)) for (const i of e.issues) console.log(i.path, i.message); }
 * ```
 */
export class ValidationError extends CrmError {
  /** Always `'ValidationError'`; `isValidationError` checks it, so the guard works across realms. */
  override readonly name = 'ValidationError' as const;
  /** Every problem found, each with its path. */
  readonly issues: ValidationIssue[];

  /**
   * @param issues - the problems found, at least one.
   * @param context - collection, record and cause.
   */
  constructor(issues: ValidationIssue[], context: CrmErrorContext = {}) {
    const first = issues[0];
    const what = context.collection === undefined ? 'input' : `${singular(context.collection)} record`;
    const head = first === undefined ? `invalid ${what}` : `invalid ${what}: ${formatPath(first.path)}: ${first.message}`;
    super(issues.length > 1 ? `${head} (and ${issues.length - 1} more)` : head, 'validation_failed', context);
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/**
 * A query that is malformed: an unknown operator, a wrong value type, a cursor from another
 * query. `path` points into the query object.
 *
 * @example
 * ```ts
 * catch (e) { if (isQueryError(e)) console.log(e.path); } // e.g. ['where', 'and', 1, 'op']
 * ```
 */
export class QueryError extends CrmError {
  /** Always `'QueryError'`; `isQueryError` checks it, so the guard works across realms. */
  override readonly name = 'QueryError' as const;
  /** Path into the query where the problem is. */
  readonly path: (string | number)[];

  /**
   * @param message - what is wrong.
   * @param path - where in the query.
   * @param context - collection and cause.
   */
  constructor(message: string, path: (string | number)[] = [], context: CrmErrorContext = {}) {
    super(path.length ? `invalid query at ${formatPath(path)}: ${message}` : `invalid query: ${message}`, 'invalid_query', context);
    this.path = path;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), path: this.path };
  }
}

/**
 * A record that does not exist (or that the actor may not know exists).
 *
 * @example
 * ```ts
 * catch (e) { if (isNotFoundError(e)) console.log(e.collection, e.recordId); }
 * ```
 */
export class NotFoundError extends CrmError {
  /** Always `'NotFoundError'`; `isNotFoundError` checks it, so the guard works across realms. */
  override readonly name = 'NotFoundError' as const;

  /**
   * @param collection - where it was looked for.
   * @param recordId - the id looked for.
   * @param context - cause.
   */
  constructor(collection: string, recordId: string, context: Omit<CrmErrorContext, 'collection' | 'recordId'> = {}) {
    super(`${singular(collection)} ${recordId} not found`, 'not_found', { ...context, collection, recordId });
  }
}

/**
 * A write whose `expectedVersion` does not match the stored version. `actualVersion` is `0`
 * when the record does not exist, and `expectedVersion` is `0` for a create that found the
 * id taken.
 *
 * @example
 * ```ts
 * catch (e) { if (isConflictError(e)) retryFrom(e.actualVersion); }
 * ```
 */
export class ConflictError extends CrmError {
  /** Always `'ConflictError'`; `isConflictError` checks it, so the guard works across realms. */
  override readonly name = 'ConflictError' as const;
  /** The version the writer expected. */
  readonly expectedVersion: number;
  /** The version that is stored (0: none). */
  readonly actualVersion: number;

  /**
   * @param collection - the record's collection.
   * @param recordId - the record's id.
   * @param expectedVersion - what the writer expected (0: that no record existed).
   * @param actualVersion - what is stored (0: no record).
   * @param context - cause.
   */
  constructor(
    collection: string,
    recordId: string,
    expectedVersion: number,
    actualVersion: number,
    context: Omit<CrmErrorContext, 'collection' | 'recordId'> = {},
  ) {
    const name = singular(collection);
    const message =
      expectedVersion === 0
        ? `${name} ${recordId} already exists (version ${actualVersion})`
        : actualVersion === 0
          ? `expected version ${expectedVersion} of ${name} ${recordId}, found none`
          : `expected version ${expectedVersion} of ${name} ${recordId}, found ${actualVersion}`;
    super(message, 'version_conflict', { ...context, collection, recordId });
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), expectedVersion: this.expectedVersion, actualVersion: this.actualVersion };
  }
}

/** Why a {@link ConstraintError} was raised. */
export type ConstraintKind = 'unique' | 'referenced' | 'reference_missing' | 'blocked' | 'duplicate';

/**
 * A constraint that the write would break: a unique value already taken, a delete refused
 * while other records point to the record, a reference to a record that does not exist.
 *
 * @example
 * ```ts
 * catch (e) { if (isConstraintError(e) && e.constraint === 'unique') console.log(e.fields); }
 * ```
 */
export class ConstraintError extends CrmError {
  /** Always `'ConstraintError'`; `isConstraintError` checks it, so the guard works across realms. */
  override readonly name = 'ConstraintError' as const;
  /** Which kind of constraint. */
  readonly constraint: ConstraintKind;
  /** The index or relation involved, e.g. `externalId` or `deals.customerId`. */
  readonly index: string | undefined;
  /** The fields involved. */
  readonly fields: string[];
  /** Ids of the records in the way (the holder of a unique value, the referencing records). */
  readonly conflictingIds: string[];

  /**
   * @param message - what is wrong.
   * @param details - which constraint, fields and records.
   * @param context - collection, record and cause.
   */
  constructor(
    message: string,
    details: { constraint: ConstraintKind; index?: string; fields?: string[]; conflictingIds?: string[] },
    context: CrmErrorContext = {},
  ) {
    super(message, 'constraint_violated', context);
    this.constraint = details.constraint;
    this.index = details.index;
    this.fields = details.fields ?? [];
    this.conflictingIds = details.conflictingIds ?? [];
  }

  override toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      ...super.toJSON(),
      constraint: this.constraint,
      fields: this.fields,
      conflictingIds: this.conflictingIds,
    };
    if (this.index !== undefined) out['index'] = this.index;
    return out;
  }
}

/**
 * A state change the entity's state machine forbids, naming both states.
 *
 * @example
 * ```ts
 * catch (e) { if (isTransitionError(e)) console.log(`${e.from} → ${e.to} is not allowed`); }
 * ```
 */
export class TransitionError extends CrmError {
  /** Always `'TransitionError'`; `isTransitionError` checks it, so the guard works across realms. */
  override readonly name = 'TransitionError' as const;
  /** The current state. */
  readonly from: string;
  /** The state asked for. */
  readonly to: string;

  /**
   * @param from - the current state.
   * @param to - the requested state.
   * @param context - collection, record and cause.
   */
  constructor(from: string, to: string, context: CrmErrorContext = {}) {
    const subject = context.collection && context.recordId ? `${singular(context.collection)} ${context.recordId}: ` : '';
    super(`${subject}cannot go from ${from} to ${to}`, 'invalid_transition', context);
    this.from = from;
    this.to = to;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), from: this.from, to: this.to };
  }
}

/**
 * An action the actor's roles do not allow. Nothing changed but the denial's audit entry.
 *
 * @example
 * ```ts
 * catch (e) { if (isPermissionError(e)) console.log(e.actorId, e.action, e.reason); }
 * ```
 */
export class PermissionError extends CrmError {
  /** Always `'PermissionError'`; `isPermissionError` checks it, so the guard works across realms. */
  override readonly name = 'PermissionError' as const;
  /** Who tried. */
  readonly actorId: string;
  /** What they tried, e.g. `update`. */
  readonly action: string;
  /** Why it was refused. */
  readonly reason: string;

  /**
   * @param details - actor, action and reason.
   * @param context - collection, record and cause.
   */
  constructor(details: { actorId: string; action: string; reason: string }, context: CrmErrorContext = {}) {
    const target = context.collection
      ? ` ${context.recordId ? `${singular(context.collection)} ${context.recordId}` : context.collection}`
      : '';
    super(`${details.actorId} may not ${details.action}${target}: ${details.reason}`, 'forbidden', context);
    this.actorId = details.actorId;
    this.action = details.action;
    this.reason = details.reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), actorId: this.actorId, action: this.action, reason: this.reason };
  }
}

/**
 * The storage failed: a quota exceeded, a database that could not be opened or upgraded,
 * a transaction aborted for a reason of its own. `cause` holds the platform's error.
 *
 * @example
 * ```ts
 * catch (e) { if (isStorageError(e)) console.error(e.message, e.cause); }
 * ```
 */
export class StorageError extends CrmError {
  /** Always `'StorageError'`; `isStorageError` checks it, so the guard works across realms. */
  override readonly name = 'StorageError' as const;

  /**
   * @param message - what failed.
   * @param context - collection, record and cause.
   */
  constructor(message: string, context: CrmErrorContext = {}) {
    super(message, 'storage_failed', context);
  }
}

/**
 * An HTTP exchange that failed without a rapport error in its body: a network failure, a
 * timeout, a 5xx without problem+json. `retryable` says whether trying again may help.
 *
 * @example
 * ```ts
 * catch (e) { if (isHttpError(e) && e.retryable) scheduleRetry(); }
 * ```
 */
export class HttpError extends CrmError {
  /** Always `'HttpError'`; `isHttpError` checks it, so the guard works across realms. */
  override readonly name = 'HttpError' as const;
  /** The HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** Whether the same request may succeed if tried again. */
  readonly retryable: boolean;

  /**
   * @param message - what failed.
   * @param details - status and whether a retry may help.
   * @param context - collection, record and cause.
   */
  constructor(message: string, details: { status: number; retryable: boolean }, context: CrmErrorContext = {}) {
    super(message, 'http_failed', context);
    this.status = details.status;
    this.retryable = details.retryable;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, retryable: this.retryable };
  }
}

/** Every error class by its `name`, for rebuilding errors that crossed a boundary. */
export type CrmErrorName =
  | 'CrmError'
  | 'ValidationError'
  | 'QueryError'
  | 'NotFoundError'
  | 'ConflictError'
  | 'ConstraintError'
  | 'TransitionError'
  | 'PermissionError'
  | 'StorageError'
  | 'HttpError';

const NAMES: ReadonlySet<string> = new Set<CrmErrorName>([
  'CrmError',
  'ValidationError',
  'QueryError',
  'NotFoundError',
  'ConflictError',
  'ConstraintError',
  'TransitionError',
  'PermissionError',
  'StorageError',
  'HttpError',
]);

function hasName(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === name;
}

/**
 * Whether `value` is any rapport error (by name, so across realms).
 * @example
 * ```ts
 * if (isCrmError(e)) console.log(e.code);
 * ```
 */
export function isCrmError(value: unknown): value is CrmError {
  return (
    typeof value === 'object' &&
    value !== null &&
    NAMES.has(String((value as { name?: unknown }).name)) &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
/**
 * Whether `value` is a {@link ValidationError}.
 * @example
 * ```ts
 * if (isValidationError(e)) console.log(e.issues);
 * ```
 */
export const isValidationError = (value: unknown): value is ValidationError => hasName(value, 'ValidationError');
/**
 * Whether `value` is a {@link QueryError}.
 * @example
 * ```ts
 * if (isQueryError(e)) console.log(e.path);
 * ```
 */
export const isQueryError = (value: unknown): value is QueryError => hasName(value, 'QueryError');
/**
 * Whether `value` is a {@link NotFoundError}.
 * @example
 * ```ts
 * if (isNotFoundError(e)) console.log(e.recordId);
 * ```
 */
export const isNotFoundError = (value: unknown): value is NotFoundError => hasName(value, 'NotFoundError');
/**
 * Whether `value` is a {@link ConflictError}.
 * @example
 * ```ts
 * if (isConflictError(e)) console.log(e.expectedVersion, e.actualVersion);
 * ```
 */
export const isConflictError = (value: unknown): value is ConflictError => hasName(value, 'ConflictError');
/**
 * Whether `value` is a {@link ConstraintError}.
 * @example
 * ```ts
 * if (isConstraintError(e)) console.log(e.constraint, e.conflictingIds);
 * ```
 */
export const isConstraintError = (value: unknown): value is ConstraintError => hasName(value, 'ConstraintError');
/**
 * Whether `value` is a {@link TransitionError}.
 * @example
 * ```ts
 * if (isTransitionError(e)) console.log(e.from, e.to);
 * ```
 */
export const isTransitionError = (value: unknown): value is TransitionError => hasName(value, 'TransitionError');
/**
 * Whether `value` is a {@link PermissionError}.
 * @example
 * ```ts
 * if (isPermissionError(e)) console.log(e.reason);
 * ```
 */
export const isPermissionError = (value: unknown): value is PermissionError => hasName(value, 'PermissionError');
/**
 * Whether `value` is a {@link StorageError}.
 * @example
 * ```ts
 * if (isStorageError(e)) console.error(e.cause);
 * ```
 */
export const isStorageError = (value: unknown): value is StorageError => hasName(value, 'StorageError');
/**
 * Whether `value` is an {@link HttpError}.
 * @example
 * ```ts
 * if (isHttpError(e)) console.log(e.status, e.retryable);
 * ```
 */
export const isHttpError = (value: unknown): value is HttpError => hasName(value, 'HttpError');

/** `customers` → `customer`, for messages. */
function singular(collection: string): string {
  if (collection.endsWith('ies')) return `${collection.slice(0, -3)}y`;
  if (collection.endsWith('s')) return collection.slice(0, -1);
  return collection;
}

/**
 * Rebuild an error from its JSON form (as `toJSON` wrote it, e.g. in a problem+json body) as
 * the same class, with the same fields. Unknown names become a plain {@link CrmError}.
 *
 * @example
 * ```ts
 * const error = errorFromJSON(await response.json()); // e.g. a ConflictError
 * ```
 */
export function errorFromJSON(json: unknown): CrmError {
  const j = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const context: CrmErrorContext = { collection: str(j['collection']), recordId: str(j['recordId']) };
  const message = str(j['message']) ?? str(j['detail']) ?? 'request failed';
  let error: CrmError;
  switch (j['name']) {
    case 'ValidationError':
      error = new ValidationError(Array.isArray(j['issues']) ? (j['issues'] as ValidationIssue[]) : [], context);
      break;
    case 'QueryError':
      error = new QueryError('', Array.isArray(j['path']) ? (j['path'] as (string | number)[]) : [], context);
      break;
    case 'NotFoundError':
      error = new NotFoundError(context.collection ?? 'record', context.recordId ?? '');
      break;
    case 'ConflictError':
      error = new ConflictError(context.collection ?? 'record', context.recordId ?? '', num(j['expectedVersion']), num(j['actualVersion']));
      break;
    case 'ConstraintError':
      error = new ConstraintError(
        message,
        { constraint: (str(j['constraint']) ?? 'unique') as ConstraintKind, ...(str(j['index']) ? { index: str(j['index']) as string } : {}), fields: strs(j['fields']), conflictingIds: strs(j['conflictingIds']) },
        context,
      );
      break;
    case 'TransitionError':
      error = new TransitionError(str(j['from']) ?? '', str(j['to']) ?? '', context);
      break;
    case 'PermissionError':
      error = new PermissionError({ actorId: str(j['actorId']) ?? '', action: str(j['action']) ?? '', reason: str(j['reason']) ?? '' }, context);
      break;
    case 'StorageError':
      error = new StorageError(message, context);
      break;
    case 'HttpError':
      error = new HttpError(message, { status: num(j['status']), retryable: j['retryable'] === true }, context);
      break;
    default:
      error = new CrmError(message, (str(j['code']) ?? 'internal') as CrmErrorCode, context);
  }
  // Keep the server's exact wording.
  if (str(j['message'])) error.message = message;
  return error;
}
