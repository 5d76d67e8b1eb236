/**
 * The remote Crm: the same `Crm` interface as local mode, with every verb forwarded to the
 * server generically (the verb lists come from the session, so verbs added later work with
 * no client change), events from call responses and the live stream, watches kept locally,
 * and `can()` answered from the grants fetched at connect.
 *
 * @internal
 * @module
 */
import type { Crm } from '../../../src/crm';
import { CrmError, StorageError, isPermissionError } from '../../../src/errors';
import type { PermissionError } from '../../../src/errors';
import { createEventBus } from '../../../src/events';
import { createLiveQuery } from '../../../src/engine/watch';
import type { FindResult } from '../../../src/engine/read';
import type { Snapshot } from '../../../src/engine/watch';
import { matches } from '../../../src/query/evaluate';
import type { Action } from '../../../src/permissions/policy';
import type { Change, StorageAdapter } from '../../../src/storage/adapter';
import type { CallResponse, EventEnvelope, SessionInfo } from '../protocol';
import { HEADERS, etagOf, isReadVerb } from '../protocol';
import { decodeResult, encodeCall } from './args';
import { makeBatch } from './batch';
import { startStream } from './stream';
import type { LiveStream } from './stream';
import type { Transport } from './transport';

type Verb = (...args: unknown[]) => Promise<unknown>;

/** The plumbing shared by the remote Crm and its batches. */
export interface Remote {
  readonly transport: Transport;
  readonly session: SessionInfo;
  /** Forward one call; delivers its events and wakes watches of its collection. */
  call(collection: string, verb: string, args: readonly unknown[]): Promise<unknown>;
  /** Deliver events (each once, whether it came from a response or the stream). */
  deliver(events: readonly EventEnvelope[]): void;
  /** Tell watches these collections changed. */
  touched(collections: readonly string[]): void;
  /** Report a refused call as `access.denied`, as local mode emits it. */
  denied(error: unknown): void;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Build the remote Crm for a fetched session. */
export function makeRemoteCrm(transport: Transport, session: SessionInfo): Crm {
  const bus = createEventBus<Record<string, unknown>>();
  const seen = new Set<string>();
  const watchers = new Set<(changes: readonly Change[]) => void>();
  let users = 0;
  let stream: LiveStream | undefined;
  let closed = false;

  function touched(collections: readonly string[]): void {
    const changes = collections.map((collection) => ({ seq: 0, collection, id: '', type: 'put' as const, version: 0 }));
    for (const w of [...watchers]) w(changes);
  }

  function deliver(events: readonly EventEnvelope[]): void {
    for (const { id, event } of events) {
      if (seen.has(id)) continue;
      seen.add(id);
      // Remember enough ids to drop the stream's copy of a response's events, and no more.
      if (seen.size > 2000) seen.delete(seen.values().next().value as string);
      // Read-only, as in local mode: one handler cannot change what the next one sees.
      bus.emit(event.type, deepFreeze(event));
    }
  }

  function use(): () => void {
    users++;
    if (!stream && !closed) {
      stream = startStream(transport, {
        onReady: () => touched(Object.keys(session.collections)),
        onEvent: (envelope) => deliver([envelope]),
        onChanges: (changes) => touched([...new Set(changes.map((c) => c.collection))]),
      });
    }
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      if (--users === 0) {
        stream?.stop();
        stream = undefined;
      }
    };
  }

  const remote: Remote = {
    transport,
    session,
    deliver,
    touched,
    denied(error) {
      if (!isPermissionError(error)) return;
      const e = error as PermissionError;
      bus.emit('access.denied', { type: 'access.denied', actorId: e.actorId, action: e.action, collection: e.collection ?? '', ...(e.recordId ? { recordId: e.recordId } : {}), reason: e.reason });
    },
    async call(collection, verb, args) {
      const { body, signal, expectedVersion } = encodeCall(args);
      const headers: Record<string, string> = expectedVersion === undefined ? {} : { [HEADERS.ifMatch]: etagOf(expectedVersion) };
      try {
        const path = collection === '' ? `/${encodeURIComponent(verb)}` : `/${encodeURIComponent(collection)}/${encodeURIComponent(verb)}`;
        const answer = await transport.request<CallResponse>({ method: 'POST', path, body, headers, signal });
        deliver(answer.body.events);
        if (!isReadVerb(verb)) touched(collection === '' ? Object.keys(session.collections) : [collection]);
        return decodeResult(answer.body.result);
      } catch (error) {
        remote.denied(error);
        throw error;
      }
    },
  };

  const collections: Record<string, Record<string, Verb>> = {};
  for (const [name, info] of Object.entries(session.collections)) {
    const api: Record<string, Verb> = {};
    for (const verb of info.verbs) api[verb] = (...args) => remote.call(name, verb, args);
    if (info.watchable) {
      (api as Record<string, unknown>)['watch'] = (query?: unknown, listener?: (s: Snapshot<never>) => void) => {
        const release = use();
        // The live query only needs `subscribe` from a storage: fed by the stream and by this client's own writes.
        const feed = { subscribe: (l: (changes: readonly Change[]) => void) => (watchers.add(l), () => watchers.delete(l)) } as unknown as StorageAdapter;
        const live = createLiveQuery(feed, name, () => remote.call(name, 'find', [query]) as Promise<FindResult<never>>, listener);
        const stop = () => {
          live();
          release();
        };
        return Object.assign(stop, { getSnapshot: live.getSnapshot, subscribe: live.subscribe, ready: live.ready });
      };
    }
    collections[name] = api;
  }
  const reports: Record<string, Verb> = {};
  for (const name of session.reports) {
    reports[name] = async (...args) => {
      const { body, signal } = encodeCall(args);
      const answer = await transport.request<CallResponse>({ method: 'POST', path: `/reports/${encodeURIComponent(name)}`, body, signal });
      return decodeResult(answer.body.result);
    };
  }

  const rootVerbs: Record<string, Verb> = {};
  for (const verb of session.verbs) rootVerbs[verb] = (...args) => remote.call('', verb, args);

  const crm = {
    ...rootVerbs,
    actor: session.actor,
    timeZone: session.timeZone,
    ...collections,
    ...(session.reports.length ? { reports } : {}),
    can(action: Action, collection: string, record?: object) {
      const grant = session.collections[collection]?.grants[action];
      if (grant === undefined || grant === false) return false;
      if (grant === true || record === undefined) return true;
      return matches(record, grant);
    },
    readableFields(collection: string) {
      const info = session.collections[collection];
      if (!info) throw new StorageError(`unknown collection "${collection}"`, { collection });
      return [...info.readableFields];
    },
    as() {
      throw new CrmError('crm.as() is not available in remote mode: the server acts as whoever the credentials authenticate; connect with that actor’s credentials instead', 'forbidden');
    },
    on(name: string, handler: (event: never) => void) {
      const off = bus.on(name, handler as (payload: unknown) => void);
      const release = use();
      return () => {
        off();
        release();
      };
    },
    batch: (fn: (tx: unknown) => Promise<unknown>) => makeBatch(remote, collections)(fn),
    startWorkers() {
      throw new CrmError('startWorkers() runs on the server in remote mode: the server is the authority, so call it on the server’s Crm', 'forbidden');
    },
    async close() {
      closed = true;
      stream?.stop();
      stream = undefined;
      watchers.clear();
    },
  };
  // Built from the session's verb lists, so TypeScript cannot see it is a Crm.
  return crm as unknown as Crm;
}
