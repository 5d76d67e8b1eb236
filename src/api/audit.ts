/**
 * `crm.audit`: reading the append-only audit trail. Reading it is itself a permission
 * (managers: their teams' records; admins: everything). There is no API that edits or
 * deletes entries.
 *
 * @module
 */
import { QueryError } from '../errors';
import type { AuditAction, AuditEntry } from '../engine/audit';
import { deny, throwIfAborted } from '../engine/guard';
import type { FindResult } from '../engine/read';
import type { Changes } from '../engine/record';
import type { Filter } from '../query/types';
import type { View } from './repository';

/**
 * What to look for in the audit trail; every given field must match.
 *
 * @example
 * ```ts
 * const q: AuditQuery = { recordId: customer.id, from: '2024-01-01T00:00:00Z' };
 * ```
 */
export interface AuditQuery {
  /** Entries about this record. */
  recordId?: string;
  /** Entries by this actor. */
  actorId?: string;
  /** Entries of this action. */
  action?: AuditAction;
  /** Entries in this collection. */
  collection?: string;
  /** At or after this instant (ISO 8601). */
  from?: string;
  /** At or before this instant (ISO 8601). */
  to?: string;
  /** Page size. @defaultValue 50 */
  limit?: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** `crm.audit`. */
export interface AuditApi {
  /**
   * Entries matching the query, newest first. Values of fields the reader cannot read are
   * redacted (`null`, and the field listed in `redacted`).
   * @throws `PermissionError` when the actor may not read the audit trail.
   * @example
   * ```ts
   * const { items } = await crm.audit.find({ recordId: customer.id });
   * ```
   */
  find(query?: AuditQuery): Promise<FindResult<AuditEntry>>;
}

function instant(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) throw new QueryError('expected an ISO 8601 date-time', [name]);
  return new Date(t).toISOString();
}

/** Build `crm.audit` for a view. */
export function makeAudit(ctx: View): AuditApi {
  return {
    async find(query = {}) {
      throwIfAborted(query.signal);
      const { engine, actor } = ctx;
      const scope = engine.policy.scope(actor, 'read', 'audit');
      if (scope === false) await deny(ctx, 'read', 'audit', undefined, 'no role of this actor grants reading the audit trail');
      const parts: Filter[] = [];
      for (const key of ['recordId', 'actorId', 'action', 'collection'] as const) {
        const v = query[key];
        if (v === undefined) continue;
        if (typeof v !== 'string') throw new QueryError('expected a string', [key]);
        parts.push({ field: key, op: 'eq', value: v });
      }
      const from = instant(query.from, 'from');
      const to = instant(query.to, 'to');
      if (from) parts.push({ field: 'at', op: 'gte', value: from });
      if (to) parts.push({ field: 'at', op: 'lte', value: to });
      if (scope) parts.push(scope);
      const page = await ctx.session.query('audit', {
        where: parts.length ? { and: parts } : undefined,
        orderBy: [{ field: 'at', direction: 'desc' }],
        limit: query.limit,
        cursor: query.cursor,
      });
      const withValues = page.items.filter((e) => Array.isArray(e['fields']));
      const values = await ctx.session.get('auditValues', withValues.map((e) => e.id));
      const byId = new Map(withValues.map((e, i) => [e.id, values[i]?.['changes'] as Changes | undefined]));
      const items = page.items.map((stored) => {
        const { version: _v, ...entry } = stored;
        const out = entry as unknown as AuditEntry;
        const changes = byId.get(stored.id);
        if (changes) {
          const hidden = engine.policy.hiddenFields(actor, out.collection);
          const redacted: string[] = [];
          const visible: Changes = {};
          for (const [field, pair] of Object.entries(changes)) {
            const top = field.split('.')[0] as string;
            if (hidden.has(field) || hidden.has(top)) {
              redacted.push(field);
              visible[field] = [null, null];
            } else {
              visible[field] = pair;
            }
          }
          out.changes = visible;
          if (redacted.length) out.redacted = redacted;
        }
        return out;
      });
      const result: FindResult<AuditEntry> = { items };
      if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
      return result;
    },
  };
}
