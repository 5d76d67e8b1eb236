/**
 * Merging duplicate customers into one, and undoing it.
 *
 * `merge(primaryId, duplicateIds)` writes ONE atomic batch: every record of every collection
 * whose entity module declares a reference to `customers` (interactions, deals, tickets,
 * people of an organization — found generically from the engine's entities) is re-pointed
 * to the primary; the primary's fields are filled and merged; the duplicates are archived
 * (not deleted, so nothing is lost and unmerge stays simple); and a merge record holding
 * what the merge did is stored in the engine's `system` collection, so `unmerge(mergeId)`
 * can put every record and every pointer back.
 *
 * @module
 */
import { ConflictError, NotFoundError, ValidationError, isConflictError } from '../errors';
import type { Customer } from '../entities/customers';
import type { CompiledEntity } from '../engine/compile';
import { auditOps } from '../engine/audit';
import type { AuditAction } from '../engine/audit';
import { authorize, throwIfAborted } from '../engine/guard';
import { canonicalJson } from '../query/order';
import { diff, withDerived, writableView } from '../engine/record';
import type { Effect } from '../engine/session';
import type { CallOptions } from '../engine/types';
import { planUpdate, readForWrite, toPublic, visible } from '../engine/write';
import type { Planned } from '../engine/write';
import { emailTokens, phoneTokens } from '../search/index';
import type { StoredRecord, WriteOp } from '../storage/adapter';
import type { View } from './repository';

/** How one field's value is chosen: the primary's, the most recently updated record's, or a given record's. */
export type MergePreference = 'primary' | 'newest' | (string & {});

/** Options of `crm.customers.merge`. */
export interface MergeOptions extends CallOptions {
  /**
   * Which value wins for fields that are not lists: `primary` (the primary's value, filled
   * from the duplicates, in the order given, where it has none), `newest` (the value of the
   * most recently updated record that has one), or a map of field (`tier`, `custom.points`)
   * → `primary`, `newest` or a record id (that record's value; the `primary` rule where it
   * has none). `emails`, `phones`, `tags`, `addresses` and `importantDates` are always
   * unioned (emails by folded address, phones by digits); `consent` is merged per channel,
   * the latest decision winning. `externalId`, `ownerId` and `teamId` stay the primary's.
   * @defaultValue `'primary'`
   */
  prefer?: 'primary' | 'newest' | Readonly<Record<string, MergePreference>>;
}

/**
 * What a merge did.
 * @typeParam Custom - the customers' custom fields.
 */
export interface MergeResult<Custom = Record<string, unknown>> {
  /** Pass to `unmerge` to undo it. */
  mergeId: string;
  /** The primary after the merge. */
  primary: Customer<Custom>;
  /** The customers merged into it (now archived). */
  duplicateIds: string[];
  /** How many records were re-pointed, per collection (e.g. `{ interactions: 12, deals: 2 }`). */
  moved: Record<string, number>;
}

/** What `unmerge` restored. */
export interface UnmergeResult<Custom = Record<string, unknown>> {
  /** The primary, back to its state before the merge. */
  primary: Customer<Custom>;
  /** The duplicates, restored (unarchived unless they were archived before). */
  duplicates: Customer<Custom>[];
  /** How many pointers were put back, per collection. */
  restored: Record<string, number>;
}

/** The `customer.merged` event. */
export interface CustomerMergedEvent<Cu = Customer> {
  /** `customer.merged`. */
  type: 'customer.merged';
  /** Who merged. */
  actorId: string;
  /** The primary after the merge. */
  record: Cu;
  /** The merge's id, for `unmerge`. */
  mergeId: string;
  /** The customers merged into it. */
  duplicateIds: string[];
  /** Records re-pointed, per collection. */
  moved: Record<string, number>;
}

/** The `customer.unmerged` event. */
export interface CustomerUnmergedEvent<Cu = Customer> {
  /** `customer.unmerged`. */
  type: 'customer.unmerged';
  /** Who undid the merge. */
  actorId: string;
  /** The primary, restored. */
  record: Cu;
  /** The merge undone. */
  mergeId: string;
  /** The customers restored. */
  duplicateIds: string[];
}

/** The merge record kept in the `system` collection. */
interface MergeRecord extends StoredRecord {
  kind: 'customerMerge';
  at: string;
  actorId: string;
  primaryId: string;
  duplicateIds: string[];
  primary: { before: Record<string, unknown>; afterVersion: number };
  duplicates: { id: string; before: Record<string, unknown>; afterVersion: number }[];
  moved: { collection: string; id: string; field: string; from: string; afterVersion: number }[];
  undoneAt?: string;
  undoneBy?: string;
}

