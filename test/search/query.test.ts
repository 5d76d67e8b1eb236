import { describe, expect, it } from 'vitest';
import { buildTokens } from '../../src/search/fields';
import type { SearchField } from '../../src/search/fields';
import { matchTokens, parseSearch, termKeys } from '../../src/search/query';
import type { SearchQuery } from '../../src/search/query';

const word = (prefix: string) => ({ kind: 'word', exact: [], prefix: [prefix] });

const customer = (name: string, notes = '', email = '', phone = ''): string[] => {
  const fields: SearchField[] = [
    { field: 'name', weight: 4, kind: 'text', values: [name] },
    { field: 'email', weight: 2, kind: 'email', values: email === '' ? [] : [email] },
    { field: 'phone', weight: 2, kind: 'phone', values: phone === '' ? [] : [phone] },
    { field: 'notes', weight: 1, kind: 'text', values: notes === '' ? [] : [notes] },
  ];
  return buildTokens(fields);
};
const finds = (stored: string[], query: string): boolean => matchTokens(stored, parseSearch(query)).matched;

describe('parseSearch', () => {
  it('folds each word and matches every word by prefix', () => {
    expect(parseSearch('  Yıl  MEHMET ').terms).toEqual([word('yil'), word('mehmet')]);
  });

  it('joins inner apostrophes', () => {
    expect(parseSearch("O'Brien o’bri").terms).toEqual([word('obrien'), word('obri')]);
  });

  it('splits CJK into bigrams and keeps a lone character', () => {
    expect(parseSearch('北京市 区 ABC公司').terms).toEqual([word('北京'), word('京市'), word('区'), word('abc'), word('公司')]);
  });

  it('reads a query with @ as an email and @domain as a domain', () => {
    expect(parseSearch('Mehmet.Yilmaz@Example.com.tr @Örnek.com').terms).toEqual([
      { kind: 'email', exact: [], prefix: ['mehmet.yilmaz@example.com.tr'] },
      { kind: 'email', exact: [], prefix: ['ornek.com'] },
    ]);
  });

  it('reads a phone-like query as one phone term', () => {
    expect(parseSearch('+90 532 123').terms).toEqual([{ kind: 'phone', exact: [], prefix: ['90532123', '532123', '#32123509', '#321235'] }]);
  });

  it('reads a phone-like word among others as a phone term', () => {
    expect(parseSearch('Ayşe 0532-1234').terms).toEqual([word('ayse'), { kind: 'phone', exact: [], prefix: ['05321234', '5321234', '#4321235'] }]);
  });

  it('drops duplicate terms and gives none for an empty query', () => {
    expect(parseSearch('ali ALİ Ali').terms).toEqual([word('ali')]);
    expect(parseSearch(' ... ').terms).toEqual([]);
  });
});

