/**
 * rapport as the benchmarks run it: a Crm over a given storage with the bench's custom fields
 * (score and lifetimeValue indexed), deterministic ids, and a clock that stamps each created
 * customer with the `createdAt` of the data set — so rapport and its peers hold the same dates.
 */
import { createCrm } from '../src/index';
import type { Crm, CrmOptions, StorageAdapter } from '../src/index';
import type { BenchCustomer } from './data';
import { toInput } from './data';

/** The custom fields of the bench's customers. */
export const CUSTOM_FIELDS = {
  customers: {
    score: { type: 'number', indexed: true, integer: true },
    lifetimeValue: { type: 'number', indexed: true, integer: true },
    visits: { type: 'number', integer: true },
    nps: { type: 'number', integer: true },
  },
} as const;

export type BenchCrm = Crm<typeof CUSTOM_FIELDS>;

/** A Crm whose clock follows the data set while records are created. */
export interface BenchRapport {
  crm: BenchCrm;
  storage: StorageAdapter;
  /**
   * Create customers in batches of `chunk` through `createMany`, each stamped with its data
   * set `createdAt`. Checks afterwards (on a sample) that the stamps landed.
   */
  createAll(rows: readonly BenchCustomer[], chunk?: number): Promise<void>;
}

/**
 * Make rapport over `storage`. The engine reads the clock once for a record's `createdAt` and
 * once for its audit entry, and then asks for one id (the audit entry's: records bring their
 * own); the id generator moves the clock on to the next record. If the engine changes that
 * order, `createAll` notices (the stamps would not match) and throws.
 */
export async function makeRapport(storage: StorageAdapter, indexes?: CrmOptions['indexes']): Promise<BenchRapport> {
  let times: readonly number[] = [];
  let cursor = -1; // -1: not creating; the clock then runs on from the last stamp
  let after = Date.parse('2030-01-01T00:00:00.000Z');
  let idNo = 0;
  const clock = (): number => {
    if (cursor >= 0) return times[Math.min(cursor, times.length - 1)] as number;
    return after++;
  };
  const ids = (): string => {
    if (cursor >= 0) cursor++;
    idNo++;
    return `zz${String(idNo).padStart(12, '0')}`;
  };
  const crm = (await createCrm({ storage, customFields: CUSTOM_FIELDS, clock, ids, ...(indexes ? { indexes } : {}) })) as BenchCrm;
  return {
    crm,
    storage,
    async createAll(rows, chunk = 1000) {
      times = rows.map((r) => Date.parse(r.createdAt));
      cursor = 0;
      try {
        for (let i = 0; i < rows.length; i += chunk) {
          await crm.customers.createMany(rows.slice(i, i + chunk).map((r) => toInput(r) as never));
        }
      } finally {
        cursor = -1;
      }
      const step = Math.max(1, Math.floor(rows.length / 50));
      const sample = rows.filter((_, i) => i % step === 0 || i === rows.length - 1);
      const got = await crm.customers.getMany(sample.map((r) => r.id));
      got.forEach((c, i) => {
        const want = sample[i] as BenchCustomer;
        if (c?.createdAt !== want.createdAt) throw new Error(`bench clock drifted: ${want.id} stored createdAt ${c?.createdAt}, data says ${want.createdAt}`);
      });
    },
  };
}
