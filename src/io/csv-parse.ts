/**
 * A small streaming CSV parser (RFC 4180, lenient the way spreadsheets are): text goes in
 * chunk by chunk, whole records come out, and only the record being read is held.
 *
 * @module
 */

/** One record read from CSV text. */
export interface CsvRecord {
  /** The cells, in order. Unquoted cells are trimmed of spaces and tabs; quoted cells are exact. */
  cells: string[];
  /** The physical line (1-based) the record starts on: what a text editor shows. */
  line: number;
  /** Set when the record is malformed (a quoted field never closed). */
  error?: string;
}

/** Options of {@link createCsvParser}. */
export interface CsvParseOptions {
  /** The character between cells. @defaultValue `','` */
  delimiter?: string;
}

/** A push parser: feed it text, take the records it finished. */
export interface CsvParser {
  /** Parse the next chunk of text; returns the records completed by it. */
  push(text: string): CsvRecord[];
  /** The input ended: returns the last record, if any. */
  end(): CsvRecord[];
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  /** At the start of a cell (nothing but spaces read yet). */
  Start,
  /** Inside an unquoted cell. */
  Unquoted,
  /** Inside quotes. */
  Quoted,
  /** A quote inside quotes: either the end of the cell or the first half of `""`. */
  QuoteInQuoted,
  /** After the closing quote. */
  AfterQuoted,
}

/**
 * Make a streaming CSV parser.
 *
 * What it accepts, beyond RFC 4180: LF, CRLF or lone CR line ends (also inside quoted cells,
 * kept as written); blank lines (skipped); spaces around cells (trimmed when unquoted,
 * ignored outside the quotes of a quoted cell); a stray quote inside an unquoted cell (kept
 * as a character). A leading BOM is the caller's to strip (text sources strip it).
 *
 * @param options - the delimiter.
 * @returns a parser; call `push` per chunk and `end` once.
 * @example
 * ```ts
 * const parser = createCsvParser();
 * const records = [...parser.push('name,notes\r\nAda,"said ""hi""\nthen left"\r\n'), ...parser.end()];
 * // [{ cells: ['name', 'notes'], line: 1 }, { cells: ['Ada', 'said "hi"\nthen left'], line: 2 }]
 * ```
 */
export function createCsvParser(options: CsvParseOptions = {}): CsvParser {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new RangeError(`a CSV delimiter is one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
  }
  const DELIM = delimiter.charCodeAt(0);
  const isBlank = (c: number) => (c === 0x20 || c === 0x09) && c !== DELIM;
  const trim = (s: string) => {
    let a = 0;
    let b = s.length;
    while (a < b && isBlank(s.charCodeAt(a))) a++;
    while (b > a && isBlank(s.charCodeAt(b - 1))) b--;
    return a === 0 && b === s.length ? s : s.slice(a, b);
  };

  let state = State.Start;
  let field = '';
  let cells: string[] = [];
  let anyQuoted = false;
  let line = 1;
  let recordLine = 1;
  // A CR ended the previous chunk: an LF starting the next one belongs to it.
  let skipLF = false;
  // Inside quotes, a CR ended the previous chunk: an LF after it is the same line break.
  let quotedCR = false;

  function endField(): void {
    cells.push(state === State.Unquoted || state === State.Start ? trim(field) : field);
    field = '';
    state = State.Start;
  }

  function endRecord(out: CsvRecord[]): void {
    endField();
    // A blank line is one unquoted empty cell: skipped.
    if (!(cells.length === 1 && cells[0] === '' && !anyQuoted)) out.push({ cells, line: recordLine });
    cells = [];
    anyQuoted = false;
  }

  function countLines(text: string, from: number, to: number): void {
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c === LF) {
        if (!quotedCR) line++;
        quotedCR = false;
      } else if (c === CR) {
        line++;
        quotedCR = true;
      } else quotedCR = false;
    }
  }

  return {
    push(text) {
      const out: CsvRecord[] = [];
      const n = text.length;
      let i = 0;
      if (skipLF && n > 0) {
        if (text.charCodeAt(0) === LF) i = 1;
        skipLF = false;
      }
      while (i < n) {
        if (state === State.Quoted) {
          const q = text.indexOf('"', i);
          const end = q < 0 ? n : q;
          countLines(text, i, end);
          field += text.slice(i, end);
          if (q < 0) break;
          i = q + 1;
          state = State.QuoteInQuoted;
          continue;
        }
        let c = text.charCodeAt(i);
        if (state === State.QuoteInQuoted) {
          if (c === QUOTE) {
            field += '"';
            state = State.Quoted;
            i++;
            continue;
          }
          state = State.AfterQuoted;
        }
        if (c === DELIM) {
          endField();
          i++;
          continue;
        }
        if (c === CR || c === LF) {
          endRecord(out);
          line++;
          recordLine = line;
          if (c === CR) {
            if (i + 1 < n) {
              if (text.charCodeAt(i + 1) === LF) i++;
            } else skipLF = true;
          }
          i++;
          continue;
        }
        if (state === State.AfterQuoted) {
          // Lenient: text after a closing quote is kept; spaces there are not.
          if (!isBlank(c)) field += text[i];
          i++;
          continue;
        }
        if (c === QUOTE) {
          if (trim(field) === '') {
            // A quote opens the cell (spaces before it are ignored).
            field = '';
            state = State.Quoted;
            anyQuoted = true;
            quotedCR = false;
            i++;
            continue;
          }
          // A stray quote inside an unquoted cell is a character.
          field += '"';
          state = State.Unquoted;
          i++;
          continue;
        }
        // An unquoted run up to the next special character.
        let j = i + 1;
        while (j < n) {
          c = text.charCodeAt(j);
          if (c === DELIM || c === CR || c === LF || c === QUOTE) break;
          j++;
        }
        field += text.slice(i, j);
        state = State.Unquoted;
        i = j;
      }
      return out;
    },
    end() {
      const out: CsvRecord[] = [];
      if (state === State.Quoted) {
        cells.push(field);
        out.push({ cells, line: recordLine, error: 'a quoted cell is not closed before the end of the input' });
        cells = [];
        field = '';
        state = State.Start;
        return out;
      }
      if (state !== State.Start || field !== '' || cells.length > 0) endRecord(out);
      return out;
    },
  };
}

/**
 * Parse CSV text in one go (for small inputs and tests; imports stream instead).
 *
 * @param text - CSV text; a leading BOM is ignored.
 * @param options - the delimiter.
 * @returns the records' cells.
 * @throws `SyntaxError` when a quoted cell is not closed.
 * @example
 * ```ts
 * parseCsv('a,b\n1,"x,y"\n') // [['a', 'b'], ['1', 'x,y']]
 * ```
 */
export function parseCsv(text: string, options: CsvParseOptions = {}): string[][] {
  const parser = createCsvParser(options);
  const records = [...parser.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), ...parser.end()];
  const bad = records.find((r) => r.error);
  if (bad) throw new SyntaxError(`line ${bad.line}: ${bad.error}`);
  return records.map((r) => r.cells);
}
