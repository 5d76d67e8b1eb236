/**
 * Keyset cursors: opaque strings holding the last row's sort key and a hash of the query
 * they belong to, so a page stays right while records before it come and go, and a cursor
 * cannot be replayed against another query.
 *
 * @module
 */
import { QueryError } from '../errors';
import { canonicalJson } from './order';
import type { Filter, OrderBy } from './types';

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A short hash of what a cursor is bound to: collection, filter and ordering.
 *
 * @example
 * ```ts
 * const hash = queryHash('customers', { field: 'tier', op: 'eq', value: 'vip' }, [{ field: 'name' }, { field: 'id' }]);
 * ```
 */
export function queryHash(collection: string, where: Filter | undefined, orderBy: readonly OrderBy[]): string {
  const text = canonicalJson({ c: collection, w: where ?? null, o: orderBy });
  return fnv1a(text, 0x811c9dc5).toString(36) + fnv1a(text, 0x01000193).toString(36);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    if (i + 1 < bytes.length) out += B64[(n >> 6) & 63]!;
    if (i + 2 < bytes.length) out += B64[n & 63]!;
  }
  return out;
}

function fromBase64Url(text: string): Uint8Array {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of text) {
    const v = B64.indexOf(ch);
    if (v < 0) throw new Error('bad character');
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

/**
 * Encode a cursor from the last row's sort key. A missing value is kept distinct from `null`.
 *
 * @example
 * ```ts
 * const { hash } = normalizeQuery('customers', { orderBy: [{ field: 'name' }] });
 * const nextCursor = encodeCursor(hash, ['Ada Lovelace', 'c-01']); // the last row's name and id
 * ```
 */
export function encodeCursor(hash: string, key: readonly unknown[]): string {
  const payload = { h: hash, k: key.map((v) => (v === undefined ? [] : [v])) };
  return toBase64Url(new TextEncoder().encode(JSON.stringify(payload)));
}

/**
 * Decode a cursor, checking that it belongs to the query with this hash.
 *
 * @example
 * ```ts
 * const { hash, orderBy } = normalizeQuery('customers', { orderBy: [{ field: 'name' }] });
 * decodeCursor(encodeCursor(hash, ['Ada Lovelace', 'c-01']), hash, orderBy.length); // ['Ada Lovelace', 'c-01']
 * ```
 * @throws {@link QueryError} when the cursor is malformed or belongs to another query.
 */
export function decodeCursor(cursor: string, hash: string, keyLength: number): unknown[] {
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(cursor)));
  } catch {
    throw new QueryError('cursor is malformed', ['cursor']);
  }
  const p = payload as { h?: unknown; k?: unknown };
  if (typeof payload !== 'object' || payload === null || typeof p.h !== 'string' || !Array.isArray(p.k)) {
    throw new QueryError('cursor is malformed', ['cursor']);
  }
  if (p.h !== hash || p.k.length !== keyLength) {
    throw new QueryError('cursor belongs to another query (filter, order or collection changed)', ['cursor']);
  }
  return p.k.map((slot: unknown) => {
    if (!Array.isArray(slot) || slot.length > 1) throw new QueryError('cursor is malformed', ['cursor']);
    return slot.length === 0 ? undefined : slot[0];
  });
}
