/**
 * The wire format shared by `rapport/http` (the client) and `rapport/http/server`: paths,
 * headers, the bodies of each request and response, and which verbs may cross. The prose
 * version is `docs/http-protocol.md`; the machine-readable one is `docs/openapi.json`.
 *
 * @module
 */
import type { Actor } from '../../src/engine/types';
import type { Filter } from '../../src/query/types';
import type { Action } from '../../src/permissions/policy';
import type { CustomFieldDefinition } from '../../src/engine/custom-fields';

/** The protocol's version segment; every path starts with the base path, `/v1` by default. */
export const PROTOCOL_VERSION = 'v1';

/** Headers the protocol gives a meaning to. */
export const HEADERS = {
  idempotencyKey: 'idempotency-key',
  replayed: 'idempotent-replayed',
  ifMatch: 'if-match',
  ifNoneMatch: 'if-none-match',
  etag: 'etag',
  retryAfter: 'retry-after',
} as const;

/** The media type of error bodies (RFC 9457). */
export const PROBLEM_JSON = 'application/problem+json';

/** Body of `POST /v1/:collection/:verb`: the verb's arguments, in order. */
export interface CallRequest {
  /** Positional arguments; a top-level `null` stands for an absent (`undefined`) argument. */
  args: unknown[];
}

/** One event a server delivers, with the id clients use to drop duplicates. */
export interface EventEnvelope {
  /** Unique per server process: the same event has the same id in a response and on the stream. */
  id: string;
  /** The event as `crm.on()` delivers it, filtered and masked for the actor. */
  event: {
    /** The event's name, e.g. `customer.created`. */
    type: string;
    [key: string]: unknown;
  };
}

/** Response of a forwarded call (and of a committed batch). */
export interface CallResponse<T = unknown> {
  /** What the verb returned (`null` for `void`). */
  result: T;
  /** The events the call caused, as the actor may see them, in order. */
  events: EventEnvelope[];
}

/** One call of a batch. */
export interface BatchCall {
  /** The collection, e.g. `customers`. */
  collection: string;
  /** The verb, e.g. `create`. */
  verb: string;
  /** Its arguments, as in {@link CallRequest}. */
  args: unknown[];
  /**
   * The record versions its result had in the client's dry run (see `resultVersions`).
   * When the committed call's result differs, what the batch read has changed underneath:
   * the commit is refused (409) so the client can run its batch function again.
   */
  versions?: number[];
}

/** The versions of the records a call returned (a record, a list of them, or `{ record }`). */
export function resultVersions(result: unknown): number[] {
  const of = (r: unknown): number[] => {
    if (typeof r !== 'object' || r === null) return [];
    const v = (r as { version?: unknown }).version;
    if (typeof v === 'number') return [v];
    const inner = (r as { record?: unknown }).record;
    return typeof inner === 'object' && inner !== null ? of(inner) : [];
  };
  return Array.isArray(result) ? result.flatMap(of) : of(result);
}

/** Body of `POST /v1/batch`. */
export interface BatchRequest {
  /** The calls, run in order on one transaction. */
  calls: BatchCall[];
  /**
   * Run the calls and answer their results without storing anything (the client uses this
   * to answer reads and writes inside `crm.batch()` before it commits). @defaultValue false
   */
  dryRun?: boolean;
}

/** What the session says about one collection. */
export interface CollectionInfo {
  /** The verbs this server forwards for the collection. */
  verbs: string[];
  /** Whether `watch` is available on the client. */
  watchable: boolean;
  /** The fields the actor may read (`custom.x` for custom fields). */
  readableFields: string[];
  /** The collection's custom field definitions. */
  customFields: Record<string, CustomFieldDefinition>;
  /**
   * The actor's grants: per action, `true` (every record), `false` (none) or the filter a
   * record must match, so `crm.can()` answers locally.
   */
  grants: Partial<Record<Action, boolean | Filter>>;
}

/** Response of `GET /v1/session`. */
export interface SessionInfo {
  /** The protocol version. */
  protocol: typeof PROTOCOL_VERSION;
  /** The authenticated actor. */
  actor: Actor;
  /** The CRM's time zone. */
  timeZone: string;
  /** The server's clock (ISO 8601), for clients that need the authority's time. */
  now: string;
  /** The collections and what the actor may do in them. */
  collections: Record<string, CollectionInfo>;
  /** Names of the reports `POST /v1/reports/:name` runs. */
  reports: string[];
  /** Verbs on the Crm itself (e.g. `search`), forwarded as `POST /v1/:verb`. */
  verbs: string[];
}

/** One entry of the change feed. A record the actor cannot read arrives as a `delete`. */
export interface FeedChange {
  /** The change's sequence number. */
  seq: number;
  /** The collection. */
  collection: string;
  /** The record's id. */
  id: string;
  /** `put`: the record is (still) visible; `delete`: it is gone or out of the actor's reach. */
  type: 'put' | 'delete';
  /** The visible record's version (puts only). */
  version?: number;
  /** The record as the actor may read it (puts on `GET /v1/changes` only). */
  record?: Record<string, unknown>;
}

/** Response of `GET /v1/changes`. */
export interface FeedPage {
  /** Changes after `since`, in `seq` order. */
  changes: FeedChange[];
  /** The checkpoint to pass as `since` next time. */
  lastSeq: number;
}

/**
 * Verb names never forwarded, whatever a collection holds: `watch` is served by the stream
 * instead, and the rest are object plumbing. Only a collection's own verbs are reachable, so
 * the Crm's own `as`, `close` or `startWorkers` never are (see {@link LOCAL_ROOT_VERBS});
 * a collection's domain verb may share such a name (`tickets.close`).
 */
export const DENIED_VERBS: ReadonlySet<string> = new Set(['watch', 'then', 'constructor', 'prototype', '__proto__', 'toString', 'valueOf', 'toJSON', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString']);

/** Functions of a Crm that act on the local object and are never forwarded. */
export const LOCAL_ROOT_VERBS: ReadonlySet<string> = new Set(['as', 'on', 'batch', 'startWorkers', 'close', 'can', 'readableFields']);

/** Whether a verb name may be forwarded at all (the server also checks it exists). */
export function isForwardableVerb(verb: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]*$/.test(verb) && !DENIED_VERBS.has(verb);
}

/**
 * Whether a verb only reads. Reads are retried freely and never recorded for idempotency;
 * every other verb (including ones added later) is treated as a write.
 */
export function isReadVerb(verb: string): boolean {
  return /^(get|find|count|list|search|timeline|explain|aggregate|preview)([A-Z].*)?$/.test(verb);
}

/** Verbs that create one record from their first argument (idempotent by client id). */
export const CREATE_VERBS: ReadonlySet<string> = new Set(['create', 'log', 'plan']);

/** The canonical `ETag` of a record version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version an `If-Match`/`If-None-Match` value names, or `undefined` when it names none. */
export function versionOfTag(value: string | null): number | undefined {
  if (value === null) return undefined;
  const m = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(value);
  return m ? Number(m[1]) : undefined;
}
