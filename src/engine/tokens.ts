/**
 * Search tokens computed at write time from an entity's search fields.
 *
 * @internal
 * @module
 */
import { collectValues } from '../query/path';
import type { SearchField } from './entity';

/** The stored tokens of a record: each tagged with the field it came from. */
export function searchTokens(record: unknown, fields: readonly SearchField[]): string[] {
  const out = new Set<string>();
  for (const f of fields) {
    for (const v of collectValues(record, f.path)) {
      if (typeof v !== 'string') continue;
      for (const t of v.toLowerCase().normalize('NFKC').split(/[^\p{L}\p{N}]+/u)) if (t) out.add(`${f.tag}:${t}`);
    }
  }
  return [...out];
}
