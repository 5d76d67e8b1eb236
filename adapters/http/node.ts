/**
 * `rapport/http/node`: mount a Fetch-API handler (such as `createHttpHandler()`'s) on
 * node:http, streaming request and response bodies both ways, so size limits and the live
 * stream work as they do on any Fetch-API host.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { bodyTextOf, markLean } from './server/problem';

/** A Fetch-API request handler. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** A node:http request listener. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

function toRequest(req: IncomingMessage, res: ServerResponse): Request {
  const host = req.headers.host ?? 'localhost';
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  // Following a signal costs a Request dozens of microseconds; only an event stream, the one
  // long-lived response, needs to learn that the client left (the body's cancel says it too).
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (/text\/event-stream/i.test(req.headers.accept ?? '')) {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    init.signal = controller.signal;
  }
  if (hasBody) {
    // Streamed, never buffered here: the handler counts bytes and stops at its limit.
    init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  const request = new Request(`http://${host}${req.url ?? '/'}`, init);
  markLean(request);
  return request;
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  // The handler's JSON responses carry their text beside them: send it without reading a body.
  const known = bodyTextOf(response);
  if (!response.body && known === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (known !== undefined || !/^text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
    // A finite body: one write with its length is much cheaper than a chunked pump.
    const bytes = known === undefined ? Buffer.from(await response.arrayBuffer()) : Buffer.from(known);
    headers['content-length'] = String(bytes.byteLength);
    res.writeHead(response.status, headers);
    res.end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Respect backpressure: a slow client must not make the server buffer without bound.
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
      if (res.destroyed) break;
    }
  } catch {
    // The client went away, or the body failed; either way nothing more can be sent.
  }
  res.end();
}

/**
 * Adapt a Fetch-API handler to node:http.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(toNodeListener(createHttpHandler({ crm, authenticate }))).listen(8080);
 * ```
 */
export function toNodeListener(handler: FetchHandler): NodeListener {
  return (req, res) => {
    void (async () => {
      let response: Response;
      try {
        response = await handler(toRequest(req, res));
      } catch {
        response = new Response(JSON.stringify({ type: 'urn:rapport:error:internal', title: 'Internal Server Error', status: 500, name: 'CrmError', code: 'internal', message: 'internal server error' }), {
          status: 500,
          headers: { 'content-type': 'application/problem+json' },
        });
      }
      await send(response, res);
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
