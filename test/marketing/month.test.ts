// A month of simulated time (15 Dec 2024 → 15 Jan 2025, Istanbul time) with planned calls,
// birthdays across the year boundary, automation rules, a restart and a second instance:
// every reminder and every automation run happens exactly once, and cancelled or completed
// items never fire.
import { describe, expect, it } from 'vitest';
import type { Crm, Workers } from '../../src/index';
import { DAY, HOUR, world } from './helpers';

const LEASE = 2 * HOUR;

describe('a month of reminders and automations', () => {
  it('fires each reminder and runs each rule exactly once across a restart and a second instance', async () => {
    const w = world('2024-12-15T06:00:00Z', { timeZone: 'Europe/Istanbul' });
    let crm: Crm = await w.crm();
    const ann = { ownerId: 'u-ann' };
    const ayse = await crm.customers.create({ name: 'Ayşe', ...ann, emails: [{ address: 'ayse@example.com' }], importantDates: [{ kind: 'birthday', date: '--01-01' }] });
    const bora = await crm.customers.create({ name: 'Bora', ...ann, phones: [{ number: '+90 555 000 1111' }], importantDates: [{ kind: 'birthday', date: '1990-12-20' }] });
    await crm.customers.create({ name: 'Cem', emails: [{ address: 'cem@example.com' }], consent: { email: { status: 'denied', at: '2024-01-01T00:00:00Z' } }, importantDates: [{ kind: 'birthday', date: '--12-25' }] });
    await crm.customers.create({ name: 'Deniz', emails: [{ address: 'deniz@example.com' }], blocked: { reason: 'fraud' }, importantDates: [{ kind: 'birthday', date: '--12-28' }] });
    await crm.customers.create({ name: 'Elif', emails: [{ address: 'elif@example.com' }], importantDates: [{ kind: 'birthday', date: '--02-29' }] });
    const plan = (subject: string, dueAt: string, extra: Record<string, unknown> = {}) =>
      crm.interactions.plan({ type: 'call', customerId: ayse.id, subject, dueAt, assigneeId: 'u-ann', ...extra });
    const p1 = await plan('p1', '2024-12-16T10:00:00Z');
    const p2 = await plan('p2', '2024-12-20T14:00:00Z', { remindAt: '2024-12-20T13:00:00Z', type: 'meeting' });
    const p3 = await plan('p3', '2024-12-18T10:00:00Z');
    const p4 = await plan('p4', '2024-12-22T10:00:00Z', { type: 'task' });
    const p5 = await plan('p5', '2025-01-05T09:00:00Z');
    await plan('p7', '2025-01-20T09:00:00Z');
    const welcome = await crm.automations.add({ name: 'Welcome call', on: 'customer.created', do: [{ action: 'planInteraction', type: 'call', subject: 'Welcome call', in: { days: 2 } }] });
    const contacted = await crm.automations.add({ name: 'Mark contacted', on: 'interaction.completed', do: [{ action: 'tag', target: 'customer', tags: ['contacted'] }] });

    let workers: Workers[] = [crm.startWorkers({ autoStart: false, leaseMs: LEASE })];
    let second: Crm | undefined;
    let p6Id = '';
    let felixId = '';
    const end = Date.parse('2025-01-15T06:00:00Z');
    while (w.now() <= end) {
      await Promise.all(workers.map((x) => x.tick()));
      const at = w.iso();
      // What people do during the month, between ticks.
      if (at === '2024-12-17T09:00:00.000Z') await crm.interactions.cancel(p3.id);
      if (at === '2024-12-21T09:00:00.000Z') await crm.interactions.complete(p4.id, { outcome: 'successful' });
      if (at === '2024-12-24T12:00:00.000Z') {
        // Restart: close the Crm, open a new one on the same storage.
        await crm.close();
        crm = await w.crm();
        workers = [crm.startWorkers({ autoStart: false, leaseMs: LEASE })];
      }
      if (at === '2024-12-27T10:00:00.000Z') felixId = (await crm.customers.create({ name: 'Felix', ownerId: 'u-bob' })).id;
      if (at === '2024-12-27T12:00:00.000Z') {
        w.advance(30 * 60_000);
        // Planned for half an hour ago: fires at the next tick.
        p6Id = (await plan('p6', '2024-12-27T12:00:00Z')).id;
        w.advance(-30 * 60_000);
      }
      if (at === '2025-01-01T00:00:00.000Z') {
        second = await w.crm();
        workers.push(second.startWorkers({ autoStart: false, leaseMs: LEASE }));
      }
      if (at === '2025-01-02T09:00:00.000Z') await crm.interactions.update(p5.id, { remindAt: '2025-01-06T08:00:00Z' });
      if (at === '2025-01-08T00:00:00.000Z') workers = workers.slice(1); // the first instance goes silent; the second takes over
      w.advance(HOUR);
    }

    const fired = w.of('reminder.due').map((e) => [e['kind'], e['recordId'], e['at'], e['firedAt']]);
    const welcomeCall = (await crm.interactions.find({ where: { field: 'customerId', op: 'eq', value: felixId } })).items;
    expect(welcomeCall).toHaveLength(1);
    expect(welcomeCall[0]).toMatchObject({ type: 'call', subject: 'Welcome call', dueAt: '2024-12-29T10:00:00.000Z', assigneeId: 'u-bob', ownerId: 'u-bob', status: 'planned' });
    expect(fired).toEqual([
      ['interaction', p1.id, '2024-12-16T10:00:00.000Z', '2024-12-16T10:00:00.000Z'],
      ['date', bora.id, '2024-12-19T21:00:00.000Z', '2024-12-19T21:00:00.000Z'],
      ['interaction', p2.id, '2024-12-20T13:00:00.000Z', '2024-12-20T13:00:00.000Z'],
      ['interaction', p6Id, '2024-12-27T12:00:00.000Z', '2024-12-27T13:00:00.000Z'],
      ['interaction', welcomeCall[0]!.id, '2024-12-29T10:00:00.000Z', '2024-12-29T10:00:00.000Z'],
      ['date', ayse.id, '2024-12-31T21:00:00.000Z', '2024-12-31T21:00:00.000Z'],
      ['interaction', p5.id, '2025-01-06T08:00:00.000Z', '2025-01-06T08:00:00.000Z'],
    ]);
    expect(w.of('reminder.due').find((e) => e['recordId'] === bora.id)).toMatchObject({ years: 34, channels: ['phone', 'sms'], date: { kind: 'birthday', date: '1990-12-20' } });
    // Runs: the welcome call for Felix (customers made before the rule do not count) and the tag after p4.
    expect(w.of('automation.ran').map((e) => [e['ruleId'], e['event'], e['recordId']])).toEqual([
      [contacted.id, 'interaction.completed', p4.id],
      [welcome.id, 'customer.created', felixId],
    ]);
    expect(w.of('automation.failed')).toEqual([]);
    expect((await crm.customers.get(ayse.id)).tags).toEqual(['contacted']);
    const runs = await crm.automations.runs();
    expect(runs.items.map((r) => r.status)).toEqual(['ran', 'ran']);
    // Writes made by automations are audited as automation:<ruleId>.
    const audit = await crm.audit.find({ recordId: welcomeCall[0]!.id });
    expect(audit.items.map((e) => [e.action, e.actorId])).toEqual([['create', `automation:${welcome.id}`]]);
    expect(second).toBeDefined();
  });

  it('fires a 29 February date on 28 February in other years, and on the 29th in leap years', async () => {
    const w = world('2025-02-27T12:00:00Z');
    const crm = await w.crm();
    const c = await crm.customers.create({ name: 'Leap', emails: [{ address: 'leap@example.com' }], importantDates: [{ kind: 'birthday', date: '2000-02-29' }] });
    const workers = crm.startWorkers({ autoStart: false });
    const until = Date.parse('2028-03-02T00:00:00Z');
    // Tick twice a day for three years.
    for (; w.now() < until; w.advance(12 * HOUR)) await workers.tick();
    expect(w.of('reminder.due').map((e) => [e['recordId'], e['at'], e['years']])).toEqual([
      [c.id, '2025-02-28T00:00:00.000Z', 25],
      [c.id, '2026-02-28T00:00:00.000Z', 26],
      [c.id, '2027-02-28T00:00:00.000Z', 27],
      [c.id, '2028-02-29T00:00:00.000Z', 28],
    ]);
  });

  it('never fires for a cancelled or completed interaction, even when it was due while the job was away', async () => {
    const w = world('2024-05-01T09:00:00Z');
    const crm = await w.crm();
    const c = await crm.customers.create({ name: 'X' });
    const a = await crm.interactions.plan({ type: 'call', customerId: c.id, dueAt: '2024-05-01T10:00:00Z' });
    const b = await crm.interactions.plan({ type: 'call', customerId: c.id, dueAt: '2024-05-01T11:00:00Z' });
    const d = await crm.interactions.plan({ type: 'call', customerId: c.id, dueAt: '2024-05-01T12:00:00Z' });
    const workers = crm.startWorkers({ autoStart: false });
    await workers.tick();
    w.advance(4 * HOUR);
    await crm.interactions.cancel(a.id);
    await crm.interactions.complete(b.id);
    await workers.tick();
    await workers.tick();
    expect(w.of('reminder.due').map((e) => e['recordId'])).toEqual([d.id]);
  });

  it('fires each item once when the checkpoints are lost and another instance takes over', async () => {
    const w = world('2024-05-01T09:00:00Z');
    const first = await w.crm();
    const c = await first.customers.create({ name: 'X', emails: [{ address: 'x@example.com' }], importantDates: [{ kind: 'birthday', date: '--05-01' }] });
    await first.interactions.plan({ type: 'call', customerId: c.id, dueAt: '2024-05-01T09:30:00Z' });
    await first.automations.add({ name: 'tag', on: 'customer.updated', do: [{ action: 'tag', tags: ['touched'] }] });
    await first.customers.update(c.id, { tier: 'vip' });
    const w1 = first.startWorkers({ autoStart: false, leaseMs: HOUR });
    w.advance(HOUR);
    await w1.tick();
    expect(w.of('reminder.due')).toHaveLength(2);
    expect(w.of('automation.ran')).toHaveLength(1);
    // Both jobs forget where they were; the reminder keys and the stored runs still hold.
    for (const id of ['reminders:checkpoint', 'automations:checkpoint']) {
      const [r] = await w.storage.get('system', [id]);
      await w.storage.write([{ type: 'delete', collection: 'system', id, expectedVersion: r!.version }]);
    }
    const second = await w.crm();
    const w2 = second.startWorkers({ autoStart: false, leaseMs: HOUR });
    w.advance(2 * HOUR);
    await Promise.all([w1.tick(), w2.tick()]);
    await Promise.all([w2.tick(), w1.tick()]);
    expect(w.of('reminder.due')).toHaveLength(2);
    expect(w.of('automation.ran')).toHaveLength(1);
    expect(w.now() - Date.parse('2024-05-01T09:00:00Z')).toBe(3 * HOUR);
  });

  it('stops when the workers stop', async () => {
    const w = world('2024-05-01T09:00:00Z');
    const crm = await w.crm();
    const c = await crm.customers.create({ name: 'X' });
    await crm.interactions.plan({ type: 'call', customerId: c.id, dueAt: '2024-05-01T10:00:00Z' });
    const workers = crm.startWorkers({ autoStart: false });
    await workers.tick();
    await workers.stop();
    w.advance(DAY);
    await workers.tick();
    expect(w.of('reminder.due')).toEqual([]);
  });
});