const KEEP_PRIMARY = new Set(['externalId', 'ownerId', 'teamId', 'archivedAt']);

/** A record's state without `_` fields (recomputed when it is written back). */
function stateOf(record: StoredRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!k.startsWith('_')) out[k] = structuredClone(v);
  return out;
}

/**
 * Plan writing a record to a given state (system fields kept by the engine), audited as
 * `action`. No field rules apply: callers authorize first (merge re-points records the actor
 * may not otherwise write — an integrity operation, as deletes' reference checks are).
 */
function planReplace(ctx: View, entity: CompiledEntity, current: StoredRecord, state: Record<string, unknown>, action: AuditAction, event: string): Planned {
  const next: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state)) {
    if (k.startsWith('_') || k === 'id' || k === 'version' || k === 'createdAt' || k === 'updatedAt') continue;
    next[k] = v;
  }
  const record = withDerived({ ...next, id: current.id, version: current.version + 1, createdAt: current['createdAt'] as string, updatedAt: ctx.engine.now() } as StoredRecord, entity);
  const changes = diff(current, record);
  const payload = { type: event, actorId: ctx.actor.id, record: toPublic(record), changes };
  return {
    record,
    ops: [
      { type: 'update', collection: entity.collection, record, expectedVersion: current.version },
      ...auditOps(ctx.engine, { actorId: ctx.actor.id, action, collection: entity.collection, recordId: current.id, changes, record }),
    ],
    effects: [() => ctx.engine.events.emit(event, payload)],
  };
}

type Item = Record<string, unknown>;

function unionBy(lists: unknown[][], key: (item: unknown) => string): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const list of lists) {
    for (const item of list) {
      const k = key(item);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(structuredClone(item));
    }
  }
  // At most one item stays flagged primary: the first (the primary record's comes first).
  let flagged = false;
  for (const item of out) {
    if (typeof item === 'object' && item !== null && (item as Item)['primary'] === true) {
      if (flagged) delete (item as Item)['primary'];
      flagged = true;
    }
  }
  return out;
}

const UNIONS: Readonly<Record<string, (item: unknown) => string>> = {
  emails: (e) => emailTokens(String((e as Item)['address'] ?? ''))[0] ?? canonicalJson(e),
  // The national number when written internationally, so +44 20… and 020… are one phone.
  phones: (p) => phoneTokens(String((p as Item)['number'] ?? '')).filter((t) => !t.startsWith('#')).at(-1) ?? canonicalJson(p),
  tags: (t) => String(t),
  addresses: (a) => canonicalJson(a),
  importantDates: (d) => `${String((d as Item)['kind'])}|${String((d as Item)['date'])}`,
};

