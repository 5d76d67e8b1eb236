/**
 * `crm.batch()` in remote mode. The calls made on `tx` are collected; each one is answered
 * by a dry run of every write collected so far plus itself (`POST /v1/batch` with `dryRun`),
 * so reads inside see the batch's own pending writes and writes return what they will store;
 * when `fn` resolves, the writes are sent once more as one atomic write. Creates get their
 * ids on the client so every replay names the same records.
 *
 * @internal
 * @module
 */
import { ulidFactory } from '../../../src/engine/ids';
import type { BatchCall, CallResponse } from '../protocol';
import { CREATE_VERBS, isReadVerb, resultVersions } from '../protocol';
import { isHttpError } from '../../../src/errors';
import { decodeResult, encodeCall } from './args';
import type { Remote } from './remote';

type Verb = (...args: unknown[]) => Promise<unknown>;

function withId(input: unknown, nextId: () => string): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || 'id' in input) return input;
  return { ...input, id: nextId() };
}

/** Give creates client-made ids, so the dry runs and the commit create the same records. */
function stableIds(verb: string, args: unknown[], nextId: () => string): unknown[] {
  if (CREATE_VERBS.has(verb) || verb === 'upsert') return [withId(args[0], nextId), ...args.slice(1)];
  if (verb === 'createMany' && Array.isArray(args[0])) return [args[0].map((i) => withId(i, nextId)), ...args.slice(1)];
  return args;
}

/** Make `crm.batch` for a remote Crm. */
export function makeBatch(remote: Remote, collections: Record<string, Record<string, Verb>>) {
  // Ids sort by time: estimate the server's clock so batch-made ids sort among the server's own.
  const skew = Date.parse(remote.session.now) - Date.now();
  const nextId = ulidFactory(() => Date.now() + skew);

  async function attempt<T>(fn: (tx: unknown) => Promise<T>, last: boolean): Promise<{ done: true; result: T } | { done: false }> {
    const writes: BatchCall[] = [];
    const tx: Record<string, unknown> = { actor: remote.session.actor };
    for (const [name, api] of Object.entries(collections)) {
      const txApi: Record<string, Verb> = {};
      for (const verb of Object.keys(api)) {
        if (verb === 'watch') continue;
        txApi[verb] = async (...raw) => {
          const args = stableIds(verb, raw, nextId);
          const { body, signal } = encodeCall(args);
          const call: BatchCall = { collection: name, verb, args: body.args };
          const read = isReadVerb(verb);
          const calls = [...writes, call];
          if (!read) writes.push(call);
          try {
            const answer = await remote.transport.request<CallResponse<unknown[]>>({ method: 'POST', path: '/batch', body: { calls, dryRun: true }, signal });
            const result = answer.body.result[calls.length - 1];
            if (!read) call.versions = resultVersions(result);
            return decodeResult(result);
          } catch (error) {
            // A refused call leaves nothing pending, as in a local batch.
            if (!read) writes.splice(writes.indexOf(call), 1);
            remote.denied(error);
            throw error;
          }
        };
      }
      tx[name] = txApi;
    }
    const result = await fn(tx);
    if (writes.length) {
      try {
        const answer = await remote.transport.request<CallResponse<unknown[]>>({ method: 'POST', path: '/batch', body: { calls: writes } });
        remote.deliver(answer.body.events);
        remote.touched([...new Set(writes.map((w) => w.collection))]);
      } catch (error) {
        if (isHttpError(error) && error.status === 409 && !last) return { done: false };
        throw error;
      }
    }
    return { done: true, result };
  }

  /** Run `fn` up to three times, like a local batch, when what it read changed before the commit. */
  return async function batch<T>(fn: (tx: unknown) => Promise<T>): Promise<T> {
    for (let run = 0; ; run++) {
      const outcome = await attempt(fn, run >= 2);
      if (outcome.done) return outcome.result;
    }
  };
}
