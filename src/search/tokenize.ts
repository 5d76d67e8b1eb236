/**
 * Splitting folded text into the words search indexes.
 *
 * @module
 */
import { foldText } from './fold';

/**
 * The longest token, in code points. Longer words (URLs, base64 pasted into notes) are cut
 * here on both the stored and the query side, so they still match by prefix.
 *
 * @example
 * ```ts
 * tokenize('a'.repeat(100))[0]?.length // MAX_TOKEN_LENGTH
 * ```
 */
export const MAX_TOKEN_LENGTH = 64;

/**
 * A word: a letter or digit, then letters, digits and marks, with apostrophes allowed only
 * between them. A mark with no letter before it (an accent typed after a space) is dropped.
 */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:'[\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*/gu;

/**
 * Scripts written without spaces between words (and Korean, whose words carry particles):
 * a run of these is indexed as overlapping pairs of characters, since we cannot know where
 * its words end without a dictionary. `scx` brings in ー and 々, which belong to several.
 */
const SPACELESS = '\\p{scx=Han}\\p{scx=Hira}\\p{scx=Kana}\\p{scx=Hang}\\p{sc=Thai}\\p{sc=Laoo}\\p{sc=Khmr}\\p{sc=Mymr}';

/** A word's runs: spaceless characters with their marks, or anything else. */
const RUN = new RegExp(`(?:[${SPACELESS}]\\p{M}*)+|[^${SPACELESS}]+`, 'gu');
const SPACELESS_START = new RegExp(`^[${SPACELESS}]`, 'u');
/** One character and its marks: the unit a bigram is made of. */
const CLUSTER = /\P{M}\p{M}*/gu;

/**
 * Cuts a token to {@link MAX_TOKEN_LENGTH} code points without splitting a surrogate pair.
 *
 * @internal
 * @example
 * ```ts
 * clip('a'.repeat(100)).length // 64
 * ```
 */
export function clip(token: string): string {
  if (token.length <= MAX_TOKEN_LENGTH) return token;
  return Array.from(token).slice(0, MAX_TOKEN_LENGTH).join('');
}

/**
 * The pieces of one folded word (no apostrophes): Latin-like runs whole, spaceless runs as
 * overlapping bigrams. `lastUnigram` adds the run's final character alone, so that every
 * single character is a prefix of some stored token (the query side leaves it out).
 *
 * @internal
 * @example
 * ```ts
 * wordPieces('abc公司有', true) // ['abc', '公司', '司有', '有']
 * ```
 */
export function wordPieces(word: string, lastUnigram: boolean): string[] {
  const out: string[] = [];
  for (const run of word.match(RUN) ?? []) {
    if (!SPACELESS_START.test(run)) {
      out.push(clip(run));
      continue;
    }
    const units = run.match(CLUSTER) ?? [];
    for (let i = 0; i + 1 < units.length; i++) out.push(`${units[i] ?? ''}${units[i + 1] ?? ''}`);
    const last = units[units.length - 1];
    if (last !== undefined && (lastUnigram || units.length === 1)) out.push(last);
  }
  return out;
}

/**
 * The words of already-folded text, each as written and, when it has inner apostrophes,
 * also joined (`o'brien` → `obrien`); the parts are wanted only on the stored side.
 *
 * @internal
 * @example
 * ```ts
 * foldedWords("o'brien", true) // ['o', 'brien', 'obrien']
 * ```
 */
export function foldedWords(folded: string, withParts: boolean): string[] {
  const out: string[] = [];
  for (const word of folded.match(WORD) ?? []) {
    if (!word.includes("'")) {
      out.push(word);
      continue;
    }
    if (withParts) out.push(...word.split("'"));
    out.push(word.replaceAll("'", ''));
  }
  return out;
}

/**
 * Splits text into the distinct tokens search indexes, in order of first appearance.
 *
 * Text is folded with {@link foldText}, then split on anything that is not a letter, digit
 * or combining mark. A word with inner apostrophes gives its parts and the joined word
 * (`O'Brien` → `o`, `brien`, `obrien`), so `obrien`, `o'brien` and `brien` all find it.
 * Runs of Han, kana, Hangul, Thai, Lao, Khmer or Myanmar are split into overlapping bigrams
 * plus the run's last character (`北京市` → `北京`, `京市`, `市`); a single such character
 * stays a unigram. A word mixing scripts is split where they change (`ABC公司` → `abc`,
 * `公司`, `司`). Tokens longer than {@link MAX_TOKEN_LENGTH} code points are cut.
 *
 * @param text - any string, e.g. a name or a note.
 * @returns distinct non-empty tokens.
 * @example
 * ```ts
 * tokenize("Ayşe O'Brien, 北京市") // ['ayse', 'o', 'brien', 'obrien', '北京', '京市', '市']
 * ```
 */
export function tokenize(text: string): string[] {
  const out = new Set<string>();
  for (const word of foldedWords(foldText(text), true)) {
    for (const piece of wordPieces(word, true)) out.add(piece);
  }
  return [...out];
}
