/**
 * Search tokens computed at write time from an entity's search fields, each tagged with the
 * field it came from (and its weight), so a search never hits through a field the caller
 * cannot read and names rank above notes.
 *
 * @internal
 * @module
 */
import { collectValues } from '../query/path';
import { buildTokens, fieldTag } from '../search/index';
import type { SearchField as TokenField } from '../search/index';
import type { SearchField } from './entity';

/** The stored tokens of a record. */
export function searchTokens(record: unknown, fields: readonly SearchField[]): string[] {
  const input: TokenField[] = [];
  for (const f of fields) {
    const values = collectValues(record, f.path).flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []));
    if (values.length) input.push({ field: f.tag, weight: f.weight, kind: f.kind, values });
  }
  return buildTokens(input);
}

/** The tag a field's tokens carry. */
export function tagOf(field: SearchField): string {
  return fieldTag(field.tag, field.weight);
}

