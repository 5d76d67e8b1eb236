/**
 * What the actor may learn about changes: the change feed and the live stream. A record the
 * actor cannot read arrives as a removal, never its content; fields it cannot read are
 * removed. Loaded with the first `/changes` or `/stream` request.
 *
 * @internal
 * @module
 */
import type { Crm } from '../../../src/crm';
import { publicView } from '../../../src/engine/record';
import type { ViewInternals } from '../../../src/internal/internals';
import type { Change, StoredRecord } from '../../../src/storage/adapter';
import type { EventEnvelope, FeedChange } from '../protocol';
import type { Reply } from './request';
import type { Tenant } from './tenant';
import { isRecordEvent } from './tenant';

/** Filter raw changes for an actor: visible puts (with the masked record when asked), else removals. */
export async function filterChanges(internals: ViewInternals, changes: readonly Change[], withRecords: boolean): Promise<FeedChange[]> {
  const { engine, actor } = internals;
  const relevant = changes.filter((c) => engine.entities.has(c.collection));
  const byCollection = new Map<string, string[]>();
  for (const c of relevant) if (c.type === 'put') byCollection.set(c.collection, [...(byCollection.get(c.collection) ?? []), c.id]);
  const current = new Map<string, StoredRecord | undefined>();
  for (const [collection, ids] of byCollection) {
    const unique = [...new Set(ids)];
    const records = await engine.storage.get(collection, unique);
    unique.forEach((id, i) => current.set(`${collection}\u0000${id}`, records[i]));
  }
  return relevant.map((c): FeedChange => {
    const removal: FeedChange = { seq: c.seq, collection: c.collection, id: c.id, type: 'delete' };
    if (c.type === 'delete') return removal;
    const record = current.get(`${c.collection}\u0000${c.id}`);
    if (!record || !engine.policy.decide(actor, 'read', c.collection, record).allowed) return removal;
    const out: FeedChange = { seq: c.seq, collection: c.collection, id: c.id, type: 'put', version: record.version };
    if (withRecords) out.record = publicView<Record<string, unknown>>(structuredClone(record), engine.policy.hiddenFields(actor, c.collection));
    return out;
  });
}

/** Options of {@link liveStream}. */
export interface StreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

/**
 * The live stream (server-sent events): `ready` once subscribed, then `event` (the actor's
 * events, with ids shared with call responses) and `changes` (filtered change notices).
 */
export function liveStream(tenant: Tenant, view: Crm, internals: ViewInternals, options: StreamOptions): Reply {
  const encoder = new TextEncoder();
  let cleanup = (): void => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const offEvents = view.on('*', (event) => {
        if (!isRecordEvent(event)) return;
        const envelope: EventEnvelope = { id: tenant.currentEventId(), event };
        send(`event: event\nid: ${envelope.id}\ndata: ${JSON.stringify(envelope.event)}\n\n`);
      });
      // Notices are filtered one batch at a time, in order, so removals never overtake puts.
      let queue = Promise.resolve();
      const offChanges = internals.engine.storage.subscribe((changes) => {
        queue = queue.then(async () => {
          const visible = await filterChanges(internals, changes, false);
          if (visible.length) send(`event: changes\ndata: ${JSON.stringify({ changes: visible })}\n\n`);
        }).catch(() => undefined);
      });
      const heartbeat = setInterval(() => send(': ping\n\n'), options.heartbeatMs);
      cleanup = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        offEvents();
        offChanges();
        options.signal.removeEventListener('abort', cleanup);
        try {
          controller.close();
        } catch {
          // Already closed by a cancel.
        }
      };
      options.signal.addEventListener('abort', cleanup);
      // A client that left while the request was being authenticated never fires 'abort' again.
      if (options.signal.aborted) cleanup();
      send(`retry: 1000\nevent: ready\ndata: ${JSON.stringify({ now: internals.engine.now() })}\n\n`);
    },
    cancel() {
      cleanup();
    },
  });
  return { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' }, stream: body };
}
