/**
 * Background work that must happen once — automations, reminders, SLA checks — runs only on
 * the authority: the one Crm holding the lease record in the storage, taken and renewed by
 * compare-and-set on its version, with an expiry. This works the same across browser tabs,
 * Node processes and server replicas sharing a storage.
 *
 * @module
 */
import { isConflictError, isNotFoundError } from '../errors';
import type { StoredRecord } from '../storage/adapter';
import type { Engine } from './engine';

/** A job run on every tick by the authority. */
export interface Job {
  /** The job's name, for errors. */
  name: string;
  /** Do the work; what it did must be stored keyed by what triggered it, so it never repeats. */
  run(signal: AbortSignal): Promise<void>;
}

/** Options of `crm.startWorkers()`. */
export interface WorkerOptions {
  /** How often to tick. @defaultValue 5000 */
  intervalMs?: number;
  /** How long a lease lasts without renewal. @defaultValue 30000 */
  leaseMs?: number;
  /**
   * Tick on a timer. Set `false` to drive ticks yourself with `tick()` (tests, fake clocks).
   * @defaultValue true
   */
  autoStart?: boolean;
}

/**
 * The running workers of one Crm.
 *
 * @example
 * ```ts
 * const workers = crm.startWorkers({ intervalMs: 1000 });
 * // …
 * await workers.stop();
 * ```
 */
export interface Workers {
  /**
   * Whether this Crm holds the lease now.
   *
   * @example
   * ```ts
   * if (workers.isAuthority()) console.log('this tab runs the jobs');
   * ```
   */
  isAuthority(): boolean;
  /**
   * Try to take or renew the lease, then run the jobs if this Crm is the authority.
   *
   * @example
   * ```ts
   * const workers = crm.startWorkers({ autoStart: false });
   * await workers.tick(); // e.g. after advancing a fake clock in a test
   * ```
   */
  tick(): Promise<void>;
  /**
   * Stop ticking and give the lease up.
   *
   * @example
   * ```ts
   * await workers.stop();
   * ```
   */
  stop(): Promise<void>;
}

const LEASE_ID = 'workers-lease';

/** Start the lease loop and jobs for an engine. */
export function startWorkers(engine: Engine, jobs: readonly Job[], options: WorkerOptions = {}): Workers {
  const intervalMs = options.intervalMs ?? 5000;
  const leaseMs = options.leaseMs ?? 30_000;
  let authority = false;
  let stopped = false;
  let ticking: Promise<void> | undefined;
  const abort = new AbortController();

  function setAuthority(value: boolean): void {
    if (value === authority) return;
    authority = value;
    engine.events.emit('workers.authorityChanged', { type: 'workers.authorityChanged', instanceId: engine.instanceId, isAuthority: value });
  }

  async function acquire(): Promise<boolean> {
    const now = engine.clock();
    const [lease] = await engine.storage.get('system', [LEASE_ID]);
    const record: StoredRecord = { id: LEASE_ID, version: (lease?.version ?? 0) + 1, holderId: engine.instanceId, expiresAt: now + leaseMs };
    try {
      if (!lease) {
        await engine.storage.write([{ type: 'insert', collection: 'system', record }]);
        return true;
      }
      const mine = lease['holderId'] === engine.instanceId;
      if (!mine && (lease['expiresAt'] as number) > now) return false;
      await engine.storage.write([{ type: 'update', collection: 'system', record, expectedVersion: lease.version }]);
      return true;
    } catch (error) {
      // Another instance took or renewed it first: it is the authority.
      if (isConflictError(error) || isNotFoundError(error)) return false;
      throw error;
    }
  }

  async function runTick(): Promise<void> {
    if (stopped || engine.closed) return;
    try {
      setAuthority(await acquire());
    } catch (error) {
      setAuthority(false);
      engine.events.emit('workers.failed', { type: 'workers.failed', job: 'lease', error });
      return;
    }
    if (!authority) return;
    for (const job of jobs) {
      if (stopped) return;
      try {
        await job.run(abort.signal);
      } catch (error) {
        engine.events.emit('workers.failed', { type: 'workers.failed', job: job.name, error });
      }
    }
  }

  function tick(): Promise<void> {
    // One tick at a time: a slow job delays the next tick rather than overlapping it.
    ticking ??= runTick().finally(() => (ticking = undefined));
    return ticking;
  }

  const timer = options.autoStart === false ? undefined : setInterval(() => void tick(), intervalMs);
  if (options.autoStart !== false) void tick();

  return {
    isAuthority: () => authority,
    tick,
    async stop() {
      if (stopped) return;
      if (timer !== undefined) clearInterval(timer);
      await ticking;
      stopped = true;
      abort.abort();
      if (authority) {
        const [lease] = await engine.storage.get('system', [LEASE_ID]);
        if (lease && lease['holderId'] === engine.instanceId) {
          // Release by expiring it now, so another instance takes over at its next tick.
          await engine.storage
            .write([{ type: 'update', collection: 'system', record: { ...lease, version: lease.version + 1, expiresAt: 0 }, expectedVersion: lease.version }])
            .catch(() => undefined);
        }
        setAuthority(false);
      }
    },
  };
}
