// Shared set-up for the service tests: a CRM on a fake clock and a customer.
import { createCrm } from '../../src/index';
import type { Actor, Crm, StorageAdapter } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';

/** A fake clock. */
export interface FakeClock {
  now: number;
  set(iso: string): void;
  advance(minutes: number): void;
  clock: () => number;
}

/** A fake clock starting at `iso`. */
export function fakeClock(iso: string): FakeClock {
  const c: FakeClock = {
    now: Date.parse(iso),
    set(i) {
      c.now = Date.parse(i);
    },
    advance(minutes) {
      c.now += minutes * 60_000;
    },
    clock: () => c.now,
  };
  return c;
}

/** A CRM on the clock (admin), with one customer. */
export async function setup(clock: FakeClock, options: { timeZone?: string; storage?: StorageAdapter; actor?: Actor } = {}): Promise<{ crm: Crm; customerId: string; storage: StorageAdapter }> {
  const storage = options.storage ?? memoryAdapter();
  const crm = await createCrm({ clock: clock.clock, storage, timeZone: options.timeZone ?? 'UTC', actor: options.actor ?? { id: 'u-admin', roles: ['admin'] } });
  const customer = await crm.customers.create({ name: 'Ayşe Yılmaz' });
  return { crm, customerId: customer.id, storage };
}

/** Mon–Fri business hours. */
export const WEEKDAYS_9_TO_17 = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[], start: '09:00', end: '17:00' };
