/**
 * Duplicate customers: the same person or company entered twice, found by normalized email
 * (the search folding: case, accents, full-width forms), phone (by digits, with or without
 * the country code) and name (folded words, in any order).
 *
 * `findDuplicates` reads the collection once, page by page, keeping only each record's keys
 * (one hash map: O(n), never O(n²)); a single customer's duplicates, and the create-time
 * check, are found through the search tokens' index instead.
 *
 * @module
 */
import { ConstraintError, QueryError } from '../errors';
import type { Customer } from '../entities/customers';
import type { CompiledEntity } from '../engine/compile';
import type { SearchField } from '../engine/entity';
import { throwIfAborted } from '../engine/guard';
import { find, get, getMany } from '../engine/read';
import { tagOf } from '../engine/tokens';
import type { CallOptions } from '../engine/types';
import { collectValues } from '../query/path';
import type { Filter } from '../query/types';
import { emailTokens, phoneTokens, tokenize } from '../search/index';
import type { StoredRecord } from '../storage/adapter';
import type { View } from './repository';

/** What two customers can share to be suspected duplicates. */
export type DuplicateReason = 'email' | 'phone' | 'name';

/** Every reason, in the order they are checked. */
export const DUPLICATE_REASONS: readonly DuplicateReason[] = ['email', 'phone', 'name'];

/** Options of `crm.customers.findDuplicates`. */
export interface FindDuplicatesOptions extends CallOptions {
  /** What counts as the same. @defaultValue `['email', 'phone', 'name']` */
  by?: DuplicateReason[];
  /** At most this many groups. @defaultValue 100 */
  limit?: number;
  /** Only the duplicates of this customer (found through the index, not a scan). */
  of?: string;
}

/** One shared value that makes records suspects. */
export interface DuplicateMatch {
  /** Which kind of value. */
  by: DuplicateReason;
  /** The normalized value they share (a folded address, digits, folded name words). */
  value: string;
  /** The records that share it. */
  ids: string[];
}

/**
 * A group of customers that look like one.
 * @typeParam Custom - the customers' custom fields.
 */
export interface DuplicateGroup<Custom = Record<string, unknown>> {
  /** The records, oldest first. */
  ids: string[];
  /** Why they are grouped: each shared value and who shares it. */
  reasons: DuplicateMatch[];
  /** The records as the caller may read them, in `ids` order. */
  records: Customer<Custom>[];
}

/** What `findDuplicates` returns. */
export interface FindDuplicatesResult<Custom = Record<string, unknown>> {
  /** The groups, by their oldest record. */
  groups: DuplicateGroup<Custom>[];
  /** How many customers were examined. */
  scanned: number;
  /** Whether more groups exist beyond `limit`. */
  more: boolean;
}

/** Options of `crm.customers.create` with a duplicate check. */
export interface CustomerCreateOptions extends CallOptions {
  /**
   * Check for duplicates first (same email, phone or name, see `findDuplicates`):
   * `block` refuses with `ConstraintError` (`constraint: 'duplicate'`, `conflictingIds`);
   * `warn` creates the record and emits `customer.duplicateSuspected`
   * (`{ record, duplicateIds, reasons }`) after `customer.created`. Without it, no check.
   */
  onDuplicate?: 'block' | 'warn';
  /** What the check compares. @defaultValue `['email', 'phone', 'name']` */
  duplicateBy?: DuplicateReason[];
}

/** The event `create(…, { onDuplicate: 'warn' })` emits when it finds suspects. */
export interface DuplicateSuspectedEvent<Cu = Customer> {
  /** `customer.duplicateSuspected`. */
  type: 'customer.duplicateSuspected';
  /** Who created the record. */
  actorId: string;
  /** The record just created. */
  record: Cu;
  /** The existing records it looks like. */
  duplicateIds: string[];
  /** What they share. */
  reasons: DuplicateMatch[];
}

