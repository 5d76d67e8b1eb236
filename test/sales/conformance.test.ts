// The sales cases of the CRM conformance suite on IndexedDB in Node (fake-indexeddb); the
// suite's entry (test/conformance/crm/suite.ts) runs them on memory and over HTTP.
import { describe } from 'vitest';
import { createCrm } from '../../src/index';
import type { StorageAdapter } from '../../src/index';
import { indexedDbAdapter } from '../../adapters/indexeddb/index';
import { salesCases } from '../conformance/crm/sales';

let last: StorageAdapter | undefined;
let n = 0;

describe('sales conformance: indexeddb', () => {
  salesCases({
    name: 'indexeddb',
    makeCrm: (options = {}) => createCrm({ ...options, storage: (last = indexedDbAdapter({ name: `sales-${++n}-${Date.now()}` })) }),
    makeSibling: (options = {}) => createCrm({ ...options, storage: last as StorageAdapter }),
  });
});

