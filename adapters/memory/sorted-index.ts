/**
 * The ordered structure behind every index of the memory adapter: entries `(key, id)` kept in
 * a list of sorted chunks (the layout of Python's `sortedcontainers`). A lookup is two binary
 * searches; an insert or delete moves at most one chunk's worth of pointers, so writes stay
 * cheap at a million entries without the bookkeeping of a balanced tree.
 *
 * @internal
 * @module
 */
import { compareParts } from './keys';

/** A place between entries: chunk number and offset inside it (`chunk === chunks.length` is the end). */
export interface Position {
  /** Chunk number. */
  chunk: number;
  /** Offset inside the chunk. */
  offset: number;
}

/**
 * A run of entries. `keys` holds each entry's key parts inline, `width` per entry: a compound
 * key costs its parts alone, not an array object per entry besides (for an audit trail with
 * three compound indexes, about 150 bytes per record). Width 0 (the primary key) keeps none.
 */
interface Chunk {
  keys: unknown[];
  ids: string[];
}

/** Chunks split above this size and are built at half of it. */
const MAX_CHUNK = 1024;
const LOAD = MAX_CHUNK / 2;

function compareIds(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * Entries ordered by key, then id. A key has `width` parts: a scalar when the width is 1, an
 * array for a compound index, and nothing (`undefined`) for width 0 (the primary key, ordered
 * by id alone). Keys are passed in and handed out in that form; inside, parts are stored flat.
 */
export class SortedIndex {
  private chunks: Chunk[] = [];
  private starts: number[] | undefined;
  /** Number of entries. */
  size = 0;

  /** @param width - parts per key. */
  constructor(readonly width: number) {}

  /** Compare a key (in the form passed in) with a prefix of key parts (only the prefix's parts decide). */
  comparePrefix(key: unknown, prefix: readonly unknown[]): number {
    const n = Math.min(prefix.length, this.width);
    if (this.width === 1) return n === 0 ? 0 : compareParts(key, prefix[0]);
    const parts = key as readonly unknown[];
    for (let i = 0; i < n; i++) {
      const c = compareParts(parts[i], prefix[i]);
      if (c !== 0) return c;
    }
    return 0;
  }

  /** Compare the stored key at entry `i` of a chunk's `keys` with a prefix of key parts. */
  private comparePrefixAt(keys: readonly unknown[], i: number, prefix: readonly unknown[]): number {
    const w = this.width;
    const n = Math.min(prefix.length, w);
    if (w === 1) return n === 0 ? 0 : compareParts(keys[i], prefix[0]);
    const base = i * w;
    for (let j = 0; j < n; j++) {
      const c = compareParts(keys[base + j], prefix[j]);
      if (c !== 0) return c;
    }
    return 0;
  }

  /** The stored key at entry `i` of a chunk's `keys`, in the form keys are passed in. */
  private keyAt(keys: readonly unknown[], i: number): unknown {
    const w = this.width;
    return w === 0 ? undefined : w === 1 ? keys[i] : keys.slice(i * w, i * w + w);
  }

  /** Append a key's stored parts to a chunk's `keys`. */
  private pushKey(keys: unknown[], key: unknown): void {
    const w = this.width;
    if (w === 1) keys.push(key);
    else for (let j = 0; j < w; j++) keys.push((key as readonly unknown[])[j]);
  }

  /** The key as a prefix of its parts. */
  partsOf(key: unknown): readonly unknown[] {
    return this.width === 0 ? [] : this.width === 1 ? [key] : (key as readonly unknown[]);
  }

  /**
   * The first position whose entry is at or after (`strict`: after) the target `(prefix, id)`.
   * Without an id, the target is the whole group of entries sharing the prefix.
   */
  seek(prefix: readonly unknown[], id: string | undefined, strict: boolean): Position {
    const before = (chunk: Chunk, i: number): boolean => {
      let c = this.comparePrefixAt(chunk.keys, i, prefix);
      if (c === 0 && id !== undefined) c = compareIds(chunk.ids[i] as string, id);
      return strict ? c <= 0 : c < 0;
    };
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid] as Chunk;
      if (before(chunk, chunk.ids.length - 1)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === chunks.length) return { chunk: lo, offset: 0 };
    const chunk = chunks[lo] as Chunk;
    let a = 0;
    let b = chunk.ids.length - 1;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (before(chunk, mid)) a = mid + 1;
      else b = mid;
    }
    return { chunk: lo, offset: a };
  }

  /** The position of the first entry. */
  start(): Position {
    return { chunk: 0, offset: 0 };
  }

  /** The position after the last entry. */
  end(): Position {
    return { chunk: this.chunks.length, offset: 0 };
  }

  /** How many entries lie before a position. */
  rank(pos: Position): number {
    if (this.starts === undefined) {
      const starts: number[] = [];
      let n = 0;
      for (const chunk of this.chunks) {
        starts.push(n);
        n += chunk.ids.length;
      }
      starts.push(n);
      this.starts = starts;
    }
    return (this.starts[pos.chunk] ?? this.size) + pos.offset;
  }

  /** Number of entries from `from` (inclusive) to `to` (exclusive). */
  countBetween(from: Position, to: Position): number {
    return Math.max(0, this.rank(to) - this.rank(from));
  }

  /**
   * Visit entries' ids from `from` up to `to` (exclusive), backwards when `reverse`, until the
   * visitor returns `false`. The index must not change during the walk.
   */
  walk(from: Position, to: Position, reverse: boolean, visit: (id: string) => boolean | void): void {
    const chunks = this.chunks;
    if (!reverse) {
      for (let c = from.chunk, o = from.offset; c < to.chunk || (c === to.chunk && o < to.offset); ) {
        const chunk = chunks[c] as Chunk;
        if (visit(chunk.ids[o] as string) === false) return;
        if (++o >= chunk.ids.length) {
          c++;
          o = 0;
        }
      }
      return;
    }
    let c = to.chunk;
    let o = to.offset;
    for (;;) {
      if (o === 0) {
        if (c === 0) return;
        c--;
        o = (chunks[c] as Chunk).ids.length;
      }
      o--;
      if (c < from.chunk || (c === from.chunk && o < from.offset)) return;
      const chunk = chunks[c] as Chunk;
      if (visit(chunk.ids[o] as string) === false) return;
    }
  }

  /** Visit every entry in order with its key (built afresh for a compound index), until the visitor returns `false`. */
  entries(visit: (id: string, key: unknown) => boolean | void): void {
    for (const chunk of this.chunks) {
      for (let o = 0; o < chunk.ids.length; o++) if (visit(chunk.ids[o] as string, this.keyAt(chunk.keys, o)) === false) return;
    }
  }

  /** Ids of the entries with exactly this key. */
  idsWithKey(key: unknown): string[] {
    const parts = this.partsOf(key);
    const out: string[] = [];
    this.walk(this.seek(parts, undefined, false), this.seek(parts, undefined, true), false, (id) => {
      out.push(id);
    });
    return out;
  }

  /** Add one entry (the caller guarantees it is not present). */
  insert(key: unknown, id: string): void {
    this.starts = undefined;
    this.size++;
    const w = this.width;
    if (this.chunks.length === 0) {
      const chunk: Chunk = { keys: [], ids: [id] };
      this.pushKey(chunk.keys, key);
      this.chunks.push(chunk);
      return;
    }
    const pos = this.seek(this.partsOf(key), id, false);
    let chunk = this.chunks[pos.chunk];
    let offset = pos.offset;
    if (chunk === undefined) {
      chunk = this.chunks[this.chunks.length - 1] as Chunk;
      pos.chunk = this.chunks.length - 1;
      offset = chunk.ids.length;
    }
    if (offset === chunk.ids.length) {
      this.pushKey(chunk.keys, key);
      chunk.ids.push(id);
    } else {
      if (w === 1) chunk.keys.splice(offset, 0, key);
      else if (w > 1) chunk.keys.splice(offset * w, 0, ...(key as readonly unknown[]).slice(0, w));
      chunk.ids.splice(offset, 0, id);
    }
    if (chunk.ids.length > MAX_CHUNK) {
      const half = chunk.ids.length >>> 1;
      const right: Chunk = { keys: chunk.keys.splice(half * w), ids: chunk.ids.splice(half) };
      this.chunks.splice(pos.chunk + 1, 0, right);
    }
  }

  /** Remove one entry; `false` when it was not there. */
  delete(key: unknown, id: string): boolean {
    const parts = this.partsOf(key);
    const pos = this.seek(parts, id, false);
    const chunk = this.chunks[pos.chunk];
    // The entry found must hold this very key, not just this id under a neighbouring key.
    if (chunk === undefined || chunk.ids[pos.offset] !== id || this.comparePrefixAt(chunk.keys, pos.offset, parts) !== 0) return false;
    this.starts = undefined;
    this.size--;
    chunk.keys.splice(pos.offset * this.width, this.width);
    chunk.ids.splice(pos.offset, 1);
    if (chunk.ids.length === 0) {
      this.chunks.splice(pos.chunk, 1);
    } else if (chunk.ids.length < LOAD / 4) {
      // Merge a thinned chunk into a neighbour so chunk count tracks size after mass deletes.
      const next = this.chunks[pos.chunk + 1];
      if (next !== undefined && next.ids.length + chunk.ids.length <= MAX_CHUNK) {
        chunk.keys.push(...next.keys);
        chunk.ids.push(...next.ids);
        this.chunks.splice(pos.chunk + 1, 1);
      }
    }
    return true;
  }

  /** Compare the stored entry `i` of a chunk with an entry `(key, id)` whose key is in the form passed in. */
  private compareAt(keys: readonly unknown[], ids: readonly string[], i: number, key: unknown, id: string): number {
    const w = this.width;
    if (w === 1) {
      const c = compareParts(keys[i], key);
      if (c !== 0) return c;
    } else if (w > 1) {
      const parts = key as readonly unknown[];
      const base = i * w;
      for (let j = 0; j < w; j++) {
        const c = compareParts(keys[base + j], parts[j]);
        if (c !== 0) return c;
      }
    }
    return compareIds(ids[i] as string, id);
  }

  /**
   * Add many entries at once (the caller guarantees none is present). The batch is sorted on
   * its own and then merged: into the whole index in one pass when it is a sizeable share of
   * it, otherwise chunk by chunk — each chunk that receives entries is rebuilt once, with one
   * binary search per entry inside that chunk only. One binary-searched splice per entry over
   * the whole index (the way single inserts go) cost a seek across every chunk and a
   * half-chunk move per entry, which is what made large bulk loads slow down as they grew.
   */
  insertMany(keys: readonly unknown[], ids: readonly string[]): void {
    if (ids.length < 8) {
      for (let i = 0; i < ids.length; i++) this.insert(keys[i], ids[i] as string);
      return;
    }
    const order = this.sortedOrder(keys, ids);
    if (this.chunks.length === 0 || ids.length * 8 >= this.size) {
      this.mergeAll(keys, ids, order);
      return;
    }
    this.starts = undefined;
    this.size += ids.length;
    const chunks = this.chunks;
    const out: Chunk[] = [];
    let j = 0;
    for (let c = 0; c < chunks.length; c++) {
      const chunk = chunks[c] as Chunk;
      let end = j;
      if (c === chunks.length - 1) {
        end = order.length;
      } else {
        const at = chunk.ids.length - 1;
        while (end < order.length && this.compareAt(chunk.keys, chunk.ids, at, keys[order[end] as number], ids[order[end] as number] as string) > 0) end++;
      }
      if (end === j) {
        out.push(chunk);
        continue;
      }
      this.mergeInto(chunk, keys, ids, order, j, end, out);
      j = end;
    }
    this.chunks = out;
  }

  /** Merge the batch entries `order[from..to)` into one chunk and push the result (split if too big) to `out`. */
  private mergeInto(chunk: Chunk, keys: readonly unknown[], ids: readonly string[], order: readonly number[], from: number, to: number, out: Chunk[]): void {
    const w = this.width;
    const oldKeys = chunk.keys;
    const oldIds = chunk.ids;
    const n = oldIds.length;
    // Where an entry goes: after every old entry ordered before it, searched from `lo` on.
    const place = (at: number, lo: number): number => {
      const k = keys[at];
      const id = ids[at] as string;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.compareAt(oldKeys, oldIds, mid, k, id) < 0) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    if (to - from === 1 && n < MAX_CHUNK) {
      // One entry: a splice moves less than a rebuild copies.
      const at = order[from] as number;
      const pos = place(at, 0);
      if (w === 1) oldKeys.splice(pos, 0, keys[at]);
      else if (w > 1) oldKeys.splice(pos * w, 0, ...(keys[at] as readonly unknown[]).slice(0, w));
      oldIds.splice(pos, 0, ids[at] as string);
      out.push(chunk);
      return;
    }
    // Sized up front: pushing would leave up to half again as many unused slots in every
    // rebuilt chunk, and the chunks of a large index are a good part of its memory.
    const total = n + to - from;
    const newKeys = new Array<unknown>(total * w);
    const newIds = new Array<string>(total);
    let w2 = 0;
    let prev = 0;
    const copyOld = (until: number): void => {
      for (let i = prev; i < until; i++, w2++) {
        for (let j = 0; j < w; j++) newKeys[w2 * w + j] = oldKeys[i * w + j];
        newIds[w2] = oldIds[i] as string;
      }
    };
    for (let j = from; j < to; j++) {
      const at = order[j] as number;
      const pos = place(at, prev);
      copyOld(pos);
      const k = keys[at];
      if (w === 1) newKeys[w2] = k;
      else for (let p = 0; p < w; p++) newKeys[w2 * w + p] = (k as readonly unknown[])[p];
      newIds[w2++] = ids[at] as string;
      prev = pos;
    }
    copyOld(n);
    if (newIds.length <= MAX_CHUNK) {
      out.push({ keys: newKeys, ids: newIds });
      return;
    }
    const pieces = Math.ceil(newIds.length / LOAD);
    const size = Math.ceil(newIds.length / pieces);
    for (let i = 0; i < newIds.length; i += size) out.push({ keys: newKeys.slice(i * w, (i + size) * w), ids: newIds.slice(i, i + size) });
  }

  /** Merge a sorted batch with every existing entry in one pass and re-chunk the result. */
  private mergeAll(keys: readonly unknown[], ids: readonly string[], order: readonly number[]): void {
    const w = this.width;
    const outKeys: unknown[] = [];
    const outIds: string[] = [];
    let j = 0;
    const takeBatch = (): void => {
      const at = order[j++] as number;
      this.pushKey(outKeys, keys[at]);
      outIds.push(ids[at] as string);
    };
    for (const chunk of this.chunks) {
      for (let i = 0; i < chunk.ids.length; i++) {
        while (j < order.length && this.compareAt(chunk.keys, chunk.ids, i, keys[order[j] as number], ids[order[j] as number] as string) > 0) takeBatch();
        for (let p = 0; p < w; p++) outKeys.push(chunk.keys[i * w + p]);
        outIds.push(chunk.ids[i] as string);
      }
    }
    while (j < order.length) takeBatch();
    this.chunks = [];
    for (let i = 0; i < outIds.length; i += LOAD) this.chunks.push({ keys: outKeys.slice(i * w, (i + LOAD) * w), ids: outIds.slice(i, i + LOAD) });
    this.size = outIds.length;
    this.starts = undefined;
  }

  /** Entry numbers in (key, id) order. */
  private sortedOrder(keys: readonly unknown[], ids: readonly string[]): number[] {
    const order = Array.from({ length: ids.length }, (_, i) => i);
    let idsAscending = true;
    for (let i = 1; i < ids.length && idsAscending; i++) idsAscending = (ids[i - 1] as string) <= (ids[i] as string);
    if (this.width === 0) return idsAscending ? order : order.sort((a, b) => compareIds(ids[a] as string, ids[b] as string));
    // Batches usually arrive in id order (ids are time-sortable; a multi-entry index repeats
    // a record's id once per key); the sort is stable, so the key alone then decides and ties
    // keep id order for free.
    const byKey =
      this.width === 1
        ? (a: number, b: number): number => {
            const x = keys[a];
            const y = keys[b];
            if (x === y) return 0;
            if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : 1;
            return compareParts(x, y);
          }
        : (a: number, b: number): number => this.comparePrefix(keys[a], keys[b] as unknown[]);
    const compare = idsAscending ? byKey : (a: number, b: number): number => byKey(a, b) || compareIds(ids[a] as string, ids[b] as string);
    let sorted = true;
    for (let i = 1; i < order.length && sorted; i++) sorted = compare(i - 1, i) <= 0;
    return sorted ? order : order.sort(compare);
  }
}
