/**
 * A rapport client in remote mode: the same API as a local Crm, answered by the server in
 * `server.ts`. Start the server first (`npx tsx examples/server/server.ts`), then run
 * `npx tsx examples/server/client.ts`.
 */
import { createCrm, isPermissionError } from '../../src/index';
import { httpAdapter } from '../../adapters/http/index';

const baseUrl = `${process.env['RAPPORT_URL'] ?? 'http://127.0.0.1:8787'}/v1`;
const connect = (token: string) => createCrm({ storage: httpAdapter({ baseUrl, getToken: () => token }) });

const admin = await connect('demo-admin');
const viewer = await connect('demo-viewer');
console.log(`connected as ${admin.actor.id} (${admin.actor.roles.join(', ')}) and ${viewer.actor.id} (${viewer.actor.roles.join(', ')})`);

// Watch a query as the viewer while the admin writes: changes arrive over the live stream.
const live = viewer.customers.watch({ where: { field: 'tags', op: 'has', value: 'demo' }, orderBy: [{ field: 'name' }] });
live.subscribe((s) => console.log(`  viewer's live query: ${s.items.map((c) => c.name).join(', ') || '(empty)'}`));
await live.ready;

console.log('Creating customers as the admin…');
const run = Date.now().toString(36);
const made = await admin.customers.createMany(
  ['Ada Lovelace', 'Grace Hopper', 'Mehmet Yılmaz', 'Zeynep Kaya', 'علی رضایی'].map((name) => ({ name: `${name} ${run}`, tags: ['demo'], notes: 'met at the fair' })),
);
const ada = made[0]!;

console.log('Logging an interaction…');
const call = await admin.interactions.log({ type: 'call', customerId: ada.id, direction: 'outbound', subject: 'Intro call' });
console.log(`  logged ${call.type} "${call.subject}" at ${call.occurredAt}`);

console.log('Paging a query, two at a time…');
let cursor: string | undefined;
let page = 1;
do {
  const result = await admin.customers.find({ where: { field: 'tags', op: 'has', value: 'demo' }, orderBy: [{ field: 'name' }], limit: 2, cursor });
  console.log(`  page ${page++}: ${result.items.map((c) => c.name).join(', ')}`);
  cursor = result.nextCursor;
} while (cursor);

console.log('The viewer tries to write…');
try {
  await viewer.customers.update(ada.id, { tier: 'vip' });
} catch (error) {
  if (isPermissionError(error)) console.log(`  PermissionError: ${error.message}`);
  else throw error;
}
console.log(`  can the viewer update? ${viewer.can('update', 'customers', ada)}; sees notes? ${viewer.readableFields('customers').includes('notes')}`);

console.log('The admin archives one; the viewer’s live query follows…');
await admin.customers.archive(made[1]!.id);
await new Promise((r) => setTimeout(r, 300));

live();
await admin.close();
await viewer.close();
console.log('done');
