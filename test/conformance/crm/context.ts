/**
 * What every file of the CRM suite shares: a fake clock per test, CRMs closed after each
 * test, and small helpers to catch errors and events.
 *
 * @module
 */
import { afterEach, beforeEach, expect } from 'vitest';
import type { Actor, Crm, CustomFieldsConfig } from '../../../src/index';
import type { CrmFixture, CrmFixtureOptions } from './fixture';

/** 2024-05-01T09:00:00Z, where every test's clock starts. */
export const START = Date.parse('2024-05-01T09:00:00Z');

/** An admin, the default actor of the suite's CRMs. */
export const ADMIN: Actor = { id: 'u-admin', roles: ['admin'] };

/** The per-test context handed to every concept file. */
export interface CrmContext {
  /** The fixture under test. */
  readonly fixture: CrmFixture;
  /** Now, in milliseconds, on the fake clock. */
  now(): number;
  /** Now as the ISO string rapport stores. */
  iso(offsetMs?: number): string;
  /** Move the fake clock forward. */
  advance(ms: number): void;
  /** A fresh, empty CRM on the fake clock (acting as {@link ADMIN} unless told). */
  crm<const C extends CustomFieldsConfig = Record<never, never>>(options?: Omit<CrmFixtureOptions<C>, 'clock'>): Promise<Crm<C>>;
  /** A second CRM on the storage of the last one made (only when the fixture can). */
  sibling<const C extends CustomFieldsConfig = Record<never, never>>(options?: Omit<CrmFixtureOptions<C>, 'clock'>): Promise<Crm<C>>;
  /** Whether the fixture can make siblings. */
  readonly hasSiblings: boolean;
}

/** Register the per-test clock and cleanup; return the context tests use. */
export function useCrmContext(fixture: CrmFixture): CrmContext {
  let now = START;
  const open: Crm<never>[] = [];
  const clock = () => now;
  beforeEach(() => {
    now = START;
  });
  afterEach(async () => {
    for (const crm of open.splice(0).reverse()) await crm.close();
  });
  return {
    fixture,
    now: () => now,
    iso: (offsetMs = 0) => new Date(now + offsetMs).toISOString(),
    advance(ms) {
      now += ms;
    },
    async crm(options = {}) {
      const crm = await fixture.makeCrm({ actor: ADMIN, ...options, clock });
      open.push(crm as never);
      return crm;
    },
    async sibling(options = {}) {
      if (!fixture.makeSibling) throw new Error(`the ${fixture.name} fixture cannot make siblings`);
      const crm = await fixture.makeSibling({ actor: ADMIN, ...options, clock });
      open.push(crm as never);
      return crm;
    },
    get hasSiblings() {
      return fixture.makeSibling !== undefined;
    },
  };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  expect.fail('expected the call to reject, but it resolved');
}

/** The error a function throws (synchronously or by rejecting). */
export async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  expect.fail('expected the call to throw, but it returned');
}

/** Every event the CRM emits from now on, in order (`*`). */
export function recordEvents(crm: Pick<Crm, 'on'>): { type: string; [key: string]: unknown }[] {
  const events: { type: string; [key: string]: unknown }[] = [];
  crm.on('*', (e) => events.push(e as never));
  return events;
}

/** Deliberately ill-typed input, to check what the engine does with what TypeScript would refuse. */
export function untyped(value: unknown): never {
  return value as never;
}

/** Keys starting with `_` anywhere in a value (internal fields must never leave the engine). */
export function internalKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => internalKeys(v, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k.startsWith('_') ? [`${path}.${k}`] : []), ...internalKeys(v, `${path}.${k}`)]);
}

/** Page through `find` to the end. */
export async function findAll<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>, maxPages = 10_000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const result = await page(cursor);
    out.push(...result.items);
    if (result.nextCursor === undefined) return out;
    cursor = result.nextCursor;
  }
  throw new Error(`paging did not end within ${maxPages} pages`);
}
