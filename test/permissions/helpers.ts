/**
 * What the permission tests share: the oracle (re-exported from ./oracle), a fake clock, and
 * small helpers to catch errors, collect events and read the whole audit trail as an admin.
 *
 * @module
 */
import { expect } from 'vitest';
import { createCrm, isPermissionError } from '../../src/index';
import type { Actor, AuditEntry, Crm, CrmOptions, CustomFieldsConfig, PermissionError } from '../../src/index';

export { ASSIGNEE, BUILT_INS, ROLE_TABLE, allows, hidesSensitive, parseRoleTable, reaches } from './oracle';
export type { OracleAction, OracleGrants, OracleRole, Scope, Scoped } from './oracle';

/** 2024-05-01T09:00:00Z, where every test's clock starts. */
export const START = Date.parse('2024-05-01T09:00:00Z');

/** A fake clock that only moves when told. */
export function fakeClock(start = START): { clock: () => number; advance(ms: number): void; iso(offset?: number): string } {
  let now = start;
  return {
    clock: () => now,
    advance(ms) {
      now += ms;
    },
    iso: (offset = 0) => new Date(now + offset).toISOString(),
  };
}

/** The admin every test's root view acts as. */
export const ADMIN: Actor = { id: 'u-admin', roles: ['admin'] };

/** A fresh CRM on memory storage, acting as {@link ADMIN}. */
export function makeCrm<const C extends CustomFieldsConfig = Record<never, never>>(options: CrmOptions<C> = {}): Promise<Crm<C>> {
  return createCrm<C>({ actor: ADMIN, ...options });
}

/** What a promise rejected with (fails the test when it resolved). */
export async function rejection(promise: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error;
  }
  expect.fail('expected the call to be refused, but it succeeded');
}

/** The PermissionError a call is refused with, its fields checked. */
export async function expectPermissionError(
  promise: Promise<unknown> | (() => Promise<unknown>),
  expected: { actorId: string; action: string; collection: string; recordId?: string | undefined },
): Promise<PermissionError> {
  const error = await rejection(promise);
  expect(isPermissionError(error), `expected a PermissionError, got ${String(error)}`).toBe(true);
  const e = error as PermissionError;
  expect(e.name).toBe('PermissionError');
  expect(e.code).toBe('forbidden');
  expect({ actorId: e.actorId, action: e.action, collection: e.collection, recordId: e.recordId }).toEqual({
    actorId: expected.actorId,
    action: expected.action,
    collection: expected.collection,
    recordId: expected.recordId,
  });
  return e;
}

/** A Crm whatever its custom fields. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCrm = Crm<any>;

/** Every audit entry (newest first), read through an admin view. */
export async function allAudit(crm: AnyCrm, query: Parameters<Crm['audit']['find']>[0] = {}): Promise<AuditEntry[]> {
  const admin = (crm as Crm).as(ADMIN);
  const out: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await admin.audit.find({ ...query, limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Every record of a collection (archived too) as `id → version`, read as an admin. */
export async function versions(crm: AnyCrm, collection: 'customers' | 'interactions'): Promise<Record<string, number>> {
  const admin = (crm as Crm).as(ADMIN);
  const out: Record<string, number> = {};
  let cursor: string | undefined;
  do {
    const page = await admin[collection].find({ includeArchived: true, limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const r of page.items) out[r.id] = r.version;
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Wait until `check` passes (a live query re-runs asynchronously). */
export async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
