/**
 * Import inputs as text, chunk by chunk: strings, Blobs and Files, web ReadableStreams and
 * async iterables (Node streams), decoded as UTF-8 with a streaming TextDecoder so a
 * character split across chunks survives and nothing is read whole.
 *
 * @module
 */

/**
 * What an import reads: text, a `Blob`/`File`, a `ReadableStream` of bytes or text, or any
 * (async) iterable of bytes or text such as a Node `fs.createReadStream`.
 *
 * @example
 * ```ts
 * const input: ImportInput = fileInput.files[0]; // a File from an <input type="file">
 * ```
 */
export type ImportInput =
  | string
  | Blob
  | ReadableStream<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

/** Text chunks of an input, with how many bytes (or characters, for text) were read. */
export interface TextSource {
  /** The text, chunk by chunk; a leading BOM removed. */
  chunks: AsyncIterable<string>;
  /** Bytes (or characters) read so far. */
  readonly done: () => number;
  /** The input's size when known (a Blob's bytes, a string's characters). */
  total: number | undefined;
}

/** Characters per chunk when the input is one string. */
const STRING_CHUNK = 64 * 1024;

function isReadableStream(v: unknown): v is ReadableStream<Uint8Array | string> {
  return typeof v === 'object' && v !== null && typeof (v as ReadableStream).getReader === 'function';
}

function isBlob(v: unknown): v is Blob {
  return typeof Blob !== 'undefined' && v instanceof Blob;
}

async function* fromStream(stream: ReadableStream<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopped early (cancelled, failed): tell the producer we are done with it.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * Turn an import input into text chunks.
 *
 * @param input - what to read.
 * @returns the chunks, a progress counter and the size when known.
 * @throws `TypeError` for an input of another kind.
 * @example
 * ```ts
 * for await (const text of textSource(file).chunks) parser.push(text);
 * ```
 */
export function textSource(input: ImportInput): TextSource {
  let read = 0;
  if (typeof input === 'string') {
    return {
      total: input.length,
      done: () => read,
      chunks: (async function* () {
        let i = input.charCodeAt(0) === 0xfeff ? 1 : 0;
        while (i < input.length) {
          let end = Math.min(input.length, i + STRING_CHUNK);
          // Never split a surrogate pair.
          if (end < input.length && (input.charCodeAt(end - 1) & 0xfc00) === 0xd800) end++;
          yield input.slice(i, end);
          read = end;
          i = end;
        }
      })(),
    };
  }
  let total: number | undefined;
  let bytes: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  if (isBlob(input)) {
    total = input.size;
    bytes = fromStream(input.stream() as ReadableStream<Uint8Array>);
  } else if (isReadableStream(input)) {
    bytes = fromStream(input);
  } else if (typeof input === 'object' && input !== null && (Symbol.asyncIterator in input || Symbol.iterator in input)) {
    bytes = input;
  } else {
    throw new TypeError('an import input is a string, a Blob or File, a ReadableStream, or an (async) iterable of bytes or text');
  }
  return {
    total,
    done: () => read,
    chunks: (async function* () {
      // The decoder drops a UTF-8 BOM itself; text chunks are checked by hand.
      const decoder = new TextDecoder('utf-8');
      let first = true;
      for await (const chunk of bytes) {
        let text: string;
        if (typeof chunk === 'string') {
          text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
          read += chunk.length;
        } else {
          text = decoder.decode(chunk, { stream: true });
          read += chunk.byteLength;
        }
        first = false;
        if (text) yield text;
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    })(),
  };
}
