/**
 * Reading request bodies safely: a size limit enforced before and while reading, JSON only,
 * and no key that could pollute a prototype once the value is merged somewhere.
 *
 * @internal
 * @module
 */
import { HttpError, ValidationError } from '../../../src/errors';
import type { IncomingRequest } from './request';

const POISONED = new Set(['__proto__', 'constructor', 'prototype']);

/** Nesting deeper than this is refused, so a hostile body cannot exhaust the stack. */
const MAX_DEPTH = 64;

/** Read a body as text, refusing (413) one larger than `maxBytes` without reading it whole. */
export async function readText(request: IncomingRequest, maxBytes: number): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Stop reading at once: the rest of the stream is never buffered.
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ValidationError([{ path: [], message: 'the body is not valid UTF-8', code: 'invalid_body' }], { cause });
  }
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(`the request body is larger than ${maxBytes} bytes`, { status: 413, retryable: false });
}

/**
 * Read and parse a JSON body.
 * @throws `HttpError` 415 for another media type, 413 when too large; `ValidationError` for
 * malformed JSON or a forbidden key (its path relative to `argumentsAt`, when given).
 */
export async function readJson(request: IncomingRequest, maxBytes: number): Promise<unknown> {
  const type = request.headers.get('content-type');
  if (type !== null && !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new HttpError(`expected application/json, got ${type}`, { status: 415, retryable: false });
  }
  const text = await readText(request, maxBytes);
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError([{ path: [], message: `malformed JSON: ${(cause as Error).message}`, code: 'invalid_json' }], { cause });
  }
  return value;
}

/**
 * Find the first forbidden key (`__proto__`, `constructor`, `prototype`) in a parsed value.
 * `JSON.parse` makes such keys plain own properties, harmless until something merges the
 * value into another object; they are refused before anything does.
 */
export function forbiddenKeyPath(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | undefined {
  if (depth > MAX_DEPTH) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenKeyPath(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    if (POISONED.has(key)) return [...path, key];
    const found = forbiddenKeyPath((value as Record<string, unknown>)[key], [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Throw the ValidationError the engine itself would throw for a forbidden key. */
export function assertNoForbiddenKeys(value: unknown, collection: string | undefined, path: (string | number)[] = []): void {
  const found = forbiddenKeyPath(value, path);
  if (!found) return;
  const key = found[found.length - 1];
  const deep = typeof key === 'number' || !POISONED.has(String(key));
  throw new ValidationError(
    [{ path: found, message: deep ? `nesting deeper than ${MAX_DEPTH} levels` : `"${String(key)}" is not allowed as a field name`, code: deep ? 'too_deep' : 'forbidden_key' }],
    { collection },
  );
}

/** Refuse keys outside `allowed` in a request envelope (the records' own keys are the engine's). */
export function assertEnvelope(value: unknown, allowed: readonly string[], what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError([{ path: [], message: `${what} is a JSON object`, code: 'invalid_type' }]);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new ValidationError([{ path: [key], message: `unknown key in ${what}`, code: 'unrecognized_keys' }]);
  }
  return value as Record<string, unknown>;
}
