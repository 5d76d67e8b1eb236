/**
 * The write verbs: plan (validate → authorize → derive) and commit (record + audit in one
 * atomic write, then emit).
 *
 * @internal
 * @module
 */
import { ConflictError, ConstraintError, NotFoundError, isConflictError } from '../errors';
import type { ValidationIssue } from '../errors';
import { idString } from '../entities/common';
import type { StoredRecord, WriteOp } from '../storage/adapter';
import { auditOps } from './audit';
import type { AuditAction } from './audit';
import type { CompiledEntity } from './compile';
import { authorize, deny, invalid, validateRecord } from './guard';
import type { OpContext } from './guard';
import { clonePublic } from './clone';
import { applyMergePatch, assertSafeKeys } from './merge-patch';
import { SYSTEM_FIELDS, diff, engineView, publicView, withDerived, writableView } from './record';
import type { Changes } from './record';
import type { Effect } from './session';

/** A write ready to commit. */
export interface Planned {
  record: StoredRecord;
  ops: WriteOp[];
  effects: Effect[];
}

/** Something an entity's verb adds to a planned write: a domain event after commit. */
export interface DomainEvent {
  name: string;
  payload: Record<string, unknown>;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * An event to emit after the write is stored. The payload's public copy of the record is made
 * only when someone listens: a bulk write nobody watches pays nothing for its events.
 */
function emitEffect(ctx: OpContext, name: string, record: StoredRecord, payload: Record<string, unknown>): Effect {
  return () => {
    if (!ctx.engine.events.hasListeners(name)) return;
    // Handlers share one payload: frozen, so one handler cannot change what the next one sees.
    ctx.engine.events.emit(name, deepFreeze({ type: name, actorId: ctx.actor.id, record: toPublic(record), ...payload }));
  };
}

/** A copy for callers, with `_` fields removed (no field masking: for events, masked per listener). */
export function toPublic<T>(record: StoredRecord): T {
  return clonePublic<T>(record);
}

/** A copy for the acting caller: `_` fields and the fields the actor cannot read removed. */
export function visible<T>(ctx: OpContext, entity: CompiledEntity, record: StoredRecord): T {
  return publicView<T>(clonePublic<StoredRecord>(record), ctx.engine.policy.hiddenFields(ctx.actor, entity.collection));
}

function systemFieldIssues(input: Record<string, unknown>, allowId: boolean, allowArchive = false): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const k of Object.keys(input)) {
    if ((SYSTEM_FIELDS.has(k) && !(allowId && k === 'id')) || k.startsWith('_')) {
      issues.push({ path: [k], message: 'is set by rapport and cannot be written', code: 'read_only' });
    } else if (k === 'archivedAt' && !allowArchive) {
      issues.push({ path: [k], message: 'is set by archive() and restore()', code: 'read_only' });
    }
  }
  return issues;
}

async function checkReferences(ctx: OpContext, entity: CompiledEntity, record: Record<string, unknown>, issuesPrefix: (string | number)[]): Promise<void> {
  for (const ref of entity.references ?? []) {
    const target = record[ref.field];
    if (typeof target !== 'string') continue;
    const [found] = await ctx.session.get(ref.collection, [target]);
    if (!found) {
      throw new ConstraintError(
        `${ref.field} points to ${ref.collection} ${target}, which does not exist`,
        { constraint: 'reference_missing', fields: [...issuesPrefix.map(String), ref.field], conflictingIds: [target], index: `${entity.collection}.${ref.field}` },
        { collection: entity.collection, recordId: record['id'] as string | undefined },
      );
    }
  }
}

/**
 * The audit entry's time: read after the checks a write awaits, so entries keep the order in
 * which changes were planned (automations compare it with a rule's creation). Within the same
 * millisecond as the record's stamp it is that very string, which a store then keeps once.
 */
function stampAfter(ctx: OpContext, stamped: string): string {
  const now = ctx.engine.now();
  return now === stamped ? stamped : now;
}

