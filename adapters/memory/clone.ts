/**
 * Copies of records. Records are plain JSON, so a hand-written walk is several times faster
 * than `structuredClone`; anything that is not plain JSON falls back to it.
 *
 * @internal
 * @module
 */

/** A deep copy of a JSON-like value. */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i] as unknown);
    return out as T;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  return copyFields(value, deepCopy) as T;
}

/** What a {@link copyFields} callback answers for a field to leave out. */
const SKIP: unique symbol = Symbol('skip');

const deepCopy = (_key: string, value: unknown): unknown => cloneJson(value);

/**
 * The own fields of a plain object, each copied by `copy` (or left out when it answers
 * {@link SKIP}): the one loop behind every copy in this module.
 */
function copyFields(value: object, copy: (key: string, value: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // for-in with an own-property check is faster than Object.keys here: no key array per object.
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = copy(key, (value as Record<string, unknown>)[key]);
    if (v === SKIP) continue;
    // Assigning `__proto__` would set the prototype instead of copying an own field.
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

const publicCopy = (key: string, value: unknown): unknown => (key.charCodeAt(0) === 95 ? SKIP : cloneJson(value));

/**
 * A deep copy of a stored record without its top-level `_` fields. Those (search tokens above
 * all, ~30 strings per customer) are most of what a copy would cost, and a caller that hides
 * them anyway would then delete them, which also turns the copy into a slow dictionary object.
 */
export function clonePublic<T extends object>(record: T): T {
  return copyFields(record, publicCopy) as T;
}

/** A copy of `id`, `version` and the named top-level fields of a stored record. */
export function cloneFields<T extends Record<string, unknown>>(record: T, fields: readonly string[]): T {
  const out: Record<string, unknown> = { id: record['id'], version: record['version'] };
  for (const f of fields) {
    if (f !== '__proto__' && Object.prototype.hasOwnProperty.call(record, f)) out[f] = cloneJson(record[f]);
  }
  return out as T;
}

/** Strings longer than this are copied as they are: long text seldom repeats. */
const SHARE_MAX_LENGTH = 40;
/** Lists of strings longer than this are copied: long lists seldom repeat. */
const SHARE_LIST_LENGTH = 4;
/** Top-level fields whose values are unique per record (`at`: audit entries): pooling them saves nothing. */
const UNIQUE_FIELDS = new Set(['id', 'createdAt', 'updatedAt', 'at']);

/** A node of a {@link ShapeTrie}: the objects whose keys, in order, lead here. */
interface Shape {
  /** The next key's shape. */
  readonly next: Map<string, Shape>;
  /** JSON text of an object with these keys, once asked for. */
  template?: string;
}

/** More keys than this and an object is copied the plain way. */
const MAX_SHAPED_KEYS = 64;
/** Distinct key paths a {@link ShapeTrie} remembers; a CRM's records have a few hundred. */
const SHAPE_LIMIT = 4096;

/**
 * Copies of stored objects sized to their fields. An object built from `{}` has room for four
 * fields inside it and keeps any more in a separate, growing array; one from `JSON.parse` has
 * exactly its fields inside. Stored records and their nested objects (emails, addresses,
 * consent, sources) live as long as the store, so each copy starts as a parse of a template
 * with the same keys in the same order and is then filled in: about 200 bytes less per
 * customer of the benchmark's data than `{}` copies, for a parse per object on write. The templates are found through
 * a trie of keys, so finding one builds no string.
 */
class ShapeTrie {
  private root: Shape = { next: new Map() };
  private shapes = 0;

  /** A copy of a plain object, each field copied by `copy`. */
  copy(value: object, copy: (key: string, value: unknown) => unknown): Record<string, unknown> {
    let shape: Shape | undefined = this.root;
    let n = 0;
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      if (++n > MAX_SHAPED_KEYS) return copyFields(value, copy);
      let next: Shape | undefined = shape.next.get(key);
      if (next === undefined) {
        // Bounded like the string pool: objects keyed by ever-new names (dates, ids) would
        // grow it without end, so it starts over (this copy is made the plain way).
        if (this.shapes >= SHAPE_LIMIT) {
          this.root = { next: new Map() };
          this.shapes = 0;
          return copyFields(value, copy);
        }
        next = { next: new Map() };
        shape.next.set(key, next);
        this.shapes++;
      }
      shape = next;
    }
    // Exactly four fields fill an object built from `{}`: nothing to gain.
    if (n === 4) return copyFields(value, copy);
    shape.template ??= JSON.stringify(Object.fromEntries(Object.keys(value).map((k) => [k, 0])));
    const out = JSON.parse(shape.template) as Record<string, unknown>;
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const v = copy(key, (value as Record<string, unknown>)[key]);
      // The template holds `__proto__` as an own field, so assigning sets the field, not the prototype.
      out[key] = v;
    }
    return out;
  }
}

