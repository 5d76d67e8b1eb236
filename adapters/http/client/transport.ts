/**
 * The client's transport: one request with credentials, a per-attempt timeout, retries with
 * exponential backoff and full jitter (honouring `Retry-After`), one idempotency key reused
 * across a write's retries, and problem+json rebuilt as the error class the server threw.
 *
 * @internal
 * @module
 */
import { HttpError, errorFromJSON } from '../../../src/errors';
import type { CrmError } from '../../../src/errors';
import { HEADERS } from '../protocol';

/** How retries back off. */
export interface RetryOptions {
  /** Retries after the first attempt. @defaultValue 4 */
  retries?: number | undefined;
  /** The first backoff's ceiling, doubled per retry. @defaultValue 100 */
  baseMs?: number | undefined;
  /** The largest backoff ceiling. @defaultValue 5000 */
  maxMs?: number | undefined;
}

/** Options of `httpAdapter`: where the server is, how to authenticate, how long to wait, how to retry. */
export interface HttpAdapterOptions {
  /** Where the server mounts the protocol, version included, e.g. `https://crm.example.com/v1`. */
  baseUrl: string;
  /**
   * The `fetch` to use. Without it, `globalThis.fetch` is looked up at each call (so test
   * interceptors installed later still see every request).
   * @defaultValue `globalThis.fetch`
   */
  fetch?: typeof fetch | undefined;
  /** Headers sent with every request (or a function returning them). @defaultValue none */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>) | undefined;
  /** A bearer token for every request, asked for each time (so a refreshed token is used). @defaultValue none */
  getToken?: (() => string | null | undefined | Promise<string | null | undefined>) | undefined;
  /** How long one attempt may take before it is abandoned (and retried). @defaultValue 10000 */
  timeoutMs?: number | undefined;
  /**
   * Retries on network errors, timeouts, 5xx and 429, with exponential backoff and full
   * jitter; `Retry-After` wins when the server sends it. Writes reuse one idempotency key.
   * @defaultValue `{ retries: 4, baseMs: 100, maxMs: 5000 }`
   */
  retry?: RetryOptions | undefined;
}

/** What the transport needs: the adapter's options. */
export type TransportOptions = HttpAdapterOptions;

/** One request. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/** A successful answer. */
export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** The platform's AbortError for a caller's aborted signal. */
export function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function newKey(): string {
  return globalThis.crypto.randomUUID();
}

/** The transport's two doors: JSON requests, and the raw stream. */
export interface Transport {
  /** A JSON request, retried where safe; writes carry one idempotency key across retries. */
  request<T>(spec: RequestSpec): Promise<Answer<T>>;
  /** Open a streaming GET (the live stream); no retries here, the caller reconnects. */
  open(path: string, signal: AbortSignal): Promise<Response>;
  /** Backoff delay before retry number `attempt` (0-based): full jitter. */
  backoff(attempt: number): number;
}

/** Make a transport. */
export function createTransport(options: TransportOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retry?.retries ?? 4;
  const baseMs = options.retry?.baseMs ?? 100;
  const maxMs = options.retry?.maxMs ?? 5000;

  async function headersFor(extra: Record<string, string> = {}): Promise<Headers> {
    const headers = new Headers(typeof options.headers === 'function' ? await options.headers() : options.headers);
    const token = await options.getToken?.();
    if (token) headers.set('authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(extra)) headers.set(k, v);
    return headers;
  }

  // Looked up at call time, never captured: test interceptors (msw) patch the global later.
  const fetchNow = (): typeof fetch => options.fetch ?? globalThis.fetch;

  const backoff = (attempt: number) => Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);

  function problem(status: number, text: string, type: string | null): CrmError {
    if (type && /json/i.test(type) && text) {
      try {
        const json = JSON.parse(text) as Record<string, unknown>;
        if (typeof json['name'] === 'string') return errorFromJSON(json);
      } catch {
        // Not JSON after all: fall through to a plain HttpError.
      }
    }
    return new HttpError(`the server answered ${status}`, { status, retryable: status >= 500 || status === 429 || status === 408 });
  }

  return {
    backoff,
    async open(path, signal) {
      const response = await fetchNow()(`${base}${path}`, { method: 'GET', headers: await headersFor({ accept: 'text/event-stream' }), signal });
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        throw problem(response.status, text, response.headers.get('content-type'));
      }
      return response;
    },
    async request<T>(spec: RequestSpec): Promise<Answer<T>> {
      const write = spec.method !== 'GET';
      const key = write ? newKey() : undefined;
      const text = spec.body === undefined ? undefined : JSON.stringify(spec.body);
      for (let attempt = 0; ; attempt++) {
        if (spec.signal?.aborted) throw abortError(spec.signal);
        const controller = new AbortController();
        const onAbort = () => controller.abort(spec.signal?.reason);
        spec.signal?.addEventListener('abort', onAbort, { once: true });
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError'));
        }, timeoutMs);
        let answered: CrmError | undefined;
        let wait: number | undefined;
        try {
          const extra: Record<string, string> = { accept: 'application/json', ...spec.headers };
          if (text !== undefined) extra['content-type'] = 'application/json';
          if (key) extra[HEADERS.idempotencyKey] = key;
          const init: RequestInit = { method: spec.method, headers: await headersFor(extra), signal: controller.signal };
          if (text !== undefined) init.body = text;
          const response = await fetchNow()(`${base}${spec.path}`, init);
          // The body is read inside the timeout too: a stalled body is a stalled request.
          const raw = await response.text();
          if (response.ok || response.status === 304) {
            const body = (raw === '' ? undefined : JSON.parse(raw)) as T;
            return { status: response.status, body, headers: response.headers };
          }
          answered = problem(response.status, raw, response.headers.get('content-type'));
          const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
          if (!retryable || attempt >= retries) throw answered;
          wait = retryAfterMs(response.headers.get(HEADERS.retryAfter));
        } catch (error) {
          if (spec.signal?.aborted) throw abortError(spec.signal);
          if (answered) throw error;
          // No answer: the network failed or the attempt timed out. A write may have been
          // applied; retrying with the same key is safe, the server replays its answer.
          const failure = new HttpError(timedOut ? `request to ${spec.path} timed out after ${timeoutMs} ms` : `request to ${spec.path} failed: no response`, { status: 0, retryable: true }, { cause: error });
          if (attempt >= retries) throw failure;
        } finally {
          clearTimeout(timer);
          spec.signal?.removeEventListener('abort', onAbort);
        }
        await sleep(wait ?? backoff(attempt), spec.signal);
      }
    },
  };
}