/** Plan a create: validate, authorize, derive. Issues get `prefix` (e.g. the index in a createMany). */
export async function planCreate(
  ctx: OpContext,
  entity: CompiledEntity,
  input: unknown,
  options: { prefix?: (string | number)[]; action?: AuditAction; event?: DomainEvent | undefined } = {},
): Promise<Planned | { issues: ValidationIssue[] }> {
  const prefix = options.prefix ?? [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { issues: [{ path: prefix, message: 'expected an object', code: 'invalid_type' }] };
  }
  assertSafeKeys(input, prefix, entity.collection);
  const { id: givenId, ...rest } = input as Record<string, unknown>;
  const issues = systemFieldIssues(rest, false).map((i) => ({ ...i, path: [...prefix, ...i.path] }));
  if (givenId !== undefined && !idString.safeParse(givenId).success) {
    issues.push({ path: [...prefix, 'id'], message: 'must be a string of 1 to 128 characters', code: 'invalid_type' });
  }
  const { data, issues: schemaIssues } = validateRecord(entity, rest, prefix);
  if (schemaIssues) issues.push(...schemaIssues);
  if (issues.length || !data) return { issues };
  const now = ctx.engine.now();
  const id = (givenId as string | undefined) ?? ctx.engine.nextId();
  data['ownerId'] ??= ctx.actor.id;
  entity.prepare?.(data, undefined, { now, actorId: ctx.actor.id });
  const record = withDerived({ ...data, id, version: 1, createdAt: now, updatedAt: now }, entity);
  await authorize(ctx, 'create', entity, record);
  const { actor } = ctx;
  // Giving a record to someone else (or to a team not one's own) is assigning it.
  if (record['ownerId'] !== actor.id || (typeof record['teamId'] === 'string' && !(actor.teamIds ?? []).includes(record['teamId']))) {
    await authorize(ctx, 'assign', entity, record);
  }
  const readOnly = ctx.engine.policy.readOnlyFields(actor, entity.collection);
  for (const f of readOnly) {
    const [top, sub] = f.split('.') as [string, string | undefined];
    const given = sub === undefined ? top in rest : typeof rest[top] === 'object' && rest[top] !== null && sub in (rest[top] as object);
    if (given) await deny(ctx, 'create', entity.collection, id, `field ${f} is read-only for this actor`);
  }
  await checkReferences(ctx, entity, record, prefix);
  const event = options.event ?? { name: entity.createdEvent?.(record) ?? `${entity.singular}.created`, payload: {} };
  return {
    record,
    ops: [{ type: 'insert', collection: entity.collection, record }, ...auditOps(ctx.engine, { actorId: ctx.actor.id, action: options.action ?? 'create', collection: entity.collection, recordId: id, record, at: stampAfter(ctx, now) })],
    effects: [emitEffect(ctx, event.name, record, event.payload)],
  };
}

/** Read a record for writing; NotFoundError when absent. */
export async function readForWrite(ctx: OpContext, entity: CompiledEntity, id: string): Promise<StoredRecord> {
  if (typeof id !== 'string') throw new NotFoundError(entity.collection, String(id));
  const [current] = await ctx.session.get(entity.collection, [id]);
  if (!current) throw new NotFoundError(entity.collection, id);
  return current;
}

/** How a domain verb builds the next state from the current one. */
export type NextState = (current: StoredRecord) => Record<string, unknown>;

/**
 * Plan an update from a merge patch (or a function computing one from the current record).
 * Returns `undefined` when nothing would change.
 */
export async function planUpdate(
  ctx: OpContext,
  entity: CompiledEntity,
  current: StoredRecord,
  patch: unknown,
  options: { action?: AuditAction; events?: (before: StoredRecord, after: StoredRecord, changes: Changes) => DomainEvent[]; allowEngineFields?: boolean } = {},
): Promise<Planned | undefined> {
  const action = options.action ?? 'update';
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) invalid(entity, [{ path: [], message: 'a patch is an object', code: 'invalid_type' }], current.id);
  assertSafeKeys(patch, [], entity.collection);
  const issues = systemFieldIssues(patch as Record<string, unknown>, false, action === 'archive' || action === 'restore');
  if (!options.allowEngineFields) {
    for (const f of entity.engineFields ?? []) {
      if (f in (patch as object)) issues.push({ path: [f], message: 'is kept by rapport and cannot be written', code: 'read_only' });
    }
  }
  if (issues.length) invalid(entity, issues, current.id);
  await authorize(ctx, action === 'update' ? 'update' : actionFor(action), entity, current);
  const before = writableView(current, entity);
  const { data, issues: schemaIssues } = validateRecord(entity, applyMergePatch(before, patch));
  if (schemaIssues || !data) return invalid(entity, schemaIssues ?? [], current.id);
  const now = ctx.engine.now();
  const engineFields = engineView(current, entity);
  const next: Record<string, unknown> = { ...engineFields, ...data };
  entity.prepare?.(next, { ...before, ...engineFields }, { now, actorId: ctx.actor.id });
  const changes = diff(before, writableView(next as StoredRecord, entity));
  if (Object.keys(changes).length === 0 && !options.allowEngineFields) return undefined;
  const changedRefs = (entity.references ?? []).filter((r) => r.field in changes);
  if (changedRefs.length) await checkReferences(ctx, { ...entity, references: changedRefs }, { ...next, id: current.id }, []);
  if ('ownerId' in changes || 'teamId' in changes) await authorize(ctx, 'assign', entity, current);
  const readOnly = ctx.engine.policy.readOnlyFields(ctx.actor, entity.collection);
  for (const f of Object.keys(changes)) {
    if (readOnly.has(f) || readOnly.has(f.split('.')[0] as string)) await deny(ctx, 'update', entity.collection, current.id, `field ${f} is read-only for this actor`);
  }
  const record = withDerived({ ...next, id: current.id, version: current.version + 1, createdAt: current.createdAt as string, updatedAt: now }, entity, current);
  // The result must stay within what the actor may write (no moving a record out of scope).
  if (action === 'update') await authorize(ctx, 'update', entity, record);
  // Assigning is checked on both sides: the actor must be able to assign the record as it was and as it will be.
  if ('ownerId' in changes || 'teamId' in changes) await authorize(ctx, 'assign', entity, record);
  const effects: Effect[] = [emitEffect(ctx, `${entity.singular}.updated`, record, { changes })];
  for (const ev of options.events?.(current, record, changes) ?? []) effects.push(emitEffect(ctx, ev.name, record, ev.payload));
  return {
    record,
    ops: [
      { type: 'update', collection: entity.collection, record, expectedVersion: current.version },
      ...auditOps(ctx.engine, { actorId: ctx.actor.id, action, collection: entity.collection, recordId: current.id, changes, record, at: stampAfter(ctx, now) }),
    ],
    effects,
  };
}

