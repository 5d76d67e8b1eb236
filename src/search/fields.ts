/**
 * Field-tagged tokens: what the engine stores in a record's `_tokens`.
 *
 * A stored token is `${tag}:${token}`, where the tag is `${field}^${weight}` (`name^4`,
 * `notes^1`). The tag comes first so that everything one field holds for one term is a
 * single key range: an exact term is the key `name^4:ayse`, a prefix term the range
 * `name^4:ay` … `name^4:ay\uffff`. A search asks only the tags the caller may read, and the
 * weight in the tag ranks a name above a note without a lookup elsewhere.
 *
 * @module
 */
import { ValidationError } from '../errors';
import { emailTokens } from './email';
import { phoneTokens } from './phone';
import { tokenize } from './tokenize';

/**
 * The version of the folding and tokenizing rules. Records whose tokens were built by
 * another version must be re-tokenized before their tokens are searched. Tags carry field
 * weights, so changing a weight also calls for re-tokenizing.
 *
 * @example
 * ```ts
 * if (record._tokensVersion !== TOKENIZER_VERSION) record._tokens = buildTokens(fields);
 * ```
 */
export const TOKENIZER_VERSION = 1;

/**
 * Separates the tag from the token; never part of a tag.
 *
 * @example
 * ```ts
 * `${fieldTag('name', 4)}${TAG_SEPARATOR}ayse` // 'name^4:ayse'
 * ```
 */
export const TAG_SEPARATOR = ':';

/**
 * Upper bound of a prefix range: sorts after every UTF-16 code unit a token can hold
 * (astral letters are surrogate pairs, below it).
 *
 * @example
 * ```ts
 * IDBKeyRange.bound('name^4:ay', `name^4:ay${RANGE_END}`)
 * ```
 */
export const RANGE_END = '\uffff';

/**
 * How one field's values are turned into tokens.
 *
 * @example
 * ```ts
 * const kind: SearchFieldKind = 'phone';
 * ```
 */
export type SearchFieldKind = 'text' | 'email' | 'phone';

/**
 * One searchable field of a record and its values.
 *
 * @example
 * ```ts
 * const name: SearchField = { field: 'name', weight: 4, kind: 'text', values: ['Ayşe Yılmaz'] };
 * ```
 */
export interface SearchField {
  /** The field's name, used in its tag; no `:` or `^`. */
  readonly field: string;
  /** How much a match here counts; a positive number, e.g. 4 for a name and 1 for notes. */
  readonly weight: number;
  /** `text` is split into words, `email` into address and parts, `phone` into digits. */
  readonly kind: SearchFieldKind;
  /** The field's values (one for most fields, several for lists such as emails). */
  readonly values: readonly string[];
}

/**
 * The tag of a field: its name and weight, as stored tokens and allowed-tag sets spell it.
 *
 * @param field - the field's name; must be non-empty without `:` or `^`.
 * @param weight - a positive finite number.
 * @returns `${field}^${weight}`.
 * @throws {@link ValidationError} when the name or weight cannot be a tag.
 * @example
 * ```ts
 * fieldTag('name', 4) // 'name^4'
 * ```
 */
export function fieldTag(field: string, weight: number): string {
  if (field === '' || /[:^]/.test(field)) {
    throw new ValidationError([
      { path: ['field'], message: `search field name "${field}" must be non-empty without ":" or "^"`, code: 'invalid_search_field' },
    ]);
  }
  if (!Number.isFinite(weight) || weight <= 0) {
    throw new ValidationError([
      { path: ['weight'], message: `search field ${field} needs a positive weight, got ${weight}`, code: 'invalid_search_field' },
    ]);
  }
  return `${field}^${weight}`;
}

/**
 * Splits a stored token into its tag, the tag's weight and the bare token.
 *
 * @param stored - a token as {@link buildTokens} made it.
 * @returns the parts; weight 1 when the tag names none.
 * @example
 * ```ts
 * splitToken('name^4:ayse') // { tag: 'name^4', weight: 4, token: 'ayse' }
 * ```
 */
export function splitToken(stored: string): { tag: string; weight: number; token: string } {
  const colon = stored.indexOf(TAG_SEPARATOR);
  const tag = colon < 0 ? '' : stored.slice(0, colon);
  const caret = tag.lastIndexOf('^');
  const weight = caret < 0 ? 1 : Number(tag.slice(caret + 1));
  return { tag, weight: weight > 0 ? weight : 1, token: stored.slice(colon + 1) };
}

const KINDS: Readonly<Record<SearchFieldKind, (value: string) => string[]>> = {
  text: tokenize,
  email: emailTokens,
  phone: phoneTokens,
};

/**
 * Builds the field-tagged tokens of a record, to store as its `_tokens`.
 *
 * @param fields - each searchable field with its weight, kind and values.
 * @returns distinct `${tag}:${token}` strings, field by field in the order given.
 * @throws {@link ValidationError} when a field's name or weight cannot be a tag.
 * @example
 * ```ts
 * buildTokens([
 *   { field: 'name', weight: 4, kind: 'text', values: ['Ayşe Yılmaz'] },
 *   { field: 'phones', weight: 2, kind: 'phone', values: ['0532 123 45 67'] },
 * ])
 * // ['name^4:ayse', 'name^4:yilmaz', 'phones^2:5321234567', 'phones^2:#7654321235']
 * ```
 */
export function buildTokens(fields: readonly SearchField[]): string[] {
  const out = new Set<string>();
  for (const { field, weight, kind, values } of fields) {
    const prefix = `${fieldTag(field, weight)}${TAG_SEPARATOR}`;
    const split = KINDS[kind];
    // Phone numbers seldom repeat from one record to the next: not worth a cache slot.
    const store = kind === 'phone' ? flatToken : sharedToken;
    for (const value of values) {
      for (const token of split(value)) out.add(store(prefix, token));
    }
  }
  return [...out];
}

/** How many distinct tokens {@link sharedToken} remembers before it starts over. */
const SHARED_LIMIT = 1 << 16;
const shared = new Map<string, string>();

/**
 * A token as one flat string. A concatenation longer than a dozen characters is a rope (a
 * pair of pointers to its halves) in V8: stored by the million, the rope and its halves cost
 * about twice the flat string. `join` always builds a flat one.
 */
function flatToken(prefix: string, token: string): string {
  return [prefix, token].join('');
}

/**
 * A token, as the same string object as the last record that had it, when it is still
 * remembered. Most tokens repeat across records (first names, surnames, cities, mail domains,
 * tags), and stored records and the token index then share one string instead of each
 * holding a copy. The cache is bounded and simply starts over when full, so it never grows
 * with the data; frequent tokens are back in it at once.
 */
function sharedToken(prefix: string, token: string): string {
  const known = shared.get(prefix + token);
  if (known !== undefined) return known;
  const flat = flatToken(prefix, token);
  if (shared.size >= SHARED_LIMIT) shared.clear();
  shared.set(flat, flat);
  return flat;
}
