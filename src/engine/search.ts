/**
 * Full-text search as a filter over the stored `_tokens`: every query term must match a
 * token (exactly, or by prefix) from a field the actor can read. Each alternative is an
 * equality or a prefix on one tagged key, so every adapter answers it from its token index.
 *
 * @internal
 * @module
 */
import type { Filter } from '../query/types';
import { parseSearch, termKeys } from '../search/index';
import type { CompiledEntity } from './compile';
import { tagOf } from './tokens';

/** The filter for a search text; `undefined` for an empty search, `false` when nothing can match. */
export function searchFilter(entity: CompiledEntity, text: string, hidden: ReadonlySet<string>): Filter | undefined | false {
  const { terms } = parseSearch(text);
  if (terms.length === 0) return undefined;
  const fields = (entity.search ?? []).filter((f) => !hidden.has(f.path.split('.')[0] as string));
  if (fields.length === 0) return false;
  const tags = [...new Set(fields.map(tagOf))];
  return {
    and: terms.map((term) => {
      const alternatives: Filter[] = [];
      for (const tag of tags) {
        const { keys, ranges } = termKeys(term, tag);
        for (const key of keys) alternatives.push({ field: '_tokens', op: 'has', value: key });
        for (const [low] of ranges) alternatives.push({ field: '_tokens', op: 'startsWith', value: low });
      }
      return { or: alternatives };
    }),
  };
}
