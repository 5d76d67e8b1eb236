/**
 * The event bus over mitt, with the guarantees rapport promises: handlers run after the
 * write is stored, and a handler that throws breaks neither the write nor the other handlers
 * (its error goes to the `error` event).
 *
 * @module
 */
import mitt from 'mitt';
import type { Emitter } from 'mitt';

/** An event's payload always carries its own name, so a `*` handler can tell them apart. */
export interface EventBase<Name extends string = string> {
  /** The event's name, e.g. `customer.created`. */
  type: Name;
}

/** What `crm.on('error', …)` receives when a handler throws. */
export interface HandlerErrorEvent extends EventBase<'error'> {
  /** The thrown value. */
  error: unknown;
  /** The event whose handler threw. */
  event: string;
}

type AnyHandler = (payload: never) => void;

/**
 * A typed event bus.
 * @typeParam Events - event name → payload.
 */
export interface EventBus<Events extends Record<string, unknown>> {
  /** Listen to one event (or `*` for all); returns the unsubscribe function. */
  on<K extends keyof Events & string>(name: K, handler: (payload: Events[K]) => void): () => void;
  /** Listen to every event. */
  on(name: '*', handler: (payload: Events[keyof Events]) => void): () => void;
  /** Deliver an event to its handlers and to `*` handlers. */
  emit<K extends keyof Events & string>(name: K, payload: Events[K]): void;
  /** Whether anyone listens to this event (or to `*`). */
  hasListeners(name: string): boolean;
}

/**
 * Make an event bus.
 *
 * @example
 * ```ts
 * const bus = createEventBus<{ ping: { type: 'ping'; n: number } }>();
 * const off = bus.on('ping', (e) => console.log(e.n));
 * bus.emit('ping', { type: 'ping', n: 1 });
 * off();
 * ```
 */
export function createEventBus<Events extends Record<string, unknown>>(): EventBus<Events> {
  const emitter: Emitter<Record<string, unknown>> = mitt();
  const counts = new Map<string, number>();

  function report(error: unknown, event: string): void {
    if (event === 'error' || (counts.get('error') ?? 0) === 0) {
      // Nobody listens for handler errors (or the error handler itself threw): surface it
      // without breaking the caller.
      queueMicrotask(() => {
        throw error;
      });
      return;
    }
    const payload: HandlerErrorEvent = { type: 'error', error, event };
    for (const h of [...(emitter.all.get('error') ?? [])]) (h as (p: unknown) => void)(payload);
  }

  return {
    on(name: string, handler: AnyHandler) {
      const wrapped = (payload: unknown) => {
        try {
          (handler as (p: unknown) => void)(payload);
        } catch (error) {
          report(error, (payload as { type?: string } | undefined)?.type ?? name);
        }
      };
      counts.set(name, (counts.get(name) ?? 0) + 1);
      emitter.on(name, wrapped);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        counts.set(name, (counts.get(name) ?? 1) - 1);
        emitter.off(name, wrapped);
      };
    },
    emit(name, payload) {
      // mitt calls `*` handlers with (type, payload); ours take the payload only.
      const handlers = emitter.all.get(name);
      if (handlers) for (const h of [...handlers]) (h as (p: unknown) => void)(payload);
      if (name !== 'error') {
        const star = emitter.all.get('*');
        if (star) for (const h of [...star]) (h as (p: unknown) => void)(payload);
      }
    },
    hasListeners(name) {
      return (counts.get(name) ?? 0) + (counts.get('*') ?? 0) > 0;
    },
  } as EventBus<Events>;
}