function fieldOf(entity: CompiledEntity, reason: DuplicateReason): SearchField | undefined {
  const fields = entity.search ?? [];
  if (reason === 'email') return fields.find((f) => f.kind === 'email');
  if (reason === 'phone') return fields.find((f) => f.kind === 'phone');
  return fields.find((f) => f.path === 'name' && f.kind === 'text');
}

function strings(record: unknown, path: string): string[] {
  return collectValues(record, path).filter((v): v is string => typeof v === 'string');
}

/** The folded whole address of an email: its first email token. */
function emailKey(address: string): string | undefined {
  const tokens = emailTokens(address);
  return tokens[0]?.includes('@') ? tokens[0] : undefined;
}

/** A phone's canonical digit forms (with and without the country code), never the reversed ones. */
function phoneKeys(number: string): string[] {
  return phoneTokens(number).filter((t) => !t.startsWith('#') && t.length >= 5);
}

/** A name's folded words, sorted, so `Lovelace, Ada` and `ada lovelace` match. */
function nameKey(name: string): string | undefined {
  const words = tokenize(name).sort();
  return words.length ? words.join(' ') : undefined;
}

/**
 * The normalized values of a record that duplicates are matched on, for one reason.
 *
 * @internal Shared with `rapport/io`'s import dedupe.
 * @param entity - the compiled entity (its search fields say where emails, phones and names are).
 * @param record - a stored record or an input.
 * @param reason - what to compare.
 * @returns the keys; empty when the record has none.
 * @example
 * ```ts
 * duplicateKeys(customers, { emails: [{ address: 'Ada@Example.com' }] }, 'email') // ['ada@example.com']
 * ```
 */
export function duplicateKeys(entity: CompiledEntity, record: unknown, reason: DuplicateReason): string[] {
  const field = fieldOf(entity, reason);
  if (!field) return [];
  const values = strings(record, field.path);
  const out = new Set<string>();
  for (const v of values) {
    if (reason === 'email') {
      const k = emailKey(v);
      if (k) out.add(k);
    } else if (reason === 'phone') for (const k of phoneKeys(v)) out.add(k);
    else {
      const k = nameKey(v);
      if (k) out.add(k);
    }
  }
  return [...out];
}

/**
 * An indexed filter finding the records that may share any of these keys (to be confirmed
 * with {@link duplicateKeys}): a look-up of the search tokens, which every adapter indexes.
 *
 * @internal Shared with `rapport/io`'s import dedupe.
 * @example
 * ```ts
 * duplicateFilter(customers, 'email', ['ada@example.com']) // { field: '_tokens', op: 'hasAny', value: ['e^8:ada@example.com'] }
 * ```
 */
export function duplicateFilter(entity: CompiledEntity, reason: DuplicateReason, keys: readonly string[]): Filter | undefined {
  const field = fieldOf(entity, reason);
  if (!field || keys.length === 0) return undefined;
  const tag = tagOf(field);
  if (reason !== 'name') return { field: '_tokens', op: 'hasAny', value: keys.map((k) => `${tag}:${k}`) };
  const alternatives: Filter[] = keys.map((k) => ({ and: k.split(' ').map((w) => ({ field: '_tokens', op: 'has', value: `${tag}:${w}` }) as Filter) }));
  return alternatives.length === 1 ? alternatives[0] : { or: alternatives };
}

/** Whether the entity can be checked for this reason (it has the field, and the actor may read it). */
function usable(ctx: View, entity: CompiledEntity, reason: DuplicateReason): boolean {
  const field = fieldOf(entity, reason);
  if (!field) return false;
  const hidden = ctx.engine.policy.hiddenFields(ctx.actor, entity.collection);
  return !hidden.has(field.path.split('.')[0] as string);
}

function reasonsOf(by: unknown): DuplicateReason[] {
  if (by === undefined) return [...DUPLICATE_REASONS];
  if (!Array.isArray(by) || by.length === 0) throw new QueryError('by is a non-empty list of "email", "phone", "name"', ['by']);
  by.forEach((r, i) => {
    if (!DUPLICATE_REASONS.includes(r as DuplicateReason)) throw new QueryError(`unknown duplicate reason "${String(r)}"`, ['by', i]);
  });
  return [...new Set(by as DuplicateReason[])];
}

