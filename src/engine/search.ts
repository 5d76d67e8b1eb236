/**
 * Full-text search as a filter over the stored `_tokens`: every query term must match a
 * token (exactly or by prefix) from a field the actor can read.
 *
 * @internal
 * @module
 */
import type { Filter } from '../query/types';
import type { CompiledEntity } from './compile';

/** The filter for a search text; `undefined` for an empty search, `false` when nothing can match. */
export function searchFilter(entity: CompiledEntity, text: string, hidden: ReadonlySet<string>): Filter | undefined | false {
  const fields = (entity.search ?? []).filter((f) => !hidden.has(f.path.split('.')[0] as string));
  const terms = text.toLowerCase().normalize('NFKC').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (terms.length === 0) return undefined;
  if (fields.length === 0) return false;
  const tags = [...new Set(fields.map((f) => f.tag))];
  return {
    and: terms.map((t) => ({ or: tags.map((tag) => ({ field: '_tokens', op: 'startsWith', value: `${tag}:${t}` }) as Filter) })),
  };
}
