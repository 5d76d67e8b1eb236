/**
 * `crm.search`: one search box across every searchable collection, ranked.
 *
 * @module
 */
import { QueryError } from '../errors';
import { throwIfAborted } from '../engine/guard';
import { buildQuery } from '../engine/read';
import { publicView } from '../engine/record';
import { tagOf } from '../engine/tokens';
import { matches } from '../query/evaluate';
import { matchTokens, parseSearch } from '../search/index';
import type { View } from './repository';

/** Options of {@link SearchApi}. */
export interface SearchOptions {
  /** Which collections to search. @defaultValue every collection with searchable fields */
  collections?: string[];
  /** How many hits to return in all. @defaultValue 20 (at most 200) */
  limit?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** One search hit. */
export interface SearchHit<T = Record<string, unknown>> {
  /** The collection it came from. */
  collection: string;
  /** The record, as the actor may see it. */
  record: T;
  /** Higher is better: per query word, the best field weight, doubled for an exact word; summed. */
  score: number;
}

/**
 * Search across collections, ranked: every word must match (by prefix), exact words beat
 * prefixes, names beat notes. Never hits through a field the actor cannot read.
 *
 * @example
 * ```ts
 * const { hits } = await crm.search('mehmet 0532', { collections: ['customers', 'deals'] });
 * ```
 */
export type SearchApi = (
  text: string,
  options?: SearchOptions,
) => Promise<{
  /** The matches, best first. */
  hits: SearchHit[];
}>;

/** How many matches per collection are ranked. */
const CANDIDATES = 1000;

/** Best score first; among equals the newest (ids sort by creation). */
function byScoreThenNewest(a: { id: string; score: number }, b: { id: string; score: number }): number {
  return b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Build `crm.search` for a view. */
export function makeSearch(ctx: View): SearchApi {
  return async (text, options = {}) => {
    throwIfAborted(options.signal);
    if (typeof text !== 'string') throw new QueryError('search text is a string', ['text']);
    const limit = options.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new QueryError('limit must be a whole number from 1 to 200', ['limit']);
    const searchable = [...ctx.engine.entities.values()].filter((e) => e.search?.length);
    const names = options.collections ?? searchable.map((e) => e.collection);
    const query = parseSearch(text);
    if (query.terms.length === 0) return { hits: [] };
    const hits: (SearchHit & { order: string })[] = [];
    for (const [i, name] of names.entries()) {
      const entity = searchable.find((e) => e.collection === name);
      if (!entity) throw new QueryError(`"${name}" is not a searchable collection`, ['collections', i]);
      const hidden = ctx.engine.policy.hiddenFields(ctx.actor, entity.collection);
      const allowed = new Set((entity.search ?? []).filter((f) => !hidden.has(f.path.split('.')[0] as string)).map(tagOf));
      const built = await buildQuery(ctx, entity, { search: text });
      if (built === false) continue;
      // Rank on the tokens alone (an adapter may copy just those), then read whole records
      // only for the hits that can still make the list.
      const page = await ctx.session.query(entity.collection, { where: built.where, limit: CANDIDATES, select: ['_tokens'] });
      throwIfAborted(options.signal);
      const ranked: { id: string; score: number }[] = [];
      for (const r of page.items) {
        const { matched, score } = matchTokens((r['_tokens'] as string[] | undefined) ?? [], query, allowed);
        if (matched) ranked.push({ id: r.id, score });
      }
      ranked.sort(byScoreThenNewest);
      // A record written since the ranking read is checked again, so it cannot slip out of
      // scope; one that no longer passes makes room for the next ranked.
      let taken = 0;
      for (let from = 0; taken < limit && from < ranked.length; ) {
        const next = ranked.slice(from, from + limit - taken);
        from += next.length;
        const records = await ctx.session.get(entity.collection, next.map((h) => h.id));
        throwIfAborted(options.signal);
        next.forEach(({ score }, j) => {
          const r = records[j];
          if (r !== undefined && matches(r, built.where) && matchTokens((r['_tokens'] as string[] | undefined) ?? [], query, allowed).matched) {
            hits.push({ collection: entity.collection, record: publicView(r, hidden), score, order: r.id });
            taken++;
          }
        });
      }
    }
    hits.sort((a, b) => b.score - a.score || (a.order < b.order ? 1 : a.order > b.order ? -1 : 0));
    return { hits: hits.slice(0, limit).map(({ order: _o, ...hit }) => hit) };
  };
}
