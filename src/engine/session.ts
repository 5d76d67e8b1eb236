/**
 * Sessions: how the engine reads and writes. A direct session commits each call at once; a
 * batch session buffers writes (reads see the committed state plus the batch's own pending
 * writes) and commits them all as one atomic write at the end.
 *
 * @internal
 * @module
 */
import { comparator, matches, sortKey } from '../query/evaluate';
import { encodeCursor } from '../query/cursor';
import { normalizeQuery } from '../query/validate';
import type { StorageQuery } from '../query/types';
import type { Filter } from '../query/types';
import type { StorageAdapter, StoredRecord, WriteOp } from '../storage/adapter';
import { cloneJson } from './clone';

/** Something to do once a write is stored: emit an event. */
export type Effect = () => void;

/** The engine's view of storage during one call (or one batch). */
export interface Session {
  /** Whether writes are buffered until the batch ends. */
  readonly buffered: boolean;
  get(collection: string, ids: readonly string[]): Promise<(StoredRecord | undefined)[]>;
  query(collection: string, q: StorageQuery): Promise<{ items: StoredRecord[]; nextCursor?: string }>;
  count(collection: string, where: Filter | undefined): Promise<number>;
  /** Store the operations (now, or at the end of the batch), then run the effects. */
  commit(ops: WriteOp[], effects: Effect[]): Promise<void>;
  /** Note that a caller gave an explicit `expectedVersion` (a batch then never re-runs). */
  markExplicitVersion(): void;
}

/** A session that commits every call at once. */
export function directSession(storage: StorageAdapter): Session {
  return {
    buffered: false,
    get: (c, ids) => storage.get(c, ids),
    query: (c, q) => storage.query(c, q),
    count: (c, w) => storage.count(c, w),
    async commit(ops, effects) {
      await storage.write(ops);
      for (const e of effects) e();
    },
    markExplicitVersion() {},
  };
}

interface Pending {
  /** The stored version when the batch first touched the record (0: absent). */
  baseVersion: number;
  /** The record as the batch leaves it, or `null` when the batch deletes it. */
  record: StoredRecord | null;
}

/** A batch session and the way to finish it. */
export interface BatchSession extends Session {
  /** The coalesced operations: one per record. */
  operations(): WriteOp[];
  /** Effects to run after the batch is stored. */
  effects(): Effect[];
  /** Whether a caller gave an explicit `expectedVersion` inside the batch. */
  readonly explicitVersions: boolean;
}

/** A session that buffers writes for one atomic commit. */
export function batchSession(storage: StorageAdapter): BatchSession {
  const pending = new Map<string, Map<string, Pending>>();
  const appendOnly: WriteOp[] = [];
  const effects: Effect[] = [];
  const of = (c: string) => {
    let m = pending.get(c);
    if (!m) pending.set(c, (m = new Map()));
    return m;
  };
  const copy = (r: StoredRecord): StoredRecord => cloneJson(r);

  let explicitVersions = false;
  return {
    buffered: true,
    get explicitVersions() {
      return explicitVersions;
    },
    markExplicitVersion() {
      explicitVersions = true;
    },
    async get(collection, ids) {
      const m = pending.get(collection);
      const stored = await storage.get(collection, ids.filter((id) => !m?.has(id)));
      let i = 0;
      return ids.map((id) => {
        const p = m?.get(id);
        if (p) return p.record ? copy(p.record) : undefined;
        return stored[i++];
      });
    },
    async query(collection, q) {
      const m = pending.get(collection);
      if (!m || m.size === 0) return storage.query(collection, q);
      // Ask storage for enough rows to survive the pending changes, then overlay them.
      const n = normalizeQuery(collection, q, { allowInternal: true });
      const page = await storage.query(collection, { ...q, limit: Math.min(1000, n.limit + m.size) });
      const rows = page.items.filter((r) => !m.has(r.id));
      const cmp = comparator(n.orderBy);
      for (const p of m.values()) {
        if (!p.record || !matches(p.record, n.where)) continue;
        if (n.after && cmp(p.record, keyRecord(n.orderBy, n.after)) <= 0) continue;
        rows.push(copy(p.record));
      }
      rows.sort(cmp);
      const lastStored = page.items[page.items.length - 1];
      // Rows beyond the last stored row are unreliable when storage had more to give.
      const bounded = page.nextCursor && lastStored ? rows.filter((r) => cmp(r, lastStored) <= 0) : rows;
      const items = bounded.slice(0, n.limit);
      const more = bounded.length > n.limit || page.nextCursor !== undefined;
      const last = items[items.length - 1];
      return more && last ? { items, nextCursor: encodeCursor(n.hash, sortKey(last, n.orderBy)) } : { items };
    },
    async count(collection, where) {
      const m = pending.get(collection);
      let n = await storage.count(collection, where);
      if (!m) return n;
      const ids = [...m.keys()];
      const stored = await storage.get(collection, ids);
      ids.forEach((id, i) => {
        const before = stored[i];
        const after = m.get(id)?.record;
        if (before && matches(before, where)) n--;
        if (after && matches(after, where)) n++;
      });
      return n;
    },
    async commit(ops, fx) {
      for (const op of ops) {
        if (op.collection === 'audit' || op.collection === 'auditValues') {
          appendOnly.push(op);
          continue;
        }
        const m = of(op.collection);
        const id = op.type === 'delete' ? op.id : op.record.id;
        const prev = m.get(id);
        // The engine always passes the version it read, so the batch can check it at commit.
        const baseVersion = prev ? prev.baseVersion : op.type === 'insert' ? 0 : (op.expectedVersion ?? 0);
        m.set(id, { baseVersion, record: op.type === 'delete' ? null : copy(op.record) });
      }
      effects.push(...fx);
    },
    operations() {
      const ops: WriteOp[] = [];
      for (const [collection, m] of pending) {
        for (const [id, p] of m) {
          if (p.baseVersion === 0) {
            if (p.record) ops.push({ type: 'insert', collection, record: p.record });
          } else if (p.record) {
            ops.push({ type: 'update', collection, record: p.record, expectedVersion: p.baseVersion });
          } else {
            ops.push({ type: 'delete', collection, id, expectedVersion: p.baseVersion });
          }
        }
      }
      return [...ops, ...appendOnly];
    },
    effects: () => effects,
  };
}

/** A stand-in record holding a sort key, so a comparator can compare against a cursor. */
function keyRecord(orderBy: readonly { field: string }[], key: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  orderBy.forEach((o, i) => {
    if (key[i] === undefined) return;
    const parts = o.field.split('.');
    let target = out;
    for (const p of parts.slice(0, -1)) target = (target[p] ??= {}) as Record<string, unknown>;
    target[parts[parts.length - 1] as string] = key[i];
  });
  return out;
}
