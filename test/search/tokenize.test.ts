import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_LENGTH, tokenize } from '../../src/search/tokenize';

describe('tokenize', () => {
  it('splits on anything that is not a letter or a digit and drops duplicates', () => {
    expect(tokenize('  Ayşe, AYŞE; ayse — (Yılmaz)/İzmir 35  ')).toEqual(['ayse', 'yilmaz', 'izmir', '35']);
  });

  it('gives the parts and the joined word for inner apostrophes', () => {
    expect(tokenize("O'Brien l’état rock 'n' roll")).toEqual(['o', 'brien', 'obrien', 'l', 'etat', 'letat', 'rock', 'n', 'roll']);
  });

  it('splits Chinese into overlapping bigrams plus the last character', () => {
    expect(tokenize('北京市朝阳区')).toEqual(['北京', '京市', '市朝', '朝阳', '阳区', '区']);
  });

  it('keeps a lone CJK character as a unigram', () => {
    expect(tokenize('王 先生')).toEqual(['王', '先生', '生']);
  });

  it('splits a mixed run into a Latin word and CJK bigrams', () => {
    expect(tokenize('ABC公司有限')).toEqual(['abc', '公司', '司有', '有限', '限']);
    expect(tokenize('iPhone15专卖店')).toEqual(['iphone15', '专卖', '卖店', '店']);
  });

  it('splits Japanese kana, folded to hiragana, into bigrams', () => {
    expect(tokenize('東京タワー')).toEqual(['東京', '京た', 'たわ', 'わー', 'ー']);
    expect(tokenize('ソウル')).toEqual(tokenize('そうる'));
  });

  it('splits Korean into bigrams per word', () => {
    expect(tokenize('안녕하세요 세계')).toEqual(['안녕', '녕하', '하세', '세요', '요', '세계', '계']);
  });

  it('splits Thai into bigrams of characters with their marks', () => {
    expect(tokenize('สมชาย')).toEqual(['สม', 'มช', 'ชา', 'าย', 'ย']);
  });

  it('keeps the marks of scripts where they are letters', () => {
    expect(tokenize('नमस्ते किताब')).toEqual(['नमस्ते', 'किताब']);
  });

  it('folds every script it splits', () => {
    expect(tokenize('Mehmet YILMAZ ıŞık')).toEqual(['mehmet', 'yilmaz', 'isik']);
    expect(tokenize('علي كتاب می‌خواهم مُحَمَّد')).toEqual(['علی', 'کتاب', 'میخواهم', 'محمد']);
    expect(tokenize('Ёлка ПЕТРОВ')).toEqual(['елка', 'петров']);
    expect(tokenize('Straße Müller')).toEqual(['strasse', 'muller']);
    expect(tokenize('Nguyễn Đặng')).toEqual(['nguyen', 'dang']);
    expect(tokenize('Ñoño Σωκράτης')).toEqual(['nono', 'σωκρατησ']);
  });

  it('drops stray marks and invisible characters', () => {
    expect(tokenize('x \u0301y ـــ \u200c')).toEqual(['x', 'y']);
  });

  it('reads Persian and Arabic-Indic digits as ASCII digits', () => {
    expect(tokenize('۱۴۰۲ ٢٠٢٤')).toEqual(['1402', '2024']);
  });

  it('cuts long tokens at MAX_TOKEN_LENGTH code points without splitting a surrogate pair', () => {
    expect(tokenize('a'.repeat(100))).toEqual(['a'.repeat(MAX_TOKEN_LENGTH)]);
    expect(tokenize('𐌰'.repeat(80))).toEqual(['𐌰'.repeat(MAX_TOKEN_LENGTH)]);
  });

  it('returns nothing for text without letters or digits', () => {
    expect(tokenize(' ,.;!? — ')).toEqual([]);
  });
});
