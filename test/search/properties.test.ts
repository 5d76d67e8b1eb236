import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTokens } from '../../src/search/fields';
import { foldText } from '../../src/search/fold';
import { matchTokens, parseSearch } from '../../src/search/query';
import { tokenize } from '../../src/search/tokenize';

const letters = (alphabet: string): fc.Arbitrary<string> => fc.constantFrom(...Array.from(alphabet));
const range = (from: number, to: number): fc.Arbitrary<string> => fc.integer({ min: from, max: to }).map((cp) => String.fromCodePoint(cp));
/** A letter with an optional vowel sign or tone mark: marks never start a word. */
const syllable = (base: string, marks: string): fc.Arbitrary<string> =>
  fc.tuple(letters(base), fc.option(letters(marks), { nil: '' })).map(([b, m]) => b + m);

/** Letters of one script each; a word never mixes scripts, a name mixes words. */
const scripts: fc.Arbitrary<string>[] = [
  letters('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZçğıİöşüÇĞÖŞÜßẞàáâãäåèéêëìíîïñòóôõùúûýÿøØæÆœŒđĐłŁơưễẠ'),
  letters('αβγδεζηθικλμνξοπρσςτυφχψωΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩάέήίόύώΐΰ'),
  letters('абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯіїєў'),
  letters('ابتثجحخدذرزسشصضطظعغفقكلمنهويیىکةأإآؤئپچژگ'),
  letters('אבגדהוזחטיכלמנסעפצקרשתךםןףץ'),
  letters('აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ'),
  letters('ԱԲԳԴԵԶԷԸԹԺԻԼԽԾԿՀՁՂՃՄՅՆՇՈՉՊՋՌՍՎՏՐՑՒՓՔՕՖաբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ'),
  syllable('कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह', 'ािीुूेैोौं'),
  syllable('กขคงจฉชซญดตถทนบปผพฟภมยรลวศษสหอฮ', 'ัิีึืุู่้๊๋'),
  range(0x4e00, 0x9fff),
  range(0x3041, 0x3096),
  range(0x30a1, 0x30fa),
  range(0xac00, 0xd7a3),
];
const word = fc.oneof(...scripts.map((s) => fc.array(s, { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''))));
const name = fc.array(word, { minLength: 1, maxLength: 4 });

const stored = (value: string): string[] => buildTokens([{ field: 'name', weight: 4, kind: 'text', values: [value] }]);

describe('search properties', () => {
  it('finds a name by any of its words and by any prefix of its last word', () => {
    fc.assert(
      fc.property(name, (words) => {
        const tokens = stored(words.join(' '));
        for (const w of words) expect(matchTokens(tokens, parseSearch(w)).matched, w).toBe(true);
        const last = Array.from(words[words.length - 1] ?? '');
        for (let i = 1; i <= last.length; i++) {
          const prefix = last.slice(0, i).join('');
          expect(matchTokens(tokens, parseSearch(prefix)).matched, prefix).toBe(true);
        }
        expect(matchTokens(tokens, parseSearch(words.join(' '))).matched).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('finds a name by its words typed in another case', () => {
    fc.assert(
      fc.property(name, (words) => {
        const tokens = stored(words.join(' '));
        const shouted = words.map((w) => w.toUpperCase()).join(' ');
        expect(matchTokens(tokens, parseSearch(shouted)).matched, shouted).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('folds idempotently', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 24 }), (text) => {
        expect(foldText(foldText(text))).toBe(foldText(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('makes tokens that are non-empty, distinct, and free of spaces and separators', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const tokens = tokenize(text);
        expect(new Set(tokens).size).toBe(tokens.length);
        for (const t of tokens) expect(t).toMatch(/^[^\s:'’]+$/u);
      }),
      { numRuns: 5000 },
    );
  });

  it('finds a phone number written nationally or internationally by the other form', () => {
    const countryCode = fc.constantFrom('1', '7', '20', '44', '49', '86', '90', '98', '353', '852', '971');
    const nsn = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 9 })).map(
      ([first, rest]) => `${first}${rest.join('')}`,
    );
    const spaced = (digits: string, seps: string[]): string => Array.from(digits).map((d, i) => `${d}${seps[i % seps.length] ?? ''}`).join('');
    const separators = fc.array(fc.constantFrom('', ' ', '-', '.'), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(countryCode, nsn, separators, (cc, number, seps) => {
        const international = `+${cc} ${spaced(number, seps)}`;
        const national = `0${spaced(number, seps)}`;
        const phones = (value: string): string[] => buildTokens([{ field: 'phone', weight: 2, kind: 'phone', values: [value] }]);
        for (const query of [international, national, number, `${cc}${number}`, `00${cc}${number}`, `0${number}`]) {
          expect(matchTokens(phones(international), parseSearch(query)).matched, `${international} by ${query}`).toBe(true);
          expect(matchTokens(phones(national), parseSearch(query)).matched, `${national} by ${query}`).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
