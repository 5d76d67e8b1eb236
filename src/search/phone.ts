/**
 * Phone numbers for search: matched by digits, whatever the format they were written or
 * typed in.
 *
 * Stored, a number gives its canonical digits (every digit, leading zeros dropped, so the
 * trunk `0` and the international `00` both go) forward, for typing left to right, and
 * reversed behind `#`, for matching by the end. Written internationally (`+` or `00`), it
 * also gives its national significant number (the country code cut off, which E.164 makes
 * unambiguous: country codes are prefix-free) both ways.
 *
 * A query's digits then match a stored number when they are a prefix of one of its forward
 * forms (`+90 532`, `0532 12`, `532123`: typing left to right), when the stored number ends
 * with them or with the query's national number (`4567`; a national query against an
 * international number; `+7 916…` against `8 916…`), or when the stored number is the last
 * {@link MIN_SUFFIX} or more digits of the query (`905321234567` typed without `+` against
 * a national number). A number is not found by digits from its middle.
 *
 * @module
 */
import { foldText } from './fold';

/**
 * The fewest digits a stored number must have to match as the tail of a longer query; a
 * local number without its area code is about this long, and shorter tails would match
 * unrelated numbers.
 *
 * @example
 * ```ts
 * // '905321234567' finds a stored '532 123 45 67' (10 digits ≥ MIN_SUFFIX)
 * ```
 */
export const MIN_SUFFIX = 7;

/**
 * The fewest digits for a query to be taken for a phone number.
 *
 * @example
 * ```ts
 * queryPhoneDigits('123') // undefined: fewer than MIN_PHONE_QUERY digits
 * ```
 */
export const MIN_PHONE_QUERY = 4;

/**
 * The two-digit country calling codes; of the rest, those starting with 1 or 7 are one
 * digit and all others three (ITU-T E.164 assignments).
 */
const TWO_DIGIT_CODES = new Set(
  '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(' '),
);

/** Where a number ends and an extension or a note begins (`x12`, `ext. 12`, `#12`). */
const END = /[\p{L}#]/u;
const PHONE_QUERY = /^[\d\s+().\-/]+$/;

/** The digits of folded text, leading zeros dropped. */
function canonical(digits: string): string {
  return digits.replace(/^0+/, '');
}

function reverse(digits: string): string {
  return [...digits].reverse().join('');
}

/** The national significant number of canonical international digits, if any remains. */
function national(digits: string): string {
  const first = digits[0];
  const size = first === '1' || first === '7' ? 1 : TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
  return canonical(digits.slice(size));
}

/** The digits of a folded phone value, and whether it was written internationally. */
function digitsOf(folded: string): { digits: string; international: boolean } {
  const digits = folded.replace(/\D/g, '');
  return { digits, international: /^\s*\+/.test(folded) || digits.startsWith('00') };
}

/** The forward and reversed forms of canonical digits, with the national number's when international. */
function forms(digits: string, international: boolean): { forward: string[]; reversed: string[] } {
  const full = canonical(digits);
  const forward = full === '' ? [] : [full];
  const nsn = international && full !== '' ? national(full) : '';
  if (nsn !== '') forward.push(nsn);
  return { forward, reversed: forward.map((d) => `#${reverse(d)}`) };
}

/**
 * The tokens that make a phone number findable by its digits in any format.
 *
 * One value may hold several numbers separated by `,` or `;`; each stops at its first
 * letter or `#` (an extension). Persian, Arabic-Indic and full-width digits count as digits.
 *
 * @param phone - a phone number as written, e.g. `+90 (532) 123-4567`.
 * @returns the canonical digits forward and `#`-reversed, plus the national number's when
 *   written with `+` or `00`; empty when it has no digits.
 * @example
 * ```ts
 * phoneTokens('+90 (532) 123-4567')
 * // ['905321234567', '5321234567', '#765432123509', '#7654321235']
 * phoneTokens('0532 123 45 67') // ['5321234567', '#7654321235']
 * ```
 */
export function phoneTokens(phone: string): string[] {
  const out = new Set<string>();
  for (const part of foldText(phone).split(/[,;]/)) {
    const end = part.search(END);
    const { digits, international } = digitsOf(end < 0 ? part : part.slice(0, end));
    const { forward, reversed } = forms(digits, international);
    for (const t of [...forward, ...reversed]) out.add(t);
  }
  return [...out];
}

/**
 * The digits of a query that looks like a phone number: only digits, spaces and `+ ( ) - . /`,
 * with at least {@link MIN_PHONE_QUERY} digits.
 *
 * @param query - what the user typed.
 * @returns the digits as typed (leading zeros kept), or `undefined` when it is not a phone.
 * @example
 * ```ts
 * queryPhoneDigits('+90 532 123 45 67') // '905321234567'
 * queryPhoneDigits('Mehmet') // undefined
 * ```
 */
export function queryPhoneDigits(query: string): string | undefined {
  const folded = foldText(query).trim();
  if (!PHONE_QUERY.test(folded)) return undefined;
  const digits = folded.replace(/\D/g, '');
  return digits.length >= MIN_PHONE_QUERY ? digits : undefined;
}

/**
 * The stored tokens a phone query matches, as exact keys and key prefixes.
 *
 * @internal Used by `parseSearch`; exported for its tests and for adapters' tests.
 * @param query - a query {@link queryPhoneDigits} accepted.
 * @returns `prefix`: the typed digits (for numbers in text), each forward form and each
 *   reversed form; `exact`: the reversed query's prefixes of at least
 *   {@link MIN_SUFFIX} digits, which are the stored numbers the query ends with.
 * @example
 * ```ts
 * phoneQueryKeys('0532 12') // { exact: [], prefix: ['053212', '53212', '#21235'] }
 * ```
 */
export function phoneQueryKeys(query: string): { exact: string[]; prefix: string[] } {
  const { digits, international } = digitsOf(foldText(query).trim());
  const { forward, reversed } = forms(digits, international);
  // Reversed forms as prefixes: stored numbers ending with the query, or with its national
  // number (which also covers a national form with another trunk prefix, like Russia's 8).
  const prefix = new Set<string>([digits, ...forward, ...reversed]);
  const tail = reversed[0];
  const exact: string[] = [];
  // A stored number is a tail of the query when its reversal is a prefix of the query's.
  // Stored digits never start with 0, so their reversal never ends with one.
  for (let k = MIN_SUFFIX + 1; tail !== undefined && k < tail.length; k++) {
    const key = tail.slice(0, k);
    if (!key.endsWith('0') && !prefix.has(key)) exact.push(key);
  }
  return { exact, prefix: [...prefix] };
}