/** The one empty array stored records share (frozen: nothing may add to it). */
const EMPTY_LIST: readonly never[] = Object.freeze([]);

/** Distinct strings a {@link StringPool} remembers before it starts over. */
const POOL_LIMIT = 1 << 16;

/**
 * Dictionary encoding for stored records. Records arrive with their own copy of every string
 * (parsed JSON, a form, a peer), and a CRM's records repeat the same short values over and
 * over: tiers, stages, owners, teams, countries, cities, labels, tags, consent states. Stored
 * by the hundred thousand, each record holding its own copy of these costs more heap than
 * its indexes. A pool hands back the string a previous record already holds, so the heap
 * keeps one. It is bounded (it starts over when full) and only a cache: a value it has
 * forgotten is simply stored as given.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();
  private readonly shapes = new ShapeTrie();
  private readonly pooledCopy = (_key: string, value: unknown): unknown => this.clone(value);
  // `_` fields come from the engine (tokens share their strings already); ids and timestamps are unique.
  private readonly recordCopy = (key: string, value: unknown): unknown =>
    UNIQUE_FIELDS.has(key) ? cloneJson(value) : key.charCodeAt(0) === 95 ? (Array.isArray(value) && value.length <= SHARE_LIST_LENGTH && this.sharedList(value)) || cloneJson(value) : this.clone(value);
  private readonly lists = new Map<string, readonly string[]>();

  /** The pooled string equal to `s` (pooling it when new). */
  share(s: string): string {
    if (s.length > SHARE_MAX_LENGTH) return s;
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size >= POOL_LIMIT) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }

  /**
   * The pooled list equal to `list` when it is a short list of short strings (pooling it when
   * new), otherwise `undefined`. Tags, countries and the like repeat in the same few
   * combinations across records; a list is an array object and its elements' store besides
   * the strings, so each record holding its own costs more than the strings do.
   */
  private sharedList(list: readonly unknown[]): readonly string[] | undefined {
    for (const v of list) if (typeof v !== 'string' || v.length > SHARE_MAX_LENGTH) return undefined;
    // JSON text keeps ["a,b"] and ["a", "b"] apart.
    const key = JSON.stringify(list);
    const known = this.lists.get(key);
    if (known !== undefined) return known;
    if (this.lists.size >= POOL_LIMIT) this.lists.clear();
    const pooled = Object.freeze(list.map((v) => this.share(v as string)));
    this.lists.set(key, pooled);
    return pooled;
  }

  /**
   * A copy of a stored record whose short strings are pooled. Top-level `_` fields are
   * copied as they are but for short lists: the engine derives them (search tokens share their
   * strings already), and looking each of ~30 tokens up again would be most of the pool's cost. The id and the
   * timestamps are never pooled: each is unique, so pooling them only floods the pool, and a
   * pooled id made every index walk's record lookup several times slower (an equality page of
   * 1,000 matches at 100k records: 0.5 ms unpooled, 3.7 ms pooled).
   */
  cloneRecord<T extends object>(record: T): T {
    const proto: unknown = Object.getPrototypeOf(record);
    if (proto !== Object.prototype && proto !== null) return this.clone(record);
    return this.shapes.copy(record, this.recordCopy) as T;
  }

  /** A deep copy of a JSON-like value (see {@link cloneJson}) whose short strings are pooled. */
  clone<T>(value: T): T {
    if (typeof value === 'string') return this.share(value) as T;
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      // Stored records are never handed out or changed in place, so every empty list can be one.
      if (value.length === 0) return EMPTY_LIST as T;
      if (value.length <= SHARE_LIST_LENGTH) {
        const shared = this.sharedList(value);
        if (shared !== undefined) return shared as T;
      }
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = this.clone(value[i] as unknown);
      return out as T;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return structuredClone(value);
    return this.shapes.copy(value, this.pooledCopy) as T;
  }
}
