// Stored answers to idempotent writes expire: the handler deletes them in the background once
// older than `idempotencyTtlMs`, through the system collection's `kind, at` index.
import { describe, expect, it, vi } from 'vitest';
import { createCrm, ValidationError } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { createHttpHandler } from '../../adapters/http/server';
import { req } from './helpers';

const HOUR = 60 * 60 * 1000;

async function setup(ttlMs?: number) {
  const clock = { now: Date.parse('2025-01-01T00:00:00Z') };
  const storage = memoryAdapter();
  const crm = await createCrm({ storage, clock: () => clock.now });
  const handler = createHttpHandler({
    crm,
    authenticate: () => ({ id: 'u-ann', roles: ['admin'] }),
    onError: () => undefined,
    ...(ttlMs !== undefined ? { idempotencyTtlMs: ttlMs } : {}),
  });
  const stored = async (kind: string) => (await storage.query('system', { where: { field: 'kind', op: 'eq', value: kind }, limit: 1000 })).items.map((r) => r.id).sort();
  return { clock, crm, handler, stored };
}

describe('idempotency records', () => {
  it('are kept within their time to live, so a replay answers the stored result', async () => {
    const { clock, handler, stored } = await setup(HOUR);
    const first = await handler(req('/customers', { method: 'POST', key: 'k1', json: { name: 'Ada' } }));
    expect(first.status).toBe(201);
    const created = (await first.json()) as { id: string };
    clock.now += HOUR - 1;
    const again = await handler(req('/customers', { method: 'POST', key: 'k1', json: { name: 'Ada' } }));
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: string }).id).toBe(created.id);
    expect(await stored('idempotency')).toEqual(['idem:u-ann:k1']);
  });

  it('are deleted in the background once expired, with create markers, and a late replay runs anew', async () => {
    const { clock, crm, handler, stored } = await setup(HOUR);
    await handler(req('/customers', { method: 'POST', key: 'k1', json: { id: 'cus-1', name: 'Ada' } }));
    await handler(req('/customers', { method: 'POST', key: 'k2', json: { name: 'Bo' } }));
    expect(await stored('idempotency')).toEqual(['idem:u-ann:k1', 'idem:u-ann:k2']);
    expect(await stored('create')).toEqual(['idem:create:customers:cus-1']);
    clock.now += 2 * HOUR;
    // Any write starts the sweep; it runs beside the request.
    await handler(req('/customers', { method: 'POST', key: 'k3', json: { name: 'Cy' } }));
    await vi.waitFor(async () => expect(await stored('idempotency')).toEqual(['idem:u-ann:k3']));
    expect(await stored('create')).toEqual([]);
    const late = await handler(req('/customers', { method: 'POST', key: 'k2', json: { name: 'Bo' } }));
    expect(late.status).toBe(201);
    expect(await crm.customers.count({ field: 'name', op: 'eq', value: 'Bo' })).toBe(2);
  });

  it('sweeps at most once per tenth of the time to live', async () => {
    const MINUTE = 60 * 1000;
    const { clock, handler, stored } = await setup(10 * MINUTE);
    const start = clock.now;
    const post = (key: string, name: string, at: number) => {
      clock.now = start + at * MINUTE;
      return handler(req('/customers', { method: 'POST', key, json: { name } }));
    };
    await post('k1', 'Ada', 0);
    await post('k2', 'Bo', 0.5);
    await post('k3', 'Cy', 10.2); // sweeps: k1 expired at 10
    await vi.waitFor(async () => expect(await stored('idempotency')).toEqual(['idem:u-ann:k2', 'idem:u-ann:k3']));
    await post('k4', 'Di', 10.6); // k2 expired at 10.5, but the last sweep was 0.4 min ago
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await stored('idempotency')).toEqual(['idem:u-ann:k2', 'idem:u-ann:k3', 'idem:u-ann:k4']);
    await post('k5', 'Ed', 11.3); // a minute after the last sweep: sweeps again
    await vi.waitFor(async () => expect(await stored('idempotency')).toEqual(['idem:u-ann:k3', 'idem:u-ann:k4', 'idem:u-ann:k5']));
  });

  it('keep a day by default', async () => {
    const { clock, handler, stored } = await setup();
    await handler(req('/customers', { method: 'POST', key: 'k1', json: { name: 'Ada' } }));
    clock.now += 23 * HOUR;
    await handler(req('/customers', { method: 'POST', key: 'k2', json: { name: 'Bo' } }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await stored('idempotency')).toEqual(['idem:u-ann:k1', 'idem:u-ann:k2']);
  });

  it('keep sweeping while expired records are left, so deletion keeps up with the write rate', async () => {
    const { clock, handler, stored } = await setup(HOUR);
    for (let i = 0; i < 600; i++) await handler(req('/customers', { method: 'POST', key: `old-${i}`, json: { name: `C${i}` } }));
    clock.now += 2 * HOUR;
    await handler(req('/customers', { method: 'POST', key: 'new-1', json: { name: 'N1' } }));
    // One sweep deletes at most 500 records of a kind…
    await vi.waitFor(async () => expect(await stored('idempotency')).toHaveLength(101));
    // …and, having left some, lets the very next write sweep again.
    await handler(req('/customers', { method: 'POST', key: 'new-2', json: { name: 'N2' } }));
    await vi.waitFor(async () => expect(await stored('idempotency')).toEqual(['idem:u-ann:new-1', 'idem:u-ann:new-2']));
  });

  it('refuse a time to live that is not a finite positive number of at most 100 years', () => {
    for (const idempotencyTtlMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e16]) {
      let error: unknown;
      try {
        createHttpHandler({ crm: undefined as never, crmFor: () => undefined as never, authenticate: () => null, idempotencyTtlMs });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([{ path: ['idempotencyTtlMs'], message: 'must be a finite number of milliseconds above 0 (at most 100 years)', code: 'invalid_option' }]);
    }
  });
});