function actionFor(audit: AuditAction): 'update' | 'archive' | 'merge' {
  return audit === 'archive' || audit === 'restore' ? 'archive' : audit === 'merge' ? 'merge' : 'update';
}

/**
 * Update with a read-modify-write loop: the write carries the version it read, and when the
 * caller gave no `expectedVersion` a conflict (another writer in between) re-reads and
 * re-applies the patch, so concurrent patches to different fields both survive.
 */
export async function updateWithRetry(
  ctx: OpContext,
  entity: CompiledEntity,
  id: string,
  patch: unknown | ((current: StoredRecord) => unknown),
  expectedVersion: number | undefined,
  options: Parameters<typeof planUpdate>[4] & {
    /** Commit the planned write (e.g. together with writes it implies). @defaultValue the session's commit */
    commit?: (planned: Planned) => Promise<void>;
    /** Plan the write from the current record (a verb that must read more first). @defaultValue `planUpdate` with `patch` */
    plan?: (current: StoredRecord) => Promise<Planned | undefined>;
  } = {},
): Promise<StoredRecord> {
  if (expectedVersion !== undefined) ctx.session.markExplicitVersion();
  for (let attempt = 0; ; attempt++) {
    const current = await readForWrite(ctx, entity, id);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new ConflictError(entity.collection, id, expectedVersion, current.version);
    }
    const planned = options.plan
      ? await options.plan(current)
      : await planUpdate(ctx, entity, current, typeof patch === 'function' ? (patch as (c: StoredRecord) => unknown)(current) : patch, options);
    if (!planned) return current;
    try {
      await (options.commit ? options.commit(planned) : ctx.session.commit(planned.ops, planned.effects));
      return planned.record;
    } catch (error) {
      if (isConflictError(error) && error.recordId === id && expectedVersion === undefined && !ctx.session.buffered && attempt < 8) continue;
      throw error;
    }
  }
}

/** Plan a delete: refused while other records point to this one. */
export async function planDelete(ctx: OpContext, entity: CompiledEntity, current: StoredRecord): Promise<Planned> {
  await authorize(ctx, 'delete', entity, current);
  for (const other of ctx.engine.entities.values()) {
    for (const ref of other.references ?? []) {
      if (ref.collection !== entity.collection) continue;
      // Integrity checks run unscoped and reveal only ids in a typed error.
      const page = await ctx.session.query(other.collection, { where: { field: ref.field, op: 'eq', value: current.id }, limit: 10 });
      if (page.items.length) {
        throw new ConstraintError(
          `${entity.singular} ${current.id} is still referenced by ${other.collection}.${ref.field}; move or delete those first`,
          { constraint: 'referenced', index: `${other.collection}.${ref.field}`, fields: [ref.field], conflictingIds: page.items.map((r) => r.id) },
          { collection: entity.collection, recordId: current.id },
        );
      }
    }
  }
  const changes = diff(writableView(current, entity), {});
  return {
    record: current,
    ops: [
      { type: 'delete', collection: entity.collection, id: current.id, expectedVersion: current.version },
      ...auditOps(ctx.engine, { actorId: ctx.actor.id, action: 'delete', collection: entity.collection, recordId: current.id, changes, record: current }),
    ],
    effects: [emitEffect(ctx, `${entity.singular}.deleted`, current, { id: current.id })],
  };
}
