import { describe, expect, it } from 'vitest';
import { emailTokens } from '../../src/search/email';

describe('emailTokens', () => {
  it('gives the whole address, its local part, its domain and their words', () => {
    expect(emailTokens('Mehmet.Yilmaz+crm@Example.com.tr')).toEqual([
      'mehmet.yilmaz+crm@example.com.tr',
      'mehmet.yilmaz+crm',
      'example.com.tr',
      'mehmet',
      'yilmaz',
      'crm',
      'example',
      'com',
      'tr',
    ]);
  });

  it('splits on underscores and hyphens and folds internationalized addresses', () => {
    expect(emailTokens('Ayşe_Kaya-Öz@Şirket.COM.TR')).toEqual([
      'ayse_kaya-oz@sirket.com.tr',
      'ayse_kaya-oz',
      'sirket.com.tr',
      'ayse',
      'kaya',
      'oz',
      'sirket',
      'com',
      'tr',
    ]);
  });

  it('trims the punctuation around an address', () => {
    expect(emailTokens(' <li@例え.jp>, ')).toEqual(['li@例え.jp', 'li', '例え.jp', '例え', 'え', 'jp']);
  });

  it('gives a value without @ as itself and its words', () => {
    expect(emailTokens('info.desk')).toEqual(['info.desk', 'info', 'desk']);
    expect(emailTokens('  ')).toEqual([]);
  });
});
