/**
 * Text folding for full-text search: the one place that decides which spellings count as
 * the same. Stored tokens and query terms both go through {@link foldText}, so any change
 * here must bump `TOKENIZER_VERSION` (stored records are re-tokenized).
 *
 * @module
 */

/**
 * Letters mapped after accents are stripped (so ǣ → æ → ae). Kept as a short literal table
 * because these have no Unicode decomposition to strip.
 */
const LETTERS: Readonly<Record<string, string>> = {
  // Latin letters with a stroke or ligature: no canonical decomposition.
  ß: 'ss',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
  ħ: 'h',
  ŧ: 't',
  // Turkish dotless ı: toLowerCase keeps it apart from i, we do not.
  ı: 'i',
  // Greek final sigma is a positional form of σ.
  ς: 'σ',
  // Arabic yeh and alef maksura → Persian yeh (ئ arrives here as ي, its hamza stripped).
  ي: 'ی',
  ى: 'ی',
  // Arabic kaf → Persian keheh.
  ك: 'ک',
  // Teh marbuta and Urdu heh goal → heh (Persian writes ه where Arabic writes ة).
  ة: 'ه',
  ہ: 'ه',
  // Alef wasla has no decomposition; أ, إ, آ arrive here as ا.
  ٱ: 'ا',
  // Typographic apostrophes → ASCII, so O’Brien and O'Brien tokenize alike.
  '\u2018': "'",
  '\u2019': "'",
  '\u02bc': "'",
};

/** What {@link LETTERS} covers, plus Arabic-Indic and Persian digits and katakana. */
const SPECIAL = new RegExp(`[${Object.keys(LETTERS).join('')}\\u0660-\\u0669\\u06f0-\\u06f9\\u30a1-\\u30f6\\u30fd\\u30fe]`, 'g');

/** Heh with yeh above: its decomposition gives the Kurdish ە, not ه, so it is mapped first. */
const HEH_YEH = /\u06c0/g;

/** Invisible characters (ZWNJ, ZWJ, soft hyphen, bidi marks, variation selectors…) and tatweel. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u0640]/gu;

/**
 * A letter of a script whose combining marks are accents or vowel points, with its marks.
 * Marks on other scripts (Devanagari matras, Thai vowels, kana voicing) spell different
 * letters, so they are kept.
 */
const MARKED = /([\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}\p{sc=Arabic}\p{sc=Hebrew}])(\p{M}+)/gu;

const CYRILLIC = /\p{sc=Cyrillic}/u;

function special(c: string): string {
  const cp = c.charCodeAt(0);
  // Katakana → hiragana: the same syllables, typed either way.
  if (cp >= 0x30a1) return String.fromCharCode(cp - 0x60);
  if (cp >= 0x06f0 && cp <= 0x06f9) return String(cp - 0x06f0);
  if (cp >= 0x0660 && cp <= 0x0669) return String(cp - 0x0660);
  return LETTERS[c] ?? c;
}

function unmark(_: string, base: string, marks: string): string {
  // The breve makes й and ў letters of their own that users always type; ё still folds.
  return marks.includes('\u0306') && CYRILLIC.test(base) ? `${base}\u0306` : base;
}

/**
 * Folds text to the form search compares: two strings a user would call the same word
 * fold to the same string, whatever the locale of the device that folded them.
 *
 * The rules, in order:
 * 1. Unicode NFKC: full-width and half-width forms, ligatures (ﬁ, ﻻ), Arabic presentation
 *    forms, superscripts and circled characters become their plain letters and digits.
 * 2. Invisible characters are removed: ZWNJ (so می‌خواهم = میخواهم), ZWJ, zero-width space,
 *    word joiner, soft hyphen, BOM, bidi controls, variation selectors (every
 *    Default_Ignorable_Code_Point), and the Arabic tatweel ـ.
 * 3. Lowercase with the locale-independent Unicode mapping (never `toLocaleLowerCase`):
 *    I → i, İ → i + combining dot (removed in step 4).
 * 4. Unicode NFD, then combining marks are removed from Latin, Greek, Cyrillic, Arabic and
 *    Hebrew letters: é → e, ş → s, ñ → n, Vietnamese tones and horns (ễ → e, ơ → o,
 *    ư → u), Greek tonos, ё → е; Arabic harakat, tanwin, shadda, sukun, superscript alef
 *    and Quranic marks, and the hamza and madda of أ, إ, آ (→ ا), ؤ (→ و), ئ (→ ي);
 *    Hebrew niqqud. The Cyrillic breve stays (й ≠ и, ў ≠ у). Marks of other scripts spell
 *    distinct letters (Devanagari matras, Thai vowels, kana voicing が ≠ か) and are kept.
 *    Then NFC, so Hangul and the kept marks are composed again.
 * 5. Letters: ß → ss, ø → o, đ/ð → d, ł → l, æ → ae, œ → oe, þ → th, ħ → h, ŧ → t,
 *    ı → i (so İ, I, ı and i are all `i`); Greek ς → σ; katakana → hiragana (カ = か).
 * 6. Arabic script: ي (and so ئ) and ى → Persian ی; ك → Persian ک; ة, ۀ (mapped before
 *    step 4), ۂ and Urdu ہ → ه; ٱ → ا. Standalone hamza ء, Urdu ے and ھ are kept.
 * 7. Arabic-Indic (٠–٩) and Persian (۰–۹) digits → ASCII 0–9 (NFKC already did full-width).
 *
 * Not folded, on purpose: German ü → ue (it would conflate other languages' ue), simplified
 * and traditional Chinese (a large table), Urdu ے vs ی.
 *
 * @param text - any string.
 * @returns the folded string; may be shorter or longer than `text`.
 * @example
 * ```ts
 * foldText('İstanbul Straße') // 'istanbul strasse'
 * foldText('مُحَمَّد') === foldText('محمد') // true
 * ```
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(HEH_YEH, 'ه')
    .toLowerCase()
    .normalize('NFD')
    .replace(MARKED, unmark)
    .normalize('NFC')
    .replace(SPECIAL, special);
}