/**
 * The existing (unarchived) records sharing a key with `record`, unscoped (an integrity
 * check), through the token index. Includes records pending in the caller's batch.
 *
 * @internal
 */
export async function suspectsOf(ctx: View, entity: CompiledEntity, record: unknown, by: readonly DuplicateReason[], exclude: ReadonlySet<string> = new Set()): Promise<DuplicateMatch[]> {
  const matches: DuplicateMatch[] = [];
  for (const reason of by) {
    const keys = duplicateKeys(entity, record, reason);
    const filter = duplicateFilter(entity, reason, keys);
    if (!filter) continue;
    const page = await ctx.session.query(entity.collection, { where: { and: [filter, { field: 'archivedAt', op: 'exists', value: false }] }, limit: 200 });
    const wanted = new Set(keys);
    const byKey = new Map<string, string[]>();
    for (const other of page.items) {
      if (exclude.has(other.id)) continue;
      for (const k of duplicateKeys(entity, other, reason)) {
        if (!wanted.has(k)) continue;
        const ids = byKey.get(k) ?? [];
        ids.push(other.id);
        byKey.set(k, ids);
      }
    }
    for (const [value, ids] of byKey) matches.push({ by: reason, value, ids });
  }
  return matches;
}

/** Union-find over record ids. */
function unionFind() {
  const parent = new Map<string, string>();
  const root = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r && parent.has(r)) r = parent.get(r) as string;
    let x = id;
    while (parent.get(x) !== r && parent.has(x)) {
      const next = parent.get(x) as string;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  return {
    parent,
    union(a: string, b: string) {
      if (!parent.has(a)) parent.set(a, a);
      if (!parent.has(b)) parent.set(b, b);
      const ra = root(a);
      const rb = root(b);
      // The smaller id (the older record: ids are sortable) stays the root.
      if (ra !== rb) ra < rb ? parent.set(rb, ra) : parent.set(ra, rb);
    },
    root,
  };
}

/**
 * Find groups of suspected duplicates among the customers the actor may read.
 *
 * @example
 * ```ts
 * const { groups } = await crm.customers.findDuplicates({ by: ['email', 'phone'] });
 * for (const g of groups) console.log(g.ids, g.reasons.map((r) => `${r.by}: ${r.value}`));
 * ```
 * @throws `QueryError` for an unknown reason or a bad limit; `NotFoundError` for an unknown `of`.
 */
