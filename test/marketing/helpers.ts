// Shared by the marketing tests: a fake clock, CRMs on one memory adapter (so a test can
// restart or add a second instance), and a log of the events every instance emits.
import { afterEach } from 'vitest';
import { createCrm } from '../../src/index';
import type { Actor, Crm, CrmOptions, StorageAdapter } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';

/** The admin every helper CRM acts as unless told. */
export const ADMIN: Actor = { id: 'u-admin', roles: ['admin'] };

const open: Crm[] = [];
afterEach(async () => {
  for (const crm of open.splice(0).reverse()) await crm.close();
});

/** A fake clock and CRMs sharing one storage. */
export function world(startIso: string, options: Omit<CrmOptions, 'clock' | 'storage'> = {}) {
  let now = Date.parse(startIso);
  const storage: StorageAdapter = memoryAdapter();
  const events: { type: string; [k: string]: unknown }[] = [];
  return {
    storage,
    events,
    clock: () => now,
    now: () => now,
    iso: (offsetMs = 0) => new Date(now + offsetMs).toISOString(),
    set(iso: string) {
      now = Date.parse(iso);
    },
    advance(ms: number) {
      now += ms;
    },
    /** A CRM on the shared storage; every event it emits is logged in `events`. */
    async crm(extra: Omit<CrmOptions, 'clock' | 'storage'> = {}): Promise<Crm> {
      const crm = await createCrm({ actor: ADMIN, ...options, ...extra, clock: () => now, storage });
      crm.on('*', (e) => events.push(e as never));
      open.push(crm);
      return crm;
    },
    /** Only the events of one type. */
    of(type: string) {
      return events.filter((e) => e.type === type);
    },
  };
}

/** The error a promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject, but it resolved');
}

export const HOUR = 60 * 60_000;
export const DAY = 24 * HOUR;
