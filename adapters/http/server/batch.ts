/**
 * `POST /batch`: the calls of a remote `crm.batch`, run on one transaction and stored in one
 * atomic write. Loaded with the first batch request.
 *
 * @internal
 * @module
 */
import { HttpError, ValidationError } from '../../../src/errors';
import { resultVersions } from '../protocol';
import type { BatchCall } from '../protocol';
import { assertEnvelope } from './body';
import { body, envelope, txApi, write } from './calls';
import type { RequestContext } from './calls';
import { apiOf, decodeArgs, resolveVerb } from './dispatch';
import type { Reply } from './request';

const MAX_BATCH_CALLS = 100;

/** `POST /batch`: calls on one transaction, one atomic write (or a dry run that stores nothing). */
export async function batch(ctx: RequestContext): Promise<Reply> {
  const { value, text } = await body(ctx);
  const req = assertEnvelope(value, ['calls', 'dryRun'], 'a batch');
  if (!Array.isArray(req['calls']) || req['calls'].length > MAX_BATCH_CALLS) {
    throw new ValidationError([{ path: ['calls'], message: `calls is an array of at most ${MAX_BATCH_CALLS} calls`, code: 'invalid_type' }]);
  }
  const calls: BatchCall[] = req['calls'].map((c, i) => {
    const o = assertEnvelope(c, ['collection', 'verb', 'args', 'versions'], `calls[${i}]`);
    if (typeof o['collection'] !== 'string' || typeof o['verb'] !== 'string') throw new ValidationError([{ path: ['calls', i], message: 'a call names its collection and verb', code: 'invalid_type' }]);
    resolveVerb(apiOf(ctx.view, o['collection']), o['collection'], o['verb']);
    const versions = Array.isArray(o['versions']) && o['versions'].every((v) => typeof v === 'number') ? (o['versions'] as number[]) : undefined;
    return { collection: o['collection'], verb: o['verb'], args: decodeArgs(o['args'], o['collection']), ...(versions ? { versions } : {}) };
  });
  const stale = new HttpError('records this batch read changed before it could commit: run the batch function again', { status: 409, retryable: false });
  let runs = 0;
  const runAll = async (tx: Record<string, unknown>) => {
    // A second run means the commit met a conflict: the client re-runs its own function
    // (as a local batch does) rather than the server replaying calls made on stale reads.
    if (++runs > 1) throw stale;
    const results: unknown[] = [];
    for (const c of calls) {
      const result = await resolveVerb(txApi(ctx, tx, c.collection, c.verb), c.collection, c.verb)(...c.args);
      if (c.versions && JSON.stringify(resultVersions(result)) !== JSON.stringify(c.versions)) throw stale;
      results.push(result ?? null);
    }
    return results;
  };
  if (req['dryRun'] === true) {
    const stop = { results: [] as unknown[] };
    try {
      await ctx.internals.batchWith(async (tx) => {
        stop.results = await runAll(tx as Record<string, unknown>);
        // Throwing from the batch function abandons it: nothing is written, no event fires.
        throw stop;
      }, () => []);
    } catch (error) {
      if (error !== stop) throw error;
    }
    return envelope({ status: 200, result: stop.results, events: [], replayed: false });
  }
  return envelope(await write(ctx, text, 200, runAll));
}
