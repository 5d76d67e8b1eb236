/**
 * Email addresses for search: found by the whole address and by its parts.
 *
 * @module
 */
import { foldText } from './fold';
import { foldedWords, wordPieces } from './tokenize';

/** Anything around an address that is not part of it (`<a@b.c>,`, trailing dots). */
const EDGES = /^[^\p{L}\p{N}@]+|[^\p{L}\p{N}]+$/gu;

/**
 * Folds an address or address fragment the way stored addresses are folded, trimming
 * punctuation around it.
 *
 * @internal Used by `emailTokens` and `parseSearch`.
 * @example
 * ```ts
 * foldEmail('<Mehmet@Example.COM>,') // 'mehmet@example.com'
 * ```
 */
export function foldEmail(email: string): string {
  return foldText(email).trim().replace(EDGES, '');
}

/**
 * The tokens that make an email address findable whole, by its local part, by its domain,
 * and by the words of each (split on `.`, `_`, `-`, `+` and anything else not a letter or
 * digit).
 *
 * The address is folded like any text (`Yılmaz@Örnek.com.tr` = `yilmaz@ornek.com.tr`).
 * A value without `@` gives itself and its words.
 *
 * @param email - an address as written.
 * @returns distinct tokens: whole, local part, domain, then the words.
 * @example
 * ```ts
 * emailTokens('Mehmet.Yilmaz+crm@Example.com.tr')
 * // ['mehmet.yilmaz+crm@example.com.tr', 'mehmet.yilmaz+crm', 'example.com.tr',
 * //  'mehmet', 'yilmaz', 'crm', 'example', 'com', 'tr']
 * ```
 */
export function emailTokens(email: string): string[] {
  const whole = foldEmail(email);
  if (whole === '') return [];
  const at = whole.lastIndexOf('@');
  const parts = at < 0 ? [whole] : [whole, whole.slice(0, at), whole.slice(at + 1)];
  const out = new Set(parts.filter((p) => p !== ''));
  for (const word of foldedWords(whole, true)) {
    for (const piece of wordPieces(word, true)) out.add(piece);
  }
  return [...out];
}
