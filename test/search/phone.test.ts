import { describe, expect, it } from 'vitest';
import { phoneQueryKeys, phoneTokens, queryPhoneDigits } from '../../src/search/phone';
import { buildTokens } from '../../src/search/fields';
import { matchTokens, parseSearch } from '../../src/search/query';

const stored = (phone: string): string[] => buildTokens([{ field: 'phone', weight: 2, kind: 'phone', values: [phone] }]);
const finds = (phone: string, query: string): boolean => matchTokens(stored(phone), parseSearch(query)).matched;

describe('phoneTokens', () => {
  it('gives an international number its digits and its national number, forward and reversed', () => {
    expect(phoneTokens('+90 (532) 123-4567')).toEqual(['905321234567', '5321234567', '#765432123509', '#7654321235']);
    expect(phoneTokens('0090 532 123 45 67')).toEqual(['905321234567', '5321234567', '#765432123509', '#7654321235']);
  });

  it('drops the trunk 0 of a national number', () => {
    expect(phoneTokens('0532 123 45 67')).toEqual(['5321234567', '#7654321235']);
  });

  it('cuts one-, two- and three-digit country codes', () => {
    expect(phoneTokens('+1 (415) 555-0100')).toEqual(['14155550100', '4155550100', '#00105555141', '#0010555514']);
    expect(phoneTokens('+44 7911 123456')).toEqual(['447911123456', '7911123456', '#654321119744', '#6543211197']);
    expect(phoneTokens('+971 50 123 4567')).toEqual(['971501234567', '501234567', '#765432105179', '#765432105']);
    expect(phoneTokens('+39 06 1234 5678')).toEqual(['390612345678', '612345678', '#876543216093', '#876543216']);
  });

  it('reads Persian and Arabic-Indic digits', () => {
    expect(phoneTokens('۰۹۱۲ ۳۴۵ ۶۷۸۹')).toEqual(['9123456789', '#9876543219']);
    expect(phoneTokens('+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧')).toEqual(['966501234567', '501234567', '#765432105669', '#765432105']);
  });

  it('stops at an extension and splits several numbers', () => {
    expect(phoneTokens('0212 555 12 34 ext. 89; 0216 444 55 66')).toEqual(['2125551234', '#4321555212', '2164445566', '#6655444612']);
    expect(phoneTokens('555-1234 x12')).toEqual(['5551234', '#4321555']);
  });

  it('gives nothing for a value without digits', () => {
    expect(phoneTokens('n/a')).toEqual([]);
    expect(phoneTokens('000')).toEqual([]);
  });
});

describe('queryPhoneDigits', () => {
  it('takes the digits of a phone-like query', () => {
    expect(queryPhoneDigits('+90 (532) 123-45-67')).toBe('905321234567');
    expect(queryPhoneDigits('۰۵۳۲ ۱۲۳')).toBe('0532123');
    expect(queryPhoneDigits('4567')).toBe('4567');
  });

  it('rejects queries with letters or fewer than four digits', () => {
    expect(queryPhoneDigits('123')).toBeUndefined();
    expect(queryPhoneDigits('Mehmet 0532')).toBeUndefined();
    expect(queryPhoneDigits('0532 ext 1')).toBeUndefined();
  });
});

describe('phoneQueryKeys', () => {
  it('matches by prefix forward and reversed, and exactly by the query’s tails', () => {
    expect(phoneQueryKeys('905321234567')).toEqual({
      exact: ['#7654321', '#76543212', '#765432123', '#7654321235'],
      prefix: ['905321234567', '#765432123509'],
    });
    expect(phoneQueryKeys('+90 532 123 45 67')).toEqual({
      exact: ['#7654321', '#76543212', '#765432123'],
      prefix: ['905321234567', '5321234567', '#765432123509', '#7654321235'],
    });
    expect(phoneQueryKeys('0532 12')).toEqual({ exact: [], prefix: ['053212', '53212', '#21235'] });
  });
});

describe('phone search', () => {
  const international = '+90 (532) 123-4567';
  const national = '0532 123 45 67';
  const queries = ['5321234567', '05321234567', '905321234567', '+90 532 123 45 67', '0090 532 1234567', '(0532) 123-4567', '۰۵۳۲۱۲۳۴۵۶۷'];

  it.each(queries)('finds both formats by %s', (query) => {
    expect([finds(international, query), finds(national, query)]).toEqual([true, true]);
  });

  it.each(['+90 532', '+90 5321', '0532 12', '532 123 4', '4567', '45 67'])('finds both while typing %s', (query) => {
    expect([finds(international, query), finds(national, query)]).toEqual([true, true]);
  });

  it('finds a Russian number across the +7 and the trunk 8 forms', () => {
    expect(finds('8 (916) 123-45-67', '+7 916 123 45 67')).toBe(true);
    expect(finds('+7 916 123-45-67', '8 916 123 45 67')).toBe(true);
  });

  it('does not find a number by other digits or by digits from its middle', () => {
    expect(finds(international, '5321234568')).toBe(false);
    expect(finds(international, '+90 532 123 45 68')).toBe(false);
    expect(finds(national, '1234 56')).toBe(false);
    expect(finds(national, '0533')).toBe(false);
  });

  it('scores the same number higher than a prefix of it', () => {
    const full = matchTokens(stored(national), parseSearch('0532 123 45 67'));
    const partial = matchTokens(stored(national), parseSearch('0532 12'));
    expect([full, partial]).toEqual([
      { matched: true, score: 4 },
      { matched: true, score: 2 },
    ]);
  });
});
