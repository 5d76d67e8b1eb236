/**
 * Encoding a call's arguments for the wire: the caller's `AbortSignal` stays on the client
 * (it cancels the request), `undefined` travels as `null`, and an `expectedVersion` in the
 * options becomes `If-Match` too.
 *
 * @internal
 * @module
 */
import type { CallRequest } from '../protocol';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** A call's body, signal and expected version. */
export interface EncodedCall {
  body: CallRequest;
  signal: AbortSignal | undefined;
  expectedVersion: number | undefined;
}

/** Encode positional arguments. */
export function encodeCall(args: readonly unknown[]): EncodedCall {
  let signal: AbortSignal | undefined;
  const out = args.map((arg) => {
    if (!isPlainObject(arg) || !(arg['signal'] instanceof AbortSignal)) return arg === undefined ? null : arg;
    signal = arg['signal'];
    // A copy without the signal; spreading defines own properties, so no key is lost or reinterpreted.
    const { signal: _signal, ...rest } = arg;
    return rest;
  });
  while (out.length && out[out.length - 1] === null && args[out.length - 1] === undefined) out.pop();
  const last = args.length > 1 ? args[args.length - 1] : undefined;
  const expected = isPlainObject(last) ? last['expectedVersion'] : undefined;
  return { body: { args: out }, signal, expectedVersion: typeof expected === 'number' && Number.isInteger(expected) ? expected : undefined };
}

/**
 * Decode a result: JSON has no `undefined`, so a void verb's `null` and the `null`s standing
 * for missing records in a list (`getMany`) become `undefined` again.
 */
export function decodeResult(result: unknown): unknown {
  if (result === null) return undefined;
  return Array.isArray(result) ? result.map((x) => (x === null ? undefined : x)) : result;
}