describe('matchTokens', () => {
  it('finds Turkish names in either case', () => {
    const stored = customer('İstanbul Işık Ispanak');
    expect(['istanbul', 'ISTANBUL', 'İSTANBUL', 'ıstanbul', 'isik', 'IŞIK', 'ışık', 'ıspanak', 'İSPANAK'].map((q) => finds(stored, q))).toEqual(
      Array(9).fill(true),
    );
  });

  it('finds Persian and Arabic text across letter variants, ZWNJ, tatweel and diacritics', () => {
    expect(finds(customer('علي'), 'علی')).toBe(true);
    expect(finds(customer('كتاب'), 'کتاب')).toBe(true);
    expect(finds(customer('می‌خواهم'), 'میخواهم')).toBe(true);
    expect(finds(customer('میخواهم'), 'می‌خواهم')).toBe(true);
    expect(finds(customer('مـــحمد'), 'محمد')).toBe(true);
    expect(finds(customer('مُحَمَّد'), 'محمد')).toBe(true);
    expect(finds(customer('محمد'), 'مُحَمَّد')).toBe(true);
    expect(finds(customer('أحمد'), 'احمد')).toBe(true);
  });

  it('finds CJK inside longer runs', () => {
    const stored = customer('北京市朝阳区');
    expect(['朝阳', '北京', '北京市', '阳区', '区', '朝', '北京市朝阳区'].map((q) => finds(stored, q))).toEqual(Array(7).fill(true));
    expect(['上海', '朝北', '京朝'].map((q) => finds(stored, q))).toEqual([false, false, false]);
  });

  it('finds Japanese in katakana or hiragana, and Korean', () => {
    expect(finds(customer('東京タワー'), 'タワー')).toBe(true);
    expect(finds(customer('東京タワー'), 'たわー')).toBe(true);
    expect(finds(customer('ｻﾄｳ ﾀﾛｳ'), 'サトウ')).toBe(true);
    expect(finds(customer('김민준 서울특별시'), '서울')).toBe(true);
    expect(finds(customer('김민준 서울특별시'), '특별시')).toBe(true);
    expect(finds(customer('김민준 서울특별시'), '부산')).toBe(false);
  });

  it('finds Cyrillic, German, Vietnamese, French, Spanish, Tagalog and Greek names', () => {
    const cases: [string, string][] = [
      ['Ёлка', 'елка'],
      ['елка', 'ЁЛКА'],
      ['ПЕТРОВ', 'петров'],
      ['Straße', 'STRASSE'],
      ['STRASSE', 'straße'],
      ['Müller', 'Muller'],
      ['Muller', 'MÜLLER'],
      ['Nguyễn Văn An', 'Nguyen'],
      ['Đặng Thị Ánh', 'Dang anh'],
      ['Françoise Lefèvre', 'francoise lefevre'],
      ['José Peña', 'jose pena'],
      ['Santo Niño', 'NIÑO'],
      ['Dasmariñas', 'dasmarinas'],
      ['Σωκράτης Παπαδόπουλος', 'σωκρατης'],
      ['ΟΔΥΣΣΕΑΣ', 'οδυσσεας'],
    ];
    expect(cases.map(([name, q]) => finds(customer(name), q))).toEqual(cases.map(() => true));
  });

  it('requires every term (AND) and matches every term by prefix', () => {
    const stored = customer('Mehmet Yılmaz');
    expect([finds(stored, 'meh yıl'), finds(stored, 'yil meh'), finds(stored, 'mehmet kaya'), finds(stored, 'ehmet')]).toEqual([true, true, false, false]);
  });

  it('finds an email whole, by prefix, by domain and by its words', () => {
    const stored = customer('Mehmet', '', 'Mehmet.Yilmaz+crm@Example.com.tr');
    expect(
      ['mehmet.yilmaz+crm@example.com.tr', 'MEHMET.YILMAZ+CRM@', '@example.com', 'yilmaz', 'crm', 'example', 'mehmet.yilmaz'].map((q) => finds(stored, q)),
    ).toEqual(Array(7).fill(true));
    expect(finds(stored, 'someone@example.com.tr')).toBe(false);
  });

  it('finds O’Brien with or without the apostrophe', () => {
    const stored = customer("Siobhán O'Brien");
    expect(['obrien', "O'Brien", 'o’bri', 'brien', 'siobhan'].map((q) => finds(stored, q))).toEqual(Array(5).fill(true));
  });

  it('scores an exact match above a prefix and a name above a note', () => {
    const stored = customer('Ayşe Yılmaz', 'met ayse in izmir');
    const allFields = [matchTokens(stored, parseSearch('ayse')), matchTokens(stored, parseSearch('ays')), matchTokens(stored, parseSearch('izmir'))];
    expect(allFields).toEqual([
      { matched: true, score: 8 },
      { matched: true, score: 4 },
      { matched: true, score: 2 },
    ]);
  });

  it('ignores tokens from fields the caller may not read', () => {
    const stored = customer('Ayşe Yılmaz', 'secret project', 'ayse@ornek.com');
    const allowed = new Set(['name^4', 'email^2']);
    expect([
      matchTokens(stored, parseSearch('secret'), allowed),
      matchTokens(stored, parseSearch('secret')),
      matchTokens(stored, parseSearch('ayse'), allowed),
      matchTokens(stored, parseSearch('ayse'), new Set()),
    ]).toEqual([
      { matched: false, score: 0 },
      { matched: true, score: 2 },
      { matched: true, score: 8 },
      { matched: false, score: 0 },
    ]);
  });

  it('matches nothing for an empty query', () => {
    expect(matchTokens(customer('Ayşe'), parseSearch('   '))).toEqual({ matched: false, score: 0 });
  });
});

describe('termKeys', () => {
  it('gives exact keys and prefix ranges inside one field tag', () => {
    expect(termKeys({ kind: 'phone', exact: ['#7654321'], prefix: ['532', '#235'] }, 'phone^2')).toEqual({
      keys: ['phone^2:#7654321'],
      ranges: [
        ['phone^2:532', 'phone^2:532\uffff'],
        ['phone^2:#235', 'phone^2:#235\uffff'],
      ],
    });
  });

  it('agrees with matchTokens when answered from a sorted index', () => {
    const records = [
      customer('Ayşe Yılmaz', 'İzmir 北京市', 'ayse@ornek.com.tr', '+90 532 123 45 67'),
      customer('Ayşegül Kaya', 'ayse', 'kaya@example.com', '0212 555 12 34'),
      customer('Ali 𐌰𐌱', 'خانه', '', '555 1234'),
    ];
    // An index as an adapter keeps it: (key, record) pairs sorted by UTF-16 code units.
    const index = records.flatMap((tokens, id) => tokens.map((key) => ({ key, id }))).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const tags = ['name^4', 'email^2', 'phone^2', 'notes^1'];
    const search = (query: SearchQuery): number[] => {
      let result: Set<number> | undefined;
      for (const term of query.terms) {
        const hits = new Set<number>();
        for (const tag of tags) {
          const { keys, ranges } = termKeys(term, tag);
          for (const e of index) {
            if (keys.includes(e.key) || ranges.some(([lo, hi]) => e.key >= lo && e.key <= hi)) hits.add(e.id);
          }
        }
        result = result === undefined ? hits : new Set([...result].filter((id) => hits.has(id)));
      }
      return [...(result ?? [])].sort();
    };
    // 5551234 is the end of 0212 555 12 34 as well as all of 555 1234.
    const queries = ['ays', 'ayse', 'AYŞEGÜL', 'kaya', '北京', '京', 'izmir', '@ornek', '0532 123', '5551234', '1234', 'خانۀ', '𐌰', 'ali ayse', 'zzz'];
    expect(queries.map((q) => search(parseSearch(q)))).toEqual(
      queries.map((q) => records.flatMap((tokens, id) => (matchTokens(tokens, parseSearch(q)).matched ? [id] : []))),
    );
    expect(queries.map((q) => search(parseSearch(q)))).toEqual([
      [0, 1],
      [0, 1],
      [1],
      [1],
      [0],
      [0],
      [0],
      [0],
      [0],
      [1, 2],
      [1, 2],
      [2],
      [2],
      [],
      [],
    ]);
  });
});
