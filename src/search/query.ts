/**
 * The query side of full-text search: parsing what a user typed into terms, the index keys
 * each term looks up, and the reference matcher adapters must agree with.
 *
 * @module
 */
import { foldEmail } from './email';
import { RANGE_END, TAG_SEPARATOR, splitToken } from './fields';
import { foldText } from './fold';
import { phoneQueryKeys, queryPhoneDigits } from './phone';
import { foldedWords, wordPieces } from './tokenize';

/**
 * One term of a search. A stored token matches the term when it equals one of `exact` or
 * starts with one of `prefix`; every term must match some token the caller may read.
 *
 * @example
 * ```ts
 * const term: SearchTerm = { kind: 'word', exact: [], prefix: ['yil'] };
 * ```
 */
export interface SearchTerm {
  /** What the term came from: a word (or CJK bigram), a phone number, an email address. */
  readonly kind: 'word' | 'phone' | 'email';
  /** Bare tokens (no tag) matched whole. */
  readonly exact: readonly string[];
  /** Bare tokens matched as prefixes of stored tokens; equality scores as exact. */
  readonly prefix: readonly string[];
}

/**
 * A parsed search: terms that must all match (AND).
 *
 * @example
 * ```ts
 * const query: SearchQuery = parseSearch('ayse yil');
 * ```
 */
export interface SearchQuery {
  readonly terms: readonly SearchTerm[];
}

/**
 * The outcome of matching one record's tokens against a query.
 *
 * @example
 * ```ts
 * const { matched, score }: MatchResult = matchTokens(stored, query);
 * ```
 */
export interface MatchResult {
  /** Whether every term matched a token in an allowed field. */
  readonly matched: boolean;
  /** Higher is better: per term, the best field weight, doubled for an exact match; summed. */
  readonly score: number;
}

const WHITESPACE = /\s+/u;

function wordTerms(chunk: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const word of foldedWords(foldText(chunk), false)) {
    for (const piece of wordPieces(word, false)) terms.push({ kind: 'word', exact: [], prefix: [piece] });
  }
  return terms;
}

function emailTerm(chunk: string): SearchTerm[] {
  const folded = foldEmail(chunk);
  // `@example.com` searches by domain, which is stored as a token of its own.
  const key = folded.startsWith('@') ? folded.slice(1) : folded;
  return key === '' ? [] : [{ kind: 'email', exact: [], prefix: [key] }];
}

function phoneTerm(query: string): SearchTerm {
  return { kind: 'phone', ...phoneQueryKeys(query) };
}

/**
 * Parses what a user typed into search terms, folded exactly as stored tokens are.
 *
 * - A query made only of digits, spaces and `+ ( ) - . /` with at least four digits is one
 *   phone term (`+90 532 123 45 67`), which also matches the digits as a word in text.
 * - Otherwise it is split on whitespace: a chunk with `@` is an email term matched as a
 *   prefix of whole addresses (`@domain` matches domains); a phone-like chunk is a phone
 *   term; anything else gives one word term per folded word, with inner apostrophes
 *   removed (`O'Brien` → `obrien`), and CJK runs as bigrams (a lone character stays one).
 * - Every word matches by prefix, not only the last, so `yil meh` finds Mehmet Yılmaz while
 *   the user is still typing either word; an exact match scores higher.
 * - Duplicate terms are dropped; an empty query has no terms and matches nothing.
 *
 * @param text - the search box's content.
 * @returns the terms, all of which must match.
 * @example
 * ```ts
 * parseSearch('Yıl 北京').terms
 * // [{ kind: 'word', exact: [], prefix: ['yil'] }, { kind: 'word', exact: [], prefix: ['北京'] }]
 * ```
 */
