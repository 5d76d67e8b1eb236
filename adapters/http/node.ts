/**
 * `rapport/http/node`: mount a Fetch-API handler (such as `createHttpHandler()`'s) on
 * node:http, streaming request and response bodies both ways, so size limits and the live
 * stream work as they do on any Fetch-API host.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { problemReply } from './server/problem';
import { dispatchOf, forwardMembers } from './server/request';
import type { Dispatch, HeaderReader, IncomingRequest, Reply } from './server/request';

/** A Fetch-API request handler. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** A node:http request listener. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/**
 * node's parsed headers read as a Fetch `Headers`: `get` and `has` (all the server itself
 * calls) read node's object directly; any other member builds the real `Headers` once and
 * works on it from then on.
 */
class NodeHeaders implements HeaderReader {
  private fetchHeaders: Headers | undefined;
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    if (this.fetchHeaders) return this.fetchHeaders.get(name);
    const key = name.toLowerCase();
    // node's header object inherits from Object.prototype: `constructor` is no header.
    const value = Object.hasOwn(this.raw, key) ? this.raw[key] : undefined;
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    if (this.fetchHeaders) return this.fetchHeaders.has(name);
    const key = name.toLowerCase();
    return Object.hasOwn(this.raw, key) && this.raw[key] !== undefined;
  }

  /** The `Headers` this stands for. */
  real(): Headers {
    this.fetchHeaders ??= headersOf(this.raw);
    return this.fetchHeaders;
  }
}
forwardMembers(NodeHeaders.prototype, Headers.prototype, (self) => (self as NodeHeaders).real());

/**
 * A request without a body, as a Fetch `Request` minus the cost of building one: what the
 * server reads (method, URL, headers, signal) comes from node directly, and any other member
 * (`clone()`, `cache`…) builds the real `Request` on first use. The host's `authenticate`
 * receives it as a `Request`; it is not `instanceof Request`.
 */
class NodeRequest implements IncomingRequest {
  private readonly head: NodeHeaders;
  private controller: AbortController | undefined;
  private fetchRequest: Request | undefined;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly href: string,
  ) {
    this.head = new NodeHeaders(req.headers);
  }

  get method(): string {
    return this.req.method ?? 'GET';
  }

  get url(): string {
    return this.href;
  }

  get headers(): NodeHeaders {
    return this.head;
  }

  get body(): null {
    return null;
  }

  // Made on first use: only the live stream and hosts that ask need to learn the client left.
  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = new AbortController();
      this.controller = controller;
      if (this.res.closed) controller.abort();
      else this.res.once('close', () => controller.abort());
    }
    return this.controller.signal;
  }

  /** The `Request` this stands for. */
  real(): Request {
    this.fetchRequest ??= new Request(this.href, { method: this.method, headers: this.head.real(), signal: this.signal });
    return this.fetchRequest;
  }

  /** This, typed as the `Request` it behaves as (every member of `Request.prototype` is forwarded). */
  asRequest(): Request {
    return this as unknown as Request;
  }
}
forwardMembers(NodeRequest.prototype, Request.prototype, (self) => (self as NodeRequest).real());

function urlOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
}

/** Whether node will deliver a body: HTTP/1.1 frames one only by Content-Length or Transfer-Encoding. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function toRequest(req: IncomingMessage, res: ServerResponse): Request {
  const method = req.method ?? 'GET';
  // Following a signal costs a Request dozens of microseconds; only an event stream, the one
  // long-lived response, needs to learn that the client left (the body's cancel says it too).
  const init: RequestInit & { duplex?: 'half' } = { method, headers: headersOf(req.headers) };
  if (/text\/event-stream/i.test(req.headers.accept ?? '')) {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    init.signal = controller.signal;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    // Streamed, never buffered here: the handler counts bytes and stops at its limit.
    init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  return new Request(urlOf(req), init);
}

/** Stream a body to the client, as fast as it reads. */
async function pump(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  // A client gone before the first byte must still end the stream (its subscriptions, timers).
  if (res.destroyed) stop();
  else res.on('close', stop);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      // Respect backpressure: a slow client must not make the server buffer without bound.
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
      if (res.destroyed) break;
    }
  } catch {
    // The client went away, or the body failed; either way nothing more can be sent.
  }
  if (res.destroyed) stop();
  res.end();
}

