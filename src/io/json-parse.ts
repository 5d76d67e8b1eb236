/**
 * A streaming splitter for JSON imports: the elements of a top-level array (or of an array
 * under one top-level key, such as Salesforce's `{ "records": [...] }`), or the lines of
 * NDJSON, each parsed on its own so only one element is held at a time.
 *
 * @module
 */

/** One element read from JSON input. */
export interface JsonElement {
  /** The parsed value (absent when `error` is set). */
  value?: unknown;
  /** The element's number, from 1. */
  record: number;
  /** The line (1-based) the element starts on. */
  line: number;
  /** Why it could not be parsed. */
  error?: string;
}

/** Options of {@link createJsonSplitter}. */
export interface JsonSplitOptions {
  /**
   * `array` (a JSON array), `ndjson` (one JSON value per line), or `auto`: an array when the
   * input starts with `[` (or `arrayKey` is given), NDJSON otherwise.
   * @defaultValue `'auto'`
   */
  format?: 'auto' | 'array' | 'ndjson';
  /** Read the array under this top-level key of an object, e.g. `records`. */
  arrayKey?: string;
}

/** A push splitter: feed it text, take the elements it finished. */
export interface JsonSplitter {
  /** Split the next chunk. */
  push(text: string): JsonElement[];
  /** The input ended: the last element, and an error element when the array was left open. */
  end(): JsonElement[];
}

const enum Mode {
  /** Before the first non-space character. */
  Detect,
  /** Looking for the array (under `arrayKey`). */
  Seek,
  /** Inside the array, between elements. */
  Array,
  /** After the array (or the object holding it). */
  Done,
  /** NDJSON. */
  Lines,
}

/**
 * Make a streaming JSON splitter.
 *
 * @param options - the format and the key of the array.
 * @returns a splitter; call `push` per chunk and `end` once.
 * @example
 * ```ts
 * const s = createJsonSplitter({ arrayKey: 'records' });
 * s.push('{"records": [{"a": 1}, {"a"'); // [{ value: { a: 1 }, record: 1, line: 1 }]
 * s.push(': 2}]}'); // [{ value: { a: 2 }, record: 2, line: 1 }]
 * ```
 */
export function createJsonSplitter(options: JsonSplitOptions = {}): JsonSplitter {
  const format = options.format ?? 'auto';
  let mode: Mode = format === 'ndjson' ? Mode.Lines : Mode.Detect;
  let line = 1;
  let record = 0;
  // The element being read (array mode) or the line (NDJSON).
  let buffer = '';
  let bufferLine = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  // Seeking the array under arrayKey: the last string read at depth 1, and whether a colon followed it.
  let lastKey: string | undefined;
  let keyText = '';
  let readingKey = false;
  let afterColon = false;

  function parse(text: string, at: number): JsonElement {
    record++;
    try {
      return { value: JSON.parse(text), record, line: at };
    } catch (error) {
      return { record, line: at, error: `not valid JSON: ${(error as Error).message}` };
    }
  }

  function pushLines(text: string, out: JsonElement[]): void {
    let i = 0;
    for (;;) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) {
        buffer += text.slice(i);
        return;
      }
      buffer += text.slice(i, nl);
      const trimmed = buffer.trim();
      if (trimmed) out.push(parse(trimmed, line));
      buffer = '';
      line++;
      i = nl + 1;
    }
  }

  return {
    push(text) {
      const out: JsonElement[] = [];
      let i = 0;
      const n = text.length;
      while (i < n) {
        if (mode === Mode.Lines) {
          pushLines(text.slice(i), out);
          return out;
        }
        const ch = text[i] as string;
        if (ch === '\n') line++;
        if (mode === Mode.Done) {
          i++;
          continue;
        }
        if (mode === Mode.Detect) {
          if (/\s/.test(ch)) {
            i++;
            continue;
          }
          if (ch === '[' && options.arrayKey === undefined && format !== 'ndjson') {
            mode = Mode.Array;
            depth = 0;
            i++;
            continue;
          }
          if (ch === '{' && options.arrayKey !== undefined) {
            mode = Mode.Seek;
            depth = 1;
            i++;
            continue;
          }
          if (format === 'array') {
            out.push({ record: 1, line, error: options.arrayKey === undefined ? 'expected a JSON array' : `expected an object with the array "${options.arrayKey}"` });
            mode = Mode.Done;
            i++;
            continue;
          }
          mode = Mode.Lines;
          continue;
        }
        if (mode === Mode.Seek) {
          if (inString) {
            if (escaped) {
              escaped = false;
              if (readingKey) keyText += ch;
            } else if (ch === '\\') {
              escaped = true;
              if (readingKey) keyText += ch;
            } else if (ch === '"') {
              inString = false;
              if (readingKey) {
                lastKey = JSON.parse(`"${keyText}"`) as string;
                readingKey = false;
              }
            } else if (readingKey) keyText += ch;
            i++;
            continue;
          }
          if (ch === '"') {
            inString = true;
            readingKey = depth === 1 && !afterColon;
            keyText = '';
            if (!readingKey) lastKey = undefined;
          } else if (ch === ':' && depth === 1) afterColon = true;
          else if (ch === ',' && depth === 1) {
            afterColon = false;
            lastKey = undefined;
          } else if (ch === '[' && depth === 1 && afterColon && lastKey === options.arrayKey) {
            mode = Mode.Array;
            depth = 0;
          } else if (ch === '{' || ch === '[') depth++;
          else if (ch === '}' || ch === ']') {
            depth--;
            if (depth === 0) mode = Mode.Done;
          }
          i++;
          continue;
        }
        // Array mode: depth counts brackets inside the current element.
        if (inString) {
          // Copy a run of plain string characters at once.
          let j = i;
          while (j < n) {
            const c = text[j];
            if (escaped) escaped = false;
            else if (c === '\\') escaped = true;
            else if (c === '"') break;
            else if (c === '\n') line++;
            j++;
          }
          if (j < n) {
            inString = false;
            j++;
          }
          buffer += text.slice(i, j);
          i = j;
          continue;
        }
        if (depth === 0 && (ch === ',' || ch === ']')) {
          const t = buffer.trim();
          if (t) out.push(parse(t, bufferLine));
          buffer = '';
          if (ch === ']') mode = Mode.Done;
          i++;
          continue;
        }
        if (buffer === '' && /\s/.test(ch)) {
          i++;
          continue;
        }
        if (buffer === '') bufferLine = line;
        if (ch === '"') inString = true;
        else if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') depth--;
        buffer += ch;
        i++;
      }
      return out;
    },
    end() {
      const out: JsonElement[] = [];
      if (mode === Mode.Lines) {
        const t = buffer.trim();
        if (t) out.push(parse(t, line));
        buffer = '';
      } else if (mode === Mode.Array || mode === Mode.Seek) {
        out.push({ record: record + 1, line, error: 'the JSON array is not closed before the end of the input' });
      } else if (mode === Mode.Detect && format === 'array') {
        out.push({ record: 1, line, error: 'expected a JSON array' });
      }
      return out;
    },
  };
}
