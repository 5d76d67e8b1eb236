/**
 * The quickstart: a CRM in memory, customers in several languages, a timeline, queries with
 * filters and paging, live queries and events. Run with `npm run demo`.
 */
import { createCrm, isValidationError, isConflictError } from '../../src/index';

const crm = await createCrm({
  timeZone: 'Europe/Istanbul',
  customFields: {
    customers: {
      loyaltyPoints: { type: 'number', min: 0, integer: true, indexed: true },
      segment: { type: 'select', options: ['smb', 'enterprise'] },
    },
  },
});

crm.on('customer.created', (e) => console.log(`  event: ${e.type} — ${e.record.name}`));
crm.on('interaction.completed', (e) => console.log(`  event: ${e.type} — ${e.record.subject ?? e.record.type}`));

console.log('Creating customers in several languages…');
const acme = await crm.customers.create({ kind: 'organization', name: 'Acme Lojistik A.Ş.', addresses: [{ city: 'İstanbul', country: 'TR' }], tier: 'vip', tags: ['wholesale'], custom: { segment: 'enterprise', loyaltyPoints: 1200 } });
const people = await crm.customers.createMany([
  { name: 'Mehmet Yılmaz', organizationId: acme.id, emails: [{ address: 'mehmet@acme.com.tr' }], phones: [{ number: '+90 532 123 45 67' }], addresses: [{ city: 'İzmir', country: 'TR' }], custom: { loyaltyPoints: 320 } },
  { name: 'سارا احمدی', emails: [{ address: 'sara@example.ir' }], addresses: [{ city: 'تهران', country: 'IR' }], tags: ['wholesale'], custom: { loyaltyPoints: 80 } },
  { name: '王小明', emails: [{ address: 'xiaoming@example.cn' }], addresses: [{ city: '北京', country: 'CN' }], custom: { loyaltyPoints: 540 } },
  { name: 'Maria dela Cruz', phones: [{ number: '0917 555 0101' }], addresses: [{ city: 'Manila', country: 'PH' }], tier: 'vip', custom: { loyaltyPoints: 45 } },
  { name: 'Анна Петрова', emails: [{ address: 'anna@example.ru' }], addresses: [{ city: 'Москва', country: 'RU' }], custom: { loyaltyPoints: 700 } },
]);
const mehmet = people[0]!;

console.log('\nLogging and planning interactions…');
await crm.interactions.log({ type: 'call', customerId: mehmet.id, direction: 'outbound', subject: 'Intro call', occurredAt: '2024-05-02T09:00:00+03:00', outcome: 'successful' });
await crm.interactions.log({ type: 'email', customerId: mehmet.id, direction: 'inbound', subject: 'Price list request', occurredAt: '2024-05-03T14:30:00+03:00' });
const meeting = await crm.interactions.plan({ type: 'meeting', customerId: mehmet.id, subject: 'Site visit in İzmir', dueAt: '2024-05-10T11:00:00+03:00' });
await crm.interactions.plan({ type: 'task', customerId: mehmet.id, subject: 'Send the quote', dueAt: '2024-05-06T10:00:00+03:00' });
await crm.interactions.complete(meeting.id, { outcome: 'successful', occurredAt: '2024-05-10T12:15:00+03:00' });

console.log(`\nTimeline of ${mehmet.name}, newest first (${crm.timeZone}):`);
const local = new Intl.DateTimeFormat('en-GB', { timeZone: crm.timeZone, dateStyle: 'medium', timeStyle: 'short' });
for (const i of (await crm.customers.timeline(mehmet.id)).items) {
  const when = local.format(new Date(i.occurredAt ?? i.dueAt ?? 0));
  console.log(`  ${when}  ${i.type.padEnd(8)} ${i.status.padEnd(9)} ${i.subject ?? ''}`);
}

console.log('\nVIP or wholesale customers in TR/IR, by loyalty points:');
const vipOrWholesale = await crm.customers.find({
  where: {
    and: [
      { field: 'addresses.country', op: 'in', value: ['TR', 'IR'] },
      { or: [{ field: 'tier', op: 'eq', value: 'vip' }, { field: 'tags', op: 'has', value: 'wholesale' }] },
    ],
  },
  orderBy: [{ field: 'custom.loyaltyPoints', direction: 'desc' }],
  total: true,
});
for (const c of vipOrWholesale.items) console.log(`  ${c.name} (${c.custom.loyaltyPoints ?? 0} points)`);
console.log(`  total: ${vipOrWholesale.total}`);

console.log('\nPaging through everyone, two at a time:');
let cursor: string | undefined;
let page = 1;
do {
  const result = await crm.customers.find({ orderBy: [{ field: 'name' }], limit: 2, cursor });
  console.log(`  page ${page++}: ${result.items.map((c) => c.name).join(', ')}`);
  cursor = result.nextCursor;
} while (cursor);

console.log('\nSearch:');
for (const q of ['meh', 'анна', 'سارا', '小明', '0532 123 4567', 'acme.com']) {
  const { items } = await crm.customers.find({ search: q });
  console.log(`  "${q}" → ${items.map((c) => c.name).join(', ') || '(none)'}`);
}

console.log('\nA live query of VIPs:');
const vips = crm.customers.watch({ where: { field: 'tier', op: 'eq', value: 'vip' }, orderBy: [{ field: 'name' }] });
await vips.ready;
console.log(`  now: ${vips.getSnapshot().items.map((c) => c.name).join(', ')}`);
const changed = new Promise<void>((resolve) => {
  const stop = vips.subscribe((s) => {
    console.log(`  after an update: ${s.items.map((c) => c.name).join(', ')}`);
    stop();
    resolve();
  });
});
await crm.customers.update(people[4]!.id, { tier: 'vip' });
await changed;
vips();

console.log('\nWhat rapport refuses:');
try {
  await crm.customers.create({ name: 'Broken', emails: [{ address: 'not-an-email' }], custom: { loyaltyPoints: -5 } });
} catch (e) {
  if (isValidationError(e)) for (const issue of e.issues) console.log(`  ValidationError at ${issue.path.join('.')}: ${issue.message}`);
}
try {
  await crm.customers.update(mehmet.id, { tier: 'gold' }, { expectedVersion: 1 });
  await crm.customers.update(mehmet.id, { tier: 'silver' }, { expectedVersion: 1 });
} catch (e) {
  if (isConflictError(e)) console.log(`  ConflictError: ${e.message}`);
}
const viewer = crm.as({ id: 'u-guest', roles: ['viewer'] });
try {
  await viewer.customers.update(mehmet.id, { tier: 'vip' });
} catch (e) {
  console.log(`  ${(e as Error).name}: ${(e as Error).message}`);
}

console.log(`\n${await crm.customers.count()} customers; audit entries for ${mehmet.name}:`);
for (const entry of (await crm.audit.find({ recordId: mehmet.id })).items) {
  console.log(`  ${entry.action.padEnd(7)} by ${entry.actorId}${entry.changes ? ` ${JSON.stringify(entry.changes)}` : ''}`);
}
await crm.close();
