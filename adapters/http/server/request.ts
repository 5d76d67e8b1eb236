/**
 * What the server reads of a request, and what it answers, as plain data: a Fetch `Request`
 * is one such request and the Fetch handler turns a {@link Reply} into a `Response`, while
 * `rapport/http/node` hands bodiless requests over without building a `Request` and writes
 * the reply straight to the socket. Building those two Fetch objects costs several times
 * what the engine spends answering a get, so one dispatch serves both without them.
 *
 * @internal
 * @module
 */

/** The headers the server reads. A Fetch `Headers` is one. */
export interface HeaderReader {
  get(name: string): string | null;
  has(name: string): boolean;
}

/** The request the server dispatches. A Fetch `Request` is one. */
export interface IncomingRequest {
  readonly method: string;
  /** The absolute URL. */
  readonly url: string;
  readonly headers: HeaderReader;
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
  /** The body, streamed; `null` when the request has none. */
  readonly body: ReadableStream<Uint8Array> | null;
}

/** An answer, before it becomes a `Response` or is written to node:http. */
export interface Reply {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** A finite body, as text (kept for a HEAD, which sends its length only). */
  text?: string | undefined;
  /** A body produced over time (the live stream). */
  stream?: ReadableStream<Uint8Array> | undefined;
}

/**
 * The server's dispatch: answers a request, errors included (only a throwing `onError` makes
 * it reject). `hookRequest` is what the host's own hooks (`authenticate`, `onError`) receive:
 * the same request, as a `Request`.
 */
export type Dispatch = (request: IncomingRequest, hookRequest: Request) => Promise<Reply>;

/** Turn a reply into a Fetch `Response`; the answer to a HEAD has no body. */
export function toResponse(reply: Reply, head = false): Response {
  return new Response(head ? null : (reply.stream ?? reply.text ?? null), { status: reply.status, headers: reply.headers });
}

const dispatches = new WeakMap<object, Dispatch>();

/** Remember the dispatch behind a Fetch handler made by `createHttpHandler`. */
export function registerDispatch(handler: object, dispatch: Dispatch): void {
  dispatches.set(handler, dispatch);
}

/** The dispatch behind a handler made by `createHttpHandler`, so node:http can skip the Fetch objects. */
export function dispatchOf(handler: object): Dispatch | undefined {
  return dispatches.get(handler);
}

/**
 * Give `target`'s prototype every member of `source` (a Fetch class's prototype) that it does
 * not define itself, each forwarding to the real object `real(this)` builds on first use. An
 * instance then behaves as the Fetch object it stands for, paying for that object only when
 * a caller reaches past what the server itself reads.
 */
export function forwardMembers(target: object, source: object, real: (self: object) => object): void {
  for (const key of Reflect.ownKeys(source)) {
    if (key === 'constructor' || Object.prototype.hasOwnProperty.call(target, key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(source, key) as PropertyDescriptor;
    if (descriptor.get) {
      Object.defineProperty(target, key, {
        configurable: true,
        enumerable: descriptor.enumerable ?? false,
        get(this: object) {
          return Reflect.get(real(this), key);
        },
      });
    } else if (typeof descriptor.value === 'function') {
      const name = key;
      Object.defineProperty(target, key, {
        configurable: true,
        writable: true,
        enumerable: descriptor.enumerable ?? false,
        value(this: object, ...args: unknown[]) {
          const self = real(this) as Record<PropertyKey, (...a: unknown[]) => unknown>;
          return (self[name] as (...a: unknown[]) => unknown).apply(self, args);
        },
      });
    } else {
      Object.defineProperty(target, key, descriptor);
    }
  }
}
