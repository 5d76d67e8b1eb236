/**
 * Audit entries, written in the same atomic batch as the change they record. Values live in
 * a separate `auditValues` record keyed like the entry, so erasing a person's values later
 * redacts them without rewriting the history of who did what.
 *
 * @module
 */
import type { StoredRecord, WriteOp } from '../storage/adapter';
import type { Engine } from './engine';
import type { Changes } from './record';

/** The audit actions. Domain verbs (`win`, `convert`, …) are recorded by name too. */
export type AuditAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'archive'
  | 'restore'
  | 'merge'
  | 'import'
  | 'export'
  | 'view'
  | 'denied'
  | (string & {});

/**
 * One append-only audit entry.
 *
 * @example
 * ```ts
 * const entry: AuditEntry = { id: '01J…', at: '2024-05-01T09:30:00.000Z', actorId: 'u1',
 *   action: 'update', collection: 'customers', recordId: '01J…', changes: { tier: [null, 'vip'] } };
 * ```
 */
export interface AuditEntry {
  /** The entry's id. */
  id: string;
  /** When it happened. */
  at: string;
  /** Who did it. */
  actorId: string;
  /** What they did. */
  action: AuditAction;
  /** Where. */
  collection: string;
  /** Which record (absent for collection-wide actions such as an export). */
  recordId?: string;
  /** Field → `[before, after]`; absent for creates (the record is its own state) and after erasure. */
  changes?: Changes;
  /** Names of the changed fields (kept when values are redacted). */
  fields?: string[];
  /** Why, for denials and domain verbs. */
  reason?: string;
  /** The record's owner at the time (scopes who may read the entry). */
  ownerId?: string;
  /** The record's team at the time. */
  teamId?: string;
  /** The record's assignee at the time (who may read the entry under `own` scope). */
  assigneeId?: string;
  /** Fields whose values this reader may not see; their values are `null` in `changes`. */
  redacted?: string[];
}

/** Write operations that record one audit entry (and its values, if any). */
export function auditOps(
  engine: Engine,
  entry: {
    actorId: string;
    action: AuditAction;
    collection: string;
    recordId?: string | undefined;
    changes?: Changes | undefined;
    reason?: string | undefined;
    /** The record, whose owner and team scope who may read this entry. */
    record?: Record<string, unknown> | undefined;
    /** When it happened, as the caller read it (after the checks it awaited; see `planCreate`). @defaultValue now */
    at?: string | undefined;
  },
): WriteOp[] {
  const id = engine.nextId();
  const record: StoredRecord = { id, version: 1, at: entry.at ?? engine.now(), actorId: entry.actorId, action: entry.action, collection: entry.collection };
  if (entry.recordId !== undefined) record['recordId'] = entry.recordId;
  if (entry.reason !== undefined) record['reason'] = entry.reason;
  if (typeof entry.record?.['ownerId'] === 'string') record['ownerId'] = entry.record['ownerId'];
  if (typeof entry.record?.['teamId'] === 'string') record['teamId'] = entry.record['teamId'];
  if (typeof entry.record?.['assigneeId'] === 'string') record['assigneeId'] = entry.record['assigneeId'];
  const ops: WriteOp[] = [{ type: 'insert', collection: 'audit', record }];
  if (entry.changes && Object.keys(entry.changes).length) {
    record['fields'] = Object.keys(entry.changes);
    ops.push({
      type: 'insert',
      collection: 'auditValues',
      record: { id, version: 1, recordId: entry.recordId ?? '', changes: entry.changes },
    });
  }
  return ops;
}
