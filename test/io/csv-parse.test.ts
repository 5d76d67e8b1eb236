import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCsvParser, csvCell, csvLine, guardFormula, parseCsv, writeCsv } from '../../src/io/index';

/** Parse text fed in the given chunk sizes. */
function chunked(text: string, sizes: number[]): { cells: string[]; line: number; error?: string }[] {
  const p = createCsvParser();
  const out = [];
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    out.push(...p.push(text.slice(i, i + n)));
    i += n;
  }
  out.push(...p.end());
  return out;
}

describe('parseCsv (RFC 4180 and real spreadsheets)', () => {
  it('reads CRLF, LF and lone CR line ends alike', () => {
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\n1,2\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\r1,2\r')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('reads the last record without a final line end', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('ignores a leading BOM', () => {
    expect(parseCsv('\uFEFFname\nAda\n')).toEqual([['name'], ['Ada']]);
  });

  it('keeps line breaks, delimiters and doubled quotes inside quoted cells', () => {
    expect(parseCsv('"a\r\nb","x,y","say ""hi"""\n')).toEqual([['a\r\nb', 'x,y', 'say "hi"']]);
  });

  it('skips blank lines but keeps a quoted empty cell', () => {
    expect(parseCsv('a\n\n\r\n1\n""\n')).toEqual([['a'], ['1'], ['']]);
  });

  it('keeps blank cells as empty strings', () => {
    expect(parseCsv('a,,c,\n')).toEqual([['a', '', 'c', '']]);
  });

  it('trims unquoted cells and keeps quoted cells exact', () => {
    expect(parseCsv('  Ada  , "  spaced  " ,\tx\t\n')).toEqual([['Ada', '  spaced  ', 'x']]);
  });

  it('keeps a stray quote inside an unquoted cell as a character', () => {
    expect(parseCsv('5" disk,ok\n')).toEqual([['5" disk', 'ok']]);
  });

  it('numbers records by the line they start on, quoted line breaks included', () => {
    const records = chunked('h\n"a\nb"\n\nc\r\n"x\r\ny"\nz', [1000]);
    expect(records.map((r) => [r.cells[0], r.line])).toEqual([['h', 1], ['a\nb', 2], ['c', 5], ['x\r\ny', 6], ['z', 8]]);
  });

  it('reports a quoted cell left open at the end of the input', () => {
    const records = chunked('a\n"open\n', [1000]);
    expect(records[1]).toMatchObject({ line: 2, error: 'a quoted cell is not closed before the end of the input' });
    expect(() => parseCsv('a\n"open\n')).toThrow(SyntaxError);
  });

  it('gives the same records whatever the chunk boundaries (CRLF, quotes and surrogates split)', () => {
    const text = 'name,notes\r\n"Ada","x\r\ny ""q"" 😀"\r\nBob,"a,b"\r\n';
    const whole = chunked(text, [text.length]);
    for (const size of [1, 2, 3, 5, 7]) expect(chunked(text, [size])).toEqual(whole);
  });

  it('reads a tab-delimited file', () => {
    const p = createCsvParser({ delimiter: '\t' });
    expect([...p.push('a\tb\n 1 \t"x\ty"\n'), ...p.end()].map((r) => r.cells)).toEqual([['a', 'b'], ['1', 'x\ty']]);
  });

  it('refuses a delimiter that cannot work', () => {
    expect(() => createCsvParser({ delimiter: '"' })).toThrow(RangeError);
  });
});

describe('writing CSV', () => {
  it('quotes only what must be quoted', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvLine([''])).toBe('""\r\n');
  });

  it('guards cells that a spreadsheet would run as formulas', () => {
    for (const bad of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(guardFormula(bad)).toBe(`'${bad}`);
    expect(guardFormula('Ada')).toBe('Ada');
  });
});

describe('CSV round trip (property)', () => {
  const cell = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.constantFrom('', ' ', '"', '""', ',', '\r\n', '\n', '\r', ' a ', '=1', 'a"b', '\t'),
    fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', '\t', 'é', '😀'), maxLength: 8 }),
  );
  const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 });

  it('parses back exactly the table it wrote, whatever the chunking', () => {
    fc.assert(
      fc.property(table, fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), (rows, sizes) => {
        const text = writeCsv(rows);
        expect(parseCsv(text)).toEqual(rows);
        expect(chunked(text, sizes).map((r) => r.cells)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});