/** Write a reply of our own handler: one write with the length, as a bare node:http server does. */
async function writeReply(reply: Reply, res: ServerResponse): Promise<void> {
  if (reply.stream) {
    res.writeHead(reply.status, reply.headers);
    return pump(reply.stream, res);
  }
  // node leaves the body out itself for HEAD, 204 and 304, keeping the length of what a GET sends.
  if (reply.text !== undefined) reply.headers['content-length'] = String(Buffer.byteLength(reply.text));
  res.writeHead(reply.status, reply.headers);
  res.end(reply.text);
}

/** Write any handler's Fetch `Response`. */
async function send(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (!/^text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
    // A finite body: one write with its length is much cheaper than a chunked pump.
    const bytes = Buffer.from(await response.arrayBuffer());
    headers['content-length'] = String(bytes.byteLength);
    res.writeHead(response.status, headers);
    res.end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  await pump(response.body, res);
}

const internalError = (): Reply => problemReply(new Error('internal'));

/** Answer through our own handler's dispatch: no `Response`, and no `Request` when there is no body. */
async function serveDispatch(dispatch: Dispatch, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let reply: Reply;
  try {
    if (hasBody(req) && req.method !== 'GET' && req.method !== 'HEAD') {
      const request = toRequest(req, res);
      reply = await dispatch(request, request);
    } else {
      const request = new NodeRequest(req, res, urlOf(req));
      reply = await dispatch(request, request.asRequest());
    }
  } catch {
    // Only a host hook (onError) throwing gets here: the dispatch answers every error itself.
    reply = internalError();
  }
  await writeReply(reply, res);
}

async function serveFetch(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let response: Response;
  try {
    response = await handler(toRequest(req, res));
  } catch {
    const reply = internalError();
    response = new Response(reply.text ?? null, { status: reply.status, headers: reply.headers });
  }
  await send(response, res);
}

/**
 * Adapt a Fetch-API handler to node:http. A handler made by `createHttpHandler` is served
 * without the Fetch objects in between where it can be: a request without a body reaches it
 * (and its `authenticate`) as an object that behaves as a `Request` but is built only when a
 * member other than `method`, `url`, `headers` or `signal` is used, and its answers are
 * written to the socket directly. Status, headers and bodies are the same either way.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(toNodeListener(createHttpHandler({ crm, authenticate }))).listen(8080);
 * ```
 */
export function toNodeListener(handler: FetchHandler): NodeListener {
  const dispatch = dispatchOf(handler);
  return (req, res) => {
    void (async () => {
      try {
        await (dispatch ? serveDispatch(dispatch, req, res) : serveFetch(handler, req, res));
      } catch {
        // Writing failed (a header node refuses, say): answer 500 if nothing went out yet, else hang up.
        if (res.headersSent) res.destroy();
        else await writeReply(internalError(), res).catch(() => res.destroy());
      }
      // A body left unread (a 413, a refusal before reading) is not drained: drop the connection.
      if (!req.complete) req.socket?.destroySoon();
    })();
  };
}

/** Options of {@link serveNode}. */
export interface ServeNodeOptions {
  /** The port; 0 picks a free one. @defaultValue 0 */
  port?: number | undefined;
  /** The interface to listen on. @defaultValue `'127.0.0.1'` */
  host?: string | undefined;
}

/** A running node:http server. */
export interface NodeServerHandle {
  /** The underlying server. */
  server: Server;
  /** The port it listens on. */
  port: number;
  /** `http://host:port`. */
  url: string;
  /** Stop accepting connections and close open ones (live streams included). */
  close(): Promise<void>;
}

/**
 * Serve a Fetch-API handler on node:http.
 *
 * @example
 * ```ts
 * const { url, close } = await serveNode(createHttpHandler({ crm, authenticate }), { port: 8080 });
 * ```
 * @throws the listen error (e.g. `EADDRINUSE`).
 */
export function serveNode(handler: FetchHandler, options: ServeNodeOptions = {}): Promise<NodeServerHandle> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(toNodeListener(handler));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        port,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
