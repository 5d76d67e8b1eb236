/**
 * Property: whoever acts, `find` (paged to the end), `count` and a `watch` snapshot yield
 * exactly the records inside the actor's read scope, and never a field the actor cannot read.
 * The oracle is ./oracle.ts (the literal role table), which imports nothing from src/.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCrm } from '../../src/index';
import type { Actor, Crm } from '../../src/index';
import { BUILT_INS, allows, hidesSensitive } from './oracle';

const USERS = ['u1', 'u2', 'u3'] as const;
const TEAMS = ['t1', 't2', 't3'] as const;
const ROLE_NAMES = ['viewer', 'contributor', 'editor', 'manager', 'admin'] as const;

interface Spec {
  ownerId: string;
  teamId: string | undefined;
  assigneeId: string | undefined;
  notes: string | undefined;
  secret: number | undefined;
}

const recordSpec: fc.Arbitrary<Spec> = fc.record({
  ownerId: fc.constantFrom(...USERS),
  teamId: fc.option(fc.constantFrom(...TEAMS), { nil: undefined }),
  assigneeId: fc.option(fc.constantFrom(...USERS), { nil: undefined }),
  notes: fc.option(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0), { nil: undefined }),
  secret: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
});

const actorSpec: fc.Arbitrary<Actor> = fc.record({
  id: fc.constantFrom(...USERS, 'u-nobody'),
  roles: fc.subarray([...ROLE_NAMES]),
  teamIds: fc.subarray([...TEAMS]),
});

type Collection = 'customers' | 'interactions';

const CUSTOM_FIELDS = { customers: { secret: { type: 'number', sensitive: true } }, interactions: { secret: { type: 'number', sensitive: true } } } as const;
type Typed = Crm<typeof CUSTOM_FIELDS>;

async function everything(crm: Typed, collection: Collection, pageSize: number): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await crm[collection].find({ limit: pageSize, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(pageSize);
    if (page.nextCursor) expect(page.items.length).toBe(pageSize);
    out.push(...(page.items as unknown as Record<string, unknown>[]));
    cursor = page.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('paging did not end');
}

function checkFields(item: Record<string, unknown>, stored: Record<string, unknown>, collection: Collection, hidden: boolean): void {
  const sensitive = collection === 'customers' ? 'notes' : 'body';
  const custom = (item['custom'] ?? {}) as Record<string, unknown>;
  const storedCustom = (stored['custom'] ?? {}) as Record<string, unknown>;
  if (hidden) {
    expect(item).not.toHaveProperty(sensitive);
    expect(custom).not.toHaveProperty('secret');
  } else {
    expect(item[sensitive]).toEqual(stored[sensitive]);
    expect(custom['secret']).toEqual(storedCustom['secret']);
  }
  for (const key of Object.keys(item)) expect(key.startsWith('_')).toBe(false);
}

describe('read scope (property)', () => {
  it('find, count and watch yield exactly the records in scope, without unreadable fields', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordSpec, { minLength: 0, maxLength: 14 }),
        fc.array(actorSpec, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 5 }),
        async (specs, actors, pageSize) => {
          const crm = await createCrm({
            actor: { id: 'u-admin', roles: ['admin'] },
            sensitiveFields: { customers: ['notes'], interactions: ['body'] },
            customFields: CUSTOM_FIELDS,
          });
          try {
            const anchor = await crm.customers.create({ name: 'Anchor', ownerId: 'u-admin' });
            const stored: Record<Collection, Record<string, unknown>[]> = { customers: [anchor as never], interactions: [] };
            for (const s of specs) {
              const custom = s.secret === undefined ? {} : { custom: { secret: s.secret } };
              const c = await crm.customers.create({ name: 'C', ownerId: s.ownerId, ...(s.teamId ? { teamId: s.teamId } : {}), ...(s.notes ? { notes: s.notes } : {}), ...custom });
              stored.customers.push(c as never);
              const i = await crm.interactions.log({
                type: 'note',
                customerId: anchor.id,
                ownerId: s.ownerId,
                ...(s.teamId ? { teamId: s.teamId } : {}),
                ...(s.assigneeId ? { assigneeId: s.assigneeId } : {}),
                ...(s.notes ? { body: s.notes } : {}),
                ...custom,
              });
              stored.interactions.push(i as never);
            }
            for (const actor of actors) {
              const view = crm.as(actor);
              const hidden = hidesSensitive(BUILT_INS, actor);
              for (const collection of ['customers', 'interactions'] as const) {
                const expected = stored[collection].filter((r) => allows(BUILT_INS, actor, 'read', collection, r)).map((r) => r['id']);
                const byId = new Map(stored[collection].map((r) => [r['id'], r]));
                const found = await everything(view, collection, pageSize);
                expect(found.map((r) => r['id']).sort()).toEqual([...expected].sort());
                for (const item of found) checkFields(item, byId.get(item['id'])!, collection, hidden);
                expect(await view[collection].count()).toBe(expected.length);
                const live = view[collection].watch({ limit: 1000 });
                try {
                  const snap = await live.ready;
                  expect(snap.status).toBe('ready');
                  const items = snap.items as unknown as Record<string, unknown>[];
                  expect(items.map((r) => r['id']).sort()).toEqual([...expected].sort());
                  for (const item of items) checkFields(item, byId.get(item['id'])!, collection, hidden);
                } finally {
                  live();
                }
              }
            }
          } finally {
            await crm.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
