/**
 * What the handler keeps per tenant Crm: views per actor (cached, they are cheap but not
 * free), event ids shared by responses and the stream, idempotency work in flight, and the
 * events of recent writes for replays.
 *
 * @internal
 * @module
 */
import type { Crm } from '../../../src/crm';
import { CrmError } from '../../../src/errors';
import { internalsOf } from '../../../src/internal/internals';
import type { ViewInternals } from '../../../src/internal/internals';
import type { Actor } from '../../../src/engine/types';
import type { EventEnvelope } from '../protocol';

/** One tenant's Crm as the handler sees it. */
export interface Tenant {
  /** The tenant's root Crm. */
  readonly crm: Crm;
  /** The id of the event being emitted right now (set by a `*` listener registered first). */
  currentEventId(): string;
  /** The view acting as `actor` (cached). */
  view(actor: Actor): { view: Crm; internals: ViewInternals };
  /** Idempotent work in flight, by `actor|key`, so a concurrent retry waits for the first. */
  readonly inFlight: Map<string, Promise<unknown>>;
  /** Events of recent idempotent writes, for replays (bounded). */
  remember(key: string, events: EventEnvelope[]): void;
  /** Events remembered for a key. */
  recall(key: string): EventEnvelope[];
  /**
   * Start `run` in the background, handing it the instant before which stored answers have
   * expired, unless a sweep ran within the last tenth of `ttlMs` (at most every ten minutes)
   * or is still running. `run` answers whether it left expired records behind (it deletes a
   * bounded batch); then the next write sweeps again, so the sweeps keep up with any write
   * rate. Its failures are left for the next sweep.
   */
  sweep(ttlMs: number, run: (before: string) => Promise<boolean>): void;
}

const tenants = new WeakMap<Crm, Tenant>();
const MAX_VIEWS = 1000;
const MAX_REMEMBERED = 5000;
const SWEEP_EVERY_MS = 10 * 60 * 1000;
let instance = 0;

function actorKey(actor: Actor): string {
  return JSON.stringify([actor.id, actor.roles, actor.teamIds ?? []]);
}

/** The tenant record of a Crm, made on first sight. */
export function tenantOf(crm: Crm): Tenant {
  const known = tenants.get(crm);
  if (known) return known;
  const root = internalsOf(crm);
  if (!root) throw new CrmError('createHttpHandler needs a local Crm (made by createCrm over a storage adapter), not a remote one', 'internal');
  const prefix = `${Date.now().toString(36)}${(instance++).toString(36)}`;
  let counter = 0;
  let current = '';
  // Registered before any of the handler's own listeners, so it runs first on every emit
  // and each event gets one id, whichever view's listener then delivers it.
  root.engine.events.on('*', () => {
    current = `${prefix}-${++counter}`;
  });
  const views = new Map<string, { view: Crm; internals: ViewInternals }>();
  const remembered = new Map<string, EventEnvelope[]>();
  let lastSweep = -Infinity;
  let sweeping = false;
  const tenant: Tenant = {
    crm,
    currentEventId: () => current,
    view(actor) {
      const key = actorKey(actor);
      let entry = views.get(key);
      if (!entry) {
        const view = crm.as(actor);
        entry = { view, internals: internalsOf(view) as ViewInternals };
        if (views.size >= MAX_VIEWS) views.delete(views.keys().next().value as string);
        views.set(key, entry);
      }
      return entry;
    },
    inFlight: new Map(),
    remember(key, events) {
      if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
      remembered.set(key, events);
    },
    recall: (key) => remembered.get(key) ?? [],
    sweep(ttlMs, run) {
      const now = root.engine.clock();
      if (sweeping || now - lastSweep < Math.min(ttlMs / 10, SWEEP_EVERY_MS)) return;
      lastSweep = now;
      sweeping = true;
      // Started on a microtask, so nothing it does can throw into the request that triggered it.
      void Promise.resolve()
        .then(() => run(new Date(now - ttlMs).toISOString()))
        .then((more) => {
          if (more) lastSweep = -Infinity;
        })
        .catch(() => undefined)
        .finally(() => {
          sweeping = false;
        });
    },
  };
  tenants.set(crm, tenant);
  return tenant;
}

/**
 * Run `fn`, collecting the events that `view` may see which the batch emits. Only events
 * emitted inside `around` are this write's: `batchWith` runs them there, synchronously.
 */
export function captureAround(tenant: Tenant, view: Crm, sink: EventEnvelope[]): (runEffects: () => void) => void {
  return (runEffects) => {
    const off = view.on('*', (event) => {
      if (isRecordEvent(event)) sink.push({ id: tenant.currentEventId(), event });
    });
    try {
      runEffects();
    } finally {
      off();
    }
  };
}

/**
 * Whether an event is about a record (and so was already scoped and masked by the view's
 * `on`). Others — denials, worker notices — concern the server, not its clients; a client
 * reports its own refused calls itself.
 */
export function isRecordEvent(event: unknown): event is EventEnvelope['event'] {
  return typeof event === 'object' && event !== null && typeof (event as { record?: unknown }).record === 'object';
}