export async function findDuplicates<Custom>(ctx: View, options: FindDuplicatesOptions = {}): Promise<FindDuplicatesResult<Custom>> {
  throwIfAborted(options.signal);
  const entity = ctx.engine.entity('customers');
  const by = reasonsOf(options.by).filter((r) => usable(ctx, entity, r));
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new QueryError('limit must be a whole number from 1 to 10,000', ['limit']);
  const uf = unionFind();
  const shared = new Map<string, Set<string>>();
  let scanned = 0;
  const note = (reason: DuplicateReason, key: string, ids: string[]) => {
    const k = `${reason}\u0000${key}`;
    let set = shared.get(k);
    if (!set) shared.set(k, (set = new Set()));
    for (const id of ids) set.add(id);
  };
  if (options.of !== undefined) {
    const record = await get<Customer>(ctx, entity, options.of);
    scanned = 1;
    for (const m of await suspectsOf(ctx, entity, record, by, new Set([record.id]))) {
      const readable = (await getMany<Customer>(ctx, entity, m.ids)).filter((r): r is Customer => r !== undefined).map((r) => r.id);
      if (!readable.length) continue;
      note(m.by, m.value, [record.id, ...readable]);
      for (const id of readable) uf.union(record.id, id);
    }
  } else {
    const first = new Map<string, string>();
    let cursor: string | undefined;
    do {
      throwIfAborted(options.signal);
      // Read scope and hidden fields apply: a caller finds duplicates only among what it may read.
      const page = await find<StoredRecord>(ctx, entity, { limit: 1000, cursor, orderBy: [{ field: 'id' }] });
      for (const record of page.items) {
        scanned++;
        for (const reason of by) {
          for (const key of duplicateKeys(entity, record, reason)) {
            const k = `${reason}\u0000${key}`;
            const seen = first.get(k);
            if (seen === undefined) first.set(k, record.id);
            else {
              uf.union(seen, record.id);
              note(reason, key, [seen, record.id]);
            }
          }
        }
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  const groups = new Map<string, { ids: Set<string>; reasons: DuplicateMatch[] }>();
  for (const [k, ids] of shared) {
    const [reason, value] = k.split('\u0000') as [DuplicateReason, string];
    const r = uf.root([...ids][0] as string);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = { ids: new Set(), reasons: [] }));
    for (const id of ids) g.ids.add(id);
    g.reasons.push({ by: reason, value, ids: [...ids].sort() });
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  const out: DuplicateGroup<Custom>[] = [];
  for (const g of ordered.slice(0, limit)) {
    const ids = [...g.ids].sort();
    const records = (await getMany<Customer<Custom>>(ctx, entity, ids)).filter((r): r is Customer<Custom> => r !== undefined);
    out.push({ ids, reasons: g.reasons, records });
  }
  return { groups: out, scanned, more: ordered.length > limit };
}

/**
 * Refuse (or flag) a customer that looks like an existing one: the create-time check of
 * `crm.customers.create(input, { onDuplicate })`. Runs unscoped (an integrity check): a
 * refusal names the conflicting ids and nothing else.
 *
 * @internal
 * @returns the matches (empty when none).
 * @throws `ConstraintError` (`constraint: 'duplicate'`) in `block` mode when there are matches.
 */
export async function checkDuplicates(ctx: View, input: unknown, options: CustomerCreateOptions): Promise<DuplicateMatch[]> {
  const entity = ctx.engine.entity('customers');
  if (options.onDuplicate !== 'block' && options.onDuplicate !== 'warn') {
    throw new QueryError('onDuplicate is "block" or "warn"', ['onDuplicate']);
  }
  const matches = await suspectsOf(ctx, entity, input, reasonsOf(options.duplicateBy));
  if (matches.length && options.onDuplicate === 'block') {
    const ids = [...new Set(matches.flatMap((m) => m.ids))].sort();
    throw new ConstraintError(
      `this customer looks like ${ids.length === 1 ? `customer ${ids[0]}` : `customers ${ids.join(', ')}`} (same ${[...new Set(matches.map((m) => m.by))].join(', ')})`,
      { constraint: 'duplicate', index: 'customers.duplicates', fields: [...new Set(matches.map((m) => (m.by === 'email' ? 'emails' : m.by === 'phone' ? 'phones' : 'name')))], conflictingIds: ids },
      { collection: 'customers' },
    );
  }
  return matches;
}

/**
 * `crm.customers.create(input, { onDuplicate })`: the duplicate check, then the create; in
 * `warn` mode `customer.duplicateSuspected` fires after the create is stored.
 *
 * @internal
 */
export async function createChecked<T extends { id: string }, Input>(
  ctx: View,
  repo: { create(input: Input, options?: CallOptions): Promise<T> },
  input: Input,
  options: CustomerCreateOptions,
): Promise<T> {
  throwIfAborted(options.signal);
  const matches = await checkDuplicates(ctx, input, options);
  const record = await repo.create(input, options);
  if (matches.length) {
    const event: DuplicateSuspectedEvent<T> = {
      type: 'customer.duplicateSuspected',
      actorId: ctx.actor.id,
      record: structuredClone(record),
      duplicateIds: [...new Set(matches.flatMap((m) => m.ids))].sort(),
      reasons: matches,
    };
    const emit = () => ctx.engine.events.emit('customer.duplicateSuspected', event as never);
    // Inside a batch, the event waits for the batch to be stored, like every other event.
    if (ctx.session.buffered) await ctx.session.commit([], [emit]);
    else emit();
  }
  return record;
}
