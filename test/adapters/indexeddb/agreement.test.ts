import { afterAll, beforeAll, describe } from 'vitest';
import { agreementTests } from './agreement';

describe('indexedDbAdapter agrees with the reference evaluator (fake-indexeddb)', () => agreementTests('agreement-node', 300));

// Browsers without getAllRecords (before Chromium 141, and others) read every range by cursor.
describe('indexedDbAdapter agrees with the reference evaluator without getAllRecords (fake-indexeddb)', () => {
  const protos = [globalThis.IDBIndex.prototype, globalThis.IDBObjectStore.prototype] as unknown as Record<string, unknown>[];
  const saved = protos.map((p) => p['getAllRecords']);
  beforeAll(() => {
    for (const p of protos) delete p['getAllRecords'];
  });
  afterAll(() => {
    protos.forEach((p, i) => (p['getAllRecords'] = saved[i]));
  });
  agreementTests('agreement-node-cursor', 100);
});