export function parseSearch(text: string): SearchQuery {
  const terms: SearchTerm[] = [];
  if (queryPhoneDigits(text) !== undefined) {
    terms.push(phoneTerm(text));
  } else {
    for (const chunk of text.split(WHITESPACE)) {
      if (chunk.includes('@')) terms.push(...emailTerm(chunk));
      else if (queryPhoneDigits(chunk) !== undefined) terms.push(phoneTerm(chunk));
      else terms.push(...wordTerms(chunk));
    }
  }
  const seen = new Set<string>();
  return {
    terms: terms.filter((t) => {
      const key = JSON.stringify(t);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  };
}

/**
 * The index lookups one term needs in one field: keys to get exactly and key ranges
 * (inclusive bounds) to scan, over stored `${tag}:${token}` strings compared by UTF-16
 * code units (as JavaScript and IndexedDB compare strings).
 *
 * @param term - a term from {@link parseSearch}.
 * @param tag - a field tag the caller may read, e.g. `name^4`.
 * @returns the exact keys and the `[lower, upper]` ranges; a record matches the term in
 *   this field when its tokens hit any of them.
 * @example
 * ```ts
 * termKeys({ kind: 'word', exact: [], prefix: ['ay'] }, 'name^4')
 * // { keys: [], ranges: [['name^4:ay', 'name^4:ay\uffff']] }
 * ```
 */
export function termKeys(term: SearchTerm, tag: string): { keys: string[]; ranges: [string, string][] } {
  const head = `${tag}${TAG_SEPARATOR}`;
  return {
    keys: term.exact.map((t) => head + t),
    ranges: term.prefix.map((p): [string, string] => [head + p, head + p + RANGE_END]),
  };
}

/**
 * Matches a record's stored tokens against a query: the reference every adapter's search
 * must agree with.
 *
 * @param stored - the record's tokens from `buildTokens`.
 * @param query - from {@link parseSearch}.
 * @param allowedFieldTags - the tags the caller may read; tokens of other fields are
 *   ignored. Omitted: every field counts.
 * @returns whether every term matched and the score (per term, the best weight among
 *   matching tokens, doubled when the token equals the term, summed over terms).
 * @example
 * ```ts
 * const stored = buildTokens([{ field: 'name', weight: 4, kind: 'text', values: ['Ayşe Yılmaz'] }]);
 * matchTokens(stored, parseSearch('ayse yil')) // { matched: true, score: 12 }
 * ```
 */
export function matchTokens(stored: readonly string[], query: SearchQuery, allowedFieldTags?: ReadonlySet<string>): MatchResult {
  const terms = query.terms;
  if (terms.length === 0) return { matched: false, score: 0 };
  // Ranking reads every token of up to a thousand candidates: compare in place rather than
  // splitting each token into new strings. A record's tokens come field by field, so the tag
  // (and its weight) is parsed again only when it changes.
  const best = new Array<number>(terms.length).fill(0);
  let tag = '';
  let weight = 1;
  let allowed = false;
  let parsed = false;
  for (const s of stored) {
    let start: number;
    if (parsed && tag !== '' && s.charCodeAt(tag.length) === COLON && s.startsWith(tag)) {
      start = tag.length + 1;
    } else {
      const { tag: t, weight: w } = splitToken(s);
      tag = t;
      weight = w;
      allowed = allowedFieldTags === undefined || allowedFieldTags.has(t);
      parsed = true;
      start = s.indexOf(TAG_SEPARATOR) + 1;
    }
    if (!allowed) continue;
    for (let i = 0; i < terms.length; i++) {
      const current = best[i] as number;
      if (current >= 2 * weight) continue;
      const term = terms[i] as SearchTerm;
      const hit = equalsFrom(s, start, term.exact) || equalsFrom(s, start, term.prefix) ? 2 * weight : term.prefix.some((p) => s.startsWith(p, start)) ? weight : 0;
      if (hit > current) best[i] = hit;
    }
  }
  let score = 0;
  for (const b of best) {
    if (b === 0) return { matched: false, score: 0 };
    score += b;
  }
  return { matched: true, score };
}

const COLON = TAG_SEPARATOR.charCodeAt(0);

/** Whether `s` from `start` on equals one of `candidates`. */
function equalsFrom(s: string, start: number, candidates: readonly string[]): boolean {
  const length = s.length - start;
  for (const c of candidates) if (c.length === length && s.startsWith(c, start)) return true;
  return false;
}