/** The merged writable state of the primary. */
function mergedState(entity: CompiledEntity, primary: StoredRecord, duplicates: StoredRecord[], prefer: MergeOptions['prefer'], ids: ReadonlySet<string>): Item {
  const records = [primary, ...duplicates];
  const views = records.map((r) => writableView(r, entity));
  const byNewest = records.map((r, i) => ({ r, v: views[i] as Item, i })).sort((a, b) => (String(b.r['updatedAt']) > String(a.r['updatedAt']) ? 1 : String(b.r['updatedAt']) < String(a.r['updatedAt']) ? -1 : a.i - b.i));
  const rule = (field: string): MergePreference => (typeof prefer === 'object' && prefer !== null ? (prefer[field] ?? 'primary') : (prefer ?? 'primary'));
  const pick = (field: string, get: (v: Item) => unknown): unknown => {
    const r = rule(field);
    const order = r === 'newest' ? byNewest.map((x) => x.v) : views;
    if (r !== 'primary' && r !== 'newest') {
      const chosen = views[records.findIndex((x) => x.id === r)];
      const v = chosen ? get(chosen) : undefined;
      if (v !== undefined) return v;
    }
    for (const v of order) {
      const value = get(v);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const out: Item = structuredClone(views[0] as Item);
  const fields = new Set(views.flatMap((v) => Object.keys(v)));
  for (const field of fields) {
    if (KEEP_PRIMARY.has(field)) continue;
    if (UNIONS[field]) {
      out[field] = unionBy(views.map((v) => (Array.isArray(v[field]) ? (v[field] as unknown[]) : [])), UNIONS[field] as (item: unknown) => string);
    } else if (field === 'consent') {
      const consent: Record<string, { at: string }> = {};
      for (const v of views) {
        for (const [channel, c] of Object.entries((v['consent'] ?? {}) as Record<string, { at: string }>)) {
          const have = consent[channel];
          if (!have || c.at > have.at) consent[channel] = structuredClone(c);
        }
      }
      out['consent'] = consent;
    } else if (field === 'custom') {
      const custom: Item = {};
      const names = new Set(views.flatMap((v) => Object.keys((v['custom'] ?? {}) as Item)));
      for (const name of names) {
        const value = pick(`custom.${name}`, (v) => ((v['custom'] ?? {}) as Item)[name]);
        if (value !== undefined) custom[name] = structuredClone(value);
      }
      out['custom'] = custom;
    } else {
      const value = pick(field, (v) => {
        const x = v[field];
        // A pointer to one of the merged records would point the primary at itself or at an archived duplicate.
        return typeof x === 'string' && ids.has(x) ? undefined : x;
      });
      if (value === undefined) delete out[field];
      else out[field] = structuredClone(value);
    }
  }
  return out;
}

/** A JSON Merge Patch turning `before` into `after` exactly. */
function patchBetween(before: Item, after: Item): Item {
  const patch: Item = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[k];
    const a = after[k];
    if (a === undefined) {
      if (b !== undefined) patch[k] = null;
    } else if (typeof a === 'object' && a !== null && !Array.isArray(a) && typeof b === 'object' && b !== null && !Array.isArray(b)) {
      const inner = patchBetween(b as Item, a as Item);
      if (Object.keys(inner).length) patch[k] = inner;
    } else if (canonicalJson(a) !== canonicalJson(b)) patch[k] = a;
  }
  return patch;
}

/** Every (collection, field) whose records point to customers. */
function referencesToCustomers(ctx: View): { entity: CompiledEntity; field: string }[] {
  const out: { entity: CompiledEntity; field: string }[] = [];
  for (const entity of ctx.engine.entities.values()) {
    for (const ref of entity.references ?? []) if (ref.collection === 'customers') out.push({ entity, field: ref.field });
  }
  return out;
}

/**
 * Merge duplicates into a primary customer, atomically. Needs the `merge` permission on the
 * primary and on every duplicate (records re-pointed need no grant of their own: the move
 * is part of the merge, as the architecture's integrity operations are). Audited as `merge`
 * on every record it writes; emits `customer.updated` (primary), `customer.archived`
 * (duplicates), `<entity>.updated` (re-pointed records), then `customer.merged`.
 *
 * @example
 * ```ts
 * const { mergeId, moved } = await crm.customers.merge(ada.id, [adaAgain.id], { prefer: 'newest' });
 * ```
 * @throws `ValidationError` (no duplicates, the primary among them, an unknown `prefer`
 * record), `NotFoundError`, `PermissionError`, `ConflictError` (records changed underneath,
 * after retries).
 */
export async function mergeCustomers<Custom>(ctx: View, primaryId: string, duplicateIds: readonly string[], options: MergeOptions = {}): Promise<MergeResult<Custom>> {
  throwIfAborted(options.signal);
  const customers = ctx.engine.entity('customers');
  const dupIds = Array.isArray(duplicateIds) ? [...new Set(duplicateIds)] : [];
  const issue = (path: (string | number)[], message: string) => new ValidationError([{ path, message, code: 'invalid_value' }], { collection: 'customers', recordId: primaryId });
  if (typeof primaryId !== 'string' || primaryId === '') throw issue(['primaryId'], 'expected the primary customer id');
  if (dupIds.length === 0 || dupIds.some((d) => typeof d !== 'string')) throw issue(['duplicateIds'], 'expected a non-empty list of customer ids');
  if (dupIds.includes(primaryId)) throw issue(['duplicateIds', dupIds.indexOf(primaryId)], 'the primary cannot be merged into itself');
  const all = new Set([primaryId, ...dupIds]);
  const prefer = options.prefer;
  if (prefer !== undefined && prefer !== 'primary' && prefer !== 'newest') {
    if (typeof prefer !== 'object' || prefer === null || Array.isArray(prefer)) throw issue(['prefer'], 'prefer is "primary", "newest" or a map of field → "primary" | "newest" | record id');
    for (const [field, rule] of Object.entries(prefer)) {
      if (rule !== 'primary' && rule !== 'newest' && !all.has(rule)) throw issue(['prefer', field], `"${String(rule)}" is neither "primary", "newest" nor one of the merged records`);
    }
  }
  for (let attempt = 0; ; attempt++) {
    const primary = await readForWrite(ctx, customers, primaryId);
    const duplicates: StoredRecord[] = [];
    for (const id of dupIds) duplicates.push(await readForWrite(ctx, customers, id));
    for (const d of duplicates) await authorize(ctx, 'merge', customers, d);
    await authorize(ctx, 'merge', customers, primary);
    const mergeId = ctx.engine.nextId();
    const plans: Planned[] = [];
    const moved: MergeRecord['moved'] = [];
    const movedCount: Record<string, number> = {};
    // Re-point every record that references a duplicate (the merged records themselves excepted).
    for (const { entity, field } of referencesToCustomers(ctx)) {
      let cursor: string | undefined;
      do {
        throwIfAborted(options.signal);
        const page = await ctx.session.query(entity.collection, { where: { field, op: 'in', value: dupIds }, limit: 1000, cursor });
        for (const record of page.items) {
          if (entity.collection === 'customers' && all.has(record.id)) continue;
          const already = plans.find((p) => p.record.id === record.id && p.ops[0]?.collection === entity.collection);
          const base = already ? already.record : record;
          const plan = planReplace(ctx, entity, base, { ...stateOf(base), [field]: primaryId }, 'merge', `${entity.singular}.updated`);
          if (already) {
            // A record pointing at duplicates through two fields: one write carries both moves.
            plan.ops[0] = { ...(plan.ops[0] as WriteOp & { type: 'update' }), expectedVersion: record.version } as WriteOp;
            (plan.record as StoredRecord).version = record.version + 1;
            plans.splice(plans.indexOf(already), 1, plan);
          } else plans.push(plan);
          moved.push({ collection: entity.collection, id: record.id, field, from: record[field] as string, afterVersion: record.version + 1 });
          movedCount[entity.collection] = (movedCount[entity.collection] ?? 0) + 1;
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    }
    const before = writableView(primary, customers);
    const after = mergedState(customers, primary, duplicates, prefer, all);
    const primaryPlan = await planUpdate(ctx, customers, primary, patchBetween(before, after), { action: 'merge' });
    if (primaryPlan) plans.push(primaryPlan);
    const now = ctx.engine.now();
    for (const d of duplicates) plans.push(planReplace(ctx, customers, d, { ...stateOf(d), archivedAt: (d['archivedAt'] as string | undefined) ?? now }, 'merge', 'customer.archived'));
    const primaryAfter = primaryPlan?.record ?? primary;
    const mergeRecord: MergeRecord = {
      id: mergeId,
      version: 1,
      kind: 'customerMerge',
      at: now,
      actorId: ctx.actor.id,
      primaryId,
      duplicateIds: dupIds,
      primary: { before: stateOf(primary), afterVersion: primaryAfter.version },
      duplicates: duplicates.map((d) => ({ id: d.id, before: stateOf(d), afterVersion: d.version + 1 })),
      moved,
    };
    const merged: CustomerMergedEvent<unknown> = { type: 'customer.merged', actorId: ctx.actor.id, record: toPublic(primaryAfter), mergeId, duplicateIds: dupIds, moved: movedCount };
    const effects: Effect[] = [...plans.flatMap((p) => p.effects), () => ctx.engine.events.emit('customer.merged', merged as never)];
    throwIfAborted(options.signal);
    try {
      await ctx.session.commit([...plans.flatMap((p) => p.ops), { type: 'insert', collection: 'system', record: mergeRecord }], effects);
    } catch (error) {
      if (isConflictError(error) && !ctx.session.buffered && attempt < 4) continue;
      throw error;
    }
    return { mergeId, primary: visible<Customer<Custom>>(ctx, customers, primaryAfter), duplicateIds: dupIds, moved: movedCount };
  }
}

/**
 * Undo a merge: the primary and the duplicates go back to their states before it (so the
 * duplicates are unarchived), and every record the merge re-pointed points again to the
 * duplicate it pointed to — keeping whatever else changed on it since. Records created
 * after the merge for the primary stay with the primary. Versions and `updatedAt` move on
 * (an unmerge is a write); everything else is as before the merge. Needs the `merge`
 * permission; audited as `unmerge`; emits `customer.unmerged`.
 *
 * Refused with `ConflictError` when the merge cannot be undone cleanly: the primary or a
 * duplicate was written after the merge (its fields cannot be split again), a re-pointed
 * record now points elsewhere, or the merge was already undone (the merge record's version
 * is then 2). A re-pointed record deleted since is skipped.
 *
 * @example
 * ```ts
 * const { mergeId } = await crm.customers.merge(ada.id, [adaAgain.id]);
 * await crm.customers.unmerge(mergeId);
 * ```
 * @throws `NotFoundError` (unknown merge), `ConflictError`, `PermissionError`.
 */
export async function unmergeCustomers<Custom>(ctx: View, mergeId: string, options: CallOptions = {}): Promise<UnmergeResult<Custom>> {
  throwIfAborted(options.signal);
  const customers = ctx.engine.entity('customers');
  for (let attempt = 0; ; attempt++) {
    const [found] = typeof mergeId === 'string' ? await ctx.session.get('system', [mergeId]) : [];
    if (!found || found['kind'] !== 'customerMerge') throw new NotFoundError('merges', String(mergeId));
    const m = found as MergeRecord;
    if (m.undoneAt !== undefined) throw new ConflictError('merges', mergeId, 1, m.version);
    const [primary] = await ctx.session.get('customers', [m.primaryId]);
    const duplicates = await ctx.session.get('customers', m.duplicates.map((d) => d.id));
    if (primary) await authorize(ctx, 'merge', customers, primary);
    for (const d of duplicates) if (d) await authorize(ctx, 'merge', customers, d);
    if (!primary || primary.version !== m.primary.afterVersion) throw new ConflictError('customers', m.primaryId, m.primary.afterVersion, primary?.version ?? 0);
    m.duplicates.forEach((d, i) => {
      const current = duplicates[i];
      if (!current || current.version !== d.afterVersion) throw new ConflictError('customers', d.id, d.afterVersion, current?.version ?? 0);
    });
    const plans: Planned[] = [];
    const restored: Record<string, number> = {};
    const byCollection = new Map<string, MergeRecord['moved']>();
    for (const mv of m.moved) byCollection.set(mv.collection, [...(byCollection.get(mv.collection) ?? []), mv]);
    for (const [collection, moves] of byCollection) {
      const entity = ctx.engine.entity(collection);
      const ids = [...new Set(moves.map((mv) => mv.id))];
      const records = await ctx.session.get(collection, ids);
      records.forEach((record, i) => {
        if (!record) return;
        const state = stateOf(record);
        for (const mv of moves.filter((x) => x.id === ids[i])) {
          if (record[mv.field] !== m.primaryId) throw new ConflictError(collection, record.id, mv.afterVersion, record.version);
          state[mv.field] = mv.from;
        }
        plans.push(planReplace(ctx, entity, record, state, 'unmerge', `${entity.singular}.updated`));
        restored[collection] = (restored[collection] ?? 0) + 1;
      });
    }
    const primaryPlan = planReplace(ctx, customers, primary, m.primary.before, 'unmerge', 'customer.updated');
    const dupPlans = m.duplicates.map((d, i) => planReplace(ctx, customers, duplicates[i] as StoredRecord, d.before, 'unmerge', d.before['archivedAt'] === undefined ? 'customer.restored' : 'customer.updated'));
    plans.push(primaryPlan, ...dupPlans);
    const now = ctx.engine.now();
    const done: MergeRecord = { ...m, version: m.version + 1, undoneAt: now, undoneBy: ctx.actor.id };
    const event: CustomerUnmergedEvent<unknown> = { type: 'customer.unmerged', actorId: ctx.actor.id, record: toPublic(primaryPlan.record), mergeId, duplicateIds: m.duplicateIds };
    try {
      await ctx.session.commit(
        [...plans.flatMap((p) => p.ops), { type: 'update', collection: 'system', record: done, expectedVersion: m.version }],
        [...plans.flatMap((p) => p.effects), () => ctx.engine.events.emit('customer.unmerged', event as never)],
      );
    } catch (error) {
      if (isConflictError(error) && !ctx.session.buffered && attempt < 4) continue;
      throw error;
    }
    return {
      primary: visible<Customer<Custom>>(ctx, customers, primaryPlan.record),
      duplicates: dupPlans.map((p) => visible<Customer<Custom>>(ctx, customers, p.record)),
      restored,
    };
  }
}
