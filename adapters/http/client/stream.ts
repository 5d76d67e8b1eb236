/**
 * The client side of the live stream: a server-sent-events reader over `fetch` (so it
 * carries the same credentials as every call), reconnecting with backoff while anyone
 * listens. Events missed while disconnected are not replayed; watches re-query on every
 * (re)connect instead, so they never miss a change.
 *
 * @internal
 * @module
 */
import type { EventEnvelope, FeedChange } from '../protocol';
import type { Transport } from './transport';

/** What the stream tells its owner. */
export interface StreamHandlers {
  /** Connected (or reconnected): anything may have changed meanwhile. */
  onReady(): void;
  /** One event for `crm.on()`. */
  onEvent(envelope: EventEnvelope): void;
  /** Change notices (filtered for the actor). */
  onChanges(changes: FeedChange[]): void;
}

/** A running stream. */
export interface LiveStream {
  /** Stop and disconnect. */
  stop(): void;
}

/** Parse one SSE message block into its fields. */
function parseBlock(block: string): { event: string; data: string; id: string | undefined } | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  return data.length ? { event, data: data.join('\n'), id } : undefined;
}

/** Start the stream; it keeps reconnecting until stopped. */
export function startStream(transport: Transport, handlers: StreamHandlers): LiveStream {
  const controller = new AbortController();
  void (async () => {
    let failures = 0;
    while (!controller.signal.aborted) {
      try {
        const response = await transport.open('/stream', controller.signal);
        const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, '\n');
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const message = parseBlock(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (!message) continue;
            if (message.event === 'ready') {
              failures = 0;
              handlers.onReady();
            } else if (message.event === 'event' && message.id !== undefined) {
              handlers.onEvent({ id: message.id, event: JSON.parse(message.data) as EventEnvelope['event'] });
            } else if (message.event === 'changes') {
              handlers.onChanges((JSON.parse(message.data) as { changes: FeedChange[] }).changes);
            }
          }
        }
      } catch {
        // Dropped or refused: back off and reconnect below, unless stopped.
      }
      if (controller.signal.aborted) break;
      await new Promise((r) => setTimeout(r, transport.backoff(Math.min(failures++, 6)) + 50));
    }
  })();
  return { stop: () => controller.abort() };
}
